"""Theory checks of the scenario-level analyses against brute-force enumeration.

Random small scenarios (with red lines and reservations) are enumerated package
by package; every analysis must agree exactly with the enumeration.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.analysis import DealSpace, evaluate_plan, find_zopa, solve
from zopa.analysis.bargaining import CONCEPTS, solutions_of_space
from zopa.analysis.frontier import frontier_of_space
from zopa.analysis.plans import evaluate_package
from zopa.analysis.results import Provenance
from zopa.scenario import Scenario, Uncertain
from zopa.scenario.synthetic import random_scenario


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    parties = draw(st.integers(1, 4))
    issues = draw(st.integers(1, 4))
    options = draw(st.integers(2, 3))
    seed = draw(st.integers(0, 10_000))
    scenario = random_scenario(parties, issues, options, rng=seed)
    scale = draw(st.sampled_from([0.0, 1.0, 1.5]))  # none, normal, demanding reservations
    parties_ = tuple(dataclasses.replace(
        p, reservation=Uncertain.point(min(1.0, round(p.reservation.value * scale, 6))))
        for p in scenario.parties)
    vetoes = draw(st.lists(st.tuples(st.integers(0, parties - 1), st.integers(0, issues - 1),
                                     st.integers(0, options - 1)), max_size=3))
    stances = {(s.party, s.issue): s for s in scenario.stances}
    for p, i, o in vetoes:
        key = (f"p{p + 1}", f"issue{i + 1}")
        stance = stances[key]
        stances[key] = dataclasses.replace(stance, red_lines=stance.red_lines | {f"o{o + 1}"})
    return scenario.replace(parties=parties_, stances=tuple(stances.values()))


def _all_packages(space: DealSpace) -> np.ndarray:
    shape = [len(o) for o in space.options]
    return np.array(list(itertools.product(*[range(m) for m in shape])), dtype=np.intp)


def _admissible(space: DealSpace, packages: np.ndarray) -> np.ndarray:
    ok = np.ones(len(packages), dtype=bool)
    for i, vetoed in enumerate(space.vetoed):
        ok &= ~vetoed.any(axis=1)[packages[:, i]]
    return ok


def _zopa_mask(space: DealSpace, packages: np.ndarray) -> np.ndarray:
    utilities = space.fixed_utilities(packages)
    return _admissible(space, packages) & np.all(utilities >= space.reservation_floor, axis=1)


def _pareto_rows(points: np.ndarray) -> set[tuple[int, ...]]:
    keep = set()
    for a in points:
        dominated = np.any(np.all(points >= a, axis=1) & np.any(points > a, axis=1))
        if not dominated:
            keep.add(tuple(int(x) for x in a))
    return keep


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_zopa_matches_enumeration(scenario: Scenario) -> None:
    space = DealSpace.from_scenario(scenario)
    packages = _all_packages(space)
    mask = _zopa_mask(space, packages)
    result = find_zopa(scenario)
    assert result.exists == bool(mask.any())
    assert result.size == int(mask.sum())
    assert result.admissible_size == int(_admissible(space, packages).sum())
    expected = _pareto_rows(space.fixed_utilities(packages[mask])) if mask.any() else set()
    assert {tuple(int(x) for x in row) for row in result.frontier.fixed_utilities} == expected


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_zopa_empty_iff_some_party_falls_short(scenario: Scenario) -> None:
    space = DealSpace.from_scenario(scenario)
    packages = _all_packages(space)
    utilities = space.fixed_utilities(packages)
    admissible = _admissible(space, packages)
    floor = space.reservation_floor
    result = find_zopa(scenario)
    for p, reach in enumerate(result.reach):
        others = np.delete(utilities >= floor, p, axis=1).all(axis=1) & admissible
        if not others.any():
            assert reach.reach is None
        else:
            assert reach.reach == pytest.approx(utilities[others, p].max() / 2**40, abs=1e-9)
    assert (not result.exists) == any(r.reach is None or (r.shortfall or 0) > 0
                                     for r in result.reach)


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_solutions_lie_on_frontier_and_optimise(scenario: Scenario) -> None:
    space = DealSpace.from_scenario(scenario)
    packages = _all_packages(space)
    mask = _zopa_mask(space, packages)
    result = solve(scenario)
    assert result.zopa_exists == bool(mask.any())
    if not mask.any():
        assert result.solutions == ()
        return
    frontier_rows = {tuple(int(x) for x in row) for row in result.frontier.fixed_utilities}
    gains = space.fixed_utilities(packages[mask]) - space.reservation_floor
    best_nash = max(int(np.prod(g.astype(object))) for g in gains)
    for solution in result.solutions:
        package = space.package_from_choices(solution.choices)
        row = space.fixed_utilities(np.array([package]))[0]
        assert tuple(int(x) for x in row) in frontier_rows
        assert _zopa_mask(space, np.array([package]))[0]
    nash = result.get("nash")
    assert nash is not None
    nash_gain = space.fixed_utilities(np.array([space.package_from_choices(nash.choices)]))[0]
    assert int(np.prod((nash_gain - space.reservation_floor).astype(object))) == best_nash


def _rescaled(space: DealSpace, party: int, factor: int, shift: int) -> DealSpace:
    fixed = [t.copy() for t in space.fixed]
    for i, table in enumerate(fixed):
        table[:, party] *= factor
        if i == 0:
            table[:, party] += shift
    floor = space.reservation_floor.copy()
    floor[party] = floor[party] * factor + shift
    reservations = floor / 2**40
    return dataclasses.replace(space, fixed=tuple(fixed), reservations=reservations)


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.integers(0, 3), st.integers(1, 5), st.integers(0, 2**38))
def test_nash_and_ks_invariant_to_affine_rescaling(
    scenario: Scenario, party: int, factor: int, shift: int
) -> None:
    space = DealSpace.from_scenario(scenario)
    party = party % space.n_parties
    made = Provenance("test")
    before = solutions_of_space(space, disagreement="reservations", made=made)
    after = solutions_of_space(_rescaled(space, party, factor, shift),
                               disagreement="reservations", made=made)
    assert len(before.frontier) == len(after.frontier)
    for concept in ("nash", "kalai-smorodinsky"):
        a, b = before.get(concept), after.get(concept)
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert a.choices == b.choices


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_minimal_unblocking_change_is_minimal(scenario: Scenario) -> None:
    space = DealSpace.from_scenario(scenario)
    packages = _all_packages(space)
    mask = _zopa_mask(space, packages)
    result = evaluate_plan(scenario, "plan-a")
    plan = np.array(space.package_of(scenario.proposal("plan-a")))
    if not mask.any():
        assert result.unblocking is None
        return
    fewest = int((packages[mask] != plan).sum(axis=1).min())
    assert result.unblocking is not None
    assert len(result.unblocking.changes) == fewest
    fixed = np.array([space.package_from_choices(result.unblocking.choices)])
    assert _zopa_mask(space, fixed)[0]
    assert all(v.accepts for v in result.unblocking.verdicts)
    assert result.accepted == (fewest == 0)


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_closest_package_maximises_the_smallest_surplus(scenario: Scenario) -> None:
    space = DealSpace.from_scenario(scenario)
    packages = _all_packages(space)
    admissible = _admissible(space, packages)
    result = find_zopa(scenario)
    if not admissible.any():
        assert result.closest is None
        return
    surplus = space.fixed_utilities(packages[admissible]) - space.reservation_floor
    assert result.closest is not None
    chosen = np.array([space.package_from_choices(result.closest.choices)])
    assert _admissible(space, chosen)[0]
    smallest = (space.fixed_utilities(chosen) - space.reservation_floor).min()
    assert smallest == surplus.min(axis=1).max()


@settings(max_examples=50, deadline=None)
@given(scenarios())
def test_a_package_evaluated_with_the_known_closest_package_is_the_same(
        scenario: Scenario) -> None:
    """The web app passes find_zopa's closest package in rather than recomputing it."""
    space = DealSpace.from_scenario(scenario)
    package = space.package_of(scenario.proposal("plan-a"))
    made = Provenance("test", (), "")
    known = evaluate_package(space, package, name="plan-a", made=made,
                             closest=find_zopa(scenario).closest)
    assert known == evaluate_package(space, package, name="plan-a", made=made)


def test_frontier_without_reservations_contains_zopa_frontier() -> None:
    scenario = random_scenario(3, 6, 3, rng=11)
    space = DealSpace.from_scenario(scenario)
    full = frontier_of_space(space)
    zopa = frontier_of_space(space, within_reservations=True)
    full_rows = {tuple(r) for r in full.fixed_utilities.tolist()}
    assert {tuple(r) for r in zopa.fixed_utilities.tolist()} <= full_rows


def test_every_concept_reported() -> None:
    result = solve(random_scenario(3, 5, 3, reservations=False, rng=2))
    assert [s.concept for s in result.solutions] == list(CONCEPTS)
