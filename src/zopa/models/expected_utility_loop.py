"""Rounds, stopping and bookkeeping of the expected-utility model.

:func:`simulate` plays rounds of :mod:`zopa.models.expected_utility_round` on
every issue that has not stopped yet, checks each issue against the stopping rule
after every round, and collects the positions, forecasts and accepted offers.
The options it reads are those of :class:`~zopa.models.expected_utility.ExpectedUtility`.

References
----------
Bueno de Mesquita, B. (2002). *Predicting Politics*. Ohio State University Press.
Scholz, J. B., Calbert, G. J., & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
group decision model. *Journal of Theoretical Politics* 23(4), 510–531.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from zopa.models.base import Forecast, SpatialData
from zopa.models.compromise import weighted_mean
from zopa.models.expected_utility_round import (
    Exchange,
    expected_utilities,
    resolve_offers,
    risk_exponents,
    vote_margins,
    win_probabilities,
)
from zopa.models.median import weighted_median

__all__ = ["AGREED", "CYCLE", "RUNNING", "SETTLED", "STEADY", "Book", "ExpectedUtilityRun",
           "normalised_salience", "simulate"]

# What happened to an issue: still playing, at rest, forecast steady (stopping="forecast"),
# caught in a cycle, or agreed from the start.
RUNNING, SETTLED, STEADY, CYCLE, AGREED = 0, 1, 2, 3, 4


def normalised_salience(salience: np.ndarray) -> np.ndarray:
    """Saliences on BdM's [0, 1] scale: as given if all lie in [0, 1], else divided by the largest.

    Examples
    --------
    >>> normalised_salience(np.array([[0.2, 1.0]])).tolist()
    [[0.2, 1.0]]
    >>> normalised_salience(np.array([[20.0, 80.0]])).tolist()
    [[0.25, 1.0]]
    """
    top = float(salience.max()) if salience.size else 0.0
    return salience / top if top > 1.0 else salience


@dataclass(frozen=True, slots=True, eq=False)
class ExpectedUtilityRun:
    """A forecast with the round-by-round detail behind it.

    The offer arrays are ``(rounds, n, m)`` like the forecast's trajectory: entry
    ``[t, i, k]`` describes the offer actor ``i`` accepted on issue ``k`` in round
    ``t + 1``.

    Attributes
    ----------
    forecast
        The :class:`~zopa.models.base.Forecast`.
    kind
        Offer kind codes (see :data:`~zopa.models.expected_utility_round.OFFER_KINDS`).
    proposer
        Index of the proposing actor, -1 where no offer was accepted.
    own_utility, proposer_utility
        ``E_ij`` and ``E_ji`` of the accepted offer as the receiver saw them (NaN for none).
    risk_exponent
        ``(rounds, n, m)`` every actor's risk exponent in each round.
    rounds_played
        ``(m,)`` rounds played on each issue before it stopped.
    """

    forecast: Forecast
    kind: np.ndarray
    proposer: np.ndarray
    own_utility: np.ndarray
    proposer_utility: np.ndarray
    risk_exponent: np.ndarray
    rounds_played: np.ndarray


@dataclass(slots=True)
class _Inputs:
    """Issues-first arrays of one run (``(m, n)`` unless noted)."""

    weight: np.ndarray
    salience: np.ndarray
    active: np.ndarray
    spread: np.ndarray  # (m,)

    def take(self, issues: np.ndarray) -> _Inputs:
        return _Inputs(self.weight[issues], self.salience[issues], self.active[issues],
                       self.spread[issues])


def _prepare(data: SpatialData) -> tuple[np.ndarray, _Inputs]:
    salience = normalised_salience(data.salience).T
    weight = data.capability_matrix().T * salience
    active = salience > 0
    x = data.position.T.astype(float)
    high = np.where(active, x, -np.inf).max(axis=1)
    low = np.where(active, x, np.inf).min(axis=1)
    spread = np.where(active.any(axis=1), high - low, 0.0)
    return x, _Inputs(weight, salience, active, spread)


def _decide(x: np.ndarray, weight: np.ndarray, rule: str) -> np.ndarray:
    """Decision-rule position of each issue from ``(m, n)`` positions."""
    if rule == "mean":
        return weighted_mean(x.T, weight.T)
    return weighted_median(x.T, weight.T)


def _play_round(model: Any, x: np.ndarray, inputs: _Inputs) -> tuple[Exchange, np.ndarray]:
    """One round on a subset of issues: risk exponents, then offers; returns moves and r."""
    spread = np.where(inputs.spread > 0, inputs.spread, 1.0)[:, None, None]
    distance = np.abs(x[:, :, None] - x[:, None, :]) / spread
    to_forecast = np.zeros_like(x)
    if model.q < 1.0:
        forecast = _decide(x, inputs.weight, model.decision_rule)
        to_forecast = np.abs(x - forecast[:, None]) / spread[:, :, 0]
    neutral = win_probabilities(vote_margins(distance, inputs.weight, None),
                                model.win_probability, inputs.active)
    risk = risk_exponents(expected_utilities(distance, to_forecast, neutral, inputs.salience,
                                             None, model.q, model.t), inputs.active)
    probability = win_probabilities(vote_margins(distance, inputs.weight, risk),
                                    model.win_probability, inputs.active)

    def utilities(exponent: np.ndarray) -> np.ndarray:
        return expected_utilities(distance, to_forecast, probability, inputs.salience,
                                  exponent, model.q, model.t)

    by_challenger = utilities(np.broadcast_to(risk[:, :, None], distance.shape))
    if model.risk_exponent_of == "own":
        proposer_side = np.swapaxes(by_challenger, 1, 2)
    else:  # the receiver's exponent, also for the proposer's challenge of the receiver
        proposer_side = np.swapaxes(utilities(np.broadcast_to(risk[:, None, :], distance.shape)),
                                    1, 2)
    eligible = inputs.active[:, :, None] & inputs.active[:, None, :] & (distance > 0)
    exchange = resolve_offers(x, by_challenger, proposer_side, eligible, model.offer_resolution)
    return exchange, risk


@dataclass(slots=True)
class Book:
    """Everything recorded while the rounds are played (issues first, one entry per round).

    ``status`` is one of the module constants per issue; ``rest`` whether the last
    round played on the issue left it at rest; ``cycle`` the length of the cycle the
    issue's state was in at its last round (0 for none); ``played`` its rounds.
    """

    positions: list[np.ndarray]
    outcomes: list[np.ndarray]
    exchanges: list[Exchange]
    risks: list[np.ndarray]
    status: np.ndarray
    rest: np.ndarray
    cycle: np.ndarray
    played: np.ndarray


def _start(x: np.ndarray, inputs: _Inputs, rule: str) -> Book:
    m = x.shape[0]
    agreed = inputs.spread <= 0
    return Book([x], [_decide(x, inputs.weight, rule)], [], [],
                np.where(agreed, AGREED, RUNNING), agreed.copy(),
                np.zeros(m, dtype=int), np.zeros(m, dtype=int))


def _record(book: Book, live: np.ndarray, exchange: Exchange, risk: np.ndarray,
            inputs: _Inputs, rule: str) -> None:
    """Append one round: issues not in ``live`` keep their positions and make no offers."""
    m, n = book.positions[-1].shape
    x = book.positions[-1].copy()
    x[live] = exchange.position
    full = Exchange(x, np.zeros((m, n), dtype=np.int8), np.full((m, n), -1),
                    np.full((m, n), np.nan), np.full((m, n), np.nan))
    for name in ("kind", "proposer", "own_utility", "proposer_utility"):
        getattr(full, name)[live] = getattr(exchange, name)
    r = np.ones((m, n))
    r[live] = risk
    book.positions.append(x)
    book.outcomes.append(_decide(x, inputs.weight, rule))
    book.exchanges.append(full)
    book.risks.append(r)
    book.played[live] += 1


def _cycle_length(history: np.ndarray, active: np.ndarray, tolerance: float) -> np.ndarray:
    """Rounds since the latest earlier state (two or more rounds back) within ``tolerance``."""
    earlier = history[:-2]
    if earlier.shape[0] == 0:
        return np.zeros(history.shape[1], dtype=int)
    gap = np.where(active[None], np.abs(earlier - history[-1][None]), 0.0).max(axis=2)
    repeats = gap < tolerance  # (earlier rounds, issues)
    latest = earlier.shape[0] - 1 - np.argmax(repeats[::-1], axis=0)
    return np.where(repeats.any(axis=0), history.shape[0] - 1 - latest, 0)


def _update_status(book: Book, live: np.ndarray, inputs: _Inputs, model: Any) -> None:
    """Apply the stopping rule to the issues that played this round."""
    history = np.stack(book.positions)[:, live]  # (rounds + 1, live issues, n)
    active = inputs.active[live]
    moved = np.where(active, np.abs(history[-1] - history[-2]), 0.0).max(axis=1)
    steady = np.abs(book.outcomes[-1][live] - book.outcomes[-2][live]) < model.tolerance
    rest = steady & (moved < model.tolerance)
    cycle = np.where(rest, 0, _cycle_length(history, active, model.tolerance))
    book.rest[live], book.cycle[live] = rest, cycle
    if model.stopping == "rounds":
        return
    status = np.where(rest, SETTLED, RUNNING)
    if model.stopping == "forecast":
        status = np.where(steady & ~rest, STEADY, status)
    book.status[live] = np.where((status == RUNNING) & (cycle > 0), CYCLE, status)


def simulate(model: Any, data: SpatialData) -> tuple[Book, np.ndarray]:
    """Play rounds until every issue stops or ``model.max_rounds`` are played.

    Returns the record of the rounds and the ``(m, n)`` mask of actors that took
    part in each issue (those with a positive salience).
    """
    x, inputs = _prepare(data)
    book = _start(x, inputs, model.decision_rule)
    for _ in range(model.max_rounds):
        live = np.flatnonzero(book.status == RUNNING)
        if live.size == 0:
            break
        exchange, risk = _play_round(model, book.positions[-1][live], inputs.take(live))
        _record(book, live, exchange, risk, inputs, model.decision_rule)
        _update_status(book, live, inputs, model)
    if model.stopping == "rounds":
        ending = np.where(book.rest, SETTLED, np.where(book.cycle > 0, CYCLE, RUNNING))
        book.status = np.where(book.status == AGREED, AGREED, ending)
    return book, inputs.active
