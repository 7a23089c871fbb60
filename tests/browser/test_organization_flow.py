"""A program manager registers an organization through the French UI, finds it, and reads it in English.

Every page the browser shows is scanned with axe-core (``assert_accessible``); the page fixture
fails a test that leaves a page unscanned.
"""

import re

import pytest
from playwright.sync_api import expect

from virage.organizations.models import Organization

from .accessibility import assert_accessible
from .pages import field, sign_in
from .texts import english, french

pytestmark = pytest.mark.browser

# The French text of virage.organizations.identifiers.NEQ_INVALID, as a person reads it.
NEQ_INVALID_FR = "Le numéro d’entreprise du Québec (NEQ) compte 10 chiffres, par exemple 1141234567."
LEGAL_NAME = "Centre communautaire L’Élan de Montréal-Nord"


def test_manager_registers_an_organization_finds_it_and_reads_it_in_english(page, world, screenshot):
    sign_in(page, world.manager)

    page.get_by_role("navigation", name=french("Main navigation")).get_by_role(
        "link", name=french("Organizations"), exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Organizations"))
    assert_accessible(page)

    page.get_by_role("link", name=french("New organization")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(french("New organization"))
    assert_accessible(page)

    # A NEQ with too few digits: the form comes back in French, with the error next to the field.
    field(page, french("Kind")).select_option(label=french("Community organization"))
    field(page, french("Legal name")).fill(LEGAL_NAME)
    neq = field(page, french("Quebec enterprise number (NEQ)"))
    neq.fill("114123")
    field(page, french("Municipality")).fill("Montréal (66023)")
    page.get_by_role("button", name=french("Save"), exact=True).click()

    expect(page.get_by_text(NEQ_INVALID_FR)).to_be_visible()
    expect(neq).to_have_attribute("aria-invalid", "true")
    # Nothing typed is lost.
    expect(field(page, french("Legal name"))).to_have_value(LEGAL_NAME)
    expect(field(page, french("Municipality"))).to_have_value(re.compile(r"^Montréal"))
    assert not Organization.objects.filter(legal_name=LEGAL_NAME).exists()
    screenshot("organization-form-error")
    assert_accessible(page)

    neq.fill("1141234567")
    page.get_by_role("button", name=french("Save"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(LEGAL_NAME)
    expect(page.get_by_role("alert")).to_contain_text(
        french("The organization %(name)s was registered.", name=LEGAL_NAME)
    )
    organization = Organization.objects.get(legal_name=LEGAL_NAME)
    assert organization.neq == "1141234567"
    assert organization.municipality == world.montreal
    history = page.get_by_role("region", name=french("History"))
    created = history.get_by_role("listitem").filter(has_text=french("Created"))
    expect(created).to_have_count(1)
    expect(created).to_contain_text(world.manager.get_full_name())
    screenshot("organization-detail")
    assert_accessible(page)

    # The search ignores accents, case and dashes: "l'elan de montreal nord" finds "L’Élan de Montréal-Nord".
    page.get_by_role("link", name=french("Organizations"), exact=True).first.click()
    assert_accessible(page)
    search = page.get_by_role("search")
    field(search, french("Name, NEQ or charity number")).fill("ELAN DE MONTREAL NORD")
    search.get_by_role("button", name=french("Search")).click()
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=LEGAL_NAME)).to_be_visible()
    expect(results.get_by_role("link", name=world.org_montreal.legal_name)).to_have_count(0)
    screenshot("organization-search")
    assert_accessible(page)

    # Switching to English keeps the search and is remembered on the account.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(english("Organizations"))
    expect(field(page.get_by_role("search"), english("Name, NEQ or charity number"))).to_have_value(
        "ELAN DE MONTREAL NORD"
    )
    expect(page.get_by_role("table").get_by_role("link", name=LEGAL_NAME)).to_be_visible()
    assert_accessible(page)
    world.manager.refresh_from_db()
    assert world.manager.preferred_language == "en"

    page.get_by_role("table").get_by_role("link", name=LEGAL_NAME).click()
    history = page.get_by_role("region", name="History")
    expect(history.get_by_role("listitem").filter(has_text="Created")).to_have_count(1)
    assert_accessible(page)
