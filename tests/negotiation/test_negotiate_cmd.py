"""``zopa negotiate``: the event log and the outcome in every format (command mounted on a
local Typer app, as the lead mounts it on ``zopa``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from zopa.cli import negotiate_cmd
from zopa.errors import ModelError
from zopa.formats import dump_scenario
from zopa.scenario.synthetic import random_scenario

HARBOUR = str(Path(__file__).parent.parent / "data" / "harbour.yaml")
runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("negotiate")(negotiate_cmd.negotiate)

    @app.callback()
    def root() -> None:
        """zopa (test mount)."""

    return app


def _run(app: typer.Typer, *args: str) -> str:
    result = runner.invoke(app, ["negotiate", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_table_shows_the_log_the_outcome_and_ratification(app: typer.Typer) -> None:
    out = _run(app, HARBOUR, "--protocol", "mediated", "--seed", "3")
    assert "Negotiation on Harbour dispute" in out and "draft" in out and "object" in out
    assert "Agreed package" in out and "agreement on day" in out
    assert "ratification by" in out and "ratified:" in out


def test_json_is_the_whole_result(app: typer.Typer) -> None:
    data = json.loads(_run(app, HARBOUR, "--seed", "1", "--format", "json"))
    assert data["protocol"] == "alternating" and data["agreed"]
    assert data["events"][0]["action"] == "propose"
    assert {"day", "from", "to", "action", "package"} <= set(data["events"][0])
    assert "ratification" in data and data["provenance"]["seed"] == 1


def test_csv_has_one_table_per_section(app: typer.Typer) -> None:
    out = _run(app, HARBOUR, "--format", "csv", "--deadline", "30", "--mediator", "port")
    assert out.startswith("# Negotiation on")
    header = next(csv.reader(io.StringIO(out.split("\n", 1)[1])))
    assert header == ["day", "from", "to", "action", "package", "detail"]
    assert "# Parties" in out


def test_breakdown_and_unmodelled_ratification(app: typer.Typer, tmp_path: Path) -> None:
    out = _run(app, HARBOUR, "--strategy", "tit-for-tat")
    assert "breakdown on day" in out and "no agreement to ratify" in out
    plain = tmp_path / "plain.yaml"
    dump_scenario(random_scenario(3, 3, 3, rng=1, reservations=False), plain)
    out = _run(app, str(plain))
    assert "agreement on day" in out and negotiate_cmd.NOT_MODELLED in out


def test_default_scenario_and_a_mediator(app: typer.Typer) -> None:
    out = _run(app, "--protocol", "mediated", "--mediator", "united_states", "--format", "json")
    data = json.loads(out)
    assert data["scenario"] == "ukraine-2025" and data["mediator"] == "united_states"


def test_usage_and_user_errors(app: typer.Typer) -> None:
    assert runner.invoke(app, ["negotiate", HARBOUR, "--protocol", "auction"]).exit_code == 2
    failed = runner.invoke(app, ["negotiate", HARBOUR, "--mediator", "atlantis"])
    assert isinstance(failed.exception, ModelError)
