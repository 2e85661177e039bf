"""Result type of the frontier kernels and their shared input checks.

:class:`FrontierPoints` holds the distinct Pareto-optimal utility vectors of a
deal space; :class:`TieGraph` holds the back-pointers through which every tied
package can be enumerated without multiplying ties out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["FrontierPoints", "TieGraph", "validated_tables"]

_INT64_MAX = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class TieGraph:
    """Back-pointers of the merge: how each frontier point can be reached.

    Level ``i`` holds the distinct non-dominated sums over issues ``i..n-1``;
    level ``n`` is the single empty sum. Every node of level ``i`` lists its
    *pairs* ``(option of issue i, node of level i + 1)``, sorted by option.

    Attributes
    ----------
    pointers
        ``pointers[i]`` is ``(K_i + 1,)``: the pairs of node ``k`` of level
        ``i`` are ``pointers[i][k]:pointers[i][k + 1]``.
    options
        ``options[i]`` is the option of issue ``i`` of each pair.
    children
        ``children[i]`` is the level ``i + 1`` node of each pair.
    """

    pointers: tuple[np.ndarray, ...]
    options: tuple[np.ndarray, ...]
    children: tuple[np.ndarray, ...]

    def walk(self, node: int, limit: int | None) -> Iterator[tuple[int, ...]]:
        """Packages through ``node`` of level 0, lexicographically, at most ``limit``."""
        n = len(self.pointers)
        if limit is not None and limit <= 0:
            return
        if n == 0:
            yield ()
            return
        path = [0] * n
        cursor = [int(self.pointers[0][node])] + [0] * (n - 1)
        end = [int(self.pointers[0][node + 1])] + [0] * (n - 1)
        level, emitted = 0, 0
        while level >= 0:
            if cursor[level] == end[level]:
                level -= 1
                continue
            pair = cursor[level]
            cursor[level] += 1
            path[level] = int(self.options[level][pair])
            if level == n - 1:
                yield tuple(path)
                emitted += 1
                if limit is not None and emitted >= limit:
                    return
                continue
            child = int(self.children[level][pair])
            level += 1
            cursor[level] = int(self.pointers[level][child])
            end[level] = int(self.pointers[level][child + 1])


@dataclass(frozen=True, slots=True)
class FrontierPoints:
    """The distinct Pareto-optimal utility vectors of a deal space.

    Attributes
    ----------
    utilities
        ``(K, P)`` int64; one row per distinct Pareto-optimal utility vector,
        sorted in descending lexicographic order.
    representatives
        ``(K, n_issues)`` intp; the lexicographically smallest package (option
        index per issue) achieving each row.
    counts
        ``(K,)`` int64; how many packages achieve exactly each row.
    ties
        Back-pointers that enumerate every package of a row (``None`` when
        the points were built directly; then only ``representatives`` are known).
    """

    utilities: np.ndarray
    representatives: np.ndarray
    counts: np.ndarray
    ties: TieGraph | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    def packages(self, k: int, *, limit: int | None = None) -> Iterator[tuple[int, ...]]:
        """All packages whose utility vector equals ``utilities[k]``.

        Parameters
        ----------
        k
            Row number, ``0 <= k < len(self)``.
        limit
            Stop after this many packages (``None``: all ``counts[k]`` of them).

        Returns
        -------
        Iterator of tuple of int
            Packages (option index per issue), in lexicographic order.

        Raises
        ------
        IndexError
            If ``k`` is not a row number.
        """
        if not 0 <= k < len(self):
            raise IndexError(f"row {k} out of range for a frontier of {len(self)} points")
        if self.ties is not None:
            return self.ties.walk(k, limit)
        only = [tuple(int(j) for j in self.representatives[k])]
        return iter(only if limit is None or limit > 0 else [])


@dataclass(frozen=True, slots=True)
class CheckedTables:
    """Checked inputs: the tables as a list and the floor as int64 ``(P,)``."""

    tables: list[np.ndarray]
    floor: np.ndarray


def validated_tables(
    tables: Sequence[np.ndarray], floor: np.ndarray | None, n_parties: int | None
) -> CheckedTables:
    """Check the inputs of both kernels (see :func:`pareto_frontier`)."""
    tables = list(tables)
    for i, table in enumerate(tables):
        if not isinstance(table, np.ndarray) or table.ndim != 2 or table.dtype != np.int64:
            kind = f"{table.ndim}-D {table.dtype}" if isinstance(table, np.ndarray) else type(
                table).__name__
            raise ValueError(f"tables[{i}] must be a 2-D int64 array (options x parties), "
                             f"got {kind}")
        if table.shape[0] == 0:
            raise ValueError(f"tables[{i}] has no options; every issue needs at least one")
        if table.size and table.min() < 0:
            raise ValueError(f"tables[{i}] has a negative entry ({table.min()}); "
                             "utilities must be >= 0")
    widths = {t.shape[1] for t in tables}
    if floor is not None:
        floor = np.asarray(floor)
        if floor.ndim != 1 or not np.issubdtype(floor.dtype, np.integer):
            raise ValueError(f"floor must be a 1-D integer array, got {floor.ndim}-D {floor.dtype}")
        widths.add(floor.size)
    if n_parties is not None:
        widths.add(int(n_parties))
    if len(widths) > 1:
        raise ValueError(f"tables, floor and n_parties disagree on the number of parties: "
                         f"{sorted(widths)}")
    p = widths.pop() if widths else 0
    if sum(int(t.max(initial=0)) for t in tables) > _INT64_MAX // 2:
        raise ValueError("the largest possible sum exceeds int64 range; scale the tables down")
    floor = np.zeros(p, dtype=np.int64) if floor is None else floor.astype(np.int64)
    return CheckedTables(tables, floor)
