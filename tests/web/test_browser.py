"""The web app in a real browser: Debian's Chromium driven by Playwright for Python.

A real uvicorn server on a free loopback port serves a fresh SQLite store. Every page
must load with no console error and no uncaught exception; the deal explorer must
update the utilities when an option changes; an edit saved on the versions page must
show up in the history; a second edit on the same parent must show the conflict. A
screenshot of each page goes to ``test-output/web-<page>.png``.

Needs ``/usr/bin/chromium`` (``scripts/ci-browser.sh``; ``ZOPA_TEST_CHROMIUM`` names
another build) and Playwright for Python. Without them the tests are skipped locally
and fail when ``CI=true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent.parent
OUTPUT = ROOT / "test-output"
SCENARIO = "ukraine-2025"
PAGES = {"overview": "", "explore": "/explore", "frontier": "/frontier",
         "forecast": "/forecast", "time": "/time", "versions": "/versions"}
TIMEOUT = 60_000


class Tab:
    """A page that records console errors, uncaught exceptions and requests leaving the host."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1360, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.base = base
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.context.route("**/*", self._local_only)

    def _local_only(self, route: Any) -> None:
        url = route.request.url
        if url.startswith((self.base, "data:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, suffix: str) -> None:
        self.page.goto(f"{self.base}/scenarios/{SCENARIO}{suffix}", wait_until="load")

    def shoot(self, name: str) -> Path:
        OUTPUT.mkdir(exist_ok=True)
        path = OUTPUT / f"web-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, live_server: Any) -> Iterator[Tab]:
    opened = Tab(browser, live_server.url)
    try:
        yield opened
    finally:
        opened.close()


def _charts_drawn(tab: Tab, at_least: int) -> None:
    tab.page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
        arg=at_least)


def _ready(tab: Tab, name: str) -> None:
    """Wait until what the page draws after loading is there."""
    page = tab.page
    if name == "explore":
        page.wait_for_selector("#verdicts tbody tr")
        _charts_drawn(tab, 1)
    elif name == "forecast":
        page.click("#run-models")
        page.wait_for_selector("#model-table tbody tr")
        page.fill("#mc-runs", "500")
        page.click("#mc-start")
        page.wait_for_selector("#mc-table tbody tr")
        _charts_drawn(tab, 2)
    elif name in ("overview", "frontier", "time"):
        _charts_drawn(tab, 1)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_errors(tab: Tab, name: str) -> None:
    tab.open(PAGES[name])
    _ready(tab, name)
    heading = tab.page.locator("h1").inner_text()
    current = tab.page.locator("nav a[aria-current=page]").inner_text()
    shot = tab.shoot(name)
    assert tab.errors == []
    assert tab.outside == []
    assert heading
    assert current.lower().startswith(name[:4]) or name == "explore"
    assert shot.stat().st_size > 10_000
    unlabelled = tab.page.evaluate(
        "() => Array.from(document.querySelectorAll('main select, main input:not([type=hidden]),"
        " main textarea')).filter(e => !e.labels || e.labels.length === 0).map(e => e.id)")
    assert unlabelled == []


def test_changing_an_option_updates_the_utilities(tab: Tab) -> None:
    tab.open("/explore?plan=ua-us-20-point")
    page = tab.page
    cell = page.locator('#verdicts td[data-party="russia"][data-field="utility"]')
    cell.wait_for()
    before = cell.inner_text()
    assert page.locator("#issue-donetsk").input_value() == "fez"
    page.select_option("#issue-donetsk", "withdraw")
    page.wait_for_function(
        "old => { const c = document.querySelector("
        "'#verdicts td[data-party=\"russia\"][data-field=\"utility\"]');"
        " return c && c.textContent !== old; }", arg=before)
    after = cell.inner_text()
    assert float(after) > float(before)  # Russia gains when Ukraine leaves Donetsk
    assert "changed" in (page.locator('[data-issue-field="donetsk"]').get_attribute("class") or "")
    assert "donetsk=withdraw" in page.url
    tab.shoot("explore-changed")
    assert tab.errors == []


def _edit(page: Any, path: str, mode: str, message: str) -> None:
    page.select_option("#edit-path", path)
    page.fill("#edit-low", mode)
    page.fill("#edit-mode", mode)
    page.fill("#edit-high", mode)
    page.fill("#edit-message", message)
    page.fill("#edit-sources", "https://example.org/news/1")
    page.click("#edit-save")


def test_an_edit_saved_shows_up_in_the_history(tab: Tab) -> None:
    tab.open("/versions")
    page = tab.page
    assert page.locator("#history tbody tr").count() == 1
    _edit(page, "parties[0].reservation", "0.6", "Moscow signals flexibility on Donbas")
    page.wait_for_url("**/versions?saved=*")
    rows = page.locator("#history tbody tr")
    assert rows.count() == 2
    assert rows.first.get_attribute("data-version") == "@2"
    assert "Moscow signals flexibility on Donbas" in rows.first.inner_text()
    assert "https://example.org/news/1" in rows.first.inner_text()
    page.click("#diff-show")
    page.wait_for_selector("#diff tbody tr")
    assert "reservation" in page.locator("#diff").inner_text()
    tab.shoot("versions-saved")
    assert tab.errors == []


def test_a_second_edit_on_the_same_parent_shows_the_conflict(tab: Tab, browser: Any) -> None:
    other = Tab(browser, tab.base)
    try:
        tab.open("/versions")
        other.open("/versions")
        _edit(tab.page, "parties[1].reservation", "0.65", "Kyiv: first edit")
        tab.page.wait_for_url("**/versions?saved=*")
        _edit(other.page, "parties[2].reservation", "0.5", "Washington: second edit")
        alert = other.page.locator("#save-result .alert.error")
        alert.wait_for()
        text = alert.inner_text()
        assert alert.get_attribute("data-status") == "409"
        assert "conflict" in text and "Kyiv: first edit" in text and "Nothing was saved" in text
        other.shoot("versions-conflict")
        other.open("/versions")
        assert other.page.locator("#history tbody tr").count() == 2
        # The refused save shows in the console as a failed request, and nothing else does.
        assert all("409" in e for e in other.errors), other.errors
    finally:
        other.close()
