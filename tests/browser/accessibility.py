"""Accessibility checks with axe-core, run inside the page that Chromium shows.

``assert_accessible(page)`` scans the current document and fails with the list of serious and
critical violations. Each page fixture also tracks the documents it showed, so that a test that
forgets to scan a page it visited fails at teardown (the project promises that no page has a
serious or critical violation, so every page a browser test reaches must be checked).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path

import axe_playwright_python

# axe-core ships inside the axe-playwright-python wheel, so the scan needs no network access.
AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
BLOCKING_IMPACTS = ("serious", "critical")
# WCAG 2.2 AA and the best practices axe enables by default; experimental rules stay off.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


@dataclass
class Visits:
    """The documents a page showed (one entry per main-frame navigation) and which were scanned."""

    urls: list[str] = field(default_factory=list)
    scanned: set[int] = field(default_factory=set)

    def unscanned(self) -> list[str]:
        return [url for index, url in enumerate(self.urls) if index not in self.scanned]


_visits: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def track_visits(page) -> Visits:
    """Record every document ``page`` shows, for :func:`assert_accessible` to tick off."""
    visits = Visits()

    def on_navigation(frame) -> None:
        if frame == page.main_frame:
            visits.urls.append(frame.url)

    page.on("framenavigated", on_navigation)
    _visits[page] = visits
    return visits


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


def serious_violations(page) -> list[dict]:
    """Run axe-core on the current document; return the serious and critical violations."""
    page.wait_for_load_state("load")
    # Colours are checked as they end up, not half-way through a button's 0.15 s colour transition
    # (after an htmx swap, say): transitions and animations are switched off before the scan.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def assert_accessible(page) -> None:
    """Fail, listing rule, help and target nodes, when axe finds a serious or critical violation."""
    violations = serious_violations(page)
    visits = _visits.get(page)
    if visits is not None and visits.urls:
        visits.scanned.add(len(visits.urls) - 1)
    assert not violations, (
        f"axe-core found {len(violations)} serious or critical violation(s) on {page.url}:\n"
        + format_violations(violations)
    )
