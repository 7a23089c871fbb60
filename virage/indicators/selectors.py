"""Reach of a program: how many people and organizations its events reached.

Definitions, within one program and one period (a month, a quarter, a calendar year, a fiscal year
from April 1, or the program's whole duration), on the events' start in Quebec's time zone:

- **registrations**: registrations that are not cancelled (confirmed or on the waiting list);
- **attendees**: those registrations marked ``attended``;
- **unique people**: distinct e-mail addresses (case-insensitive) among the attendees;
- **organizations sensitized**: distinct organizations of the attendees of events that count toward
  the sensitization target (registrations without an organization do not count; an organization
  merged into another counts as that one);
- **new organizations**: sensitized in the period and for the first time in the program;
  **returning organizations**: sensitized in the period and also before it. Over the whole program
  every organization sensitized is new.

Per region, a registration belongs to its organization's administrative region; people without an
organization, or whose organization has no region, form one line of their own (``region_code`` is
``None``). The figures of several regions add up exactly, except unique people: someone who came
with organizations of two regions counts in each.

The figures are read from ``ReachFigure``, which the events app keeps up to date as registrations
change (``virage.events.reach``), so each function reads a few hundred rows at most, whatever the
number of registrations.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum

from virage.events.models import ReachFigure
from virage.events.reach import ALL_TIME, NO_REGION, TOTAL, Granularity, period_end
from virage.geography.models import Region
from virage.programs.models import Indicator, Program, Target

COUNTED = ("registrations", "attendees", "unique_people", "organizations_sensitized", "new_organizations")
# A period's breakdown uses periods that fit inside it, the finest first.
FINER = {
    Granularity.ALL: (Granularity.MONTH, Granularity.QUARTER, Granularity.YEAR, Granularity.FISCAL_YEAR),
    Granularity.FISCAL_YEAR: (Granularity.MONTH, Granularity.QUARTER),
    Granularity.YEAR: (Granularity.MONTH, Granularity.QUARTER),
    Granularity.QUARTER: (Granularity.MONTH,),
    Granularity.MONTH: (Granularity.MONTH,),
}
DEFAULT_GRANULARITY = Granularity.MONTH
WHOLE_PROGRAM = (Granularity.ALL, ALL_TIME)


def _empty() -> dict:
    return dict.fromkeys(COUNTED, 0)


def _with_returning(row: dict) -> dict:
    row["returning_organizations"] = row["organizations_sensitized"] - row["new_organizations"]
    return row


def _figures(program: Program, granularity: str, start: datetime.date) -> QuerySet[ReachFigure]:
    return ReachFigure.objects.filter(program=program, granularity=granularity, period_start=start)


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
    return {
        "reached": reached,
        "target": target["value"],
        "due_on": target["due_on"],
        "percent": percent,
        "bar": min(100, percent),
    }


def reach_summary(program: Program, *, period: tuple[str, datetime.date] = WHOLE_PROGRAM) -> dict:
    """Program-wide figures of the period, with the progress toward the target (2 queries, 3 for a period).

    The progress is always the whole program's: a target counts every organization sensitized so far.
    """
    granularity, start = period
    row = _figures(program, granularity, start).filter(line=TOTAL).values(*COUNTED).first() or _empty()
    row = _with_returning(dict(row))
    reached = row["organizations_sensitized"]
    if period != WHOLE_PROGRAM:
        whole = _figures(program, *WHOLE_PROGRAM).filter(line=TOTAL).values_list("organizations_sensitized", flat=True)
        reached = whole.first() or 0
    row["progress"] = progress(reached, reach_target(program))
    return row


def _region_codes(region_ids) -> list[str] | None:
    if region_ids is None:
        return None
    return sorted(Region.objects.filter(pk__in=region_ids).values_list("code", flat=True))


def reach_by_region(
    program: Program, *, period: tuple[str, datetime.date] = WHOLE_PROGRAM, region_ids=None
) -> list[dict]:
    """Figures per region of the organizations (2 queries); ``region_ids`` limits the rows to those regions."""
    granularity, start = period
    figures = _figures(program, granularity, start).exclude(line=TOTAL).filter(registrations__gt=0)
    regions = list(Region.objects.values_list("pk", "code", "name"))
    names = {code: name for _pk, code, name in regions}
    if region_ids is not None:
        figures = figures.filter(line__in=sorted(code for pk, code, _name in regions if pk in region_ids))
    rows = []
    for row in figures.values("line", *COUNTED):
        line = row.pop("line")
        code = None if line == NO_REGION else line
        rows.append(_with_returning({"region_code": code, "region_name": names.get(code), **row}))
    # Regions in their official order (01 to 17), people without a region last.
    return sorted(rows, key=lambda row: (row["region_code"] is None, row["region_code"] or ""))


def breakdown_granularity(period_granularity: str, requested: str | None) -> str:
    """The granularity of the per-period table: the one asked for when it fits inside the period."""
    allowed = FINER.get(period_granularity, (DEFAULT_GRANULARITY,))
    return requested if requested in allowed else allowed[0]


def reach_by_period(
    program: Program,
    *,
    period: tuple[str, datetime.date] = WHOLE_PROGRAM,
    granularity: str = DEFAULT_GRANULARITY,
    region_ids=None,
) -> list[dict]:
    """Figures per month, quarter, year or fiscal year inside the period (1 query, 2 limited to regions).

    Limited to some regions, each period's figures are the sum of those regions' lines.
    """
    period_granularity, start = period
    granularity = breakdown_granularity(period_granularity, granularity)
    figures = ReachFigure.objects.filter(program=program, granularity=granularity)
    end = period_end(period_granularity, start)
    if end is not None:
        figures = figures.filter(period_start__gte=start, period_start__lt=end)
    region_codes = _region_codes(region_ids)
    figures = figures.filter(line=TOTAL) if region_codes is None else figures.filter(line__in=region_codes)
    rows = (
        figures.values("period_start")
        .annotate(**{name: Sum(name) for name in COUNTED})
        .filter(registrations__gt=0)
        .order_by("period_start")
    )
    return [_with_returning({"period": row.pop("period_start"), **row}) for row in rows]


def reach_periods(program: Program) -> dict[str, list[datetime.date]]:
    """The periods in which the program has registrations, per granularity, the latest first (1 query)."""
    periods = {granularity: [] for granularity in Granularity.values if granularity != Granularity.ALL}
    rows = (
        ReachFigure.objects.filter(program=program, line=TOTAL, registrations__gt=0)
        .exclude(granularity=Granularity.ALL)
        .order_by("-period_start")
        .values_list("granularity", "period_start")
    )
    for granularity, start in rows:
        periods[granularity].append(start)
    return periods
