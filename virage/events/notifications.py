"""E-mails to registrants, each in the registrant's language, sent once the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from .ical import event_calendar, event_file_name, event_location, event_page_url
from .models import Registration

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
REMINDER = "reminder"
# Which e-mails carry the calendar file: only those that give a seat.
WITH_CALENDAR = {CONFIRMED: True, WAITLISTED: False, PROMOTED: True, REMINDER: True}


def cancel_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("calendar:cancel", args=[registration.cancel_token])


def _language(registration: Registration) -> str:
    return registration.language if registration.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def build_message(registration: Registration, kind: str) -> EmailMultiAlternatives:
    """The e-mail of ``kind`` for ``registration``, rendered in the registrant's language."""
    event = registration.event
    with translation.override(_language(registration)):
        starts_at = timezone.localtime(event.starts_at)
        ends_at = timezone.localtime(event.ends_at)
        context = {
            "registration": registration,
            "event": event,
            "title": event.title,
            "starts_at": formats.date_format(starts_at, "DATETIME_FORMAT"),
            "ends_at": formats.time_format(ends_at, "TIME_FORMAT"),
            "location": event_location(event),
            "event_url": event_page_url(event),
            "cancel_url": cancel_url(registration),
        }
        subject = render_to_string(f"events/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"events/email/{kind}.txt", context)
        calendar = None
        if WITH_CALENDAR[kind]:
            cancel_line = render_to_string("events/email/calendar_cancel_line.txt", context).strip()
            calendar = event_calendar(event, description_suffix=cancel_line)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
    if calendar is not None:
        message.attach(event_file_name(event), calendar, "text/calendar; charset=utf-8; method=PUBLISH")
    return message


def send_now(registration: Registration, kind: str) -> None:
    build_message(registration, kind).send()


def send_on_commit(registration: Registration, kind: str) -> None:
    """Send after the transaction commits, so nobody is told about a registration that was rolled back."""
    transaction.on_commit(lambda: send_now(registration, kind))


def notify_registered(registration: Registration) -> None:
    """A seat, or a place on the waiting list: each gets its own e-mail."""
    waitlisted = registration.status == Registration.Status.WAITLISTED
    send_on_commit(registration, WAITLISTED if waitlisted else CONFIRMED)


def notify_promoted(registrations) -> None:
    """Tell each person who moved up from the waiting list that a seat is theirs."""
    for registration in registrations:
        send_on_commit(registration, PROMOTED)
