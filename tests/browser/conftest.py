"""Fixtures of the browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download is not used (machines running these tests may have no access
to it): the tests launch /usr/bin/chromium, which ``make browser-deps`` installs. When a test
fails, a screenshot of the page goes to var/browser-artifacts/.
"""

import os
import re
from pathlib import Path

import pytest

from .accessibility import track_visits

# Playwright's synchronous API keeps an asyncio event loop in the test thread, which Django takes
# for an async context; the database calls the fixtures make there are nevertheless synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "browser-artifacts"
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item so the page fixture knows whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts():
    # The folder shows the last run only, so an old failure's screenshot is never taken for a new one.
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium) first.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _artifact_path(item, suffix: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / (re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1]) + suffix)


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (no cookies) that speaks Quebec French, pointed at the live server."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-CA",
        timezone_id="America/Montreal",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    visits = track_visits(page)
    yield page
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call"))
    if failed:
        try:
            page.screenshot(path=_artifact_path(request.node, ".png"), full_page=True)
        except Exception as error:  # The screenshot must never hide the test's own failure.
            print(f"No screenshot of the failed page: {error}")
    context.close()
    if not failed:
        unscanned = visits.unscanned()
        assert not unscanned, f"Pages shown without an accessibility scan (call assert_accessible): {unscanned}"


@pytest.fixture
def screenshot(page, request):
    """Save a full-page PNG of the current page under var/browser-artifacts/, for a person to look at."""

    def take(name: str) -> Path:
        path = _artifact_path(request.node, f"-{name}.png")
        page.screenshot(path=path, full_page=True)
        return path

    return take
