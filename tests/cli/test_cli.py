"""The command line: every command, every output format, and one-line errors with exit 1."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from zopa.cli.app import app
from zopa.formats import loads_scenario

runner = CliRunner()
HARBOUR = str(Path(__file__).parent.parent / "data" / "harbour.yaml")


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _zopa(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed entry point in a subprocess, as a user would."""
    code = "from zopa.cli.app import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          input=stdin, timeout=120)


ANALYSES = [
    ["analyze", "zopa"],
    ["analyze", "frontier"],
    ["analyze", "frontier", "--within-reservations"],
    ["analyze", "solutions"],
    ["analyze", "solutions", "--disagreement", "zero"],
    ["analyze", "plan", "--plan", "port-offer"],
    ["analyze", "concessions", "--plan", "board-draft"],
]


@pytest.mark.parametrize("command", ANALYSES, ids=lambda c: " ".join(c))
def test_analyses_in_every_format(command: list[str]) -> None:
    table = _run(*command, HARBOUR)
    assert table.strip()
    data = json.loads(_run(*command, HARBOUR, "--format", "json"))
    assert data["provenance"]["scenario_hash"]
    rows = list(csv.reader(io.StringIO(_run(*command, HARBOUR, "--format", "csv"))))
    assert len(rows) >= 2


def test_plan_json_reports_verdicts_and_fix() -> None:
    data = json.loads(_run("analyze", "plan", HARBOUR, "--plan", "board-draft", "-f", "json"))
    assert data["accepted"] is True
    assert {v["party"] for v in data["verdicts"]} == {"north", "south", "port"}
    assert data["unblocking"]["changes"] == []


def test_scenario_commands() -> None:
    assert "harbour" in _run("scenario", "validate", HARBOUR)
    shown = json.loads(_run("scenario", "show", HARBOUR, "-f", "json"))
    assert shown["id"] == "harbour"
    schema = json.loads(_run("scenario", "schema"))
    assert schema["title"].startswith("zopa scenario")
    listed = json.loads(_run("scenario", "list", "-f", "json"))
    assert isinstance(listed, list)


def test_scenario_random_is_reproducible(tmp_path: Path) -> None:
    text = _run("scenario", "random", "--parties", "3", "--issues", "4", "--options", "3",
                "--seed", "5")
    assert text == _run("scenario", "random", "--parties", "3", "--issues", "4",
                        "--options", "3", "--seed", "5")
    scenario = loads_scenario(text)
    assert len(scenario.parties) == 3 and len(scenario.issues) == 4
    out = tmp_path / "r.yaml"
    _run("scenario", "random", "--seed", "5", "--parties", "3", "--issues", "4",
         "--options", "3", "-o", str(out))
    assert out.read_text() == text
    values = yaml.safe_load(text)["stances"]
    assert values["p1"]["issue1"]["values"] != values["p2"]["issue1"]["values"]


def test_scenario_from_stdin() -> None:
    result = _zopa("scenario", "validate", "-", stdin=Path(HARBOUR).read_text())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: harbour")


BAD_INPUTS = {
    "yaml-syntax": ("name: South Town", "name: [South Town", "YAML syntax error"),
    "unknown-party": ("  south:\n    fees:", "  southh:\n    fees:", "unknown party 'southh'"),
    "position": ("position: 100}", "position: 140}", "between 0 and 100"),
    "salience": ("salience: 0.6}", "salience: -0.6}", "salience >= 0"),
    "duplicate-id": ("  - id: south\n", "  - id: north\n", "duplicate id 'north'"),
    "missing-option": ("{fees: high,", "{fees: free,", "unknown option 'free'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_one_line_and_exit_1(case: str, tmp_path: Path) -> None:
    old, new, expected = BAD_INPUTS[case]
    text = Path(HARBOUR).read_text()
    assert old in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new, 1))
    line = text[:text.index(old)].count("\n") + 1  # the line where the edit starts
    result = _zopa("analyze", "zopa", str(bad))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {bad}:")
    assert expected in lines[0]
    reported = int(lines[0].split(":")[2])
    assert abs(reported - line) <= 1


def test_unknown_plan_and_missing_plan() -> None:
    result = _zopa("analyze", "plan", HARBOUR, "--plan", "nope")
    assert result.returncode == 1 and "unknown plan 'nope'" in result.stderr
    result = _zopa("analyze", "plan", HARBOUR)
    assert result.returncode == 1 and "needs --plan" in result.stderr


def test_missing_scenario_file() -> None:
    result = _zopa("analyze", "zopa", "no/such/file.yaml")
    assert result.returncode == 1
    assert result.stderr.startswith("error: no/such/file.yaml: no such file")


def test_usage_error_exits_2() -> None:
    assert _zopa("analyze", "zopa", "--no-such-flag").returncode == 2
