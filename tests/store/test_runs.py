"""Runs: record, list, show, export, and re-run with an exact equality check."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from zopa.analysis import find_zopa, solve
from zopa.errors import StoreError
from zopa.models import REGISTRY
from zopa.scenario import content_hash
from zopa.store import METHODS, Store, record_run
from zopa.store.tables import RunRow

RUNS = [
    ("find_zopa", {}, None),
    ("compute_frontier", {"within_reservations": True}, None),
    ("compute_frontier", {}, None),
    ("solve", {"disagreement": "zero"}, None),
    ("solve", {}, None),
    ("evaluate_plan", {"plan": "port-offer"}, None),
    ("price_of_peace", {"plan": "board-draft"}, None),
    *[("forecast", {"model": name}, 7) for name in sorted(REGISTRY)],
]


@pytest.mark.parametrize(("method", "parameters", "seed"), RUNS,
                         ids=[f"{m}-{json.dumps(p)}" for m, p, _ in RUNS])
def test_rerun_reproduces_the_stored_result_exactly(store: Store, harbour, method: str,
                                                     parameters: dict, seed: int | None) -> None:
    run = store.runs.record(method, harbour, parameters=parameters, seed=seed, author="ana")
    assert (run.method, run.kind, run.parameters, run.seed) == (
        method, METHODS[method].kind, parameters, seed)
    assert run.scenario_hash == content_hash(harbour)
    again = store.runs.rerun(run.id)
    assert again.equal, again.differences
    assert again.differences == ()
    assert again.result == run.result


def test_rerun_of_the_default_scenario_frontier(store: Store, ukraine) -> None:
    run = store.runs.record("compute_frontier", ukraine)
    assert run.result["size"] == len(run.result["packages"]) > 1000
    assert store.runs.rerun(run.id[:8]).equal


def test_a_result_passed_in_is_stored_as_if_computed(store: Store, harbour) -> None:
    given = store.runs.record("solve", harbour, parameters={"disagreement": "zero"},
                              result=solve(harbour, disagreement="zero"))
    computed = store.runs.record("solve", harbour, parameters={"disagreement": "zero"})
    assert given.result_hash == computed.result_hash
    assert given.id != computed.id


def test_rerun_reports_a_different_result(store: Store, harbour) -> None:
    run = store.runs.record("find_zopa", harbour)
    tampered = dict(run.result, space_size=run.result["space_size"] + 1)
    with store.engine.begin() as connection:
        connection.execute(update(RunRow).where(RunRow.id == run.id)
                           .values(result=json.dumps(tampered)))
    again = store.runs.rerun(run.id)
    assert not again.equal
    assert again.differences == (
        f"space_size: {run.result['space_size'] + 1} -> {run.result['space_size']}",)


def test_a_zopa_version_change_alone_is_not_a_difference(store: Store, harbour) -> None:
    run = store.runs.record("find_zopa", harbour)
    old = json.loads(json.dumps(run.result))
    old["provenance"]["version"] = "0.0.1"
    with store.engine.begin() as connection:
        connection.execute(update(RunRow).where(RunRow.id == run.id)
                           .values(result=json.dumps(old)))
    assert store.runs.rerun(run.id).equal


def test_runs_link_to_the_saved_version_of_their_content(store: Store, harbour, edit) -> None:
    unsaved = store.runs.record("find_zopa", harbour)
    assert unsaved.version_number is None
    first = store.scenarios.save(harbour, parent=None).version
    second = store.scenarios.save(edit(harbour, "port", 0.2), parent=first).version
    on_first = store.runs.record("find_zopa", harbour)
    on_second = store.runs.record("find_zopa", edit(harbour, "port", 0.2))
    assert (on_first.version_number, on_second.version_number) == (1, second.number)
    assert store.runs.rerun(unsaved.id).equal


def test_list_show_and_export(store: Store, harbour, ukraine) -> None:
    a = store.runs.record("find_zopa", harbour)
    b = store.runs.record("forecast", harbour, parameters={"model": "compromise"}, seed=3)
    c = store.runs.record("evaluate_plan", ukraine, parameters={"plan": ukraine.proposals[0].id})
    listed = store.runs.list()
    assert [r.id for r in listed] == [c.id, b.id, a.id]
    assert all(r.result is None for r in listed)
    assert [r.id for r in store.runs.list(scenario="harbour")] == [b.id, a.id]
    assert [r.id for r in store.runs.list(kind="forecast")] == [b.id]
    assert [r.id for r in store.runs.list(method="evaluate_plan")] == [c.id]
    assert len(store.runs.list(limit=2)) == 2
    assert store.runs.get(b.id[:6].upper()).seed == 3
    exported = store.runs.export()
    assert [r["id"] for r in exported] == [a.id, b.id, c.id]
    assert all("result" in r and "scenario" not in r for r in exported)
    one = store.runs.export([c.id], with_scenario=True)
    assert one[0]["scenario"]["id"] == "ukraine-2025"


def test_record_run_opens_the_store_by_url(db_url: str, harbour) -> None:
    run = record_run("find_zopa", harbour, result=find_zopa(harbour), db=db_url)
    again = record_run("find_zopa", harbour, db=db_url)
    assert run.result_hash == again.result_hash


@pytest.mark.parametrize(("call", "message"), [
    (lambda s, h: s.runs.record("no_such", h), "unknown method 'no_such'"),
    (lambda s, h: s.runs.record("solve", h, parameters={"bogus": 1}), "method 'solve'"),
    (lambda s, h: s.runs.record("forecast", h, parameters={"model": "x"}, seed=-1), "seed"),
    (lambda s, h: s.runs.list(kind="guess"), "unknown kind"),
    (lambda s, h: s.runs.get("abc"), "not a run id"),
    (lambda s, h: s.runs.get("abcdef"), "no run with an id starting"),
])
def test_errors_are_store_errors(store: Store, harbour, call, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        call(store, harbour)


def test_a_result_of_another_scenario_is_refused(store: Store, harbour, ukraine) -> None:
    with pytest.raises(StoreError, match="computed on scenario"):
        store.runs.record("find_zopa", harbour, result=find_zopa(ukraine))
