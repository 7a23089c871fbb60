"""Factories of diagnostics: a small questionnaire, built through the service, and assessments."""

from decimal import Decimal

from virage.diagnostics import services
from virage.diagnostics.models import Question


def small_questionnaire_data(
    code="petit", kinds=("community", "cooperative", "social_economy", "other", "sme")
) -> dict:
    """Two dimensions: strategy (a single choice of weight 2, a 0–5 scale that allows "not
    applicable") and data (a multiple choice, a yes/partially/no of weight 3)."""
    return {
        "code": code,
        "title_fr": "Petit diagnostic",
        "title_en": "Small assessment",
        "organization_kinds": list(kinds),
        "dimensions": [
            {
                "code": "digital_strategy",
                "title_fr": "Stratégie numérique",
                "title_en": "Digital strategy",
                "questions": [
                    {
                        "code": "plan",
                        "kind": Question.Kind.SINGLE_CHOICE,
                        "weight": "2",
                        "text_fr": "Avez-vous un plan numérique?",
                        "text_en": "Do you have a digital plan?",
                        "options": [
                            ["non", "0", "Non", "No"],
                            ["ebauche", "40", "Une ébauche", "A draft"],
                            ["oui", "100", "Oui", "Yes"],
                        ],
                    },
                    {
                        "code": "direction",
                        "kind": Question.Kind.SCALE,
                        "weight": "1",
                        "not_applicable": True,
                        "text_fr": "La direction porte-t-elle le numérique?",
                        "text_en": "Does management champion digital?",
                    },
                ],
            },
            {
                "code": "data_security",
                "title_fr": "Données et sécurité",
                "title_en": "Data and security",
                "questions": [
                    {
                        "code": "mesures",
                        "kind": Question.Kind.MULTIPLE_CHOICE,
                        "weight": "1",
                        "text_fr": "Quelles mesures?",
                        "text_en": "Which measures?",
                        "options": [
                            ["mfa", "50", "Authentification multifacteur", "MFA"],
                            ["sauvegarde", "40", "Sauvegardes", "Backups"],
                            ["politique", "30", "Politique", "Policy"],
                        ],
                    },
                    {
                        "code": "responsable",
                        "kind": Question.Kind.YES_PARTIAL_NO,
                        "weight": "3",
                        "text_fr": "Une personne responsable est-elle désignée?",
                        "text_en": "Is a person in charge designated?",
                    },
                ],
            },
        ],
    }


def load_small_questionnaire(program, actor, **kwargs):
    return services.questionnaire_load(program=program, data=small_questionnaire_data(**kwargs), actor=actor)


def questions_by_code(assessment) -> dict[str, Question]:
    return {
        question.code: question
        for question in Question.objects.filter(dimension__version_id=assessment.version_id).prefetch_related("options")
    }


def option(question: Question, code: str) -> int:
    return next(item.pk for item in question.options.all() if item.code == code)


def answer_all(assessment, actor, choices: dict[str, object]):
    """Answer by codes: ``{"plan": "oui", "mesures": ["mfa"], "direction": None}`` (None: not applicable)."""
    questions = questions_by_code(assessment)
    answers = {}
    for code, value in choices.items():
        question = questions[code]
        if value is None:
            answers[question.pk] = services.AnswerInput(is_not_applicable=True)
        elif isinstance(value, list):
            answers[question.pk] = services.AnswerInput(option_ids=[option(question, item) for item in value])
        else:
            answers[question.pk] = services.AnswerInput(option_ids=[option(question, value)])
    return services.answers_save(assessment=assessment, answers=answers, actor=actor)


FULL_ANSWERS = {"plan": "oui", "direction": "3", "mesures": ["mfa", "sauvegarde"], "responsable": "partiellement"}
ZERO = Decimal("0")
