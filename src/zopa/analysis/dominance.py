"""Vectorised Pareto-dominance filters for integer utility vectors.

The filters work on ``(N, P)`` int64 arrays (one row per point, one column per
party). A row *dominates* another when it is at least as large in every column
and strictly larger in one; identical rows never dominate each other.

The core is an offline divide-and-conquer in the spirit of Kung, Luccio and
Preparata (1975): the rows are put in descending lexicographic order, so any
dominator of a row comes earlier; the order is then halved recursively and,
at every level of the recursion, the rows of each left half are tested, all at
once, against the rows of the matching right half on the remaining columns.
Two remaining columns are answered by a sort and a *segmented running
maximum*; more columns recurse on the next column the same way. Every level
is a handful of whole-array numpy operations, so there is no Python loop over
points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LexGroups", "dominated_in_lex_order", "lex_groups", "nondominated_mask"]

_LEAF = 32
"""Blocks of at most this many rows are compared pairwise instead of halved."""

_CHUNK = 1 << 21
"""Upper bound on the number of pairwise comparisons materialised at once."""

_SMALL = 64
"""Up to this many rows, all pairs are compared directly."""


@dataclass(frozen=True, slots=True)
class LexGroups:
    """Rows grouped by equality, groups in descending lexicographic order.

    Attributes
    ----------
    order
        ``(N,)`` permutation of the rows: sorted descending lexicographically,
        ties in their original order.
    starts
        ``(U + 1,)`` offsets into ``order``; group ``u`` (one distinct row) is
        ``order[starts[u]:starts[u + 1]]``.
    """

    order: np.ndarray
    starts: np.ndarray

    @property
    def first(self) -> np.ndarray:
        """Index of the first row of each group, ``(U,)``."""
        return self.order[self.starts[:-1]]

    @property
    def inverse(self) -> np.ndarray:
        """Group number of every row, ``(N,)``."""
        inverse = np.empty(self.order.size, dtype=np.intp)
        sizes = np.diff(self.starts)
        inverse[self.order] = np.repeat(np.arange(sizes.size), sizes)
        return inverse


def lex_groups(points: np.ndarray, *, tiebreak: np.ndarray | None = None) -> LexGroups:
    """Sort ``points`` descending lexicographically and group identical rows.

    Parameters
    ----------
    points
        ``(N, P)`` integer array.
    tiebreak
        Optional ``(N,)`` key ordering identical rows (ascending); by default
        they keep their original order.

    Returns
    -------
    LexGroups
        The order and the group offsets.
    """
    n, p = points.shape
    if p == 0 or n == 0:
        return LexGroups(np.arange(n, dtype=np.intp), np.array([0, n][: 1 + min(n, 1)]))
    order = _lex_descending(points, tiebreak)
    ordered = points[order]
    change = np.any(ordered[1:] != ordered[:-1], axis=1)
    starts = np.concatenate(([0], np.flatnonzero(change) + 1, [n]))
    return LexGroups(order, starts)


def _lex_descending(points: np.ndarray, tiebreak: np.ndarray | None) -> np.ndarray:
    """Descending lexicographic order; equal rows by ``tiebreak``, then by index.

    A fast unstable sort on the first column does most of the work; only runs
    of equal first entries are re-sorted on all columns.
    """
    n = points.shape[0]
    order = np.argsort(-points[:, 0])
    first = points[order, 0]
    tied = np.flatnonzero(first[1:] == first[:-1])
    if tied.size == 0:
        return order
    in_run = np.zeros(n, dtype=bool)
    in_run[tied] = True
    in_run[tied + 1] = True
    spots = np.flatnonzero(in_run)
    rows = order[spots]
    keys = [rows] if tiebreak is None else [rows, tiebreak[rows]]
    keys += [-points[rows, c] for c in range(points.shape[1] - 1, -1, -1)]
    order[spots] = rows[np.lexsort(keys)]
    return order


def nondominated_mask(points: np.ndarray) -> np.ndarray:
    """Mark the rows that no other row dominates.

    Parameters
    ----------
    points
        ``(N, P)`` int64 array.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` bool; ``True`` for rows not dominated by any other row.
        Identical rows share their fate: all are kept or all are dropped.

    Raises
    ------
    ValueError
        If ``points`` is not a two-dimensional int64 array.

    Examples
    --------
    >>> pts = np.array([[2, 1], [1, 2], [1, 1], [2, 1]], dtype=np.int64)
    >>> nondominated_mask(pts).tolist()
    [True, True, False, True]
    """
    points = np.asarray(points)
    if points.ndim != 2 or points.dtype != np.int64:
        raise ValueError(
            f"points must be a 2-D int64 array, got {points.ndim}-D {points.dtype}"
        )
    if points.shape[0] <= _SMALL:
        return ~_dominated_pairwise(points)
    keep = np.zeros(points.shape[0], dtype=bool)
    rest = np.flatnonzero(~dominated_by_grid(points))
    groups = lex_groups(points[rest])
    distinct = points[rest[groups.first]]
    keep[rest] = (~dominated_in_lex_order(distinct))[groups.inverse]
    return keep


def dominated_by_grid(points: np.ndarray, *, cells: int = 1 << 18) -> np.ndarray:
    """Cheap partial test: rows that certainly are dominated (a sound pre-filter).

    Each column is cut into ``g`` monotone bins (``g ** P <= cells``, ``g`` a power
    of two, bins by bit shift); a row is
    dominated if some occupied cell lies strictly above the row's cell in every
    column, since every row of that cell is then strictly larger in every column.
    Returns ``False`` for rows it cannot decide.

    Parameters
    ----------
    points
        ``(N, P)`` int64.
    cells
        Upper bound on the number of grid cells.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` bool; ``True`` only for rows that some other row dominates.
    """
    n, p = points.shape
    bits = int(np.log2(cells) // p) if p else 0
    if n < 2 * cells**0.5 or bits < 1 or p < 2:
        return np.zeros(n, dtype=bool)
    g = 1 << bits
    flat = np.zeros(n, dtype=np.int64)
    for c in range(p):
        low = points[:, c].min()
        shift = max(0, int(points[:, c].max() - low).bit_length() - bits)
        flat <<= bits
        flat |= (points[:, c] - low) >> shift  # non-decreasing in the value: sound
    above = np.zeros(g**p, dtype=bool)
    above[flat] = True
    above = above.reshape((g,) * p)
    for axis in range(p):
        above = np.flip(np.logical_or.accumulate(np.flip(above, axis), axis=axis), axis)
    strictly = np.zeros((g + 1,) * p, dtype=bool)
    strictly[(slice(0, g),) * p] = above
    strictly = strictly[(slice(1, g + 1),) * p]  # occupied cell >= c + 1 in every column
    return strictly.reshape(-1)[flat]


def dominated_in_lex_order(points: np.ndarray) -> np.ndarray:
    """Dominance test for distinct rows already in descending lexicographic order.

    Parameters
    ----------
    points
        ``(U, P)`` int64, rows distinct and sorted descending lexicographically.

    Returns
    -------
    numpy.ndarray
        ``(U,)`` bool; ``True`` where some other row dominates the row.
    """
    u, p = points.shape
    if u <= 1 or p == 0:
        return np.zeros(u, dtype=bool)
    if u <= _SMALL:
        return _dominated_pairwise(points)
    if p == 1:
        return np.arange(u) > 0
    if p == 2:
        best = np.maximum.accumulate(points[:, 1])
        return np.concatenate(([False], best[:-1] >= points[1:, 1]))
    ranks = np.column_stack([_dense_rank(points[:, c]) for c in range(1, p)])
    return _dominated_by_earlier(ranks)


def _dominated_pairwise(points: np.ndarray) -> np.ndarray:
    """The definition, all pairs at once: for a few rows only."""
    n = points.shape[0]
    ge = np.ones((n, n), dtype=bool)  # [i, j]: row j >= row i in every column
    gt = np.zeros((n, n), dtype=bool)  # [i, j]: row j > row i in some column
    for column in points.T:
        ge &= column[None, :] >= column[:, None]
        gt |= column[None, :] > column[:, None]
    return np.any(ge & gt, axis=1)


def _dense_rank(values: np.ndarray) -> np.ndarray:
    """Dense ranks 0..D-1 of ``values`` (equal values share a rank)."""
    order = np.argsort(values)
    ordered = values[order]
    step = np.concatenate(([0], (ordered[1:] != ordered[:-1]).astype(np.int32)))
    ranks = np.empty(values.size, dtype=np.int32)
    ranks[order] = np.cumsum(step)
    return ranks


def _dominated_by_earlier(ranks: np.ndarray) -> np.ndarray:
    """For each row, whether an earlier row is ``>=`` in every column of ``ranks``.

    Bottom-up halving (Kung, Luccio and Preparata): once a row is known to be
    dominated inside its block it takes no further part, neither as a query
    nor as a potential dominator, because whatever it dominates is also
    dominated by the row that dominates it.
    """
    n = ranks.shape[0]
    position = np.arange(n, dtype=np.int64)
    everyone = np.ones(n, dtype=bool)
    hit = _pairwise_in_blocks(np.zeros(n, dtype=np.int64), position, everyone, everyone, ranks)
    level = _LEAF.bit_length() - 1
    while (1 << level) < n:
        alive = np.flatnonzero(~hit)
        left = ((alive >> level) & 1) == 0
        take, group = _split(np.zeros(alive.size, np.int64), alive, left, level)
        found = _bipartite_any(group, left[take], ranks[alive[take]])
        hit[alive[take[found]]] = True
        level += 1
    return hit


def _split(
    group: np.ndarray, position: np.ndarray, is_data: np.ndarray, level: int
) -> tuple[np.ndarray, np.ndarray]:
    """Cross problems of one halving level: which items take part, and their problem ids.

    The block ``position >> (level + 1)`` of each group is halved; data items
    of the left half face query items of the right half. Items must be sorted
    by (group, position); blocks lacking either role are left out.
    """
    left = ((position >> level) & 1) == 0
    take = np.flatnonzero(left == is_data)
    if take.size == 0:
        return take, take.astype(np.int64)
    block = position[take] >> (level + 1)
    change = (np.diff(group[take]) != 0) | (np.diff(block) != 0)
    new_group = np.concatenate(([0], np.cumsum(change)))
    starts = np.concatenate(([0], np.flatnonzero(change) + 1))
    data = np.add.reduceat(is_data[take].astype(np.int64), starts)
    both = (data > 0) & (data < np.diff(np.concatenate((starts, [take.size]))))
    keep = both[new_group]
    return take[keep], new_group[keep]


def _pairwise_in_blocks(
    group: np.ndarray,
    position: np.ndarray,
    is_data: np.ndarray,
    is_query: np.ndarray,
    ranks: np.ndarray,
) -> np.ndarray:
    """Brute force inside blocks of ``_LEAF`` consecutive positions.

    A query is hit by a data item of the same block that comes earlier (by
    position) and is ``>=`` in every column. Items sorted by (group, position).
    """
    n, k = ranks.shape
    hit = np.zeros(n, dtype=bool)
    if n == 0:
        return hit
    leaf = position // _LEAF
    change = (np.diff(group) != 0) | (np.diff(leaf) != 0)
    block = np.concatenate(([0], np.cumsum(change)))
    table = np.full((int(block[-1]) + 1, _LEAF), -1, dtype=np.int64)
    table[block, position % _LEAF] = np.arange(n)
    per_chunk = max(1, _CHUNK // (_LEAF * _LEAF))
    earlier = np.tri(_LEAF, _LEAF, -1, dtype=bool)  # [i, j]: j < i
    for start in range(0, table.shape[0], per_chunk):
        rows = table[start : start + per_chunk]
        valid = rows >= 0
        idx = np.where(valid, rows, 0)
        ge = (valid & is_data[idx])[:, None, :] & earlier  # [b, i, j]: j may hit i
        for c in range(k):
            column = ranks[idx, c]
            ge &= column[:, None, :] >= column[:, :, None]
        found = _any_last_axis(ge) & valid & is_query[idx]
        hit[rows[found]] = True
    return hit


def _any_last_axis(flags: np.ndarray) -> np.ndarray:
    """``flags.any(axis=-1)`` for a C-contiguous bool array, via 8-byte words."""
    width = flags.shape[-1]
    if width % 8:
        return flags.any(axis=-1)
    words = flags.view(np.uint64)
    found = words[..., 0] != 0
    for w in range(1, width // 8):
        found |= words[..., w] != 0
    return found


def _bipartite_any(group: np.ndarray, is_data: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Queries hit by a data item of their own group (``>=`` in every column of ``r``).

    ``group`` numbers independent problems; returns a bool per item (always
    ``False`` for data items).
    """
    k = r.shape[1]
    size = np.int64(r[:, 0].max(initial=0)) + 2
    # sort by (group, first column descending, data before query)
    key = (group * size + (size - 1 - r[:, 0])) * 2 + (~is_data)
    order = np.argsort(key)
    if k == 2:
        found = _segmented_prefix_max(group[order], is_data[order], r[order, 1])
    else:
        found = _bipartite_deeper(group[order], is_data[order], r[order])
    hit = np.empty_like(found)
    hit[order] = found
    return hit


def _segmented_prefix_max(group: np.ndarray, is_data: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Queries preceded, within their group, by a data item with ``last >=`` theirs.

    Groups are made disjoint value ranges (``group * size + ...``) so that a
    single running maximum over the whole array never carries across groups.
    """
    size = np.int64(last.max(initial=0)) + 2
    base = group * size
    value = np.where(is_data, base + last + 1, base)
    running = np.maximum.accumulate(value)
    return ~is_data & (running >= base + last + 1)


def _bipartite_deeper(group: np.ndarray, is_data: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Three or more columns: halve on the first one, recurse on the rest.

    Items are sorted by (group, first column descending, data first), so a data
    item can beat a query on the first column iff it comes earlier in its
    group. Levels run bottom-up; a query already hit is not asked again.
    """
    n = group.size
    starts = np.concatenate(([0], np.flatnonzero(np.diff(group)) + 1))
    sizes = np.diff(np.concatenate((starts, [n])))
    position = np.arange(n, dtype=np.int64) - np.repeat(starts, sizes)
    hit = _pairwise_in_blocks(group, position, is_data, ~is_data, r)
    level = _LEAF.bit_length() - 1
    largest = int(sizes.max(initial=0))
    while (1 << level) < largest:
        open_ = np.flatnonzero(is_data | ~hit)
        take, sub = _split(group[open_], position[open_], is_data[open_], level)
        found = _bipartite_any(sub, is_data[open_[take]], r[open_[take], 1:])
        hit[open_[take[found]]] = True
        level += 1
    return hit
