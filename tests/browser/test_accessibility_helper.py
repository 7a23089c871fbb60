"""The accessibility helper itself: it must fail on a page that a screen-reader user cannot use."""

import pytest

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

ACCESSIBLE = """<!doctype html><html lang="fr"><head><title>Essai</title></head>
<body><main><h1>Essai</h1><label for="nom">Nom</label><input id="nom" type="text"></main></body></html>"""
# An image without a text alternative and a field without a label: two critical violations.
INACCESSIBLE = """<!doctype html><html lang="fr"><head><title>Essai</title></head>
<body><main><h1>Essai</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text"></main></body></html>"""


@pytest.fixture
def blank_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_assert_accessible_accepts_a_labelled_page(blank_page):
    blank_page.set_content(ACCESSIBLE)
    assert_accessible(blank_page)


def test_assert_accessible_lists_rule_help_and_target_of_each_serious_violation(blank_page):
    blank_page.set_content(INACCESSIBLE)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(blank_page)
    message = str(failure.value)
    assert "[critical] image-alt: Images must have alternative text" in message
    assert "at img:" in message
    assert "[critical] label:" in message
    assert "at input:" in message
