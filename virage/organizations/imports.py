"""Reading and checking a spreadsheet of organizations and contacts (CSV or Excel .xlsx).

Nothing here writes to the database. :func:`read_table` turns the uploaded bytes into a header
and rows of text, refusing files that cannot be read; :func:`map_columns` finds the known columns
by their French or English names; :func:`validate_table` checks every row with the same
normalizers and messages as the forms, and reports each problem with the line and column the
person sees in their spreadsheet (the line of column names is line 1).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator, validate_email
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from virage.accounts.scope import scope_for
from virage.core.text import fold
from virage.geography.models import Municipality, Region

from .identifiers import normalize_charity_number, normalize_neq, normalize_postal_code
from .models import Organization, Person
from .phones import normalize_phone
from .services import DUPLICATE_CHARITY, DUPLICATE_NEQ

MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_BLANK_ROWS = 10_000
# Django's own message, so the French translation already exists.
REQUIRED = _("This field is required.")

FILE_EMPTY = _("The file is empty.")
FILE_TOO_LARGE = _("The file is larger than %(limit)s MB. Split it into several files.")
FILE_NOT_SPREADSHEET = _(
    "This file is not a spreadsheet. Save it as CSV (UTF-8) or as an Excel workbook (.xlsx) and try again."
)
FILE_OLD_EXCEL = _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV and try again.")
FILE_XLSX_UNREADABLE = _(
    "This Excel file cannot be opened: it may be damaged or protected by a password. "
    "Save it again as an Excel workbook (.xlsx) or as CSV and try again."
)
FILE_ENCODING = _("The characters of this file cannot be read. Save it as CSV UTF-8 and try again.")
FILE_CSV_MALFORMED = _("The file cannot be read as CSV near line %(line)s. Check its quotation marks.")
FILE_NO_HEADER = _("The file holds no data: its first line must hold the column names.")
FILE_NO_ROWS = _("The file has column names but no rows of data.")
FILE_TOO_MANY_ROWS = _("The file has more than %(limit)s rows. Split it into several files.")
FILE_MISSING_COLUMNS = _(
    "The file has no column for: %(columns)s. Its first line must hold the column names, as in the sample file."
)
FILE_DUPLICATE_COLUMN = _("The columns “%(first)s” and “%(second)s” hold the same information: keep only one.")

KIND_UNKNOWN = _("Unknown type. Use one of: %(choices)s.")
SECTOR_UNKNOWN = _("Unknown sector. Use one of: %(choices)s.")
LANGUAGE_UNKNOWN = _("Unknown language. Write “fr” (French) or “en” (English).")
MUNICIPALITY_UNKNOWN = _("No Quebec municipality has this name or code.")
MUNICIPALITY_AMBIGUOUS = _(
    "Several municipalities have this name (%(choices)s). Add a “région” column or give the 5-digit municipality code."
)
MUNICIPALITY_NOT_IN_REGION = _("No municipality of this name is in the region %(region)s.")
REGION_UNKNOWN = _("No Quebec administrative region has this name or number.")
OUTSIDE_REGIONS = _(
    "This municipality is in the region %(region)s, outside the regions you coordinate in this program."
)
WEBSITE_INVALID = _("Enter a valid web address, for example https://www.exemple.org.")
DUPLICATE_NEQ_IN_FILE = _("This Quebec enterprise number (NEQ) is already on line %(line)s of this file.")
DUPLICATE_CHARITY_IN_FILE = _("This charity registration number is already on line %(line)s of this file.")
DUPLICATE_NAME = _("An organization with this name is already registered in %(municipality)s: %(name)s.")
DUPLICATE_NAME_IN_FILE = _(
    "An organization with this name in this municipality is already on line %(line)s of this file."
)

# Bulk look-ups are split so no query carries more parameters than SQLite (32,766) accepts.
LOOKUP_CHUNK = 5_000

_URL = URLValidator(schemes=["http", "https"])
_MAGIC_NOT_SPREADSHEET = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NAME_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>\d{4,5})\)$")
_TRAILING_NOTE = re.compile(r"\s*\([^)]*\)\s*$")
_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class ImportFileError(Exception):
    """The file as a whole cannot be used; ``message`` says why, in words its owner understands."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Column:
    """A column the import understands: its key, the names it is shown under, the names it accepts."""

    key: str
    french: str
    english: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def display(self) -> str:
        return self.english if (translation.get_language() or "fr").startswith("en") else self.french

    def accepted_names(self) -> set[str]:
        return {fold(name) for name in (self.french, self.english, self.key, *self.aliases)}


# The sample file (docs/samples/organizations-import.csv) uses the French names.
COLUMNS = (
    Column("kind", "type", "kind", ("type d'organisation", "type d'organisme", "type of organization")),
    Column(
        "legal_name",
        "nom légal",
        "legal name",
        ("raison sociale", "nom de l'organisme", "nom de l'organisation", "nom de l'entreprise", "organization name"),
        required=True,
    ),
    Column("usual_name", "nom usuel", "usual name", ("nom d'usage", "operating name", "common name")),
    Column("neq", "NEQ", "Quebec enterprise number", ("numéro d'entreprise du Québec", "numéro d'entreprise")),
    Column(
        "charity_number",
        "numéro d'organisme de bienfaisance",
        "charity registration number",
        ("numéro d'enregistrement d'organisme de bienfaisance", "numéro de bienfaisance", "charity number"),
    ),
    Column("address", "adresse", "address", ("adresse civique", "street address")),
    Column("postal_code", "code postal", "postal code", ("postal_code",)),
    Column("municipality", "municipalité", "municipality", ("ville", "city", "code de municipalité"), required=True),
    Column("region", "région", "region", ("région administrative", "administrative region")),
    Column("sector", "secteur", "sector", ("secteur d'activité", "sector of activity")),
    Column("website", "site web", "website", ("site internet", "site", "web site", "url")),
    Column("first_name", "prénom du contact", "contact first name", ("prénom", "first name")),
    Column("last_name", "nom du contact", "contact last name", ("nom de famille du contact", "last name")),
    Column("email", "courriel du contact", "contact email", ("courriel", "email", "e-mail", "contact e-mail")),
    Column("phone", "téléphone du contact", "contact phone", ("téléphone", "phone", "telephone")),
    Column("role_title", "fonction du contact", "contact role", ("fonction", "titre", "job title", "role")),
    Column("language", "langue du contact", "contact language", ("langue", "language", "preferred language")),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
# Fields of the services whose errors belong to a column of another name.
FIELD_COLUMNS = {"preferred_language": "language"}
CONTACT_KEYS = ("first_name", "last_name", "email", "phone", "role_title", "language")

KIND_ALIASES = {
    Organization.Kind.COMMUNITY: ("organisme communautaire", "organisme", "communautaire", "OBNL", "OSBL", "community"),
    Organization.Kind.SME: ("PME", "SME", "entreprise", "business", "small business"),
    Organization.Kind.COOPERATIVE: ("coopérative", "coop", "cooperative"),
    Organization.Kind.SOCIAL_ECONOMY: (
        "entreprise d'économie sociale",
        "économie sociale",
        "social economy",
        "social economy enterprise",
    ),
    Organization.Kind.OTHER: ("autre", "other"),
}
# French names are spelled out so a file reads the same whatever the state of the translation catalogue.
SECTOR_ALIASES = {
    Organization.Sector.SOCIAL_SERVICES: ("services sociaux et communautaires", "services sociaux", "communautaire"),
    Organization.Sector.FOOD_SECURITY: ("sécurité alimentaire", "alimentation"),
    Organization.Sector.HOUSING: ("logement", "habitation"),
    Organization.Sector.EDUCATION: ("éducation et alphabétisation", "éducation", "alphabétisation"),
    Organization.Sector.EMPLOYMENT: ("emploi et insertion", "emploi", "employabilité", "insertion"),
    Organization.Sector.HEALTH: ("santé et bien-être", "santé"),
    Organization.Sector.CULTURE: ("arts et culture", "culture", "arts"),
    Organization.Sector.ENVIRONMENT: ("environnement",),
    Organization.Sector.MANUFACTURING: ("fabrication", "manufacturier"),
    Organization.Sector.RETAIL: ("commerce de détail", "commerce"),
    Organization.Sector.TOURISM: ("tourisme, hébergement et restauration", "tourisme", "restauration"),
    Organization.Sector.CONSTRUCTION: ("construction",),
    Organization.Sector.PROFESSIONAL_SERVICES: ("services professionnels",),
    Organization.Sector.AGRICULTURE: ("agriculture et foresterie", "agriculture", "foresterie"),
    Organization.Sector.TECHNOLOGY: ("technologies de l'information", "technologie", "informatique"),
    Organization.Sector.FINANCE: ("finance et assurances", "finance", "assurances"),
    Organization.Sector.PUBLIC: ("administration publique",),
    Organization.Sector.OTHER: ("autre",),
}
LANGUAGE_ALIASES = {
    "fr": ("fr", "français", "french", "francais", "fra"),
    "en": ("en", "anglais", "english", "eng"),
}


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------


@dataclass
class Table:
    """A spreadsheet as text: the column names, then each row with its line number."""

    headers: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    file_format: str  # "csv" or "xlsx"
    delimiter: str = ","


def read_table(content: bytes, file_name: str = "") -> Table:
    """Read an uploaded CSV or .xlsx file; raise :class:`ImportFileError` when it cannot be used.

    The format is recognized from the bytes, not the name: a workbook renamed ``.csv`` is still
    read as a workbook, and a picture renamed ``.xlsx`` is refused.
    """
    if not content or not content.strip():
        raise ImportFileError(FILE_EMPTY)
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ImportFileError(FILE_TOO_LARGE % {"limit": max(1, limit // (1024 * 1024))})
    if content.startswith(_ZIP):
        return _read_xlsx(content)
    if content.startswith(_OLE):
        raise ImportFileError(FILE_OLD_EXCEL)
    if content.startswith(_MAGIC_NOT_SPREADSHEET) or file_name.lower().endswith((".xlsx", ".xlsm")):
        # A file named .xlsx that is not a zip archive is damaged or something else renamed.
        raise ImportFileError(
            FILE_XLSX_UNREADABLE if file_name.lower().endswith((".xlsx", ".xlsm")) else FILE_NOT_SPREADSHEET
        )
    return _read_csv(_decode(content))


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's “Unicode text”), else Windows-1252."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(FILE_ENCODING) from error
    else:
        if b"\x00" in content:
            raise ImportFileError(FILE_NOT_SPREADSHEET)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on Windows saves "CSV (separated by semicolons)" in Windows-1252; its five
            # undefined bytes make decoding fail, which is what a binary file usually does.
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError as error:
                raise ImportFileError(FILE_ENCODING) from error
    # A text file has almost no control characters; a binary one decoded by luck has many.
    if len(_CONTROL.findall(text[:65536])) > max(3, len(text[:65536]) // 200):
        raise ImportFileError(FILE_NOT_SPREADSHEET)
    return text


def _sniff_delimiter(text: str) -> str:
    """The separator giving the most columns on the first non-empty line: comma, semicolon or tab."""
    first_line = next((line for line in io.StringIO(text) if line.strip()), "")
    best, best_count = ",", 1
    for delimiter in (",", ";", "\t"):
        try:
            count = len(next(csv.reader([first_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _read_csv(text: str) -> Table:
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        # Line numbers are record numbers: what a spreadsheet shows, even when a cell holds a line break.
        for number, record in enumerate(reader, start=1):
            cells = [cell.strip() for cell in record[:MAX_COLUMNS]]
            if not any(cells):
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(FILE_TOO_MANY_ROWS % {"limit": _number(MAX_ROWS)})
    except csv.Error as error:
        raise ImportFileError(FILE_CSV_MALFORMED % {"line": reader.line_num}) from error
    return _table(rows, "csv", delimiter)


def _number(value: int) -> str:
    """50 000, with the no-break space Quebec French puts between thousands."""
    return f"{value:,}".replace(",", "\u00a0")


def _read_xlsx(content: bytes) -> Table:
    # Imported here: openpyxl is only needed by the import, and it is slow to load.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as error:
        raise ImportFileError(FILE_XLSX_UNREADABLE) from error
    except Exception as error:  # openpyxl raises many kinds of errors on damaged XML.
        raise ImportFileError(FILE_XLSX_UNREADABLE) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(FILE_NO_HEADER)
        sheet = workbook.worksheets[0]
        rows = []
        blank_run = 0
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if not any(cells):
                # Formatted but empty rows can run to the sheet's last row: stop well before that.
                blank_run += 1
                if blank_run > MAX_BLANK_ROWS:
                    break
                continue
            blank_run = 0
            rows.append((number, cells))
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(FILE_TOO_MANY_ROWS % {"limit": _number(MAX_ROWS)})
    except ImportFileError:
        raise
    except Exception as error:  # Damage inside a sheet only shows while reading it.
        raise ImportFileError(FILE_XLSX_UNREADABLE) from error
    finally:
        workbook.close()
    return _table(rows, "xlsx", ",")


def _cell_text(value) -> str:
    """A cell as the person typed it: 1141234567 not 1141234567.0, dates as 2026-11-23."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _table(numbered_rows: Iterable[tuple[int, list[str]]], file_format: str, delimiter: str) -> Table:
    """Take the first non-empty row as the column names and every later non-empty row as data."""
    headers: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    for number, cells in numbered_rows:
        if not any(cells):
            continue
        if headers is None:
            headers, header_line = _trim(cells), number
            continue
        rows.append((number, cells))
    if headers is None:
        raise ImportFileError(FILE_NO_HEADER)
    if not rows:
        raise ImportFileError(FILE_NO_ROWS)
    width = len(headers)
    rows = [(number, (cells + [""] * width)[:width]) for number, cells in rows]
    return Table(headers=headers, header_line=header_line, rows=rows, file_format=file_format, delimiter=delimiter)


def _trim(cells: list[str]) -> list[str]:
    """Drop the empty cells at the end of the line of column names (spreadsheets pad it)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------


def map_columns(headers: list[str]) -> dict[str, int]:
    """``{column key: index}`` for the known columns; unknown columns are kept but ignored.

    Raises :class:`ImportFileError` naming the required columns that are missing.
    """
    names = {}
    for column in COLUMNS:
        for name in column.accepted_names():
            names.setdefault(name, column.key)
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        # "Numéro d'entreprise du Québec (NEQ)": a name followed by a note in brackets is accepted.
        key = names.get(fold(header)) or names.get(fold(_TRAILING_NOTE.sub("", header)))
        if key is None:
            continue
        if key in positions:
            raise ImportFileError(FILE_DUPLICATE_COLUMN % {"first": headers[positions[key]], "second": header})
        positions[key] = index
    missing = [column for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        raise ImportFileError(
            FILE_MISSING_COLUMNS % {"columns": ", ".join(f"« {column.display} »" for column in missing)}
        )
    return positions


# ---------------------------------------------------------------------------------------------
# Checking the rows
# ---------------------------------------------------------------------------------------------


@dataclass
class Problem:
    line: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class CheckedRow:
    """One row: what the services need to write it, or the problems that stop it."""

    line: int
    cells: list[str]
    values: dict[str, str] = field(default_factory=dict)
    organization: dict = field(default_factory=dict)
    contact: dict | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems


@dataclass
class Validation:
    headers: list[str]
    rows: list[CheckedRow]
    positions: dict[str, int] = field(default_factory=dict)

    def header(self, key: str) -> str:
        """The file's name for a column (or a field of the services), else the name the import expects."""
        if key in self.positions:
            return self.headers[self.positions[key]]
        key = FIELD_COLUMNS.get(key, key)
        if key in self.positions:
            return self.headers[self.positions[key]]
        column = COLUMNS_BY_KEY.get(key)
        return column.display if column else ""

    @property
    def valid_rows(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.is_valid]

    @property
    def rejected_rows(self) -> list[CheckedRow]:
        return [row for row in self.rows if not row.is_valid]

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]


def allowed_region_ids(user, program_id: int) -> frozenset[int] | None:
    """Regions where ``user`` may import organizations for this program; None means all of them.

    Program managers and administrators import anywhere; a regional coordinator only in the
    regions they coordinate in this program.
    """
    scope = scope_for(user)
    if scope.is_admin or program_id in scope.managed_program_ids:
        return None
    return frozenset(scope.coordinated_regions.get(program_id, frozenset()))


class _Reference:
    """Reference data and registered identifiers, loaded in a few queries for the whole file."""

    def __init__(self, checked: list[tuple[CheckedRow, dict[str, str]]]):
        self.regions = list(Region.objects.all())
        self.regions_by_code = {region.code: region for region in self.regions}
        self.regions_by_name = {region.name_folded: region for region in self.regions}
        self.region_names = {region.pk: region.name for region in self.regions}
        wanted_codes, wanted_names = set(), set()
        for _row, values in checked:
            name, code = _split_municipality(values.get("municipality", ""))
            if code:
                wanted_codes.add(code)
            elif name:
                wanted_names.add(fold(name))
        municipalities = []
        for chunk in _chunks(sorted(wanted_codes)):
            municipalities += Municipality.objects.filter(code__in=chunk).select_related("mrc", "region")
        for chunk in _chunks(sorted(wanted_names)):
            municipalities += Municipality.objects.filter(name_folded__in=chunk).select_related("mrc", "region")
        self.municipalities_by_code = {municipality.code: municipality for municipality in municipalities}
        self.municipalities_by_name: dict[str, list[Municipality]] = {}
        for municipality in {municipality.pk: municipality for municipality in municipalities}.values():
            self.municipalities_by_name.setdefault(municipality.name_folded, []).append(municipality)
        for candidates in self.municipalities_by_name.values():
            candidates.sort(key=lambda municipality: municipality.code)

    def load_registered(self, rows: list[CheckedRow]) -> None:
        neqs = sorted({row.organization["neq"] for row in rows if row.organization.get("neq")})
        charities = sorted(
            {row.organization["charity_number"] for row in rows if row.organization.get("charity_number")}
        )
        municipality_ids = sorted(
            {row.organization["municipality"].pk for row in rows if row.organization.get("municipality")}
        )
        registered = Organization.objects.only("id", "legal_name", "usual_name", "neq", "charity_number")
        self.by_neq = {}
        for chunk in _chunks(neqs):
            self.by_neq.update({organization.neq: organization for organization in registered.filter(neq__in=chunk)})
        self.by_charity = {}
        for chunk in _chunks(charities):
            self.by_charity.update(
                {
                    organization.charity_number: organization
                    for organization in registered.filter(charity_number__in=chunk)
                }
            )
        # Names are compared within a municipality, on the folded name the registry keeps for search
        # ("usual legal", or "legal" alone), so only the organizations that can match are loaded.
        self.by_name: dict[tuple[int, str], Organization] = {}
        names = sorted({name for row in rows for name in _registry_names(row.organization)})
        active = (
            Organization.objects.exclude(status=Organization.Status.ARCHIVED)
            .filter(municipality_id__in=municipality_ids)
            .only("id", "legal_name", "usual_name", "municipality_id", "name_folded")
        )
        for chunk in _chunks(names):
            for organization in active.filter(name_folded__in=chunk):
                self.by_name.setdefault((organization.municipality_id, organization.name_folded), organization)


def _registry_names(data: dict) -> set[str]:
    """The folded names under which the registry would hold the organization of a row, or a namesake."""
    legal_name, usual_name = data.get("legal_name", ""), data.get("usual_name", "")
    names = {fold(legal_name), fold(usual_name)}
    if usual_name:
        names.add(fold(f"{usual_name} {legal_name}"))
    return names - {""}


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _names(legal_name: str, usual_name: str) -> set[str]:
    return {fold(legal_name), fold(usual_name)} - {""}


def _split_municipality(text: str) -> tuple[str, str]:
    """("Montréal", "") from "Montréal", ("", "66023") from "66023", both from "Montréal (66023)"."""
    text = (text or "").strip()
    if text.isdigit():
        return "", text.zfill(5)
    match = _NAME_WITH_CODE.match(text)
    if match:
        return match.group("name"), match.group("code").zfill(5)
    return text, ""


def _choices_lookup(choices, aliases: dict) -> dict[str, str]:
    """Folded code, French label, English label and aliases of each choice, to its code."""
    lookup: dict[str, str] = {}
    for value, label in choices:
        lookup[fold(value)] = value
        for language in ("fr", "en"):
            with translation.override(language):
                lookup.setdefault(fold(str(label)), value)
        for alias in aliases.get(value, ()):
            lookup.setdefault(fold(alias), value)
    return lookup


def validate_table(
    table: Table | dict,
    *,
    allowed_regions: frozenset[int] | None = None,
    default_kind: str = "",
) -> Validation:
    """Check every row of ``table``: values, reference data, duplicates in the file and in the registry.

    ``table`` is a :class:`Table` or the ``{"headers": ..., "rows": [{"line", "cells"}]}`` stored
    on an import batch. The number of queries depends on the size of the file only through the
    chunks of the bulk look-ups, never row by row.
    """
    if isinstance(table, dict):
        headers = list(table["headers"])
        numbered = [(row["line"], list(row["cells"])) for row in table["rows"]]
    else:
        headers, numbered = table.headers, table.rows
    positions = map_columns(headers)
    header_of = {key: headers[index] for key, index in positions.items()}

    def header(key: str) -> str:
        return header_of.get(key) or COLUMNS_BY_KEY[key].display

    kinds = _choices_lookup(Organization.Kind.choices, KIND_ALIASES)
    sectors = _choices_lookup(Organization.Sector.choices, SECTOR_ALIASES)
    languages = {fold(alias): code for code, aliases in LANGUAGE_ALIASES.items() for alias in aliases}

    checked: list[tuple[CheckedRow, dict[str, str]]] = []
    for line, cells in numbered:
        values = {key: (cells[index] if index < len(cells) else "").strip() for key, index in positions.items()}
        checked.append((CheckedRow(line=line, cells=cells, values=values), values))
    reference = _Reference(checked)

    for row, values in checked:

        def problem(key: str, message, *, row=row, values=values) -> None:
            row.problems.append(Problem(row.line, header(key), values.get(key, ""), str(message)))

        data: dict = {}
        # Type: the cell, else the type chosen for the whole file.
        kind_text = values.get("kind", "")
        if kind_text:
            kind = kinds.get(fold(kind_text))
            if kind is None:
                problem("kind", KIND_UNKNOWN % {"choices": ", ".join(str(label) for label in Organization.Kind.labels)})
            data["kind"] = kind or ""
        elif default_kind:
            data["kind"] = default_kind
        else:
            problem("kind", REQUIRED)

        for key in ("legal_name", "usual_name", "address"):
            text = values.get(key, "")
            if key == "legal_name" and not text:
                problem(key, REQUIRED)
            _check_length(Organization, key, text, lambda message, key=key: problem(key, message))
            data[key] = text

        for key, normalize in (
            ("neq", normalize_neq),
            ("charity_number", normalize_charity_number),
            ("postal_code", normalize_postal_code),
        ):
            text = values.get(key, "")
            data[key] = ""
            if text:
                try:
                    data[key] = normalize(text)
                except ValidationError as error:
                    for message in error.messages:
                        problem(key, message)

        sector_text = values.get("sector", "")
        data["sector"] = ""
        if sector_text:
            sector = sectors.get(fold(sector_text))
            if sector is None:
                problem(
                    "sector",
                    SECTOR_UNKNOWN % {"choices": ", ".join(str(label) for label in Organization.Sector.labels)},
                )
            data["sector"] = sector or ""

        website = values.get("website", "")
        data["website"] = ""
        if website:
            url = website if _HAS_SCHEME.match(website) else f"https://{website}"
            try:
                _URL(url)
            except ValidationError:
                problem("website", WEBSITE_INVALID)
            else:
                _check_length(Organization, "website", url, lambda message: problem("website", message))
                data["website"] = url

        municipality = _resolve_municipality(values, reference, problem)
        if municipality is not None:
            if allowed_regions is not None and municipality.region_id not in allowed_regions:
                problem(
                    "municipality", OUTSIDE_REGIONS % {"region": reference.region_names.get(municipality.region_id, "")}
                )
            data["municipality"] = municipality
        row.organization = data
        row.contact = _check_contact(values, languages, problem)

    _check_duplicates([row for row, _values in checked], reference, header)
    return Validation(headers=headers, rows=[row for row, _values in checked], positions=positions)


def _check_length(model, field_name: str, text: str, report) -> None:
    limit = model._meta.get_field(field_name).max_length
    if text and limit:
        try:
            MaxLengthValidator(limit)(text)
        except ValidationError as error:
            for message in error.messages:
                report(message)


def _resolve_municipality(values: dict[str, str], reference: _Reference, problem) -> Municipality | None:
    text = values.get("municipality", "")
    if not text:
        problem("municipality", REQUIRED)
        return None
    region = None
    region_text = values.get("region", "")
    if region_text:
        if region_text.isdigit():
            region = reference.regions_by_code.get(region_text.zfill(2))
        else:
            region = reference.regions_by_name.get(fold(region_text))
            if region is None:
                # "Montréal (06)" as region lists often write it.
                match = re.search(r"\((\d{1,2})\)\s*$", region_text)
                region = reference.regions_by_code.get(match.group(1).zfill(2)) if match else None
        if region is None:
            problem("region", REGION_UNKNOWN)
    name, code = _split_municipality(text)
    if code:
        municipality = reference.municipalities_by_code.get(code)
        if municipality is None:
            problem("municipality", MUNICIPALITY_UNKNOWN)
        return municipality
    candidates = reference.municipalities_by_name.get(fold(name), [])
    if not candidates:
        problem("municipality", MUNICIPALITY_UNKNOWN)
        return None
    if region is not None:
        candidates = [municipality for municipality in candidates if municipality.region_id == region.pk]
        if not candidates:
            problem("municipality", MUNICIPALITY_NOT_IN_REGION % {"region": region.name})
            return None
    if len(candidates) > 1:
        choices = ", ".join(
            f"{municipality.name} ({municipality.code}, {municipality.region.name})" for municipality in candidates[:5]
        )
        problem("municipality", MUNICIPALITY_AMBIGUOUS % {"choices": choices})
        return None
    return candidates[0]


def _check_contact(values: dict[str, str], languages: dict[str, str], problem) -> dict | None:
    """The contact of the row, or None when every contact cell is empty."""
    if not any(values.get(key, "") for key in CONTACT_KEYS):
        return None
    contact: dict = {"is_primary": True}
    for key in ("first_name", "last_name", "role_title"):
        text = values.get(key, "")
        if key in ("first_name", "last_name") and not text:
            problem(key, REQUIRED)
        _check_length(Person, key, text, lambda message, key=key: problem(key, message))
        contact[key] = text
    email = values.get("email", "").lower()
    contact["email"] = ""
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            for message in error.messages:
                problem("email", message)
        else:
            _check_length(Person, "email", email, lambda message: problem("email", message))
            contact["email"] = email
    phone = values.get("phone", "")
    contact["phone"] = ""
    if phone:
        try:
            contact["phone"] = normalize_phone(phone)
        except ValidationError as error:
            for message in error.messages:
                problem("phone", message)
    language_text = values.get("language", "")
    contact["preferred_language"] = "fr"
    if language_text:
        language = languages.get(fold(language_text))
        if language is None:
            problem("language", LANGUAGE_UNKNOWN)
        else:
            contact["preferred_language"] = language
    return contact


def _check_duplicates(rows: list[CheckedRow], reference: _Reference, header) -> None:
    """Identifiers already registered, or already on an earlier line of the file.

    A row without a NEQ is a duplicate when an organization of the same municipality has the
    same name once accents, case and dashes are ignored: importing a file twice creates nothing.
    """
    reference.load_registered(rows)
    seen_neq: dict[str, int] = {}
    seen_charity: dict[str, int] = {}
    seen_name: dict[tuple[int, str], int] = {}
    for row in rows:
        data = row.organization

        def problem(key: str, message, *, row=row) -> None:
            row.problems.append(Problem(row.line, header(key), row.values.get(key, ""), str(message)))

        neq = data.get("neq")
        if neq:
            existing = reference.by_neq.get(neq)
            if existing is not None:
                problem("neq", DUPLICATE_NEQ % {"name": existing})
            elif neq in seen_neq:
                problem("neq", DUPLICATE_NEQ_IN_FILE % {"line": seen_neq[neq]})
            seen_neq.setdefault(neq, row.line)
        charity = data.get("charity_number")
        if charity:
            existing = reference.by_charity.get(charity)
            if existing is not None:
                problem("charity_number", DUPLICATE_CHARITY % {"name": existing})
            elif charity in seen_charity:
                problem("charity_number", DUPLICATE_CHARITY_IN_FILE % {"line": seen_charity[charity]})
            seen_charity.setdefault(charity, row.line)
        municipality = data.get("municipality")
        if not neq and municipality is not None:
            names = _names(data.get("legal_name", ""), data.get("usual_name", ""))
            existing = next(
                (
                    reference.by_name[(municipality.pk, name)]
                    for name in sorted(_registry_names(data))
                    if (municipality.pk, name) in reference.by_name
                ),
                None,
            )
            earlier = next(
                (seen_name[(municipality.pk, name)] for name in names if (municipality.pk, name) in seen_name), None
            )
            if existing is not None:
                problem("legal_name", DUPLICATE_NAME % {"municipality": municipality.name, "name": existing})
            elif earlier is not None:
                problem("legal_name", DUPLICATE_NAME_IN_FILE % {"line": earlier})
        if municipality is not None:
            for name in _names(data.get("legal_name", ""), data.get("usual_name", "")):
                seen_name.setdefault((municipality.pk, name), row.line)


def stored_table(table: Table) -> dict:
    """The form kept on an import batch: plain JSON, read back by :func:`validate_table`."""
    return {"headers": table.headers, "rows": [{"line": line, "cells": cells} for line, cells in table.rows]}
