"""The reach ledger: each program's reach figures, kept up to date as its registrations change.

Reading a program's reach from its registrations means counting distinct organizations and people
over millions of rows, which takes seconds. Instead, the figures are kept per period (each month,
quarter, year and fiscal year, and the whole program) and per line (all organizations, each region,
people without a region) in ``ReachFigure``, and the indicators read those rows.

How they stay exact:

- every registration records, in its ``tally_*`` fields, what it currently adds to the figures (its
  program, the month of its event, its organization's region, its organization, the person, and
  whether it is counted, attended and sensitized);
- ``tally_registrations`` compares that record with the registration's present state and applies
  the difference: registrations and attendees are sums; organizations sensitized and unique people
  are distinct counts, so the months in which each organization (``ReachOrganization``) and each
  person (``ReachPerson``) took part are kept, and a period's count changes only when an
  organization or a person enters or leaves it;
- the event services call it in the same transaction as the change, under row locks taken in a fixed
  order (registrations, organizations, people, figures), so concurrent changes add up correctly;
- what changes elsewhere (an organization moved to another region or merged into another one) is
  caught by ``reconcile``, run by Celery beat, which looks for registrations whose record differs
  from their present state; ``rebuild`` recomputes everything from the records, for the province-scale
  demo and as a repair.

Definitions (shared with ``virage.indicators.selectors``): a registration counts unless cancelled;
an attendee is a registration marked attended; a person is an e-mail address (case-insensitive), or
the registration itself when it has none; an organization is sensitized by an attendee of an event
that counts toward sensitization; an organization merged into another counts as that one. Periods
follow the events' start in Quebec's time zone; a fiscal year starts on April 1. An organization is
new in a period when it was first sensitized in the program during that period.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from virage.core.bulk import update_rows

from .models import ReachFigure, ReachOrganization, ReachPerson, Registration

QUEBEC = ZoneInfo("America/Montreal")
ALL_TIME = datetime.date(1, 1, 1)
TOTAL = "total"
NO_REGION = "none"
FISCAL_YEAR_FIRST_MONTH = 4
CHUNK = 2_000
Granularity = ReachFigure.Granularity

TALLY_FIELDS = (
    "tally_program_id",
    "tally_month",
    "tally_region",
    "tally_organization_id",
    "tally_person",
    "tally_counted",
    "tally_attended",
    "tally_sensitizing",
)
# What a registration's present state is read from.
STATE_FIELDS = (
    "pk",
    "status",
    "attended",
    "email",
    "event__program_id",
    "event__starts_at",
    "event__counts_toward_sensitization",
    "organization_id",
    "organization__region__code",
    "organization__merged_into_id",
    "organization__merged_into__region__code",
    *TALLY_FIELDS,
)


@dataclass(frozen=True)
class Tally:
    """What one registration adds to its program's figures."""

    program_id: int | None = None
    month: datetime.date | None = None
    region: str = ""
    organization_id: int | None = None
    person: str = ""
    counted: bool = False
    attended: bool = False
    sensitizing: bool = False


NOTHING = Tally()


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the month of ``moment`` in Quebec."""
    return moment.astimezone(QUEBEC).date().replace(day=1)


def fiscal_year_start(day: datetime.date) -> datetime.date:
    year = day.year if day.month >= FISCAL_YEAR_FIRST_MONTH else day.year - 1
    return datetime.date(year, FISCAL_YEAR_FIRST_MONTH, 1)


def buckets(month: datetime.date) -> tuple[tuple[str, datetime.date], ...]:
    """Every period a month belongs to, as ``(granularity, first day)``."""
    return (
        (Granularity.ALL, ALL_TIME),
        (Granularity.FISCAL_YEAR, fiscal_year_start(month)),
        (Granularity.YEAR, month.replace(month=1)),
        (Granularity.QUARTER, month.replace(month=(month.month - 1) // 3 * 3 + 1)),
        (Granularity.MONTH, month),
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_end(granularity: str, start: datetime.date) -> datetime.date | None:
    """The first day after the period, or ``None`` for the whole program."""
    length = {Granularity.FISCAL_YEAR: 12, Granularity.YEAR: 12, Granularity.QUARTER: 3, Granularity.MONTH: 1}
    if granularity not in length:
        return None
    return add_months(start, length[granularity])


def person_key(email: str, registration_id: int) -> str:
    return email.strip().lower() or f"#{registration_id}"


def _present(row: dict) -> Tally:
    """What the registration should add now, from its row of ``STATE_FIELDS``."""
    if row["status"] == Registration.Status.CANCELLED:
        return NOTHING
    merged_into = row["organization__merged_into_id"]
    organization_id = merged_into or row["organization_id"]
    region = row["organization__merged_into__region__code"] if merged_into else row["organization__region__code"]
    attended = row["attended"] is True
    return Tally(
        program_id=row["event__program_id"],
        month=month_of(row["event__starts_at"]),
        region=region or NO_REGION,
        organization_id=organization_id,
        person=person_key(row["email"], row["pk"]),
        counted=True,
        attended=attended,
        sensitizing=attended and row["event__counts_toward_sensitization"] and organization_id is not None,
    )


def _recorded(row: dict) -> Tally:
    if not row["tally_counted"]:
        return NOTHING
    return Tally(**{name.removeprefix("tally_"): row[name] for name in TALLY_FIELDS})


class _Changes:
    """The differences to apply: sums per figure row, months per organization and per person."""

    def __init__(self):
        self.figures: defaultdict[tuple, Counter] = defaultdict(Counter)
        self.organizations: defaultdict[tuple, Counter] = defaultdict(Counter)
        self.people: defaultdict[tuple, Counter] = defaultdict(Counter)

    def add(self, tally: Tally, sign: int) -> None:
        if not tally.counted:
            return
        for granularity, start in buckets(tally.month):
            for line in (TOTAL, tally.region):
                counter = self.figures[(tally.program_id, granularity, start, line)]
                counter["registrations"] += sign
                if tally.attended:
                    counter["attendees"] += sign
        key = f"{tally.region}|{tally.month:%Y-%m}"
        if tally.sensitizing:
            self.organizations[(tally.program_id, tally.organization_id)][key] += sign
        if tally.attended:
            self.people[(tally.program_id, tally.person)][key] += sign


def _memberships(months: dict) -> tuple[set, set]:
    """The ``(granularity, start, line)`` an organization or person counts in, and those where it is new."""
    present = set()
    first = None
    for key, count in months.items():
        if count <= 0:
            continue
        line, month_text = key.split("|")
        month = datetime.date.fromisoformat(f"{month_text}-01")
        first = month if first is None or month < first else first
        for bucket in buckets(month):
            present.add((*bucket, TOTAL))
            present.add((*bucket, line))
    if first is None:
        return present, set()
    first_buckets = set(buckets(first))
    return present, {member for member in present if member[:2] in first_buckets}


def _key_filter(pairs: Iterable[tuple], field: str) -> Q:
    by_program = defaultdict(list)
    for program_id, key in pairs:
        by_program[program_id].append(key)
    return reduce(or_, (Q(program_id=p, **{f"{field}__in": keys}) for p, keys in by_program.items()))


def _count_members(figures, program_id, before: dict, after: dict, count_field: str, new_field) -> None:
    """Add to the figures who entered or left each period between two states of one member's months."""
    before_present, before_new = _memberships(before)
    after_present, after_new = _memberships(after)
    for member in after_present - before_present:
        figures[(program_id, *member)][count_field] += 1
    for member in before_present - after_present:
        figures[(program_id, *member)][count_field] -= 1
    if new_field:
        for member in after_new - before_new:
            figures[(program_id, *member)][new_field] += 1
        for member in before_new - after_new:
            figures[(program_id, *member)][new_field] -= 1


def _merged(months: dict, delta: Counter) -> dict:
    total = Counter(months)
    total.update(delta)
    return {key: count for key, count in sorted(total.items()) if count > 0}


def _apply_members(model, field: str, changes: dict, figures: defaultdict, *, count_field: str, new_field=None):
    """Update the months of each organization or person and count who entered or left a period."""
    if not changes:
        return
    rows = list(model.objects.select_for_update().filter(_key_filter(changes, field)).order_by("pk"))
    missing = set(changes) - {(row.program_id, getattr(row, field)) for row in rows}
    if missing:
        # Members seen for the first time are inserted with their months at once. Should another
        # transaction insert one of them meanwhile, the insert fails as a whole and those rows are
        # read (and locked) like the others instead.
        created = [
            model(program_id=program_id, months=_merged({}, changes[(program_id, key)]), **{field: key})
            for program_id, key in sorted(missing)
        ]
        try:
            with transaction.atomic():
                model.objects.bulk_create([row for row in created if row.months])
        except IntegrityError:
            placeholders = [model(program_id=program_id, **{field: key}) for program_id, key in missing]
            model.objects.bulk_create(placeholders, ignore_conflicts=True)
            rows = list(model.objects.select_for_update().filter(_key_filter(changes, field)).order_by("pk"))
        else:
            for row in created:
                _count_members(figures, row.program_id, {}, row.months, count_field, new_field)
    changed, emptied = [], []
    for row in rows:
        delta = changes.get((row.program_id, getattr(row, field)))
        if not delta:
            continue
        before = row.months
        row.months = _merged(before, delta)
        _count_members(figures, row.program_id, before, row.months, count_field, new_field)
        (changed if row.months else emptied).append(row)
    update_rows(model, changed, ["months"])
    if emptied:
        model.objects.filter(pk__in=[row.pk for row in emptied]).delete()


def _apply_figures(figures: dict) -> None:
    changes = {key: counter for key, counter in figures.items() if any(counter.values())}
    if not changes:
        return
    ReachFigure.objects.bulk_create(
        [
            ReachFigure(program_id=program_id, granularity=granularity, period_start=start, line=line)
            for program_id, granularity, start, line in changes
        ],
        ignore_conflicts=True,
    )
    keys = list(changes)
    rows = []
    for offset in range(0, len(keys), 200):
        condition = reduce(
            or_,
            (
                Q(program_id=program_id, granularity=granularity, period_start=start, line=line)
                for program_id, granularity, start, line in keys[offset : offset + 200]
            ),
        )
        rows.extend(ReachFigure.objects.select_for_update().filter(condition).order_by("pk"))
    names = set()
    for row in rows:
        for name, delta in changes[(row.program_id, row.granularity, row.period_start, row.line)].items():
            setattr(row, name, getattr(row, name) + delta)
            names.add(name)
    ReachFigure.objects.bulk_update(rows, sorted(names), batch_size=500)


def _apply(changes: _Changes) -> None:
    _apply_members(
        ReachOrganization,
        "organization_id",
        changes.organizations,
        changes.figures,
        count_field="organizations_sensitized",
        new_field="new_organizations",
    )
    _apply_members(ReachPerson, "person", changes.people, changes.figures, count_field="unique_people")
    _apply_figures(changes.figures)


@transaction.atomic
def tally_registrations(registration_ids: Iterable[int]) -> int:
    """Bring the figures up to date with these registrations' present state; returns how many changed.

    Call it in the transaction that changed the registrations (or their event), after the change.
    """
    ids = sorted(set(registration_ids))
    changed = 0
    for offset in range(0, len(ids), CHUNK):
        rows = (
            Registration.objects.select_for_update(of=("self",))
            .filter(pk__in=ids[offset : offset + CHUNK])
            .order_by("pk")
            .values(*STATE_FIELDS)
        )
        changed += _tally_rows(rows)
    return changed


def _tally_rows(rows: Iterable[dict]) -> int:
    changes = _Changes()
    records = []
    written = set()
    for row in rows:
        before, after = _recorded(row), _present(row)
        if before == after:
            continue
        changes.add(before, -1)
        changes.add(after, +1)
        record = {f"tally_{name}": value for name, value in after.__dict__.items()}
        # Only the fields that differ are written (an attendance changes two of the eight).
        written.update(name for name, value in record.items() if row[name] != value)
        records.append(Registration(pk=row["pk"], **record))
    if not records:
        return 0
    _apply(changes)
    update_rows(Registration, records, [name for name in TALLY_FIELDS if name in written])
    return len(records)


def reconcile(*, since: datetime.datetime | None = None, program_ids=None) -> int:
    """Catch up with changes made outside the event services (an organization's region, a merge).

    With ``since``, only registrations whose organization, event or themselves changed since then
    are looked at; without it, every registration. Returns how many registrations changed.
    """
    queryset = Registration.objects.all()
    if program_ids is not None:
        queryset = queryset.filter(Q(event__program_id__in=program_ids) | Q(tally_program_id__in=program_ids))
    if since is not None:
        queryset = queryset.filter(
            Q(updated_at__gte=since)
            | Q(event__updated_at__gte=since)
            | Q(organization__updated_at__gte=since)
            | Q(organization__merged_into__updated_at__gte=since)
        )
    stale = [row["pk"] for row in queryset.values(*STATE_FIELDS).iterator(chunk_size=5_000) if _stale(row)]
    return tally_registrations(stale) if stale else 0


def _stale(row: dict) -> bool:
    return _recorded(row) != _present(row)


@transaction.atomic
def rebuild(program_ids=None) -> None:
    """Recompute the figures of these programs (all when ``None``) from the registrations' records.

    The records themselves are trusted (``reconcile`` corrects them); this is how the province-scale
    demo, written with COPY, gets its figures, and how figures are repaired.
    """
    figures_queryset = ReachFigure.objects.all()
    organizations_queryset = ReachOrganization.objects.all()
    people_queryset = ReachPerson.objects.all()
    registrations = Registration.objects.filter(tally_counted=True)
    if program_ids is not None:
        program_ids = list(program_ids)
        figures_queryset = figures_queryset.filter(program_id__in=program_ids)
        organizations_queryset = organizations_queryset.filter(program_id__in=program_ids)
        people_queryset = people_queryset.filter(program_id__in=program_ids)
        registrations = registrations.filter(tally_program_id__in=program_ids)
    figures_queryset.delete()
    organizations_queryset.delete()
    people_queryset.delete()

    figures: defaultdict[tuple, Counter] = defaultdict(Counter)
    sums = registrations.values("tally_program_id", "tally_month", "tally_region").annotate(
        registrations=Count("pk"), attendees=Count("pk", filter=Q(tally_attended=True))
    )
    for row in sums:
        for granularity, start in buckets(row["tally_month"]):
            for line in (TOTAL, row["tally_region"]):
                counter = figures[(row["tally_program_id"], granularity, start, line)]
                counter["registrations"] += row["registrations"]
                counter["attendees"] += row["attendees"]

    def members(condition: Q, field: str, model, count_field: str, new_field=None):
        months: defaultdict[tuple, dict] = defaultdict(dict)
        grouped = (
            registrations.filter(condition)
            .values("tally_program_id", field, "tally_region", "tally_month")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in grouped.iterator(chunk_size=20_000):
            key = f"{row['tally_region']}|{row['tally_month']:%Y-%m}"
            months[(row["tally_program_id"], row[field])][key] = row["count"]
        batch = []
        for (program_id, key), member_months in months.items():
            present, new = _memberships(member_months)
            for member in present:
                figures[(program_id, *member)][count_field] += 1
            for member in new if new_field else ():
                figures[(program_id, *member)][new_field] += 1
            name = field.removeprefix("tally_")
            batch.append(model(program_id=program_id, months=dict(sorted(member_months.items())), **{name: key}))
            if len(batch) >= 5_000:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)

    members(
        Q(tally_sensitizing=True),
        "tally_organization_id",
        ReachOrganization,
        "organizations_sensitized",
        "new_organizations",
    )
    members(Q(tally_attended=True), "tally_person", ReachPerson, "unique_people")
    ReachFigure.objects.bulk_create(
        (
            ReachFigure(program_id=program_id, granularity=granularity, period_start=start, line=line, **counter)
            for (program_id, granularity, start, line), counter in figures.items()
        ),
        batch_size=5_000,
    )


def tally_event(event) -> int:
    """After an event moved in time, changed program or started or stopped counting toward sensitization."""
    return tally_registrations(event.registrations.values_list("pk", flat=True))
