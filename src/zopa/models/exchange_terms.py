"""The terms of a candidate exchange of voting positions, computed for many at once.

An exchange pairs two actors ``i`` and ``j`` on two issues ``p`` and ``q``: the actor
who cares relatively more about ``q`` *supplies* on ``p`` (moves its voting position
on ``p`` towards the other's) and *demands* on ``q``, and the other way round. This
module builds every candidate exchange of a round (vectorised over actor pairs) and
computes, for any subset of them at once, how far each side moves, what both gain and
where each supplier's voting position lands. The order in which candidates are
realised, and which of them must be recomputed after each one, is in
:mod:`zopa.models.exchange_round`; the model itself in :mod:`zopa.models.exchange`.

Notation used below, per candidate ``e`` and side ``k`` (0: the supplier of ``p``,
1: the supplier of ``q``): ``issue[e, k]``, ``supplier[e, k]``, ``demander[e, k]``
(the partner, whose position on that issue the supplier moves towards) and
``direction[e, k]`` (+1 when the supplier moves up the scale, -1 down).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

import numpy as np

__all__ = ["Candidates", "Context", "candidates", "evaluate"]

Variant = Literal["equal_gain", "random_rate"]

# Room (on the 0-100 scale) below which the outcome counts as already at the demander.
ROOM_TOLERANCE = 1e-9
# Gains at or below this (saliences on 0-1) are no gain.
GAIN_TOLERANCE = 1e-12
# Actor-issue pairs are coded as actor * _CODE + issue.
_CODE = 1 << 24
# Largest total of the moves recorded for one side (Decide's check of the 0-100 interval).
MOVES_LIMIT = 100.0 + 1e-9


@dataclass(frozen=True, slots=True, eq=False)
class Context:
    """What a round needs besides the positions: weights, saliences, who takes part.

    ``salience`` is on 0-1 (divided by the largest when any exceeds 1), ``weight`` is
    capability x salience as given, ``total`` its sum per issue, and ``active`` marks
    the actor-issue pairs with positive weight (the others take no part).
    """

    salience: np.ndarray
    weight: np.ndarray
    total: np.ndarray
    active: np.ndarray


@dataclass(slots=True, eq=False)
class Candidates:
    """Every candidate exchange of one round, and its current terms (mutable state).

    Built by :func:`candidates`, updated in place by :func:`evaluate` and by the round.
    """

    p: np.ndarray
    q: np.ndarray
    issue: np.ndarray
    supplier: np.ndarray
    demander: np.ndarray
    direction: np.ndarray
    rate: np.ndarray
    view: np.ndarray
    outcome: np.ndarray
    supplied: np.ndarray = field(init=False)
    demanded: np.ndarray = field(init=False)
    gain: np.ndarray = field(init=False)
    valid: np.ndarray = field(init=False)
    position: np.ndarray = field(init=False)
    uncapped: np.ndarray = field(init=False)
    moves_total: np.ndarray = field(init=False)
    moves_last: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        size = self.p.shape[0]
        # (actor, issue) pairs as single numbers: who supplies and who demands what.
        self.supplied = self.supplier * _CODE + self.issue
        self.demanded = self.demander * _CODE + self.issue
        self.gain = np.zeros(size)
        self.valid = np.zeros(size, dtype=bool)
        self.position = np.zeros((size, 2))
        self.uncapped = np.zeros((size, 2))
        self.moves_total = np.zeros((size, 2))
        self.moves_last = np.zeros((size, 2))

    def __len__(self) -> int:
        return int(self.p.shape[0])


def _pairs(left: np.ndarray, active: np.ndarray, p: int, q: int) -> tuple[np.ndarray, ...]:
    """Actor pairs on opposite sides of the outcome on both ``p`` and ``q``.

    Both actors must take part in both issues. Pairs come in a fixed order: first
    (left, left) with (right, right), then (left, right) with (right, left); within
    each, by the first actor's index, then the second's.
    """
    both = active[:, p] & active[:, q]
    firsts, seconds = [], []
    for lp, lq in ((True, True), (True, False)):
        group = np.flatnonzero(both & (left[:, p] == lp) & (left[:, q] == lq))
        other = np.flatnonzero(both & (left[:, p] != lp) & (left[:, q] != lq))
        firsts.append(np.repeat(group, other.size))
        seconds.append(np.tile(other, group.size))
    return np.concatenate(firsts), np.concatenate(seconds)


def candidates(position: np.ndarray, outcome: np.ndarray, context: Context,
               variant: Variant, rng: np.random.Generator) -> Candidates:
    """All candidate exchanges at the start of a round, in Decide's enumeration order.

    Issue pairs ``(p, q)`` with ``p`` before ``q`` in the scenario's order; actors are
    *left* of an issue when their position is at most its outcome. Of a pair, the
    actor with the lower ratio ``s_p / s_q`` supplies on ``p``; pairs whose ratios are
    equal have nothing to trade and are left out. For ``"random_rate"`` one uniform
    draw per candidate fixes where its exchange rate lies (see :func:`evaluate`).
    """
    n, m = position.shape
    left = position <= outcome + ROOM_TOLERANCE
    s = context.salience
    rows: list[np.ndarray] = []
    for p, q in combinations(range(m), 2):
        a, b = _pairs(left, context.active, p, q)
        lhs, rhs = s[a, p] * s[b, q], s[b, p] * s[a, q]
        keep = np.abs(lhs - rhs) > 1e-12 * np.maximum(lhs, rhs)
        a, b, lower = a[keep], b[keep], (lhs < rhs)[keep]
        rows.append(np.stack([np.full(a.size, p), np.full(a.size, q),
                              np.where(lower, a, b), np.where(lower, b, a)], axis=1))
    table = np.concatenate(rows) if rows else np.zeros((0, 4), dtype=int)
    p, q, sp, sq = (table[:, k].astype(int) for k in range(4))
    issue = np.stack([p, q], axis=1)
    supplier = np.stack([sp, sq], axis=1)
    demander = np.stack([sq, sp], axis=1)
    direction = np.sign(position[demander, issue] - position[supplier, issue])
    rate = _rates(s, p, q, sp, sq, variant, rng)
    view = np.transpose(position[:, issue], (1, 2, 0)).copy()
    return Candidates(p, q, issue, supplier, demander, direction, rate, view,
                      outcome[issue].copy())


def _rates(s: np.ndarray, p: np.ndarray, q: np.ndarray, sp: np.ndarray, sq: np.ndarray,
           variant: Variant, rng: np.random.Generator) -> np.ndarray:
    """Outcome shift on ``q`` per unit of outcome shift on ``p`` that each exchange trades at.

    The supplier of ``p`` gains if the rate is at least ``s_sp,p / s_sp,q`` and the
    supplier of ``q`` if it is at most ``s_sq,p / s_sq,q``. Equal gain is the mediant
    ``(s_sp,p + s_sq,p) / (s_sp,q + s_sq,q)`` of the two bounds; random rate a uniform
    point between them.
    """
    if variant == "equal_gain":
        return (s[sp, p] + s[sq, p]) / (s[sp, q] + s[sq, q])
    low, high = s[sp, p] / s[sp, q], s[sq, p] / s[sq, q]
    return low + rng.random(p.shape[0]) * (high - low)


def _stop_at_demanders(shifts: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Scale both shifts of each candidate so that no outcome passes its demander.

    ``room`` is how far each outcome may still move towards the demander's position; a
    candidate whose outcome is already there or beyond (``room`` at most
    :data:`ROOM_TOLERANCE`) is left as it is, as Decide does.
    """
    capped = (shifts > room) & (room > ROOM_TOLERANCE)
    factor = np.where(capped, room / np.where(shifts > 0, shifts, 1.0), 1.0).min(axis=1)
    return shifts * factor[:, None]


def _record(c: Candidates, which: np.ndarray, moves: np.ndarray, continued: np.ndarray) -> None:
    """Keep each side's running total of computed moves (Decide checks it against 100)."""
    previous = np.where(continued, c.moves_total[which],
                        c.moves_total[which] - c.moves_last[which])
    c.moves_total[which] = previous + moves
    c.moves_last[which] = moves


def evaluate(c: Candidates, which: np.ndarray, start: np.ndarray, context: Context,
             continued: np.ndarray) -> None:
    """(Re)compute the terms of candidates ``which`` in place.

    ``start`` is the round's starting positions ``(n, m)``; ``continued[i, k]`` says that
    side ``k`` of candidate ``which[i]`` is recomputed because its supplier has just
    moved on that issue in another exchange: it then offers no more than its previous
    equal-gain move, from where it now stands (and the move is added to the side's
    record rather than replacing the last one).

    Each side can offer at most the distance to its partner's starting position; as an
    outcome shift, ``distance * w / W`` (its weight over the issue's total weight).
    The two shifts are set to the candidate's rate, the larger cut down to match the
    smaller; then :func:`_stop_at_demanders`.
    """
    if which.size == 0:
        return
    issue, sup, direction = c.issue[which], c.supplier[which], c.direction[which]
    cur = c.view[which[:, None], np.arange(2), sup]
    target = start[c.demander[which], issue]
    distance = (target - cur) * direction
    distance = np.where(continued, np.minimum(distance, np.abs(c.uncapped[which])), distance)
    reach = context.weight[sup, issue] / context.total[issue]
    per_unit = np.where(reach > 0, reach, 1.0)
    shift = np.maximum(distance, 0.0) * reach
    rate = c.rate[which]
    dp = np.where(shift[:, 1] >= rate * shift[:, 0], shift[:, 0], shift[:, 1] / rate)
    shifts = np.stack([dp, rate * dp], axis=1)
    c.uncapped[which] = direction * shifts / per_unit
    shifts = _stop_at_demanders(shifts, (target - c.outcome[which]) * direction)
    s, p, q = context.salience, c.p[which], c.q[which]
    gain_of_p_supplier = s[sup[:, 0], q] * shifts[:, 1] - s[sup[:, 0], p] * shifts[:, 0]
    gain_of_q_supplier = s[sup[:, 1], p] * shifts[:, 0] - s[sup[:, 1], q] * shifts[:, 1]
    moves = direction * shifts / per_unit
    c.position[which] = cur + moves
    _record(c, which, moves, continued)
    c.gain[which] = np.minimum(gain_of_p_supplier, gain_of_q_supplier)
    c.valid[which] = ((distance > 0).all(axis=1) & (c.gain[which] > GAIN_TOLERANCE)
                      & (c.moves_total[which] <= MOVES_LIMIT).all(axis=1))
