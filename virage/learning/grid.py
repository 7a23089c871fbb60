"""The cells of the progress grid, as HTML built in Python.

A cohort's grid has learners × modules cells (1,200 for 100 learners and 12 modules). Rendered with
one template include per cell they took most of the page's time, so the cell's markup is written
here once: what is the same for every cell (the translated labels, the three options of each
status) is escaped and built once per request, and each cell only joins escaped pieces. The grid
page and the htmx answer that replaces one cell both use it.
"""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import ModuleProgress

COMPLETED = ModuleProgress.Status.COMPLETED


class GridCells:
    """Renders the cells of one cohort's grid, in the active language."""

    def __init__(self, cohort):
        # Every cell's address is <grid>/<enrollment>/<module>/ (see urls.py, progress_cell).
        self.prefix = escape(reverse("learning:cohort_grid", args=[cohort.pk]))
        choices = [(value, escape(str(label))) for value, label in ModuleProgress.Status.choices]
        self.options = {
            status: "".join(
                f'<option value="{value}"{" selected" if value == status else ""}>{label}</option>'
                for value, label in choices
            )
            for status, _label in choices
        }
        self.attended = escape(_("Attended"))
        self.declared = f'<span class="badge text-bg-warning">{escape(_("Declared: to validate"))}</span>'
        self.titles: dict[int, str] = {}

    def title(self, module) -> str:
        if module.pk not in self.titles:
            self.titles[module.pk] = escape(module.title)
        return self.titles[module.pk]

    def cell(self, row, cell, *, name: str | None = None, error: str = "") -> str:
        """One cell: read-only for a live module (attendance decides), a status list otherwise."""
        module = cell.module
        key = f"{row.enrollment.pk}-{module.pk}"
        status = escape(cell.status)
        if module.is_live:
            text = self.attended if cell.status == COMPLETED else "—"
            return f'<td id="cell-{key}" class="grid-{status}"><span>{text}</span></td>'
        name = name if name is not None else escape(row.name)
        described = f' aria-invalid="true" aria-describedby="error-{key}"' if error else ""
        badge = self.declared if cell.declared and cell.status != COMPLETED else ""
        message = f'<div class="small text-danger" role="alert" id="error-{key}">{escape(error)}</div>' if error else ""
        # The list keeps its id across swaps, so that htmx gives the keyboard focus back to it.
        return (
            f'<td id="cell-{key}" class="grid-{status}">'
            f'<label class="visually-hidden" for="status-{key}">{name}, {self.title(module)}</label>'
            f'<select class="form-select form-select-sm" name="status" id="status-{key}" '
            f'hx-post="{self.prefix}{row.enrollment.pk}/{module.pk}/" hx-trigger="change, keydown[key==\'Enter\']"'
            f"{described}>{self.options.get(cell.status, self.options[ModuleProgress.Status.NOT_STARTED])}</select>"
            f"{badge}{message}</td>"
        )

    def row(self, row) -> SafeString:
        name = escape(row.name)
        return mark_safe("".join(self.cell(row, cell, name=name) for cell in row.cells))
