"""The public calendar, registration by e-mail with a calendar file, cancellation, waiting list, reminders."""

import datetime
from html import unescape

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from virage.core.ratelimits import TOO_MANY_SUBMISSIONS
from virage.events import services
from virage.events.ical import escape_text, event_calendar, fold_line
from virage.events.models import Event, Registration
from virage.events.public_forms import NAME_NOT_FOUND, NEQ_NOT_FOUND
from virage.events.tests.factories import EventFactory, RegistrationFactory
from virage.organizations.models import Consent, Organization, Person
from virage.programs.models import Participation

# A start time whose UTC form is known: 2030-03-14 13:30 in Montréal (EDT, UTC−4) is 17:30Z.
START = datetime.datetime(2030, 3, 14, 13, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-4)))


def parse_ics(text: str) -> list[dict[str, str]]:
    """A tiny RFC 5545 reader: unfold, split on the first colon, unescape TEXT; one dict per VEVENT."""
    assert "\n" not in text.replace("\r\n", ""), "every line must end with CRLF"
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    unfolded = text.replace("\r\n ", "")
    events, current = [], None
    for line in unfolded.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and line:
            name, _colon, value = line.partition(":")
            value = (
                value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
                if name in ("SUMMARY", "DESCRIPTION", "LOCATION")
                else value
            )
            current[name.split(";")[0]] = value
    return events


def registration_data(**overrides):
    data = {
        "registration-first_name": "Léa",
        "registration-last_name": "Roy",
        "registration-email": "lea.roy@exemple.qc.ca",
        "registration-language": "fr",
        "registration-organization": "",
        "registration-organization_municipality": "",
        "registration-organization_kind": "",
    }
    data.update({f"registration-{key}": value for key, value in overrides.items()})
    return data


@pytest.fixture
def event(world):
    return EventFactory(
        program=world.program,
        title_fr="Webinaire : la cybersécurité, ça s’apprend",
        title_en="Webinar: cybersecurity can be learned",
        starts_at=START,
        ends_at=START + datetime.timedelta(minutes=90),
        capacity=2,
    )


def register(client, event, world, REMOTE_ADDR="127.0.0.1", **overrides):
    data = registration_data(organization=world.org_montreal.legal_name, organization_municipality="Montréal")
    data.update({f"registration-{key}": value for key, value in overrides.items()})
    return client.post(reverse("calendar:event", args=[event.pk]), data, REMOTE_ADDR=REMOTE_ADDR)


# Calendar


def test_calendar_lists_only_the_published_upcoming_events_of_its_program(client, world, event):
    draft = EventFactory(program=world.program, title_fr="Brouillon secret", status=Event.Status.DRAFT)
    past = EventFactory(
        program=world.program,
        title_fr="Déjà passé",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-1),
    )
    other_program = EventFactory(title_fr="Autre programme")
    response = client.get(reverse("calendar:program", args=[world.program.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert event.title_fr in unescape(content)
    for hidden in (draft, past, other_program):
        assert hidden.title_fr not in content
    # Quebec format, in Montréal time.
    assert "2030-03-14 13:30" in content
    with translation.override("fr"):
        assert ngettext("%(seats)s seat left", "%(seats)s seats left", 2) % {"seats": 2} in content


def test_calendar_shows_the_waiting_list_when_an_event_is_full(client, world, event):
    RegistrationFactory.create_batch(2, event=event)
    client.cookies["virage_language"] = "en"
    response = client.get(reverse("calendar:program", args=[world.program.slug]))
    assert "Waiting list" in response.content.decode()


def test_calendar_runs_the_same_number_of_queries_for_one_event_or_many(client, world, event):
    url = reverse("calendar:program", args=[world.program.slug])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _index in range(5):
        RegistrationFactory(event=EventFactory(program=world.program, municipality=world.montreal, online_url=""))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)


def test_calendar_of_an_unknown_or_inactive_program_is_404(client, world):
    assert client.get(reverse("calendar:program", args=["inconnu"])).status_code == 404
    world.program.is_active = False
    world.program.save()
    assert client.get(reverse("calendar:program", args=[world.program.slug])).status_code == 404


def test_a_draft_event_page_is_404(client, world):
    draft = EventFactory(program=world.program, status=Event.Status.DRAFT)
    assert client.get(reverse("calendar:event", args=[draft.pk])).status_code == 404
    assert client.get(reverse("calendar:event_ics", args=[draft.pk])).status_code == 404


# Registration and e-mails


def test_registration_sends_a_french_confirmation_with_a_calendar_file(
    client, world, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event, world)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.organization == world.org_montreal
    [message] = mail.outbox
    assert message.to == ["lea.roy@exemple.qc.ca"]
    assert "Inscription confirmée" in message.subject
    assert "cybersécurité" in message.subject
    assert reverse("calendar:cancel", args=[registration.cancel_token]) in message.body
    [(file_name, content, mimetype)] = message.attachments
    assert file_name.endswith(".ics") and mimetype.startswith("text/calendar")
    [vevent] = parse_ics(content)
    assert vevent["DTSTART"] == "20300314T173000Z"
    assert vevent["DTEND"] == "20300314T190000Z"
    assert vevent["SUMMARY"] == "Webinaire : la cybersécurité, ça s’apprend"


def test_an_english_registrant_gets_the_email_in_english(client, world, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event, world, language="en")
    [message] = mail.outbox
    assert message.subject == "Registration confirmed: Webinar: cybersecurity can be learned"
    assert "Hello Léa," in message.body
    [vevent] = parse_ics(message.attachments[0][1])
    assert vevent["SUMMARY"] == "Webinar: cybersecurity can be learned"


def test_the_same_email_cannot_register_twice(client, world, event):
    register(client, event, world)
    response = register(client, event, world, email="LEA.ROY@exemple.qc.ca")
    assert response.status_code == 200
    with translation.override("fr"):
        assert str(services.ALREADY_REGISTERED) in unescape(response.content.decode())
    assert Registration.objects.filter(event=event).count() == 1


def test_a_full_event_puts_the_registrant_on_the_waiting_list_with_its_own_email(
    client, world, event, django_capture_on_commit_callbacks
):
    RegistrationFactory.create_batch(2, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event, world, language="en")
    assert Registration.objects.get(email="lea.roy@exemple.qc.ca").status == Registration.Status.WAITLISTED
    [message] = mail.outbox
    assert message.subject.startswith("Waiting list:")
    assert "you are on the waiting list" in message.body
    assert message.attachments == []


def test_cancelling_with_the_link_promotes_and_tells_the_first_waitlisted(
    client, world, event, django_capture_on_commit_callbacks
):
    leaving, _staying = RegistrationFactory.create_batch(2, event=event)
    first = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED, language="en")
    second = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    url = reverse("calendar:cancel", args=[leaving.cancel_token])
    page = client.get(url)
    assert page.status_code == 200 and leaving.email in page.content.decode()
    leaving.refresh_from_db()
    assert leaving.status == Registration.Status.CONFIRMED, "a GET must not cancel (mail scanners follow links)"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    leaving.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert leaving.status == Registration.Status.CANCELLED
    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITLISTED
    [message] = mail.outbox
    assert message.to == [first.email]
    assert message.subject.startswith("A seat is yours:")
    assert parse_ics(message.attachments[0][1])[0]["DTSTART"] == "20300314T173000Z"


def test_an_unknown_cancellation_key_is_404(client, world):
    assert client.get(reverse("calendar:cancel", args=["nope"])).status_code == 404


def test_a_new_organization_is_created_pending_with_its_person_and_refused_consents(client, world, event):
    response = register(
        client,
        event,
        world,
        organization="Cuisine collective Hochelaga",
        organization_municipality="Montréal",
        is_new_organization="on",
        organization_kind=Organization.Kind.COMMUNITY,
        **{"email": "lea@cuisine.example"},
    )
    assert response.status_code == 302
    organization = Organization.objects.get(legal_name="Cuisine collective Hochelaga")
    assert organization.status == Organization.Status.PENDING
    assert Participation.objects.get(program=world.program, organization=organization).source == "self_registration"
    person = Person.objects.get(organization=organization)
    assert person.email == "lea@cuisine.example"
    assert Registration.objects.get(event=event).person == person
    answers = dict(Consent.objects.filter(person=person).values_list("purpose", "is_given"))
    assert answers == dict.fromkeys(Consent.Purpose.values, False)


def test_a_ticked_consent_is_recorded_on_the_person_found_by_email(client, world, event):
    data = registration_data(
        organization=world.org_montreal.legal_name,
        organization_municipality="Montréal",
        email=world.person_montreal.email.upper(),
    )
    data[f"consent-{Consent.Purpose.RESEARCH}"] = "on"
    client.post(reverse("calendar:event", args=[event.pk]), data)
    assert Person.objects.filter(organization=world.org_montreal).count() == 1
    answers = dict(Consent.objects.filter(person=world.person_montreal).values_list("purpose", "is_given"))
    assert answers == {**dict.fromkeys(Consent.Purpose.values, False), Consent.Purpose.RESEARCH: True}


def test_an_organization_is_found_by_neq_and_only_then_named(client, world, event):
    world.org_quebec.neq = "1140000000"
    world.org_quebec.save()
    client.cookies["virage_language"] = "en"
    # An invalid e-mail keeps the form on screen, showing what the NEQ matched.
    response = register(client, event, world, organization="114 000 0000", email="x")
    assert f"Found: {world.org_quebec.display_name}." in unescape(response.content.decode())
    register(client, event, world, organization="1140000000")
    assert Registration.objects.get(event=event).organization == world.org_quebec


def test_an_unknown_organization_gets_a_message_that_reveals_no_other(client, world, event):
    client.cookies["virage_language"] = "en"
    response = register(client, event, world, organization="1149999999")
    with translation.override("en"):
        assert str(NEQ_NOT_FOUND) in unescape(response.content.decode())
    # Only the beginning of a registered name: no match, and the registered name is not shown.
    response = register(client, event, world, organization="Carrefour d'entraide", organization_municipality="Montréal")
    content = unescape(response.content.decode())
    with translation.override("en"):
        assert str(NAME_NOT_FOUND) in content
    assert world.org_montreal.legal_name not in content
    assert not Registration.objects.exists()


def test_an_organization_is_found_by_its_exact_name_whatever_accents_and_case(client, world, event):
    register(
        client, event, world, organization="CARREFOUR D’ENTRAIDE DE MONTREAL", organization_municipality="montreal"
    )
    assert Registration.objects.get(event=event).organization == world.org_montreal


def test_a_past_event_is_not_registrable_and_says_so(client, world):
    past = EventFactory(
        program=world.program,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    page = client.get(reverse("calendar:event", args=[past.pk]))
    with translation.override("fr"):
        assert str(services.EVENT_PAST) in unescape(page.content.decode())
    assert 'type="submit"' not in page.content.decode()
    response = register(client, past, world)
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_the_calendar_file_is_downloadable(client, world, event):
    response = client.get(reverse("calendar:event_ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    [vevent] = parse_ics(response.content.decode())
    assert vevent["UID"].startswith(f"event-{event.pk}@")
    assert vevent["URL"] == event.online_url


def test_garbage_in_the_registration_form_is_a_form_error_not_a_500(client, world, event):
    client.raise_request_exception = False
    response = register(
        client,
        event,
        world,
        first_name="x" * 5000,
        email="\x00@",
        language="klingon",
        organization="(" * 300,
        organization_municipality="\x00",
        is_new_organization="maybe",
        organization_kind="sultanate",
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()


# The calendar file itself


def test_ical_text_is_escaped_and_long_lines_are_folded_on_character_boundaries():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 100
    folded = fold_line(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_description_with_commas_and_new_lines_parses_back(world):
    event = EventFactory(program=world.program, description_fr="Ordre du jour ; accueil,\nateliers \\ questions")
    [vevent] = parse_ics(event_calendar(event))
    assert vevent["DESCRIPTION"].startswith("Ordre du jour ; accueil,\nateliers \\ questions")


# Reminders


def test_reminders_go_once_to_confirmed_registrants_of_events_within_24_hours(db, django_capture_on_commit_callbacks):
    now = timezone.now()
    soon = EventFactory(starts_at=now + datetime.timedelta(hours=20))
    later = EventFactory(starts_at=now + datetime.timedelta(hours=30))
    confirmed = RegistrationFactory(event=soon)
    RegistrationFactory(event=soon, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=soon, status=Registration.Status.CANCELLED)
    RegistrationFactory(event=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now) == 1
    [message] = mail.outbox
    assert message.to == [confirmed.email]
    assert message.subject.startswith("Rappel")
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at == now
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now + datetime.timedelta(minutes=15)) == 0
        call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


def test_the_celery_task_sends_the_due_reminders(db, django_capture_on_commit_callbacks):
    from virage.events.tasks import send_due_reminders

    RegistrationFactory(event=EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=2)))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders.delay().get() == 1
    assert len(mail.outbox) == 1


def test_too_many_registrations_from_one_address_are_refused_and_keep_what_was_typed(client, world, event, settings):
    settings.PUBLIC_FORM_RATE = "2/h"
    other = EventFactory(program=world.program, starts_at=START, ends_at=START + datetime.timedelta(hours=1))
    assert register(client, event, world).status_code == 302
    assert register(client, other, world).status_code == 302

    response = register(client, event, world, email="paul.roy@exemple.qc.ca", first_name="Paul")

    assert response.status_code == 429
    page = unescape(response.content.decode())
    with translation.override("fr"):
        assert str(TOO_MANY_SUBMISSIONS) in page
    assert 'value="paul.roy@exemple.qc.ca"' in page
    assert not Registration.objects.filter(email="paul.roy@exemple.qc.ca").exists()
    # Another address is not held back, and reading pages is never limited.
    assert register(client, event, world, email="zoe@exemple.qc.ca", REMOTE_ADDR="10.1.2.3").status_code == 302
    assert client.get(reverse("calendar:event", args=[event.pk])).status_code == 200
