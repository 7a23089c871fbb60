"""Reach of a program: every figure equals a count made independently, in plain Python, over the test's data."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from virage.core.tests.factories import OrganizationFactory, ProgramFactory
from virage.events.models import Registration
from virage.events.tests.factories import EventFactory, RegistrationFactory
from virage.indicators import selectors
from virage.programs.models import Indicator, Target

QUEBEC = ZoneInfo("America/Montreal")
# The period of most tests: the calendar year 2025.
PERIOD = ("year", datetime.date(2025, 1, 1))
PERIOD_START = datetime.date(2025, 1, 1)
PERIOD_END = datetime.date(2026, 1, 1)  # excluded
CANCELLED = Registration.Status.CANCELLED
WAITLISTED = Registration.Status.WAITLISTED


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=QUEBEC)


@pytest.fixture
def reach_data(world):
    """Events before, in and after the period, counting toward sensitization or not, in two regions."""
    montreal_extra = [OrganizationFactory(municipality=world.montreal) for _ in range(2)]
    quebec_extra = OrganizationFactory(municipality=world.quebec)
    org_mtl, org_qc = world.org_montreal, world.org_quebec

    def event(starts_at, counts=True, program=None):
        return EventFactory(program=program or world.program, starts_at=starts_at, counts_toward_sensitization=counts)

    before = event(at(2024, 11, 10))
    before_not_counting = event(at(2024, 12, 5), counts=False)
    january = event(at(2025, 1, 15))
    february = event(at(2025, 2, 20))
    march_not_counting = event(at(2025, 3, 10), counts=False)
    # 23:30 on May 31 in Quebec is already June 1 in UTC: it belongs to May.
    end_of_may = event(at(2025, 5, 31, 23, 30))
    # 00:30 on January 1 in Quebec: the next year, after the period.
    after = event(at(2026, 1, 1, 0, 30))
    other_program = event(at(2025, 2, 1), program=ProgramFactory())

    specs = [
        # (event, e-mail, organization, attended, status)
        (before, "ana@exemple.qc.ca", org_mtl, True, None),
        (before, "bob@exemple.qc.ca", montreal_extra[0], False, None),
        (before_not_counting, "carl@exemple.qc.ca", org_qc, True, None),
        (january, "Ana@Exemple.qc.ca", org_mtl, True, None),
        (january, "dora@exemple.qc.ca", montreal_extra[0], True, None),
        (january, "eve@exemple.qc.ca", org_qc, False, None),
        (january, "fred@exemple.qc.ca", None, True, None),
        (january, "gil@exemple.qc.ca", montreal_extra[1], True, CANCELLED),
        (february, "ana@exemple.qc.ca", org_mtl, True, None),
        (february, "carl@exemple.qc.ca", org_qc, True, None),
        (february, "hugo@exemple.qc.ca", quebec_extra, None, WAITLISTED),
        (february, "ines@exemple.qc.ca", None, False, None),
        (march_not_counting, "jade@exemple.qc.ca", montreal_extra[1], True, None),
        (march_not_counting, "fred@exemple.qc.ca", None, True, None),
        (end_of_may, "karl@exemple.qc.ca", quebec_extra, True, None),
        (end_of_may, "dora@exemple.qc.ca", montreal_extra[0], True, None),
        (after, "lea@exemple.qc.ca", montreal_extra[1], True, None),
        (other_program, "ana@exemple.qc.ca", org_mtl, True, None),
    ]
    registrations = [
        RegistrationFactory(
            event=event,
            email=email,
            organization=organization,
            attended=attended,
            status=status or Registration.Status.CONFIRMED,
        )
        for event, email, organization, attended, status in specs
    ]
    return registrations


# --- The independent count: plain Python over the objects the test created. -------------------------


def _in_program(registrations, program):
    return [r for r in registrations if r.event.program_id == program.pk and r.status != CANCELLED]


def _sensitizing(registration):
    event = registration.event
    has_organization = registration.organization_id is not None
    return registration.attended is True and event.counts_toward_sensitization and has_organization


def _local_start(registration):
    return registration.event.starts_at.astimezone(QUEBEC)


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=QUEBEC)


def expected_counts(registrations, program, *, start=None, end=None, keep=lambda r: True, returning_before=None):
    """The reach figures of the registrations ``keep`` selects, counted one by one."""
    everything = _in_program(registrations, program)
    rows = [
        r
        for r in everything
        if keep(r)
        and (start is None or r.event.starts_at >= _midnight(start))
        and (end is None or r.event.starts_at < _midnight(end))
    ]
    attended = [r for r in rows if r.attended is True]
    sensitized = {r.organization_id for r in rows if _sensitizing(r)}
    # ``returning_before(r)``: the moment before which an earlier sensitization makes r's organization returning.
    returning = set()
    for r in rows:
        if not _sensitizing(r):
            continue
        limit = returning_before(r) if returning_before else (_midnight(start) if start else None)
        if limit is not None and any(
            _sensitizing(other) and other.organization_id == r.organization_id and other.event.starts_at < limit
            for other in everything
        ):
            returning.add(r.organization_id)
    return {
        "registrations": len(rows),
        "attendees": len(attended),
        "unique_people": len({r.email.lower() for r in attended}),
        "organizations_sensitized": len(sensitized),
        "new_organizations": len(sensitized - returning),
        "returning_organizations": len(returning),
    }


def _region_code(registration):
    return registration.organization.region.code if registration.organization else None


def _month(registration):
    local = _local_start(registration)
    return datetime.date(local.year, local.month, 1)


def _quarter(registration):
    local = _local_start(registration)
    return datetime.date(local.year, (local.month - 1) // 3 * 3 + 1, 1)


def _counts_only(row):
    return {key: row[key] for key in selectors_keys()}


def selectors_keys():
    return (
        "registrations",
        "attendees",
        "unique_people",
        "organizations_sensitized",
        "new_organizations",
        "returning_organizations",
    )


# --- Summary -----------------------------------------------------------------------------------------


def test_summary_of_a_period_equals_an_independent_count(world, reach_data):
    summary = selectors.reach_summary(world.program, period=PERIOD)

    expected = expected_counts(reach_data, world.program, start=PERIOD_START, end=PERIOD_END)
    assert _counts_only(summary) == expected
    # The data set exercises every rule: people counted once across events and e-mail cases, an
    # organization sensitized before the period (returning) and others for the first time (new).
    assert expected == {
        "registrations": 12,
        "attendees": 9,
        "unique_people": 6,
        "organizations_sensitized": 4,
        "new_organizations": 3,
        "returning_organizations": 1,
    }


def test_summary_without_a_period_counts_everything_and_every_organization_as_new(world, reach_data):
    summary = selectors.reach_summary(world.program)

    expected = expected_counts(reach_data, world.program)
    assert _counts_only(summary) == expected
    assert expected["returning_organizations"] == 0


def test_organization_attending_only_events_that_do_not_count_is_not_sensitized(world, reach_data):
    # org_quebec attended a non-counting event in December: in February it is new, not returning.
    summary = selectors.reach_summary(world.program, period=("month", datetime.date(2025, 2, 1)))

    assert summary["organizations_sensitized"] == 2
    assert summary["returning_organizations"] == 1  # org_montreal, sensitized in November
    assert summary["new_organizations"] == 1  # org_quebec


def test_progress_toward_the_target_is_a_number_and_a_share(world, reach_data):
    Target.objects.create(program=world.program, indicator=Indicator.ORGANIZATIONS_SENSITIZED, value=Decimal("8"))

    progress = selectors.reach_summary(world.program)["progress"]

    reached = expected_counts(reach_data, world.program)["organizations_sensitized"]
    assert progress["target"] == Decimal("8")
    # 5 of 8 is 62.5 %, rounded half up.
    assert reached == 5
    assert progress["percent"] == 63
    assert progress["bar"] == progress["percent"]


def test_progress_bar_stops_at_100_when_the_target_is_exceeded(world, reach_data):
    Target.objects.create(program=world.program, indicator=Indicator.ORGANIZATIONS_SENSITIZED, value=Decimal("2"))

    progress = selectors.reach_summary(world.program)["progress"]

    assert progress["percent"] > 100
    assert progress["bar"] == 100


def test_without_a_target_there_is_no_progress(world, reach_data):
    assert selectors.reach_summary(world.program)["progress"] is None


# --- Per region and per period -----------------------------------------------------------------------


def test_per_region_equals_an_independent_count_with_a_line_for_people_without_organization(world, reach_data):
    rows = selectors.reach_by_region(world.program, period=PERIOD)

    codes = {_region_code(r) for r in _in_program(reach_data, world.program)}
    expected = {
        code: expected_counts(
            reach_data, world.program, start=PERIOD_START, end=PERIOD_END, keep=lambda r, c=code: _region_code(r) == c
        )
        for code in codes
    }
    assert {row["region_code"]: _counts_only(row) for row in rows} == expected
    assert None in expected and "06" in expected and "03" in expected


def test_per_region_can_be_limited_to_some_regions(world, reach_data):
    rows = selectors.reach_by_region(world.program, region_ids={world.region_quebec.pk})

    assert [row["region_code"] for row in rows] == ["03"]
    assert _counts_only(rows[0]) == expected_counts(reach_data, world.program, keep=lambda r: _region_code(r) == "03")


@pytest.mark.parametrize(("granularity", "period_of"), [("month", _month), ("quarter", _quarter)])
def test_per_period_equals_an_independent_count_in_quebec_time(world, reach_data, granularity, period_of):
    rows = selectors.reach_by_period(world.program, granularity=granularity)

    periods = sorted({period_of(r) for r in _in_program(reach_data, world.program)})
    expected = [
        {
            "period": period,
            **expected_counts(
                reach_data,
                world.program,
                keep=lambda r, p=period: period_of(r) == p,
                returning_before=lambda r, p=period: _midnight(p),
            ),
        }
        for period in periods
    ]
    assert [{"period": row["period"], **_counts_only(row)} for row in rows] == expected


def test_an_event_late_on_the_last_day_of_a_month_counts_in_that_month(world, reach_data):
    rows = selectors.reach_by_period(world.program, period=PERIOD)

    months = [row["period"] for row in rows]
    assert datetime.date(2025, 5, 1) in months
    assert datetime.date(2025, 6, 1) not in months
    assert datetime.date(2025, 7, 1) not in months


def test_per_year(world, reach_data):
    rows = selectors.reach_by_period(world.program, granularity="year")

    assert [row["period"] for row in rows] == [datetime.date(y, 1, 1) for y in (2024, 2025, 2026)]
    # org_montreal, sensitized in 2024, is returning in 2025.
    assert rows[1]["returning_organizations"] == 1


# --- The page and the CSV file -----------------------------------------------------------------------


def _reach_url(world, name="indicators:reach"):
    return reverse(name, kwargs={"slug": world.program.slug})


def test_manager_sees_exact_figures_and_an_accessible_progress_bar(client, world, reach_data):
    Target.objects.create(program=world.program, indicator=Indicator.ORGANIZATIONS_SENSITIZED, value=Decimal("3000"))
    client.force_login(world.manager)

    response = client.get(_reach_url(world), {"period": "year-2025-01-01"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="organizations-sensitized">4<' in html
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="0"' in html and 'aria-valuemin="0"' in html and 'aria-valuemax="100"' in html
    assert "3\u00a0000" in html or "3 000" in html
    assert "&lt; 5" not in html
    region_rows = {row["region_code"]: row for row in response.context["by_region"]}
    assert (
        region_rows["06"]["registrations"]
        == expected_counts(
            reach_data, world.program, start=PERIOD_START, end=PERIOD_END, keep=lambda r: _region_code(r) == "06"
        )["registrations"]
    )


def test_funder_sees_small_counts_as_less_than_the_threshold_and_no_names(client, world, reach_data):
    client.force_login(world.funder)

    response = client.get(_reach_url(world))

    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt; 5" in html
    for registration in reach_data:
        assert registration.email.lower() not in html.lower()
    assert world.org_montreal.legal_name not in html
    # Every per-region and per-period count from 1 to 4 is hidden; totals of the program are not.
    for row in (*response.context["by_region"], *response.context["by_period"]):
        for key in selectors_keys():
            assert row[key] is None or row[key] == 0 or row[key] >= 5
    assert response.context["summary"]["registrations"] == expected_counts(reach_data, world.program)["registrations"]


def test_funder_csv_hides_small_counts_too(client, world, reach_data):
    client.force_login(world.funder)

    response = client.get(_reach_url(world, "indicators:reach_csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "< 5" in response.content.decode("utf-8-sig")


def test_manager_csv_has_the_exact_tables(client, world, reach_data):
    client.force_login(world.manager)

    response = client.get(_reach_url(world, "indicators:reach_csv"), {"granularity": "year"})

    lines = response.content.decode("utf-8-sig").splitlines()
    assert "< 5" not in response.content.decode("utf-8-sig")
    # A header, the program, one line per region (3) and per year (3).
    assert len(lines) == 1 + 1 + 3 + 3


def test_coordinator_sees_program_totals_but_only_their_regions_rows(client, world, reach_data):
    client.force_login(world.coordinator_quebec)

    response = client.get(_reach_url(world))

    assert response.status_code == 200
    assert [row["region_code"] for row in response.context["by_region"]] == ["03"]
    assert response.context["summary"]["registrations"] == expected_counts(reach_data, world.program)["registrations"]


@pytest.mark.parametrize("persona", ["coach", "reviewer", "contact_other_organization", "outsider"])
def test_people_who_do_not_read_indicators_get_404(client, world, persona):
    client.force_login(world.personas[persona])

    assert client.get(_reach_url(world)).status_code == 404
    assert client.get(_reach_url(world, "indicators:reach_csv")).status_code == 404


def test_unknown_program_is_404(client, world):
    client.force_login(world.manager)

    assert client.get(reverse("indicators:reach", kwargs={"slug": "inconnu"})).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"period": "year-2026-02-30", "granularity": "__class__"},
        {"period": "month-0001-01-01"},
        {"period": "all-9999-12-31", "granularity": "all"},
        {"period": "year-1999-01-01"},
        {"period": "\x00", "granularity": ["month", "year"]},
    ],
)
def test_bad_parameters_give_the_page_with_errors_not_a_500(client, world, reach_data, params):
    client.force_login(world.manager)

    response = client.get(_reach_url(world), params)
    export = client.get(_reach_url(world, "indicators:reach_csv"), params)

    assert response.status_code == 200
    assert export.status_code == 200


def test_a_period_without_figures_is_explained_and_the_whole_program_shown(client, world, reach_data):
    client.force_login(world.manager)

    response = client.get(_reach_url(world), {"period": "year-1999-01-01"})

    assert response.context["form"].errors["period"]
    assert response.context["period_label"] == "Ensemble du programme"


def test_the_period_menu_offers_the_periods_with_registrations(client, world, reach_data):
    client.force_login(world.manager)

    response = client.get(_reach_url(world), {"period": "quarter-2025-04-01"})

    html = response.content.decode()
    for value in (
        "year-2024-01-01",
        "year-2025-01-01",
        "fiscal_year-2024-04-01",
        "quarter-2025-04-01",
        "month-2025-05-01",
    ):
        assert f'value="{value}"' in html
    assert 'value="month-2025-04-01"' not in html  # no event in April 2025
    assert response.context["period_label"] == "T2 2025"
    # Inside a quarter, the breakdown is per month.
    assert [row["period"] for row in response.context["by_period"]] == [datetime.date(2025, 5, 1)]


def _events_with_attendance(world, count):
    organizations = [OrganizationFactory(municipality=world.montreal), OrganizationFactory(municipality=world.quebec)]
    for index in range(count):
        event = EventFactory(program=world.program, starts_at=at(2025, 1 + index % 12, 1 + index % 28))
        for organization in organizations:
            RegistrationFactory(event=event, organization=organization, attended=index % 2 == 0)


def _queries_of_the_page(client, world):
    client.force_login(world.manager)
    with CaptureQueriesContext(connection) as context:
        response = client.get(_reach_url(world), {"period": "year-2025-01-01", "granularity": "quarter"})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_page_runs_the_same_number_of_queries_for_3_events_and_for_30(client, world):
    Target.objects.create(program=world.program, indicator=Indicator.ORGANIZATIONS_SENSITIZED, value=Decimal("3000"))
    _events_with_attendance(world, 3)
    few = _queries_of_the_page(client, world)
    _events_with_attendance(world, 27)
    many = _queries_of_the_page(client, world)

    assert few == many
    # Session, user, the scope (4), program, the periods, the summary, the whole program's figure
    # (for the progress), target, per region (figures and the regions' names), per period.
    assert many == QUERIES_OF_THE_REACH_PAGE


QUERIES_OF_THE_REACH_PAGE = 14


# --- The demo ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reach_figure_on_the_demo_data_equals_an_independent_count(client):
    from django.core.management import call_command

    from virage.accounts.models import User
    from virage.demo.seed import DATAIDE_SLUG, MANAGER_EMAIL
    from virage.demo.tests.test_seed_demo import ensure_geography
    from virage.programs.models import Program

    ensure_geography()
    call_command("seed_demo", verbosity=0)
    program = Program.objects.get(slug=DATAIDE_SLUG)
    events = program.events.count()
    call_command("seed_demo", verbosity=0)
    assert program.events.count() == events  # a second run adds nothing
    registrations = list(Registration.objects.filter(event__program=program).select_related("event"))

    expected = {
        r.organization_id
        for r in registrations
        if r.status != CANCELLED and r.attended is True and r.event.counts_toward_sensitization and r.organization_id
    }
    assert len(expected) > 10
    assert selectors.reach_summary(program)["organizations_sensitized"] == len(expected)
    assert _counts_only(selectors.reach_summary(program)) == expected_counts(registrations, program)

    client.force_login(User.objects.get(email=MANAGER_EMAIL))
    response = client.get(reverse("indicators:reach", kwargs={"slug": DATAIDE_SLUG}))
    assert f'id="organizations-sensitized">{len(expected)}<' in response.content.decode()


@pytest.mark.parametrize(("persona", "shown"), [("manager", True), ("funder", True), ("coach", False)])
def test_program_page_links_to_the_reach_for_those_who_may_read_it(client, world, persona, shown):
    client.force_login(world.personas[persona])

    response = client.get(reverse("programs:detail", kwargs={"slug": world.program.slug}))

    assert (_reach_url(world) in response.content.decode()) is shown


def test_the_program_page_loads_its_reach_block_from_the_indicators(client, world):
    from django.urls import reverse

    client.force_login(world.manager)
    page = client.get(world.program.get_absolute_url()).content.decode()
    card_url = reverse("indicators:reach_card", args=[world.program.slug])
    assert f'hx-get="{card_url}"' in page
    card = client.get(card_url)
    assert card.status_code == 200 and 'id="organizations-sensitized"' in card.content.decode()
    client.force_login(world.coach)
    assert card_url not in client.get(world.program.get_absolute_url()).content.decode()
