"""The maturity page of a program: support needs identified and the maturity gain."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from virage.diagnostics.selectors import program_gain

from . import diagnostics
from .permissions import access_indicators_by_slug, is_small_count


def _hide_grouped(groups: list[tuple]) -> list[tuple]:
    """Rows (name, low, high, count, average) of a gain by services: both hidden when the count is small."""
    return [
        (name, low, high, None, None) if is_small_count(count) else (name, low, high, count, average)
        for name, low, high, count, average in groups
    ]


@login_required
def maturity(request, slug):
    access = access_indicators_by_slug(request.user, slug)
    program = access.program
    needs = diagnostics.needs_identified(program, region_ids=access.region_ids)
    gain = program_gain(program, region_ids=access.region_ids)
    if access.suppress_small_counts:
        # Funders see no figure that rests on fewer organizations than the threshold.
        for row in needs["by_region"]:
            if is_small_count(row["count"]):
                row["count"] = None
        gain["buckets"] = [
            (name, low, high, None if is_small_count(count) else count) for name, low, high, count in gain["buckets"]
        ]
        gain["by_events"] = _hide_grouped(gain["by_events"])
        gain["by_paths"] = _hide_grouped(gain["by_paths"])
        if is_small_count(gain["count"]):
            gain.update(average=None, baseline_average=None, latest_average=None, dimensions=[])
    largest = max([count or 0 for _name, _low, _high, count in gain["buckets"]] or [0])
    return render(
        request,
        "indicators/maturity.html",
        {
            "program": program,
            "needs": needs,
            "gain": gain,
            "largest_bucket": largest,
            "limited_to_regions": access.region_ids is not None,
            "small_counts_hidden": access.suppress_small_counts,
            "threshold": settings.SMALL_COUNT_THRESHOLD,
        },
    )
