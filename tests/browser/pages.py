"""Steps that several browser tests share."""

import re

from playwright.sync_api import expect

from conftest import PASSWORD

from .accessibility import assert_accessible
from .texts import french


def field(scope, label: str):
    """The form control labelled exactly ``label``, whether or not it carries the "(required)" mark.

    An exact match keeps "Nom" from finding "Prénom"; the optional suffix is the screen-reader
    text that ``includes/field.html`` adds, in the page's language, to the label of a required field.
    """
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(?:\s*\*)?(?:\s*\([^()]+\))?$"))


def sign_in(page, user) -> None:
    """Sign in through the French sign-in page (scanned on the way) and land on the dashboard."""
    page.goto("/compte/connexion/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Sign in to Virage"))
    assert_accessible(page)
    field(page, french("E-mail address")).fill(user.email)
    field(page, french("Password")).fill(PASSWORD)
    page.get_by_role("button", name=french("Sign in"), exact=True).click()
    expect(page.get_by_role("button", name=french("Sign out"))).to_be_visible()
    assert_accessible(page)
