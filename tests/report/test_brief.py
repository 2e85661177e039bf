"""The brief: its three questions, its numbers (the analyses' own), and a self-contained page.

Both formats, on the default scenario (``ukraine-2025`` with ``ua-us-20-point``) and on
the small harbour scenario (``board-draft``); scenarios without ratifiers, costs or
clocks say so instead of failing.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import typer
from markupsafe import escape
from typer.testing import CliRunner

from zopa.analysis import evaluate_plan, price_of_peace
from zopa.analysis.payers import who_pays
from zopa.analysis.ratify import ratify
from zopa.analysis.timeline import territorial_clock, timeline
from zopa.cli import brief_cmd
from zopa.errors import ScenarioError
from zopa.report import BriefData, collect_brief, render_html, render_markdown
from zopa.report.html import plotly_javascript
from zopa.report.wording import NOT_MODELLED, percent
from zopa.scenario import Scenario
from zopa.scenario.synthetic import random_scenario

CASES = {"ukraine": "ua-us-20-point", "harbour": "board-draft"}
HARBOUR = str(Path(__file__).parent.parent / "data" / "harbour.yaml")


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Scenario, BriefData, str, str]:
    """(scenario, brief data, HTML, Markdown) for each scenario, computed once."""
    scenario = request.getfixturevalue(request.param)
    data = collect_brief(scenario, CASES[request.param])
    return scenario, data, render_html(data), render_markdown(data)


@pytest.fixture(scope="module")
def bare() -> tuple[BriefData, str, str]:
    """A scenario with no ratifiers, costs, areas, clocks or sources."""
    scenario = random_scenario(3, 4, 3, rng=2)
    assert not (scenario.ratifiers or scenario.costs or scenario.areas or scenario.sources)
    data = collect_brief(scenario, scenario.proposals[0].id, days=60)
    return data, render_html(data), render_markdown(data)


def _outside_plotly(page: str) -> str:
    """The page without the inlined Plotly bundle (which mentions URLs it never loads)."""
    bundle = plotly_javascript()
    assert page.count(bundle) == 1
    return page.replace(bundle, "")


class _Resources(HTMLParser):
    """Every address the page would load by itself (src, stylesheet and icon hrefs)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if found.get("src"):
            self.loads.append(found["src"] or "")
        if tag == "link" and found.get("href"):
            self.loads.append(found["href"] or "")


# -- the three questions ------------------------------------------------------------------------

def test_html_answers_the_three_questions(case: tuple[Scenario, BriefData, str, str]) -> None:
    scenario, data, page, _ = case
    for anchor in ("price-of-peace", "who-decides", "who-pays", "deal-space", "time",
                   "assumptions"):
        assert f'<section id="{anchor}">' in page
    for heading in ("The price of peace", "Who decides", "Who pays"):
        assert f"<h3>{heading}</h3>" in page  # the answers at a glance
    for party in scenario.parties:
        assert str(escape(party.name)) in page


def test_markdown_answers_the_three_questions(case: tuple[Scenario, BriefData, str, str]) -> None:
    scenario, _, _, text = case
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 1. The price of peace", "## 2. Who decides", "## 3. Who pays",
                        "## 4. The deal space", "## 5. Time", "## 6. Assumptions and sources"]
    for party in scenario.parties:
        assert party.name in text


# -- the numbers are the analyses' own ------------------------------------------------------------

def test_price_of_peace_matches_the_analyses(case: tuple[Scenario, BriefData, str, str]) -> None:
    scenario, data, page, text = case
    evaluation = evaluate_plan(scenario, data.plan.id)
    concessions = price_of_peace(scenario, data.plan.id)
    assert [s.party for s in data.standings] == list(scenario.party_ids)
    for standing, verdict in zip(data.standings, evaluation.verdicts, strict=True):
        assert standing.utility == verdict.utility
        assert standing.reservation == verdict.reservation
        assert standing.margin == verdict.surplus
        assert standing.accepts == verdict.accepts
        assert standing.given_up == concessions.total_loss[verdict.party]
        assert standing.ideal_utility == pytest.approx(verdict.utility + standing.given_up)
        for rendered in (page, text):
            assert f"{verdict.utility:.3f}" in rendered
            assert f"{verdict.surplus:+.3f}" in rendered
            assert f"{standing.given_up:.3f}" in rendered
    assert data.evaluation.blockers == evaluation.blockers


def test_who_decides_matches_the_analyses(case: tuple[Scenario, BriefData, str, str]) -> None:
    scenario, data, page, text = case
    expected = ratify(scenario, data.plan.id, rng=0)
    assert data.ratification.verdicts == expected.verdicts
    for verdict in expected.verdicts:
        for rendered in (page, text):
            assert percent(verdict.yes_share, 1) in rendered
            assert percent(verdict.probability) in rendered
        assert str(escape(verdict.name)) in page
        assert verdict.name in text
    for rendered in (page, text):
        assert "Veto players: " in rendered
    if not expected.verdicts:
        assert NOT_MODELLED in page and NOT_MODELLED in text


def test_who_pays_matches_the_analyses(case: tuple[Scenario, BriefData, str, str]) -> None:
    scenario, data, page, text = case
    expected = who_pays(scenario, data.plan.id)
    assert data.payers.shares == expected.shares
    assert data.payers.total == expected.total
    for share in expected.shares:
        for rendered in (page, text):
            assert percent(share.share_of_total, 1) in rendered
    if scenario.costs:
        assert 'id="chart-payers"' in page
    else:
        assert f"Costs are {NOT_MODELLED}" in text


def test_time_matches_the_analyses(case: tuple[Scenario, BriefData, str, str]) -> None:
    scenario, data, page, text = case
    assert data.clocks == territorial_clock(scenario)
    assert data.timeline.points == timeline(scenario).points
    for clock in data.clocks:
        for rendered in (page, text):
            assert f"{clock.days_central:,.0f}" in rendered
    assert 'id="chart-timeline"' in page
    assert ('id="chart-clock"' in page) == bool(data.clocks)


def test_charts_are_drawn(case: tuple[Scenario, BriefData, str, str]) -> None:
    _, data, page, _ = case
    for name in ("standing", "concessions", "frontier", "timeline"):
        assert f'id="chart-{name}"' in page
        assert f'id="figure-{name}"' in page
    assert page.count("Plotly.newPlot(") == page.count('class="plotly-graph-div"')
    assert data.nash is not None
    assert "Nash package" in page


# -- assumptions and sources ----------------------------------------------------------------------

def test_every_assumption_is_listed_with_its_sources(
        case: tuple[Scenario, BriefData, str, str]) -> None:
    scenario, data, page, text = case
    values = scenario.uncertain_values()
    assert len(data.assumptions) == len(values)
    assert [a.path for a in data.assumptions] == [path for path, _ in values]
    rest = _outside_plotly(page)
    labels = set(re.findall(r"<code>(.*?)</code>", rest))
    links = set(re.findall(r'href="([^"]*)"', rest))
    anchors = set(re.findall(r'id="source-([^"]*)"', rest))
    for assumption in data.assumptions:
        assert str(escape(assumption.label)) in labels
        assert f"`{assumption.label}`" in text
        assert {f"#source-{source.key}" for source in assumption.sources} <= links
    for source in scenario.sources:
        assert source.key in anchors
        if source.url:
            assert str(escape(source.url)) in links
            assert source.url in text
    judgements = sum(1 for _, value in values if value.judgement)
    assert f"{judgements} of them are" in page and f"{judgements} of them are" in text


# -- a self-contained page ----------------------------------------------------------------------

def test_html_is_self_contained(case: tuple[Scenario, BriefData, str, str]) -> None:
    _, _, page, _ = case
    assert page.startswith("<!DOCTYPE html>")
    assert 'src="http' not in page and "src='http" not in page
    rest = _outside_plotly(page)
    for cdn in ("cdn.plot.ly", "cdn.jsdelivr", "unpkg.com", "cdnjs", "googleapis"):
        assert cdn not in rest
    parser = _Resources()
    parser.feed(rest)
    assert parser.loads == ["data:,"]  # only the empty inline icon
    assert parser.scripts >= 2  # the inlined bundle, then one script per chart


def test_the_brief_is_deterministic(harbour: Scenario) -> None:
    first, again = (collect_brief(harbour, "board-draft") for _ in range(2))
    assert render_markdown(again) == render_markdown(first)
    assert render_html(again) == render_html(first)


# -- what a scenario does not model ---------------------------------------------------------------

def test_missing_sections_are_named_not_modelled(bare: tuple[BriefData, str, str]) -> None:
    data, page, text = bare
    for rendered in (page, text):
        assert f"Ratification is {NOT_MODELLED}" in rendered
        assert f"Costs are {NOT_MODELLED}" in rendered
        assert f"The territorial clock is {NOT_MODELLED}" in rendered
        assert "This scenario cites no sources." in rendered
    for name in ("ratification", "payers", "clock"):
        assert f'id="chart-{name}"' not in page
    assert 'id="chart-frontier"' in page


def test_a_clock_is_drawn_when_an_area_has_one(harbour: Scenario) -> None:
    quay = harbour.areas[0]
    timed = harbour.replace(areas=(dataclasses.replace(quay, clock="silt"), *harbour.areas[1:]))
    data = collect_brief(timed, "board-draft", days=60)
    (clock,) = territorial_clock(timed)
    assert data.clocks == (clock,)
    page = render_html(data)
    assert 'id="chart-clock"' in page
    assert f"{clock.days_central:,.0f} days at the central rate" in render_markdown(data)


def test_an_unknown_plan_is_a_scenario_error(harbour: Scenario) -> None:
    with pytest.raises(ScenarioError, match="unknown plan 'nope'"):
        collect_brief(harbour, "nope")


# -- the command ----------------------------------------------------------------------------------

def _app() -> typer.Typer:
    """The brief command in an app of its own (the main app registers it the same way)."""
    app = typer.Typer()
    app.command("brief")(brief_cmd.brief)

    @app.callback()
    def root() -> None:
        """Group, so that the command is called by its name."""

    return app


def test_command_writes_markdown_to_stdout() -> None:
    result = CliRunner().invoke(_app(), ["brief", HARBOUR, "--plan", "board-draft",
                                         "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Brief: Board draft")


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_command_writes_a_file(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"brief.{fmt}"
    result = CliRunner().invoke(_app(), ["brief", HARBOUR, "--plan", "board-draft",
                                         "-o", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = out.read_text(encoding="utf-8")
    assert ("<!DOCTYPE html>" in written) == (fmt == "html")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary left behind


def test_command_needs_a_file_for_html() -> None:
    result = CliRunner().invoke(_app(), ["brief", HARBOUR, "--plan", "board-draft"])
    assert result.exit_code == 2
    assert "-o" in result.output


def test_command_names_a_bad_plan(tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    result = CliRunner().invoke(_app(), ["brief", HARBOUR, "--plan", "nope", "-o", str(out)])
    assert isinstance(result.exception, ScenarioError)
    assert "board-draft" in str(result.exception)
    assert not out.exists()
