"""Bargains in the Spatial Model of Politics: proposing them and choosing among them.

A challenger that expects to gain proposes a bargain to its target: a point
between their positions, nearer to whoever is more likely to win and cares
more. The bargain joins both actors' queues. Every queue also holds the status
quo. Each actor then adopts the bargain in its queue that the whole group
would choose in a Probabilistic Condorcet Election over the states the
bargains would produce; all actors move at once.

References
----------
KAPSARC. *Multidimensional Bargaining Using KTAB*. KAPSARC discussion paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from zopa.models.smp_challenge import risk_utility, salience_distance
from zopa.models.smp_voting import condorcet_election

__all__ = [
    "BARGAIN_RULES",
    "BargainRule",
    "Bargains",
    "Chooser",
    "propose_bargains",
    "resolve_queues",
]

BargainRule = Literal["s2p2", "s1p1"]
BARGAIN_RULES: tuple[str, ...] = ("s2p2", "s1p1")
Chooser = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
"""``chooser(actors, chances, candidates)`` -> index of the queue entry each actor adopts.

For a batch of k actors: ``chances`` ``(k, size)`` are the elections' probabilities of
the queue entries (the status quo first; 0 beyond the end of a shorter queue) and
``candidates`` ``(k, size, m)`` the positions each actor would take under each entry."""

_OWN_WEIGHT = 1e-6
_DECIMALS = 4
_ONE_BATCH = 1 << 18


@dataclass(frozen=True, slots=True, eq=False)
class Bargains:
    """The bargains proposed in one turn, one per challenging actor.

    Attributes
    ----------
    initiator, target
        ``(b,)`` indices of the proposing actor and of the actor it challenged.
    initiator_position, target_position
        ``(b, m)`` where each of the two would move if the bargain is adopted.
    """

    initiator: np.ndarray
    target: np.ndarray
    initiator_position: np.ndarray
    target_position: np.ndarray

    @property
    def size(self) -> int:
        return int(self.initiator.size)


def propose_bargains(initiator: np.ndarray, target: np.ndarray, p_win: np.ndarray,
                     position: np.ndarray, salience: np.ndarray, rule: str) -> Bargains:
    """Interpolate each initiator's bargain with its target, dimension by dimension.

    With ``P`` the initiator's estimate of its chance of winning, the weights
    are ``(s_i P)^2`` and ``(s_j (1 - P))^2`` for ``s2p2`` (``s P`` for
    ``s1p1``). Each side's copy of the point adds a weight of 1e-6 to its own
    position (which breaks exact ties in the later elections), and both copies
    are rounded to 4 decimals on the 0-1 scale.
    """
    power = 2 if rule == "s2p2" else 1
    if rule not in ("s2p2", "s1p1"):
        raise ValueError(f"unknown bargain rule {rule!r}")
    p = p_win[:, None]
    w_i = (salience[initiator] * p) ** power
    w_j = (salience[target] * (1.0 - p)) ** power
    x_i, x_j = position[initiator], position[target]
    for_i = ((w_i + _OWN_WEIGHT) * x_i + w_j * x_j) / (w_i + w_j + _OWN_WEIGHT)
    for_j = (w_i * x_i + (w_j + _OWN_WEIGHT) * x_j) / (w_i + w_j + _OWN_WEIGHT)
    return Bargains(initiator, target, np.round(for_i, _DECIMALS), np.round(for_j, _DECIMALS))


def _bargain_utilities(bargains: Bargains, ideal: np.ndarray, salience: np.ndarray,
                       own_utility: np.ndarray, attitude: np.ndarray) -> np.ndarray:
    """``U[a, b]``: actor a's mean utility over all positions after bargain b (b = 0: no change)."""
    n = own_utility.shape[0]
    total = own_utility.sum(axis=1)
    utility = np.empty((n, bargains.size + 1))
    utility[:, 0] = total / n
    if bargains.size:
        moved = np.concatenate([bargains.initiator_position, bargains.target_position])
        after = risk_utility(salience_distance(ideal, salience, moved), attitude[:, None])
        before = own_utility[:, bargains.initiator] + own_utility[:, bargains.target]
        gained = after[:, :bargains.size] + after[:, bargains.size:]
        utility[:, 1:] = (total[:, None] - before + gained) / n
    return utility


def _queues(bargains: Bargains, n: int) -> list[list[int]]:
    """Column indices (into the bargain utilities) of each actor's queue, status quo first."""
    queues: list[list[int]] = [[0] for _ in range(n)]
    for column, (i, j) in enumerate(zip(bargains.initiator.tolist(),
                                        bargains.target.tolist(), strict=True), start=1):
        queues[i].append(column)
        queues[j].append(column)
    return queues


def _candidates(columns: np.ndarray, actors: np.ndarray, bargains: Bargains,
                position: np.ndarray) -> np.ndarray:
    """``(k, size, m)``: where each actor would move under each entry of its queue."""
    stay = np.broadcast_to(position[actors][:, None, :], columns.shape + position.shape[1:])
    if not bargains.size:
        return stay
    k = np.maximum(columns - 1, 0)
    own = (bargains.initiator[k] == actors[:, None])[..., None]
    moved = np.where(own, bargains.initiator_position[k], bargains.target_position[k])
    return np.where((columns == 0)[..., None], stay, moved)


def _batches(queues: list[list[int]], n: int, pce: str) -> list[list[int]]:
    """Actors whose queues are elected together.

    With the conditional PCE queues can be padded: all in one batch when that is
    small, otherwise one batch per power of two of the queue length. Other PCEs
    need queues of one length per batch.
    """
    waiting = [a for a, queue in enumerate(queues) if len(queue) > 1]
    if not waiting:
        return []
    longest = max(len(queues[a]) for a in waiting)
    if pce == "conditional" and len(waiting) * longest**2 * n <= _ONE_BATCH:
        return [waiting]
    batches: dict[int, list[int]] = {}
    for actor in waiting:
        size = len(queues[actor])
        key = 1 << (size - 1).bit_length() if pce == "conditional" else size
        batches.setdefault(key, []).append(actor)
    return list(batches.values())


def resolve_queues(bargains: Bargains, position: np.ndarray, ideal: np.ndarray,
                   salience: np.ndarray, capability: np.ndarray, attitude: np.ndarray,
                   own_utility: np.ndarray, *, voting: str, victory: str, pce: str,
                   chooser: Chooser) -> np.ndarray:
    """Every actor's new position: the entry of its queue the group's election picks.

    Parameters
    ----------
    own_utility
        ``(n, n)`` each actor's utility of each actor's position under its own attitude.
    chooser
        Picks an entry from the election's probabilities (argmax, or a draw).
    """
    n = position.shape[0]
    utility = _bargain_utilities(bargains, ideal, salience, own_utility, attitude)
    queues = _queues(bargains, n)
    moved = position.copy()
    for actors in _batches(queues, n, pce):
        sizes = [len(queues[a]) for a in actors]
        columns = np.zeros((len(actors), max(sizes)), dtype=int)
        for row, actor in enumerate(actors):
            columns[row, :sizes[row]] = queues[actor]
        valid = np.arange(columns.shape[1])[None, :] < np.array(sizes)[:, None]
        chances = condorcet_election(capability, np.moveaxis(utility[:, columns], 1, 0),
                                     voting=voting, victory=victory, pce=pce,
                                     valid=None if valid.all() else valid)
        rows = np.array(actors)
        candidates = _candidates(columns, rows, bargains, position)
        entries = np.minimum(chooser(rows, chances, candidates), np.array(sizes) - 1)
        moved[rows] = candidates[np.arange(rows.size), entries]
    return moved
