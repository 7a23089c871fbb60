"""Learning through the API: enrollment, the progress grid, attestations and the public verification."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from virage.learning.forms import PERSON_NOT_FOUND
from virage.learning.models import Attestation, Enrollment, Module
from virage.learning.services import LIVE_MODULE_BY_ATTENDANCE
from virage.learning.tests.factories import CohortFactory, EnrollmentFactory, ModuleFactory, PathFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(world):
    path = PathFactory(program=world.program)
    ModuleFactory(path=path, position=1, expected_hours=Decimal("3"))
    ModuleFactory(path=path, position=2, format=Module.Format.LIVE_SESSION)
    return CohortFactory(path=path, region=world.region_montreal, capacity=1)


def test_staff_enroll_by_email_and_the_full_cohort_waitlists(client_for, world, cohort):
    client = client_for(world.manager)
    url = reverse("api:enrollment-list", args=[cohort.pk])
    response = client.post(url, {"email": world.person_montreal.email}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "enrolled"
    other = client.post(url, {"email": world.person_quebec.email}, format="json")
    assert other.json()["status"] == "waitlisted"
    unknown = client.post(url, {"email": "personne@nulle-part.qc.ca"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["email"] == [str(PERSON_NOT_FOUND)]
    cancel = client.post(reverse("api:enrollment-cancel", args=[cohort.pk, response.json()["id"]]))
    assert cancel.json()["status"] == "cancelled"
    assert Enrollment.objects.get(pk=other.json()["id"]).status == "enrolled"


def test_the_progress_grid_is_read_and_updated_with_the_services_rules(client_for, world, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, person=world.person_montreal)
    first, live = cohort.path.modules.order_by("position")
    client = client_for(world.manager)
    url = reverse("api:cohort-progress", args=[cohort.pk])
    row = client.get(url).json()[0]
    assert row["enrollment"] == enrollment.pk and not row["is_complete"]
    assert [cell["status"] for cell in row["modules"]] == ["not_started", "not_started"]
    refused = client.post(url, {"enrollment": enrollment.pk, "module": live.pk, "status": "completed"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["non_field_errors"] == [str(LIVE_MODULE_BY_ATTENDANCE)]
    done = client.post(url, {"enrollment": enrollment.pk, "module": first.pk, "status": "completed"}, format="json")
    assert done.status_code == 200 and done.json()["hours"] == "3.00"


def test_the_grid_runs_the_same_queries_for_one_and_for_thirty_learners(client_for, world, cohort):
    client = client_for(world.manager)
    url = reverse("api:cohort-progress", args=[cohort.pk])
    EnrollmentFactory(cohort=cohort)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _number in range(29):
        EnrollmentFactory(cohort=cohort)
    with CaptureQueriesContext(connection) as thirty:
        client.get(url)
    assert len(thirty) == len(one)


def test_revoke_and_verify_through_the_api(client_for, world, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, person=world.person_montreal)
    attestation = Attestation.objects.create(
        enrollment=enrollment,
        learner_name="Amélie Bouchard",
        path_title_fr="Parcours",
        hours=Decimal("3"),
        completed_on=enrollment.enrolled_on,
        issuer="DATAide",
    )
    anonymous = client_for(None)
    verify = reverse("api:attestation-verify", args=[attestation.display_code])
    answer = anonymous.get(verify).json()
    assert answer["status"] == "valid" and answer["learner_name"] == "Amélie Bouchard"
    assert set(answer) == {"code", "status", "learner_name", "path_title_fr", "path_title_en", "completed_on", "issuer"}
    client = client_for(world.manager)
    revoke = reverse("api:attestation-revoke", args=[attestation.pk])
    assert client.post(revoke, {}, format="json").status_code == 400
    assert client.post(revoke, {"reason": "Erreur"}, format="json").json()["is_valid"] is False
    assert anonymous.get(verify).json()["status"] == "revoked"
    assert anonymous.get(reverse("api:attestation-verify", args=["nope"])).status_code == 404
