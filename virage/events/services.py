"""Every write to events and registrations. Seats are given under a lock on the event's row."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.core.activity import diff, log_activity, snapshot
from virage.core.models import ActivityLogEntry
from virage.organizations.models import Organization, Person
from virage.organizations.services import consents_record, organization_create, person_create
from virage.programs.models import Participation
from virage.programs.services import participation_add

from . import notifications, reach
from .models import Event, EventSeries, Registration, Topic

EVENT_FIELDS = (
    "program",
    "series",
    "kind",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "language",
    "starts_at",
    "ends_at",
    "online_url",
    "municipality",
    "address",
    "region",
    "capacity",
    "registration_deadline",
    "counts_toward_sensitization",
    "attendance_threshold_minutes",
    "attendance_threshold_percent",
    "status",
)
# Changing one of these moves the event's registrations in the reach figures.
REACH_FIELDS = {"program", "starts_at", "counts_toward_sensitization"}
ALREADY_REGISTERED = _("This e-mail address is already registered for this event.")
REGISTRATION_CLOSED = _("Registration for this event is closed.")
EVENT_CANCELLED = _("This event is cancelled.")
EVENT_PAST = _("This event has already taken place.")
NOT_ACTIVE = _("This registration is already cancelled.")
EMAIL_REQUIRED = _("An e-mail address is needed to register.")
WALKED_IN = _("Came in person.")


def _clean_event(event: Event) -> None:
    if event.municipality_id:
        event.region_id = event.municipality.region_id
    event.full_clean()


@transaction.atomic
def event_create(*, actor, data: dict[str, Any], topics=()) -> Event:
    event = Event(**{key: data[key] for key in EVENT_FIELDS if key in data})
    _clean_event(event)
    event.save()
    event.topics.set(topics)
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.CREATED,
        subject=event,
        changes={name: [None, value] for name, value in snapshot(event, EVENT_FIELDS).items() if value},
    )
    return event


@transaction.atomic
def event_update(*, actor, event: Event, data: dict[str, Any], topics=None) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = snapshot(event, EVENT_FIELDS)
    for key in EVENT_FIELDS:
        if key in data:
            setattr(event, key, data[key])
    _clean_event(event)
    event.save()
    if topics is not None:
        event.topics.set(topics)
    changes = diff(before, snapshot(event, EVENT_FIELDS))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=event, changes=changes)
    if changes.keys() & REACH_FIELDS:
        reach.tally_event(event)
    # More seats may have opened: the waiting list moves up.
    _promote_waitlisted(event, actor=actor)
    return event


def _check_open(event: Event, *, by_staff: bool) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(EVENT_CANCELLED, code="event_cancelled")
    if by_staff:
        return
    now = timezone.now()
    if event.status != Event.Status.PUBLISHED or (event.registration_deadline and now > event.registration_deadline):
        raise ValidationError(REGISTRATION_CLOSED, code="registration_closed")
    if now >= event.ends_at:
        raise ValidationError(EVENT_PAST, code="event_past")


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


@transaction.atomic
def registration_create(
    *,
    event: Event,
    first_name: str,
    last_name: str,
    email: str,
    language: str = "fr",
    organization=None,
    person=None,
    source: str = Registration.Source.PUBLIC_FORM,
    actor=None,
) -> Registration:
    """Register a person: a seat if one is free, the waiting list otherwise.

    The event's row is locked for the whole decision, so two people asking for the last seat at the
    same moment get it one after the other: exactly one seat, and the other on the waiting list.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_open(event, by_staff=source != Registration.Source.PUBLIC_FORM)
    email = email.strip().lower()
    if not email:
        raise ValidationError({"email": [EMAIL_REQUIRED]}, code="email_required")
    if event.registrations.filter(email__iexact=email).exclude(status=Registration.Status.CANCELLED).exists():
        raise ValidationError({"email": [ALREADY_REGISTERED]}, code="already_registered")
    full = event.capacity is not None and _confirmed_count(event) >= event.capacity
    # Walk-ins are in the room: they take a seat whatever the capacity.
    waitlisted = full and source != Registration.Source.WALK_IN
    registration = Registration(
        event=event,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        language=language,
        organization=organization,
        person=person,
        source=source,
        status=Registration.Status.WAITLISTED if waitlisted else Registration.Status.CONFIRMED,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise ValidationError({"email": [ALREADY_REGISTERED]}, code="already_registered") from error
    reach.tally_registrations([registration.pk])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.REGISTERED,
        subject=registration,
        changes={"status": [None, registration.status], "email": [None, email]},
    )
    return registration


def _promote_waitlisted(event: Event, *, actor) -> list[Registration]:
    """Give free seats to the waiting list, first come first served. The caller holds the lock."""
    promoted = []
    if event.capacity is None:
        queue = event.registrations.filter(status=Registration.Status.WAITLISTED)
    else:
        free = event.capacity - _confirmed_count(event)
        if free <= 0:
            return promoted
        queue = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "id")[:free]
    for registration in queue:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        log_activity(
            actor=actor,
            verb=ActivityLogEntry.Verb.UPDATED,
            subject=registration,
            changes={"status": [Registration.Status.WAITLISTED, Registration.Status.CONFIRMED]},
            note=str(_("A seat became free.")),
        )
        promoted.append(registration)
    # Whoever moves up is told, whatever freed the seat (a cancellation, a larger room).
    notifications.notify_promoted(promoted)
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, actor=None) -> list[Registration]:
    """Cancel a registration; a freed seat goes to the first person waiting. Returns who was promoted."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(NOT_ACTIVE, code="not_active")
    previous = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    reach.tally_registrations([registration.pk])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.UPDATED,
        subject=registration,
        changes={"status": [previous, Registration.Status.CANCELLED]},
    )
    if previous == Registration.Status.CONFIRMED:
        return _promote_waitlisted(event, actor=actor)
    return []


@transaction.atomic
def attendance_mark(
    *, registration: Registration, attended: bool, actor, minutes: int | None = None, source: str = "roll_call"
) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    before = snapshot(registration, ("attended", "minutes_present"))
    registration.attended = attended
    if minutes is not None:
        registration.minutes_present = minutes
    registration.attendance_source = source
    registration.save(update_fields=["attended", "minutes_present", "attendance_source", "updated_at"])
    reach.tally_registrations([registration.pk])
    changes = diff(before, snapshot(registration, ("attended", "minutes_present")))
    if changes:
        log_activity(actor=actor, verb=ActivityLogEntry.Verb.UPDATED, subject=registration, changes=changes)
    return registration


@transaction.atomic
def registration_walk_in(
    *,
    event: Event,
    first_name: str,
    last_name: str,
    email: str,
    organization=None,
    language: str = "fr",
    actor,
) -> Registration:
    """Register someone who came without registering, and mark them present, in one transaction.

    A person already known by this e-mail address (whatever its case) is linked, with their
    organization unless staff named another one; a person of the named organization is preferred.
    """
    from virage.organizations.models import Person

    people = Person.objects.filter(email__iexact=email.strip(), is_active=True).select_related("organization")
    if organization is not None:
        person = people.filter(organization=organization).first() or people.first()
    else:
        person = people.first()
    if person is not None and organization is None:
        organization = person.organization
    existing = (
        Registration.objects.select_for_update()
        .filter(event=event, email__iexact=email.strip())
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        # Registered (perhaps on the waiting list) and in the room: the seat is theirs.
        if existing.status == Registration.Status.WAITLISTED:
            existing.status = Registration.Status.CONFIRMED
            existing.save(update_fields=["status", "updated_at"])
            log_activity(
                actor=actor,
                verb=ActivityLogEntry.Verb.UPDATED,
                subject=existing,
                changes={"status": [Registration.Status.WAITLISTED, Registration.Status.CONFIRMED]},
                note=str(WALKED_IN),
            )
        return attendance_mark(registration=existing, attended=True, actor=actor)
    registration = registration_create(
        event=event,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
        organization=organization,
        person=person,
        source=Registration.Source.WALK_IN,
        actor=actor,
    )
    return attendance_mark(registration=registration, attended=True, actor=actor)


# Public registration


PROGRAM_CLOSED = _("This program does not accept registrations at the moment.")
# Reminders go out for events starting within this window, in batches so that locks stay short.
REMINDER_WINDOW = datetime.timedelta(hours=24)
REMINDER_BATCH = 500


def _person_for_registration(*, organization, first_name: str, last_name: str, email: str, language: str):
    """The organization's person with this e-mail address, created when the organization has none."""
    person = Person.objects.filter(organization=organization, email__iexact=email.strip()).first()
    if person is not None:
        return person
    return person_create(
        actor=None,
        organization=organization,
        data={"first_name": first_name, "last_name": last_name, "email": email, "preferred_language": language},
    )


@transaction.atomic
def public_registration_create(
    *,
    event: Event,
    first_name: str,
    last_name: str,
    email: str,
    language: str,
    consents: dict[str, bool],
    organization=None,
    new_organization: dict[str, Any] | None = None,
) -> Registration:
    """A person registers on the public calendar, for an organization already registered or a new one.

    A new organization is created pending, for staff to validate or merge, and joins the event's
    program. The person is found by e-mail in the organization (or created), their consent answers
    are recorded, and the confirmation or waiting-list e-mail goes out once everything is saved.
    Any refusal (duplicate e-mail, closed event) rolls the whole registration back.
    """
    if not event.program.is_active:
        raise ValidationError(PROGRAM_CLOSED, code="program_closed")
    if new_organization is not None:
        organization = organization_create(
            actor=None,
            data=new_organization,
            status=Organization.Status.PENDING,
            confirm_similar=True,
            log_verb=ActivityLogEntry.Verb.REGISTERED,
        )
        participation_add(
            actor=None, program=event.program, organization=organization, source=Participation.Source.SELF_REGISTRATION
        )
    person = None
    if organization is not None:
        person = _person_for_registration(
            organization=organization, first_name=first_name, last_name=last_name, email=email, language=language
        )
        consents_record(actor=None, person=person, answers=consents)
    registration = registration_create(
        event=event,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
        organization=organization,
        person=person,
        source=Registration.Source.PUBLIC_FORM,
    )
    notifications.notify_registered(registration)
    return registration


@transaction.atomic
def public_registration_cancel(*, registration: Registration) -> list[Registration]:
    """The registrant cancels with their link; whoever takes the freed seat is told by e-mail."""
    return registration_cancel(registration=registration, actor=None)


def send_due_reminders(now: datetime.datetime | None = None) -> int:
    """Remind confirmed registrants of events starting within 24 hours, once each. Returns how many.

    Each registration is marked before its e-mail is scheduled, in the same transaction, so running
    this twice (or in two workers at once: rows locked by one are skipped by the other) sends nothing
    twice.
    """
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            due = (
                Registration.objects.filter(
                    status=Registration.Status.CONFIRMED,
                    reminder_sent_at__isnull=True,
                    event__status=Event.Status.PUBLISHED,
                    event__starts_at__gt=now,
                    event__starts_at__lte=now + REMINDER_WINDOW,
                )
                .select_related("event", "event__municipality")
                .order_by("pk")
            )
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True, of=("self",))
            batch = list(due[:REMINDER_BATCH])
            if not batch:
                return sent
            Registration.objects.filter(pk__in=[registration.pk for registration in batch]).update(reminder_sent_at=now)
            for registration in batch:
                notifications.send_on_commit(registration, notifications.REMINDER)
            sent += len(batch)


# Topics and series of a program


@transaction.atomic
def topic_create(*, program, name_fr: str, name_en: str = "", actor) -> Topic:
    topic = Topic(program=program, name_fr=name_fr.strip(), name_en=name_en.strip())
    topic.full_clean()
    topic.save()
    log_activity(
        actor=actor, verb=ActivityLogEntry.Verb.CREATED, subject=topic, changes={"name_fr": [None, topic.name_fr]}
    )
    return topic


@transaction.atomic
def series_create(*, program, title_fr: str, title_en: str = "", actor) -> EventSeries:
    series = EventSeries(program=program, title_fr=title_fr.strip(), title_en=title_en.strip())
    series.full_clean()
    series.save()
    log_activity(
        actor=actor, verb=ActivityLogEntry.Verb.CREATED, subject=series, changes={"title_fr": [None, series.title_fr]}
    )
    return series
