"""Reading the attendance reports that webinar tools export: Zoom and Microsoft Teams.

``parse_attendance_report(data)`` takes the uploaded bytes, finds which tool wrote them from the
content (never from the file name), and returns an ``AttendanceReport``: the meeting's title and
times, and one ``Participant`` per person, several joins added up into minutes present. Anything
it cannot read raises ``ReportError`` with a translated message and the 1-based line (and column)
of the problem, so the import page can say where the file is wrong and save nothing.

The two layouts (see the fixtures in ``tests/reports/`` for small complete examples):

* Zoom's webinar "Attendee Report" is a comma-separated file of stacked sections: a title line,
  "Report Generated:", a header line and a value line for the webinar (topic, ID, actual start
  time, duration…), then "Host Details", "Panelist Details", "Attendee Details" and sometimes
  "Other Attended", each a title line followed by its own header line and one row per join.
  Registered no-shows have "No" in "Attended" and "--" in the times.
* Teams' attendance report is UTF-16 with a byte-order mark and tab-separated although it is
  named ``.csv``. The current layout has "1. Summary" (key and value lines), "2. Participants"
  (one line per person, with the total "In-Meeting Duration") and "3. In-Meeting Activities" (one
  line per join). The older layout has a "Meeting Summary" block and then one "Joined" or "Left"
  line per event. Section titles and headers follow the organizer's language.

Sections and columns are found by their names, folded (``virage.core.text.fold``) and looked up in
the alias tables below, never by line numbers, because both tools add columns and lines over time.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from virage.core.text import fold

ZOOM = "zoom"
TEAMS = "teams"

HOST = "host"
PANELIST = "panelist"
ORGANIZER = "organizer"
PRESENTER = "presenter"
ATTENDEE = "attendee"

# When one person shows up in several sections (a panelist who also registered as an attendee),
# the most responsible role wins.
_ROLE_RANK = {HOST: 0, ORGANIZER: 1, PANELIST: 2, PRESENTER: 3, ATTENDEE: 4}

EMPTY_FILE = _("The file is empty.")
BINARY_FILE = _("This is a spreadsheet or another binary file: export the report as CSV from Zoom or Teams.")
UNDECODABLE_TEXT = _(
    "The text cannot be read (unknown character encoding): export the report again from Zoom or Teams."
)
FILE_CUT_MID_CHARACTER = _("The file ends in the middle of a character: it is cut short, export it again.")
UNKNOWN_LAYOUT = _(
    "This is neither a Zoom webinar attendee report nor a Teams attendance report: no section or column of "
    "those reports was found."
)
ZOOM_TRUNCATED = _("The Zoom report stops before its attendee details: the file is cut short, export it again.")
TEAMS_TRUNCATED = _(
    "The Teams report has a summary but no list of participants: the file is cut short, export it again."
)
SECTION_WITHOUT_HEADER = _("The “%(section)s” section has no column headers: the file is cut short or damaged.")
QUOTE_NOT_CLOSED = _(
    "A quoted value is not closed, or has text right after its closing quote: the file is cut short or damaged."
)
ROW_CUT_SHORT = _(
    "This row has only %(found)s columns where %(expected)s are needed: the file is cut short or damaged."
)
MISSING_COLUMN = _("The “%(section)s” section has no “%(column)s” column.")
BAD_DURATION = _("“%(value)s” is not a duration (examples: 1h 2m 10s, 45m 3s, 01:02:10, 62).")
BAD_DATE_TIME = _("“%(value)s” is not a date and time.")
BAD_USER_ACTION = _("“%(value)s” is neither “Joined” nor “Left”.")
AT_LINE = _("Line %(line)s: %(message)s")
AT_LINE_AND_COLUMN = _("Line %(line)s, column %(column)s: %(message)s")


class ReportError(ValueError):
    """The file cannot be read as an attendance report; ``line`` and ``column`` are 1-based."""

    def __init__(self, message, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line and self.column:
            return str(AT_LINE_AND_COLUMN % {"line": self.line, "column": self.column, "message": self.message})
        if self.line:
            return str(AT_LINE % {"line": self.line, "message": self.message})
        return str(self.message)


@dataclass
class Participant:
    """One person in the report, all their rows (joins) merged."""

    name: str
    email: str = ""
    normalized_name: str = ""
    role: str = ATTENDEE
    attended: bool = True
    minutes_present: int = 0
    joins: list[tuple[datetime.datetime | None, datetime.datetime | None]] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class AttendanceReport:
    """What a report says about one meeting or webinar."""

    tool: str
    title: str = ""
    meeting_id: str = ""
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    duration_minutes: int | None = None
    language: str = "en"
    filename: str = ""
    participants: list[Participant] = field(default_factory=list)


# --- Alias tables ------------------------------------------------------------------------------
#
# Keys are canonical names; values are the header texts seen in exports, compared once folded.
# "verified" means seen in the tools' documentation or in public parsers of real exports;
# "assumed" means written from the tools' usual wording and kept tolerant on purpose.

_ZOOM_SECTIONS = {
    # Verified (public parsers of real exports): "Attendee Details". From the description
    # of the report, not seen in a source: "Attendee Report", "Host Details", "Panelist Details",
    # "Other Attended"; the plural forms are assumed.
    "title": ("Attendee Report", "Webinar Attendee Report"),
    "host": ("Host Details",),
    "panelist": ("Panelist Details", "Panelists Details"),
    "attendee": ("Attendee Details", "Attendees Details"),
    "other": ("Other Attended",),
}

_ZOOM_COLUMNS = {
    # Verified (public parsers of real exports): Attended, User Name (Original Name), First Name,
    # Last Name, Email, Phone, Registration Time, Approval Status, Join Time, Leave Time,
    # Time in Session (minutes), Is Guest, Country/Region Name, Source Name.
    "attended": ("Attended",),
    # Assumed: the shorter names, for exports that drop "(Original Name)".
    "user_name": ("User Name (Original Name)", "User Name", "Name (Original Name)", "Name"),
    "first_name": ("First Name",),
    "last_name": ("Last Name",),
    # Assumed: "User Email" and "E-mail", the wording of Zoom's meeting participant reports.
    "email": ("Email", "User Email", "E-mail"),
    "join_time": ("Join Time",),
    "leave_time": ("Leave Time",),
    # Assumed: "Duration (minutes)", the wording of Zoom's meeting participant reports.
    "minutes": ("Time in Session (minutes)", "Duration (minutes)", "Duration (Minutes)"),
}

_ZOOM_WEBINAR_COLUMNS = {
    # Verified (public parsers of real exports): a header line then a value line with Topic,
    # Webinar ID, Actual Start Time ("04/26/2026 10:45:17 AM"), Actual Duration (minutes),
    # # Registrants, Unique Viewers, Total Users; only the first four are read.
    "topic": ("Topic",),
    # Assumed: "Meeting ID" when the same report is run on a meeting.
    "meeting_id": ("Webinar ID", "Meeting ID"),
    "start": ("Actual Start Time", "Start Time"),
    "duration": ("Actual Duration (minutes)", "Duration (minutes)"),
}

_TEAMS_SECTIONS = {
    # Verified (a public parser's transcription of a real export): "1. Summary", "2. Participants",
    # "3. In-Meeting Activities". Assumed (Teams' French interface wording, not seen in an export):
    # "Résumé", "Synthèse", "Activités de la réunion", "Activités en réunion".
    "summary": ("Summary", "Résumé", "Synthèse"),
    "participants": ("Participants",),
    "activities": ("In-Meeting Activities", "Activités de la réunion", "Activités en réunion"),
    # Assumed (the older export as the issue describes it, not seen in a source): "Meeting Summary".
    "legacy_summary": ("Meeting Summary", "Résumé de la réunion"),
}

_TEAMS_SUMMARY_KEYS = {
    # Verified: Meeting title, Start time, End time, Meeting duration ("1h 30m 51s"), with dates
    # written "7/22/26, 7:00:11 PM". Assumed: the older layout's Meeting Title, Meeting Start Time,
    # Meeting End Time, and every French key.
    "title": ("Meeting title", "Titre de la réunion"),
    "start": ("Start time", "Meeting Start Time", "Heure de début", "Heure de début de la réunion"),
    "end": ("End time", "Meeting End Time", "Heure de fin", "Heure de fin de la réunion"),
    "duration": ("Meeting duration", "Durée de la réunion"),
}

_TEAMS_COLUMNS = {
    # Verified: Name, First join, Last leave, In-meeting duration, Email, Participant ID (UPN), Role
    # (the capitals vary between exports, which folding absorbs); in the activities Join time,
    # Leave time, Duration, Email, Role. Assumed: the older layout's Full Name, User Action,
    # Timestamp; every French header (the wordings Teams' French interface has used: Nom,
    # Première participation / Première connexion, Dernier départ, Durée dans la réunion,
    # Adresse de courrier / E-mail, ID du participant (UPN), Rôle, Heure d'arrivée, Heure de départ).
    "name": ("Name", "Full Name", "Nom", "Nom complet"),
    "first_join": ("First Join", "Première participation", "Première connexion", "Première jonction"),
    "last_leave": ("Last Leave", "Dernier départ", "Dernière sortie"),
    "duration": (
        "In-Meeting Duration",
        "Duration",
        "Durée dans la réunion",
        "Durée de la réunion",
        "Durée en réunion",
        "Durée",
    ),
    "email": ("Email", "E-mail", "Adresse de courrier", "Adresse e-mail", "Adresse de messagerie", "Courriel"),
    "upn": ("Participant ID (UPN)", "ID du participant (UPN)", "ID de participant (UPN)"),
    "role": ("Role", "Rôle"),
    "join_time": ("Join Time", "Heure de participation", "Heure d'arrivée", "Heure de connexion"),
    "leave_time": ("Leave Time", "Heure de départ", "Heure de déconnexion"),
    "action": ("User Action", "Action de l'utilisateur", "Action utilisateur"),
    "timestamp": ("Timestamp", "Horodatage", "Horodateur"),
}

# Words that only a French export uses: they decide that ambiguous dates are day first. They are
# compared with their accents (lower case), since "Rôle" and "Role" fold to the same text.
_FRENCH_WORDS = {
    word.casefold()
    for word in (
        "Résumé",
        "Synthèse",
        "Activités de la réunion",
        "Activités en réunion",
        "Résumé de la réunion",
        "Titre de la réunion",
        "Heure de début",
        "Nom",
        "Nom complet",
        "Première participation",
        "Première connexion",
        "Dernier départ",
        "Durée dans la réunion",
        "Horodatage",
    )
}

_TEAMS_ROLES = {
    # Verified: Organizer, Presenter, Attendee. Assumed: Co-organizer, Guest and the French words.
    ORGANIZER: ("Organizer", "Co-organizer", "Organisateur", "Organisatrice", "Coorganisateur", "Co-organisateur"),
    PRESENTER: ("Presenter", "Présentateur", "Présentatrice"),
    ATTENDEE: ("Attendee", "Participant", "Participante", "Guest", "Invité"),
}

_TEAMS_ACTIONS = {
    # "Joined" and "Left" appear in a public parser's types for this layout; "Joined before" (people
    # already in the meeting when the report started) and the French words are assumed.
    "join": ("Joined", "Joined before", "A rejoint", "Rejoint", "A rejoint avant", "Connecté"),
    "leave": ("Left", "A quitté", "Parti", "Partie", "Déconnecté"),
}

_YES = {fold(word) for word in ("Yes", "Oui", "True")}
_NO = {fold(word) for word in ("No", "Non", "False")}
_MISSING = {"", "--", "-", "n/a"}


def _alias_index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(alias): key for key, aliases in table.items() for alias in aliases}


_ZOOM_SECTION_INDEX = _alias_index(_ZOOM_SECTIONS)
_ZOOM_COLUMN_INDEX = _alias_index(_ZOOM_COLUMNS)
_ZOOM_WEBINAR_INDEX = _alias_index(_ZOOM_WEBINAR_COLUMNS)
_TEAMS_SECTION_INDEX = _alias_index(_TEAMS_SECTIONS)
_TEAMS_SUMMARY_INDEX = _alias_index(_TEAMS_SUMMARY_KEYS)
_TEAMS_COLUMN_INDEX = _alias_index(_TEAMS_COLUMNS)
_TEAMS_ROLE_INDEX = _alias_index(_TEAMS_ROLES)
_TEAMS_ACTION_INDEX = _alias_index(_TEAMS_ACTIONS)

# --- Durations -----------------------------------------------------------------------------------

_UNIT_DURATION = re.compile(
    r"^(?:(?P<hours>\d+)\s*(?:heures?|hours?|hrs?|h)\.?\s*)?"
    r"(?:(?P<minutes>\d+)\s*(?:minutes?|mins?|mn|m)\.?\s*)?"
    r"(?:(?P<seconds>\d+)\s*(?:secondes?|seconds?|secs?|s)\.?)?$",
    re.IGNORECASE,
)
_CLOCK_DURATION = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")
_PLAIN_MINUTES = re.compile(r"^\d+(?:[.,]\d+)?$")


def _seconds_from_duration(text: str) -> int:
    """Seconds in a duration as the tools write it; raises ReportError(BAD_DURATION)."""
    value = (text or "").strip()
    compact = value.replace("\u00a0", " ")
    if _PLAIN_MINUTES.match(compact):
        # A bare number is minutes: Zoom's "Time in Session (minutes)", a hand-edited cell.
        try:
            return int((Decimal(compact.replace(",", ".")) * 60).to_integral_value(ROUND_HALF_UP))
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            pass
    clock = _CLOCK_DURATION.match(compact)
    if clock:
        first, second, third = clock.groups()
        # "01:02:10" is hours, minutes, seconds; "47:03" is minutes and seconds.
        if third is None:
            return int(first) * 60 + int(second)
        return int(first) * 3600 + int(second) * 60 + int(third)
    units = _UNIT_DURATION.match(compact)
    if compact and units and any(units.groups()):
        hours, minutes, seconds = (int(part or 0) for part in units.group("hours", "minutes", "seconds"))
        return hours * 3600 + minutes * 60 + seconds
    raise ReportError(BAD_DURATION % {"value": value})


def _minutes(seconds: int) -> int:
    # Half a minute or more counts as a minute, so "59s" is 1 and "45m 29s" is 45: the sum of
    # several joins is rounded once, after adding their seconds.
    return int((Decimal(seconds) / 60).to_integral_value(ROUND_HALF_UP))


def minutes_from_duration(text: str) -> int:
    """Whole minutes in ``text``: "1h 2m 10s", "45m 3s", "59s", "1 h 2 min 10 s", "01:02:10", "62".

    Seconds are rounded to the nearest minute (half up). Raises ``ReportError`` (without a line)
    when the text is not a duration.
    """
    return _minutes(_seconds_from_duration(text))


# --- Dates ---------------------------------------------------------------------------------------

_NUMERIC_DATE_TIME = re.compile(
    r"^(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})(?:,|T|\s)*(?:à\s*)?"
    r"(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?\s*"
    r"(?P<meridiem>[AaPp]\.?\s?[Mm]\.?)?$"
)
_NAMED_DATE_TIME = re.compile(
    r"^(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4}),?\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<meridiem>[AaPp]\.?\s?[Mm]\.?)?$"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_SLASHED_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})(?!\d)")


def _day_first(text: str, *, default: bool) -> bool:
    """Whether the report writes ambiguous dates day first.

    A date whose first number is above 12 settles it (``20/11/2026``), and so does one whose
    second is (``11/20/26``); otherwise the language of the report decides: the French export
    writes day first, the English (United States) one month first, and so does Zoom. A file
    that contains both kinds is read with the default and fails on the first date that cannot be.
    """
    day_first_seen = month_first_seen = False
    for first, second, _year in _SLASHED_DATE.findall(text):
        if int(first) > 12:
            day_first_seen = True
        elif int(second) > 12:
            month_first_seen = True
        if day_first_seen and month_first_seen:
            return default
    if day_first_seen:
        return True
    if month_first_seen:
        return False
    return default


class _DateReader:
    """Reads the report's dates and times into aware datetimes in the report's time zone.

    Neither tool writes a time zone: Zoom uses the account's and Teams the organizer's, which for
    Virage is the site's (``settings.TIME_ZONE``) unless the caller says otherwise.
    """

    def __init__(self, *, day_first: bool, zone: datetime.tzinfo):
        self.day_first = day_first
        self.zone = zone

    def __call__(self, text: str, *, line: int, column: int | None = None) -> datetime.datetime | None:
        value = (text or "").strip()
        if value in _MISSING:
            return None
        parts = self._parts(value)
        if parts is None:
            raise ReportError(BAD_DATE_TIME % {"value": value}, line=line, column=column)
        year, month, day, hour, minute, second, meridiem = parts
        if meridiem:
            if not 1 <= hour <= 12:
                raise ReportError(BAD_DATE_TIME % {"value": value}, line=line, column=column)
            hour = hour % 12 + (12 if meridiem.lower().startswith("p") else 0)
        if year < 100:
            year += 2000
        try:
            return datetime.datetime(year, month, day, hour, minute, second, tzinfo=self.zone)
        except ValueError:
            raise ReportError(BAD_DATE_TIME % {"value": value}, line=line, column=column) from None

    def _parts(self, value: str):
        match = _NUMERIC_DATE_TIME.match(value)
        if match:
            a, b, c = (int(match.group(name)) for name in "abc")
            if len(match.group("a")) == 4:
                year, month, day = a, b, c
            elif int(a) > 12 or (self.day_first and b <= 12):
                day, month, year = a, b, c
            else:
                month, day, year = a, b, c
        else:
            match = _NAMED_DATE_TIME.match(value)
            if not match or match.group("month").lower() not in _MONTHS:
                return None
            year, month, day = int(match.group("year")), _MONTHS[match.group("month").lower()], int(match.group("day"))
        return (
            year,
            month,
            day,
            int(match.group("hour")),
            int(match.group("minute")),
            int(match.group("second") or 0),
            (match.group("meridiem") or "").replace(".", "").replace(" ", ""),
        )


# --- Reading the bytes ---------------------------------------------------------------------------

_BINARY_SIGNATURES = (
    b"PK\x03\x04",  # ZIP: .xlsx, .ods, .docx
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: .xls, .doc
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
)


@dataclass
class _Record:
    line: int  # 1-based line where the record starts
    raw: list[str]  # cells as read, trailing empty cells included
    cells: list[str]  # cells stripped, trailing empty cells removed

    @property
    def is_blank(self) -> bool:
        return not self.cells

    def folded_single(self) -> str | None:
        """The folded text of a title line ("Attendee Details", "2. Participants"), else None."""
        if len(self.cells) != 1:
            return None
        return _strip_number(fold(self.cells[0]))


def _strip_number(folded: str) -> str:
    # Teams numbers its sections ("2. Participants"); the number carries no meaning here.
    return re.sub(r"^\d+\s+", "", folded)


def _line_of_offset(data: bytes, offset: int, *, unit: int = 1) -> int:
    newline = b"\n" if unit == 1 else "\n".encode("utf-16-le")
    return data[:offset].count(newline) + 1


def _decode(data: bytes) -> str:
    if any(data.startswith(signature) for signature in _BINARY_SIGNATURES):
        raise ReportError(BINARY_FILE, line=1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        # UTF-16 little-endian without its byte-order mark: every ASCII character is followed by NUL.
        encoding = "utf-16-le"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        unit = 2 if encoding.startswith("utf-16") else 1
        message = FILE_CUT_MID_CHARACTER if error.end >= len(data) else UNDECODABLE_TEXT
        raise ReportError(message, line=_line_of_offset(data, error.start, unit=unit)) from None
    nul = text.find("\x00")
    if nul >= 0:
        # Text with NUL characters in it is a binary file that happened to decode.
        raise ReportError(BINARY_FILE, line=text.count("\n", 0, nul) + 1)
    return text


def _delimiter(text: str) -> str:
    """Tab for Teams (even when re-saved in UTF-8), comma for Zoom and anything else."""
    lines_with_tab = lines_with_comma = 0
    for line in text[:20_000].splitlines()[:40]:
        if "\t" in line:
            lines_with_tab += 1
        elif "," in line:
            lines_with_comma += 1
    return "\t" if lines_with_tab and lines_with_tab >= lines_with_comma else ","


def _records(text: str) -> list[_Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    records = []
    line = 1
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise ReportError(QUOTE_NOT_CLOSED, line=line) from None
        cells = [cell.strip() for cell in raw]
        while cells and not cells[-1]:
            cells.pop()
        records.append(_Record(line=line, raw=raw, cells=cells))
        line = reader.line_num + 1
    return records


# --- Shared table reading ------------------------------------------------------------------------


@dataclass
class _Table:
    """A section's header and rows: ``columns`` maps canonical names to 0-based indexes."""

    title: str
    header: _Record
    columns: dict[str, int]
    extra_columns: dict[int, str]
    rows: list[_Record]

    def needed_width(self) -> int:
        return max(self.columns.values()) + 1

    def value(self, row: _Record, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(row.raw):
            return ""
        return row.raw[index].strip()

    def extra(self, row: _Record) -> dict[str, str]:
        values = {}
        for index, name in self.extra_columns.items():
            if index < len(row.raw):
                value = row.raw[index].strip()
                if value not in _MISSING:
                    values[name] = value
        return values


def _table(title: str, header: _Record, rows: list[_Record], index: dict[str, str]) -> _Table:
    columns: dict[str, int] = {}
    extra_columns: dict[int, str] = {}
    for position, cell in enumerate(header.cells):
        key = index.get(fold(cell))
        if key and key not in columns:
            columns[key] = position
        elif cell:
            # Custom registration questions and the columns newer exports add are kept as they are.
            extra_columns[position] = cell
    return _Table(title=title, header=header, columns=columns, extra_columns=extra_columns, rows=rows)


def _require(table: _Table, key: str, label: str) -> None:
    if key not in table.columns:
        raise ReportError(MISSING_COLUMN % {"section": table.title, "column": label}, line=table.header.line)


def _check_width(table: _Table, row: _Record) -> None:
    # A padded row has more cells than its header; a shorter one was cut (an interrupted download,
    # a file edited by hand). Only the columns actually read count, so a no-show whose trailing
    # cells are missing altogether still passes when the columns read are there.
    expected = table.needed_width()
    if len(row.raw) < expected:
        raise ReportError(ROW_CUT_SHORT % {"found": len(row.raw), "expected": expected}, line=row.line)


def _split_sections(records: list[_Record], index: dict[str, str]) -> list[tuple[str, _Record, list[_Record]]]:
    """(section key, title record, following records) for each known section title."""
    sections: list[tuple[str, _Record, list[_Record]]] = []
    for record in records:
        folded = record.folded_single()
        key = index.get(folded) if folded is not None else None
        if key:
            sections.append((key, record, []))
        elif sections:
            sections[-1][2].append(record)
    return sections


def _header_and_rows(title_record: _Record, body: list[_Record]) -> tuple[_Record, list[_Record]]:
    content = [record for record in body if not record.is_blank]
    if not content:
        raise ReportError(SECTION_WITHOUT_HEADER % {"section": title_record.cells[0]}, line=title_record.line)
    return content[0], content[1:]


# --- Merging rows into people --------------------------------------------------------------------


class _People:
    """Merges rows into participants: by e-mail (case-insensitive) when there is one, else by name."""

    def __init__(self):
        self.people: list[Participant] = []
        self.seconds: list[int] = []
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, int] = {}

    def add(
        self,
        *,
        name: str,
        email: str,
        role: str,
        attended: bool,
        seconds: int,
        join: tuple[datetime.datetime | None, datetime.datetime | None] | None,
        extra: dict[str, str],
    ) -> Participant:
        email = email.strip().lower()
        position = self.by_email.get(email) if email else None
        if position is None:
            # Folding is the costly part of a row: only done for a person not yet met by e-mail.
            normalized = fold(name)
            if not email:
                position = self.by_name.get(normalized)
        if position is None:
            position = len(self.people)
            self.people.append(Participant(name=name.strip(), email=email, normalized_name=normalized, role=role))
            self.seconds.append(0)
            self.people[position].attended = False
            if email:
                self.by_email[email] = position
            self.by_name.setdefault(normalized, position)
        person = self.people[position]
        if _ROLE_RANK[role] < _ROLE_RANK[person.role]:
            person.role = role
        person.attended = person.attended or attended
        self.seconds[position] += seconds
        if join is not None:
            person.joins.append(join)
        for key, value in extra.items():
            person.extra.setdefault(key, value)
        return person

    def result(self) -> list[Participant]:
        for person, seconds in zip(self.people, self.seconds, strict=True):
            person.minutes_present = _minutes(seconds)
        return self.people


# --- Zoom ----------------------------------------------------------------------------------------

_ZOOM_ROLES = {"host": HOST, "panelist": PANELIST, "attendee": ATTENDEE, "other": ATTENDEE}
_ZOOM_SECTION_LABELS = {
    "host": "Host Details",
    "panelist": "Panelist Details",
    "attendee": "Attendee Details",
    "other": "Other Attended",
}


# Headers sit near the top of a report; looking further only costs time on a large file.
_HEADER_SEARCH_DEPTH = 60


def _is_zoom(records: list[_Record]) -> bool:
    for position, record in enumerate(records):
        folded = record.folded_single()
        if folded is not None and folded in _ZOOM_SECTION_INDEX:
            return True
        if folded is None and position < _HEADER_SEARCH_DEPTH:
            folded_cells = {fold(cell) for cell in record.cells}
            if {"topic", "webinar id"} <= folded_cells or {"attended", "user name original name"} <= folded_cells:
                return True
    return False


def _parse_zoom(records: list[_Record], text: str, zone: datetime.tzinfo) -> AttendanceReport:
    report = AttendanceReport(tool=ZOOM)
    read_date = _DateReader(day_first=_day_first(text, default=False), zone=zone)
    last_line = records[-1].line

    # The webinar's header line and the value line right after it.
    for position, record in enumerate(records):
        folded = [fold(cell) for cell in record.cells]
        if "topic" in folded and any(index in _ZOOM_WEBINAR_INDEX for index in folded[1:]):
            values = next((other for other in records[position + 1 :] if not other.is_blank), None)
            if values is None or values.folded_single() in _ZOOM_SECTION_INDEX:
                raise ReportError(ZOOM_TRUNCATED, line=last_line)
            webinar = _table("Topic", record, [values], _ZOOM_WEBINAR_INDEX)
            report.title = webinar.value(values, "topic")
            report.meeting_id = webinar.value(values, "meeting_id")
            start_column = webinar.columns.get("start")
            report.start = read_date(
                webinar.value(values, "start"),
                line=values.line,
                column=None if start_column is None else start_column + 1,
            )
            duration = webinar.value(values, "duration")
            if duration not in _MISSING:
                try:
                    report.duration_minutes = minutes_from_duration(duration)
                except ReportError as error:
                    raise ReportError(error.message, line=values.line) from None
                if report.start is not None:
                    report.end = report.start + datetime.timedelta(minutes=report.duration_minutes)
            break

    sections = _split_sections(records, _ZOOM_SECTION_INDEX)
    if not any(key == "attendee" for key, _title, _body in sections):
        raise ReportError(ZOOM_TRUNCATED, line=last_line)

    people = _People()
    for key, title_record, body in sections:
        if key == "title":
            continue
        if key != "attendee" and all(record.is_blank for record in body):
            # A webinar without panelists may keep the title of their section and nothing under
            # it; only the attendee details are required.
            continue
        header, rows = _header_and_rows(title_record, body)
        table = _table(_ZOOM_SECTION_LABELS[key], header, rows, _ZOOM_COLUMN_INDEX)
        if "user_name" not in table.columns and "first_name" not in table.columns:
            _require(table, "user_name", "User Name (Original Name)")
        _require(table, "minutes", "Time in Session (minutes)")
        for row in table.rows:
            _read_zoom_row(table, row, role=_ZOOM_ROLES[key], people=people, read_date=read_date, other=key == "other")
    report.participants = people.result()
    return report


def _read_zoom_row(table: _Table, row: _Record, *, role: str, people: _People, read_date: _DateReader, other: bool):
    _check_width(table, row)
    first_last = " ".join(part for part in (table.value(row, "first_name"), table.value(row, "last_name")) if part)
    # Registrants are named as they registered; "User Name (Original Name)" is the display name
    # in the webinar, which people shorten or change, so it only serves when there is no other.
    name = first_last or table.value(row, "user_name")
    minutes_text = table.value(row, "minutes")
    if minutes_text in _MISSING:
        seconds = 0
    else:
        try:
            seconds = _seconds_from_duration(minutes_text)
        except ReportError as error:
            raise ReportError(error.message, line=row.line, column=table.columns["minutes"] + 1) from None
    attended_text = fold(table.value(row, "attended"))
    if attended_text in _NO:
        attended = False
    elif attended_text in _YES or "attended" not in table.columns:
        attended = True
    else:
        attended = seconds > 0
    join_time = read_date(table.value(row, "join_time"), line=row.line, column=_column(table, "join_time"))
    leave_time = read_date(table.value(row, "leave_time"), line=row.line, column=_column(table, "leave_time"))
    join = (join_time, leave_time) if attended and (join_time or leave_time) else None
    extra = table.extra(row)
    if other:
        # "Other Attended" lists people who joined without being registered (or under another e-mail).
        extra["Other Attended"] = "Yes"
    people.add(
        name=name,
        email=table.value(row, "email"),
        role=role,
        attended=attended,
        seconds=seconds if attended else 0,
        join=join,
        extra=extra,
    )


def _column(table: _Table, key: str) -> int | None:
    index = table.columns.get(key)
    return None if index is None else index + 1


# --- Teams ---------------------------------------------------------------------------------------


def _teams_keys(record: _Record) -> set[str | None]:
    return {_TEAMS_COLUMN_INDEX.get(fold(cell)) for cell in record.cells}


def _is_teams(records: list[_Record]) -> bool:
    for position, record in enumerate(records):
        folded = record.folded_single()
        if folded is not None and folded in _TEAMS_SECTION_INDEX and folded != "participants":
            return True
        if folded is None and position < _HEADER_SEARCH_DEPTH:
            keys = _teams_keys(record)
            if {"name", "duration", "role"} <= keys or {"name", "action", "timestamp"} <= keys:
                return True
    return False


def _teams_language(records: list[_Record]) -> str:
    for record in records[:200]:
        for cell in record.cells[:8]:
            if re.sub(r"^\d+\.?\s*", "", cell).casefold() in _FRENCH_WORDS:
                return "fr"
    return "en"


def _parse_teams(records: list[_Record], text: str, zone: datetime.tzinfo) -> AttendanceReport:
    language = _teams_language(records)
    report = AttendanceReport(tool=TEAMS, language=language)
    read_date = _DateReader(day_first=_day_first(text, default=language == "fr"), zone=zone)
    last_line = records[-1].line
    sections = {}
    for key, title_record, body in _split_sections(records, _TEAMS_SECTION_INDEX):
        sections.setdefault(key, (title_record, body))

    summary = sections.get("summary") or sections.get("legacy_summary")
    if summary:
        _read_teams_summary(report, summary[1], read_date)

    people = _People()
    if "participants" in sections or "activities" in sections:
        _read_teams_current(sections, people, read_date)
    else:
        legacy_header = next(
            (
                record
                for record in records[:_HEADER_SEARCH_DEPTH]
                if len(record.cells) >= 3 and {"name", "action", "timestamp"} <= _teams_keys(record)
            ),
            None,
        )
        if legacy_header is None:
            raise ReportError(TEAMS_TRUNCATED, line=last_line)
        rows = [record for record in records if record.line > legacy_header.line and not record.is_blank]
        table = _table("Full Name", legacy_header, rows, _TEAMS_COLUMN_INDEX)
        _read_teams_legacy(report, table, people, read_date)
    report.participants = people.result()
    return report


def _read_teams_summary(report: AttendanceReport, body: list[_Record], read_date: _DateReader) -> None:
    for record in body:
        if len(record.cells) < 2:
            continue
        key = _TEAMS_SUMMARY_INDEX.get(fold(record.cells[0]))
        value = record.cells[1]
        if key == "title":
            report.title = value
        elif key in ("start", "end"):
            setattr(report, key, read_date(value, line=record.line, column=2))
        elif key == "duration" and value not in _MISSING:
            try:
                report.duration_minutes = minutes_from_duration(value)
            except ReportError as error:
                raise ReportError(error.message, line=record.line, column=2) from None
    if report.duration_minutes is None and report.start and report.end:
        report.duration_minutes = _minutes(int((report.end - report.start).total_seconds()))


def _teams_role(text: str) -> str:
    return _TEAMS_ROLE_INDEX.get(fold(text), ATTENDEE)


def _teams_seconds(table: _Table, row: _Record) -> int:
    text = table.value(row, "duration")
    if text in _MISSING:
        return 0
    try:
        return _seconds_from_duration(text)
    except ReportError as error:
        raise ReportError(error.message, line=row.line, column=table.columns["duration"] + 1) from None


def _teams_email(table: _Table, row: _Record) -> str:
    email = table.value(row, "email")
    if not email:
        # Guests and older exports leave "Email" empty; the UPN is the sign-in address when it is one.
        upn = table.value(row, "upn")
        email = upn if "@" in upn else ""
    return email


def _read_teams_current(sections: dict, people: _People, read_date: _DateReader) -> None:
    activities: _Table | None = None
    if "activities" in sections:
        title_record, body = sections["activities"]
        header, rows = _header_and_rows(title_record, body)
        activities = _table(title_record.cells[0], header, rows, _TEAMS_COLUMN_INDEX)
        _require(activities, "name", "Name")
        _require(activities, "duration", "Duration")
    if "participants" in sections:
        title_record, body = sections["participants"]
        header, rows = _header_and_rows(title_record, body)
        table = _table(title_record.cells[0], header, rows, _TEAMS_COLUMN_INDEX)
        _require(table, "name", "Name")
        _require(table, "duration", "In-Meeting Duration")
        for row in table.rows:
            _check_width(table, row)
            first_join = read_date(table.value(row, "first_join"), line=row.line, column=_column(table, "first_join"))
            last_leave = read_date(table.value(row, "last_leave"), line=row.line, column=_column(table, "last_leave"))
            seconds = _teams_seconds(table, row)
            people.add(
                name=table.value(row, "name"),
                email=_teams_email(table, row),
                role=_teams_role(table.value(row, "role")),
                attended=True,
                # "In-Meeting Duration" is Teams' own sum of the person's joins; when the
                # activities are there too they give the joins, not a second count of minutes.
                seconds=seconds,
                join=None if activities else (first_join, last_leave),
                extra=table.extra(row),
            )
        if activities is None:
            return
        known = {id(person) for person in people.people}
        for row in activities.rows:
            _check_width(activities, row)
            join = (
                read_date(activities.value(row, "join_time"), line=row.line, column=_column(activities, "join_time")),
                read_date(activities.value(row, "leave_time"), line=row.line, column=_column(activities, "leave_time")),
            )
            seconds = _teams_seconds(activities, row)
            person = people.add(
                name=activities.value(row, "name"),
                email=_teams_email(activities, row),
                role=_teams_role(activities.value(row, "role")),
                attended=True,
                seconds=0,
                join=join,
                extra={},
            )
            if id(person) not in known:
                # Somebody only in the activities (a participants list cut by Teams' row limit):
                # their joins are all there is to count.
                people.seconds[people.people.index(person)] += seconds
        return
    # Only the activities: one row per join, added up.
    for row in activities.rows:
        _check_width(activities, row)
        join = (
            read_date(activities.value(row, "join_time"), line=row.line, column=_column(activities, "join_time")),
            read_date(activities.value(row, "leave_time"), line=row.line, column=_column(activities, "leave_time")),
        )
        people.add(
            name=activities.value(row, "name"),
            email=_teams_email(activities, row),
            role=_teams_role(activities.value(row, "role")),
            attended=True,
            seconds=_teams_seconds(activities, row),
            join=join,
            extra={},
        )


def _read_teams_legacy(report: AttendanceReport, table: _Table, people: _People, read_date: _DateReader) -> None:
    """The older layout: one "Joined" or "Left" line per event, paired in order for each person."""
    events: list[tuple[_Record, str, datetime.datetime | None]] = []
    for row in table.rows:
        _check_width(table, row)
        action = _TEAMS_ACTION_INDEX.get(fold(table.value(row, "action")))
        if action is None:
            raise ReportError(
                BAD_USER_ACTION % {"value": table.value(row, "action")}, line=row.line, column=_column(table, "action")
            )
        moment = read_date(table.value(row, "timestamp"), line=row.line, column=_column(table, "timestamp"))
        events.append((row, action, moment))
    moments = [moment for _row, _action, moment in events if moment]
    meeting_end = report.end or (max(moments) if moments else None)
    meeting_start = report.start or (min(moments) if moments else None)
    if report.start is None:
        report.start = meeting_start
    if report.end is None:
        report.end = meeting_end
    if report.duration_minutes is None and report.start and report.end:
        report.duration_minutes = _minutes(int((report.end - report.start).total_seconds()))

    open_joins: dict[str, datetime.datetime | None] = {}
    order: list[tuple[str, str, str]] = []  # key, name, e-mail, in order of first appearance
    joins: dict[str, list[tuple[datetime.datetime | None, datetime.datetime | None]]] = {}
    for row, action, moment in events:
        name = table.value(row, "name")
        email = _teams_email(table, row).lower()
        key = email or fold(name)
        if key not in joins:
            joins[key] = []
            order.append((key, name, email))
        if action == "join":
            if key in open_joins:
                # Two joins in a row (a second device): the first stays open until the next leave.
                continue
            open_joins[key] = moment
        else:
            # A leave without a join: the person was there since the start of the meeting.
            joins[key].append((open_joins.pop(key, meeting_start), moment))
    for key, moment in open_joins.items():
        # Still there when the report was made: present until the end of the meeting.
        joins[key].append((moment, meeting_end))
    for key, name, email in order:
        for join in joins[key] or [(None, None)]:
            start, end = join
            seconds = int((end - start).total_seconds()) if start and end and end > start else 0
            people.add(
                name=name,
                email=email,
                role=ATTENDEE,
                attended=True,
                seconds=seconds,
                join=join if start or end else None,
                extra={},
            )


# --- Entry point ---------------------------------------------------------------------------------


def parse_attendance_report(
    data: bytes, filename: str = "", *, zone: datetime.tzinfo | None = None
) -> AttendanceReport:
    """Read a Zoom webinar attendee report or a Teams attendance report.

    The tool is recognized from the content; ``filename`` is only kept on the result for the
    import's messages. Dates without a time zone (both tools write them so) are taken in ``zone``,
    the site's time zone by default. Raises ``ReportError`` naming the line of the problem.
    Reading the same bytes twice gives equal results.
    """
    if not data or not data.strip(b" \t\r\n,;\x00\xef\xbb\xbf\xff\xfe"):
        raise ReportError(EMPTY_FILE)
    text = _decode(data)
    records = _records(text)
    if all(record.is_blank for record in records):
        raise ReportError(EMPTY_FILE)
    zone = zone or ZoneInfo(settings.TIME_ZONE)
    if _is_zoom(records):
        report = _parse_zoom(records, text, zone)
    elif _is_teams(records):
        report = _parse_teams(records, text, zone)
    else:
        first = next(record for record in records if not record.is_blank)
        raise ReportError(UNKNOWN_LAYOUT, line=first.line)
    report.filename = filename
    return report
