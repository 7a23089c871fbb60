"""Importing a Zoom or Teams attendance report into an event's registrations.

``attendance_import_upload`` reads the file (nothing is written to registrations) and keeps it
for ``attendance_preview``, which sorts the report's participants into:

* **matched** — a registration of the event has the same e-mail (case-insensitive) or, failing
  that, the same folded name;
* **new** — a participant with an e-mail that no registration has: confirming creates a
  registration for them (source "attendance report");
* **unmatched** — a participant without an e-mail whose name matches no registration: staff link
  them to a registration by hand, create one, or leave them out.

``attendance_import_apply`` then writes, in one transaction, the minutes present and whether each
person attended (at least the event's threshold). Registered people absent from the report are
marked absent, unless a roll call marked them present. Values are set, never added, so importing
the same file again changes nothing.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.core.activity import build_entry, log_activities_bulk, log_activity
from virage.core.bulk import update_rows
from virage.core.models import ActivityLogEntry
from virage.core.text import fold

from . import reach
from .attendance_reports import ATTENDEE, AttendanceReport, Participant, ReportError, parse_attendance_report
from .models import AttendanceImport, Event, Registration

ALREADY_APPLIED = _("This import was already confirmed.")
UNKNOWN_LINK = _("A participant was linked to a registration of another event.")
TOO_LARGE = _("The file is larger than %(size)s MB: export a report of this event only.")
MAX_BYTES = 10 * 1024 * 1024

CREATE = "create"
IGNORE = "ignore"


@dataclass
class Match:
    participant: Participant
    registration: Registration | None
    by: str  # "email", "name" or ""

    @property
    def key(self) -> str:
        return participant_key(self.participant)


@dataclass
class Preview:
    report: AttendanceReport
    threshold: int
    matched: list[Match] = field(default_factory=list)
    new: list[Match] = field(default_factory=list)
    unmatched: list[Match] = field(default_factory=list)
    absent: list[Registration] = field(default_factory=list)


def name_key(name: str) -> str:
    """The words of a folded name in alphabetical order: "Poulin, Alex" and "Alex Poulin" agree."""
    return " ".join(sorted(fold(name).split()))


def split_name(name: str) -> tuple[str, str]:
    """First and last name from "Alex Poulin" or from "Poulin, Alex" (how Zoom lists some people)."""
    if "," in name:
        last, _comma, first = name.partition(",")
        return first.strip(), last.strip()
    first, _space, last = name.strip().partition(" ")
    return first, last.strip()


def participant_key(participant: Participant) -> str:
    """A stable key for a participant of a report, used by the preview form's links."""
    return participant.email or f"name:{participant.normalized_name}"


@transaction.atomic
def attendance_import_upload(*, event: Event, data: bytes, filename: str, actor) -> AttendanceImport:
    """Read the report (raises ``ReportError`` with line and column) and keep it for the preview."""
    if len(data) > MAX_BYTES:
        raise ReportError(TOO_LARGE % {"size": MAX_BYTES // (1024 * 1024)})
    report = parse_attendance_report(data, filename)
    return AttendanceImport.objects.create(
        event=event,
        uploaded_by=actor,
        filename=filename[:255],
        tool=report.tool,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        participants=[{name: getattr(p, name) for name in KEPT_FIELDS} for p in report.participants],
    )


# What the preview and the confirmation need of each participant; the joins are already added up.
KEPT_FIELDS = ("name", "email", "normalized_name", "role", "attended", "minutes_present")


def _report_of(attendance_import: AttendanceImport) -> AttendanceReport:
    if attendance_import.participants:
        participants = [
            Participant(**{name: row[name] for name in KEPT_FIELDS}) for row in attendance_import.participants
        ]
        return AttendanceReport(tool=attendance_import.tool, participants=participants)
    # Kept before the participants were stored with the upload: read the file again.
    return parse_attendance_report(bytes(attendance_import.content), attendance_import.filename)


def attendance_preview(attendance_import: AttendanceImport) -> Preview:
    """What confirming would do, computed in three queries whatever the size of the report."""
    event = attendance_import.event
    report = _report_of(attendance_import)
    registrations = list(event.registrations.exclude(status=Registration.Status.CANCELLED))
    by_email = {registration.email.lower(): registration for registration in registrations}
    by_name: dict[str, Registration | None] = {}
    for registration in registrations:
        name = name_key(registration.full_name)
        # Two registrants with the same name cannot be told apart by name: neither matches by name.
        by_name[name] = None if name in by_name else registration
    preview = Preview(report=report, threshold=event.attendance_threshold)
    seen: set[int] = set()
    for participant in report.participants:
        registration = by_email.get(participant.email) if participant.email else None
        if participant.role != ATTENDEE and registration is None:
            continue  # Hosts and panelists are the team, not the audience, unless they registered.
        by = "email" if registration else ""
        if registration is None and participant.normalized_name:
            registration = by_name.get(name_key(participant.normalized_name))
            by = "name" if registration else ""
        if registration is not None and registration.pk not in seen:
            seen.add(registration.pk)
            preview.matched.append(Match(participant, registration, by))
        elif participant.email:
            preview.new.append(Match(participant, None, ""))
        else:
            preview.unmatched.append(Match(participant, None, ""))
    preview.absent = [
        registration
        for registration in registrations
        if registration.pk not in seen and registration.status == Registration.Status.CONFIRMED
    ]
    return preview


def _attendance(event: Event, participant: Participant) -> tuple[bool, int]:
    minutes = participant.minutes_present if participant.attended else 0
    return minutes >= event.attendance_threshold and participant.attended, minutes


@transaction.atomic
def attendance_import_apply(
    *, attendance_import: AttendanceImport, actor, links: dict[str, str] | None = None
) -> dict[str, int]:
    """Write the report's attendance. ``links`` maps an unmatched participant's key to a
    registration id of the event, to ``"create"`` or to ``"ignore"`` (the default)."""
    attendance_import = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
    if attendance_import.status == AttendanceImport.Status.APPLIED:
        raise ValidationError(ALREADY_APPLIED, code="already_applied")
    event = Event.objects.select_for_update().get(pk=attendance_import.event_id)
    preview = attendance_preview(attendance_import)
    links = links or {}
    source = (
        Registration.AttendanceSource.ZOOM if preview.report.tool == "zoom" else Registration.AttendanceSource.TEAMS
    )
    registrations_by_id = {registration.pk: registration for registration in event.registrations.all()}
    to_update: list[tuple[Registration, bool, int]] = []
    to_create: list[tuple[Participant, bool, int]] = []
    for match in preview.matched:
        to_update.append((match.registration, *_attendance(event, match.participant)))
    for match in preview.new:
        to_create.append((match.participant, *_attendance(event, match.participant)))
    for match in preview.unmatched:
        link = links.get(match.key, IGNORE)
        if link == CREATE:
            to_create.append((match.participant, *_attendance(event, match.participant)))
        elif link != IGNORE:
            registration = registrations_by_id.get(int(link)) if str(link).isdigit() else None
            if registration is None:
                raise ValidationError(UNKNOWN_LINK, code="unknown_link")
            to_update.append((registration, *_attendance(event, match.participant)))
    linked = {registration.pk for registration, _attended, _minutes in to_update}
    for registration in preview.absent:
        # Absent from the report, unless staff linked a participant to them just now.
        if registration.pk not in linked and registration.attendance_source != Registration.AttendanceSource.ROLL_CALL:
            to_update.append((registration, False, 0))

    entries = []
    changed = []
    written: set[int] = set()
    for registration, attended, minutes in to_update:
        # A registration gets one answer: the first (a match by the report, then a link by hand).
        if registration.pk in written:
            continue
        written.add(registration.pk)
        if registration.attended == attended and registration.minutes_present == minutes:
            continue
        entries.append(
            build_entry(
                actor=actor,
                verb=ActivityLogEntry.Verb.UPDATED,
                subject=registration,
                changes={
                    "attended": [registration.attended, attended],
                    "minutes_present": [registration.minutes_present, minutes],
                },
            )
        )
        registration.attended, registration.minutes_present, registration.attendance_source = attended, minutes, source
        changed.append(registration)
    now = timezone.now()
    for registration in changed:
        registration.updated_at = now
    update_rows(Registration, changed, ["attended", "minutes_present", "attendance_source", "updated_at"])
    created = []
    for participant, attended, minutes in to_create:
        first_name, last_name = split_name(participant.name)
        created.append(
            Registration(
                event=event,
                first_name=(first_name or participant.email)[:100],
                last_name=last_name[:100],
                email=participant.email or "",
                status=Registration.Status.CONFIRMED,
                source=Registration.Source.IMPORT,
                attended=attended,
                minutes_present=minutes,
                attendance_source=source,
            )
        )
    Registration.objects.bulk_create(created, batch_size=500)
    entries.extend(
        build_entry(
            actor=actor,
            verb=ActivityLogEntry.Verb.IMPORTED,
            subject=registration,
            changes={
                "attended": [None, registration.attended],
                "minutes_present": [None, registration.minutes_present],
            },
        )
        for registration in created
        if registration.pk
    )
    log_activities_bulk(entries)
    reach.tally_registrations([registration.pk for registration in (*changed, *created) if registration.pk])
    summary = {
        "matched": len(preview.matched),
        "new": len(preview.new),
        "unmatched": len(preview.unmatched),
        "created": len(created),
        "changed": len(changed),
        "absent": len(preview.absent),
    }
    attendance_import.status = AttendanceImport.Status.APPLIED
    attendance_import.summary = summary
    # The people's names are now in the registrations only.
    attendance_import.content = b""
    attendance_import.participants = []
    attendance_import.save(update_fields=["status", "summary", "content", "participants", "updated_at"])
    log_activity(
        actor=actor,
        verb=ActivityLogEntry.Verb.IMPORTED,
        subject=event,
        changes={
            "report": [None, attendance_import.filename or attendance_import.tool],
            **{k: [None, v] for k, v in summary.items()},
        },
        note=f"{timezone.localtime():%Y-%m-%d %H:%M}",
    )
    return summary
