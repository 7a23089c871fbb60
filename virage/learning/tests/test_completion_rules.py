"""Completion rules, exhaustively at the service level: required and optional modules, live modules
and attendance thresholds, prerequisites, phases; issuing once; revoking."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from virage.accounts.models import Role
from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import MembershipFactory, PersonFactory, UserFactory
from virage.events import services as event_services
from virage.events.models import Event, Registration
from virage.events.tests.factories import EventFactory, RegistrationFactory
from virage.learning import completion, services
from virage.learning.models import Attestation, Enrollment, LearningPath, Module, ModuleProgress

from .factories import CohortFactory, CompetencyFactory, ModuleFactory, PathFactory

pytestmark = pytest.mark.django_db


@contextmanager
def refused(message):
    """The block raises a ValidationError that carries ``message`` (in the active language)."""
    with pytest.raises(ValidationError) as error:
        yield
    assert str(message) in error.value.messages


@pytest.fixture
def staff():
    return UserFactory(email="animation@virage.test")


def enroll(cohort, person=None, **extra):
    return services.enrollment_create(cohort=cohort, person=person or PersonFactory(), actor=None, **extra)


def complete(enrollment, module, actor):
    return services.progress_update(
        enrollment=enrollment, module=module, status=ModuleProgress.Status.COMPLETED, actor=actor
    )


def schedule(cohort, module, *, minutes=120, days_ago=1, **event):
    starts_at = timezone.now() - datetime.timedelta(days=days_ago)
    return services.cohort_session_create(
        cohort=cohort,
        module=module,
        event_data={
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(minutes=minutes),
            "online_url": "https://zoom.example/j/1",
            **event,
        },
        actor=None,
    )


def attend(session, enrollment, *, minutes=None, attended=True):
    registration = Registration.objects.get(event=session.event, person=enrollment.person)
    return event_services.attendance_mark(registration=registration, attended=attended, minutes=minutes, actor=None)


def status_of(enrollment):
    enrollment.refresh_from_db()
    cohort = enrollment.cohort
    rules = completion.load_rules(cohort)
    return completion.evaluate(rules, completion.load_facts(rules, [enrollment]), enrollment)


# Required and optional modules


def test_completing_every_required_module_issues_the_attestation_once(staff, django_capture_on_commit_callbacks):
    competency = CompetencyFactory()
    path = PathFactory(program=competency.program)
    first = ModuleFactory(path=path, expected_hours=Decimal("2.50"))
    first.competencies.add(competency)
    second = ModuleFactory(path=path, expected_hours=Decimal("1.25"))
    cohort = CohortFactory(path=path)
    enrollment = enroll(cohort)
    complete(enrollment, first, staff)
    assert not Attestation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        complete(enrollment, second, staff)
    attestation = Attestation.objects.get()
    assert attestation.enrollment == enrollment
    assert attestation.hours == Decimal("3.75")
    assert attestation.competencies == [{"fr": competency.name_fr, "en": competency.name_en}]
    enrollment.refresh_from_db()
    assert enrollment.completed_on == timezone.localdate()
    assert enrollment.hours_completed == Decimal("3.75")
    # The learner gets it by e-mail, with the PDF.
    sent = [message for message in mail.outbox if message.attachments]
    assert len(sent) == 1 and sent[0].to == [enrollment.person.email]
    assert sent[0].attachments[0][2] == "application/pdf"


def test_a_missing_required_module_blocks_completion_and_says_which():
    path = PathFactory()
    ModuleFactory(path=path, title_fr="Cybersécurité 101")
    enrollment = enroll(CohortFactory(path=path))
    result = status_of(enrollment)
    assert not result.is_complete
    assert result.missing == [str(completion.MODULE_MISSING) % {"module": "Cybersécurité 101"}]


def test_optional_modules_never_block_completion_but_add_their_hours(staff):
    path = PathFactory()
    required = ModuleFactory(path=path, expected_hours=Decimal("3"))
    optional = ModuleFactory(path=path, is_required=False, expected_hours=Decimal("1.5"))
    enrollment = enroll(CohortFactory(path=path))
    complete(enrollment, optional, staff)
    assert not status_of(enrollment).is_complete
    complete(enrollment, required, staff)
    assert Attestation.objects.get().hours == Decimal("4.50")


def test_an_uncompleted_module_withdraws_its_hours(staff):
    path = PathFactory()
    module = ModuleFactory(path=path, expected_hours=Decimal("2"))
    ModuleFactory(path=path)
    enrollment = enroll(CohortFactory(path=path))
    complete(enrollment, module, staff)
    enrollment.refresh_from_db()
    assert enrollment.hours_completed == Decimal("2")
    services.progress_update(
        enrollment=enrollment, module=module, status=ModuleProgress.Status.IN_PROGRESS, actor=staff
    )
    enrollment.refresh_from_db()
    assert enrollment.hours_completed == Decimal("0")
    assert enrollment.last_progress_on is None


def test_a_waitlisted_learner_cannot_progress(staff):
    path = PathFactory()
    module = ModuleFactory(path=path)
    cohort = CohortFactory(path=path, capacity=1)
    enroll(cohort)
    waiting = enroll(cohort)
    assert waiting.status == Enrollment.Status.WAITLISTED
    with refused(services.ENROLLMENT_NOT_ACTIVE):
        complete(waiting, module, staff)


def test_a_module_of_another_path_is_refused(staff):
    enrollment = enroll(CohortFactory(path=ModuleFactory().path))
    with refused(services.MODULE_NOT_IN_PATH):
        complete(enrollment, ModuleFactory(), staff)


# Self-declaration


def test_a_self_declaration_counts_only_once_the_facilitator_validates_it(staff):
    module = ModuleFactory()
    enrollment = enroll(CohortFactory(path=module.path))
    progress = services.progress_declare(enrollment=enrollment, module=module, actor=None)
    assert progress.status == ModuleProgress.Status.IN_PROGRESS and progress.declared_at
    assert not Attestation.objects.exists()
    progress = complete(enrollment, module, staff)
    assert progress.evidence == ModuleProgress.Evidence.SELF_DECLARATION
    assert progress.validated_by == staff
    assert Attestation.objects.filter(enrollment=enrollment).exists()


def test_a_facilitator_validation_without_declaration_is_recorded_as_such(staff):
    module = ModuleFactory()
    enrollment = enroll(CohortFactory(path=module.path))
    assert complete(enrollment, module, staff).evidence == ModuleProgress.Evidence.FACILITATOR


def test_live_modules_cannot_be_declared_nor_validated_by_hand(staff):
    module = ModuleFactory(format=Module.Format.LIVE_SESSION)
    enrollment = enroll(CohortFactory(path=module.path))
    with refused(services.DECLARE_ONLY_SELF_PACED):
        services.progress_declare(enrollment=enrollment, module=module, actor=None)
    with refused(services.LIVE_MODULE_BY_ATTENDANCE):
        complete(enrollment, module, staff)


# Live modules and attendance thresholds


@pytest.fixture
def live():
    path = PathFactory()
    module = ModuleFactory(path=path, format=Module.Format.LIVE_SESSION, expected_hours=Decimal("2"))
    cohort = CohortFactory(path=path)
    enrollment = enroll(cohort)
    session = schedule(cohort, module, minutes=120)
    return cohort, module, enrollment, session


def test_a_session_registers_every_enrolled_learner_and_stays_off_the_public_calendar(live):
    cohort, _module, enrollment, session = live
    assert session.event.status == Event.Status.DRAFT
    assert session.event.kind == Event.Kind.TRAINING_SESSION
    registration = Registration.objects.get(event=session.event)
    assert registration.person == enrollment.person
    assert registration.status == Registration.Status.CONFIRMED
    # Enrolled later: registered too.
    later = enroll(cohort)
    assert Registration.objects.filter(event=session.event, person=later.person).exists()


def test_attendance_above_the_threshold_completes_a_live_module(live):
    cohort, _module, enrollment, session = live
    attend(session, enrollment, minutes=60)  # 50 % of 120 minutes
    services.progress_sync_attendance(cohort=cohort, actor=None)
    progress = ModuleProgress.objects.get(enrollment=enrollment)
    assert progress.status == ModuleProgress.Status.COMPLETED
    assert progress.evidence == ModuleProgress.Evidence.ATTENDANCE
    assert Attestation.objects.filter(enrollment=enrollment).exists()


def test_attendance_below_the_threshold_does_not_complete_it(live):
    cohort, module, enrollment, session = live
    attend(session, enrollment, minutes=59)
    services.progress_sync_attendance(cohort=cohort, actor=None)
    assert not status_of(enrollment).is_complete
    assert status_of(enrollment).missing == [str(completion.LIVE_MODULE_NOT_ATTENDED) % {"module": module.title}]


def test_a_threshold_in_minutes_is_the_events_own(live):
    cohort, _module, enrollment, session = live
    Event.objects.filter(pk=session.event_id).update(attendance_threshold_minutes=100)
    attend(session, enrollment, minutes=90)
    assert not status_of(enrollment).is_complete
    attend(session, enrollment, minutes=100)
    assert status_of(enrollment).is_complete


def test_a_roll_call_without_minutes_counts_as_attended(live):
    _cohort, _module, enrollment, session = live
    attend(session, enrollment)
    assert status_of(enrollment).is_complete


def test_marked_absent_means_not_attended(live):
    _cohort, _module, enrollment, session = live
    attend(session, enrollment, attended=False, minutes=120)
    assert not status_of(enrollment).is_complete


def test_attendance_withdrawn_later_withdraws_the_module_until_the_attestation(live):
    cohort, _module, enrollment, session = live
    other = enroll(cohort)
    attend(session, other, minutes=120)
    services.progress_sync_attendance(cohort=cohort, actor=None)
    attend(session, other, attended=False)
    services.progress_sync_attendance(cohort=cohort, actor=None)
    progress = ModuleProgress.objects.get(enrollment=other)
    assert progress.status == ModuleProgress.Status.NOT_STARTED
    # The attestation, once issued, stays issued, and so does the completion it certifies:
    # revoking is a decision, with a reason.
    assert Attestation.objects.filter(enrollment=other).exists()
    other.refresh_from_db()
    assert other.completed_on is not None


def test_attendance_of_an_event_outside_the_cohort_does_not_count(live):
    _cohort, _module, enrollment, _session = live
    other_event = EventFactory(program=enrollment.program)
    RegistrationFactory(event=other_event, person=enrollment.person, attended=True, email=enrollment.person.email)
    assert not status_of(enrollment).is_complete


def test_a_live_module_without_a_session_cannot_be_completed():
    module = ModuleFactory(format=Module.Format.WORKSHOP)
    enrollment = enroll(CohortFactory(path=module.path))
    assert not status_of(enrollment).is_complete


def test_sessions_are_for_live_modules_of_the_path_only():
    module = ModuleFactory()
    cohort = CohortFactory(path=module.path)
    with refused(services.SESSION_MODULE_NOT_LIVE):
        schedule(cohort, module)
    with refused(services.MODULE_NOT_IN_PATH):
        schedule(cohort, ModuleFactory(format=Module.Format.LIVE_SESSION))


# Prerequisites


def test_an_attended_information_session_is_a_prerequisite_of_the_leadership_track(staff):
    path = PathFactory(kind=LearningPath.Kind.LEADERSHIP, prerequisite_event_kind="information_session")
    module = ModuleFactory(path=path)
    person = PersonFactory()
    enrollment = enroll(CohortFactory(path=path), person)
    complete(enrollment, module, staff)
    assert not Attestation.objects.exists()
    assert status_of(enrollment).missing == [
        str(completion.PREREQUISITE_EVENT_MISSING) % {"kind": str(Event.Kind.INFORMATION_SESSION.label)}
    ]
    info = EventFactory(program=path.program, kind=Event.Kind.INFORMATION_SESSION)
    # Registered but absent does not count; present does, matched by e-mail even without the person link.
    RegistrationFactory(event=info, email=person.email.upper(), attended=False)
    assert not status_of(enrollment).is_complete
    Registration.objects.filter(event=info).update(attended=True)
    assert status_of(enrollment).is_complete


def test_an_information_session_of_another_program_does_not_count():
    path = PathFactory(prerequisite_event_kind="information_session")
    ModuleFactory(path=path, is_required=False)
    person = PersonFactory()
    enrollment = enroll(CohortFactory(path=path), person)
    RegistrationFactory(event=EventFactory(kind=Event.Kind.INFORMATION_SESSION), person=person, attended=True)
    assert not status_of(enrollment).is_complete


def test_self_service_enrollment_needs_the_prerequisites_but_staff_can_enroll_before(staff):
    path = PathFactory(prerequisite_event_kind="information_session")
    cohort = CohortFactory(path=path)
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.enrollment_create(cohort=cohort, person=person, source=Enrollment.Source.SELF_SERVICE, actor=None)
    assert error.value.code == "prerequisites"
    assert enroll(cohort, person).status == Enrollment.Status.ENROLLED


def test_a_prerequisite_path_must_be_completed_first(staff):
    first_path = PathFactory()
    first_module = ModuleFactory(path=first_path)
    second_path = PathFactory(program=first_path.program)
    second_path.prerequisite_paths.add(first_path)
    second_module = ModuleFactory(path=second_path)
    person = PersonFactory()
    second = enroll(CohortFactory(path=second_path), person)
    complete(second, second_module, staff)
    assert status_of(second).missing == [str(completion.PREREQUISITE_PATH_MISSING) % {"path": first_path.title_fr}]
    complete(enroll(CohortFactory(path=first_path), person), first_module, staff)
    assert status_of(second).is_complete
    # Completing the prerequisite does not issue the other attestation by itself; the cohort's issue does.
    assert services.attestations_issue_for_cohort(cohort=second.cohort, actor=staff)[0].enrollment == second


# Phases


@pytest.fixture
def phased():
    path = PathFactory(kind=LearningPath.Kind.LEADERSHIP)
    phase_one = ModuleFactory(path=path, phase=1)
    phase_one_optional = ModuleFactory(path=path, phase=1, is_required=False)
    phase_two = ModuleFactory(path=path, phase=2)
    phase_three = ModuleFactory(path=path, phase=3)
    enrollment = enroll(CohortFactory(path=path))
    return enrollment, phase_one, phase_one_optional, phase_two, phase_three


def test_a_later_phase_waits_for_the_required_modules_of_earlier_phases(staff, phased):
    enrollment, phase_one, phase_one_optional, phase_two, phase_three = phased
    with pytest.raises(ValidationError) as error:
        complete(enrollment, phase_two, staff)
    assert error.value.messages == [str(completion.EARLIER_PHASE_INCOMPLETE) % {"phase": 1}]
    complete(enrollment, phase_one, staff)
    with pytest.raises(ValidationError, match="phase 2"):
        complete(enrollment, phase_three, staff)
    complete(enrollment, phase_two, staff)
    complete(enrollment, phase_three, staff)
    # The optional module of phase 1 never blocked anything.
    assert Attestation.objects.filter(enrollment=enrollment).exists()
    assert phase_one_optional.pk not in status_of(enrollment).completed_module_ids


def test_a_later_phase_can_still_be_marked_in_progress(staff, phased):
    enrollment, _one, _optional, phase_two, _three = phased
    progress = services.progress_update(
        enrollment=enrollment, module=phase_two, status=ModuleProgress.Status.IN_PROGRESS, actor=staff
    )
    assert progress.status == ModuleProgress.Status.IN_PROGRESS


def test_cohort_phases_fall_within_the_cohort(phased):
    enrollment = phased[0]
    cohort = enrollment.cohort
    phase = services.cohort_phase_create(
        cohort=cohort, number=1, title_fr="Diagnostic", starts_on=cohort.starts_on, ends_on=cohort.starts_on, actor=None
    )
    assert phase.number == 1
    with pytest.raises(ValidationError):
        services.cohort_phase_create(
            cohort=cohort,
            number=2,
            title_fr="Plan",
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on + datetime.timedelta(days=1),
            actor=None,
        )


# Mentors


def test_a_leader_is_paired_with_a_coach_of_the_program(phased):
    enrollment = phased[0]
    coach = MembershipFactory(program=enrollment.program, role=Role.COACH).user
    manager = MembershipFactory(program=enrollment.program, role=Role.PROGRAM_MANAGER).user
    with refused(services.MENTOR_NOT_COACH):
        services.enrollment_assign_mentor(enrollment=enrollment, mentor=manager, actor=None)
    assert services.enrollment_assign_mentor(enrollment=enrollment, mentor=coach, actor=None).mentor == coach


def test_mentors_are_for_leadership_paths():
    enrollment = enroll(CohortFactory(path=ModuleFactory().path))
    coach = MembershipFactory(program=enrollment.program, role=Role.COACH).user
    with refused(services.MENTOR_ONLY_LEADERSHIP):
        services.enrollment_assign_mentor(enrollment=enrollment, mentor=coach, actor=None)


# Issuing, revoking, sending


def test_issuing_is_idempotent(staff):
    module = ModuleFactory()
    enrollment = enroll(CohortFactory(path=module.path))
    complete(enrollment, module, staff)
    first = Attestation.objects.get()
    again, created = services.attestation_issue(enrollment=enrollment, actor=staff)
    assert (again, created) == (first, False)
    assert services.attestations_issue_for_cohort(cohort=enrollment.cohort, actor=staff) == []
    assert Attestation.objects.count() == 1
    created_entries = ActivityLogEntry.objects.filter(
        content_type__model="attestation", object_id=str(first.pk), verb=ActivityLogEntry.Verb.CREATED
    )
    assert created_entries.count() == 1


def test_issuing_an_incomplete_enrollment_is_refused_with_what_is_missing(staff):
    module = ModuleFactory(title_fr="Données ouvertes")
    enrollment = enroll(CohortFactory(path=module.path))
    with pytest.raises(ValidationError, match="Données ouvertes"):
        services.attestation_issue(enrollment=enrollment, actor=staff)


def test_issuing_for_a_cohort_records_attendance_and_issues_only_what_is_due(live):
    cohort, _module, enrollment, session = live
    absent = enroll(cohort)
    attend(session, enrollment, minutes=120)
    attend(session, absent, attended=False)
    issued = services.attestations_issue_for_cohort(cohort=cohort, actor=None)
    assert [attestation.enrollment for attestation in issued] == [enrollment]


def test_a_revoked_attestation_stays_revoked_and_stops_counting(staff):
    module = ModuleFactory()
    enrollment = enroll(CohortFactory(path=module.path))
    complete(enrollment, module, staff)
    attestation = Attestation.objects.get()
    with pytest.raises(ValidationError):
        services.attestation_revoke(attestation=attestation, reason="  ", actor=staff)
    services.attestation_revoke(attestation=attestation, reason="Identité usurpée", actor=staff)
    attestation.refresh_from_db()
    assert attestation.revoked_at is not None and attestation.revocation_reason == "Identité usurpée"
    enrollment.refresh_from_db()
    assert enrollment.completed_on is None
    # Progress changes do not bring it back, nor issue a new one.
    services.progress_update(enrollment=enrollment, module=module, status="in_progress", actor=staff)
    complete(enrollment, module, staff)
    assert Attestation.objects.count() == 1
    enrollment.refresh_from_db()
    assert enrollment.completed_on is None
    with refused(services.ALREADY_REVOKED):
        services.attestation_revoke(attestation=attestation, reason="Encore", actor=staff)
    with refused(services.CANNOT_SEND_REVOKED):
        services.attestation_resend(attestation=attestation, actor=staff)


def test_an_attestation_is_sent_again_on_request(staff, django_capture_on_commit_callbacks):
    module = ModuleFactory()
    enrollment = enroll(CohortFactory(path=module.path))
    complete(enrollment, module, staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.attestation_resend(attestation=Attestation.objects.get(), actor=staff)
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments


def test_the_attestation_email_is_in_the_learners_language(staff, django_capture_on_commit_callbacks):
    module = ModuleFactory()
    person = PersonFactory(preferred_language="en")
    enrollment = enroll(CohortFactory(path=module.path), person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complete(enrollment, module, staff)
    assert mail.outbox[0].subject.startswith("Your attestation")
    assert Attestation.objects.get().language == "en"
