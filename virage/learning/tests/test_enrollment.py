"""Enrollment: seats under a lock, the waiting list, private cohorts, cancellation."""

from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from virage.core.tests.factories import OrganizationFactory, PersonFactory
from virage.events.models import Registration
from virage.learning import services
from virage.learning.models import Cohort, Enrollment, Module

from .factories import CohortFactory, ModuleFactory
from .test_completion_rules import schedule

pytestmark = pytest.mark.django_db


@contextmanager
def refused(message):
    """The block raises a ValidationError that carries ``message`` (in the active language)."""
    with pytest.raises(ValidationError) as error:
        yield
    assert str(message) in error.value.messages


def enroll(cohort, person=None, **extra):
    return services.enrollment_create(cohort=cohort, person=person or PersonFactory(), actor=None, **extra)


def test_an_enrollment_copies_what_the_indicators_need():
    cohort = CohortFactory()
    person = PersonFactory()
    enrollment = enroll(cohort, person)
    assert enrollment.organization == person.organization
    assert enrollment.program == cohort.program
    assert enrollment.path_kind == cohort.path.kind
    assert enrollment.region == person.organization.region


def test_a_full_cohort_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    django_capture_on_commit_callbacks,
):
    cohort = CohortFactory(capacity=1)
    first = enroll(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = enroll(cohort)
    assert waiting.status == Enrollment.Status.WAITLISTED
    assert "Waiting list" in mail.outbox[-1].subject or "Liste d’attente" in mail.outbox[-1].subject
    later = enroll(cohort)
    assert services.enrollment_cancel(enrollment=first, actor=None) == [waiting]
    later.refresh_from_db()
    assert later.status == Enrollment.Status.WAITLISTED


def test_a_larger_capacity_moves_the_waiting_list_up():
    cohort = CohortFactory(capacity=1)
    enroll(cohort)
    waiting = enroll(cohort)
    services.cohort_update(cohort=cohort, data={"capacity": 2}, actor=None)
    waiting.refresh_from_db()
    assert waiting.status == Enrollment.Status.ENROLLED


def test_nobody_is_enrolled_twice_in_a_cohort_but_may_come_back_after_cancelling():
    cohort = CohortFactory()
    person = PersonFactory()
    enrollment = enroll(cohort, person)
    with refused(services.ALREADY_ENROLLED):
        enroll(cohort, person)
    services.enrollment_cancel(enrollment=enrollment, actor=None)
    assert enroll(cohort, person).status == Enrollment.Status.ENROLLED


def test_a_private_cohort_takes_only_its_organizations_people():
    partner = OrganizationFactory(legal_name="Partenaire industriel")
    cohort = CohortFactory(client_organization=partner)
    with refused(services.PRIVATE_COHORT):
        enroll(cohort)
    assert enroll(cohort, PersonFactory(organization=partner)).status == Enrollment.Status.ENROLLED


def test_self_service_needs_an_open_cohort_and_staff_do_not():
    cohort = CohortFactory(status=Cohort.Status.DRAFT)
    with refused(services.COHORT_NOT_OPEN):
        enroll(cohort, source=Enrollment.Source.SELF_SERVICE)
    assert enroll(cohort).status == Enrollment.Status.ENROLLED
    cohort.status = Cohort.Status.CANCELLED
    cohort.save()
    with refused(services.COHORT_CANCELLED):
        enroll(cohort)


def test_cancelling_cancels_the_registrations_to_sessions_to_come():
    module = ModuleFactory(format=Module.Format.LIVE_SESSION)
    cohort = CohortFactory(path=module.path)
    enrollment = enroll(cohort)
    past = schedule(cohort, module, days_ago=2)
    future = schedule(cohort, module, days_ago=-5)
    services.enrollment_cancel(enrollment=enrollment, actor=None)
    assert Registration.objects.get(event=future.event).status == Registration.Status.CANCELLED
    assert Registration.objects.get(event=past.event).status == Registration.Status.CONFIRMED
    with refused(services.NOT_ACTIVE):
        services.enrollment_cancel(enrollment=enrollment, actor=None)
