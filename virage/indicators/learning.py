"""Learning indicators of a program: organizations trained, leaders supported, people certified and
training hours delivered, per region and per period, with the progress toward the program's targets.

Definitions, within one program and a period ``[start, end)`` (either bound may be open):

- **organizations trained**: organizations whose people completed a path of kind *training* for the
  first time in the period (the day the completion rules were met; a revoked attestation withdraws
  the completion, and the organization then counts from its next completion, if any);
- **leaders supported**: people whose first active enrollment (enrolled, not waitlisted or
  cancelled) in a path of kind *leadership* falls in the period — active or completed since;
- **people certified**: people who completed a path (any kind) for the first time in the period,
  that is who hold a valid attestation;
- **training hours delivered**: the expected hours of the modules completed by enrolled learners,
  credited on the day of each enrollment's latest completed module.

Each organization or person counts once, on its first day, so the figures of the months, regions
and the whole program add up. Per region, an enrollment belongs to its organization's region
(copied at enrollment).

The figures are read from ``learning.LearningTally`` (what each indicator gained per day and region,
kept by the learning services, see ``virage/learning/tallies.py``): a few thousand rows per program
instead of hundreds of thousands of enrollments, so each function is one small aggregate query.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from virage.learning.models import LearningTally
from virage.programs.models import Indicator, Program, Target

GRANULARITIES = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}
DEFAULT_GRANULARITY = "month"
COUNT_COLUMNS = ("organizations_trained", "leaders_supported", "people_certified")
COLUMNS = (*COUNT_COLUMNS, "training_hours")
TARGETS = {
    "organizations_trained": Indicator.ORGANIZATIONS_TRAINED,
    "leaders_supported": Indicator.LEADERS_SUPPORTED,
    "people_certified": Indicator.PEOPLE_CERTIFIED,
    "training_hours": Indicator.TRAINING_HOURS,
}
ZERO_HOURS = Decimal("0.00")


def _tallies(program: Program, start, end, region_ids=None) -> QuerySet[LearningTally]:
    queryset = LearningTally.objects.filter(program=program)
    if start is not None:
        queryset = queryset.filter(day__gte=start)
    if end is not None:
        queryset = queryset.filter(day__lt=end)
    if region_ids is not None:
        queryset = queryset.filter(region_id__in=sorted(region_ids))
    return queryset


def _empty() -> dict:
    return {**dict.fromkeys(COUNT_COLUMNS, 0), "training_hours": ZERO_HOURS}


def _put(row: dict, indicator: str, total: Decimal) -> None:
    row[indicator] = total if indicator == "training_hours" else int(total)


def learning_targets(program: Program) -> dict[str, dict]:
    """The program's targets of the four indicators, by column (1 query)."""
    rows = Target.objects.filter(program=program, indicator__in=list(TARGETS.values()))
    by_indicator = {row.indicator: row for row in rows}
    return {
        column: {"value": by_indicator[indicator].value, "due_on": by_indicator[indicator].due_on}
        for column, indicator in TARGETS.items()
        if indicator in by_indicator
    }


def progress(reached, target: dict | None) -> dict | None:
    """How far ``reached`` is toward ``target``: the percentage (rounded) and the bar's width (at most 100)."""
    if target is None:
        return None
    percent = int((Decimal(reached) * 100 / target["value"]).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return {"target": target["value"], "due_on": target["due_on"], "percent": percent, "bar": min(100, percent)}


def learning_summary(program: Program, *, start=None, end=None) -> dict:
    """Program-wide figures for the period, each with its progress toward its target (2 queries)."""
    row = _empty()
    totals = _tallies(program, start, end).order_by().values("indicator").annotate(total=Sum("value"))
    for total in totals:
        _put(row, total["indicator"], total["total"])
    targets = learning_targets(program)
    row["progress"] = {column: progress(row[column], targets.get(column)) for column in COLUMNS}
    return row


def learning_by_region(program: Program, *, start=None, end=None, region_ids=None) -> list[dict]:
    """Figures per region of the organizations (1 query)."""
    rows: dict = {}
    totals = (
        _tallies(program, start, end, region_ids)
        .order_by()
        .values("region__code", "region__name", "indicator")
        .annotate(total=Sum("value"))
    )
    for total in totals:
        key = total["region__code"]
        row = rows.setdefault(key, {"region_code": key, "region_name": total["region__name"], **_empty()})
        _put(row, total["indicator"], total["total"])
    return [
        rows[key]
        for key in sorted(rows, key=lambda code: (code is None, code or ""))
        if any(rows[key][column] for column in COLUMNS)
    ]


def learning_by_period(
    program: Program, *, start=None, end=None, granularity: str = DEFAULT_GRANULARITY, region_ids=None
) -> list[dict]:
    """Figures per month, quarter or year (1 query)."""
    trunc = GRANULARITIES.get(granularity, GRANULARITIES[DEFAULT_GRANULARITY])
    rows: dict = {}
    totals = (
        _tallies(program, start, end, region_ids)
        .order_by()
        .annotate(period=trunc("day"))
        .values("period", "indicator")
        .annotate(total=Sum("value"))
    )
    for total in totals:
        day = total["period"]
        day = day.date() if isinstance(day, datetime.datetime) else day
        row = rows.setdefault(day, {"period": day, **_empty()})
        _put(row, total["indicator"], total["total"])
    return [rows[day] for day in sorted(rows) if any(rows[day][column] for column in COLUMNS)]
