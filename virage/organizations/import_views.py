"""Pages of the organization import: upload, preview and confirmation, report of the rejected rows.

Only people who may import organizations (program managers, regional coordinators,
administrators) reach these pages; everybody else gets a 404, and a batch is only ever shown to
the person who uploaded it.
"""

import csv
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from virage.programs.import_services import organizations_import
from virage.programs.models import Program
from virage.programs.selectors import programs_run_by

from .import_services import import_batch_cancel, import_batch_create
from .imports import COLUMNS, FILE_EMPTY, FILE_TOO_LARGE, ImportFileError, map_columns, read_table
from .models import ImportBatch, Organization
from .permissions import access_import_batch_by_token, can_import_organizations, require

PROBLEMS_SHOWN = 200
SAMPLE_ROWS = 10
IMPORT_REFUSED = ngettext_lazy(
    "Nothing was imported: %(count)s row has problems. Correct the file and upload it again, "
    "or import only the valid rows.",
    "Nothing was imported: %(count)s rows have problems. Correct the file and upload it again, "
    "or import only the valid rows.",
    "count",
)
NOTHING_TO_IMPORT = _("Nothing was imported: no row of this file can be imported.")
IMPORT_CANCELLED = _("The file was cancelled; nothing was imported.")
ALL_OR_NOTHING_BLOCKED = _("Some rows have problems, so the whole file cannot be imported.")
PROBLEMS_COLUMN = _("problems")
REPORTED_PROBLEM = _("%(column)s: %(message)s")
_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d\s().+-]*$)")


class ImportUploadForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        help_text=_("The imported organizations are enrolled in this program."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (separated by commas or semicolons) or Excel workbook (.xlsx). "
            "The first line holds the column names; only the first sheet is read."
        ),
        error_messages={"empty": FILE_EMPTY},
    )
    default_kind = forms.ChoiceField(
        label=_("Type of the rows without one"),
        required=False,
        choices=[("", _("None: every row gives its type"))] + list(Organization.Kind.choices),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = None
        self.fields["program"].queryset = programs
        choices = list(programs[:2])
        if len(choices) == 1:
            self.fields["program"].initial = choices[0].pk
        self.fields["program"].widget.attrs["class"] = "form-select"
        self.fields["default_kind"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update(
            {
                "class": "form-control",
                "accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(FILE_TOO_LARGE % {"limit": max(1, limit // (1024 * 1024))})
        try:
            self.table = read_table(upload.read(limit + 1), upload.name or "")
            map_columns(self.table.headers)
        except ImportFileError as error:
            raise forms.ValidationError(error.message) from error
        return upload


def _require_import(user) -> None:
    require(can_import_organizations(user))


def _import_programs(user):
    """Programs ``user`` may import organizations into: the ones they manage or coordinate."""
    return programs_run_by(user).order_by("name_fr")


@login_required
def import_upload(request):
    _require_import(request.user)
    programs = _import_programs(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_batch_create(
                actor=request.user,
                program=form.cleaned_data["program"],
                table=form.table,
                file_name=form.cleaned_data["file"].name,
                default_kind=form.cleaned_data["default_kind"],
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect(batch)
    return render(
        request,
        "organizations/import_upload.html",
        {"form": form, "columns": COLUMNS, "has_programs": programs.exists()},
    )


@login_required
def import_preview(request, token):
    batch = access_import_batch_by_token(request.user, token)
    if request.method == "POST":
        return _confirm(request, batch)
    problem_lines = {problem["line"] for problem in batch.problems}
    sample = []
    if batch.status == ImportBatch.Status.PENDING:
        for row in batch.rows:
            if row["line"] not in problem_lines:
                sample.append(row)
                if len(sample) == SAMPLE_ROWS:
                    break
    return render(
        request,
        "organizations/import_preview.html",
        {
            "batch": batch,
            "problems": batch.problems[:PROBLEMS_SHOWN],
            "problems_hidden": max(0, len(batch.problems) - PROBLEMS_SHOWN),
            "problem_count": len(batch.problems),
            "sample": sample,
            "all_or_nothing_blocked": ALL_OR_NOTHING_BLOCKED if batch.rejected_count else "",
            "is_pending": batch.status == ImportBatch.Status.PENDING,
        },
    )


def _confirm(request, batch: ImportBatch):
    action = request.POST.get("mode", "")
    if action == "cancel":
        try:
            import_batch_cancel(actor=request.user, batch=batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(batch)
        messages.info(request, IMPORT_CANCELLED)
        return redirect("organizations:import")
    # The right to import into the program is checked again: a membership may have ended.
    if not _import_programs(request.user).filter(pk=batch.program_id).exists():
        raise Http404
    try:
        outcome = organizations_import(actor=request.user, batch=batch, mode=action, program=batch.program)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(batch)
    if outcome.is_imported:
        text = ngettext(
            "%(count)s organization was imported.", "%(count)s organizations were imported.", outcome.created
        ) % {"count": outcome.created}
        if outcome.rejected:
            text += " " + ngettext(
                "%(count)s row was not imported: download the report to correct it.",
                "%(count)s rows were not imported: download the report to correct them.",
                outcome.rejected,
            ) % {"count": outcome.rejected}
        messages.success(request, text)
    elif outcome.rejected and action == ImportBatch.Mode.ALL_OR_NOTHING:
        messages.error(request, IMPORT_REFUSED % {"count": outcome.rejected})
    else:
        messages.error(request, NOTHING_TO_IMPORT)
    return redirect(batch)


def _spreadsheet_safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (“=HYPERLINK(...)”) when the report is opened.

    Phone numbers such as +1 418 555-0199 are left as they are.
    """
    return f"'{value}" if _FORMULA.match(value) else value


@login_required
def import_rejects(request, token):
    batch = access_import_batch_by_token(request.user, token)
    problems_by_line: dict[int, list[str]] = {}
    for problem in batch.problems:
        text = problem["message"]
        if problem["column"]:
            text = REPORTED_PROBLEM % {"column": problem["column"], "message": text}
        problems_by_line.setdefault(problem["line"], []).append(text)
    stem = re.sub(r"[^\w.-]+", "-", batch.file_name.rsplit(".", 1)[0], flags=re.ASCII).strip("-.") or "import"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-rejets.csv"'
    # The byte order mark makes Excel read the file as UTF-8 (accents intact).
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=batch.delimiter or ",")
    writer.writerow([*(_spreadsheet_safe(header) for header in batch.headers), str(PROBLEMS_COLUMN)])
    for row in batch.rows:
        if row["line"] in problems_by_line:
            writer.writerow(
                [*(_spreadsheet_safe(cell) for cell in row["cells"]), " | ".join(problems_by_line[row["line"]])]
            )
    return response
