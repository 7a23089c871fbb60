"""The reach figures kept by ``virage.events.reach`` always equal a count made from scratch.

The independent count below reads every registration in plain Python and derives every figure of
every period and line; after any sequence of changes made through the services, the stored figures,
the figures rebuilt from the records, and this count must be the same.
"""

import datetime
import random
import threading
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from virage.core.tests.factories import OrganizationFactory, ProgramFactory, UserFactory
from virage.events import reach, services
from virage.events.models import ReachFigure, Registration
from virage.events.tests.factories import EventFactory, RegistrationFactory
from virage.organizations import services as organization_services
from virage.organizations.models import Organization

pytestmark = pytest.mark.django_db
QUEBEC = ZoneInfo("America/Montreal")
COUNTS = ("registrations", "attendees", "unique_people", "organizations_sensitized", "new_organizations")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=QUEBEC)


def _bucket_starts(day: datetime.date) -> list[tuple[str, datetime.date]]:
    """Written again here rather than imported, so that a mistake in one does not hide in both."""
    fiscal = datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    quarter = datetime.date(day.year, {1: 1, 2: 1, 3: 1, 4: 4, 5: 4, 6: 4, 7: 7, 8: 7, 9: 7}.get(day.month, 10), 1)
    return [
        ("all", datetime.date(1, 1, 1)),
        ("fiscal_year", fiscal),
        ("year", datetime.date(day.year, 1, 1)),
        ("quarter", quarter),
        ("month", datetime.date(day.year, day.month, 1)),
    ]


def expected_figures(program) -> dict:
    """Every non-empty figure of the program, counted from the registrations one by one."""
    registrations = (
        Registration.objects.filter(event__program=program)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "organization__region", "organization__merged_into__region")
    )
    rows = []
    for registration in registrations:
        organization = registration.organization
        if organization is not None and organization.merged_into_id:
            organization = organization.merged_into
        region = organization.region.code if organization is not None and organization.region else "none"
        local_day = registration.event.starts_at.astimezone(QUEBEC).date()
        attended = registration.attended is True
        rows.append(
            {
                "day": local_day,
                "region": region,
                "organization": organization.pk if organization else None,
                "person": registration.email.lower() or f"#{registration.pk}",
                "attended": attended,
                "sensitizing": attended and registration.event.counts_toward_sensitization and organization is not None,
            }
        )
    first_sensitized = {}
    for row in rows:
        if row["sensitizing"]:
            org = row["organization"]
            first_sensitized[org] = min(first_sensitized.get(org, row["day"]), row["day"])
    members = defaultdict(lambda: {"people": set(), "organizations": set(), "registrations": 0, "attendees": 0})
    for row in rows:
        for granularity, start in _bucket_starts(row["day"]):
            for line in ("total", row["region"]):
                figure = members[(granularity, start, line)]
                figure["registrations"] += 1
                if row["attended"]:
                    figure["attendees"] += 1
                    figure["people"].add(row["person"])
                if row["sensitizing"]:
                    figure["organizations"].add(row["organization"])
    result = {}
    for (granularity, start, line), figure in members.items():
        new = {org for org in figure["organizations"] if (granularity, start) in _bucket_starts(first_sensitized[org])}
        result[(granularity, start, line)] = {
            "registrations": figure["registrations"],
            "attendees": figure["attendees"],
            "unique_people": len(figure["people"]),
            "organizations_sensitized": len(figure["organizations"]),
            "new_organizations": len(new),
        }
    return result


def stored_figures(program) -> dict:
    return {
        (row["granularity"], row["period_start"], row["line"]): {name: row[name] for name in COUNTS}
        for row in ReachFigure.objects.filter(program=program).values("granularity", "period_start", "line", *COUNTS)
        if any(row[name] for name in COUNTS)
    }


def assert_exact(*programs):
    for program in programs:
        assert stored_figures(program) == expected_figures(program)


@pytest.fixture
def places(world):
    """Three organizations in two regions (every organization has a municipality, hence a region)."""
    return {
        "montreal": world.montreal,
        "quebec": world.quebec,
        "organizations": [
            world.org_montreal,
            OrganizationFactory(municipality=world.montreal),
            world.org_quebec,
        ],
    }


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_any_sequence_of_changes_keeps_the_figures_exact(places, seed):
    rng = random.Random(seed)
    actor = UserFactory()
    programs = [ProgramFactory(), ProgramFactory()]
    months = [at(2025, 3, 31, 21), at(2025, 4, 1, 9), at(2025, 7, 15), at(2026, 1, 5), at(2026, 3, 30)]
    events = [
        EventFactory(
            program=rng.choice(programs), starts_at=rng.choice(months), counts_toward_sensitization=rng.random() < 0.7
        )
        for _ in range(5)
    ]
    people = [f"personne{n}@exemple.qc.ca" for n in range(8)]
    organizations = [*places["organizations"], None]

    for _step in range(60):
        action = rng.random()
        live = list(Registration.objects.exclude(status=Registration.Status.CANCELLED))
        if action < 0.4 or not live:
            event = rng.choice(events)
            email = rng.choice(people)
            if event.registrations.filter(email=email).exclude(status=Registration.Status.CANCELLED).exists():
                continue
            services.registration_create(
                event=event,
                first_name="Léa",
                last_name="Roy",
                email=email.upper() if rng.random() < 0.2 else email,
                organization=rng.choice(organizations),
                source=Registration.Source.STAFF,
                actor=actor,
            )
        elif action < 0.75:
            services.attendance_mark(registration=rng.choice(live), attended=rng.random() < 0.7, actor=actor)
        elif action < 0.85:
            services.registration_cancel(registration=rng.choice(live), actor=actor)
        else:
            event = rng.choice(events)
            change = rng.choice(["starts_at", "counts_toward_sensitization", "program"])
            value = {
                "starts_at": rng.choice(months),
                "counts_toward_sensitization": not event.counts_toward_sensitization,
                "program": rng.choice(programs),
            }[change]
            data = {change: value}
            if change == "starts_at":
                data["ends_at"] = value + datetime.timedelta(hours=2)
            event.refresh_from_db()
            services.event_update(actor=actor, event=event, data=data)

    assert Registration.objects.filter(attended=True).exists()
    assert_exact(*programs)
    # The records agree with the registrations, and rebuilding from them gives the same figures.
    assert reach.reconcile() == 0
    reach.rebuild()
    assert_exact(*programs)


def test_fiscal_years_start_in_april_and_periods_follow_quebec_time(places):
    org = places["organizations"][0]
    # 21:00 on March 31 in Quebec is already April 1 in UTC: it belongs to March and fiscal year 2024-2025.
    march = EventFactory(starts_at=at(2025, 3, 31, 21))
    RegistrationFactory(event=march, organization=org, attended=True)
    program = march.program

    figures = stored_figures(program)

    assert figures[("month", datetime.date(2025, 3, 1), "total")]["organizations_sensitized"] == 1
    assert figures[("fiscal_year", datetime.date(2024, 4, 1), "total")]["new_organizations"] == 1
    assert ("fiscal_year", datetime.date(2025, 4, 1), "total") not in figures
    assert_exact(program)


def test_an_organization_is_new_only_in_the_periods_of_its_first_sensitization(places):
    org = places["organizations"][0]
    first = EventFactory(starts_at=at(2025, 2, 10))
    later = EventFactory(program=first.program, starts_at=at(2025, 11, 10))
    RegistrationFactory(event=first, organization=org, attended=True)
    RegistrationFactory(event=later, organization=org, attended=True)

    figures = stored_figures(first.program)

    assert figures[("month", datetime.date(2025, 11, 1), "total")]["new_organizations"] == 0
    assert figures[("month", datetime.date(2025, 2, 1), "total")]["new_organizations"] == 1
    assert figures[("year", datetime.date(2025, 1, 1), "total")]["organizations_sensitized"] == 1
    # Marking the February attendee absent makes November the first sensitization.
    services.attendance_mark(registration=first.registrations.get(), attended=False, actor=None)
    figures = stored_figures(first.program)
    assert figures[("month", datetime.date(2025, 11, 1), "total")]["new_organizations"] == 1
    assert_exact(first.program)


def test_a_region_change_and_a_merge_are_caught_up_by_reconcile(places):
    actor = UserFactory()
    org_montreal, _other, org_quebec = places["organizations"]
    pending = OrganizationFactory(municipality=places["montreal"], status=Organization.Status.PENDING)
    event = EventFactory(starts_at=at(2025, 5, 5))
    for organization, email in (
        (org_montreal, "a@exemple.qc.ca"),
        (pending, "b@exemple.qc.ca"),
        (org_quebec, "c@exemple.qc.ca"),
    ):
        RegistrationFactory(event=event, organization=organization, email=email, attended=True)
    program = event.program
    assert stored_figures(program)[("all", reach.ALL_TIME, "total")]["organizations_sensitized"] == 3

    organization_services.organization_update(
        actor=actor, organization=org_quebec, data={"municipality": places["montreal"]}
    )
    organization_services.registration_merge(actor=actor, organization=pending, into=org_montreal)
    changed = reach.reconcile(since=datetime.datetime.now(tz=QUEBEC) - datetime.timedelta(minutes=5))

    assert changed == 2
    figures = stored_figures(program)
    assert figures[("all", reach.ALL_TIME, "total")]["organizations_sensitized"] == 2
    assert figures[("all", reach.ALL_TIME, "06")]["organizations_sensitized"] == 2
    assert ("all", reach.ALL_TIME, "03") not in figures
    assert_exact(program)


def test_an_attendance_import_updates_the_figures_in_one_go(places, world):
    from pathlib import Path

    from virage.events.attendance_import import attendance_import_apply, attendance_import_upload

    report = Path(__file__).parent / "reports" / "zoom_attendee_report.csv"
    event = EventFactory(program=world.program, starts_at=at(2025, 5, 5))
    organizations = places["organizations"]
    RegistrationFactory(event=event, email="lea.tremblay@exemple.qc.ca", organization=organizations[0])
    RegistrationFactory(event=event, email="marc-andre.cote@exemple.qc.ca", organization=organizations[2])
    RegistrationFactory(event=event, email="paul.absent@exemple.qc.ca", organization=organizations[1])
    upload = attendance_import_upload(event=event, data=report.read_bytes(), filename=report.name, actor=world.manager)

    attendance_import_apply(attendance_import=upload, actor=world.manager)

    figures = stored_figures(world.program)
    # Léa and Marc-André stayed long enough, Paul never came; the people of the report who had not
    # registered were added, none of them long enough to have attended.
    assert figures[("all", reach.ALL_TIME, "total")]["attendees"] == 2
    assert figures[("all", reach.ALL_TIME, "total")]["registrations"] == event.registrations.count() > 3
    assert figures[("all", reach.ALL_TIME, "total")]["organizations_sensitized"] == 2
    assert_exact(world.program)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_roll_calls_of_one_organization_count_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("Real concurrency needs PostgreSQL (SQLite serializes writers by design).")
    organization = OrganizationFactory()
    event = EventFactory(starts_at=at(2025, 5, 5))
    registrations = [
        RegistrationFactory(event=event, organization=organization, email=f"p{n}@exemple.qc.ca") for n in range(4)
    ]
    barrier = threading.Barrier(len(registrations))
    errors: list[Exception] = []

    def mark(registration):
        try:
            barrier.wait(timeout=10)
            services.attendance_mark(registration=registration, attended=True, actor=None)
        except Exception as error:  # The assertion below reports it.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=mark, args=(registration,)) for registration in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    figures = stored_figures(event.program)
    assert figures[("all", reach.ALL_TIME, "total")]["attendees"] == 4
    assert figures[("all", reach.ALL_TIME, "total")]["organizations_sensitized"] == 1
    assert_exact(event.program)
