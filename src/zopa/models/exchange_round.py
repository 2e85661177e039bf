"""One round of the exchange model: realise the best exchanges one after another.

At the start of a round every candidate exchange is computed (see
:mod:`zopa.models.exchange_terms`). Then, until none is left:

1. the candidate with the highest gain is realised: both suppliers' voting positions
   move to where the exchange puts them;
2. every remaining candidate that shares an actor *in the same role on the same issue*
   (the same supplier of that issue, or the same demander of it) learns of the move:
   its own view of that issue is updated with the new voting position and it is
   recomputed -- a supplier that has just moved offers at most its previous move again,
   from where it now stands; candidates that no longer pay, or whose recorded moves
   add up to more than the width of the scale, are dropped;
3. all other candidates keep their terms, computed with what they knew then.

Ties between equally good candidates go to the one listed first; the list starts in
enumeration order and is re-sorted, stably, by gain before every pick (so a candidate
keeps its place among equals). With ``tie_break="random"`` the first two are swapped
with probability 1/2 instead, as Decide does by default.

At the end of the round each actor's position on an issue moves part of the way
towards its last voting position: by ``fixed_weight + salience_weight * (1 - s)``,
so actors move further on issues they care less about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from zopa.models.exchange_terms import Candidates, Context, Variant, candidates, evaluate

__all__ = ["RoundResult", "TieBreak", "Trades", "play_round"]

TieBreak = Literal["first", "random"]

# Gains are compared after rounding to this many decimals (saliences on 0-1).
GAIN_DECIMALS = 10


@dataclass(frozen=True, slots=True, eq=False)
class Trades:
    """The exchanges realised in a round, in the order they were realised.

    Row ``t`` is one exchange; column ``k`` one side of it (0: the supplier of the first
    issue of the pair, 1: the supplier of the second).

    Attributes
    ----------
    supplier, issue
        ``(t, 2)`` indices of the actor who moved and of the issue it moved on.
    position
        ``(t, 2)`` the voting position it moved to, on the issue's 0–100 scale.
    gain
        ``(t,)`` the gain of each partner (for ``"random_rate"``, the smaller one).
    """

    supplier: np.ndarray
    issue: np.ndarray
    position: np.ndarray
    gain: np.ndarray


@dataclass(frozen=True, slots=True, eq=False)
class RoundResult:
    """What one round did.

    Attributes
    ----------
    voting
        ``(n, m)`` voting positions after the last exchange of the round.
    positions
        ``(n, m)`` positions the next round starts from (after the partial shift).
    exchanges
        Number of exchanges realised.
    ties
        Number of picks at which the two best candidates had equal gains.
    candidates
        Number of candidate exchanges at the start of the round.
    trades
        The exchanges realised, in order.
    """

    voting: np.ndarray
    positions: np.ndarray
    exchanges: int
    ties: int
    candidates: int
    trades: Trades


def outcome_of(position: np.ndarray, context: Context) -> np.ndarray:
    """Capability x salience weighted mean of positions, per issue."""
    return (context.weight * position).sum(axis=0) / context.total


def _pick(c: Candidates, order: np.ndarray, tie_break: TieBreak,
          rng: np.random.Generator) -> tuple[int, np.ndarray, bool]:
    """The candidate to realise next, the rest of the list, and whether it was a tie."""
    key = np.round(c.gain[order], GAIN_DECIMALS)
    order = order[np.argsort(-key, kind="stable")]
    tie = order.size > 1 and key.max() == np.round(c.gain[order[1]], GAIN_DECIMALS)
    index = 1 if tie and tie_break == "random" and rng.random() >= 0.5 else 0
    return int(order[index]), np.delete(order, index), bool(tie)


def _inform(c: Candidates, order: np.ndarray, best: int, start: np.ndarray,
            context: Context) -> np.ndarray:
    """Update and recompute the candidates that share a role with ``best``; drop dead ones."""
    same_supplier = (c.supplied[order][:, :, None] == c.supplied[best]).any(axis=2)
    matched = same_supplier | (c.demanded[order][:, :, None] == c.demanded[best]).any(axis=2)
    rows = matched.any(axis=1)
    which, same_supplier, matched = order[rows], same_supplier[rows], matched[rows]
    at, side = np.nonzero(matched)
    issue = c.issue[which[at], side]
    from_best = np.where(issue == c.issue[best, 0], 0, 1)
    mover = c.supplier[best][from_best]
    c.view[which[at], side, mover] = c.position[best][from_best]
    seen = c.view[which[at], side, :]
    c.outcome[which[at], side] = ((seen * context.weight[:, issue].T).sum(axis=1)
                                  / context.total[issue])
    evaluate(c, which, start, context, same_supplier)
    return order[c.valid[order]]


def play_round(position: np.ndarray, context: Context, *, variant: Variant,
               tie_break: TieBreak, fixed_weight: float, salience_weight: float,
               rng: np.random.Generator) -> RoundResult:
    """Play one round from ``position`` ``(n, m)``; see the module docstring."""
    c = candidates(position, outcome_of(position, context), context, variant, rng)
    everything = np.arange(len(c))
    evaluate(c, everything, position, context, np.zeros((len(c), 2), dtype=bool))
    order = everything[c.valid]
    voting = position.copy()
    realised: list[int] = []
    ties = 0
    while order.size:
        best, order, tie = _pick(c, order, tie_break, rng)
        voting[c.supplier[best], c.issue[best]] = c.position[best]
        realised.append(best)
        ties += tie
        order = _inform(c, order, best, position, context)
    share = fixed_weight + salience_weight * (1.0 - context.salience)
    done = np.array(realised, dtype=int)
    trades = Trades(c.supplier[done], c.issue[done], c.position[done], c.gain[done])
    return RoundResult(voting, position + (voting - position) * share, len(realised), ties,
                       len(c), trades)
