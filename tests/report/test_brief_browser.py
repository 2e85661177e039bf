"""The HTML brief in a real browser: Debian's Chromium, driven by Playwright for Python.

The page must open from a file with the network cut off, draw every chart, and log no
error. A full-page screenshot of each brief goes to ``test-output/brief-<scenario>.png``.

Needs ``/usr/bin/chromium`` (``scripts/ci-browser.sh`` installs it; ``ZOPA_TEST_CHROMIUM``
names another build) and the ``playwright`` package (the ``dev`` extra). Without them the
tests are skipped locally, and fail when ``CI=true``: CI must run them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zopa.report import collect_brief, render_html
from zopa.scenario import Scenario

ROOT = Path(__file__).parent.parent.parent
OUTPUT = ROOT / "test-output"
CASES = {"ukraine": "ua-us-20-point", "harbour": "board-draft"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_brief_renders_in_chromium(browser: Any, name: str, tmp_path: Path,
                                   request: pytest.FixtureRequest) -> None:
    scenario: Scenario = request.getfixturevalue(name)
    page_file = tmp_path / f"brief-{scenario.id}.html"
    html = render_html(collect_brief(scenario, CASES[name]))
    page_file.write_text(html, encoding="utf-8")
    charts = html.count('class="plotly-graph-div"')
    assert charts >= 4

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    messages: list[tuple[str, str]] = []
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda message: messages.append((message.type, message.text)))
    page.on("pageerror", lambda error: errors.append(str(error)))

    def offline(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", offline)
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_function(
            "n => document.querySelectorAll('.plotly-graph-div .main-svg').length >= n",
            arg=charts, timeout=30_000)
        drawn = page.evaluate(
            "() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => "
            "[d.id, d.querySelectorAll('.main-svg').length, d.getBoundingClientRect().height])")
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"brief-{scenario.id}.png"), full_page=True)
        title = page.title()
        headings = page.locator("h2").all_inner_texts()
    finally:
        context.close()

    assert errors == []
    assert [text for kind, text in messages if kind == "error"] == []
    assert outside == []
    assert len(drawn) == charts
    for div, svgs, height in drawn:
        assert svgs >= 1 and height > 100, div
    assert title.startswith("Brief: ")
    assert headings[:3] == ["1. The price of peace", "2. Who decides", "3. Who pays"]
    assert (OUTPUT / f"brief-{scenario.id}.png").stat().st_size > 10_000
