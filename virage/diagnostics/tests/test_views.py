"""Diagnostics through HTTP: answering with autosave, leaving and resuming, submitting, results,
PDF, staff list and CSV export; query counts pinned."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from virage.core.tests.factories import OrganizationFactory, ParticipationFactory
from virage.diagnostics import services
from virage.diagnostics.exports import pseudonym

from .factories import FULL_ANSWERS, answer_all, load_small_questionnaire, option, questions_by_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(world):
    load_small_questionnaire(world.program, world.manager)
    services.rules_load_defaults(program=world.program, actor=world.manager)
    return services.assessment_start(program=world.program, organization=world.org_quebec, actor=world.contact_quebec)


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_a_contact_answers_with_autosave_leaves_resumes_and_submits(client, world, assessment):
    client.force_login(world.contact_quebec)
    questions = questions_by_code(assessment)
    plan = questions["plan"]
    autosave = reverse("diagnostics:autosave", args=[assessment.pk])
    response = client.post(
        autosave, {"question": plan.pk, f"question_{plan.pk}": option(plan, "oui")}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="assessment-progress" class="mb-3" hx-swap-oob="true"' in response.content.decode()
    # Leaving and coming back: the answer is checked, the progress kept.
    page = client.get(reverse("diagnostics:take", args=[assessment.pk])).content.decode()
    assert f'value="{option(plan, "oui")}" checked' in page
    assert 'aria-valuenow="25"' in page
    # The second dimension, sent as a page without JavaScript, goes on to the needs.
    mesures, responsable = questions["mesures"], questions["responsable"]
    response = client.post(
        reverse("diagnostics:take", args=[assessment.pk]) + "?dimension=2",
        {
            "dimension": 2,
            f"question_{mesures.pk}": [option(mesures, "mfa"), option(mesures, "sauvegarde")],
            f"question_{mesures.pk}-present": "1",
            f"question_{responsable.pk}": option(responsable, "partiellement"),
            f"question_{responsable.pk}-present": "1",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/besoins/")
    # Submitting with a question unanswered sends back to the review with the reason.
    response = client.post(reverse("diagnostics:submit", args=[assessment.pk]), follow=True)
    assert "Stratégie numérique (1)" in response.content.decode()
    direction = questions["direction"]
    client.post(autosave, {"question": direction.pk, f"question_{direction.pk}": "na"})
    response = client.post(reverse("diagnostics:submit", args=[assessment.pk]), follow=True)
    html = response.content.decode()
    assessment.refresh_from_db()
    assert assessment.is_submitted and assessment.assisted_by is None
    # Strategy 100 (the scale is not applicable), data (90 + 150) / 4 = 60: overall 80.0.
    assert "<strong>80,0/100</strong>" in html
    assert 'role="img"' in html and "Scores par dimension (0 à 100)" in html
    # Locked: the questionnaire sends to the results, autosave is refused.
    assert client.get(reverse("diagnostics:take", args=[assessment.pk])).status_code == 302
    assert client.post(autosave, {"question": plan.pk, f"question_{plan.pk}": option(plan, "non")}).status_code == 404


def test_a_bad_value_in_autosave_says_why_and_saves_nothing(client, world, assessment):
    client.force_login(world.contact_quebec)
    plan = questions_by_code(assessment)["plan"]
    response = client.post(
        reverse("diagnostics:autosave", args=[assessment.pk]), {"question": plan.pk, f"question_{plan.pk}": "abc"}
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not assessment.answers.exists()


def test_a_coach_filling_it_in_is_shown_as_assisted(client, world, assessment):
    client.force_login(world.coach)
    plan = questions_by_code(assessment)["plan"]
    client.post(
        reverse("diagnostics:autosave", args=[assessment.pk]),
        {"question": plan.pk, f"question_{plan.pk}": option(plan, "oui")},
    )
    assessment.refresh_from_db()
    assert assessment.assisted_by == world.coach


def test_results_and_the_pdf_show_the_same_numbers(client, world, assessment):
    answer_all(assessment, world.contact_quebec, FULL_ANSWERS)
    services.assessment_submit(assessment=assessment, actor=world.contact_quebec)
    client.force_login(world.contact_quebec)
    html = client.get(reverse("diagnostics:results", args=[assessment.pk])).content.decode()
    assert "86,7" in html and "60,0" in html and "73,4" in html
    response = client.get(reverse("diagnostics:plan_pdf", args=[assessment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "86,7" in text and "73,4" in text and "Plan d’action" in text


def _submitted_assessment(world, organization=None):
    if organization is None:
        organization = OrganizationFactory(municipality=world.quebec, kind=world.org_quebec.kind)
        ParticipationFactory(program=world.program, organization=organization)
    assessment = services.assessment_start(program=world.program, organization=organization, actor=world.manager)
    answer_all(assessment, world.manager, FULL_ANSWERS)
    return services.assessment_submit(assessment=assessment, actor=world.manager)


def test_the_results_page_runs_the_same_queries_with_or_without_peers_and_a_first_assessment(client, world):
    load_small_questionnaire(world.program, world.manager)
    services.rules_load_defaults(program=world.program, actor=world.manager)
    first = _submitted_assessment(world, world.org_quebec)
    client.force_login(world.manager)
    alone = queries(client, reverse("diagnostics:results", args=[first.pk]))
    for _number in range(12):
        _submitted_assessment(world)
    second = services.assessment_start(program=world.program, organization=world.org_quebec, actor=world.manager)
    answer_all(second, world.manager, FULL_ANSWERS)
    services.assessment_submit(assessment=second, actor=world.manager)
    url = reverse("diagnostics:results", args=[second.pk])
    assert "Pairs (moyenne)" in client.get(url).content.decode()
    with_all = queries(client, url)
    assert with_all == alone + 2  # The first assessment and its scores.
    assert with_all <= 24


def test_the_staff_list_runs_the_same_queries_for_one_row_and_for_thirty(client, world):
    load_small_questionnaire(world.program, world.manager)
    _submitted_assessment(world)
    client.force_login(world.manager)
    url = reverse("diagnostics:list")
    one = queries(client, url)
    for _number in range(29):
        _submitted_assessment(world)
    assert queries(client, url) == one
    html = client.get(url, {"kind": world.org_quebec.kind, "score_min": "70", "sort": "-score"}).content.decode()
    assert "30 diagnostics" in html


def test_the_export_is_named_for_staff_and_anonymized_for_research(client, world):
    load_small_questionnaire(world.program, world.manager)
    assessment = _submitted_assessment(world, world.org_quebec)
    client.force_login(world.manager)
    named = b"".join(client.get(reverse("diagnostics:export", args=[world.program.slug])).streaming_content)
    rows = list(csv.reader(io.StringIO(named.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4
    assert rows[1][1] == world.org_quebec.display_name
    anonymous = b"".join(
        client.get(reverse("diagnostics:export", args=[world.program.slug]), {"anonymized": "1"}).streaming_content
    ).decode("utf-8-sig")
    assert world.org_quebec.display_name not in anonymous
    assert pseudonym(world.org_quebec.pk) in anonymous
    assert assessment.submitted_on.isoformat() not in anonymous


def test_the_maturity_page_hides_small_counts_from_funders(client, world):
    load_small_questionnaire(world.program, world.manager)
    _submitted_assessment(world, world.org_quebec)
    client.force_login(world.funder)
    html = client.get(reverse("indicators:maturity", args=[world.program.slug])).content.decode()
    assert "&lt; 5" in html
    client.force_login(world.manager)
    html = client.get(reverse("indicators:maturity", args=[world.program.slug])).content.decode()
    assert "&lt; 5" not in html


def test_editing_a_published_question_in_the_ui_is_refused_with_the_reason(client, world):
    questionnaire = load_small_questionnaire(world.program, world.manager)
    question = questionnaire.versions.get().dimensions.first().questions.first()
    client.force_login(world.manager)
    response = client.post(
        reverse("diagnostics:question_edit", args=[question.pk]), {"text_fr": "Autre", "weight": "3"}
    )
    assert response.status_code == 200
    assert str(services.VERSION_FROZEN % {"number": 1}) in response.content.decode()
    question.refresh_from_db()
    assert question.text_fr != "Autre"


def test_a_manager_makes_a_draft_edits_a_question_and_publishes(client, world):
    questionnaire = load_small_questionnaire(world.program, world.manager)
    client.force_login(world.manager)
    client.post(reverse("diagnostics:questionnaires", args=[world.program.slug]), {"questionnaire": questionnaire.pk})
    draft = questionnaire.versions.get(status="draft")
    question = draft.dimensions.first().questions.get(code="plan")
    response = client.post(
        reverse("diagnostics:question_edit", args=[question.pk]),
        {
            "text_fr": "Avez-vous un plan numérique écrit?",
            "kind": "single_choice",
            "weight": "3",
            "options-TOTAL_FORMS": "2",
            "options-INITIAL_FORMS": "0",
            "options-0-label_fr": "Non",
            "options-0-score": "0",
            "options-1-label_fr": "Oui",
            "options-1-score": "100",
        },
    )
    assert response.status_code == 302
    client.post(reverse("diagnostics:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "published"


def test_a_manager_gives_the_program_a_shipped_questionnaire_once(client, world):
    from virage.diagnostics.models import Questionnaire, QuestionnaireVersion

    client.force_login(world.manager)
    url = reverse("diagnostics:questionnaires", args=[world.program.slug])
    assert 'value="community"' in client.get(url).content.decode()

    for _attempt in range(2):
        assert client.post(url, {"builtin": "community"}).status_code == 302

    questionnaire = Questionnaire.objects.get(program=world.program)
    assert questionnaire.versions.get().status == QuestionnaireVersion.Status.PUBLISHED
    assert questionnaire.versions.get().dimensions.count() == 6
    # An unknown key is refused with a message, and nothing is added.
    client.post(url, {"builtin": "../../etc/passwd"})
    assert Questionnaire.objects.filter(program=world.program).count() == 1
    client.force_login(world.coach)
    assert client.post(url, {"builtin": "sme"}).status_code == 404
