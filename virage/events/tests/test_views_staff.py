"""The staff pages of events, through HTTP: creation, lists, roll call, walk-ins and exports."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from virage.core.models import ActivityLogEntry
from virage.core.tests.factories import PersonFactory
from virage.events.models import Event, Registration, Topic
from virage.events.permissions import REGION_OUTSIDE_YOURS, REGION_REQUIRED_FOR_COORDINATOR
from virage.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

# Session, user, the user's scope (4), then the page's own reads: the list's programs and regions for
# its filters, its count and its page; the detail's event, topics, counts, registrants and history.
LIST_QUERIES = 10
DETAIL_QUERIES = 11


def event_form(world, **overrides):
    data = {
        "program": world.program.pk,
        "kind": Event.Kind.WEBINAR,
        "title_fr": "Cybersécurité pour les OBNL",
        "language": "fr",
        "starts_at": "2030-03-04T13:30",
        "ends_at": "2030-03-04T15:00",
        "online_url": "https://zoom.example/j/42",
        "attendance_threshold_percent": "50",
        "status": Event.Status.PUBLISHED,
        "counts_toward_sensitization": "on",
    }
    data.update(overrides)
    return data


def montreal_event(world, **extra):
    return EventFactory(program=world.program, municipality=world.montreal, region=world.region_montreal, **extra)


def test_a_manager_creates_an_event_which_is_logged_and_listed_with_its_counts(client, world):
    topic = Topic.objects.create(program=world.program, name_fr="Cybersécurité")
    client.force_login(world.manager)
    response = client.post(
        reverse("events:create"), event_form(world, topics=[topic.pk], municipality="Montréal", capacity="2")
    )
    event = Event.objects.get(title_fr="Cybersécurité pour les OBNL")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    # The times typed are Montreal's: 13:30 in March is 18:30 UTC.
    assert event.starts_at == datetime.datetime(2030, 3, 4, 18, 30, tzinfo=datetime.UTC)
    assert event.region == world.region_montreal
    assert list(event.topics.all()) == [topic]
    assert ActivityLogEntry.objects.filter(object_id=str(event.pk), verb=ActivityLogEntry.Verb.CREATED).exists()

    for index in range(3):
        RegistrationFactory(event=event, status=Registration.Status.CONFIRMED, attended=index == 0)
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED, attended=True)
    listed = client.get(reverse("events:list")).context["events"][0]
    assert listed == event
    assert (listed.confirmed_count, listed.waitlisted_count, listed.attended_count) == (3, 1, 1)


def test_a_coordinator_cannot_create_an_event_outside_their_regions(client, world):
    client.force_login(world.coordinator_quebec)
    response = client.post(reverse("events:create"), event_form(world, municipality="Montréal"))
    assert response.status_code == 200
    assert str(REGION_OUTSIDE_YOURS) in response.context["form"].errors["municipality"]
    assert not Event.objects.exists()


def test_a_coordinator_cannot_create_a_province_wide_event_but_can_create_one_in_their_region(client, world):
    client.force_login(world.coordinator_quebec)
    response = client.post(reverse("events:create"), event_form(world))
    assert str(REGION_REQUIRED_FOR_COORDINATOR) in response.context["form"].errors["region"]
    response = client.post(reverse("events:create"), event_form(world, region=world.region_quebec.pk))
    assert response.status_code == 302
    assert Event.objects.get().region == world.region_quebec


def test_the_roll_call_toggle_through_htmx_returns_the_row_and_marks_attended(client, world):
    event = montreal_event(world)
    registration = RegistrationFactory(event=event, first_name="Océane", last_name="Gagnon")
    client.force_login(world.manager)
    url = reverse("events:attendance_toggle", args=[event.pk, registration.pk])
    response = client.post(url, {"attended": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="registration-{registration.pk}"')
    assert "Océane Gagnon" in html and 'value="1" aria-pressed="true"' in html
    # The "present of confirmed" line comes along, out of band, already counting her.
    assert 'id="roll-call-counts"' in html and 'hx-swap-oob="true"' in html
    assert response.context["counts"]["attended"] == 1
    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.attendance_source == Registration.AttendanceSource.ROLL_CALL


def test_a_manager_edits_an_event_shown_and_saved_in_montreal_time(client, world):
    event = montreal_event(
        world,
        starts_at=datetime.datetime(2030, 7, 2, 13, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 7, 2, 15, 0, tzinfo=datetime.UTC),
    )
    client.force_login(world.manager)
    url = reverse("events:edit", args=[event.pk])
    # 13:00 UTC is 9:00 in Montreal in summer.
    assert 'value="2030-07-02T09:00"' in client.get(url).content.decode()
    data = event_form(world, municipality="Montréal", starts_at="2030-07-02T10:00", ends_at="2030-07-02T11:30")
    del data["program"]
    response = client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at == datetime.datetime(2030, 7, 2, 14, 0, tzinfo=datetime.UTC)
    assert ActivityLogEntry.objects.filter(object_id=str(event.pk), verb=ActivityLogEntry.Verb.UPDATED).exists()


def test_a_walk_in_is_linked_to_the_organization_given_by_its_neq(client, world):
    event = montreal_event(world)
    world.org_montreal.neq = "1141234567"
    world.org_montreal.save()
    client.force_login(world.manager)
    response = client.post(
        reverse("events:roll_call", args=[event.pk]),
        {"first_name": "Paul", "last_name": "Roy", "email": "paul@exemple.qc.ca", "organization": "114 123 4567"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.organization == world.org_montreal and registration.person is None
    assert registration.attended is True


def test_the_roll_call_toggle_without_htmx_redirects_back_to_the_roll_call(client, world):
    event = montreal_event(world)
    registration = RegistrationFactory(event=event, attended=True)
    client.force_login(world.manager)
    response = client.post(reverse("events:attendance_toggle", args=[event.pk, registration.pk]), {"attended": "0"})
    assert response.status_code == 302 and response["Location"] == reverse("events:roll_call", args=[event.pk])
    registration.refresh_from_db()
    assert registration.attended is False


def test_a_walk_in_is_matched_to_an_existing_person_by_email_whatever_its_case(client, world):
    event = montreal_event(world)
    person = PersonFactory(organization=world.org_montreal, email="sylvie.tremblay@entraide.qc.ca")
    client.force_login(world.manager)
    response = client.post(
        reverse("events:roll_call", args=[event.pk]),
        {"first_name": "Sylvie", "last_name": "Tremblay", "email": "Sylvie.TREMBLAY@Entraide.qc.ca"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.person == person
    assert registration.organization == world.org_montreal
    assert registration.source == Registration.Source.WALK_IN
    assert registration.attended is True


def test_a_walk_in_with_an_unknown_organization_number_gets_a_field_error(client, world):
    event = montreal_event(world)
    client.force_login(world.manager)
    response = client.post(
        reverse("events:roll_call", args=[event.pk]),
        {"first_name": "Jean", "last_name": "Roy", "email": "jean@exemple.qc.ca", "organization": "999999"},
    )
    assert response.status_code == 200
    assert response.context["walk_in_form"].errors["organization"]
    assert not Registration.objects.exists()


def test_exports_contain_the_registrants_with_their_attendance(client, world):
    event = montreal_event(world)
    RegistrationFactory(
        event=event, first_name="Aline", last_name="Bergeron", attended=True, organization=world.org_montreal
    )
    RegistrationFactory(event=event, first_name="=HYPERLINK", last_name="Malin", email="malin@exemple.qc.ca")
    client.force_login(world.manager)
    response = client.get(reverse("events:registrants_export", args=[event.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_last_name = {row[0]: row for row in rows[1:]}
    assert by_last_name["Bergeron"][1] == "Aline" and by_last_name["Bergeron"][3] == world.org_montreal.display_name
    assert "Present" in by_last_name["Bergeron"] or "Présent" in by_last_name["Bergeron"]
    # A name that looks like a formula is written as text.
    assert by_last_name["Malin"][1] == "'=HYPERLINK"

    response = client.get(reverse("events:registrants_export", args=[event.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [(row[0], row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == [("Bergeron", "Aline"), ("Malin", "'=HYPERLINK")]


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_event_list_runs_the_same_number_of_queries_for_1_and_30_events(client, world):
    client.force_login(world.manager)
    url = reverse("events:list")
    montreal_event(world)
    client.get(url)  # Warms the content-type and session caches.
    with_one = _count_queries(client, url)
    for _index in range(29):
        RegistrationFactory(event=montreal_event(world))
    with_thirty = _count_queries(client, url)
    assert with_one == with_thirty == LIST_QUERIES


def test_the_event_detail_runs_a_fixed_number_of_queries(client, world):
    client.force_login(world.manager)
    event = montreal_event(world)
    url = reverse("events:detail", args=[event.pk])
    client.get(url)
    with_none = _count_queries(client, url)
    for _index in range(20):
        RegistrationFactory(event=event, organization=world.org_montreal)
    with_twenty = _count_queries(client, url)
    assert with_none == with_twenty == DETAIL_QUERIES


def test_the_roll_call_runs_a_fixed_number_of_queries(client, world):
    client.force_login(world.manager)
    event = montreal_event(world)
    url = reverse("events:roll_call", args=[event.pk])
    RegistrationFactory(event=event)
    client.get(url)
    with_one = _count_queries(client, url)
    for _index in range(20):
        RegistrationFactory(event=event, organization=world.org_montreal)
    assert _count_queries(client, url) == with_one


def test_past_events_are_on_their_own_tab(client, world):
    past = montreal_event(
        world,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-1),
    )
    upcoming = montreal_event(world)
    client.force_login(world.manager)
    assert list(client.get(reverse("events:list")).context["events"]) == [upcoming]
    assert list(client.get(reverse("events:list"), {"when": "past"}).context["events"]) == [past]


GARBAGE = {
    "program": "' OR 1=1 --",
    "kind": "\x00",
    "starts_at": "2026-02-30T25:61",
    "ends_at": "yesterday",
    "registration_deadline": "🙂",
    "capacity": "-1",
    "municipality": "(" * 200,
    "region": "99999999999999999999",
    "topics": ["x", "-5"],
    "series": "1e400",
    "attendance_threshold_percent": "1000",
    "online_url": "javascript:alert(1)",
    "when": "\x00",
    "page": "-1",
    "q": "é" * 5000,
}


def test_garbage_input_never_gives_a_500(client, world):
    event = montreal_event(world)
    registration = RegistrationFactory(event=event)
    client.force_login(world.manager)
    client.raise_request_exception = False
    assert client.get(reverse("events:list"), GARBAGE).status_code == 200
    assert client.post(reverse("events:create"), GARBAGE).status_code == 200
    assert client.post(reverse("events:edit", args=[event.pk]), GARBAGE).status_code == 200
    toggle = reverse("events:attendance_toggle", args=[event.pk, registration.pk])
    assert client.post(toggle, {"attended": "maybe"}, headers={"HX-Request": "true"}).status_code == 400
    walk_in = {"first_name": "x" * 500, "last_name": "", "email": "@", "organization": "1" * 40}
    assert client.post(reverse("events:roll_call", args=[event.pk]), walk_in).status_code == 200
    assert client.get("/evenements/99999999999999999999999/").status_code == 404


def test_the_roll_call_page_has_one_counter_not_one_per_row(client, world):
    event = EventFactory(program=world.program)
    for _ in range(3):
        RegistrationFactory(event=event)
    client.force_login(world.manager)

    page = client.get(reverse("events:roll_call", args=[event.pk])).content.decode()

    assert page.count('id="roll-call-counts"') == 1
    assert "hx-swap-oob" not in page
