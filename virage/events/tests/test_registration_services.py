import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from virage.core.models import ActivityLogEntry
from virage.events import services
from virage.events.models import Registration
from virage.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def register(event, email, **extra):
    return services.registration_create(event=event, first_name="Léa", last_name="Roy", email=email, **extra)


def test_a_registration_takes_a_seat_and_is_logged():
    event = EventFactory(capacity=10)
    registration = register(event, "Lea.Roy@Exemple.qc.ca")
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "lea.roy@exemple.qc.ca"
    assert ActivityLogEntry.objects.filter(object_id=str(registration.pk), verb="registered").exists()


def test_the_same_email_cannot_register_twice_whatever_its_case():
    event = EventFactory()
    register(event, "lea@exemple.qc.ca")
    with pytest.raises(ValidationError) as error:
        register(event, "LEA@exemple.qc.ca")
    assert "email" in error.value.message_dict


def test_a_cancelled_registration_does_not_block_registering_again():
    event = EventFactory()
    services.registration_cancel(registration=register(event, "lea@exemple.qc.ca"))
    assert register(event, "lea@exemple.qc.ca").status == Registration.Status.CONFIRMED


def test_when_the_event_is_full_registrations_go_to_the_waiting_list():
    event = EventFactory(capacity=2)
    register(event, "a@exemple.qc.ca")
    register(event, "b@exemple.qc.ca")
    assert register(event, "c@exemple.qc.ca").status == Registration.Status.WAITLISTED


def test_a_freed_seat_goes_to_the_first_person_waiting():
    event = EventFactory(capacity=1)
    first = register(event, "a@exemple.qc.ca")
    waiting_first = register(event, "b@exemple.qc.ca")
    waiting_second = register(event, "c@exemple.qc.ca")
    promoted = services.registration_cancel(registration=first)
    assert promoted == [waiting_first]
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert waiting_first.status == Registration.Status.CONFIRMED
    assert waiting_second.status == Registration.Status.WAITLISTED


def test_cancelling_a_waitlisted_registration_promotes_nobody():
    event = EventFactory(capacity=1)
    register(event, "a@exemple.qc.ca")
    waiting = register(event, "b@exemple.qc.ca")
    assert services.registration_cancel(registration=waiting) == []


def test_raising_the_capacity_moves_the_waiting_list_up(world):
    event = EventFactory(capacity=1, program=world.program)
    register(event, "a@exemple.qc.ca")
    waiting = register(event, "b@exemple.qc.ca")
    services.event_update(actor=world.manager, event=event, data={"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_walk_ins_take_a_seat_even_when_the_event_is_full():
    event = EventFactory(capacity=1)
    register(event, "a@exemple.qc.ca")
    walk_in = register(event, "b@exemple.qc.ca", source=Registration.Source.WALK_IN)
    assert walk_in.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "cancelled"}, "event_cancelled"),
        ({"status": "draft"}, "registration_closed"),
        ({"registration_deadline": timezone.now() - datetime.timedelta(hours=1)}, "registration_closed"),
    ],
)
def test_the_public_cannot_register_to_a_closed_event(changes, code):
    event = EventFactory(**changes)
    with pytest.raises(ValidationError) as error:
        register(event, "a@exemple.qc.ca")
    assert error.value.code == code


def test_the_public_cannot_register_to_a_past_event():
    start = timezone.now() - datetime.timedelta(days=2)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError):
        register(event, "a@exemple.qc.ca")


def test_attendance_threshold_is_minutes_or_a_share_of_the_event():
    event = EventFactory(attendance_threshold_percent=50)
    assert event.duration_minutes == 90 and event.attendance_threshold == 45
    event.attendance_threshold_minutes = 30
    assert event.attendance_threshold == 30


def test_an_event_cannot_end_before_it_starts(world):
    start = timezone.now()
    with pytest.raises(ValidationError):
        services.event_create(
            actor=world.manager,
            data={
                "program": world.program,
                "kind": "webinar",
                "title_fr": "Atelier",
                "starts_at": start,
                "ends_at": start - datetime.timedelta(hours=1),
            },
        )


def test_marking_attendance_is_logged(world):
    registration = RegistrationFactory()
    services.attendance_mark(registration=registration, attended=True, actor=world.manager)
    registration.refresh_from_db()
    assert registration.attended is True and registration.attendance_source == "roll_call"
    assert ActivityLogEntry.objects.filter(object_id=str(registration.pk), verb="updated").exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_for_the_last_seat_give_exactly_one_seat():
    if connection.vendor != "postgresql":
        pytest.skip("Real concurrency needs PostgreSQL (SQLite serializes writers by design).")
    event = EventFactory(capacity=1)
    barrier = threading.Barrier(2)
    results: list[str] = []
    errors: list[Exception] = []

    def attempt(email: str) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(register(event, email).status)
        except Exception as error:  # The assertion below reports it.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(f"{name}@exemple.qc.ca",)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    assert event.registrations.filter(status=Registration.Status.CONFIRMED).count() == 1


def test_people_moved_up_by_staff_are_told_by_email(world, django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1, program=world.program)
    first = register(event, "a@exemple.qc.ca")
    register(event, "b@exemple.qc.ca")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first, actor=world.manager)
    assert [message.to for message in mailoutbox] == [["b@exemple.qc.ca"]]


def test_a_threshold_above_100_percent_is_refused_with_a_clear_message(world):
    event = EventFactory(program=world.program)
    event.attendance_threshold_percent = 150
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "100" in str(error.value)


def test_a_waitlisted_person_who_walks_in_gets_the_seat_and_is_marked_present(world):
    event = EventFactory(capacity=1, program=world.program)
    register(event, "a@exemple.qc.ca")
    waiting = register(event, "b@exemple.qc.ca")
    walked_in = services.registration_walk_in(
        event=event, first_name="Léa", last_name="Roy", email="B@exemple.qc.ca", actor=world.manager
    )
    assert walked_in.pk == waiting.pk
    assert (walked_in.status, walked_in.attended) == (Registration.Status.CONFIRMED, True)
    assert event.registrations.count() == 2
