"""CSV and Excel files built from rows, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """``value`` as text that a spreadsheet shows as typed, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_PREFIXES else text


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A streamed CSV download; every cell goes through :func:`safe_cell`."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel opens UTF-8 with accents correctly only with a byte-order mark.
        yield writer.writerow([safe_cell(title) for title in header])
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(*, filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """An Excel download with one sheet; every cell goes through :func:`safe_cell`."""
    workbook = Workbook(write_only=True)
    # Excel refuses sheet titles longer than 31 characters.
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    sheet.append([safe_cell(title) for title in header])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
