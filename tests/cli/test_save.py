"""--save records what a command computed; runs rerun reproduces it exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli.app import app

pytest.importorskip("sqlalchemy", reason="the store extra is not installed")
runner = CliRunner()
HARBOUR = str(Path(__file__).parent.parent / "data" / "harbour.yaml")

COMMANDS = [
    ["analyze", "zopa", HARBOUR],
    ["analyze", "frontier", HARBOUR],
    ["analyze", "solutions", HARBOUR, "--disagreement", "zero"],
    ["analyze", "plan", HARBOUR, "--plan", "port-offer"],
    ["analyze", "concessions", HARBOUR, "--plan", "board-draft"],
    ["analyze", "timeline", HARBOUR, "--days", "2000", "--step", "1000"],
    ["analyze", "ratify", HARBOUR, "--plan", "board-draft", "--seed", "4"],
    ["analyze", "payers", HARBOUR, "--plan", "board-draft"],
    ["analyze", "sensitivity", HARBOUR, "--target", "surplus:north:board-draft",
     "--draws", "16"],
    ["forecast", "run", "median", HARBOUR],
    ["forecast", "run", "expected_utility", HARBOUR, "--runs", "30", "--seed", "8"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_saved_run_reruns_equal(command: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    saved = runner.invoke(app, [*command, "--save", "--db", db])
    assert saved.exit_code == 0, saved.output
    listed = json.loads(runner.invoke(app, ["runs", "list", "--db", db, "-f", "json"]).stdout)
    assert len(listed) == 1
    run_id = listed[0]["id"]
    rerun = runner.invoke(app, ["runs", "rerun", run_id, "--db", db, "-f", "json"])
    assert rerun.exit_code == 0, rerun.output
    assert json.loads(rerun.stdout)["equal"] is True
