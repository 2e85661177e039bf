"""The time, ratification, money, negotiation and brief commands on both test scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli.app import app

runner = CliRunner()
HARBOUR = str(Path(__file__).parent.parent / "data" / "harbour.yaml")
SCENARIOS = {"ukraine-2025": "ua-us-20-point", HARBOUR: "board-draft"}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS), ids=["harbour", "ukraine"])
@pytest.mark.parametrize("command", [
    ["analyze", "timeline", "--days", "60", "--step", "30"],
    ["analyze", "clock"],
    ["analyze", "ratify", "--plan", "{plan}"],
    ["analyze", "payers", "--plan", "{plan}"],
    ["negotiate", "--seed", "3"],
    ["negotiate", "--protocol", "mediated", "--seed", "3"],
    ["brief", "--plan", "{plan}", "--format", "md"],
], ids=lambda c: " ".join(c[:2]))
def test_runs_on_both_scenarios(scenario: str, command: list[str]) -> None:
    argv = [part.replace("{plan}", SCENARIOS[scenario]) for part in command]
    argv.insert(2 if argv[0] == "analyze" else 1, scenario)
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_ukraine_clock_and_ratification_figures() -> None:
    clock = json.loads(runner.invoke(app, ["analyze", "clock", "-f", "json"]).stdout)
    held = next(c for c in clock if c["area"] == "donetsk_held")
    assert held["km2"] == 5000 and held["demanded_by"] == "russia"
    assert held["days_fast"] <= held["days_central"] <= held["days_slow"]
    assert held["in_reference_units"]["luxembourg"] == pytest.approx(5000 / 2586)
    verdicts = json.loads(runner.invoke(
        app, ["analyze", "ratify", "--plan", "ua-us-20-point", "-f", "json"]).stdout)["verdicts"]
    assert {v["kind"] for v in verdicts} >= {"referendum", "legislature", "veto"}
