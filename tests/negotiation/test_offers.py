"""Offers picked from the exact frontier; reservations on later days."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.analysis.frontier import frontier_of_space
from zopa.analysis.space import DealSpace
from zopa.negotiation.offers import OfferSpace, clear_cache, offer_space
from zopa.scenario import Scenario
from zopa.scenario.synthetic import random_scenario


def _score(utilities: np.ndarray, party: int) -> np.ndarray:
    low, high = utilities.min(axis=0), utilities.max(axis=0)
    scaled = (utilities - low) / np.where(high > low, high - low, 1.0)
    others = np.delete(scaled, party, axis=1)
    return others.min(axis=1) + 1e-6 * others.mean(axis=1)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), parties=st.integers(2, 4), issues=st.integers(1, 4),
       target=st.floats(0.0, 1.0))
def test_offer_is_the_best_for_the_others_among_packages_meeting_the_target(
        seed: int, parties: int, issues: int, target: float) -> None:
    offers = OfferSpace.build(random_scenario(parties, issues, 3, rng=seed))
    for p in range(parties):
        row = offers.offer(p, target)
        meets = np.flatnonzero(offers.utilities[:, p] >= target)
        if meets.size == 0:
            assert row == offers.best_row(p)
            continue
        assert offers.utilities[row, p] >= target
        score = _score(offers.utilities, p)
        assert score[row] == score[meets].max()
        rows = offers.offers(p, np.array([target, 0.0, 2.0]))
        assert rows[0] == row and rows[2] == offers.best_row(p)


def test_offers_come_from_the_exact_frontier(harbour: Scenario) -> None:
    offers = OfferSpace.build(harbour)
    frontier = frontier_of_space(DealSpace.from_scenario(harbour))
    assert offers.packages.shape == (len(frontier), len(harbour.issues))
    np.testing.assert_array_equal(offers.utilities, frontier.fixed_utilities / 2**40)
    for package in offers.packages:
        assert DealSpace.from_scenario(harbour).red_lines_hit(package) == []


def test_floors_follow_the_scenarios_clocks(harbour: Scenario) -> None:
    offers = offer_space(harbour)
    days = np.array([0.0, 10.0, 45.5, 90.0])
    floors = offers.floors(days, 90.0)
    for day, row in zip(days, floors, strict=True):
        expected = [p.reservation.value for p in harbour.at(float(day)).parties]
        np.testing.assert_allclose(row, expected, atol=1e-9)
    assert offers.floors_of(np.array([[0.0, 90.0, 0.0]]), 90.0)[0, 1] == pytest.approx(0.4)


def test_floors_without_clocks_are_constant() -> None:
    scenario = random_scenario(3, 2, 3, rng=5)
    floors = offer_space(scenario).floors(np.array([0.0, 50.0]), 90.0)
    np.testing.assert_array_equal(floors[0], floors[1])
    assert np.all(floors[0] >= [p.reservation.value for p in scenario.parties])


def test_cache_is_by_identity() -> None:
    clear_cache()
    a = random_scenario(3, 2, 3, rng=1)
    b = random_scenario(3, 2, 3, rng=1)
    assert offer_space(a) is offer_space(a)
    assert offer_space(b) is not offer_space(a)
    clear_cache()
    assert offer_space(a) is not None
