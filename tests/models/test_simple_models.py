"""Properties of the compromise, weighted-median and Nash-bargaining models."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from zopa.models.compromise import weighted_mean
from zopa.models.median import weighted_median
from zopa.models.nash import nash_bargaining

# Positions on a 0.1 grid, as analysts code them (avoids subnormal-float artefacts).
positions = arrays(np.float64, (5, 3), elements=st.integers(0, 1000).map(lambda v: v / 10))
weights = arrays(np.float64, (5, 3), elements=st.floats(0.01, 10))


@settings(max_examples=200, deadline=None)
@given(positions, weights)
def test_weighted_mean_minimises_weighted_squares(x: np.ndarray, w: np.ndarray) -> None:
    mean = weighted_mean(x, w)
    def loss(k: int, o: float) -> float:
        return float((w[:, k] * (x[:, k] - o) ** 2).sum())

    for k in range(x.shape[1]):
        assert loss(k, mean[k]) <= loss(k, mean[k] + 0.01) + 1e-9
        assert loss(k, mean[k]) <= loss(k, mean[k] - 0.01) + 1e-9


@settings(max_examples=200, deadline=None)
@given(positions, weights)
def test_weighted_median_beats_every_position_in_pairwise_votes(x: np.ndarray,
                                                                w: np.ndarray) -> None:
    median = weighted_median(x, w)
    for k in range(x.shape[1]):
        for rival in x[:, k]:
            closer_to_median = w[:, k][np.abs(x[:, k] - median[k]) < np.abs(x[:, k] - rival)]
            closer_to_rival = w[:, k][np.abs(x[:, k] - rival) < np.abs(x[:, k] - median[k])]
            assert closer_to_median.sum() >= closer_to_rival.sum() - 1e-9


@settings(max_examples=200, deadline=None)
@given(positions, weights)
def test_median_and_mean_reflect_with_the_scale(x: np.ndarray, w: np.ndarray) -> None:
    np.testing.assert_allclose(weighted_median(100 - x, w), 100 - weighted_median(x, w),
                               atol=1e-9)
    np.testing.assert_allclose(weighted_mean(100 - x, w), 100 - weighted_mean(x, w), atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(positions, weights)
def test_nash_stays_between_the_ideals(x: np.ndarray, w: np.ndarray) -> None:
    solution = nash_bargaining(x, w, np.full(3, np.nan))
    assert np.all(solution >= x.min(axis=0) - 1e-6)
    assert np.all(solution <= x.max(axis=0) + 1e-6)


def test_nash_symmetric_and_weighted() -> None:
    x = np.array([[20.0], [80.0]])
    assert abs(nash_bargaining(x, np.ones((2, 1)), np.array([np.nan]))[0] - 50) < 1e-6
    heavier = nash_bargaining(x, np.array([[3.0], [1.0]]), np.array([np.nan]))[0]
    assert heavier < 50


def test_nash_with_status_quo_between_ideals_stays_put() -> None:
    x = np.array([[20.0], [80.0]])
    assert nash_bargaining(x, np.ones((2, 1)), np.array([50.0]))[0] == 50.0


def test_nash_with_status_quo_outside_moves_towards_agreement() -> None:
    x = np.array([[20.0], [40.0]])
    solution = nash_bargaining(x, np.ones((2, 1)), np.array([100.0]))[0]
    assert 20 <= solution <= 40
