"""Province-scale events: 20,000 events and 3,000,000 registrations, for load tests and benchmarks.

Like ``scale.py``, these rows are synthetic load: they go straight into the tables and leave no entry
in the activity log. On PostgreSQL the registrations are written with ``COPY``, several times faster
than ``INSERT`` for millions of rows; elsewhere (the test suite's SQLite) with batched ``INSERT``s of
the very same values, so both paths write identical data.

The shape follows the two demo programs: DATAide mostly runs province-wide webinars that count toward
its sensitization target, Plus numérique runs workshops, information and training sessions in the
regions. Registrants are people of the province-scale organizations (their name, e-mail, language and
organization), half of them drawn among the organizations taking part in the program; about 5 % of
registrations are cancelled, those beyond an event's capacity wait on its list, and in past events
about 70 % of the confirmed registrants attended, with their minutes present.

Every value comes from the seed, except the cancellation keys: they are credentials (whoever holds
one can cancel the registration), so they come from ``secrets`` even for synthetic rows.
"""

import datetime
import math
import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage.events import reach
from virage.events.models import Event, Registration, Topic
from virage.organizations.models import Organization, Person
from virage.programs.models import Participation, Program

from .data import NameMaker
from .geography import MunicipalityPicker
from .seed import DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG

PROVINCE_EVENTS = 20_000
PROVINCE_REGISTRATIONS = 3_000_000
EVENT_BATCH_SIZE = 5_000
REGISTRATION_BATCH_SIZE = 10_000

QUEBEC = ZoneInfo("America/Montreal")
FIRST_DAY = datetime.date(2022, 4, 1)
LAST_DAY = datetime.date(2026, 12, 31)

NO_PROGRAMS = _("The demo programs are missing: province-scale events need DATAide and Plus numérique.")
NO_REGISTRANTS = _("No person with an e-mail address exists: province-scale events need the province's people.")

# (program, kind, counts toward sensitization, online, weight): three events in four are DATAide webinars.
EVENT_SHAPES = (
    (DATAIDE_SLUG, Event.Kind.WEBINAR, True, True, 72),
    (DATAIDE_SLUG, Event.Kind.WORKSHOP, True, False, 6),
    (DATAIDE_SLUG, Event.Kind.INFORMATION_SESSION, False, False, 4),
    (PLUS_NUMERIQUE_SLUG, Event.Kind.WORKSHOP, True, False, 8),
    (PLUS_NUMERIQUE_SLUG, Event.Kind.INFORMATION_SESSION, False, False, 5),
    (PLUS_NUMERIQUE_SLUG, Event.Kind.TRAINING_SESSION, False, False, 3),
    (PLUS_NUMERIQUE_SLUG, Event.Kind.WEBINAR, True, True, 2),
)
TOPICS = {
    DATAIDE_SLUG: ("Cybersécurité", "Données ouvertes", "Intelligence artificielle", "Outils collaboratifs"),
    PLUS_NUMERIQUE_SLUG: ("Commerce en ligne", "Marketing numérique", "Cybersécurité", "Intelligence artificielle"),
}
KIND_TITLES = {
    Event.Kind.WEBINAR: "Webinaire",
    Event.Kind.WORKSHOP: "Atelier",
    Event.Kind.INFORMATION_SESSION: "Séance d’information",
    Event.Kind.TRAINING_SESSION: "Formation",
}
START_HOURS = (9, 10, 10, 13, 13, 14, 19)
DURATIONS = (60, 90, 90, 120, 180)
MIN_CAPACITY, MAX_CAPACITY = 50, 500
# Registrants per event are skewed (a log-normal draw): most events draw 80 to 200, a few 500 or more.
SPREAD = 0.7
MAX_REGISTRANTS_PER_EVENT = 650
CANCELLED_SHARE = 0.05
ATTENDED_SHARE = 0.70
# Share of a program's registrants drawn among its own participating organizations.
PARTICIPANT_SHARE = 0.5

REGISTRATION_COLUMNS = (
    "event_id",
    "person_id",
    "organization_id",
    "first_name",
    "last_name",
    "email",
    "language",
    "status",
    "source",
    "cancel_token",
    "attended",
    "minutes_present",
    "attendance_source",
    "created_at",
    "updated_at",
    # What each registration adds to the reach figures (see virage.events.reach), written with it.
    *reach.TALLY_FIELDS,
)


@dataclass
class EventsReport:
    events: int = 0
    registrations: int = 0
    attended: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: bool = False


def load_events(
    *,
    seed: int,
    events: int = PROVINCE_EVENTS,
    registrations: int = PROVINCE_REGISTRATIONS,
    batch_size: int = REGISTRATION_BATCH_SIZE,
    progress: Callable[[str], None] = lambda message: None,
) -> EventsReport:
    """Add ``events`` events and ``registrations`` registrations, the same ones for the same seed.

    Does nothing when the database already holds that many events, so running the command twice
    does not double the data.
    """
    report = EventsReport()
    if Event.objects.count() >= events:
        report.skipped = True
        return report
    total_started = time.perf_counter()
    # Its own stream of numbers: adding events leaves the organizations of a seed unchanged.
    rng = random.Random(f"events-{seed}")
    programs = dict(Program.objects.filter(slug__in=[DATAIDE_SLUG, PLUS_NUMERIQUE_SLUG]).values_list("slug", "pk"))
    if len(programs) < 2:
        raise CommandError(str(NO_PROGRAMS))

    started = time.perf_counter()
    people = list(
        Person.objects.exclude(email="")
        .order_by("pk")
        .values_list("pk", "organization_id", "first_name", "last_name", "email", "preferred_language")
    )
    if not people and registrations:
        raise CommandError(str(NO_REGISTRANTS))
    regions = dict(Organization.objects.values_list("pk", "region__code"))
    participants: dict[int, list[int]] = {}
    for program_id in programs.values():
        members = set(Participation.objects.filter(program_id=program_id).values_list("organization_id", flat=True))
        participants[program_id] = [index for index, person in enumerate(people) if person[1] in members]
    report.seconds["people"] = time.perf_counter() - started

    with transaction.atomic():
        started = time.perf_counter()
        # An event cannot have more registrants than there are distinct addresses (two organizations
        # may share a name, so two people may share an address).
        addresses = len({person[4].lower() for person in people})
        sizes = _registrants_per_event(rng, events, registrations, addresses)
        created_events = _create_events(rng, programs, sizes)
        report.events = len(created_events)
        report.seconds["events"] = time.perf_counter() - started
        progress(f"{report.events:,} events")

        rows = _registration_rows(rng, created_events, sizes, people, participants, regions, report)
        started = time.perf_counter()
        _write_registrations(rows, batch_size=batch_size, report=report, progress=progress, total=registrations)
        report.seconds["registrations"] = time.perf_counter() - started
        started = time.perf_counter()
        reach.rebuild(programs.values())
        report.seconds["reach figures"] = time.perf_counter() - started
        progress("reach figures")
        started = time.perf_counter()
    # PostgreSQL checks the deferred foreign keys of 3,000,000 rows at commit: a minute of its own.
    report.seconds["commit"] = time.perf_counter() - started

    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Statistics and the visibility map now, as in scale.py: the planner must know the tables
        # are large, and counts can then read the indexes alone. Not possible inside a transaction.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Event, Event.topics.through, Registration):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        report.seconds["analyze"] = time.perf_counter() - started
    report.seconds["total"] = time.perf_counter() - total_started
    return report


def _start_of(rng: random.Random) -> datetime.datetime:
    """A weekday between FIRST_DAY and LAST_DAY, at a usual hour in Quebec."""
    span = (LAST_DAY - FIRST_DAY).days
    while True:
        day = FIRST_DAY + datetime.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:
            break
    return datetime.datetime.combine(day, datetime.time(rng.choice(START_HOURS)), tzinfo=QUEBEC)


def _create_events(rng: random.Random, programs: dict[str, int], sizes: list[int]) -> list[Event]:
    names = NameMaker(rng)
    places = MunicipalityPicker(rng)
    topics = {
        slug: [Topic.objects.get_or_create(program_id=programs[slug], name_fr=name)[0] for name in TOPICS[slug]]
        for slug in programs
    }
    shapes = rng.choices(EVENT_SHAPES, weights=[shape[-1] for shape in EVENT_SHAPES], k=len(sizes))
    events, links = [], []
    for number, ((slug, kind, counts, online, _weight), size) in enumerate(zip(shapes, sizes, strict=True), start=1):
        starts_at = _start_of(rng)
        # Capacity around the demand, so that popular events fill up and keep a waiting list.
        capacity = min(MAX_CAPACITY, max(MIN_CAPACITY, 10 * math.ceil(size * rng.uniform(0.85, 1.3) / 10)))
        topic = rng.choice(topics[slug])
        event = Event(
            program_id=programs[slug],
            kind=kind,
            title_fr=f"{KIND_TITLES[kind]} : {topic.name_fr} (no {number})",
            language=Event.Language.ENGLISH if rng.random() < 0.05 else Event.Language.FRENCH,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=rng.choice(DURATIONS)),
            counts_toward_sensitization=counts,
            capacity=capacity,
            status=Event.Status.PUBLISHED,
            registration_deadline=starts_at - datetime.timedelta(days=1),
        )
        if online:
            event.online_url = f"https://webinaires.example/{slug}/{number}"
        else:
            place = places.pick()
            event.municipality_id, event.region_id, event.address = place.id, place.region_id, names.address()
        events.append(event)
        links.append(topic.pk)
    Event.objects.bulk_create(events, batch_size=EVENT_BATCH_SIZE)
    through = Event.topics.through
    through.objects.bulk_create(
        [through(event_id=event.pk, topic_id=topic_id) for event, topic_id in zip(events, links, strict=True)],
        batch_size=EVENT_BATCH_SIZE,
    )
    return events


def _registrants_per_event(rng: random.Random, events: int, registrations: int, addresses: int) -> list[int]:
    """How many register for each event: skewed, capped, and adding up to exactly ``registrations``."""
    cap = min(addresses, max(MAX_REGISTRANTS_PER_EVENT, 3 * math.ceil(registrations / events)))
    if registrations > cap * events:
        raise CommandError(str(NO_REGISTRANTS))
    weights = [rng.lognormvariate(0, SPREAD) for _event in range(events)]
    scale = registrations / sum(weights)
    sizes = [min(cap, int(weight * scale)) for weight in weights]
    missing = registrations - sum(sizes)
    while missing > 0:
        position = rng.randrange(events)
        if sizes[position] < cap:
            sizes[position] += 1
            missing -= 1
    return sizes


def _registration_rows(
    rng: random.Random,
    events: list[Event],
    sizes: list[int],
    people: list[tuple],
    participants: dict[int, list[int]],
    regions: dict[int, str | None],
    report: EventsReport,
) -> Iterator[tuple]:
    """The registrations' column values (REGISTRATION_COLUMNS), event after event."""
    now = timezone.now()
    everyone = len(people)
    confirmed, waitlisted, cancelled = (
        Registration.Status.CONFIRMED,
        Registration.Status.WAITLISTED,
        Registration.Status.CANCELLED,
    )
    public_form, staff = Registration.Source.PUBLIC_FORM, Registration.Source.STAFF
    zoom, roll_call = Registration.AttendanceSource.ZOOM, Registration.AttendanceSource.ROLL_CALL
    for event, size in zip(events, sizes, strict=True):
        duration = event.duration_minutes
        threshold = event.attendance_threshold
        online = bool(event.online_url)
        past = event.ends_at < now
        own = participants.get(event.program_id) or []
        capacity = event.capacity
        opened = event.starts_at - datetime.timedelta(days=rng.randint(10, 45))
        step = (event.starts_at - opened) / (size + 1)
        month = reach.month_of(event.starts_at)
        seen: set[str] = set()
        taken = 0
        while len(seen) < size:
            pool_index = rng.randrange(len(own)) if own and rng.random() < PARTICIPANT_SHARE else None
            person = people[own[pool_index] if pool_index is not None else rng.randrange(everyone)]
            email = person[4].lower()
            if email in seen:
                continue  # One registration per e-mail address and event, as the constraint requires.
            seen.add(email)
            created_at = opened + step * len(seen)
            status, attended, minutes, source_of_attendance = confirmed, None, None, ""
            draw = rng.random()
            if draw < CANCELLED_SHARE:
                status = cancelled
            elif taken >= capacity:
                status = waitlisted
            else:
                taken += 1
                if past:
                    source_of_attendance = zoom if online else roll_call
                    if draw < CANCELLED_SHARE + ATTENDED_SHARE * (1 - CANCELLED_SHARE):
                        attended, minutes = True, rng.randint(threshold, duration)
                    elif online:
                        # Zoom reports everyone registered: the absent show 0 minutes or a short visit.
                        attended, minutes = False, rng.choice((0, 0, rng.randint(1, max(1, threshold - 1))))
                    else:
                        attended = False
            if attended:
                report.attended += 1
            yield (
                event.pk,
                person[0],
                person[1],
                person[2],
                person[3],
                person[4],
                person[5],
                status,
                staff if draw > 0.93 else public_form,
                secrets.token_urlsafe(24),
                attended,
                minutes,
                source_of_attendance,
                created_at,
                created_at,
                # The reach record: nothing for a cancellation.
                event.program_id if status != cancelled else None,
                month if status != cancelled else None,
                (regions.get(person[1]) or reach.NO_REGION) if status != cancelled else "",
                person[1] if status != cancelled else None,
                email if status != cancelled else "",
                status != cancelled,
                attended is True,
                attended is True and event.counts_toward_sensitization and person[1] is not None,
            )


def _write_registrations(
    rows: Iterator[tuple], *, batch_size: int, report: EventsReport, progress: Callable[[str], None], total: int
) -> None:
    table = Registration._meta.db_table
    columns = ", ".join(REGISTRATION_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    report.registrations += 1
                    if report.registrations % (batch_size * 50) == 0:
                        progress(f"{report.registrations:,} / {total:,} registrations")
            return
        insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(REGISTRATION_COLUMNS))})"
        adapt = connection.ops.adapt_datetimefield_value
        moments = {REGISTRATION_COLUMNS.index("created_at"), REGISTRATION_COLUMNS.index("updated_at")}
        batch = []
        for row in rows:
            batch.append(tuple(adapt(value) if position in moments else value for position, value in enumerate(row)))
            if len(batch) >= batch_size:
                cursor.executemany(insert, batch)
                report.registrations += len(batch)
                batch = []
        if batch:
            cursor.executemany(insert, batch)
            report.registrations += len(batch)
