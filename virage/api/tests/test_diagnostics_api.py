"""The diagnostic through the API: start, answer, submit, then read scores and the action plan."""

import pytest
from django.urls import reverse

from virage.diagnostics import services
from virage.diagnostics.models import Assessment
from virage.diagnostics.tests.factories import load_small_questionnaire, option, questions_by_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire(world):
    load_small_questionnaire(world.program, world.manager)
    services.rules_load_defaults(program=world.program, actor=world.manager)


def test_a_contact_takes_the_whole_assessment_through_the_api(world, client_for, questionnaire):
    client = client_for(world.contact_quebec)

    created = client.post(
        reverse("api:assessment-list"),
        {"program": world.program.slug, "organization": world.org_quebec.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    assessment = Assessment.objects.get(pk=created.json()["id"])
    questions = questions_by_code(assessment)
    answers_url = reverse("api:assessment-answers", args=[assessment.pk])
    saved = client.post(
        answers_url,
        {
            "answers": [
                {"question": questions["plan"].pk, "options": [option(questions["plan"], "oui")]},
                {"question": questions["direction"].pk, "is_not_applicable": True},
                {
                    "question": questions["mesures"].pk,
                    "options": [option(questions["mesures"], "mfa"), option(questions["mesures"], "sauvegarde")],
                },
                {
                    "question": questions["responsable"].pk,
                    "options": [option(questions["responsable"], "partiellement")],
                },
            ]
        },
        format="json",
    )
    assert saved.status_code == 200, saved.content
    assert len(saved.json()) == 4

    submitted = client.post(reverse("api:assessment-submit", args=[assessment.pk]))
    assert submitted.status_code == 200, submitted.content

    scores = client.get(reverse("api:assessment-scores", args=[assessment.pk])).json()
    # Strategy 100 (the scale is not applicable), data (90 + 150) / 4 = 60, as on the results page.
    assert [float(row["score"]) for row in scores] == [100.0, 60.0]
    plan = client.get(reverse("api:assessment-recommendations", args=[assessment.pk]))
    assert plan.status_code == 200
    # Locked once submitted: answers are refused with a message, not changed.
    again = client.post(
        answers_url,
        {"answers": [{"question": questions["plan"].pk, "options": [option(questions["plan"], "non")]}]},
        format="json",
    )
    assert again.status_code in (400, 403)
    assert client.get(answers_url).json()[0]["options"] == [option(questions["plan"], "oui")]


def test_another_organization_cannot_start_or_read_it(world, client_for, questionnaire):
    assessment = services.assessment_start(
        program=world.program, organization=world.org_quebec, actor=world.contact_quebec
    )
    stranger = client_for(world.outsider)

    assert stranger.get(reverse("api:assessment-detail", args=[assessment.pk])).status_code == 404
    refused = stranger.post(
        reverse("api:assessment-list"),
        {"program": world.program.slug, "organization": world.org_quebec.pk},
        format="json",
    )
    assert refused.status_code == 400
