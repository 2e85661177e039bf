"""The store's commands: scenario save|history|diff|checkout and runs list|show|export|rerun."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from zopa.cli.store_cmd import register_scenario_commands, runs_app
from zopa.formats import dump_scenario, load_scenario
from zopa.scenario import Uncertain, content_hash, scenario_from_data
from zopa.store import StoreConflictError, open_store, record_run

runner = CliRunner()
HARBOUR = str(Path(__file__).parent.parent / "data" / "harbour.yaml")


def _app() -> typer.Typer:
    """The commands as the lead wires them into ``zopa``."""
    app = typer.Typer()
    scenario = typer.Typer()
    register_scenario_commands(scenario)
    app.add_typer(scenario, name="scenario")
    app.add_typer(runs_app, name="runs")
    return app


APP = _app()


def _ok(*args: str) -> str:
    result = runner.invoke(APP, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_save_history_checkout_diff(db_url: str, tmp_path: Path, harbour, edit) -> None:
    saved = json.loads(_ok("scenario", "save", HARBOUR, "-m", "first", "--db", db_url,
                           "-f", "json"))
    assert saved["created"] and saved["version"]["id"] == content_hash(harbour)
    changed = tmp_path / "harbour.yaml"
    dump_scenario(edit(harbour, "south", Uncertain(0.3, 0.35, 0.4)), changed)
    table = _ok("scenario", "save", str(changed), "--message", "South softens", "--source",
                "https://news.example/1", "-s", "Minutes, 3 May", "--author", "ana",
                "--db", db_url)
    assert "Saved harbour @2" in table and "https://news.example/1" in table
    history = json.loads(_ok("scenario", "history", "harbour", "--db", db_url, "-f", "json"))
    assert [v["number"] for v in history] == [1, 2]
    assert history[1]["sources"] == ["https://news.example/1", "Minutes, 3 May"]
    assert history[1]["author"] == "ana" and history[1]["message"] == "South softens"
    diff = json.loads(_ok("scenario", "diff", "harbour", "@1", "@2", "--db", db_url,
                          "-f", "json"))
    assert diff["changes"] == [{"section": "parties", "item": "south", "field": "reservation",
                                "change": "changed", "before": {"value": 0.4},
                                "after": {"low": 0.3, "mode": 0.35, "high": 0.4}}]
    assert "0.35 [0.3, 0.4]" in _ok("scenario", "diff", "harbour", "@1", "--db", db_url)
    out = tmp_path / "first.yaml"
    _ok("scenario", "checkout", "harbour", "@1", "-o", str(out), "--db", db_url)
    assert load_scenario(out) == harbour
    as_json = tmp_path / "first.json"
    _ok("scenario", "checkout", "harbour", "@1", "-o", str(as_json), "--db", db_url)
    assert scenario_from_data(json.loads(as_json.read_text())) == harbour
    assert "name: Harbour dispute" in _ok("scenario", "checkout", "harbour", "--db", db_url)
    unchanged = _ok("scenario", "save", str(changed), "--db", db_url)
    assert "Unchanged" in unchanged


def test_save_on_a_stale_parent_is_a_conflict(db_url: str, tmp_path: Path, harbour,
                                              edit) -> None:
    _ok("scenario", "save", HARBOUR, "--db", db_url)
    first = content_hash(harbour)[:8]
    mine, theirs = tmp_path / "mine.yaml", tmp_path / "theirs.yaml"
    dump_scenario(edit(harbour, "port", 0.2), theirs)
    dump_scenario(edit(harbour, "port", 0.25), mine)
    _ok("scenario", "save", str(theirs), "--parent", first, "--db", db_url)
    result = runner.invoke(APP, ["scenario", "save", str(mine), "--parent", first,
                                 "--db", db_url])
    assert isinstance(result.exception, StoreConflictError)
    assert "Nothing was saved" in str(result.exception)


def test_default_database_from_the_environment(db_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOPA_DATABASE_URL", db_url)
    history = json.loads(_ok("scenario", "history", "-f", "json"))
    assert history[0]["name"] == "ukraine-2025" and history[0]["author"] == "zopa"


def test_runs_list_show_export_rerun(db_url: str, tmp_path: Path, harbour) -> None:
    run = record_run("evaluate_plan", harbour, parameters={"plan": "port-offer"}, db=db_url)
    listed = json.loads(_ok("runs", "list", "--db", db_url, "-f", "json"))
    assert [r["id"] for r in listed] == [run.id]
    assert "evaluate_plan" in _ok("runs", "list", "--db", db_url)
    shown = json.loads(_ok("runs", "show", run.id[:8], "--db", db_url, "-f", "json"))
    assert shown["result"]["plan"] == "port-offer"
    assert "blockers" in _ok("runs", "show", run.id[:8], "--db", db_url)
    exported = tmp_path / "runs.json"
    _ok("runs", "export", "--with-scenario", "-o", str(exported), "--db", db_url)
    data = json.loads(exported.read_text())
    assert data[0]["scenario"]["id"] == "harbour" and data[0]["result"] == run.result
    assert "EQUAL" in _ok("runs", "rerun", run.id[:8], "--db", db_url)
    again = json.loads(_ok("runs", "rerun", run.id, "--db", db_url, "-f", "json"))
    assert again["equal"] is True and again["differences"] == []


def test_rerun_that_differs_exits_1(db_url: str, harbour) -> None:
    run = record_run("find_zopa", harbour, db=db_url)
    with open_store(db_url) as store, store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE runs SET result = '{}'")
    result = runner.invoke(APP, ["runs", "rerun", run.id, "--db", db_url])
    assert result.exit_code == 1 and "DIFFERENT" in result.stdout
