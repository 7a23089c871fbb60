"""Learning pages through HTTP: the flows, the htmx grid, and pinned query counts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from virage.core.tests.factories import PersonFactory
from virage.events.models import Registration
from virage.learning.models import Attestation, Cohort, Enrollment, LearningPath, Module, ModuleProgress

from .factories import CohortFactory, CompetencyFactory, EnrollmentFactory, ModuleFactory, PathFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(world):
    path = PathFactory(program=world.program)
    for position in range(1, 4):
        ModuleFactory(path=path, position=position)
    ModuleFactory(path=path, position=4, format=Module.Format.LIVE_SESSION)
    return CohortFactory(path=path, region=world.region_montreal)


def grid_queries(client, cohort) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("learning:cohort_grid", args=[cohort.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_grid_runs_the_same_queries_for_one_learner_and_for_a_hundred(client, world, cohort):
    client.force_login(world.manager)
    EnrollmentFactory(cohort=cohort)
    one = grid_queries(client, cohort)
    for _number in range(99):
        enrollment = EnrollmentFactory(cohort=cohort)
        ModuleProgress.objects.create(
            enrollment=enrollment,
            module=cohort.path.modules.first(),
            status=ModuleProgress.Status.COMPLETED,
            completed_on=timezone.localdate(),
        )
    assert grid_queries(client, cohort) == one
    assert one <= 16


def test_the_grid_cell_is_saved_with_htmx_and_the_row_status_follows(client, world, cohort):
    client.force_login(world.manager)
    enrollment = EnrollmentFactory(cohort=cohort)
    module = cohort.path.modules.first()
    url = reverse("learning:progress_cell", args=[cohort.pk, enrollment.pk, module.pk])
    response = client.post(url, {"status": "completed"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="cell-{enrollment.pk}-{module.pk}"' in html
    assert '<option value="completed" selected>' in html
    assert f'id="completion-{enrollment.pk}" hx-swap-oob="true"' in html
    progress = ModuleProgress.objects.get(enrollment=enrollment, module=module)
    assert progress.evidence == ModuleProgress.Evidence.FACILITATOR and progress.validated_by == world.manager


def test_a_refused_cell_says_why_in_the_cell(client, world, cohort):
    client.force_login(world.manager)
    enrollment = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WAITLISTED)
    module = cohort.path.modules.first()
    url = reverse("learning:progress_cell", args=[cohort.pk, enrollment.pk, module.pk])
    response = client.post(url, {"status": "completed"}, HTTP_HX_REQUEST="true")
    assert 'role="alert"' in response.content.decode()
    assert not ModuleProgress.objects.exists()


def test_a_facilitator_updates_the_grid_of_their_cohort_only(client, world, cohort):
    cohort.facilitators.add(world.coach)
    client.force_login(world.coach)
    # Their learning page leads to the cohorts they facilitate.
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert reverse("learning:cohort_grid", args=[cohort.pk]) in page
    assert client.get(reverse("learning:cohort_grid", args=[cohort.pk])).status_code == 200
    other = CohortFactory(path=cohort.path, region=world.region_montreal)
    assert client.get(reverse("learning:cohort_grid", args=[other.pk])).status_code == 404


def test_staff_enroll_a_person_by_email_and_the_full_cohort_waitlists(client, world, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(capacity=1)
    client.force_login(world.manager)
    url = reverse("learning:enroll", args=[cohort.pk])
    response = client.post(url, {"email": world.person_montreal.email.upper()})
    assert response.status_code == 302
    other = PersonFactory(organization=world.org_quebec)
    client.post(url, {"email": other.email})
    statuses = dict(Enrollment.objects.values_list("person_id", "status"))
    assert statuses == {world.person_montreal.pk: "enrolled", other.pk: "waitlisted"}
    response = client.post(url, {"email": "inconnu@nulle-part.qc.ca"})
    assert response.status_code == 200 and "Aucune personne" in response.content.decode()


def test_a_session_is_scheduled_from_the_cohort_page_and_its_learners_registered(client, world, cohort):
    client.force_login(world.manager)
    EnrollmentFactory(cohort=cohort, person=world.person_montreal)
    live = cohort.path.modules.get(format=Module.Format.LIVE_SESSION)
    response = client.post(
        reverse("learning:session_create", args=[cohort.pk]),
        {
            "module": live.pk,
            "starts_at": "2026-12-01T13:30",
            "ends_at": "2026-12-01T15:30",
            "online_url": "https://zoom.example/j/42",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(person=world.person_montreal)
    assert registration.event.cohort_session.cohort == cohort


def test_a_learner_enrolls_declares_and_downloads_from_my_learning(client, world, django_capture_on_commit_callbacks):
    path = PathFactory(program=world.program, kind=LearningPath.Kind.AWARENESS)
    module = ModuleFactory(path=path, title_fr="Sensibilisation à l’IA", expected_hours=Decimal("1.5"))
    module.competencies.add(CompetencyFactory(program=world.program))
    cohort = CohortFactory(path=path, client_organization=world.org_quebec)
    client.force_login(world.contact_quebec)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert cohort.name in page
    client.post(reverse("learning:self_enroll", args=[cohort.pk]))
    enrollment = Enrollment.objects.get(person=world.person_quebec)
    assert enrollment.source == Enrollment.Source.SELF_SERVICE
    client.post(reverse("learning:self_declare", args=[enrollment.pk, module.pk]))
    assert "en attente de validation" in client.get(reverse("learning:my_learning")).content.decode()
    # The facilitator validates: the attestation is issued; the learner downloads it.
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("learning:progress_cell", args=[cohort.pk, enrollment.pk, module.pk]), {"status": "completed"}
        )
    attestation = Attestation.objects.get(enrollment=enrollment)
    client.force_login(world.contact_quebec)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert reverse("learning:attestation_pdf", args=[attestation.pk]) in page
    assert client.get(reverse("learning:attestation_pdf", args=[attestation.pk])).status_code == 200


def test_a_private_cohort_is_not_offered_to_other_organizations(client, world):
    cohort = CohortFactory(path=PathFactory(program=world.program), client_organization=world.org_montreal)
    client.force_login(world.contact_quebec)
    assert cohort.name not in client.get(reverse("learning:my_learning")).content.decode()
    assert client.post(reverse("learning:self_enroll", args=[cohort.pk])).status_code == 404


def test_revoking_from_the_page_needs_a_reason(client, world, cohort):
    enrollment = EnrollmentFactory(cohort=cohort)
    attestation = Attestation.objects.create(
        enrollment=enrollment,
        learner_name="A B",
        path_title_fr="P",
        hours=Decimal("1"),
        completed_on=timezone.localdate(),
        issuer="DATAide",
    )
    client.force_login(world.manager)
    url = reverse("learning:attestation_revoke", args=[attestation.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Doublon"}).status_code == 302
    attestation.refresh_from_db()
    assert attestation.revocation_reason == "Doublon"


def test_my_learning_runs_a_fixed_number_of_queries_per_enrollment(client, world):
    client.force_login(world.contact_quebec)
    url = reverse("learning:my_learning")
    EnrollmentFactory(cohort=CohortFactory(path=ModuleFactory().path), person=world.person_quebec)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    EnrollmentFactory(cohort=CohortFactory(path=ModuleFactory().path), person=world.person_quebec)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    # A learner has a handful of enrollments; each reads its rules and facts in a fixed number.
    assert 0 < len(two) - len(one) <= 6


def test_the_path_list_and_cohort_page_show_the_counts(client, world, cohort):
    EnrollmentFactory(cohort=cohort)
    client.force_login(world.manager)
    page = client.get(reverse("learning:list")).content.decode()
    assert cohort.name in page and cohort.path.title_fr in page
    assert client.get(reverse("learning:cohort_detail", args=[cohort.pk])).status_code == 200


def test_past_dates_do_not_break_phases_form(client, world, cohort):
    client.force_login(world.manager)
    response = client.post(
        reverse("learning:phase_create", args=[cohort.pk]),
        {
            "number": 1,
            "title_fr": "Phase 1",
            "starts_on": (cohort.starts_on - datetime.timedelta(days=3)).isoformat(),
            "ends_on": cohort.starts_on.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "dates de la cohorte" in response.content.decode()


@pytest.mark.parametrize("name", ["learning:cohort_detail", "learning:list"])
def test_cohort_page_and_list_run_the_same_queries_for_one_learner_and_for_thirty(client, world, cohort, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.manager)
    url = reverse(name, args=[cohort.pk]) if name == "learning:cohort_detail" else reverse(name)
    EnrollmentFactory(cohort=cohort)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(29):
        enrollment = EnrollmentFactory(cohort=cohort)
        if number % 3 == 0:
            Attestation.objects.create(
                enrollment=enrollment,
                learner_name="X",
                path_title_fr="P",
                hours=Decimal("1"),
                completed_on=timezone.localdate(),
                issuer="DATAide",
            )
        CohortFactory(path=cohort.path, region=world.region_montreal)
    with CaptureQueriesContext(connection) as thirty:
        client.get(url)
    assert len(thirty) == len(one)
