"""The NegMAS bridge: zopa's frontier and Nash point equal NegMAS's on the same scenario.

NegMAS is an optional extra. Without it these tests are skipped with a reason,
except in CI (``CI=true``), which installs the extra: there a missing NegMAS fails.
"""

from __future__ import annotations

import importlib
import itertools
import os
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from zopa.analysis import DealSpace, compute_frontier, solve
from zopa.errors import ZopaError
from zopa.formats.negmas_bridge import from_negmas, to_negmas
from zopa.scenario import Scenario, Uncertain
from zopa.scenario.synthetic import random_scenario

TOLERANCE = 1e-9
GENIUS = Path(__file__).parent.parent / "data" / "genius"


@pytest.fixture(scope="module")
def negmas() -> ModuleType:
    if os.environ.get("CI") == "true":
        return importlib.import_module("negmas")  # CI installs the extra: missing is a failure
    return pytest.importorskip("negmas", reason="NegMAS is not installed; install the negmas "
                                                "extra: pip install 'zopa[negmas]'")


def _negmas_frontier(bridge) -> tuple[np.ndarray, list[tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    from negmas.preferences import pareto_frontier

    utilities, indices = pareto_frontier(list(bridge.ufuns),
                                         issues=bridge.outcome_space.issues)
    outcomes = list(bridge.outcome_space.enumerate())
    return np.array(utilities, dtype=float).reshape(-1, len(bridge.ufuns)), \
        [outcomes[i] for i in indices]


def _distinct(rows: np.ndarray) -> np.ndarray:
    """Rows sorted, with rows equal within the tolerance merged."""
    kept: list[np.ndarray] = []
    for row in sorted(rows.tolist()):
        if not kept or np.max(np.abs(np.array(row) - kept[-1])) > TOLERANCE:
            kept.append(np.array(row))
    return np.array(kept).reshape(-1, rows.shape[1])


def _assert_same_frontier(scenario: Scenario, bridge) -> np.ndarray:  # type: ignore[no-untyped-def]
    theirs, _ = _negmas_frontier(bridge)
    ours = compute_frontier(scenario, within_reservations=True).utilities
    theirs, ours = _distinct(theirs), _distinct(ours)
    assert ours.shape == theirs.shape
    assert np.max(np.abs(ours - theirs), initial=0.0) <= TOLERANCE
    return theirs


SCENARIOS = [  # parties, issues, options, reservations, seed (up to 4**6 = 4096 packages)
    (2, 4, 3, True, 11), (2, 6, 4, False, 12), (2, 6, 4, True, 13), (3, 5, 3, True, 14),
    (3, 6, 4, False, 15), (3, 6, 4, True, 16), (3, 4, 4, True, 17),
]


def _with_disagreement_at_worst(scenario: Scenario) -> Scenario:
    """Reservations raised to each party's worst package, NegMAS's default disagreement point."""
    space = DealSpace.from_scenario(scenario)
    worst = sum(table[index].min(axis=0) for table, index in zip(space.tables,
                                                                 space.admissible(),
                                                                 strict=True))
    parties = tuple(replace(p, reservation=Uncertain.point(max(p.reservation.value, float(w))))
                    for p, w in zip(scenario.parties, worst, strict=True))
    return scenario.replace(parties=parties)


@pytest.mark.parametrize(("parties", "issues", "options", "reservations", "seed"), SCENARIOS)
def test_frontier_and_nash_equal_negmas(negmas: ModuleType, parties: int, issues: int,
                                        options: int, reservations: bool, seed: int) -> None:
    from negmas.preferences import nash_points

    scenario = random_scenario(parties, issues, options, reservations=reservations, rng=seed)
    bridge = to_negmas(scenario)
    assert bridge.outcome_space.cardinality == options ** issues
    frontier = _assert_same_frontier(scenario, bridge)
    utilities = [tuple(u) for u in _negmas_frontier(bridge)[0]]
    ours = solve(scenario).get("nash")
    if ours is None:
        assert len(frontier) == 0
        return
    # Disagreement at the reservations (zopa's definition): NegMAS with 0-1 utility ranges.
    theirs = nash_points(list(bridge.ufuns), utilities, ranges=[(0.0, 1.0)] * parties)
    assert list(theirs[0][0]) == pytest.approx(list(ours.utilities.values()), abs=TOLERANCE)
    # NegMAS's default measures gains from max(reservation, worst outcome).
    theirs = nash_points(list(bridge.ufuns), utilities, outcome_space=bridge.outcome_space)
    adjusted = solve(_with_disagreement_at_worst(scenario)).get("nash")
    assert adjusted is not None
    assert list(theirs[0][0]) == pytest.approx(list(adjusted.utilities.values()),
                                               abs=TOLERANCE)


def test_every_outcome_has_zopas_utility(negmas: ModuleType) -> None:
    scenario = random_scenario(3, 3, 3, rng=5)
    bridge = to_negmas(scenario)
    tables = [[{o.id: scenario.stance(p, i.id).value_of(o) for o in i.options}
               for i in scenario.issues] for p in scenario.party_ids]
    for outcome in bridge.outcome_space.enumerate():
        choices = bridge.choices(outcome)
        for party, ufun, table in zip(scenario.parties, bridge.ufuns, tables, strict=True):
            saliences = [scenario.stance(party.id, i).salience.value for i in choices]
            expected = sum(s * t[choices[i]] for s, t, i in zip(saliences, table, choices,
                                                                strict=True)) / sum(saliences)
            assert ufun(outcome) == pytest.approx(expected, abs=1e-12)
            assert ufun.reserved_value == party.reservation.value


def test_red_lined_options_are_left_out(negmas: ModuleType, harbour: Scenario) -> None:
    bridge = to_negmas(harbour)
    assert bridge.left_out == (("berths", "south"), ("dredging", "port"))
    assert [list(i.all) for i in bridge.outcome_space.issues] == \
        [["none", "low", "high"], ["north", "split"], ["shared"]]
    _assert_same_frontier(harbour, bridge)
    assert bridge.scenario().outcome_space is bridge.outcome_space


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_round_trip_keeps_utilities(negmas: ModuleType, seed: int) -> None:
    scenario = random_scenario(3, 4, 3, rng=seed)
    bridge = to_negmas(scenario)
    back = from_negmas(bridge.outcome_space, bridge.ufuns, names=list(scenario.party_ids))
    assert back.party_ids == scenario.party_ids
    assert back.issue_ids == scenario.issue_ids
    assert [i.option_ids for i in back.issues] == [i.option_ids for i in scenario.issues]
    again = to_negmas(back)
    for outcome in bridge.outcome_space.enumerate():
        assert [u(outcome) for u in again.ufuns] == \
            pytest.approx([u(outcome) for u in bridge.ufuns], abs=1e-12)
    assert [p.reservation.value for p in back.parties] == \
        [p.reservation.value for p in scenario.parties]


def test_raw_negmas_utilities_are_rescaled(negmas: ModuleType) -> None:
    """GENIUS files as NegMAS reads them (raw evaluations): same rankings, same frontier."""
    from negmas.inout import Scenario as NegmasScenario

    loaded = NegmasScenario.from_genius_files(
        GENIUS / "canal-domain.xml",
        [GENIUS / "city.xml", GENIUS / "operator.xml", GENIUS / "shippers.xml"],
        ignore_discount=True)
    assert loaded is not None
    scenario = from_negmas(loaded.outcome_space, loaded.ufuns, ["city", "operator", "shippers"])
    outcomes = list(loaded.outcome_space.enumerate())
    ours = compute_frontier(scenario, within_reservations=True)
    labels = [[o.label for o in i.options] for i in scenario.issues]
    our_outcomes = {tuple(labels[i][j] for i, j in enumerate(package))
                    for k in range(len(ours)) for package in ours.packages(k)}
    from negmas.preferences import pareto_frontier

    _, indices = pareto_frontier(list(loaded.ufuns), issues=loaded.outcome_space.issues)
    assert our_outcomes == {outcomes[i] for i in indices}
    space = DealSpace.from_scenario(scenario)
    packages = np.array(list(itertools.product(*[range(len(o)) for o in space.options])))
    zopa = sum(table[packages[:, i]] for i, table in enumerate(space.tables))
    for column, (ufun, party) in enumerate(zip(loaded.ufuns, scenario.parties, strict=True)):
        raw = np.array([ufun(o) for o in outcomes])  # same order: both follow the issues
        slope, offset = np.polyfit(raw, zopa[:, column], 1)
        assert slope > 0
        assert zopa[:, column] == pytest.approx(slope * raw + offset, abs=1e-12)
        assert party.reservation.value == pytest.approx(
            max(0.0, slope * ufun.reserved_value + offset), abs=1e-12)


def test_from_negmas_refuses_what_it_cannot_read(negmas: ModuleType) -> None:
    from negmas import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction, LinearUtilityFunction

    space = make_os([make_issue(["a", "b"], name="x"), make_issue((0.0, 1.0), name="y")])
    with pytest.raises(ZopaError, match="issue 'y' is not discrete"):
        from_negmas(space, [])
    space = make_os([make_issue(["a", "b"], name="x"), make_issue(3, name="y")])
    ufun = LinearAdditiveUtilityFunction(values=[{"a": 1.0, "b": 0.0}, {0: 0.0, 1: 0.5, 2: 1.0}],
                                         weights=[0.5, 0.5], outcome_space=space,
                                         reserved_value=0.2)
    scenario = from_negmas(space, [ufun, ufun], names=["A", "B"])
    assert [o.position.value for o in scenario.issue("y").options] == [0.0, 50.0, 100.0]
    assert scenario.party("A").reservation.value == 0.2
    with pytest.raises(ZopaError, match="expected 2 names"):
        from_negmas(space, [ufun, ufun], names=["A"])
    missing = LinearAdditiveUtilityFunction(values=[{"a": 1.0}, {0: 0.0, 1: 0.5, 2: 1.0}],
                                            weights=[0.5, 0.5], outcome_space=space)
    with pytest.raises(ZopaError, match="gives no value to every option of issue 'x'"):
        from_negmas(space, [missing])
    linear = LinearUtilityFunction(weights=[2.0], outcome_space=make_os([make_issue(3, "n")]))
    assert [v.value for _, v in from_negmas(linear.outcome_space, [linear]).stances[0].values] \
        == [0.0, 0.5, 1.0]  # u = 2 * n, rescaled to 0-1
    with pytest.raises(ZopaError, match="linear-additive utility functions only"):
        from_negmas(space, [object()])
    high = LinearAdditiveUtilityFunction(values=[{"a": 1.0, "b": 0.0}, {0: 0, 1: 1, 2: 2}],
                                         weights=[1.0, 1.0], outcome_space=space,
                                         reserved_value=7.0)
    with pytest.raises(ZopaError, match="above the best outcome"):
        from_negmas(space, [high])


def test_missing_negmas_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                            harbour: Scenario) -> None:
    for name in [m for m in sys.modules if m == "negmas" or m.startswith("negmas.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "negmas", None)  # makes `import negmas` fail
    with pytest.raises(ZopaError, match=r"pip install 'zopa\[negmas\]'"):
        to_negmas(harbour)
