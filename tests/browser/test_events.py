"""Events in the French UI: public registration up to the waiting list, and a roll call done with the keyboard.

Every page the browser shows is scanned with axe-core (``assert_accessible``); the page fixture
fails a test that leaves a page unscanned.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from virage.events.models import Registration
from virage.events.public_views import CANCELLED, REGISTERED, WAITLISTED
from virage.events.tests.factories import EventFactory, RegistrationFactory
from virage.organizations.models import Organization

from .accessibility import assert_accessible
from .pages import field, sign_in
from .texts import french

pytestmark = pytest.mark.browser

TITLE = "Webinaire : protéger les données de vos membres"
NEW_ORGANIZATION = "Cuisine collective d’Hochelaga"
CANCEL_LINK = re.compile(r"https?://\S+/calendrier/annulation/\S+/")
# Enough presses to go through the header, the navigation and a few rows, not enough to loop forever.
MAX_TABS = 80


def register(page, *, first_name, last_name, email):
    """Fill in the person's part of the public registration form (the organization is up to the caller)."""
    you = page.get_by_role("group", name=french("You"), exact=True)
    field(you, french("First name")).fill(first_name)
    field(you, french("Last name")).fill(last_name)
    field(you, french("E-mail address")).fill(email)


def cancel_path(message) -> str:
    """The path of the cancel link an e-mail carries (the link names the site, not the test server)."""
    match = CANCEL_LINK.search(message.body)
    assert match, f"No cancel link in the e-mail “{message.subject}”."
    return urlsplit(match.group()).path


def test_a_full_event_sends_the_second_person_to_the_waiting_list_until_a_seat_frees(page, world, screenshot):
    event = EventFactory(program=world.program, title_fr=TITLE, title_en="Webinar: protecting data", capacity=1)

    page.goto(f"/calendrier/{world.program.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        french("Upcoming events of %(program)s", program=world.program.name_fr)
    )
    assert_accessible(page)

    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)

    # The first person's organization is not registered yet: it is declared, for staff to validate.
    register(page, first_name="Nadia", last_name="Tremblay", email="nadia@cuisine-hochelaga.test")
    organization = page.get_by_role("group", name=french("Your organization"))
    field(organization, french("Your organization")).fill(NEW_ORGANIZATION)
    field(organization, french("Municipality of your organization")).fill("Montréal")
    organization.get_by_role("checkbox", name=french("My organization is not registered yet")).check()
    field(organization, french("Kind of organization (if not registered yet)")).select_option(
        label=french("Community organization")
    )
    screenshot("registration-form")
    page.get_by_role("button", name=french("Register"), exact=True).click()

    expect(page.get_by_role("alert")).to_have_text(french(REGISTERED))
    expect(page.get_by_text(french("Full: new registrations go to the waiting list."))).to_be_visible()
    assert_accessible(page)
    first = Registration.objects.get(event=event, email="nadia@cuisine-hochelaga.test")
    assert first.status == Registration.Status.CONFIRMED
    assert first.organization.legal_name == NEW_ORGANIZATION
    assert first.organization.status == Organization.Status.PENDING

    # A second visitor, from a registered organization found by its exact name, gets the waiting list.
    page.context.clear_cookies()
    page.goto(f"/calendrier/evenement/{event.pk}/")
    assert_accessible(page)
    register(page, first_name="Olivier", last_name="Gagnon", email="olivier@carrefour-montreal.test")
    organization = page.get_by_role("group", name=french("Your organization"))
    field(organization, french("Your organization")).fill(world.org_montreal.legal_name)
    field(organization, french("Municipality of your organization")).fill("Montréal")
    page.get_by_role("button", name=french("Register"), exact=True).click()

    expect(page.get_by_role("alert")).to_have_text(french(WAITLISTED))
    assert_accessible(page)
    second = Registration.objects.get(event=event, email="olivier@carrefour-montreal.test")
    assert second.status == Registration.Status.WAITLISTED
    assert second.organization == world.org_montreal
    assert not [message for message in mail.outbox if message.to == [second.email] and message.attachments]

    # The first person cancels through the link of their confirmation e-mail.
    (confirmation,) = [message for message in mail.outbox if message.to == [first.email]]
    page.context.clear_cookies()
    page.goto(cancel_path(confirmation))
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Cancel a registration"))
    assert_accessible(page)
    page.get_by_role("button", name=french("Cancel my registration")).click()

    expect(page.get_by_role("alert")).to_have_text(french(CANCELLED))
    expect(page.get_by_role("button", name=french("Cancel my registration"))).to_have_count(0)
    screenshot("registration-cancelled")
    assert_accessible(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    # The seat went to the waiting list, and the person was told in French, with the calendar file.
    assert second.status == Registration.Status.CONFIRMED
    promoted = [message for message in mail.outbox if message.to == [second.email]][-1]
    assert promoted.subject == french("A seat is yours: %(title)s", title=TITLE)
    assert len(promoted.attachments) == 1


def tab_to(page, target) -> None:
    """Press Tab until ``target`` has the keyboard focus; fail when it is never reached."""
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} cannot be reached with the Tab key.")


def test_manager_takes_the_roll_call_with_the_keyboard_and_adds_a_walk_in(page, world, screenshot):
    event = EventFactory(program=world.program, title_fr=TITLE, municipality=world.montreal)
    present, absent, unmarked = (
        RegistrationFactory(event=event, first_name=first_name, last_name=last_name)
        for first_name, last_name in (("Sophie", "Bergeron"), ("Mathieu", "Lavoie"), ("Chloé", "Fortin"))
    )
    sign_in(page, world.manager)

    page.goto(f"/evenements/{event.pk}/presences/")
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Roll call"))
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(4)
    assert_accessible(page)
    # A flag on the window survives an htmx swap, not a page load.
    page.evaluate("window.sameDocument = true")

    present_button = table.get_by_role("button", name=french("%(name)s: present", name=present.full_name))
    expect(present_button).to_have_attribute("aria-pressed", "false")
    page.locator("body").focus()
    tab_to(page, present_button)
    page.keyboard.press("Space")
    expect(present_button).to_have_attribute("aria-pressed", "true")
    # The row was swapped in place and the keyboard focus stays on the button just pressed.
    expect(present_button).to_be_focused()

    absent_button = table.get_by_role("button", name=french("%(name)s: absent", name=absent.full_name))
    tab_to(page, absent_button)
    page.keyboard.press("Enter")
    expect(absent_button).to_have_attribute("aria-pressed", "true")
    expect(absent_button).to_be_focused()
    expect(table.get_by_role("button", name=french("%(name)s: present", name=absent.full_name))).to_have_attribute(
        "aria-pressed", "false"
    )
    assert page.evaluate("window.sameDocument === true"), "Marking attendance reloaded the page."
    screenshot("roll-call-marked")
    assert_accessible(page)
    for registration in (present, absent, unmarked):
        registration.refresh_from_db()
    assert present.attended is True
    assert absent.attended is False
    assert unmarked.attended is None

    walk_in = page.get_by_role("region", name=french("Add a walk-in"))
    field(walk_in, french("First name")).fill("Karim")
    field(walk_in, french("Last name")).fill("Haddad")
    field(walk_in, french("E-mail address")).fill("karim@exemple.qc.ca")
    walk_in.get_by_role("button", name=french("Add and mark present")).click()

    added_message = french("%(name)s was added and marked present.", name="Karim Haddad")
    expect(page.get_by_role("alert")).to_have_text(added_message)
    expect(
        page.get_by_role("table").get_by_role("button", name=french("%(name)s: present", name="Karim Haddad"))
    ).to_have_attribute("aria-pressed", "true")
    screenshot("roll-call-walk-in")
    assert_accessible(page)
    added = Registration.objects.get(event=event, email="karim@exemple.qc.ca")
    assert added.source == Registration.Source.WALK_IN
    assert added.status == Registration.Status.CONFIRMED
    assert added.attended is True
