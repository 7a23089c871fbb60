"""Pages of indicators: a program's reach (people and organizations its events reached)."""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .forms import ReachFilterForm, period_label
from .permissions import access_indicators_by_slug, hide_small_counts

# The counted columns of the reach tables, in the order they are shown.
COUNT_COLUMNS = (
    "registrations",
    "attendees",
    "unique_people",
    "organizations_sensitized",
    "new_organizations",
    "returning_organizations",
)


def _column_labels() -> dict[str, str]:
    return {
        "registrations": _("Registrations"),
        "attendees": _("Attendees"),
        "unique_people": _("Unique people"),
        "organizations_sensitized": _("Organizations sensitized"),
        "new_organizations": _("New organizations"),
        "returning_organizations": _("Returning organizations"),
    }


def _reach(request, slug) -> dict:
    """Everything the page and the CSV file show, as the person may see it (a fixed number of queries)."""
    access = access_indicators_by_slug(request.user, slug)
    program = access.program
    form = ReachFilterForm(request.GET, periods=selectors.reach_periods(program))
    chosen = form.chosen()
    period = chosen["period"]
    granularity = selectors.breakdown_granularity(period[0], chosen["granularity"])
    by_region = selectors.reach_by_region(program, period=period, region_ids=access.region_ids)
    by_period = selectors.reach_by_period(program, period=period, granularity=granularity, region_ids=access.region_ids)
    for row in by_region:
        row["label"] = row["region_name"] or _("No organization")
    for row in by_period:
        row["label"] = period_label(granularity, row["period"])
    if access.suppress_small_counts:
        hide_small_counts(by_region, COUNT_COLUMNS)
        hide_small_counts(by_period, COUNT_COLUMNS)
    return {
        "program": program,
        "form": form,
        "summary": selectors.reach_summary(program, period=period),
        "period_label": period_label(*period),
        "by_region": by_region,
        "by_period": by_period,
        "granularity": granularity,
        "columns": _column_labels(),
        "limited_to_regions": access.region_ids is not None,
        "small_counts_hidden": access.suppress_small_counts,
        "threshold": settings.SMALL_COUNT_THRESHOLD,
    }


@login_required
def reach(request, slug):
    context = _reach(request, slug)
    context["column_labels"] = [context["columns"][name] for name in COUNT_COLUMNS]
    for row in (*context["by_region"], *context["by_period"]):
        row["cells"] = [row[name] for name in COUNT_COLUMNS]
    return render(request, "indicators/reach.html", context)


@login_required
def reach_card(request, slug):
    """The program's reach over its whole duration, as a block of its page (loaded with htmx)."""
    access = access_indicators_by_slug(request.user, slug)
    return render(
        request,
        "indicators/reach_card.html",
        {"program": access.program, "summary": selectors.reach_summary(access.program)},
    )


@login_required
def reach_csv(request, slug):
    context = _reach(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="portee-{context["program"].slug}.csv"'
    # A byte-order mark lets spreadsheet programs read the accents correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    labels = context["columns"]
    writer.writerow([_("Table"), _("Line"), *(labels[name] for name in COUNT_COLUMNS)])
    hidden = f"< {context['threshold']}"

    def cells(row):
        return [hidden if row[name] is None else row[name] for name in COUNT_COLUMNS]

    writer.writerow([_("Program"), context["program"].name, *cells(context["summary"])])
    for row in context["by_region"]:
        writer.writerow([_("Region"), row["label"], *cells(row)])
    for row in context["by_period"]:
        writer.writerow([_("Period"), row["label"], *cells(row)])
    return response
