"""Reach of a program: how many people and organizations its events reached.

Definitions, within one program and a period ``[start, end)`` taken on the events' start dates
(either bound may be left open):

- **registrations**: registrations that are not cancelled (confirmed or on the waiting list);
- **attendees**: those registrations marked ``attended``;
- **unique people**: distinct e-mail addresses (case-insensitive) among the attendees;
- **organizations sensitized**: distinct organizations of the attendees of events that count toward
  the sensitization target (registrations without an organization do not count);
- **new organizations**: sensitized in the period and never sensitized in the program before the
  period starts; **returning organizations**: sensitized in the period and also before it. Without a
  start date every organization sensitized is new.

Per region, a registration belongs to its organization's administrative region; registrations
without an organization form one line of their own (``region_code`` is ``None``). Per period, events
are grouped by the month, quarter or year of their start in Quebec's time zone; there, "new" means
first sensitized in the program during that period.

Every figure is computed by the database (``COUNT(DISTINCT …)`` with ``GROUP BY``), never by a loop
over rows in Python, so each function runs a fixed, small number of queries whatever the volume.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, TruncMonth, TruncQuarter, TruncYear

from virage.events.models import Registration
from virage.programs.models import Indicator, Program, Target

QUEBEC = ZoneInfo("America/Montreal")
GRANULARITIES = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}
DEFAULT_GRANULARITY = "month"

ATTENDED = Q(attended=True)
SENSITIZED = Q(attended=True, event__counts_toward_sensitization=True, organization__isnull=False)


def _as_datetime(value: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    """A date is read as midnight in Quebec, the day the people of the program live in."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time.min, tzinfo=QUEBEC)


def _registrations(program: Program, start=None, end=None, region_ids=None) -> QuerySet[Registration]:
    queryset = Registration.objects.filter(event__program=program).exclude(status=Registration.Status.CANCELLED)
    start, end = _as_datetime(start), _as_datetime(end)
    if start is not None:
        queryset = queryset.filter(event__starts_at__gte=start)
    if end is not None:
        queryset = queryset.filter(event__starts_at__lt=end)
    if region_ids is not None:
        queryset = queryset.filter(organization__region__in=sorted(region_ids))
    return queryset


def _sensitized_before(program: Program, before) -> QuerySet[Registration]:
    """Registrations that sensitized an organization in ``program`` before ``before`` (a value or OuterRef)."""
    return _registrations(program).filter(SENSITIZED, event__starts_at__lt=before)


def _counts(program: Program, start) -> dict:
    """The aggregates shared by the summary and the per-region table."""
    counts = {
        "registrations": Count("id"),
        "attendees": Count("id", filter=ATTENDED),
        "unique_people": Count(Lower("email"), filter=ATTENDED, distinct=True),
        "organizations_sensitized": Count("organization_id", filter=SENSITIZED, distinct=True),
    }
    start = _as_datetime(start)
    if start is not None:
        # Whether the row's organization was sensitized before the period, as an indexed EXISTS.
        # Not ``organization_id IN (subquery)``: at province scale that set (hundreds of thousands
        # of organizations) outgrows work_mem, PostgreSQL can no longer hash it and rescans it for
        # every row, which made a one-year reach take minutes. SENSITIZED comes first, so the
        # EXISTS only runs for rows that can count.
        earlier = _sensitized_before(program, start).filter(organization_id=OuterRef("organization_id"))
        counts["returning_organizations"] = Count(
            "organization_id", filter=SENSITIZED & Q(Exists(earlier)), distinct=True
        )
    return counts


def _with_new(row: dict) -> dict:
    row.setdefault("returning_organizations", 0)
    row["new_organizations"] = row["organizations_sensitized"] - row["returning_organizations"]
    return row


def reach_target(program: Program) -> dict | None:
    """The program's target of organizations sensitized, or ``None`` when it has none (1 query)."""
    target = Target.objects.filter(program=program, indicator=Indicator.ORGANIZATIONS_SENSITIZED).first()
    if target is None:
        return None
    return {"value": target.value, "due_on": target.due_on}


def progress(reached: int, target: dict | None) -> dict | None:
    """How far ``reached`` is toward ``target``: the percentage (rounded) and the bar's width (at most 100)."""
    if target is None:
        return None
    percent = int((Decimal(reached) * 100 / target["value"]).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return {"target": target["value"], "due_on": target["due_on"], "percent": percent, "bar": min(100, percent)}


def reach_summary(program: Program, *, start=None, end=None) -> dict:
    """Program-wide figures for the period, with the progress toward the target (2 queries)."""
    row = _with_new(_registrations(program, start, end).aggregate(**_counts(program, start)))
    row["progress"] = progress(row["organizations_sensitized"], reach_target(program))
    return row


def reach_by_region(program: Program, *, start=None, end=None, region_ids=None) -> list[dict]:
    """Figures per region of the organizations (1 query); ``region_ids`` limits the rows to those regions."""
    rows = (
        _registrations(program, start, end, region_ids)
        .values("organization__region__code", "organization__region__name")
        .annotate(**_counts(program, start))
        .order_by("organization__region__code")
    )
    return [
        _with_new(
            {
                "region_code": row.pop("organization__region__code"),
                "region_name": row.pop("organization__region__name"),
                **row,
            }
        )
        for row in rows
    ]


def reach_by_period(
    program: Program, *, start=None, end=None, granularity: str = DEFAULT_GRANULARITY, region_ids=None
) -> list[dict]:
    """Figures per month, quarter or year of the events' start (1 query).

    An organization counts as returning in a period when it was sensitized in the program before
    that period began, which the database checks row by row with an indexed ``EXISTS``.
    """
    trunc = GRANULARITIES.get(granularity, GRANULARITIES[DEFAULT_GRANULARITY])
    counts = _counts(program, None)
    counts["returning_organizations"] = Count(
        "organization_id", filter=SENSITIZED & Q(sensitized_before=True), distinct=True
    )
    earlier = _sensitized_before(program, OuterRef("period")).filter(organization_id=OuterRef("organization_id"))
    rows = (
        _registrations(program, start, end, region_ids)
        .annotate(period=trunc("event__starts_at", tzinfo=QUEBEC))
        .annotate(sensitized_before=Exists(earlier))
        .values("period")
        .annotate(**counts)
        .order_by("period")
    )
    return [_with_new({**row, "period": row["period"].astimezone(QUEBEC).date()}) for row in rows]
