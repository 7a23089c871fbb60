"""iCalendar (RFC 5545) files for events, written by hand: one VEVENT is all a calendar needs."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Event

PRODUCT_ID = "-//Virage//Events//FR"
# RFC 5545 §3.1: content lines are folded so that no line is longer than 75 octets.
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line at 75 octets without cutting a multi-byte UTF-8 character in two."""
    parts = []
    current = ""
    current_octets = 0
    limit = LINE_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if current_octets + size > limit:
            parts.append(current)
            current, current_octets = char, size
            # Continuation lines start with a space, which counts in their 75 octets.
            limit = LINE_OCTETS - 1
        else:
            current += char
            current_octets += size
    parts.append(current)
    return "\r\n ".join(parts)


def format_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_page_url(event: Event) -> str:
    return settings.SITE_URL + reverse("calendar:event", args=[event.pk])


def event_location(event: Event) -> str:
    """The place written out (address, municipality), or empty for an online event without one."""
    parts = [event.address.strip()] if event.address.strip() else []
    if event.municipality_id:
        parts.append(event.municipality.name)
    return ", ".join(parts)


def event_calendar(event: Event, *, description_suffix: str = "", now: datetime.datetime | None = None) -> str:
    """The event as an iCalendar file, in the active language.

    ``description_suffix`` adds text after the description (a registrant's cancellation link).
    """
    host = urlsplit(settings.SITE_URL).hostname or "virage.local"
    description = event.description.strip()
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    if description_suffix:
        description = f"{description}\n\n{description_suffix}".strip()
    properties = [
        ("UID", f"event-{event.pk}@{host}"),
        ("DTSTAMP", format_utc(now or timezone.now())),
        ("DTSTART", format_utc(event.starts_at)),
        ("DTEND", format_utc(event.ends_at)),
        ("SUMMARY", escape_text(event.title)),
    ]
    if description:
        properties.append(("DESCRIPTION", escape_text(description)))
    location = event_location(event)
    if location:
        properties.append(("LOCATION", escape_text(location)))
    elif event.online_url:
        properties.append(("LOCATION", escape_text(event.online_url)))
    # URL is a URI value, not TEXT: it is not escaped.
    properties.append(("URL", event.online_url or event_page_url(event)))
    if event.status == Event.Status.CANCELLED:
        properties.append(("STATUS", "CANCELLED"))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        *(f"{name}:{value}" for name, value in properties),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold_line(line) + "\r\n" for line in lines)


def event_file_name(event: Event) -> str:
    return f"event-{event.pk}.ics"
