"""Steps that several browser tests share."""

from playwright.sync_api import expect

from conftest import PASSWORD

from .accessibility import assert_accessible
from .texts import french


def sign_in(page, user) -> None:
    """Sign in through the French sign-in page (scanned on the way) and land on the dashboard."""
    page.goto("/compte/connexion/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Sign in to Virage"))
    assert_accessible(page)
    page.get_by_label(french("E-mail address")).fill(user.email)
    page.get_by_label(french("Password"), exact=False).fill(PASSWORD)
    page.get_by_role("button", name=french("Sign in"), exact=True).click()
    expect(page.get_by_role("button", name=french("Sign out"))).to_be_visible()
    assert_accessible(page)
