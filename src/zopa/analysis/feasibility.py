"""The zone of possible agreement (ZOPA): packages every party prefers to walking away.

A package is in the ZOPA iff it crosses no party's red line and gives every party
at least its reservation utility. For each party the analysis also reports its
*reach*: the best utility it can get from a package that every *other* party
accepts. The ZOPA is empty exactly when some party's reach falls short of its
reservation (or no package satisfies the others at all); the shortfall says by
how much that party would have to lower its reservation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zopa.analysis.bargaining import Solution, pick_solution
from zopa.analysis.frontier import Frontier, frontier_of_space
from zopa.analysis.pareto import pareto_frontier
from zopa.analysis.results import Provenance, provenance
from zopa.analysis.space import DealSpace, from_fixed
from zopa.scenario import Scenario

__all__ = ["ENUMERATION_LIMIT", "PartyReach", "ZopaResult", "closest_package", "find_zopa"]

ENUMERATION_LIMIT = 2_000_000
_CHUNK = 250_000


@dataclass(frozen=True, slots=True)
class PartyReach:
    """How much one party can get from packages all the others accept.

    Attributes
    ----------
    party
        Party id.
    reservation
        Its walk-away utility.
    reach
        Its best utility among packages within the red lines that every other
        party accepts; ``None`` if the others cannot agree among themselves.
    shortfall
        ``reservation - reach`` when positive (the party blocks every package the
        others accept), else 0; ``None`` when ``reach`` is ``None``.
    """

    party: str
    reservation: float
    reach: float | None
    shortfall: float | None


@dataclass(frozen=True, slots=True)
class ZopaResult:
    """Whether a ZOPA exists, how large it is, and who stands in its way.

    Attributes
    ----------
    exists
        True iff at least one package is in the ZOPA.
    space_size
        All packages, red lines included.
    admissible_size
        Packages that cross no red line.
    size
        Packages in the ZOPA, counted exactly when the admissible space has at most
        ``ENUMERATION_LIMIT`` packages, else ``None``.
    frontier
        Pareto-optimal packages of the ZOPA.
    reach
        One :class:`PartyReach` per party.
    vetoed
        ``(party, issue, option)`` for every option ruled out by a red line.
    closest
        The package (within every red line) whose worst-off party is least far below
        its reservation: the egalitarian solution with gains measured from the
        reservations. Its ``gains`` are the surpluses, negative for parties it
        leaves below their reservation. ``None`` if every option of some issue is
        ruled out.
    provenance
        How it was computed.
    """

    exists: bool
    space_size: int
    admissible_size: int
    size: int | None
    frontier: Frontier
    reach: tuple[PartyReach, ...]
    vetoed: tuple[tuple[str, str, str], ...]
    closest: Solution | None
    provenance: Provenance


def _count_zopa(space: DealSpace, admissible: tuple[np.ndarray, ...]) -> int:
    """Count packages above every reservation by chunked enumeration of the admissible space."""
    tables = [table[index] for table, index in zip(space.fixed, admissible, strict=True)]
    floor = space.reservation_floor
    shape = tuple(len(index) for index in admissible)
    total = int(np.prod(shape, dtype=np.int64))
    count = 0
    for start in range(0, total, _CHUNK):
        flat = np.arange(start, min(start + _CHUNK, total))
        packages = np.unravel_index(flat, shape)
        utility = sum(table[choice] for table, choice in zip(tables, packages, strict=True))
        count += int(np.all(utility >= floor, axis=1).sum())
    return count


def _reach(space: DealSpace, admissible: tuple[np.ndarray, ...]) -> tuple[PartyReach, ...]:
    tables = [table[index] for table, index in zip(space.fixed, admissible, strict=True)]
    floor = space.reservation_floor
    found = []
    for p, party in enumerate(space.parties):
        best: float | None = None
        if all(len(index) for index in admissible):
            others = floor.copy()
            others[p] = 0
            points = pareto_frontier(tables, floor=others)
            if len(points):
                best = float(from_fixed(points.utilities[:, p].max()))
        reservation = float(space.reservations[p])
        shortfall = None if best is None else max(0.0, round(reservation - best, 9))
        found.append(PartyReach(party, reservation, best, shortfall))
    return tuple(found)


def closest_package(space: DealSpace) -> Solution | None:
    """The package that maximises the smallest surplus over reservations (may be negative).

    A max-min package can always be found on the Pareto frontier (anything that
    dominates it has at least the same smallest surplus), so the search runs on the
    exact frontier of the admissible space.
    """
    frontier = frontier_of_space(space)
    if len(frontier) == 0:
        return None
    return pick_solution(frontier, space.reservation_floor, "egalitarian")


def find_zopa(scenario: Scenario) -> ZopaResult:
    """Find the zone of possible agreement of a scenario.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> result = find_zopa(load_catalog_scenario())
    >>> result.exists == (len(result.frontier) > 0)
    True
    """
    made = provenance("zopa.analysis.feasibility.find_zopa", scenario)
    space = DealSpace.from_scenario(scenario)
    admissible = space.admissible()
    frontier = frontier_of_space(space, within_reservations=True, provenance_=made)
    admissible_size = int(np.prod([len(index) for index in admissible], dtype=object))
    size = None if len(frontier) else 0
    if len(frontier) and admissible_size <= ENUMERATION_LIMIT:
        size = _count_zopa(space, admissible) if admissible_size else 0
    vetoed = tuple(
        (space.parties[p], issue, space.options[i][j])
        for i, issue in enumerate(space.issues)
        for j, p in zip(*np.nonzero(space.vetoed[i]), strict=True)
    )
    return ZopaResult(len(frontier) > 0, space.size, admissible_size, size, frontier,
                      _reach(space, admissible), vetoed, closest_package(space), made)
