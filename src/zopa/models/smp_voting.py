"""Group choice for the Spatial Model of Politics: votes, coalitions, victory odds, PCE.

Actors vote between pairs of options with a weight and a voting rule; the
support each option gathers against another is the strength of its coalition;
coalition strengths give the probability that one option beats another; and a
*Probabilistic Condorcet Election* (PCE) turns those pairwise odds into one
probability distribution over all options.

Every function works on arrays and accepts leading batch axes, so many small
elections (one per bargaining queue) can be held in one call.

References
----------
KAPSARC. *Group Choice with Interdependent Sublinear Voting*. KAPSARC
discussion paper.
Wise, B. P. *Markov incentives* (note in the KTAB repository, ``markov-incentives.tex``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = [
    "PCE_MODELS",
    "VICTORY_MODELS",
    "VOTING_RULES",
    "PceModel",
    "VictoryModel",
    "VotingRule",
    "coalition_strengths",
    "condorcet_election",
    "victory_probability",
    "vote",
]

VotingRule = Literal["prop", "binary", "prop_bin", "prop_cbc", "cubic", "asym_prosp"]
VictoryModel = Literal["linear", "square", "quartic", "octic", "binary"]
PceModel = Literal["conditional", "markov_uniform", "markov_incentive"]

VOTING_RULES: tuple[str, ...] = ("prop", "binary", "prop_bin", "prop_cbc", "cubic", "asym_prosp")
VICTORY_MODELS: tuple[str, ...] = ("linear", "square", "quartic", "octic", "binary")
PCE_MODELS: tuple[str, ...] = ("conditional", "markov_uniform", "markov_incentive")

MIN_COALITION = 1e-8
"""Strength every coalition has before anyone joins it (keeps odds defined)."""
_BINARY_STEP = 1e-8
_EXPONENT = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}
_BINARY_RATIO = 1.10
_UNIFORM_TOLERANCE, _INCENTIVE_TOLERANCE, _MAX_ITERATIONS = 1e-6, 1e-8, 1000
_VOTER_BLOCK = 16
_DIRECT_PRODUCT = 16


def vote(rule: str, weight: np.ndarray | float, better: np.ndarray,
         worse: np.ndarray) -> np.ndarray:
    """Signed vote for the first option over the second, by a voter of weight ``weight``.

    ``better`` and ``worse`` are the voter's utilities of the two options; the
    vote is positive when the first is preferred.

    Examples
    --------
    >>> float(vote("prop", 2.0, np.array(0.75), np.array(0.5)))
    0.5
    >>> float(vote("binary", 2.0, np.array(0.75), np.array(0.5)))
    2.0
    """
    gap = np.asarray(better) - np.asarray(worse)
    if rule == "prop":
        return weight * gap
    if rule == "binary":
        return weight * np.clip(gap / _BINARY_STEP, -1.0, 1.0)
    if rule == "prop_bin":
        return weight * (0.8 * gap + 0.2 * np.clip(gap / _BINARY_STEP, -1.0, 1.0))
    if rule == "prop_cbc":
        return weight * (0.5 * gap + 0.5 * gap**3)
    if rule == "cubic":
        return weight * gap**3
    if rule == "asym_prosp":
        return weight * np.where(gap < 0, gap, gap * (2.0 / 3.0))
    raise ValueError(f"unknown voting rule {rule!r}")


def coalition_strengths(rule: str, weight: np.ndarray, utility: np.ndarray) -> np.ndarray:
    """``C[..., i, j]``: total positive vote for option i over option j.

    Parameters
    ----------
    weight
        ``(n,)`` voters' weights.
    utility
        ``(..., n, k)`` each voter's utility of each of k options.

    Voters are processed in blocks, which keeps the ``(block, k, k)`` votes in cache.
    """
    k = utility.shape[-1]
    total = np.zeros(utility.shape[:-2] + (k, k))
    for start in range(0, utility.shape[-2], _VOTER_BLOCK):
        block = utility[..., start:start + _VOTER_BLOCK, :]
        gap = block[..., :, :, None] - block[..., :, None, :]
        w = weight[start:start + _VOTER_BLOCK, None, None]
        if rule == "prop":
            gap *= w
            votes = gap
        else:
            votes = vote(rule, w, gap, 0.0)
        np.maximum(votes, 0.0, out=votes)
        total += votes.sum(axis=-3)
    total += MIN_COALITION
    return total


def victory_probability(model: str, support: np.ndarray, opposition: np.ndarray) -> np.ndarray:
    """Probability that a side with strength ``support`` beats one with ``opposition``.

    ``linear`` gives odds in proportion to strength (2:1 -> 2/3); ``square``,
    ``quartic`` and ``octic`` raise strengths to the power 2, 4, 8 first;
    ``binary`` is a certain win once one side is 10 % stronger, linear in the
    support share in between.

    Examples
    --------
    >>> round(float(victory_probability("square", np.array(2.0), np.array(1.0))), 4)
    0.8
    """
    if model == "binary":
        share = support / (support + opposition)
        low, high = 1.0 / (1.0 + _BINARY_RATIO), _BINARY_RATIO / (1.0 + _BINARY_RATIO)
        return np.clip((share - low) / (high - low), 0.0, 1.0)
    power = _EXPONENT[model]
    if power == 1:
        return support / (support + opposition)
    ratio = (opposition / support) ** power
    return 1.0 / (1.0 + ratio)


def _conditional(beats: np.ndarray) -> np.ndarray:
    if beats.shape[-1] <= _DIRECT_PRODUCT:   # small: the product rarely underflows
        p = beats.prod(axis=-1)
        total = p.sum(axis=-1, keepdims=True)
        if (total > 1e-250).all():
            return p / total
    log_p = np.log(np.maximum(beats, 1e-300)).sum(axis=-1)
    p = np.exp(log_p - log_p.max(axis=-1, keepdims=True))
    return p / p.sum(axis=-1, keepdims=True)


def _iterate(update, start: np.ndarray, tolerance: float) -> np.ndarray:
    p = start
    for _ in range(_MAX_ITERATIONS):
        following = (p + update(p)) / 2.0
        if np.abs(following - p).max() < tolerance:
            return following
        p = following
    return p


def _markov_uniform(beats: np.ndarray) -> np.ndarray:
    k = beats.shape[-1]

    def update(p: np.ndarray) -> np.ndarray:
        return (beats * (p[..., :, None] + p[..., None, :])).sum(axis=-1) / k

    return _iterate(update, np.full(beats.shape[:-1], 1.0 / k), _UNIFORM_TOLERANCE)


def _markov_incentive(strength: np.ndarray, beats: np.ndarray) -> np.ndarray:
    incentive = strength * beats                      # [i, j]: incentive of i to challenge j
    challenge = incentive / incentive.sum(axis=-2, keepdims=True)
    k = beats.shape[-1]

    def update(p: np.ndarray) -> np.ndarray:
        contest = p[..., :, None] * np.swapaxes(challenge, -1, -2)   # [i, j]: j challenges i
        return (beats * (contest + np.swapaxes(contest, -1, -2))).sum(axis=-1)

    return _iterate(update, np.full(beats.shape[:-1], 1.0 / k), _INCENTIVE_TOLERANCE)


def condorcet_election(weight: np.ndarray, utility: np.ndarray, *, voting: str = "prop",
                       victory: str = "linear", pce: str = "conditional",
                       valid: np.ndarray | None = None) -> np.ndarray:
    """Probability that each option wins a Probabilistic Condorcet Election.

    Parameters
    ----------
    weight
        ``(n,)`` voters' weights.
    utility
        ``(..., n, k)`` each voter's utility of each option.
    voting, victory, pce
        Voting rule, victory-probability model and PCE model.
    valid
        ``(..., k)`` which options stand (padding for batches of elections of
        different sizes); only with the conditional PCE. Others get probability 0.

    Returns
    -------
    numpy.ndarray
        ``(..., k)`` probabilities summing to one.

    Examples
    --------
    >>> u = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> condorcet_election(np.ones(3), u).round(4).tolist()
    [0.6667, 0.3333]
    """
    strength = coalition_strengths(voting, weight, utility)
    beats = victory_probability(victory, strength, np.swapaxes(strength, -1, -2))
    k = beats.shape[-1]
    beats[..., np.arange(k), np.arange(k)] = 0.5
    if valid is not None:
        if pce != "conditional":
            raise ValueError("padded elections need the conditional PCE")
        chances = _conditional(np.where(valid[..., None, :], beats, 1.0)) * valid
        return chances / chances.sum(axis=-1, keepdims=True)
    if pce == "conditional":
        return _conditional(beats)
    if pce == "markov_uniform":
        return _markov_uniform(beats)
    if pce == "markov_incentive":
        return _markov_incentive(strength, beats)
    raise ValueError(f"unknown PCE model {pce!r}")
