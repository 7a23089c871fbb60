"""Events, registrations and attendance through the API: the services' rules, access and messages."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from virage.api.events import EVENT_PROGRAM_NOT_RUN, NOT_ON_ROLL_CALL, TIME_ZONE_REQUIRED, UNKNOWN_REGION
from virage.core.models import ActivityLogEntry
from virage.events.forms import DEADLINE_AFTER_END, ORGANIZATION_UNKNOWN, PLACE_REQUIRED
from virage.events.models import Event, Registration
from virage.events.permissions import NOT_EVENT_STAFF, REGION_OUTSIDE_YOURS, REGION_REQUIRED_FOR_COORDINATOR
from virage.events.services import ALREADY_REGISTERED, NOT_ACTIVE
from virage.events.tests.factories import EventFactory, RegistrationFactory

LIST_URL = reverse("api:event-list")
# Token and user (1), the user's scope (4), the count for the pagination (1), the page itself (1).
EVENT_LIST_QUERIES = 7
# The same, with the event instead of the count's neighbour: the event (1), count (1) and page (1).
REGISTRATION_LIST_QUERIES = 8


def detail_url(event) -> str:
    return reverse("api:event-detail", args=[event.pk])


def registrations_url(event) -> str:
    return reverse("api:registration-list", kwargs={"event_pk": event.pk})


def registration_url(registration, name: str) -> str:
    return reverse(f"api:registration-{name}", kwargs={"event_pk": registration.event_id, "pk": registration.pk})


def new_event(**overrides) -> dict:
    return {
        "program": "dataide",
        "kind": "webinar",
        "title_fr": "Cybersécurité pour les OBNL",
        "starts_at": "2030-03-04T13:30:00-05:00",
        "ends_at": "2030-03-04T15:00:00-05:00",
        "online_url": "https://zoom.example/j/42",
        **overrides,
    }


def registrant(**overrides) -> dict:
    return {"first_name": "Aline", "last_name": "Tremblay", "email": "aline@exemple.qc.ca", **overrides}


@pytest.fixture
def montreal_event(world):
    return EventFactory(program=world.program, municipality=world.montreal, region=world.region_montreal)


@pytest.fixture
def quebec_event(world):
    return EventFactory(program=world.program, municipality=world.quebec, region=world.region_quebec)


# Reading events


def test_the_list_gives_each_event_its_registration_counts(world, client_for, montreal_event):
    RegistrationFactory.create_batch(2, event=montreal_event, status=Registration.Status.CONFIRMED, attended=True)
    RegistrationFactory(event=montreal_event, status=Registration.Status.CONFIRMED)
    RegistrationFactory(event=montreal_event, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=montreal_event, status=Registration.Status.CANCELLED, attended=True)

    response = client_for(world.manager).get(LIST_URL)

    assert response.status_code == 200
    [event] = response.json()["results"]
    assert event["id"] == montreal_event.pk
    assert event["counts"] == {"confirmed": 3, "waitlisted": 1, "attended": 2}
    assert event["program"]["slug"] == "dataide"
    assert event["region"]["code"] == world.region_montreal.code
    assert event["url"].endswith(detail_url(montreal_event))


def test_the_list_filters_by_time_program_kind_and_region(world, client_for, montreal_event, quebec_event):
    past = EventFactory(
        program=world.program,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-1),
    )
    workshop = EventFactory(program=world.program, kind=Event.Kind.WORKSHOP)
    client = client_for(world.manager)

    def ids(**params) -> set[int]:
        response = client.get(LIST_URL, params)
        assert response.status_code == 200, response.content
        return {event["id"] for event in response.json()["results"]}

    assert ids() == {montreal_event.pk, quebec_event.pk, workshop.pk}
    assert ids(when="past") == {past.pk}
    assert ids(kind="workshop") == {workshop.pk}
    assert ids(region=world.region_quebec.code) == {quebec_event.pk}
    assert ids(program="dataide", when="all") == {montreal_event.pk, quebec_event.pk, workshop.pk, past.pk}
    # An unknown program or region matches nothing, so a typo never returns everything.
    assert ids(program="inconnu") == set()
    assert ids(region="99") == set()


def test_a_coordinator_sees_the_events_of_their_region_only(world, client_for, montreal_event, quebec_event):
    client = client_for(world.coordinator_quebec)

    listed = {event["id"] for event in client.get(LIST_URL).json()["results"]}

    assert listed == {quebec_event.pk}
    assert client.get(detail_url(montreal_event)).status_code == 404
    assert client.get(detail_url(quebec_event)).json()["title_fr"] == quebec_event.title_fr


@pytest.mark.parametrize("persona", ["coach", "reviewer", "funder", "contact_quebec", "outsider"])
def test_roles_without_events_get_403_on_lists_and_404_on_events(world, client_for, montreal_event, persona):
    registration = RegistrationFactory(event=montreal_event)
    client = client_for(getattr(world, persona))

    listing = client.get(LIST_URL)
    assert listing.status_code == 403
    assert listing.json() == {"detail": str(NOT_EVENT_STAFF)}
    assert client.get(detail_url(montreal_event)).status_code == 404
    assert client.get(registrations_url(montreal_event)).status_code == 403
    assert client.post(registration_url(registration, "cancel")).status_code == 404
    assert client.post(registration_url(registration, "attendance"), {"attended": True}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED and registration.attended is None


def test_anonymous_clients_must_authenticate(client_for, montreal_event):
    client = client_for(None)

    assert client.get(LIST_URL).status_code == 401
    assert client.get(detail_url(montreal_event)).status_code == 401
    assert client.get(registrations_url(montreal_event)).status_code == 401


# Creating and changing events


def test_a_manager_creates_an_event_with_aware_times(world, client_for):
    response = client_for(world.manager).post(LIST_URL, new_event(capacity=30), format="json")

    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert event.program == world.program
    assert event.starts_at == datetime.datetime(2030, 3, 4, 18, 30, tzinfo=datetime.UTC)
    assert event.capacity == 30
    assert response["Location"] == response.json()["url"]
    assert response.json()["counts"] == {"confirmed": 0, "waitlisted": 0, "attended": 0}
    entry = ActivityLogEntry.objects.get(content_type=ContentType.objects.get_for_model(Event), object_id=str(event.pk))
    assert entry.verb == ActivityLogEntry.Verb.CREATED and entry.actor == world.manager


def test_a_time_without_its_offset_is_refused(world, client_for):
    response = client_for(world.manager).post(LIST_URL, new_event(starts_at="2030-03-04T13:30"), format="json")

    assert response.status_code == 400
    assert response.json() == {"starts_at": [str(TIME_ZONE_REQUIRED)]}


def test_creation_gives_the_forms_and_services_messages(world, client_for):
    client = client_for(world.manager)

    no_place = client.post(LIST_URL, new_event(online_url=""), format="json")
    assert no_place.json() == {"municipality": [str(PLACE_REQUIRED)]}

    late_deadline = client.post(LIST_URL, new_event(registration_deadline="2030-03-05T12:00:00-05:00"), format="json")
    assert late_deadline.json() == {"registration_deadline": [str(DEADLINE_AFTER_END)]}

    backwards = client.post(LIST_URL, new_event(ends_at="2030-03-04T12:00:00-05:00"), format="json")
    assert backwards.status_code == 400
    [ends_after_start] = [c for c in Event._meta.constraints if c.name == "event_ends_after_start"]
    assert backwards.json() == {"non_field_errors": [str(ends_after_start.violation_error_message)]}

    unknown_region = client.post(LIST_URL, new_event(region="42"), format="json")
    assert unknown_region.json() == {"region": [str(UNKNOWN_REGION)]}
    assert not Event.objects.exists()


def test_events_are_created_only_in_programs_the_user_runs(world, client_for):
    from virage.core.tests.factories import ProgramFactory

    other = ProgramFactory(slug="autre")

    response = client_for(world.manager).post(LIST_URL, new_event(program=other.slug), format="json")

    assert response.status_code == 400
    assert response.json() == {"program": [str(EVENT_PROGRAM_NOT_RUN)]}


def test_a_coordinator_creates_events_in_their_regions_only(world, client_for):
    client = client_for(world.coordinator_quebec)

    province_wide = client.post(LIST_URL, new_event(), format="json")
    assert province_wide.status_code == 400
    assert province_wide.json() == {"region": [str(REGION_REQUIRED_FOR_COORDINATOR)]}

    elsewhere = client.post(LIST_URL, new_event(municipality=world.montreal.code), format="json")
    assert elsewhere.json() == {"municipality": [str(REGION_OUTSIDE_YOURS)]}

    in_quebec = client.post(LIST_URL, new_event(municipality=world.quebec.code), format="json")
    assert in_quebec.status_code == 201, in_quebec.content
    assert in_quebec.json()["region"]["code"] == world.region_quebec.code


def test_roles_without_events_cannot_create_one(world, client_for):
    response = client_for(world.funder).post(LIST_URL, new_event(), format="json")

    assert response.status_code == 403
    assert not Event.objects.exists()


def test_a_larger_capacity_promotes_the_waiting_list(world, client_for, montreal_event):
    Event.objects.filter(pk=montreal_event.pk).update(capacity=1)
    RegistrationFactory(event=montreal_event, status=Registration.Status.CONFIRMED)
    waiting = RegistrationFactory(event=montreal_event, status=Registration.Status.WAITLISTED)

    response = client_for(world.manager).patch(detail_url(montreal_event), {"capacity": 2}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["counts"] == {"confirmed": 2, "waitlisted": 0, "attended": 0}
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_a_coordinator_cannot_change_an_event_they_see_but_do_not_run(world, client_for):
    province = EventFactory(program=world.program, region=None)

    response = client_for(world.coordinator_quebec).patch(detail_url(province), {"title_fr": "Autre"}, format="json")

    assert response.status_code == 403
    province.refresh_from_db()
    assert province.title_fr != "Autre"


def test_a_coordinator_cannot_move_their_event_out_of_their_regions(world, client_for, quebec_event):
    response = client_for(world.coordinator_quebec).patch(
        detail_url(quebec_event), {"municipality": world.montreal.code}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"municipality": [str(REGION_OUTSIDE_YOURS)]}


# Registrations


def test_staff_register_someone_and_the_waitlist_applies(world, client_for, montreal_event):
    Event.objects.filter(pk=montreal_event.pk).update(capacity=1)
    client = client_for(world.manager)

    first = client.post(registrations_url(montreal_event), registrant(), format="json")
    second = client.post(registrations_url(montreal_event), registrant(email="bruno@exemple.qc.ca"), format="json")

    assert first.status_code == 201, first.content
    assert first.json()["status"] == "confirmed"
    assert first.json()["source"] == "staff"
    assert second.json()["status"] == "waitlisted"
    assert "cancel_token" not in first.json()


def test_a_duplicate_email_is_refused_on_the_email_field(world, client_for, montreal_event):
    RegistrationFactory(event=montreal_event, email="aline@exemple.qc.ca")

    response = client_for(world.manager).post(
        registrations_url(montreal_event), registrant(email="Aline@Exemple.qc.ca"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"email": [str(ALREADY_REGISTERED)]}


def test_a_registration_links_only_organizations_the_user_works_with(world, client_for, quebec_event):
    client = client_for(world.coordinator_quebec)

    refused = client.post(
        registrations_url(quebec_event), registrant(organization=world.org_montreal.pk), format="json"
    )
    accepted = client.post(registrations_url(quebec_event), registrant(organization=world.org_quebec.pk), format="json")

    assert refused.json() == {"organization": [str(ORGANIZATION_UNKNOWN)]}
    assert accepted.status_code == 201
    assert accepted.json()["organization"]["id"] == world.org_quebec.pk


def test_the_registrations_list_is_for_the_staff_who_run_the_event(world, client_for, montreal_event):
    RegistrationFactory(event=montreal_event, last_name="Roy", status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=montreal_event, last_name="Gagnon", status=Registration.Status.CONFIRMED)
    province = EventFactory(program=world.program, region=None)

    response = client_for(world.manager).get(registrations_url(montreal_event))

    assert [row["last_name"] for row in response.json()["results"]] == ["Gagnon", "Roy"]
    # Seen by the coordinator of another region, but not run by them.
    assert client_for(world.coordinator_quebec).get(registrations_url(province)).status_code == 403
    assert client_for(world.coordinator_quebec).get(registrations_url(montreal_event)).status_code == 404


def test_cancelling_gives_the_seat_to_the_first_waiting(world, client_for, montreal_event):
    Event.objects.filter(pk=montreal_event.pk).update(capacity=1)
    seated = RegistrationFactory(event=montreal_event, status=Registration.Status.CONFIRMED)
    waiting = RegistrationFactory(event=montreal_event, status=Registration.Status.WAITLISTED)
    client = client_for(world.manager)

    response = client.post(registration_url(seated, "cancel"))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    again = client.post(registration_url(seated, "cancel"))
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": [str(NOT_ACTIVE)]}


def test_attendance_is_recorded_with_the_minutes_present(world, client_for, montreal_event):
    registration = RegistrationFactory(event=montreal_event, status=Registration.Status.CONFIRMED)

    response = client_for(world.manager).post(
        registration_url(registration, "attendance"), {"attended": True, "minutes": 42}, format="json"
    )

    assert response.status_code == 200, response.content
    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.minutes_present == 42
    assert registration.attendance_source == Registration.AttendanceSource.ROLL_CALL


def test_attendance_needs_an_answer_and_a_confirmed_registrant(world, client_for, montreal_event):
    confirmed = RegistrationFactory(event=montreal_event, status=Registration.Status.CONFIRMED)
    waiting = RegistrationFactory(event=montreal_event, status=Registration.Status.WAITLISTED)
    client = client_for(world.manager)

    missing = client.post(registration_url(confirmed, "attendance"), {"minutes": 5}, format="json")
    not_seated = client.post(registration_url(waiting, "attendance"), {"attended": True}, format="json")
    negative = client.post(registration_url(confirmed, "attendance"), {"attended": True, "minutes": -1}, format="json")

    assert missing.status_code == 400 and "attended" in missing.json()
    assert not_seated.json() == {"non_field_errors": [str(NOT_ON_ROLL_CALL)]}
    assert negative.status_code == 400 and "minutes" in negative.json()
    confirmed.refresh_from_db()
    assert confirmed.attended is None


def test_a_registration_is_not_reached_through_another_event(world, client_for, montreal_event, quebec_event):
    registration = RegistrationFactory(event=montreal_event)
    url = reverse("api:registration-cancel", kwargs={"event_pk": quebec_event.pk, "pk": registration.pk})

    assert client_for(world.manager).post(url).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


# Query counts


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def test_the_event_list_is_as_cheap_for_30_rows_as_for_1(world, client_for, montreal_event):
    RegistrationFactory(event=montreal_event)
    client = client_for(world.manager)
    one = _count(client, LIST_URL)

    for event in EventFactory.create_batch(29, program=world.program, region=world.region_montreal):
        RegistrationFactory(event=event)

    assert _count(client, LIST_URL) == one == EVENT_LIST_QUERIES
    assert client.get(LIST_URL).json()["count"] == 30


def test_the_registration_list_is_as_cheap_for_30_rows_as_for_1(world, client_for, montreal_event):
    RegistrationFactory(event=montreal_event, organization=world.org_montreal)
    client = client_for(world.manager)
    url = registrations_url(montreal_event)
    one = _count(client, url)

    RegistrationFactory.create_batch(29, event=montreal_event, organization=world.org_montreal)

    assert _count(client, url) == one == REGISTRATION_LIST_QUERIES
    assert client.get(url).json()["count"] == 30


def test_a_share_above_100_percent_is_refused(world, client_for, montreal_event):
    response = client_for(world.manager).patch(
        detail_url(montreal_event), {"attendance_threshold_percent": 500}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["attendance_threshold_percent"]


def test_the_schema_documents_events_and_registrations(tmp_path):
    import yaml
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    paths = yaml.safe_load(target.read_text())["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/events/"])
    assert {"get", "patch"} <= set(paths["/api/v1/events/{id}/"]) and "put" not in paths["/api/v1/events/{id}/"]
    assert {"get", "post"} <= set(paths["/api/v1/events/{event_pk}/registrations/"])
    assert "post" in paths["/api/v1/events/{event_pk}/registrations/{id}/cancel/"]
    assert "post" in paths["/api/v1/events/{event_pk}/registrations/{id}/attendance/"]
