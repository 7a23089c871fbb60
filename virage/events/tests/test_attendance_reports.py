"""Reading Zoom and Teams attendance reports: layouts, merging of joins, and every refusal.

The files in ``reports/`` are synthetic (fictional people, ``exemple.qc.ca`` and ``.example``
addresses) and copy the structure of real exports: see the module's docstring.
"""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import translation

from virage.events.attendance_reports import (
    ATTENDEE,
    BAD_DATE_TIME,
    BAD_DURATION,
    BAD_USER_ACTION,
    BINARY_FILE,
    EMPTY_FILE,
    FILE_CUT_MID_CHARACTER,
    HOST,
    MISSING_COLUMN,
    ORGANIZER,
    PANELIST,
    PRESENTER,
    QUOTE_NOT_CLOSED,
    ROW_CUT_SHORT,
    SECTION_WITHOUT_HEADER,
    TEAMS,
    TEAMS_TRUNCATED,
    UNDECODABLE_TEXT,
    UNKNOWN_LAYOUT,
    ZOOM,
    ZOOM_TRUNCATED,
    AttendanceReport,
    Participant,
    ReportError,
    minutes_from_duration,
    parse_attendance_report,
)

REPORTS = Path(__file__).parent / "reports"
MONTREAL = ZoneInfo("America/Montreal")


@pytest.fixture(autouse=True)
def _english():
    # Messages are compared with their English source; the French catalogue may translate them.
    with translation.override("en"):
        yield


def read(name: str) -> bytes:
    return (REPORTS / name).read_bytes()


def parse(name: str) -> AttendanceReport:
    return parse_attendance_report(read(name), name)


def by_email(report: AttendanceReport) -> dict[str, Participant]:
    return {person.email: person for person in report.participants if person.email}


def by_name(report: AttendanceReport) -> dict[str, Participant]:
    return {person.normalized_name: person for person in report.participants}


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MONTREAL)


def summary(report: AttendanceReport) -> list[tuple]:
    """What matters for attendance, per person, in the report's order."""
    return [
        (person.normalized_name, person.email, person.role, person.attended, person.minutes_present, len(person.joins))
        for person in report.participants
    ]


def teams_bytes(lines: list[str]) -> bytes:
    return b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


def error_of(data: bytes) -> ReportError:
    with pytest.raises(ReportError) as caught:
        parse_attendance_report(data)
    return caught.value


# --- Zoom --------------------------------------------------------------------------------------


def test_zoom_report_gives_the_webinar_and_every_person_once_with_the_sum_of_their_joins():
    report = parse("zoom_attendee_report.csv")

    assert report.tool == ZOOM
    assert report.title == "Virage – Atelier cybersécurité pour OBNL"
    assert report.meeting_id == "812 3456 7890"
    assert report.start == at(2026, 11, 20, 9, 58, 41)
    assert report.duration_minutes == 92
    assert report.end == at(2026, 11, 20, 11, 30, 41)
    assert report.filename == "zoom_attendee_report.csv"
    assert summary(report) == [
        ("equipe virage", "animation@virage.example", HOST, True, 92, 1),
        ("noemie gagnon fortin", "noemie.gagnon@exemple.qc.ca", PANELIST, True, 91, 1),
        ("lea tremblay", "lea.tremblay@exemple.qc.ca", ATTENDEE, True, 30 + 45, 2),
        ("marc andre cote", "marc-andre.cote@exemple.qc.ca", ATTENDEE, True, 90, 1),
        ("sophie bergeron", "sophie.bergeron@exemple.qc.ca", ATTENDEE, False, 0, 0),
        ("kim dao", "kim.dao@organisme.example", ATTENDEE, False, 0, 0),
        ("jean roy", "jean.roy@exemple.qc.ca", ATTENDEE, True, 15 + 15 + 12, 3),
        ("poulin alex", "", ATTENDEE, True, 30 + 7, 2),
    ]


def test_zoom_rows_of_one_person_merge_by_email_whatever_its_case():
    jean = by_email(parse("zoom_attendee_report.csv"))["jean.roy@exemple.qc.ca"]

    # The third row writes JEAN.ROY@exemple.qc.ca.
    assert jean.joins == [
        (at(2026, 11, 20, 10, 5), at(2026, 11, 20, 10, 20)),
        (at(2026, 11, 20, 10, 25), at(2026, 11, 20, 10, 40)),
        (at(2026, 11, 20, 10, 50), at(2026, 11, 20, 11, 2)),
    ]


def test_zoom_rows_without_email_merge_by_normalized_name():
    alex = by_name(parse("zoom_attendee_report.csv"))["poulin alex"]

    # "Poulin, Alex" and "poulin,  alex", both in "Other Attended", without an e-mail.
    assert alex.name == "Poulin, Alex"
    assert alex.minutes_present == 37
    assert alex.extra["Other Attended"] == "Yes"


def test_zoom_registered_no_shows_are_kept_as_not_attended_with_their_registration():
    sophie = by_email(parse("zoom_attendee_report.csv"))["sophie.bergeron@exemple.qc.ca"]

    assert sophie.attended is False
    assert sophie.minutes_present == 0
    assert sophie.joins == []
    # "--" means "nothing" and is not kept.
    assert sophie.extra == {
        "Registration Time": "11/06/2026 11:20:45 AM",
        "Approval Status": "approved",
        "Organisation": "OBNL Exemple",
    }


def test_zoom_registrants_are_named_as_they_registered_not_by_their_display_name():
    lea = by_email(parse("zoom_attendee_report.csv"))["lea.tremblay@exemple.qc.ca"]

    # The display name is "Léa T. (Léa Tremblay)"; First and Last Name are what matches a registration.
    assert lea.name == "Léa Tremblay"
    assert lea.normalized_name == "lea tremblay"


def test_zoom_custom_questions_and_unknown_columns_are_kept_in_extra():
    lea = by_email(parse("zoom_attendee_report.csv"))["lea.tremblay@exemple.qc.ca"]

    assert lea.extra["Organisation"] == "Centre communautaire Fictif"
    # A quoted answer with a comma in it stays one value.
    assert lea.extra["Quel est votre principal défi numérique?"] == "Sauvegardes, mots de passe"
    assert lea.extra["Is Guest"] == "Yes"


def test_zoom_newer_export_with_other_columns_in_another_order_and_named_month_dates():
    report = parse("zoom_newer_export.csv")

    assert report.tool == ZOOM
    assert report.title == "Virage – Financer sa transformation numérique"
    assert report.start == at(2026, 11, 26, 13, 30, 5)
    assert report.end == at(2026, 11, 26, 14, 31, 5)
    assert summary(report) == [
        ("equipe virage", "animation@virage.example", HOST, True, 61, 1),
        ("helene lavoie", "helene.lavoie@exemple.qc.ca", ATTENDEE, True, 30 + 26, 2),
        ("omar haddad", "omar.haddad@organisme.example", ATTENDEE, False, 0, 0),
    ]
    helene = report.participants[1]
    assert helene.extra["Source Name"] == "Infolettre"
    assert helene.extra["Taille de l'organisme"] == "1 à 10"
    assert helene.joins[0] == (at(2026, 11, 26, 13, 31), at(2026, 11, 26, 14, 1))


def test_zoom_panelist_section_left_empty_is_skipped():
    original = read("zoom_attendee_report.csv")
    start = original.index(b"Panelist Details,")
    data = original[:start] + b"Panelist Details,\r\n" + original[original.index(b"Attendee Details,") :]

    report = parse_attendance_report(data)

    assert [person.role for person in report.participants].count(PANELIST) == 0
    assert len(report.participants) == 7


# --- Teams ---------------------------------------------------------------------------------------

TEAMS_PEOPLE = [
    ("equipe virage", "animation@virage.example", ORGANIZER, True, 90, 1),
    ("noemie gagnon fortin", "noemie.gagnon@exemple.qc.ca", PRESENTER, True, 89, 1),
    # 30m 30s + 45m 5s = 75m 35s, rounded once to 76.
    ("lea tremblay", "lea.tremblay@exemple.qc.ca", ATTENDEE, True, 76, 2),
    # 59 seconds count as a minute; a guest without e-mail is known by name.
    ("jean roy", "", ATTENDEE, True, 1, 1),
]


def test_teams_report_in_utf16_with_tabs_gives_the_meeting_and_its_participants():
    report = parse("teams_report_en.csv")

    assert report.tool == TEAMS
    assert report.language == "en"
    assert report.title == "Virage – Rencontre des partenaires"
    assert report.start == at(2026, 11, 20, 13, 0, 3)
    assert report.end == at(2026, 11, 20, 14, 30, 15)
    assert report.duration_minutes == 90
    assert summary(report) == TEAMS_PEOPLE


def test_teams_joins_come_from_the_in_meeting_activities():
    lea = by_email(parse("teams_report_en.csv"))["lea.tremblay@exemple.qc.ca"]

    assert lea.joins == [
        (at(2026, 11, 20, 13, 2, 10), at(2026, 11, 20, 13, 32, 40)),
        (at(2026, 11, 20, 13, 40), at(2026, 11, 20, 14, 25, 5)),
    ]


def test_teams_french_export_reads_exactly_like_the_english_one():
    english = parse("teams_report_en.csv")
    french = parse("teams_report_fr.csv")

    assert french.tool == TEAMS
    assert french.language == "fr"
    assert summary(french) == summary(english) == TEAMS_PEOPLE
    assert (french.title, french.start, french.end, french.duration_minutes) == (
        english.title,
        english.start,
        english.end,
        english.duration_minutes,
    )
    assert [person.joins for person in french.participants] == [person.joins for person in english.participants]


def test_teams_french_ambiguous_dates_are_day_first():
    lines = [
        "1. Résumé",
        "Titre de la réunion\tCafé",
        "Heure de début\t05/11/2026 09:00:00",
        "",
        "2. Participants",
        "Nom\tPremière connexion\tDernier départ\tDurée dans la réunion\tE-mail\tRôle",
        "Léa Tremblay\t05/11/2026 09:01:00\t05/11/2026 09:31:00\t30 min\tlea@exemple.qc.ca\tParticipant",
    ]
    report = parse_attendance_report(teams_bytes(lines))

    assert report.start == at(2026, 11, 5, 9, 0)
    assert report.participants[0].joins == [(at(2026, 11, 5, 9, 1), at(2026, 11, 5, 9, 31))]
    assert report.participants[0].minutes_present == 30


def test_teams_english_ambiguous_dates_are_month_first_unless_the_file_shows_otherwise():
    lines = [
        "1. Summary",
        "Start time\t05/11/2026 09:00:00",
        "End time\t05/11/2026 10:00:00",
        "",
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole",
        "Léa Tremblay\t05/11/2026 09:01:00\t05/11/2026 09:31:00\t30m\tlea@exemple.qc.ca\tAttendee",
    ]
    assert parse_attendance_report(teams_bytes(lines)).start == at(2026, 5, 11, 9, 0)

    # One date that can only be day first (13/11) settles the others of the file.
    lines.append("Jean Roy\t13/11/2026 09:01:00\t13/11/2026 09:31:00\t30m\tjean@exemple.qc.ca\tAttendee")
    assert parse_attendance_report(teams_bytes(lines)).start == at(2026, 11, 5, 9, 0)


def test_teams_older_layout_pairs_joined_and_left_lines_into_minutes():
    report = parse("teams_report_legacy.csv")

    assert report.tool == TEAMS
    assert report.title == "Virage – Café numérique"
    assert report.start == at(2026, 11, 20, 9, 0)
    assert report.end == at(2026, 11, 20, 10, 0)
    assert report.duration_minutes == 60
    assert summary(report) == [
        ("equipe virage", "", ATTENDEE, True, 60, 1),
        ("lea tremblay", "", ATTENDEE, True, 30 + 15, 2),
        # 20 minutes 30 seconds, rounded half up.
        ("jean roy", "", ATTENDEE, True, 21, 1),
    ]


def test_teams_older_layout_counts_a_join_without_leave_until_the_end_of_the_meeting():
    lines = [
        "Meeting Summary",
        "Meeting Start Time\t11/20/2026, 9:00:00 AM",
        "Meeting End Time\t11/20/2026, 10:00:00 AM",
        "",
        "Full Name\tUser Action\tTimestamp",
        "Léa Tremblay\tJoined\t11/20/2026, 9:30:00 AM",
    ]
    lea = parse_attendance_report(teams_bytes(lines)).participants[0]

    assert lea.minutes_present == 30
    assert lea.joins == [(at(2026, 11, 20, 9, 30), at(2026, 11, 20, 10, 0))]


def test_teams_report_with_only_the_activities_adds_up_the_joins():
    lines = [
        "3. In-Meeting Activities",
        "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole",
        "Léa Tremblay\t11/20/26, 1:00:00 PM\t11/20/26, 1:20:00 PM\t20m\tlea@exemple.qc.ca\tAttendee",
        "Léa Tremblay\t11/20/26, 1:30:00 PM\t11/20/26, 1:45:00 PM\t15m\tLEA@exemple.qc.ca\tAttendee",
    ]
    report = parse_attendance_report(teams_bytes(lines))

    assert summary(report) == [("lea tremblay", "lea@exemple.qc.ca", ATTENDEE, True, 35, 2)]


# --- Detection and idempotency ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "zoom_attendee_report.csv",
        "zoom_newer_export.csv",
        "teams_report_en.csv",
        "teams_report_fr.csv",
        "teams_report_legacy.csv",
    ],
)
def test_parsing_the_same_bytes_twice_gives_equal_results(name):
    assert parse(name) == parse(name)


def test_the_tool_is_recognized_from_the_content_not_the_file_name():
    assert parse_attendance_report(read("teams_report_en.csv"), "zoom_attendee_report.csv").tool == TEAMS
    assert parse_attendance_report(read("zoom_attendee_report.csv"), "meetingAttendanceReport.csv").tool == ZOOM


def test_a_teams_report_saved_again_in_utf8_still_reads():
    text = read("teams_report_en.csv").decode("utf-16")

    assert summary(parse_attendance_report(text.encode("utf-8"))) == TEAMS_PEOPLE


def test_a_zoom_report_saved_again_in_utf16_still_reads():
    text = read("zoom_attendee_report.csv").decode("utf-8")

    assert len(parse_attendance_report(text.encode("utf-16")).participants) == 8


# --- Refusals ------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    error = error_of(read("empty.csv"))

    assert error.message == EMPTY_FILE
    assert str(error) == "The file is empty."


@pytest.mark.parametrize("data", [b"\r\n\r\n", b",,,\r\n,,\r\n", b"\xef\xbb\xbf", b"\xff\xfe\r\x00\n\x00"])
def test_a_file_of_blank_lines_is_refused_as_empty(data):
    assert error_of(data).message == EMPTY_FILE


def test_a_spreadsheet_is_refused_with_a_hint_to_export_as_csv():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Role"])
    sheet.append(["Léa Tremblay", "11/20/26, 1:00 PM", "11/20/26, 1:30 PM", "30m", "lea@exemple.qc.ca", "Attendee"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    error = error_of(buffer.getvalue())

    assert error.message == BINARY_FILE
    assert str(error) == (
        "Line 1: This is a spreadsheet or another binary file: export the report as CSV from Zoom or Teams."
    )


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
    ],
    ids=["png", "pdf", "xls"],
)
def test_images_and_documents_are_refused_as_binary(data):
    assert error_of(data).message == BINARY_FILE


def test_text_with_nul_characters_is_refused_as_binary_naming_the_line():
    error = error_of(b"Attendee Report,\r\nTopic,Webinar ID\r\nabc\x00\x01\x02")

    assert (error.message, error.line) == (BINARY_FILE, 3)


def test_text_in_an_unknown_encoding_is_refused_naming_the_line():
    data = read("zoom_attendee_report.csv").decode("utf-8").encode("cp1252", errors="replace")

    error = error_of(data)

    # Line 4 holds the topic, the first "é" and "–" of the file.
    assert (error.message, error.line) == (UNDECODABLE_TEXT, 4)


def test_a_file_cut_in_the_middle_of_a_character_says_so():
    data = read("teams_report_en.csv")[:-1]

    assert error_of(data).message == FILE_CUT_MID_CHARACTER


def test_a_csv_of_another_kind_is_refused_as_an_unknown_layout():
    error = error_of("\ufeffnom légal,NEQ,courriel\nCentre Fictif,1140000000,info@exemple.qc.ca\n".encode())

    assert (error.message, error.line) == (UNKNOWN_LAYOUT, 1)
    assert str(error).startswith("Line 1: This is neither a Zoom webinar attendee report nor a Teams attendance")


def test_zoom_report_cut_in_the_middle_of_a_row_names_the_row():
    error = error_of(read("zoom_attendee_report_truncated.csv"))

    assert error.message == ROW_CUT_SHORT % {"found": 8, "expected": 11}
    assert str(error) == "Line 18: This row has only 8 columns where 11 are needed: the file is cut short or damaged."


def test_zoom_report_cut_inside_a_quoted_value_names_the_line():
    data = read("zoom_attendee_report.csv").split(b"Site web")[0]

    error = error_of(data)

    assert (error.message, error.line) == (QUOTE_NOT_CLOSED, 15)


def test_zoom_report_that_stops_before_the_attendee_details_is_truncated():
    error = error_of(read("zoom_newer_export_truncated.csv"))

    assert (error.message, error.line) == (ZOOM_TRUNCATED, 7)


def test_zoom_attendee_details_without_their_header_line_is_truncated():
    data = read("zoom_attendee_report.csv").split(b"Attendee Details,")[0] + b"Attendee Details,\r\n"

    error = error_of(data)

    assert error.message == SECTION_WITHOUT_HEADER % {"section": "Attendee Details"}
    assert error.line == 11


def test_teams_summary_without_participants_is_truncated():
    error = error_of(read("teams_report_en_truncated.csv"))

    assert (error.message, error.line) == (TEAMS_TRUNCATED, 8)


def test_teams_french_report_cut_in_the_middle_of_a_row_names_the_row():
    error = error_of(read("teams_report_fr_truncated.csv"))

    assert (error.message, error.line) == (ROW_CUT_SHORT % {"found": 3, "expected": 7}, 13)


def test_teams_older_layout_with_only_its_summary_is_truncated():
    error = error_of(read("teams_report_legacy_truncated.csv"))

    assert (error.message, error.line) == (TEAMS_TRUNCATED, 6)


def test_a_malformed_duration_names_its_line_and_column():
    data = read("teams_report_en.csv").decode("utf-16").replace("1h 29m 20s", "1h 29x", 1).encode("utf-16")

    error = error_of(data)

    assert (error.message, error.line, error.column) == (BAD_DURATION % {"value": "1h 29x"}, 12, 4)
    assert str(error).startswith("Line 12, column 4: “1h 29x” is not a duration")


def test_a_malformed_time_names_its_line_and_column():
    data = read("zoom_attendee_report.csv").replace(b"11/20/2026 10:35:00 AM", b"11/20/2026 25:35:00", 1)

    error = error_of(data)

    assert (error.message, error.line, error.column) == (BAD_DATE_TIME % {"value": "11/20/2026 25:35:00"}, 14, 9)


def test_an_impossible_date_is_refused():
    data = read("zoom_attendee_report.csv").replace(b"11/20/2026 10:35:00 AM", b"02/30/2026 10:35:00 AM", 1)

    assert error_of(data).message == BAD_DATE_TIME % {"value": "02/30/2026 10:35:00 AM"}


def test_a_zoom_section_without_its_time_column_is_refused():
    data = read("zoom_attendee_report.csv").replace(b",Time in Session (minutes),Is Guest", b",Minutes,Is Guest")

    error = error_of(data)

    assert error.message == MISSING_COLUMN % {"section": "Host Details", "column": "Time in Session (minutes)"}
    assert error.line == 6


def test_teams_older_layout_with_an_unknown_action_is_refused():
    data = read("teams_report_legacy.csv").decode("utf-16").replace("Joined before", "Waved").encode("utf-16")

    error = error_of(data)

    assert (error.message, error.line, error.column) == (BAD_USER_ACTION % {"value": "Waved"}, 10, 2)


# --- Durations -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h 2m 10s", 62),
        ("45m 3s", 45),
        ("45m 30s", 46),
        ("59s", 1),
        ("29s", 0),
        ("1 h 2 min 10 s", 62),
        ("2 h", 120),
        ("1h", 60),
        ("01:02:10", 62),
        ("47:03", 47),
        ("62", 62),
        ("12.5", 13),
        (" 7 ", 7),
    ],
)
def test_minutes_from_duration(text, minutes):
    assert minutes_from_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "abc", "1h 2x", "11/20/26, 1:00 PM", "-5", "h m s"])
def test_minutes_from_duration_refuses_what_is_not_a_duration(text):
    with pytest.raises(ReportError) as caught:
        minutes_from_duration(text)

    assert caught.value.message == BAD_DURATION % {"value": text.strip()}
    assert caught.value.line is None


# --- Size ------------------------------------------------------------------------------------------


def zoom_report_of(attendees: int) -> bytes:
    """A Zoom report of ``attendees`` people, each joining twice."""
    lines = [
        "Attendee Report,",
        'Report Generated:,"11/20/2026 12:05:31 PM",',
        "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,Unique Viewers,",
        f'"Grand webinaire","812 3456 7890","11/20/2026 09:00:00 AM",120,{attendees},{attendees},',
        "Attendee Details,",
        "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,"
        "Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,Organisation,",
    ]
    for number in range(attendees):
        person = f"Personne{number},Fictive,personne{number}@exemple.qc.ca,11/01/2026 09:00:00 AM,approved"
        lines.append(
            f"Yes,Personne{number} Fictive,{person},11/20/2026 09:01:00 AM,11/20/2026 09:41:00 AM,40,Yes,Canada,OBNL,"
        )
        lines.append(
            f"Yes,Personne{number} Fictive,{person},11/20/2026 10:00:00 AM,11/20/2026 10:20:00 AM,20,Yes,Canada,OBNL,"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_large_zoom_report_is_read_whole():
    report = parse_attendance_report(zoom_report_of(5_000))

    assert len(report.participants) == 5_000
    assert {person.minutes_present for person in report.participants} == {60}
    assert report.participants[-1].email == "personne4999@exemple.qc.ca"
