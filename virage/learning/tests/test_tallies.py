"""The indicator tallies kept by the services are exactly what a rebuild from the enrollments gives."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from virage.core.tests.factories import OrganizationFactory, PersonFactory, ProgramFactory
from virage.events.models import Registration
from virage.events.services import attendance_mark
from virage.learning import services
from virage.learning.models import Attestation, LearningMilestone, LearningPath, LearningTally, Module
from virage.learning.tallies import tallies_rebuild

from .factories import CohortFactory, ModuleFactory, PathFactory

pytestmark = pytest.mark.django_db


def snapshot(program) -> dict:
    rows = (
        LearningTally.objects.filter(program=program)
        .values("indicator", "region_id", "day")
        .annotate(total=Sum("value"))
        .order_by()
    )
    figures = {(row["indicator"], row["region_id"], row["day"]): row["total"] for row in rows if row["total"]}
    milestones = set(
        LearningMilestone.objects.filter(program=program).values_list(
            "indicator", "subject_id", "region_id", "reached_on"
        )
    )
    return {"tallies": figures, "milestones": milestones}


def test_every_service_keeps_the_tallies_as_a_rebuild_would(world):
    program = ProgramFactory()
    manager = world.manager
    training = PathFactory(program=program, kind=LearningPath.Kind.TRAINING)
    reading = ModuleFactory(path=training, expected_hours=Decimal("2.5"))
    live = ModuleFactory(path=training, format=Module.Format.LIVE_SESSION, expected_hours=Decimal("3"))
    leadership = PathFactory(program=program, kind=LearningPath.Kind.LEADERSHIP)
    ModuleFactory(path=leadership)
    cohort = CohortFactory(path=training, capacity=3)
    organization = OrganizationFactory(municipality=world.montreal)
    people = [PersonFactory(organization=organization) for _number in range(3)] + [
        PersonFactory(organization=world.org_quebec)
    ]
    enrollments = [services.enrollment_create(cohort=cohort, person=person, actor=manager) for person in people]
    starts_at = timezone.now() - datetime.timedelta(days=1)
    session = services.cohort_session_create(
        cohort=cohort,
        module=live,
        event_data={
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "online_url": "https://zoom.example/j/5",
        },
        actor=manager,
    )
    for enrollment in enrollments[:2]:
        services.progress_update(enrollment=enrollment, module=reading, status="completed", actor=manager)
    for registration in Registration.objects.filter(event=session.event):
        attendance_mark(registration=registration, attended=True, actor=manager)
    services.attestations_issue_for_cohort(cohort=cohort, actor=manager)
    # Revoke one, cancel another (the waiting learner moves up), withdraw a module, lead a cohort.
    services.attestation_revoke(attestation=Attestation.objects.first(), reason="Doublon", actor=manager)
    services.enrollment_cancel(enrollment=enrollments[1], actor=manager)
    services.progress_update(enrollment=enrollments[2], module=reading, status="completed", actor=manager)
    services.progress_update(enrollment=enrollments[2], module=reading, status="in_progress", actor=manager)
    leaders = CohortFactory(path=leadership)
    services.enrollment_create(cohort=leaders, person=people[0], actor=manager)
    kept = snapshot(program)
    assert kept["tallies"]  # the scenario produced figures
    tallies_rebuild(program.pk)
    assert snapshot(program) == kept


def test_a_revocation_moves_the_organization_to_its_next_completion(world):
    program = ProgramFactory()
    path = PathFactory(program=program, kind=LearningPath.Kind.TRAINING)
    module = ModuleFactory(path=path)
    organization = OrganizationFactory(municipality=world.montreal)
    first = services.enrollment_create(
        cohort=CohortFactory(path=path), person=PersonFactory(organization=organization), actor=None
    )
    second = services.enrollment_create(
        cohort=CohortFactory(path=path), person=PersonFactory(organization=organization), actor=None
    )
    services.progress_update(enrollment=first, module=module, status="completed", actor=world.manager)
    services.progress_update(enrollment=second, module=module, status="completed", actor=world.manager)
    trained = LearningTally.objects.filter(program=program, indicator="organizations_trained")
    assert trained.aggregate(total=Sum("value"))["total"] == 1
    services.attestation_revoke(attestation=first.attestation, reason="Erreur", actor=world.manager)
    assert trained.aggregate(total=Sum("value"))["total"] == 1
    services.attestation_revoke(attestation=second.attestation, reason="Erreur", actor=world.manager)
    assert trained.aggregate(total=Sum("value"))["total"] == 0
