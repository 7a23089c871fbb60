"""Diagnostics at the service level: versions, answers, submission, scores, gain, plan, peers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import OrganizationFactory, ParticipationFactory
from virage.diagnostics import selectors, services
from virage.diagnostics.models import (
    Assessment,
    DimensionScore,
    Option,
    Question,
    QuestionnaireVersion,
    Recommendation,
)
from virage.events.tests.factories import EventFactory, RegistrationFactory
from virage.programs.models import ExpertiseTheme

from .factories import FULL_ANSWERS, answer_all, load_small_questionnaire, option, questions_by_code

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def questionnaire(world):
    return load_small_questionnaire(world.program, world.manager)


@pytest.fixture
def assessment(world, questionnaire):
    return services.assessment_start(program=world.program, organization=world.org_quebec, actor=world.contact_quebec)


def test_the_shipped_questionnaires_load_with_six_dimensions_in_both_languages(world):
    for key in ("community", "sme"):
        questionnaire = services.questionnaire_load_builtin(program=world.program, key=key, actor=world.manager)
        version = questionnaire.versions.get()
        assert version.status == QuestionnaireVersion.Status.PUBLISHED
        dimensions = list(version.dimensions.all())
        assert [dimension.code for dimension in dimensions] == [
            "digital_strategy",
            "digital_readiness",
            "people_skills",
            "data_security",
            "automation_ai",
            "green_digital",
        ]
        for question in Question.objects.filter(dimension__version=version):
            assert question.text_fr and question.text_en
            assert question.options.exists()
            assert all(item.label_en for item in question.options.all())
        # Loading again changes nothing.
        assert services.questionnaire_load_builtin(program=world.program, key=key, actor=world.manager) == questionnaire


def test_editing_a_published_version_is_refused_with_a_clear_message(world, questionnaire):
    question = Question.objects.filter(dimension__version__questionnaire=questionnaire).first()
    with pytest.raises(ValidationError) as refused:
        services.question_update(question=question, data={"weight": D("5")}, actor=world.manager)
    assert refused.value.messages == [str(services.VERSION_FROZEN % {"number": 1})]
    question.refresh_from_db()
    assert question.weight == D("2.00")


def test_a_new_version_is_a_draft_copy_and_publishing_it_retires_the_old_one(world, questionnaire):
    draft = services.version_create_draft(questionnaire=questionnaire, actor=world.manager)
    assert (draft.number, draft.status) == (2, QuestionnaireVersion.Status.DRAFT)
    assert Question.objects.filter(dimension__version=draft).count() == 4
    with pytest.raises(ValidationError):
        services.version_create_draft(questionnaire=questionnaire, actor=world.manager)
    services.version_publish(version=draft, actor=world.manager)
    statuses = dict(questionnaire.versions.values_list("number", "status"))
    assert statuses == {1: "retired", 2: "published"}


def test_earlier_answers_keep_scoring_with_their_version_after_a_new_one_is_published(world, questionnaire, assessment):
    answer_all(assessment, world.contact_quebec, FULL_ANSWERS)
    # The program changes the weight of the plan question and its "yes" score in a new version.
    draft = services.version_create_draft(questionnaire=questionnaire, actor=world.manager)
    plan = Question.objects.get(dimension__version=draft, code="plan")
    services.question_update(
        question=plan,
        data={"weight": D("1")},
        options=[
            {"code": "non", "label_fr": "Non", "score": "0"},
            {"code": "oui", "label_fr": "Oui", "score": "50"},
        ],
        actor=world.manager,
    )
    services.version_publish(version=draft, actor=world.manager)
    submitted = services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    # Version 1: strategy (2 × 100 + 60) / 3 = 86.7; data (90 + 3 × 50) / 4 = 60.0; overall 73.35 → 73.4.
    scores = dict(DimensionScore.objects.filter(assessment=submitted).values_list("code", "score"))
    assert scores == {"digital_strategy": D("86.7"), "data_security": D("60.0")}
    assert submitted.overall_score == D("73.4")
    assert submitted.maturity_level == "established"
    # A new assessment answers version 2, with its own weights and scores: (1 × 50 + 60) / 2 = 55.
    second = services.assessment_start(program=world.program, organization=world.org_quebec, actor=world.contact_quebec)
    assert second.version == draft and second.round == 2 and second.baseline == submitted
    answer_all(second, world.contact_quebec, FULL_ANSWERS)
    second = services.assessment_submit(assessment=second, actor=world.contact_quebec)
    assert DimensionScore.objects.get(assessment=second, code="digital_strategy").score == D("55.0")
    assert second.gain == D("57.5") - D("73.4")


def test_not_applicable_is_accepted_only_where_offered_and_leaves_the_question_out(world, assessment):
    answers = {**FULL_ANSWERS, "direction": None}
    answer_all(assessment, world.contact_quebec, answers)
    submitted = services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    # Strategy: only the plan counts, 100; data 60; overall 80.0.
    assert DimensionScore.objects.get(assessment=submitted, code="digital_strategy").score == D("100.0")
    assert submitted.overall_score == D("80.0")
    other = services.assessment_start(program=world.program, organization=world.org_montreal, actor=world.manager)
    responsable = questions_by_code(other)["responsable"]
    with pytest.raises(ValidationError) as refused:
        services.answers_save(
            assessment=other,
            answers={responsable.pk: services.AnswerInput(is_not_applicable=True)},
            actor=world.manager,
        )
    assert str(services.NOT_APPLICABLE_REFUSED) in refused.value.messages


def test_a_single_choice_refuses_two_options_and_options_of_another_question(world, assessment):
    questions = questions_by_code(assessment)
    plan, mesures = questions["plan"], questions["mesures"]
    with pytest.raises(ValidationError):
        services.answers_save(
            assessment=assessment,
            answers={plan.pk: services.AnswerInput(option_ids=[option(plan, "oui"), option(plan, "non")])},
            actor=world.contact_quebec,
        )
    with pytest.raises(ValidationError):
        services.answers_save(
            assessment=assessment,
            answers={plan.pk: services.AnswerInput(option_ids=[option(mesures, "mfa")])},
            actor=world.contact_quebec,
        )
    assert not assessment.answers.exists()


def test_submitting_needs_every_question_and_then_locks_the_answers(world, assessment):
    answer_all(assessment, world.contact_quebec, {"plan": "oui"})
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    assert (
        "Stratégie numérique (1)" in refused.value.messages[0]
        and "Données et sécurité (2)" in refused.value.messages[0]
    )
    answer_all(assessment, world.contact_quebec, FULL_ANSWERS)
    services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    with pytest.raises(ValidationError) as locked:
        answer_all(assessment, world.contact_quebec, {"plan": "non"})
    assert locked.value.messages == [str(services.LOCKED)]
    with pytest.raises(ValidationError):
        services.needs_save(
            assessment=assessment, themes=[], financing=[], priorities="", constraints="", actor=world.contact_quebec
        )


def test_clearing_an_answer_lowers_the_progress_and_the_log_says_what_changed(world, assessment):
    answer_all(assessment, world.contact_quebec, {"plan": "oui", "mesures": ["mfa"]})
    plan = questions_by_code(assessment)["plan"]
    assessment = services.answers_save(
        assessment=assessment, answers={plan.pk: services.AnswerInput()}, actor=world.contact_quebec
    )
    assert assessment.answered_count == 1 and assessment.progress_percent == 25
    entry = ActivityLogEntry.objects.filter(object_id=str(assessment.pk)).first()
    assert entry.changes == {"Avez-vous un plan numérique?": ["Oui", ""]}


def test_a_coach_who_fills_it_in_is_recorded_as_assisted_mode(world, questionnaire):
    assessment = services.assessment_start(program=world.program, organization=world.org_quebec, actor=world.coach)
    assert assessment.assisted_by == world.coach
    own = services.assessment_start(program=world.program, organization=world.org_montreal, actor=world.manager)
    assert own.assisted_by == world.manager


def test_a_contact_answering_alone_is_not_assisted(world, assessment):
    answer_all(assessment, world.contact_quebec, FULL_ANSWERS)
    assessment.refresh_from_db()
    assert assessment.assisted_by is None


def test_only_one_assessment_in_progress_per_organization_and_program(world, assessment):
    with pytest.raises(ValidationError) as refused:
        services.assessment_start(program=world.program, organization=world.org_quebec, actor=world.contact_quebec)
    assert refused.value.messages == [str(services.IN_PROGRESS_EXISTS)]


def test_needs_are_saved_with_exact_amounts(world, assessment):
    theme = ExpertiseTheme.objects.get(code="cybersecurity")
    services.needs_save(
        assessment=assessment,
        themes=[theme],
        financing=[
            {"category": "equipment", "description": "Six portables", "estimated_amount": D("7200.50")},
            {"category": "coaching", "hours": D("12.25")},
        ],
        priorities="Sécuriser le courriel",
        constraints="Peu de temps",
        actor=world.contact_quebec,
    )
    assert list(assessment.expertise_themes.all()) == [theme]
    amounts = list(assessment.financing_needs.values_list("category", "estimated_amount", "hours"))
    assert amounts == [("equipment", D("7200.50"), None), ("coaching", None, D("12.25"))]


def test_the_plan_follows_the_rules_weakest_scores_first_and_needs(world, assessment):
    services.rules_load_defaults(program=world.program, actor=world.manager)
    financing = ExpertiseTheme.objects.get(code="digital-financing")
    services.needs_save(
        assessment=assessment,
        themes=[financing],
        financing=[],
        priorities="",
        constraints="",
        actor=world.contact_quebec,
    )
    answer_all(
        assessment, world.contact_quebec, {"plan": "non", "direction": "1", "mesures": ["mfa"], "responsable": "non"}
    )
    services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    # Strategy (0 × 2 + 20) / 3 = 6.7 < 50; data (50 + 0) / 4 = 12.5 < 60; the financing need.
    plan = list(Recommendation.objects.filter(assessment=assessment).select_related("rule"))
    assert [(item.dimension, item.score) for item in plan] == [
        ("data_security", D("12.5")),  # priority 5
        ("digital_strategy", D("6.7")),  # priority 10
        ("", None),  # the need, priority 15
    ]
    assert plan[2].theme == financing


def test_the_gain_counts_the_services_received_since_the_first_assessment(world, assessment):
    answer_all(assessment, world.contact_quebec, {"plan": "non", "direction": "1", "mesures": [], "responsable": "non"})
    # A multiple choice answered with nothing is unanswered: choose the option worth the least.
    answer_all(assessment, world.contact_quebec, {"mesures": ["politique"]})
    first = services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    event = EventFactory(program=world.program, starts_at=timezone.now() + datetime.timedelta(days=1))
    RegistrationFactory(event=event, organization=world.org_quebec, attended=True)
    earlier = EventFactory(program=world.program, starts_at=first.submitted_at - datetime.timedelta(days=3))
    RegistrationFactory(event=earlier, organization=world.org_quebec, attended=True)
    second = services.assessment_start(program=world.program, organization=world.org_quebec, actor=world.contact_quebec)
    answer_all(second, world.contact_quebec, FULL_ANSWERS)
    second = services.assessment_submit(assessment=second, actor=world.contact_quebec)
    assert (second.events_attended, second.paths_completed) == (1, 0)
    assert second.gain == second.overall_score - first.overall_score
    first.refresh_from_db()
    assert not first.is_latest and second.is_latest
    gain = selectors.program_gain(world.program)
    assert gain["count"] == 1 and gain["average"] == second.gain
    assert [row[3] for row in gain["by_events"]] == [0, 1, 0]


def _peer(world, kind, score_answers, region=None):
    organization = OrganizationFactory(kind=kind, municipality=world.quebec if region is None else region)
    ParticipationFactory(program=world.program, organization=organization)
    assessment = services.assessment_start(program=world.program, organization=organization, actor=world.manager)
    answer_all(assessment, world.manager, score_answers)
    return services.assessment_submit(assessment=assessment, actor=world.manager)


def test_peers_are_shown_only_from_ten_organizations_of_the_same_kind_and_region(world, assessment):
    answer_all(assessment, world.contact_quebec, FULL_ANSWERS)
    mine = services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    kind = world.org_quebec.kind
    for _number in range(9):
        _peer(world, kind, {"plan": "non", "direction": "0", "mesures": ["mfa"], "responsable": "oui"})
    # Not peers: another kind, another region.
    _peer(world, "sme" if kind != "sme" else "community", FULL_ANSWERS)
    _peer(world, kind, FULL_ANSWERS, region=world.montreal)
    results = selectors.results_of(mine)
    assert not results.peers_shown and all(row.peers is None for row in results.rows)
    assert results.peer_count == 9
    _peer(world, kind, {"plan": "non", "direction": "0", "mesures": ["mfa"], "responsable": "oui"})
    results = selectors.results_of(mine)
    # Each peer: strategy 0, data (50 + 300) / 4 = 87.5, overall 43.75 → 43.8.
    assert results.peers_shown and results.peer_count == 10
    assert {row.code: row.peers for row in results.rows} == {"digital_strategy": D("0.0"), "data_security": D("87.5")}
    assert results.peer_overall == D("43.8")


def test_a_question_added_to_a_draft_gets_the_fixed_options_of_its_type(world, questionnaire):
    draft = services.version_create_draft(questionnaire=questionnaire, actor=world.manager)
    dimension = draft.dimensions.get(code="data_security")
    question = services.question_create(
        dimension=dimension,
        data={"kind": "yes_partial_no", "text_fr": "Testez-vous vos sauvegardes?", "weight": D("1")},
        actor=world.manager,
    )
    assert list(question.options.values_list("code", "score")) == [
        ("oui", D("100.00")),
        ("partiellement", D("50.00")),
        ("non", D("0.00")),
    ]
    services.question_delete(question=question, actor=world.manager)
    assert not Question.objects.filter(pk=question.pk).exists()
    assert Option.objects.filter(question__dimension__version=questionnaire.versions.get(number=1)).count() == 15


def test_submitting_twice_at_once_is_refused(world, assessment):
    answer_all(assessment, world.contact_quebec, FULL_ANSWERS)
    services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    with pytest.raises(ValidationError):
        services.assessment_submit(assessment=Assessment.objects.get(pk=assessment.pk), actor=world.contact_quebec)
