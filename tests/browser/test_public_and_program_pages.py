"""Self-registration by the public, and the pages a program manager opens first, in the French UI."""

import pytest
from playwright.sync_api import expect

from virage.organizations.models import Consent, Organization

from .accessibility import assert_accessible
from .pages import field, sign_in
from .texts import french

pytestmark = pytest.mark.browser


def test_anonymous_registers_an_organization_without_any_consent_ticked(page, world, screenshot):
    page.goto("/programmes/inscription/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Register your organization"))
    assert_accessible(page)

    # Law 25: one box per purpose, none ticked in advance.
    consents = page.get_by_role("group", name=french("Your consent (optional, one box per use)")).get_by_role(
        "checkbox"
    )
    expect(consents).to_have_count(len(Consent.Purpose.choices))
    for purpose in Consent.Purpose:
        expect(page.get_by_role("checkbox", name=french(purpose.label))).not_to_be_checked()
    screenshot("registration-form")

    organization = page.get_by_role("group", name=french("Your organization"))
    # The only program open to registrations is chosen in advance.
    program = page.get_by_role("group", name=french("Program")).get_by_role("combobox")
    expect(program).to_have_value(str(world.program.pk))
    field(organization, french("Kind")).select_option(label=french("Community organization"))
    field(organization, french("Legal name")).fill("Friperie solidaire de Limoilou")
    field(organization, french("Municipality")).fill("Quebec")
    contact = page.get_by_role("group", name=french("You, the contact person"))
    field(contact, french("First name")).fill("Élise")
    field(contact, french("Last name")).fill("Lévesque")
    field(contact, french("E-mail address")).fill("elise@friperie-limoilou.test")
    page.get_by_role("button", name=french("Send the registration"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(french("Thank you, your registration was received"))
    assert_accessible(page)
    registered = Organization.objects.get(legal_name="Friperie solidaire de Limoilou")
    assert registered.status == Organization.Status.PENDING
    assert registered.municipality == world.quebec
    assert not Consent.objects.filter(person__organization=registered, is_given=True).exists()


def test_sign_in_page_shows_a_french_error_for_a_wrong_password(page, world):
    page.goto("/compte/connexion/")
    assert_accessible(page)
    field(page, french("E-mail address")).fill(world.manager.email)
    field(page, french("Password")).fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name=french("Sign in"), exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(
        french("This e-mail address and password do not match an active account.")
    )
    assert_accessible(page)


def test_program_page_and_organization_list_of_a_manager(page, world):
    sign_in(page, world.manager)

    page.goto(f"/programmes/{world.program.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(world.program.name_fr)
    expect(page.get_by_role("heading", name=french("Targets"))).to_be_visible()
    assert_accessible(page)

    page.goto("/organismes/")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name=world.org_montreal.legal_name)).to_be_visible()
    expect(table.get_by_role("link", name=world.org_quebec.legal_name)).to_be_visible()
    assert_accessible(page)
