"""Demo diagnostics: each program's questionnaire (community organizations for DATAide, SMEs for
Plus numérique), its recommendation rules tied to the demo's learning paths and event topics, and
first and second assessments of about half of its organizations.

Written through the diagnostics services, as organizations and coaches would answer: first
assessments in 2023 (before support), second ones in 2025 for about half of them, better on the
dimensions where the organization received services. Run once: a second run changes nothing.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from virage.accounts.models import User
from virage.diagnostics import services
from virage.diagnostics.models import Assessment, Question, RecommendationRule
from virage.events.models import Topic
from virage.learning.models import LearningPath
from virage.organizations.models import Organization
from virage.programs.models import ExpertiseTheme, Program

from .seed import COACH_EMAIL, CONTACT_EMAIL, DATAIDE_SLUG, MANAGER_EMAIL, PLUS_NUMERIQUE_SLUG

QUEBEC = ZoneInfo("America/Montreal")
QUESTIONNAIRES = {DATAIDE_SLUG: "community", PLUS_NUMERIQUE_SLUG: "sme"}
ASSESSED_SHARE = 0.5
# The demo's own organizations are the program's first ones; province-scale ones (added later, or
# already there) get their assessments from scale_diagnostics.py, in bulk.
DEMO_ORGANIZATIONS = 200
SECOND_ROUND_SHARE = 0.5
FIRST_ROUND_DAYS = (datetime.date(2023, 1, 16), datetime.date(2023, 11, 30))
SECOND_ROUND_DAYS = (datetime.date(2025, 1, 13), datetime.date(2025, 10, 31))
# Which rules (by dimension) point to which of the program's paths and topics, by words of their names.
RULE_LINKS = {
    "digital_strategy": ("stratégie", "numérique"),
    "people_skills": ("formation", "parcours", "culture"),
    "data_security": ("données", "cybersécurité", "protéger"),
    "automation_ai": ("ia", "intelligence"),
}


def diagnostics_exist() -> bool:
    return Assessment.objects.filter(program__slug__in=list(QUESTIONNAIRES)).exists()


def _link_rules(program: Program) -> None:
    """Point the default rules at the demo's paths and event topics (the staff would in the rules page)."""
    paths = list(LearningPath.objects.filter(program=program))
    topics = list(Topic.objects.filter(program=program))
    for rule in RecommendationRule.objects.filter(program=program).exclude(dimension=""):
        words = RULE_LINKS.get(rule.dimension, ())
        rule.learning_paths.set([path for path in paths if any(word in path.title_fr.lower() for word in words)][:2])
        rule.event_topics.set([topic for topic in topics if any(word in topic.name_fr.lower() for word in words)][:2])


def _answers(rng: random.Random, questions: list[Question], level: float) -> dict:
    """Answers around ``level`` (0–1): each option's chance grows as its score nears the level."""
    answers = {}
    for question in questions:
        options = list(question.options.all())
        if question.allows_not_applicable and rng.random() < 0.1:
            answers[question.pk] = services.AnswerInput(is_not_applicable=True)
            continue
        if question.is_multiple:
            chosen = [option.pk for option in options if option.score > 0 and rng.random() < level]
            if not chosen:
                chosen = [min(options, key=lambda option: option.score).pk]
            answers[question.pk] = services.AnswerInput(option_ids=chosen)
            continue
        weights = [1 / (0.15 + abs(float(option.score) / 100 - level)) for option in options]
        answers[question.pk] = services.AnswerInput(option_ids=[rng.choices(options, weights=weights)[0].pk])
    return answers


def _backdate(assessment: Assessment, day: datetime.date) -> None:
    moment = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=QUEBEC)
    Assessment.objects.filter(pk=assessment.pk).update(created_at=moment, submitted_at=moment, submitted_on=day)


def _day(rng: random.Random, bounds) -> datetime.date:
    return bounds[0] + datetime.timedelta(days=rng.randint(0, (bounds[1] - bounds[0]).days))


@transaction.atomic
def load_demo_diagnostics(*, seed: int) -> int:
    """Questionnaires, rules and assessments of both demo programs, once; returns the assessments created."""
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    programs = {program.slug: program for program in Program.objects.filter(slug__in=list(QUESTIONNAIRES))}
    if manager is None or not programs or diagnostics_exist():
        return 0
    rng = random.Random(f"diagnostics-{seed}")
    coach = User.objects.filter(email=COACH_EMAIL).first()
    contact = User.objects.filter(email=CONTACT_EMAIL).first()
    themes = list(ExpertiseTheme.objects.filter(is_active=True))
    created = 0
    for slug, key in QUESTIONNAIRES.items():
        program = programs.get(slug)
        if program is None:
            continue
        services.questionnaire_load_builtin(program=program, key=key, actor=manager)
        services.rules_load_defaults(program=program, actor=manager)
        _link_rules(program)
        organizations = list(
            Organization.objects.filter(participations__program=program, status=Organization.Status.ACTIVE).order_by(
                "pk"
            )[:DEMO_ORGANIZATIONS]
        )
        organizations = [
            organization for organization in organizations if services.published_version_for(program, organization.kind)
        ]
        chosen = rng.sample(organizations, int(len(organizations) * ASSESSED_SHARE))
        # The demo contact's organization is assessed, twice, so that its account shows results.
        if contact is not None:
            own = [
                organization
                for organization in organizations
                if organization.pk in set(contact.contact_records.values_list("organization_id", flat=True))
            ]
            chosen = own + [organization for organization in chosen if organization not in own]
        for index, organization in enumerate(chosen):
            actor = coach if coach is not None and index % 3 == 0 else manager
            level = rng.uniform(0.15, 0.55)
            first = _assess(rng, program, organization, actor, level, themes)
            _backdate(first, _day(rng, FIRST_ROUND_DAYS))
            created += 1
            if index == 0 or rng.random() < SECOND_ROUND_SHARE:
                second = _assess(rng, program, organization, actor, min(0.95, level + rng.uniform(-0.05, 0.3)), themes)
                _backdate(second, _day(rng, SECOND_ROUND_DAYS))
                created += 1
    return created


def _assess(rng, program, organization, actor, level: float, themes) -> Assessment:
    assessment = services.assessment_start(program=program, organization=organization, actor=actor)
    questions = list(Question.objects.filter(dimension__version_id=assessment.version_id).prefetch_related("options"))
    services.answers_save(assessment=assessment, answers=_answers(rng, questions, level), actor=actor)
    services.needs_save(
        assessment=assessment,
        themes=rng.sample(themes, rng.randint(1, 3)),
        financing=[
            {"category": "equipment", "description": "Postes de travail", "estimated_amount": rng.randint(8, 60) * 250},
            {"category": "coaching", "description": "Accompagnement", "hours": rng.choice((6, 10, 15, 20))},
        ][: rng.randint(0, 2)],
        priorities="",
        constraints="",
        actor=actor,
    )
    return services.assessment_submit(assessment=assessment, actor=actor)
