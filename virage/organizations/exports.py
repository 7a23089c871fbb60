"""CSV and Excel exports of organization lists, streamed so that a province-wide list fits."""

import csv
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMATS = {"csv", "xlsx"}
XLSX_MAX_ROWS = 100_000


def _columns():
    return [
        (_("Number"), lambda o: o.pk),
        (_("Legal name"), lambda o: o.legal_name),
        (_("Usual name"), lambda o: o.usual_name),
        (_("Kind"), lambda o: o.get_kind_display()),
        (_("Status"), lambda o: o.get_status_display()),
        (_("NEQ"), lambda o: o.neq),
        (_("Charity registration number"), lambda o: o.charity_number_display),
        (_("Address"), lambda o: o.address),
        (_("Postal code"), lambda o: o.postal_code),
        (_("Municipality"), lambda o: o.municipality.name),
        (_("Municipality code"), lambda o: o.municipality.code),
        (_("MRC"), lambda o: o.mrc.name if o.mrc_id else ""),
        (_("Region"), lambda o: o.region.name),
        (_("Sector"), lambda o: o.get_sector_display()),
        (_("Employees"), lambda o: o.get_employees_band_display()),
        (_("Volunteers"), lambda o: o.get_volunteers_band_display()),
        (_("Annual budget"), lambda o: o.get_budget_band_display()),
        (_("Website"), lambda o: o.website),
    ]


class _Echo:
    def write(self, value):
        return value


def _safe(value):
    """Neutralize spreadsheet formulas (CSV injection) in text cells."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_organizations(queryset, file_format: str):
    columns = _columns()
    stamp = timezone.localdate().isoformat()
    if file_format == "csv":
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff"  # Excel opens UTF-8 with accents correctly only with a byte-order mark.
            yield writer.writerow([title for title, _getter in columns])
            for organization in queryset.iterator(chunk_size=2000):
                yield writer.writerow([_safe(getter(organization)) for _title, getter in columns])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="organismes-{stamp}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Organizations"))
    sheet.append([title for title, _getter in columns])
    for organization in queryset[:XLSX_MAX_ROWS].iterator(chunk_size=2000):
        sheet.append([_safe(getter(organization)) for _title, getter in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="organismes-{stamp}.xlsx"'
    return response
