"""Reference frontier by full enumeration, for tests and small spaces.

Every package is evaluated (in chunks of ``2**20``), the packages below the floor
are dropped, and the rest are filtered with
:func:`zopa.analysis.dominance.nondominated_mask`. The work and memory grow with
the number of packages; :func:`zopa.analysis.pareto.pareto_frontier` does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zopa.analysis.dominance import lex_groups, nondominated_mask
from zopa.analysis.pareto_points import FrontierPoints, TieGraph, validated_tables

__all__ = ["pareto_brute_force"]

_BRUTE_FORCE_LIMIT = 2**25
_CHUNK_PACKAGES = 2**20


def pareto_brute_force(
    tables: Sequence[np.ndarray],
    *,
    floor: np.ndarray | None = None,
    n_parties: int | None = None,
) -> FrontierPoints:
    """Reference frontier: evaluate every package, then filter.

    Same parameters, result and errors as :func:`pareto_frontier`, but the work
    and memory grow with the number of packages; meant for tests and small
    spaces.

    Raises
    ------
    ValueError
        As :func:`pareto_frontier`, and if the space has more than ``2**25`` packages.

    Examples
    --------
    >>> t = np.array([[2, 0], [0, 2], [1, 1]], dtype=np.int64)
    >>> pareto_brute_force([t, t]).counts.tolist()
    [1, 2, 3, 2, 1]
    """
    checked = validated_tables(tables, floor, n_parties)
    tables, floor = checked.tables, checked.floor
    shape = tuple(t.shape[0] for t in tables)
    total = int(np.prod(shape, dtype=object))
    if total > _BRUTE_FORCE_LIMIT:
        raise ValueError(f"the space has {total} packages; brute force is limited to "
                         f"{_BRUTE_FORCE_LIMIT}")
    survivors = _rational_maxima_by_chunk(tables, floor)
    keep = np.flatnonzero(nondominated_mask(survivors.utilities))
    flat, utilities = survivors.flat[keep], survivors.utilities[keep]
    groups = lex_groups(utilities)  # ties stay in flat (= lexicographic) order
    flat, utilities = flat[groups.order], utilities[groups.order]
    packages = np.zeros((flat.size, len(shape)), dtype=np.intp)
    if shape:
        packages[:] = np.column_stack(np.unravel_index(flat, shape))
    firsts = groups.starts[:-1]
    return FrontierPoints(
        utilities[firsts], packages[firsts], np.diff(groups.starts).astype(np.int64),
        _explicit_ties(packages, groups.starts),
    )


@dataclass(frozen=True, slots=True)
class _Enumerated:
    """Packages by flat number (lexicographic order) and their utilities."""

    flat: np.ndarray
    utilities: np.ndarray


def _rational_maxima_by_chunk(tables: list[np.ndarray], floor: np.ndarray) -> _Enumerated:
    """Evaluate every package chunk by chunk; keep each chunk's rational maxima.

    Returns the flat package numbers (lexicographic order) and utilities of
    the survivors. The maxima of all survivors are the maxima of the space:
    a row dropped inside its chunk is dominated by a survivor of that chunk.
    """
    p = floor.size
    half = len(tables) // 2
    head, tail = _all_sums(tables[:half], p), _all_sums(tables[half:], p)
    rows = max(1, _CHUNK_PACKAGES // tail.shape[0])
    flats, found = [], []
    for start in range(0, head.shape[0], rows):
        block = head[start : start + rows]
        columns = np.empty((p, block.shape[0] * tail.shape[0]), dtype=np.int64)
        rational = np.ones(columns.shape[1], dtype=bool)
        for c in range(p):
            columns[c] = np.add.outer(block[:, c], tail[:, c]).reshape(-1)
            rational &= columns[c] >= floor[c]
        index = np.flatnonzero(rational)
        utilities = np.ascontiguousarray(columns[:, index].T)
        best = np.flatnonzero(nondominated_mask(utilities))
        flats.append(start * tail.shape[0] + index[best])
        found.append(utilities[best])
    return _Enumerated(np.concatenate(flats), np.concatenate(found))


def _all_sums(tables: list[np.ndarray], p: int) -> np.ndarray:
    """Utilities of every package of ``tables``, in lexicographic package order."""
    sums = np.zeros((1, p), dtype=np.int64)
    for table in tables:
        sums = (sums[:, None, :] + table[None, :, :]).reshape(-1, p)
    return sums


def _explicit_ties(packages: np.ndarray, starts: np.ndarray) -> TieGraph:
    """A one-level-per-issue graph listing given packages (grouped by row) verbatim.

    Row ``u`` owns ``packages[starts[u]:starts[u + 1]]``; each package becomes a
    chain of single-pair nodes, so :meth:`TieGraph.walk` replays them in order.
    """
    total, n = packages.shape
    if n == 0:
        return TieGraph((), (), ())
    single = np.arange(total + 1)
    pointers = (starts, *([single] * (n - 1)))
    children = (*([np.arange(total)] * (n - 1)), np.zeros(total, dtype=np.intp))
    return TieGraph(pointers, tuple(packages[:, i] for i in range(n)), children)
