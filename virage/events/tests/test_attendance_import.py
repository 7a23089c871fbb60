from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from virage.core.models import ActivityLogEntry
from virage.events.attendance_import import (
    CREATE,
    attendance_import_apply,
    attendance_import_upload,
    attendance_preview,
)
from virage.events.attendance_reports import ReportError
from virage.events.models import AttendanceImport, Registration
from virage.events.tests.factories import EventFactory, RegistrationFactory

REPORTS = Path(__file__).parent / "reports"


@pytest.fixture
def event(world):
    # 90 minutes at 50 %: present at least 45 minutes counts as attended.
    event = EventFactory(program=world.program)
    RegistrationFactory(event=event, first_name="Léa", last_name="Tremblay", email="lea.tremblay@exemple.qc.ca")
    RegistrationFactory(event=event, first_name="Marc-André", last_name="Côté", email="MARC-ANDRE.COTE@exemple.qc.ca")
    RegistrationFactory(event=event, first_name="Sophie", last_name="Bergeron", email="sophie.bergeron@exemple.qc.ca")
    RegistrationFactory(event=event, first_name="Alex", last_name="Poulin", email="alex.poulin@exemple.qc.ca")
    RegistrationFactory(event=event, first_name="Paul", last_name="Absent", email="paul.absent@exemple.qc.ca")
    return event


def upload(event, world, name="zoom_attendee_report.csv"):
    return attendance_import_upload(event=event, data=(REPORTS / name).read_bytes(), filename=name, actor=world.manager)


def test_preview_sorts_participants_into_matched_new_and_unmatched(event, world):
    preview = attendance_preview(upload(event, world))
    matched = {
        match.registration.email.lower(): (match.by, match.participant.minutes_present) for match in preview.matched
    }
    assert matched == {
        "lea.tremblay@exemple.qc.ca": ("email", 75),
        "marc-andre.cote@exemple.qc.ca": ("email", 90),
        "sophie.bergeron@exemple.qc.ca": ("email", 0),
        # No e-mail in the report, "Poulin, Alex": matched by name whatever the order of the words.
        "alex.poulin@exemple.qc.ca": ("name", 37),
    }
    assert sorted(match.participant.email for match in preview.new) == [
        "jean.roy@exemple.qc.ca",
        "kim.dao@organisme.example",
    ]
    assert preview.unmatched == []
    assert [registration.email for registration in preview.absent] == ["paul.absent@exemple.qc.ca"]
    # Nothing is written by a preview.
    assert not Registration.objects.filter(event=event, attended__isnull=False).exists()


def test_confirming_writes_minutes_and_attendance_against_the_threshold(event, world):
    summary = attendance_import_apply(attendance_import=upload(event, world), actor=world.manager)
    rows = {r.email.lower(): (r.attended, r.minutes_present, r.source) for r in event.registrations.all()}
    assert rows == {
        "lea.tremblay@exemple.qc.ca": (True, 75, "public_form"),
        "marc-andre.cote@exemple.qc.ca": (True, 90, "public_form"),
        "sophie.bergeron@exemple.qc.ca": (False, 0, "public_form"),
        "alex.poulin@exemple.qc.ca": (False, 37, "public_form"),  # under 45 minutes
        "paul.absent@exemple.qc.ca": (False, 0, "public_form"),
        "jean.roy@exemple.qc.ca": (False, 42, "import"),
        "kim.dao@organisme.example": (False, 0, "import"),
    }
    assert summary["created"] == 2
    assert ActivityLogEntry.objects.filter(object_id=str(event.pk), verb="imported").exists()
    kept = AttendanceImport.objects.get()
    assert kept.content == b"" and kept.participants == []  # names are not kept in the import


def test_importing_the_same_file_again_changes_nothing(event, world):
    attendance_import_apply(attendance_import=upload(event, world), actor=world.manager)
    before = list(event.registrations.order_by("pk").values_list("email", "attended", "minutes_present"))
    log_before = ActivityLogEntry.objects.count()
    summary = attendance_import_apply(attendance_import=upload(event, world), actor=world.manager)
    assert summary["created"] == 0 and summary["changed"] == 0
    assert list(event.registrations.order_by("pk").values_list("email", "attended", "minutes_present")) == before
    assert ActivityLogEntry.objects.count() == log_before + 1  # only the import's own summary


def test_a_roll_call_presence_is_not_undone_by_the_report(event, world):
    from virage.events.services import attendance_mark

    paul = event.registrations.get(email="paul.absent@exemple.qc.ca")
    attendance_mark(registration=paul, attended=True, actor=world.manager)
    attendance_import_apply(attendance_import=upload(event, world), actor=world.manager)
    paul.refresh_from_db()
    assert paul.attended is True


def test_an_unmatched_participant_can_be_linked_by_hand_or_created(event, world):
    event.registrations.filter(email="alex.poulin@exemple.qc.ca").update(first_name="Alexandre")
    attendance_import = upload(event, world)
    preview = attendance_preview(attendance_import)
    assert [match.key for match in preview.unmatched] == ["name:poulin alex"]
    alex = event.registrations.get(email="alex.poulin@exemple.qc.ca")
    attendance_import_apply(
        attendance_import=attendance_import, actor=world.manager, links={"name:poulin alex": str(alex.pk)}
    )
    alex.refresh_from_db()
    assert alex.minutes_present == 37

    other = EventFactory(program=world.program)
    RegistrationFactory(event=other, first_name="X", last_name="Y")
    attendance_import = upload(other, world)
    attendance_import_apply(
        attendance_import=attendance_import, actor=world.manager, links={"name:poulin alex": CREATE}
    )
    assert other.registrations.filter(source="import", email="", minutes_present=37).count() == 1


def test_a_link_to_a_registration_of_another_event_is_refused(event, world):
    event.registrations.filter(email="alex.poulin@exemple.qc.ca").update(first_name="Alexandre")
    stranger = RegistrationFactory()
    with pytest.raises(ValidationError):
        attendance_import_apply(
            attendance_import=upload(event, world), actor=world.manager, links={"name:poulin alex": str(stranger.pk)}
        )
    assert not event.registrations.filter(attended__isnull=False).exists()


def test_french_teams_report_is_imported_like_the_english_one(world):
    results = []
    for name in ("teams_report_en.csv", "teams_report_fr.csv"):
        event = EventFactory(program=world.program)
        attendance_import_apply(attendance_import=upload(event, world, name), actor=world.manager)
        results.append(sorted(event.registrations.values_list("email", "attended", "minutes_present")))
    assert results[0] == results[1] and results[0]


@pytest.mark.parametrize("name", ["empty.csv", "zoom_attendee_report_truncated.csv", "teams_report_fr_truncated.csv"])
def test_a_bad_file_is_refused_and_nothing_is_kept(event, world, name):
    with pytest.raises(ReportError):
        upload(event, world, name)
    assert not AttendanceImport.objects.exists()


def test_a_confirmed_import_cannot_be_confirmed_twice(event, world):
    attendance_import = upload(event, world)
    attendance_import_apply(attendance_import=attendance_import, actor=world.manager)
    with pytest.raises(ValidationError):
        attendance_import_apply(attendance_import=attendance_import, actor=world.manager)
