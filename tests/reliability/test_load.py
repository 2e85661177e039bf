"""The load test (``scripts/load_test.py``): a short real run, and its checker catching damage.

``make load`` runs it at full size (50 clients for 60 s); here a few clients for a few
seconds show that it drives a real server, counts conflicts and finds nothing lost,
and that its consistency checks fail on a database damaged behind the store's back.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="the load test needs the 'web' extra")

from zopa.scenario import Scenario, Uncertain  # noqa: E402
from zopa.store import Version, open_store  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "load_test.py"
NAME = "ukraine-2025"


@pytest.fixture(scope="module")
def load_test() -> Iterator[ModuleType]:
    """The script, imported from its path (dataclasses need it in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location("zopa_load_test", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def _assert_clean_short_run(report: Any) -> None:
    assert report.ok, report.reason
    assert report.error_count == 0 and report.errors == ()
    assert report.created > 0, "no save was made"
    saves = {k.kind: k for k in report.kinds}["save"]
    assert saves.statuses.get("201", 0) == report.created
    assert saves.statuses.get("409", 0) == report.conflicts > 0, "no conflict was counted"
    assert report.retries <= report.conflicts
    assert report.lost == 0
    assert report.versions_after == report.versions_before + report.created
    assert all(check.ok for check in report.checks)
    assert report.requests == sum(k.count for k in report.kinds) > 0


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_short_load_loses_nothing(load_test: ModuleType, backend: str,
                                    request: pytest.FixtureRequest) -> None:
    base = request.getfixturevalue("postgres_server") if backend == "postgres" else None
    options = load_test.LoadOptions(clients=8, seconds=3, db=backend, postgres=base,
                                    save_share=0.5, seed=3)
    report = load_test.run_load(options)
    _assert_clean_short_run(report)
    assert report.backend == ("sqlite" if backend == "sqlite" else "postgresql")
    assert report.elapsed < options.seconds + options.grace
    data = report.as_dict()
    assert data["ok"] is True and data["created"] == report.created
    json.dumps(data)  # the --json output


def test_the_command_line(load_test: ModuleType) -> None:
    options, output = load_test.parse_options(
        ["--clients", "3", "--seconds", "2", "--postgres", "postgresql://u@h/db",
         "--save-share", "0.3", "--json", "out.json"])
    assert (options.clients, options.seconds, options.db, options.save_share) == (3, 2, "postgres",
                                                                                  0.3)
    assert output == Path("out.json")
    with pytest.raises(SystemExit):
        load_test.parse_options(["--save-share", "2"])


def test_an_unexpected_answer_fails_the_run(load_test: ModuleType) -> None:
    tally = load_test.Tally()
    tally.latencies["zopa"].append(0.5)
    tally.statuses["zopa 500"] += 1
    tally.error(client=0, kind="zopa", method="GET", path="/api/scenarios/x/zopa", status=500,
                detail='{"detail":"internal error"}', at=1.0)
    run = load_test.ClientRun(tally, 1, 1.0, False, False)
    report = load_test.build_report(load_test.LoadOptions(), "sqlite:///x.db", run,
                                    load_test.Consistency(1, 0, ()), ())
    assert not report.ok
    assert report.reason.startswith("1 unexpected errors; first: GET /api/scenarios/x/zopa -> 500")
    assert "FAIL" in load_test.format_report(report)


# -- the consistency checker ------------------------------------------------------------------
def _with_reservation(scenario: Scenario, value: float) -> Scenario:
    party = scenario.parties[0]
    return scenario.with_party(dataclasses.replace(party, reservation=Uncertain.point(value)))


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory,
          load_test: ModuleType) -> tuple[Path, list[Any]]:
    """A SQLite store holding @1 and three saves, and the saves as a client recorded them.

    Shared by the tests below: those that damage it work on a copy.
    """
    path = tmp_path_factory.mktemp("checked") / "zopa.db"
    created: list[Any] = []
    with open_store(str(path)) as store:
        checkout = store.scenarios.checkout(NAME)
        parent: Version = checkout.version
        for step in range(3):
            scenario = _with_reservation(checkout.scenario, 0.5 + step / 100)
            result = store.scenarios.save(scenario, parent=parent, author="ana",
                                          message=f"save {step}", sources=[f"https://s/{step}"])
            parent = result.version
            created.append(load_test.CreatedVersion(
                parent.number, parent.id, parent.parent, "ana", f"save {step}",
                (f"https://s/{step}",)))
    return path, created


def _failed(consistency: Any) -> set[str]:
    return {check.name for check in consistency.checks if not check.ok}


def _copy(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)
    return target


def test_the_checker_passes_an_intact_database(load_test: ModuleType,
                                               saved: tuple[Path, list[Any]]) -> None:
    path, created = saved
    found = load_test.check_database(f"sqlite:///{path}", NAME, created, 1)
    assert _failed(found) == set() and found.lost == 0 and found.versions_after == 4


def test_the_checker_reports_a_claimed_version_that_is_not_there(
        load_test: ModuleType, saved: tuple[Path, list[Any]]) -> None:
    path, created = saved
    ghost = dataclasses.replace(created[-1], number=5, id="f" * 64)
    found = load_test.check_database(f"sqlite:///{path}", NAME, [*created, ghost], 1)
    assert found.lost == 1
    assert _failed(found) == {"versions counted", "acknowledged saves stored"}
    counted = next(c for c in found.checks if c.name == "versions counted")
    assert "missing: 1" in counted.detail


def test_the_checker_reports_a_version_deleted_behind_the_stores_back(
        load_test: ModuleType, saved: tuple[Path, list[Any]], tmp_path: Path) -> None:
    path, created = saved
    copy = _copy(path, tmp_path / "damaged.db")
    with sqlite3.connect(copy) as connection:  # foreign keys are off in a bare connection
        connection.execute("DELETE FROM scenario_versions WHERE name = ? AND number = 3", (NAME,))
    found = load_test.check_database(f"sqlite:///{copy}", NAME, created, 1)
    assert found.lost == 2  # @3 is gone, and @4 no longer sits on what the client was told
    assert {"versions counted", "acknowledged saves stored", "history is one chain",
            "no orphan rows", "sqlite integrity_check, foreign_key_check"} <= _failed(found)


def test_the_checker_reports_a_payload_changed_behind_the_stores_back(
        load_test: ModuleType, saved: tuple[Path, list[Any]], tmp_path: Path) -> None:
    path, created = saved
    copy = _copy(path, tmp_path / "edited.db")
    with sqlite3.connect(copy) as connection:
        payload = connection.execute("SELECT payload FROM scenario_snapshots WHERE hash = ?",
                                     (created[0].id,)).fetchone()[0]
        data = json.loads(payload)
        data["description"] = data.get("description", "") + " (edited)"
        connection.execute("UPDATE scenario_snapshots SET payload = ? WHERE hash = ?",
                           (json.dumps(data), created[0].id))
    found = load_test.check_database(f"sqlite:///{copy}", NAME, created, 1)
    assert _failed(found) == {"every version loads"}
    loads = next(c for c in found.checks if c.name == "every version loads")
    assert "does not match its content hash" in loads.detail
