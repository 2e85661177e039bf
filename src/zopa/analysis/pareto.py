"""Exact Pareto frontier of an additive deal space, without listing the space.

A deal space has ``n`` issues; issue ``i`` has ``m_i`` options and a table
``T_i`` of shape ``(m_i, P)`` giving each option's contribution to each of ``P``
parties' utilities. A *package* picks one option per issue, and party ``p``
values package ``(j_0, ..., j_{n-1})`` at ``sum_i T_i[j_i, p]``. The tables are
int64 fixed point, so sums and ties are exact.

:func:`pareto_frontier` merges the issues one at a time, keeping only the
non-dominated partial sums after each merge (a partial sum that is dominated
stays dominated whatever the remaining issues add). Identical partial sums are
merged into one point that remembers every way it was reached, so tied packages
are counted and enumerated without being multiplied out.
:func:`pareto_brute_force` lists every package and serves as the reference.

References
----------
.. [1] H. T. Kung, F. Luccio and F. P. Preparata, "On finding the maxima of a
   set of vectors", Journal of the ACM 22(4), 469-476, 1975.
.. [2] S. Börzsönyi, D. Kossmann and K. Stocker, "The Skyline operator",
   Proc. 17th ICDE, 421-430, 2001.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zopa.analysis.dominance import (
    dominated_by_grid,
    dominated_in_lex_order,
    lex_groups,
    nondominated_mask,
)
from zopa.analysis.pareto_brute import pareto_brute_force
from zopa.analysis.pareto_points import FrontierPoints, TieGraph, validated_tables
from zopa.limits import Limits, current_limits

__all__ = [
    "FrontierPoints",
    "TieGraph",
    "nondominated_mask",
    "pareto_brute_force",
    "pareto_frontier",
]

_GRID_CELLS = 2**16
"""Grid size of the pre-filter applied to each merge's candidates."""
_BYTES_PER_CANDIDATE_COLUMN = 64
"""Bound on a merge step's peak bytes per candidate and per (party + 1); measured up to 56."""


def pareto_frontier(
    tables: Sequence[np.ndarray],
    *,
    floor: np.ndarray | None = None,
    n_parties: int | None = None,
) -> FrontierPoints:
    """Exact Pareto frontier of an additive deal space, by issue-by-issue merge.

    Parameters
    ----------
    tables
        ``tables[i]`` is an int64 array ``(m_i, P)`` with entries ``>= 0``:
        option ``j`` of issue ``i`` adds ``tables[i][j, p]`` to party ``p``'s utility.
    floor
        Optional ``(P,)`` integer array. Only packages worth at least
        ``floor[p]`` to every party ``p`` are considered (reservation values);
        the result is the frontier of that set, which equals the full frontier
        cut at the floor.
    n_parties
        Number of parties; needed only when ``tables`` is empty and no
        ``floor`` is given (otherwise inferred and checked).

    Returns
    -------
    FrontierPoints
        Distinct frontier vectors, one representative package each, tie counts,
        and back-pointers to enumerate every tied package.

    Raises
    ------
    ValueError
        If a table is not a 2-D int64 array with at least one option and
        non-negative entries, if the tables disagree on the number of parties,
        if ``floor`` has the wrong shape or type, or if the largest sum
        could overflow int64.
    LimitError
        Before a merge step whose arrays would need more than ``max_deal_space_bytes``
        (:mod:`zopa.limits`, ``ZOPA_MAX_DEAL_SPACE_BYTES``).

    Notes
    -----
    Issues are merged from the last to the first. After each merge the
    candidate sums are grouped by equality, those that cannot reach the floor
    even with the best options of the issues still to merge are dropped, and
    the rest are filtered with an exact dominance test
    (:func:`zopa.analysis.dominance.dominated_in_lex_order`). The whole space is
    never listed: the work grows with the size of the intermediate frontiers.

    Examples
    --------
    >>> t = np.array([[2, 0], [0, 2], [1, 1]], dtype=np.int64)
    >>> front = pareto_frontier([t, t])
    >>> front.utilities.tolist()
    [[4, 0], [3, 1], [2, 2], [1, 3], [0, 4]]
    >>> front.counts.tolist()
    [1, 2, 3, 2, 1]
    >>> list(front.packages(2))
    [(0, 1), (1, 0), (2, 2)]
    """
    checked = validated_tables(tables, floor, n_parties)
    tables, floor = checked.tables, checked.floor
    p = floor.size
    headroom = _headroom(tables, p)
    sums = np.zeros((1, p), dtype=np.int64)
    counts = np.ones(1, dtype=np.int64)
    merges: list[_Merge] = []
    budget = current_limits()
    if not np.all(headroom[-1] >= floor):
        sums = sums[:0]
        counts = counts[:0]
    for i in range(len(tables) - 1, -1, -1):
        merge = _merge_issue(sums, tables[i], floor - headroom[i], budget, _held(merges))
        counts = _tie_counts(counts, merge)
        sums = merge.sums
        merges.append(merge)
    merges.reverse()
    _check_memory(budget, _held(merges) + sums.shape[0] * len(tables) * 8)  # representatives
    ties = TieGraph(
        pointers=tuple(m.pointers for m in merges),
        options=tuple(m.options for m in merges),
        children=tuple(m.children for m in merges),
    )
    return FrontierPoints(sums, _representatives(ties, sums.shape[0]), counts, ties)


@dataclass(frozen=True, slots=True)
class _Merge:
    """One merge step: the new frontier and one level of the tie graph."""

    sums: np.ndarray
    pointers: np.ndarray
    options: np.ndarray
    children: np.ndarray


def _merge_issue(sums: np.ndarray, table: np.ndarray, need: np.ndarray, budget: Limits,
                 kept: int) -> _Merge:
    """Add one issue to the current frontier and keep the non-dominated sums.

    ``need`` is what a partial sum must reach now so that the remaining issues
    can still lift it to the floor. The new frontier is sorted descending
    lexicographically and distinct. Before any candidate is formed, the step's
    memory (plus ``kept`` bytes held by earlier steps) is checked against the
    ``budget``'s ``max_deal_space_bytes`` (a LimitError if over).
    """
    k, p = sums.shape
    useful = np.flatnonzero(nondominated_mask(table))  # a dominated option never helps
    table = table[useful]
    m = table.shape[0]
    _check_memory(budget, kept + k * m * (p + 1) * _BYTES_PER_CANDIDATE_COLUMN)
    candidates = (sums[:, None, :] + table[None, :, :]).reshape(k * m, p)
    alive = np.flatnonzero(np.all(candidates >= need, axis=1))
    alive = alive[~dominated_by_grid(candidates[alive], cells=_GRID_CELLS)]
    candidates = candidates[alive]
    groups = lex_groups(candidates, tiebreak=alive % m)
    distinct = candidates[groups.first]
    kept = np.flatnonzero(~dominated_in_lex_order(distinct))
    sizes = np.diff(groups.starts)[kept]
    source = alive[groups.order[_ranges(groups.starts[kept], sizes)]]
    pointers = np.concatenate(([0], np.cumsum(sizes)))
    return _Merge(distinct[kept], pointers, useful[source % m], source // m)


def _held(merges: list[_Merge]) -> int:
    """Bytes held by the merge steps done so far (the tie graph)."""
    return sum(a.nbytes for m in merges for a in (m.sums, m.pointers, m.options, m.children))


def _check_memory(budget: Limits, needed: int) -> None:
    budget.check("max_deal_space_bytes", needed,
                 what="bytes of memory needed by the deal-space merge")


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + n)`` for each start and size."""
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, dtype=np.intp)
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return np.arange(total) + shift


def _tie_counts(counts: np.ndarray, merge: _Merge) -> np.ndarray:
    """Number of packages behind each new node: the sum over its pairs."""
    if merge.pointers.size == 1:
        return np.zeros(0, dtype=np.int64)
    per_pair = counts[merge.children]
    approx = np.add.reduceat(per_pair.astype(np.float64), merge.pointers[:-1])
    if approx.max() >= 2.0**62:
        raise OverflowError("more than 2**62 packages share one utility vector; "
                            "counts do not fit in int64")
    return np.add.reduceat(per_pair, merge.pointers[:-1])


def _representatives(ties: TieGraph, k: int) -> np.ndarray:
    """First (lexicographically smallest) package of every level-0 node."""
    n = len(ties.pointers)
    reps = np.zeros((k, n), dtype=np.intp)
    node = np.arange(k)
    for i in range(n):
        first = ties.pointers[i][node]
        reps[:, i] = ties.options[i][first]
        node = ties.children[i][first]
    return reps


def _headroom(tables: list[np.ndarray], p: int) -> np.ndarray:
    """``headroom[i]``: the most issues ``0..i-1`` can add, per party, ``(n + 1, P)``."""
    best = np.array([t.max(axis=0) for t in tables], dtype=np.int64).reshape(len(tables), p)
    return np.vstack([np.zeros((1, p), dtype=np.int64), np.cumsum(best, axis=0)])
