"""Backtesting on a small dataset whose errors can be worked out by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli.app import app
from zopa.errors import ScenarioError
from zopa.formats.backtest_csv import read_backtest
from zopa.models.backtest import run_backtest

DATA = Path(__file__).parent.parent / "data" / "backtest"
POSITIONS, OUTCOMES = DATA / "positions.csv", DATA / "outcomes.csv"


def test_reads_one_scenario_per_issue() -> None:
    cases = read_backtest(POSITIONS, OUTCOMES)
    assert [c.issue for c in cases] == ["budget", "fees", "berths", "unknown"]
    assert [c.outcome for c in cases] == [30.0, 70.0, 50.0, None]
    assert cases[0].scenario.party("north").capability.value == 3.0


def test_errors_worked_out_by_hand() -> None:
    report = run_backtest(read_backtest(POSITIONS, OUTCOMES), ["compromise", "median"])
    assert report.skipped == ("unknown",)
    by = {(r.model, r.issue): r for r in report.results}
    # budget: weights 3, 1, 0.5 -> mean (60 + 80 + 30) / 4.5 = 37.78; median = 20
    assert by[("compromise", "budget")].forecast == pytest.approx(170 / 4.5)
    assert by[("median", "budget")].forecast == 20
    # fees: weights 0.6, 0.8, 0.8 -> median 50; berths: weights 1, 1, 2 -> median 60 (midpoint)
    assert by[("median", "fees")].error == 20
    assert by[("median", "berths")].forecast == 60
    median = next(s for s in report.scores if s.model == "median")
    assert median.issues == 3
    assert median.mean_absolute_error == pytest.approx((10 + 20 + 10) / 3)
    assert median.median_absolute_error == 10
    assert median.share_within_10 == pytest.approx(2 / 3)


def test_blank_salience_needs_fill(tmp_path: Path) -> None:
    blank = DATA / "positions-blank-salience.csv"
    with pytest.raises(ScenarioError) as error:
        read_backtest(blank, OUTCOMES)
    assert error.value.line == 7 and "--fill-salience" in str(error.value)
    cases = read_backtest(blank, OUTCOMES, fill_salience=0.8)
    assert cases[1].scenario.stance("east", "fees").salience.value == 0.8


def test_model_failure_is_reported_not_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import dataclass
    from typing import ClassVar

    from zopa import models
    from zopa.errors import ModelError

    @dataclass(frozen=True)
    class Picky:
        name: ClassVar[str] = "picky"

        def run(self, scenario, *, rng=None):  # noqa: ANN001, ANN201 - a test double
            if scenario.issue_ids == ("fees",):
                raise ModelError("picky: cannot forecast fees")
            return models.get_model("median").run(scenario, rng=rng)

    monkeypatch.setitem(models.REGISTRY, "picky", Picky)
    report = run_backtest(read_backtest(POSITIONS, OUTCOMES), ["picky"])
    failed = [r for r in report.results if r.failure]
    assert [(r.issue, r.failure) for r in failed] == [("fees", "picky: cannot forecast fees")]
    assert report.scores[0].issues == 2 and report.scores[0].failures == 1


@pytest.mark.parametrize("text,line,message", [
    ("issue,actor,capability,position\n", 1, "missing column"),
    ("issue,actor,capability,position,salience\nx,a,one,10,1\n", 2, "expected a number"),
    ("issue,actor,capability,position,salience\nx,a,1,110,1\n", 2, "between 0 and 100"),
    ("issue,actor,capability,position,salience\nx,a,1,10,1\nx,a,1,20,1\n", 3, "appears twice"),
])
def test_bad_positions_files(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ScenarioError) as error:
        read_backtest(path, OUTCOMES)
    assert error.value.line == line and message in str(error.value)


def test_outcome_for_unknown_issue(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("issue,outcome,reference\nnowhere,10,\n")
    with pytest.raises(ScenarioError, match="no rows"):
        read_backtest(POSITIONS, path)


def test_cli_json_and_table() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["backtest", str(POSITIONS), str(OUTCOMES), "--models",
                                 "median,compromise", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {s["model"] for s in data["scores"]} == {"median", "compromise"}
    assert data["skipped"] == ["unknown"]
    table = runner.invoke(app, ["backtest", str(POSITIONS), str(OUTCOMES)])
    assert table.exit_code == 0 and "share within 10" in table.stdout


def test_cli_error_is_one_line() -> None:
    code = "from zopa.cli.app import main; main()"
    result = subprocess.run([sys.executable, "-c", code, "backtest",
                             str(DATA / "positions-blank-salience.csv"), str(OUTCOMES)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "positions-blank-salience.csv:7" in result.stderr
