"""Learning indicators of a program: organizations trained, leaders supported, people certified and
training hours delivered, per region and per period, with the progress toward the program's targets.

Definitions, within one program and a period ``[start, end)`` (either bound may be open):

- **organizations trained**: distinct organizations with at least one person who completed a path
  of kind *training* in the period (the day the completion rules were met; a revoked attestation
  withdraws the completion);
- **leaders supported**: distinct people enrolled (not waitlisted, not cancelled) in a path of kind
  *leadership*, counted on the day they enrolled — active or completed;
- **people certified**: distinct people who completed a path (any kind) in the period, that is who
  hold a valid attestation;
- **training hours delivered**: the expected hours of the modules completed by enrolled learners,
  counted on the day of each enrollment's latest completed module.

Per region, an enrollment belongs to its organization's region (copied at enrollment). Per period,
each figure is grouped by its own day (completion, enrollment, latest module) in months, quarters or
years.

Every figure is an aggregate computed by the database over ``learning_enrollment`` alone: the
services keep on each enrollment its program, kind of path, region and the days and hours above, so
no query joins cohorts, modules or progress rows, and each function runs one query whatever the volume.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear

from virage.learning.models import Enrollment, LearningPath
from virage.programs.models import Indicator, Program, Target

QUEBEC = ZoneInfo("America/Montreal")
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


def _between(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    condition = Q(**{f"{field}__isnull": False})
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lt": end})
    return condition


def _conditions(start, end) -> dict[str, Q]:
    active = Q(status=Enrollment.Status.ENROLLED)
    return {
        "organizations_trained": Q(path_kind=LearningPath.Kind.TRAINING) & _between("completed_on", start, end),
        "leaders_supported": active & Q(path_kind=LearningPath.Kind.LEADERSHIP) & _between("enrolled_on", start, end),
        "people_certified": _between("completed_on", start, end),
        "training_hours": active & _between("last_progress_on", start, end),
    }


def _aggregates(start, end) -> dict:
    conditions = _conditions(start, end)
    return {
        "organizations_trained": Count("organization_id", filter=conditions["organizations_trained"], distinct=True),
        "leaders_supported": Count("person_id", filter=conditions["leaders_supported"], distinct=True),
        "people_certified": Count("person_id", filter=conditions["people_certified"], distinct=True),
        "training_hours": Coalesce(Sum("hours_completed", filter=conditions["training_hours"]), ZERO_HOURS),
    }


def _enrollments(program: Program, start, end, region_ids=None) -> QuerySet[Enrollment]:
    """The program's enrollments that can count in the period: the rows the aggregates read."""
    queryset = Enrollment.objects.filter(program=program)
    if region_ids is not None:
        queryset = queryset.filter(region_id__in=sorted(region_ids))
    if start is not None or end is not None:
        conditions = _conditions(start, end)
        queryset = queryset.filter(
            conditions["people_certified"] | conditions["leaders_supported"] | conditions["training_hours"]
        )
    return queryset


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
    row = _enrollments(program, start, end).aggregate(**_aggregates(start, end))
    targets = learning_targets(program)
    row["progress"] = {column: progress(row[column], targets.get(column)) for column in COLUMNS}
    return row


def learning_by_region(program: Program, *, start=None, end=None, region_ids=None) -> list[dict]:
    """Figures per region of the organizations (1 query)."""
    rows = (
        _enrollments(program, start, end, region_ids)
        .values("region__code", "region__name")
        .annotate(**_aggregates(start, end))
        .order_by("region__code")
    )
    return [
        {"region_code": row.pop("region__code"), "region_name": row.pop("region__name"), **row}
        for row in rows
        if any(row[column] for column in COLUMNS)
    ]


def learning_by_period(
    program: Program, *, start=None, end=None, granularity: str = DEFAULT_GRANULARITY, region_ids=None
) -> list[dict]:
    """Figures per month, quarter or year, each indicator on its own day (3 queries)."""
    trunc = GRANULARITIES.get(granularity, GRANULARITIES[DEFAULT_GRANULARITY])
    conditions = _conditions(start, end)
    base = Enrollment.objects.filter(program=program)
    if region_ids is not None:
        base = base.filter(region_id__in=sorted(region_ids))
    periods: dict[datetime.date, dict] = {}

    def add(field: str, condition: Q, aggregates: dict) -> None:
        rows = (
            base.filter(condition)
            .annotate(period=trunc(field))
            .values("period")
            .annotate(**aggregates)
            .order_by("period")
        )
        for row in rows:
            day = row.pop("period")
            day = day.date() if isinstance(day, datetime.datetime) else day
            periods.setdefault(day, {"period": day, **dict.fromkeys(COUNT_COLUMNS, 0), "training_hours": ZERO_HOURS})
            periods[day].update(row)

    add(
        "completed_on",
        conditions["people_certified"],
        {
            "organizations_trained": Count(
                "organization_id", filter=Q(path_kind=LearningPath.Kind.TRAINING), distinct=True
            ),
            "people_certified": Count("person_id", distinct=True),
        },
    )
    add("enrolled_on", conditions["leaders_supported"], {"leaders_supported": Count("person_id", distinct=True)})
    add("last_progress_on", conditions["training_hours"], {"training_hours": Sum("hours_completed")})
    return [periods[day] for day in sorted(periods)]
