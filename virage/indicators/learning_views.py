"""The learning indicators page of a program (see learning.py for the definitions)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from virage.core.spreadsheets import csv_response

from . import learning
from .forms import DateRangeForm, period_label
from .permissions import access_indicators_by_slug, hide_small_counts


def _column_labels() -> list[str]:
    return [_("Organizations trained"), _("Leaders supported"), _("People certified"), _("Training hours")]


def _learning(request, slug) -> dict:
    """Everything the page and the CSV file show, as the person may see it."""
    access = access_indicators_by_slug(request.user, slug)
    form = DateRangeForm(request.GET)
    period = form.period()
    program = access.program
    start, end = period["start"], period["end"]
    by_region = learning.learning_by_region(program, start=start, end=end, region_ids=access.region_ids)
    by_period = learning.learning_by_period(
        program, start=start, end=end, granularity=period["granularity"], region_ids=access.region_ids
    )
    for row in by_region:
        row["label"] = row["region_name"] or _("No region")
    for row in by_period:
        row["label"] = period_label(period["granularity"], row["period"])
    if access.suppress_small_counts:
        hide_small_counts(by_region, learning.COUNT_COLUMNS)
        hide_small_counts(by_period, learning.COUNT_COLUMNS)
    for row in (*by_region, *by_period):
        row["cells"] = [row[column] for column in learning.COLUMNS]
    summary = learning.learning_summary(program, start=start, end=end)
    labels = _column_labels()
    cards = [
        {
            "key": column,
            "label": label,
            "value": summary[column],
            "progress": summary["progress"][column],
            "is_hours": column == "training_hours",
        }
        for column, label in zip(learning.COLUMNS, labels, strict=True)
    ]
    return {
        "program": program,
        "form": form,
        "granularity": period["granularity"],
        "cards": cards,
        "summary": summary,
        "by_region": by_region,
        "by_period": by_period,
        "column_labels": labels,
        "limited_to_regions": access.region_ids is not None,
        "small_counts_hidden": access.suppress_small_counts,
        "threshold": settings.SMALL_COUNT_THRESHOLD,
    }


@login_required
def learning_indicators(request, slug):
    return render(request, "indicators/learning.html", _learning(request, slug))


@login_required
def learning_csv(request, slug):
    """The page's three tables in one CSV file, with the same hidden small counts."""
    context = _learning(request, slug)
    hidden = f"< {context['threshold']}"

    def cells(values):
        return [hidden if value is None else value for value in values]

    def rows():
        yield [_("Program"), context["program"].name, *cells(card["value"] for card in context["cards"])]
        for row in context["by_region"]:
            yield [_("Region"), row["label"], *cells(row["cells"])]
        for row in context["by_period"]:
            yield [_("Period"), row["label"], *cells(row["cells"])]

    return csv_response(
        filename=f"apprentissage-{context['program'].slug}.csv",
        header=[_("Table"), _("Line"), *context["column_labels"]],
        rows=rows(),
    )
