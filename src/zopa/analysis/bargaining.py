"""Bargaining solutions on the exact frontier: Nash, Kalai–Smorodinsky, utilitarian, egalitarian.

All four are picked among the Pareto-optimal packages of the ZOPA, with the
parties' reservations as the disagreement point ``d`` (or zero, if asked):

* **Nash** (Nash 1950): maximise the product of gains ``prod_p (u_p - d_p)``.
  Computed in exact integer arithmetic, so ties are exact.
* **Kalai–Smorodinsky** (Kalai & Smorodinsky 1975), discrete form: maximise the
  smallest *relative* gain ``min_p (u_p - d_p) / (M_p - d_p)``, where ``M_p`` is
  party p's best utility in the ZOPA. Both are invariant to positive affine
  rescaling of any party's utility.
* **Utilitarian**: maximise the sum of utilities.
* **Egalitarian** (Kalai 1977): maximise the smallest absolute gain. Neither of the
  last two is scale-invariant: they compare utilities across parties.

Ties in a criterion are broken by the frontier's descending lexicographic order,
which rescaling preserves. The number of frontier points tied on the criterion is
reported as ``alternatives``.

References
----------
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2), 155–162.
Kalai, E., & Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
*Econometrica* 43(3), 513–518.
Kalai, E. (1977). Proportional solutions to bargaining situations. *Econometrica* 45(7),
1623–1630.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from zopa.analysis.frontier import Frontier, frontier_of_space
from zopa.analysis.results import Provenance, provenance
from zopa.analysis.space import DealSpace, from_fixed
from zopa.scenario import Scenario

__all__ = ["CONCEPTS", "Solution", "Solutions", "pick_solution", "solve"]

Concept = Literal["nash", "kalai-smorodinsky", "utilitarian", "egalitarian"]
CONCEPTS: tuple[Concept, ...] = ("nash", "kalai-smorodinsky", "utilitarian", "egalitarian")
KS_RELATIVE_TOLERANCE = 1e-12


@dataclass(frozen=True, slots=True)
class Solution:
    """One bargaining solution.

    Attributes
    ----------
    concept
        Which solution concept.
    row
        Index of the chosen point in the frontier.
    choices
        ``{issue: option}`` of a package achieving it.
    utilities, gains
        Per party: utility (0–1) and gain over the disagreement point.
    ties
        Packages with exactly these utilities.
    alternatives
        Frontier points tied on the criterion (1 = unique).
    """

    concept: Concept
    row: int
    choices: dict[str, str]
    utilities: dict[str, float]
    gains: dict[str, float]
    ties: int
    alternatives: int


@dataclass(frozen=True, slots=True)
class Solutions:
    """The four solutions of a scenario, or none when the ZOPA is empty."""

    frontier: Frontier
    disagreement: dict[str, float]
    solutions: tuple[Solution, ...]
    provenance: Provenance

    @property
    def zopa_exists(self) -> bool:
        return len(self.frontier) > 0

    def get(self, concept: Concept) -> Solution | None:
        """The solution for one concept, ``None`` if the ZOPA is empty."""
        return next((s for s in self.solutions if s.concept == concept), None)


def _best_rows(score: np.ndarray) -> np.ndarray:
    return np.flatnonzero(score == score.max())


def _criterion_rows(concept: Concept, gains: np.ndarray, utilities: np.ndarray) -> np.ndarray:
    """Rows of the frontier that are optimal for ``concept`` (exact for integer inputs)."""
    if concept == "nash":
        exact = gains.astype(object)
        score = np.array([int(np.prod(row)) for row in exact], dtype=object)
        best = max(score)
        return np.flatnonzero(np.array([s == best for s in score]))
    if concept == "utilitarian":
        return _best_rows(utilities.sum(axis=1))
    if concept == "egalitarian":
        return _best_rows(gains.min(axis=1))
    spans = gains.max(axis=0).astype(float)
    relative = np.divide(gains, spans, out=np.ones(gains.shape), where=spans > 0)
    score = relative.min(axis=1)
    return np.flatnonzero(score >= score.max() * (1 - KS_RELATIVE_TOLERANCE))


def pick_solution(frontier: Frontier, disagreement: np.ndarray, concept: Concept) -> Solution:
    """Apply one concept to a non-empty frontier; ``disagreement`` in fixed point."""
    utilities = frontier.fixed_utilities
    gains = utilities - disagreement
    rows = _criterion_rows(concept, gains, utilities)
    row = int(rows[0])
    space = frontier.space
    return Solution(
        concept=concept,
        row=row,
        choices=frontier.choices(row),
        utilities=dict(zip(space.parties, from_fixed(utilities[row]).tolist(),
                           strict=True)),
        gains=dict(zip(space.parties, from_fixed(gains[row]).tolist(), strict=True)),
        ties=int(frontier.ties[row]),
        alternatives=len(rows),
    )


def solutions_of_space(space: DealSpace, *, disagreement: str, made: Provenance) -> Solutions:
    """All four solutions on a deal space (see :func:`solve`)."""
    use_reservations = disagreement == "reservations"
    frontier = frontier_of_space(space, within_reservations=use_reservations)
    point = space.reservation_floor if use_reservations else np.zeros(space.n_parties, np.int64)
    found: tuple[Solution, ...] = ()
    if len(frontier):
        found = tuple(pick_solution(frontier, point, concept) for concept in CONCEPTS)
    return Solutions(frontier, dict(zip(space.parties, from_fixed(point).tolist(),
                                        strict=True)), found, made)


def solve(
    scenario: Scenario, *, disagreement: Literal["reservations", "zero"] = "reservations"
) -> Solutions:
    """Nash, Kalai–Smorodinsky, utilitarian and egalitarian packages of a scenario.

    Parameters
    ----------
    scenario
        The negotiation.
    disagreement
        ``"reservations"`` (default): the ZOPA, with walk-away utilities as the
        disagreement point; empty solutions if no package clears every reservation.
        ``"zero"``: every package within the red lines, disagreement at utility 0,
        to see the best compromise when there is no ZOPA.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> result = solve(load_catalog_scenario(), disagreement="zero")
    >>> result.get("nash").alternatives >= 1
    True
    """
    made = provenance("zopa.analysis.bargaining.solve", scenario, disagreement=disagreement)
    return solutions_of_space(DealSpace.from_scenario(scenario), disagreement=disagreement,
                              made=made)
