"""Concession curves: where they start and end, their order, and tit-for-tat's mirror."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zopa.errors import ModelError
from zopa.negotiation.strategies import (
    STRATEGIES,
    Boulware,
    Conceder,
    History,
    Linear,
    ReservationAware,
    TimeDependent,
    TitForTat,
    strategy_named,
    time_levels,
)

TIMES = st.floats(0.0, 1.0, allow_nan=False)
BETAS = st.floats(0.05, 20.0, allow_nan=False)
TIME_BASED = [Boulware(), Linear(), Conceder(), ReservationAware()]


def _level(strategy, t: float, round_fraction: float = 0.0) -> float:
    return strategy.target(t, History(0, [1.0, 1.0], round_fraction))


@pytest.mark.parametrize("strategy", TIME_BASED, ids=lambda s: s.name)
def test_time_based_curves_start_at_one_and_end_at_zero(strategy) -> None:
    assert _level(strategy, 0.0) == 1.0
    assert _level(strategy, 1.0) == 0.0
    grid = np.linspace(0, 1, 201)
    levels = strategy.levels(grid, 0.0)
    assert np.all(np.diff(levels) <= 0), "never rises"
    assert np.all((levels >= 0) & (levels <= 1))


@given(t=TIMES, beta=BETAS)
def test_scalar_target_equals_vectorised_levels(t: float, beta: float) -> None:
    for strategy in (TimeDependent(beta), ReservationAware(beta)):
        for size in (1, 2, 7, 64):
            vector = strategy.levels(np.full(size, t), 0.2)
            assert np.all(vector == _level(strategy, t, 0.2))


@given(t=TIMES)
def test_boulware_concedes_later_than_linear_and_linear_later_than_conceder(t: float) -> None:
    boulware, linear, conceder = (_level(s, t) for s in (Boulware(), Linear(), Conceder()))
    assert boulware >= linear >= conceder
    if 0.01 < t < 0.99:
        assert boulware > linear > conceder


@given(early=TIMES, late=TIMES, beta=BETAS)
def test_every_time_dependent_curve_is_monotone(early: float, late: float, beta: float) -> None:
    early, late = sorted((early, late))
    strategy = TimeDependent(beta)
    assert _level(strategy, early) >= _level(strategy, late)


@given(fraction=st.floats(0.0, 0.5), t=TIMES)
def test_reservation_aware_reaches_its_floor_one_exchange_early(fraction: float,
                                                                t: float) -> None:
    aware = ReservationAware(beta=1.0)
    assert _level(aware, 1.0 - fraction, fraction) == 0.0
    assert _level(aware, t, fraction) <= _level(Linear(), t)  # faster as the deadline nears
    assert aware.tracks_reservation and not Boulware().tracks_reservation


def test_tit_for_tat_mirrors_the_opponents_concession() -> None:
    latest = [1.0, 1.0, 1.0]
    me, a, b = (History(p, latest) for p in range(3))
    tft = TitForTat()
    assert tft.target(0.0, me) == 1.0  # opening move
    me.record(1.0)
    a.record(0.8)
    b.record(0.6)
    assert tft.target(0.1, me) == pytest.approx(1.0 - (0.2 + 0.4) / 2)
    me.record(0.7)
    assert tft.target(0.2, me) == pytest.approx(0.7), "nobody moved: hold"
    a.record(0.9)  # a retracts: tit-for-tat does not follow upwards
    assert tft.target(0.3, me) == pytest.approx(0.7)
    assert TitForTat(minimum_concession=0.1).target(0.3, me) == pytest.approx(0.6)


def test_tit_for_tat_never_goes_below_zero() -> None:
    latest = [0.05, 1.0]
    me, other = History(0, latest), History(1, latest)
    me.record(0.05)
    other.record(0.0)
    assert TitForTat().target(0.5, me) == 0.0


def test_named_strategies_and_errors() -> None:
    assert set(STRATEGIES) == {"boulware", "conceder", "linear", "tit-for-tat",
                               "reservation-aware"}
    for name, strategy in STRATEGIES.items():
        assert strategy_named(name) is strategy
        assert strategy.name == name
        assert pickle.loads(pickle.dumps(strategy)) == strategy
    assert strategy_named("Reservation_Aware") is STRATEGIES["reservation-aware"]
    assert strategy_named(Boulware(0.1)) == Boulware(0.1)
    with pytest.raises(ModelError, match="unknown strategy"):
        strategy_named("stubborn")
    for bad in (lambda: Boulware(2.0), lambda: Conceder(0.5), lambda: Linear(2.0),
                lambda: TimeDependent(0.0), lambda: TitForTat(-0.1)):
        with pytest.raises(ModelError):
            bad()


def test_only_tit_for_tat_reads_the_history() -> None:
    t = np.linspace(0, 1, 5)
    assert time_levels(TitForTat(), t, 0.0) is None
    for strategy in TIME_BASED:
        assert time_levels(strategy, t, 0.0) is not None
