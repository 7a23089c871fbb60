"""CSV and Excel exports of organization lists, streamed so that a province-wide list fits."""

from django.utils import timezone
from django.utils.translation import gettext as _

from virage.core.spreadsheets import csv_response, xlsx_response

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


def export_organizations(queryset, file_format: str):
    columns = _columns()
    header = [title for title, _getter in columns]
    filename = f"organismes-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "xlsx":
        queryset = queryset[:XLSX_MAX_ROWS]
    rows = ([getter(organization) for _title, getter in columns] for organization in queryset.iterator(chunk_size=2000))
    if file_format == "csv":
        return csv_response(filename=filename, header=header, rows=rows)
    return xlsx_response(filename=filename, sheet_title=_("Organizations"), header=header, rows=rows)
