"""The turn loop of the Spatial Model of Politics and the history it records.

One turn: measure risk attitudes from the current positions, evaluate every
challenge, let each actor propose a bargain to its best target, resolve every
actor's queue by a group election, move everyone at once, let ideals
accommodate, and test the stopping rule. Positions here are on the 0-1 scale;
:class:`SmpRun` reports them on the 0-100 scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zopa.models.smp_bargain import Chooser, propose_bargains, resolve_queues
from zopa.models.smp_challenge import (
    challenge_table,
    perceived_attitudes,
    risk_attitudes,
    risk_utility,
    salience_distance,
)
from zopa.models.smp_voting import condorcet_election

if TYPE_CHECKING:
    from zopa.models.smp import SpatialModelOfPolitics

__all__ = ["SmpRun", "distinct_positions", "play"]

MIN_GAIN = 1e-5
"""A challenge is made only if the challenger expects to gain more than this."""
SAME_POSITION = 1e-3
"""Positions closer than this (Euclidean, 0-1 scale) count as one option when reporting."""
_FIRST_STEP_FLOOR = 1e-4
_SCALE = 100.0


@dataclass(frozen=True, slots=True, eq=False)
class SmpRun:
    """Everything a run of the Spatial Model of Politics recorded, turn by turn.

    Attributes
    ----------
    positions, ideals
        ``(turns + 1, n, m)`` on the 0-100 scale; index 0 is the input.
    win_probability
        ``(turns + 1, n)`` probability that each actor's position wins a PCE
        over the distinct positions of that turn (actors sharing a position
        show the same number, as KTAB logs it).
    risk_attitude
        ``(turns + 1, n)`` each actor's risk attitude R at that turn.
    outcomes
        ``(turns + 1, m)`` probability-weighted mean of the distinct positions.
    change_ratio
        ``(turns,)`` total movement in each turn divided by that of the first turn.
    bargains
        ``(turns,)`` how many bargains were proposed in each turn.
    converged
        Whether the stopping rule ended the run before ``max_rounds`` ran out.
    """

    positions: np.ndarray
    ideals: np.ndarray
    win_probability: np.ndarray
    risk_attitude: np.ndarray
    outcomes: np.ndarray
    change_ratio: np.ndarray
    bargains: np.ndarray
    converged: bool

    @property
    def turns(self) -> int:
        return int(self.change_ratio.size)


def distinct_positions(position: np.ndarray, tolerance: float = SAME_POSITION) -> np.ndarray:
    """``group[i]``: the first actor whose position i's joins (within ``tolerance``).

    Actors are taken in order; each joins the first earlier group leader within
    ``tolerance`` or leads a new group.

    Examples
    --------
    >>> distinct_positions(np.array([[0.1], [0.5], [0.1004]])).tolist()
    [0, 1, 0]
    """
    gap = ((position[:, None, :] - position[None, :, :]) ** 2).sum(axis=2)
    close = gap < tolerance**2
    first = np.argmax(close, axis=1)
    if np.array_equal(first[first], first):      # every first match leads its group
        return first
    group = np.arange(position.shape[0])
    leaders: list[int] = []
    for i in range(group.size):
        match = next((k for k in leaders if close[i, k]), None)
        if match is None:
            leaders.append(i)
        else:
            group[i] = match
    return group


@dataclass(frozen=True, slots=True, eq=False)
class _State:
    distance: np.ndarray
    attitude: np.ndarray
    own_utility: np.ndarray
    win: np.ndarray
    outcome: np.ndarray


def _state(model: SpatialModelOfPolitics, capability: np.ndarray, ideal: np.ndarray,
           salience: np.ndarray, position: np.ndarray) -> _State:
    """Attitudes, utilities and the chance of each distinct position in one state."""
    distance = salience_distance(ideal, salience, position)
    attitude = risk_attitudes(capability, distance, big_r_range=model.big_r_range,
                              voting=model.voting, victory=model.victory_probability,
                              pce=model.pce)
    own_utility = risk_utility(distance, attitude[:, None])
    group = distinct_positions(position)
    leads = group == np.arange(group.size)
    leaders = np.flatnonzero(leads)
    chances = condorcet_election(capability, own_utility[:, leaders], voting=model.voting,
                                 victory=model.victory_probability, pce=model.pce)
    win = chances[(np.cumsum(leads) - 1)[group]]
    return _State(distance, attitude, own_utility, win, chances @ position[leaders])


def _step(model: SpatialModelOfPolitics, capability: np.ndarray, ideal: np.ndarray,
          salience: np.ndarray, position: np.ndarray, state: _State,
          chooser: Chooser) -> tuple[np.ndarray, int]:
    """New positions after one round of challenges and bargains, and the number of bargains."""
    perceived = perceived_attitudes(state.attitude, model.big_r_adjust)
    table = challenge_table(capability, salience, state.distance, perceived,
                            voting=model.voting, victory=model.victory_probability)
    target = np.argmax(table.gain, axis=1)
    actors = np.arange(position.shape[0])
    challengers = np.flatnonzero(table.gain[actors, target] > MIN_GAIN)
    targets = target[challengers]
    bargains = propose_bargains(challengers, targets,
                                table.win_probability[challengers, targets],
                                position, salience, model.bargain)
    moved = resolve_queues(bargains, position, ideal, salience, capability, state.attitude,
                           state.own_utility, voting=model.voting,
                           victory=model.victory_probability, pce=model.pce, chooser=chooser)
    return moved, bargains.size


def _accommodate(ideal: np.ndarray, position: np.ndarray,
                 accommodation: np.ndarray | None) -> np.ndarray:
    """Ideals move toward positions: ``theta <- A x + (1 - rowsum A) theta``."""
    if accommodation is None:
        return position.copy()
    keep = 1.0 - accommodation.sum(axis=1)
    return accommodation @ position + keep[:, None] * ideal


def play(model: SpatialModelOfPolitics, capability: np.ndarray, position: np.ndarray,
         salience: np.ndarray, *, make_chooser: Callable[[int], Chooser],
         accommodation: np.ndarray | None = None) -> SmpRun:
    """Run turns until the stopping rule holds or ``model.max_rounds`` are played.

    Parameters
    ----------
    capability, position, salience
        ``(n,)``, ``(n, m)`` on 0-1, ``(n, m)`` with rows summing to at most 1.
    make_chooser
        ``turn -> Chooser``: the rule that picks queue entries in that turn.
    accommodation
        ``(n, n)`` ideal-adjustment matrix; None means identity (ideals follow positions).
    """
    ideal = position.copy()
    history, ideals = [position], [ideal]
    attitudes, wins, outcomes, ratios, counts = [], [], [], [], []
    first_step = None
    converged = False
    for turn in range(1, model.max_rounds + 1):
        state = _state(model, capability, ideal, salience, position)
        attitudes.append(state.attitude)
        wins.append(state.win)
        outcomes.append(state.outcome)
        moved, count = _step(model, capability, ideal, salience, position, state,
                             make_chooser(turn))
        change = float(np.sqrt(((moved - position) ** 2).sum(axis=1)).sum())
        if first_step is None:
            first_step = change + _FIRST_STEP_FLOOR
        ideal = _accommodate(ideal, moved, accommodation)
        position = moved
        history.append(position)
        ideals.append(ideal)
        ratios.append(change / first_step)
        counts.append(count)
        if turn >= model.min_rounds and ratios[-1] < model.tolerance:
            converged = True
            break
    final = _state(model, capability, ideal, salience, position)
    attitudes.append(final.attitude)
    wins.append(final.win)
    outcomes.append(final.outcome)
    return SmpRun(np.array(history) * _SCALE, np.array(ideals) * _SCALE, np.array(wins),
                  np.array(attitudes), np.array(outcomes) * _SCALE, np.array(ratios),
                  np.array(counts, dtype=int), converged)
