"""The Pareto frontier of a scenario's deal space, in the scenario's own terms.

Wraps the exact merge in :mod:`zopa.analysis.pareto`: restricts each issue to the
options no party has ruled out (red lines), optionally keeps only packages every
party prefers to walking away (the ZOPA), and maps option indices back to ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from zopa.analysis.pareto import FrontierPoints, pareto_frontier
from zopa.analysis.results import Provenance, provenance
from zopa.analysis.space import DealSpace, from_fixed
from zopa.scenario import Scenario

__all__ = ["Frontier", "compute_frontier", "frontier_of_space"]


@dataclass(frozen=True, slots=True, eq=False)
class Frontier:
    """Pareto-optimal packages of a deal space.

    Each row is one distinct utility vector; packages with identical utilities
    for every party are reported together (``ties``).

    Attributes
    ----------
    space
        The deal space the frontier belongs to.
    points
        Kernel result, with option indices into the *admissible* options.
    admissible
        Per issue, the indices (into ``space.options``) of the options considered.
    within_reservations
        True if only packages above every reservation were considered (the ZOPA frontier).
    provenance
        How it was computed.
    """

    space: DealSpace
    points: FrontierPoints
    admissible: tuple[np.ndarray, ...]
    within_reservations: bool
    provenance: Provenance

    def __len__(self) -> int:
        return len(self.points)

    @property
    def fixed_utilities(self) -> np.ndarray:
        """Exact utilities, int64 ``(K, n_parties)`` in fixed point."""
        return self.points.utilities

    @property
    def utilities(self) -> np.ndarray:
        """Utilities on the 0–1 scale, float ``(K, n_parties)``."""
        return from_fixed(self.points.utilities)

    @property
    def ties(self) -> np.ndarray:
        """Number of packages sharing each row's utilities, int64 ``(K,)``."""
        return self.points.counts

    def package(self, k: int) -> tuple[int, ...]:
        """One package (option indices into ``space.options``) of row ``k``."""
        return self._unmap(self.points.representatives[k])

    def packages(self, k: int, *, limit: int | None = None) -> Iterator[tuple[int, ...]]:
        """All packages of row ``k`` (tied utilities), at most ``limit``."""
        for local in self.points.packages(k, limit=limit):
            yield self._unmap(local)

    def choices(self, k: int) -> dict[str, str]:
        """``{issue: option}`` of the representative package of row ``k``."""
        return self.space.choices_of(self.package(k))

    def _unmap(self, local: np.ndarray | tuple[int, ...]) -> tuple[int, ...]:
        return tuple(int(self.admissible[i][int(j)]) for i, j in enumerate(local))


def frontier_of_space(
    space: DealSpace,
    *,
    within_reservations: bool = False,
    provenance_: Provenance | None = None,
) -> Frontier:
    """Exact frontier of a deal space (see :func:`compute_frontier`)."""
    admissible = space.admissible()
    tables = [table[index] for table, index in zip(space.fixed, admissible, strict=True)]
    floor = space.reservation_floor if within_reservations else None
    if any(len(index) == 0 for index in admissible):
        points = _empty_points(len(space.issues), space.n_parties)
    else:
        points = pareto_frontier(tables, floor=floor)
    made = provenance_ or Provenance("zopa.analysis.frontier",
                                     (("within_reservations", within_reservations),))
    return Frontier(space, points, admissible, within_reservations, made)


def _empty_points(n_issues: int, n_parties: int) -> FrontierPoints:
    return FrontierPoints(np.zeros((0, n_parties), dtype=np.int64),
                          np.zeros((0, n_issues), dtype=np.intp), np.zeros(0, dtype=np.int64))


def compute_frontier(scenario: Scenario, *, within_reservations: bool = False) -> Frontier:
    """Exact Pareto frontier of a scenario's packages, within every party's red lines.

    Parameters
    ----------
    scenario
        The negotiation.
    within_reservations
        Keep only packages every party values at least at its reservation (the
        frontier of the ZOPA). That equals the full frontier cut at the reservations.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> frontier = compute_frontier(load_catalog_scenario())
    >>> len(frontier) > 0
    True
    """
    made = provenance("zopa.analysis.frontier.compute_frontier", scenario,
                      within_reservations=within_reservations)
    return frontier_of_space(DealSpace.from_scenario(scenario),
                             within_reservations=within_reservations, provenance_=made)
