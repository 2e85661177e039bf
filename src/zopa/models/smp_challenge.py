"""Spatial utilities, risk attitudes and the challenge calculus of the Spatial Model of Politics.

Each turn every actor considers challenging every other actor: "if I demand
that j adopt my position, how likely am I to win the contest, and what do I
expect to gain?". The contest is decided by coalitions: the two principals
vote with their whole weight, and every third party joins the side it expects
to serve it better. All (challenger, target, third party) triples are evaluated
at once with numpy, in blocks of challengers to bound memory.

All positions, ideals and saliences here are on KTAB's internal 0-1 scale.

References
----------
KAPSARC. *An Introduction to the KAPSARC Toolkit for Behavioral
Analysis (KTAB) using Policy Models*. KAPSARC discussion paper.
KAPSARC. *Multidimensional Bargaining Using KTAB*. KAPSARC discussion paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from zopa.models.smp_voting import condorcet_election, victory_probability, vote

__all__ = [
    "BIG_R_ADJUSTMENTS",
    "BIG_R_RANGES",
    "BigRAdjust",
    "BigRRange",
    "ChallengeTable",
    "challenge_table",
    "perceived_attitudes",
    "risk_attitudes",
    "risk_utility",
    "salience_distance",
]

BigRAdjust = Literal["none", "one_third", "half", "two_thirds", "full"]
BigRRange = Literal["min", "mid", "max"]
BIG_R_ADJUSTMENTS: tuple[str, ...] = ("none", "one_third", "half", "two_thirds", "full")
BIG_R_RANGES: tuple[str, ...] = ("min", "mid", "max")

_OWN_SHARE = {"none": 1.0, "one_third": 2.0 / 3.0, "half": 0.5, "two_thirds": 1.0 / 3.0,
              "full": 0.0}
_MIN_PRINCIPAL = 1e-10
_BLOCK_ELEMENTS = 1 << 16


def salience_distance(ideal: np.ndarray, salience: np.ndarray,
                      position: np.ndarray) -> np.ndarray:
    """``d[a, b]``: salience-weighted distance from a's ideal to b's position, in [0, 1].

    ``d = sqrt(sum_k (s_ak (ideal_ak - x_bk))^2 / sum_k s_ak^2)``.

    Examples
    --------
    >>> s = np.array([[1.0, 0.0], [0.5, 0.5]])
    >>> x = np.array([[0.0, 0.0], [1.0, 1.0]])
    >>> salience_distance(x, s, x).round(3).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    weighted = salience[:, None, :] * (ideal[:, None, :] - position[None, :, :])
    norm = (salience**2).sum(axis=1)
    return np.sqrt((weighted**2).sum(axis=2) / norm[:, None])


def risk_utility(distance: np.ndarray, attitude: np.ndarray | float) -> np.ndarray:
    """Utility ``(1 - d)(1 + d R)`` of a position at distance d, with risk attitude R in [-1, 1].

    R = 0 is risk neutral (linear), R = 1 risk averse (1 - d^2), R = -1 risk
    seeking ((1 - d)^2).

    Examples
    --------
    >>> float(risk_utility(np.array(0.5), 1.0)), float(risk_utility(np.array(0.5), -1.0))
    (0.75, 0.25)
    """
    return (1.0 - distance) * (1.0 + distance * attitude)


def risk_attitudes(capability: np.ndarray, distance: np.ndarray, *, big_r_range: str,
                   voting: str, victory: str, pce: str) -> np.ndarray:
    """Each actor's risk attitude: likely winners become risk averse.

    A PCE over the actors' current positions (every actor's position is an
    option, duplicates included) with risk-neutral utilities and capability
    weights gives each position's chance p_i; the attitude rescales p linearly:
    ``min`` onto [0, 1], ``mid`` onto [-1/2, 1], ``max`` onto [-1, 1]. When all
    chances are equal, every actor is risk neutral.
    """
    p = condorcet_election(capability, risk_utility(distance, 0.0),
                           voting=voting, victory=victory, pce=pce)
    low, high = p.min(), p.max()
    if not high - low > 0.0:
        return np.zeros_like(p)
    if big_r_range == "min":
        return (p - low) / (high - low)
    if big_r_range == "mid":
        return (3.0 * p - (high + 2.0 * low)) / (2.0 * (high - low))
    if big_r_range == "max":
        return (2.0 * p - (high + low)) / (high - low)
    raise ValueError(f"unknown big_r_range {big_r_range!r}")


def perceived_attitudes(attitude: np.ndarray, big_r_adjust: str) -> np.ndarray:
    """``r[h, a]``: actor h's estimate of actor a's risk attitude.

    h blends its own attitude with a's true one; ``none`` projects h's own
    attitude on everyone, ``full`` knows a's, ``one_third`` takes a third of
    a's and two thirds of its own. Everyone knows its own attitude.
    """
    own = _OWN_SHARE[big_r_adjust]
    return own * attitude[:, None] + (1.0 - own) * attitude[None, :]


@dataclass(frozen=True, slots=True, eq=False)
class ChallengeTable:
    """What each actor expects from challenging each other actor.

    Attributes
    ----------
    gain
        ``(n, n)`` ``gain[i, j]``: i's expected change in utility (in units of
        2x expected utility) from challenging j; minus infinity on the diagonal.
    win_probability
        ``(n, n)`` i's estimate of the probability that i beats j.
    """

    gain: np.ndarray
    win_probability: np.ndarray


def _block_table(rows: np.ndarray, base: np.ndarray, slope: np.ndarray,
                 perceived: np.ndarray, weight: np.ndarray, total_salience: np.ndarray,
                 voting: str, victory: str) -> tuple[np.ndarray, np.ndarray]:
    """Gain and win probability for the challengers in ``rows`` against every target."""
    b, n = rows.size, weight.size
    at = np.arange(b)
    # view[c, j, a] = utility to actor a of actor j's position, as challenger rows[c] sees it
    view = slope[None, :, :] * perceived[rows][:, None, :]
    view += base[None, :, :]
    to_self = view[at, :, rows]                         # [c, j]: u_i(x_j)
    of_self = view[at, rows, :]                         # [c, a]: u_a(x_i)
    own = np.diagonal(view, axis1=1, axis2=2).copy()    # [c, a]: u_a(x_a)
    u_ii = to_self[at, rows][:, None]
    by_i = vote(voting, weight[rows][:, None], u_ii, to_self)
    by_j = vote(voting, weight[None, :], of_self, own)
    support = (_MIN_PRINCIPAL + np.maximum(by_i, 0.0) + np.maximum(by_j, 0.0))[:, :, None]
    opposition = (_MIN_PRINCIPAL + np.maximum(-by_i, 0.0) + np.maximum(-by_j, 0.0))[:, :, None]
    # Third party a (last axis) leans toward i or j; "pin" is i's chance with a on that side.
    u_ai, u_aa = of_self[:, None, :], own[:, None, :]
    leaning = vote(voting, weight, u_ai, view)
    pin = np.abs(leaning)
    pin += support + opposition
    np.divide(np.maximum(leaning, 0.0, out=leaning) + support, pin, out=pin)
    # Semi-commitment: joining i is worth pin (2u_ai + u_aa) + (1 - pin) 3u_aj, joining j
    # pin 3u_ai + (1 - pin)(2u_aj + u_aa); their difference is pin (u_aa - u_ai)
    # + (1 - pin)(u_aj - u_aa).
    view -= u_aa
    gap = (u_aa - u_ai) - view
    gap *= pin
    gap += view
    third = vote(voting, weight, gap, 0.0)
    third[at, :, rows] = 0.0
    third[:, np.arange(n), np.arange(n)] = 0.0
    joined = np.maximum(third, 0.0).sum(axis=2)
    support = support[:, :, 0] + joined
    opposition = opposition[:, :, 0] + (joined - third.sum(axis=2))
    p_win = victory_probability(victory, support, opposition)
    resist = total_salience[None, :]
    status_quo = u_ii + to_self
    challenge = (1.0 - resist) * 2.0 * u_ii + resist * (p_win * 2.0 * u_ii
                                                        + (1.0 - p_win) * 2.0 * to_self)
    return challenge - status_quo, p_win


def challenge_table(capability: np.ndarray, salience: np.ndarray, distance: np.ndarray,
                    perceived: np.ndarray, *, voting: str, victory: str) -> ChallengeTable:
    """Evaluate every challenge i -> j from the challenger's own point of view.

    Parameters
    ----------
    capability, salience
        ``(n,)`` capabilities and ``(n, m)`` saliences (0-1, rows summing to <= 1).
    distance
        ``(n, n)`` :func:`salience_distance` from ideals to positions.
    perceived
        ``(n, n)`` :func:`perceived_attitudes`.
    voting, victory
        Voting rule and victory-probability model.

    Notes
    -----
    For challenger i, target j and third party a (all from i's point of view):
    the principals vote with weight ``S c`` (total salience x capability); a
    third party compares joining i with joining j, with utilities "3x expected
    utility" over the three positions involved (semi-commitment: a third party
    on the losing side is pulled to the winner's position, one on the winning
    side keeps its own); the target resists with probability equal to its total
    salience. Cost is O(n^3) per call.
    """
    n = capability.size
    total_salience = salience.sum(axis=1)
    weight = total_salience * capability
    base = (1.0 - distance).T                    # [j, a]
    slope = ((1.0 - distance) * distance).T
    gain = np.empty((n, n))
    p_win = np.empty((n, n))
    block = max(1, _BLOCK_ELEMENTS // max(1, n * n))
    for start in range(0, n, block):
        rows = np.arange(start, min(n, start + block))
        gain[rows], p_win[rows] = _block_table(rows, base, slope, perceived, weight,
                                               total_salience, voting, victory)
    np.fill_diagonal(gain, -np.inf)
    return ChallengeTable(gain, p_win)
