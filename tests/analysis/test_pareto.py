"""The exact frontier kernel: merge == brute force == the definition, ties and edge cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.analysis import dominance
from zopa.analysis.pareto import (
    FrontierPoints,
    nondominated_mask,
    pareto_brute_force,
    pareto_frontier,
)


# -- references -----------------------------------------------------------------------------
def _quadratic_mask(points: np.ndarray) -> np.ndarray:
    """The definition, O(N^2): dominated iff some row is >= everywhere and > somewhere."""
    n = points.shape[0]
    ge = np.ones((n, n), dtype=bool)  # [i, j]: row j >= row i everywhere
    gt = np.zeros((n, n), dtype=bool)  # [i, j]: row j > row i somewhere
    for column in points.T:
        ge &= column[None, :] >= column[:, None]
        gt |= column[None, :] > column[:, None]
    return ~np.any(ge & gt, axis=1)


def _definition(tables: list[np.ndarray], floor: np.ndarray) -> dict[tuple, list[tuple]]:
    """Frontier by the definition, in plain Python: {utility vector: sorted packages}."""
    sums = {}
    for package in itertools.product(*(range(t.shape[0]) for t in tables)):
        u = tuple(int(x) for x in sum((t[j] for t, j in zip(tables, package, strict=True)),
                                      np.zeros(floor.size, dtype=np.int64)))
        if all(a >= b for a, b in zip(u, floor, strict=True)):
            sums.setdefault(u, []).append(package)
    front = {}
    for u, packages in sums.items():
        beaten = any(all(a >= b for a, b in zip(v, u, strict=True)) and v != u for v in sums)
        if not beaten:
            front[u] = packages
    return front


def _as_dict(points: FrontierPoints) -> dict[tuple, list[tuple]]:
    return {tuple(int(x) for x in points.utilities[k]): list(points.packages(k))
            for k in range(len(points))}


def _assert_same(a: FrontierPoints, b: FrontierPoints) -> None:
    np.testing.assert_array_equal(a.utilities, b.utilities)
    np.testing.assert_array_equal(a.counts, b.counts)
    np.testing.assert_array_equal(a.representatives, b.representatives)
    assert _as_dict(a) == _as_dict(b)


def _assert_well_formed(points: FrontierPoints, tables: list[np.ndarray]) -> None:
    k, p = points.utilities.shape
    assert points.utilities.dtype == np.int64 and points.counts.dtype == np.int64
    assert points.representatives.shape == (k, len(tables))
    assert points.counts.shape == (k,)
    rows = [tuple(r) for r in points.utilities.tolist()]
    assert rows == sorted(rows, reverse=True) and len(set(rows)) == k
    for row in range(k):
        packages = list(points.packages(row))
        assert len(packages) == points.counts[row]
        assert packages == sorted(packages) and packages[0] == tuple(points.representatives[row])
        for package in packages:
            u = sum((t[j] for t, j in zip(tables, package, strict=True)), np.zeros(p, np.int64))
            np.testing.assert_array_equal(u, points.utilities[row])


# -- strategies -----------------------------------------------------------------------------
@st.composite
def spaces(draw: st.DrawFn) -> tuple[list[np.ndarray], np.ndarray | None, int]:
    p = draw(st.integers(1, 4))
    n = draw(st.integers(0, 5))
    tables = []
    for _ in range(n):
        m = draw(st.integers(1, 4))
        cells = draw(st.lists(st.integers(0, 3), min_size=m * p, max_size=m * p))
        tables.append(np.array(cells, dtype=np.int64).reshape(m, p))
    floor = None
    if draw(st.booleans()):
        values = draw(st.lists(st.integers(-1, 2 * n + 1), min_size=p, max_size=p))
        floor = np.array(values, dtype=np.int64)
    return tables, floor, p


# -- merge == brute force == definition -----------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(spaces())
def test_merge_equals_brute_force(space: tuple[list[np.ndarray], np.ndarray | None, int]) -> None:
    tables, floor, p = space
    merged = pareto_frontier(tables, floor=floor, n_parties=p)
    brute = pareto_brute_force(tables, floor=floor, n_parties=p)
    _assert_same(merged, brute)
    _assert_well_formed(merged, tables)


@settings(max_examples=100, deadline=None)
@given(spaces())
def test_brute_force_follows_the_definition(
    space: tuple[list[np.ndarray], np.ndarray | None, int],
) -> None:
    tables, floor, p = space
    brute = pareto_brute_force(tables, floor=floor, n_parties=p)
    expected = _definition(tables, np.zeros(p, np.int64) if floor is None else floor)
    assert _as_dict(brute) == expected


def _baseline_family(parties: int, issues: int, options: int, seed: int):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0, 1, (parties, issues))
    w /= w.sum(axis=1, keepdims=True)
    tables = [np.rint(w[:, i] * rng.uniform(0, 1, (options, parties)) * 2**40).astype(np.int64)
              for i in range(issues)]
    floor = np.rint(rng.uniform(0.3, 0.5, parties) * 2**40).astype(np.int64)
    return tables, floor


@pytest.mark.parametrize("leaf", [1, 4])
def test_merge_without_shortcuts_equals_brute_force(
    monkeypatch: pytest.MonkeyPatch, leaf: int
) -> None:
    """Small inputs normally take the all-pairs shortcut; here every path runs."""
    monkeypatch.setattr(dominance, "_SMALL", 0)
    monkeypatch.setattr(dominance, "_LEAF", leaf)
    rng = np.random.default_rng(leaf)
    for _ in range(40):
        p = int(rng.integers(1, 5))
        tables = [rng.integers(0, 4, (int(rng.integers(1, 5)), p)).astype(np.int64)
                  for _ in range(int(rng.integers(0, 6)))]
        floor = rng.integers(0, 6, p).astype(np.int64) if rng.random() < 0.5 else None
        _assert_same(pareto_frontier(tables, floor=floor, n_parties=p),
                     pareto_brute_force(tables, floor=floor, n_parties=p))


@pytest.mark.parametrize("with_floor", [False, True])
def test_moderately_large_space_3_parties_12x4(with_floor: bool) -> None:
    tables, floor = _baseline_family(3, 12, 4, seed=11)
    floor = floor if with_floor else None
    merged = pareto_frontier(tables, floor=floor)
    _assert_same(merged, pareto_brute_force(tables, floor=floor))
    assert len(merged) > 100


def test_four_and_five_parties_match_brute_force() -> None:
    for parties, issues, seed in ((4, 8, 3), (5, 7, 4)):
        tables, floor = _baseline_family(parties, issues, 4, seed)
        _assert_same(pareto_frontier(tables), pareto_brute_force(tables))
        _assert_same(pareto_frontier(tables, floor=floor // 2),
                     pareto_brute_force(tables, floor=floor // 2))


def test_coarse_utilities_with_many_ties_match_brute_force() -> None:
    rng = np.random.default_rng(5)
    tables = [rng.integers(0, 3, (3, 3)).astype(np.int64) for _ in range(9)]
    merged = pareto_frontier(tables)
    _assert_same(merged, pareto_brute_force(tables))
    assert merged.counts.max() > 1


# -- nondominated_mask ----------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda p: st.lists(
            st.lists(st.integers(0, 4), min_size=p, max_size=p), min_size=0, max_size=200
        ).map(lambda rows: np.array(rows, dtype=np.int64).reshape(len(rows), p))
    )
)
def test_nondominated_mask_matches_definition(points: np.ndarray) -> None:
    np.testing.assert_array_equal(nondominated_mask(points), _quadratic_mask(points))


@pytest.mark.parametrize("leaf", [1, 2, 8])
@pytest.mark.parametrize("parties", [2, 3, 4, 5])
def test_nondominated_mask_with_every_recursion_level(
    monkeypatch: pytest.MonkeyPatch, leaf: int, parties: int
) -> None:
    monkeypatch.setattr(dominance, "_LEAF", leaf)
    rng = np.random.default_rng(leaf * 10 + parties)
    for high in (3, 1000):
        points = rng.integers(0, high, (300, parties)).astype(np.int64)
        points = np.vstack([points, points[:40]])  # exact duplicates
        np.testing.assert_array_equal(nondominated_mask(points), _quadratic_mask(points))


@pytest.mark.parametrize("parties", [2, 3, 4, 6])
def test_nondominated_mask_on_large_near_antichains(parties: int) -> None:
    """Big enough for the grid pre-filter and the full halving recursion."""
    rng = np.random.default_rng(parties)
    x = rng.random((1500, parties))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    points = (x * 10_000).astype(np.int64) + rng.integers(0, 300, (1500, parties))
    points = np.vstack([points, points[::7], rng.integers(0, 9000, (300, parties))])
    np.testing.assert_array_equal(nondominated_mask(points), _quadratic_mask(points))


def test_grid_prefilter_only_flags_dominated_rows() -> None:
    rng = np.random.default_rng(0)
    points = rng.integers(0, 50, (2000, 3)).astype(np.int64)
    flagged = dominance.dominated_by_grid(points, cells=4096)
    assert flagged.any()
    assert not np.any(flagged & _quadratic_mask(points))


def test_nondominated_mask_keeps_identical_rows_together() -> None:
    points = np.array([[1, 1], [1, 1], [0, 2], [0, 1]], dtype=np.int64)
    assert nondominated_mask(points).tolist() == [True, True, True, False]


def test_nondominated_mask_rejects_non_int64() -> None:
    with pytest.raises(ValueError, match="2-D int64"):
        nondominated_mask(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="2-D int64"):
        nondominated_mask(np.zeros(3, dtype=np.int64))


# -- edge cases -----------------------------------------------------------------------------
def test_zero_issues_give_one_empty_package() -> None:
    for kernel in (pareto_frontier, pareto_brute_force):
        points = kernel([], n_parties=3)
        assert points.utilities.tolist() == [[0, 0, 0]]
        assert points.representatives.shape == (1, 0)
        assert points.counts.tolist() == [1]
        assert list(points.packages(0)) == [()]
        assert len(kernel([], floor=np.array([0, 1]))) == 0
        assert kernel([]).utilities.shape == (1, 0)


def test_single_option_issues_and_one_party() -> None:
    t = np.array([[3]], dtype=np.int64)
    u = np.array([[1], [4], [4], [2]], dtype=np.int64)
    points = pareto_frontier([t, u, t])
    assert points.utilities.tolist() == [[10]]
    assert points.counts.tolist() == [2]
    assert list(points.packages(0)) == [(0, 1, 0), (0, 2, 0)]


def test_two_parties() -> None:
    t = np.array([[3, 0], [2, 2], [0, 3], [1, 1]], dtype=np.int64)
    points = pareto_frontier([t, t])
    assert points.utilities.tolist() == [[6, 0], [5, 2], [4, 4], [2, 5], [0, 6]]
    assert points.counts.tolist() == [1, 2, 1, 2, 1]
    _assert_same(points, pareto_brute_force([t, t]))


def test_all_zero_tables_tie_everything() -> None:
    tables = [np.zeros((m, 3), dtype=np.int64) for m in (2, 3, 4, 1)]
    points = pareto_frontier(tables)
    assert points.utilities.tolist() == [[0, 0, 0]]
    assert points.counts.tolist() == [24]
    assert list(points.packages(0, limit=3)) == [(0, 0, 0, 0), (0, 0, 1, 0), (0, 0, 2, 0)]
    assert len(list(points.packages(0))) == 24
    assert list(points.packages(0, limit=0)) == []


def test_huge_tie_counts_stay_exact() -> None:
    tables = [np.zeros((4, 2), dtype=np.int64)] * 30
    points = pareto_frontier(tables)
    assert points.counts.tolist() == [4**30]
    assert next(points.packages(0)) == (0,) * 30


def test_unreachable_floor_gives_empty_result_with_right_shapes() -> None:
    tables = [np.array([[1, 2], [2, 1]], dtype=np.int64)] * 3
    for kernel in (pareto_frontier, pareto_brute_force):
        points = kernel(tables, floor=np.array([5, 5]))
        assert len(points) == 0
        assert points.utilities.shape == (0, 2) and points.utilities.dtype == np.int64
        assert points.representatives.shape == (0, 3)
        assert points.counts.shape == (0,) and points.counts.dtype == np.int64


def test_floor_keeps_the_frontier_of_the_rational_set() -> None:
    t = np.array([[4, 0], [0, 4], [1, 1], [0, 0]], dtype=np.int64)
    assert pareto_frontier([t], floor=np.array([1, 1])).utilities.tolist() == [[1, 1]]
    assert pareto_frontier([t]).utilities.tolist() == [[4, 0], [1, 1], [0, 4]]
    assert pareto_frontier([t], floor=np.array([0, 1])).utilities.tolist() == [[1, 1], [0, 4]]


def test_packages_rejects_bad_rows() -> None:
    points = pareto_frontier([np.array([[1, 0], [0, 1]], dtype=np.int64)])
    with pytest.raises(IndexError, match="row 2 out of range"):
        points.packages(2)
    with pytest.raises(IndexError):
        points.packages(-1)


def test_points_built_without_tie_graph_yield_their_representative() -> None:
    points = FrontierPoints(np.array([[1, 2]], dtype=np.int64), np.array([[0, 3]]),
                            np.array([1], dtype=np.int64))
    assert list(points.packages(0)) == [(0, 3)]


# -- malformed input ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tables", "floor", "message"),
    [
        ([np.zeros((2, 2))], None, r"tables\[0\] must be a 2-D int64 array.*float64"),
        ([np.zeros((2, 2), dtype=np.int32)], None, r"2-D int64 array.*int32"),
        ([np.zeros(2, dtype=np.int64)], None, r"2-D int64 array.*1-D"),
        ([[[1, 2]]], None, r"tables\[0\] must be a 2-D int64 array.*list"),
        ([np.zeros((0, 2), dtype=np.int64)], None, r"tables\[0\] has no options"),
        ([np.array([[1, -1]], dtype=np.int64)], None, r"negative entry"),
        ([np.zeros((2, 2), dtype=np.int64), np.zeros((2, 3), dtype=np.int64)], None,
         r"disagree on the number of parties: \[2, 3\]"),
        ([np.zeros((2, 2), dtype=np.int64)], np.zeros(3, dtype=np.int64),
         r"disagree on the number of parties"),
        ([np.zeros((2, 2), dtype=np.int64)], np.zeros(2), r"floor must be a 1-D integer array"),
        ([np.full((2, 2), 2**62, dtype=np.int64)] * 3, None, r"exceeds int64"),
    ],
)
def test_malformed_input_is_rejected(tables: list, floor: np.ndarray | None, message: str) -> None:
    for kernel in (pareto_frontier, pareto_brute_force):
        with pytest.raises(ValueError, match=message):
            kernel(tables, floor=floor)


def test_brute_force_refuses_huge_spaces() -> None:
    with pytest.raises(ValueError, match="brute force is limited"):
        pareto_brute_force([np.zeros((4, 2), dtype=np.int64)] * 14)


def test_tie_counts_beyond_int64_raise() -> None:
    with pytest.raises(OverflowError, match="int64"):
        pareto_frontier([np.zeros((4, 2), dtype=np.int64)] * 32)
