"""Offers at a target utility, picked fast from the exact Pareto frontier.

Candidate offers are the packages of the exact Pareto frontier of the scenario's
deal space within every red line (:func:`zopa.analysis.frontier.frontier_of_space`),
one package per distinct utility vector. A negotiator never needs anything else: a
package off the frontier is beaten by a frontier package that is at least as good
for everyone, and the frontier of a space of 10^8 packages has thousands of points,
not millions. It is computed once per scenario and cached.

**Which package at a target.** Party ``p`` asking for at least ``a`` offers, among
the frontier packages worth at least ``a`` to it, the one whose worst-off opponent
is best off, each opponent measured on its own range over the frontier
(``(u_q - min_q) / (max_q - min_q)``; ties go to the larger mean of the same
quantity). The proposer knows its opponents' preferences but not their walk-away
points. For each party the frontier is sorted by its utility once, with a running
best-for-the-others index, so an offer costs one binary search: ``O(log K)``.

**Reservations over time.** :meth:`OfferSpace.floors` gives every party's
reservation on any day, read from ``scenario.at(day)`` (reservations drifting with
the scenario's clocks): a straight line when the drift is linear over the
deadline, else whole days, linearly interpolated in between; constant without
clocks.
Reservations are compared in the fixed point of :mod:`zopa.analysis.space`, exactly
as :func:`zopa.analysis.feasibility.find_zopa` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from zopa.analysis.frontier import frontier_of_space
from zopa.analysis.space import FIXED_POINT_UNIT, DealSpace
from zopa.scenario import Scenario, content_hash

__all__ = ["OfferSpace", "clear_cache", "offer_space"]

_CACHE_SIZE = 8
_cache: dict[int, tuple[Scenario, OfferSpace]] = {}


def _fixed_floor(reservations: np.ndarray) -> np.ndarray:
    """Reservations rounded up to the fixed-point grid, back on the 0–1 scale."""
    floor = np.ceil(np.asarray(reservations) * FIXED_POINT_UNIT - 1e-6)
    return floor / FIXED_POINT_UNIT


def _running_best(score: np.ndarray) -> np.ndarray:
    """Index of the first maximum of ``score[:n + 1]`` for every ``n``."""
    index = np.arange(score.size)
    previous = np.concatenate(([-np.inf], np.maximum.accumulate(score)[:-1]))
    return np.maximum.accumulate(np.where(score > previous, index, 0))


def _opponent_score(utilities: np.ndarray, party: int) -> np.ndarray:
    """How good each frontier row is for the opponents of ``party`` (higher is better)."""
    if utilities.shape[0] == 0:
        return np.zeros(0)
    low, high = utilities.min(axis=0), utilities.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    scaled = (utilities - low) / span
    others = np.delete(scaled, party, axis=1)
    if others.shape[1] == 0:
        return np.zeros(utilities.shape[0])
    return others.min(axis=1) + 1e-6 * others.mean(axis=1)


def _consensus(scenario: Scenario) -> np.ndarray:
    """Per issue, the ideal every party that cares shares (values derived from it), else NaN."""
    found = np.full(len(scenario.issues), np.nan)
    for i, issue in enumerate(scenario.issues):
        stances = [scenario.stance(p, issue.id) for p in scenario.party_ids]
        caring = [s for s in stances if s.salience.value > 0]
        ideals = {s.ideal.value for s in caring}
        if caring and len(ideals) == 1 and not any(s.values for s in caring):
            found[i] = ideals.pop()
    return found


@dataclass(frozen=True, slots=True, eq=False)
class OfferSpace:
    """Everything a negotiation on one scenario needs, computed once.

    Attributes
    ----------
    scenario
        The scenario (reservations on later days come from ``scenario.at``).
    space
        Its deal space.
    packages
        ``(K, n_issues)`` option indices of the frontier packages.
    utilities
        ``(K, n_parties)`` their utilities (0–1, exact fixed point divided by the unit).
    best
        ``(n_parties,)`` each party's best utility on the frontier.
    contributions
        ``(n_issues, max_options, n_parties)`` each option's utility contribution,
        NaN-padded; ``allowed`` marks the real options no party has ruled out.
    positions
        ``(n_issues, max_options)`` option positions (0–100), NaN-padded.
    status_quo, consensus
        ``(n_issues,)`` status-quo positions and shared ideals, NaN where none.
    scenario_hash
        Content hash of the scenario.
    """

    scenario: Scenario
    space: DealSpace
    packages: np.ndarray
    utilities: np.ndarray
    best: np.ndarray
    contributions: np.ndarray
    allowed: np.ndarray
    positions: np.ndarray
    status_quo: np.ndarray
    consensus: np.ndarray
    scenario_hash: str
    _sorted: tuple[np.ndarray, ...]
    _best_row: tuple[np.ndarray, ...]
    _order: tuple[np.ndarray, ...]
    _memo: dict[object, object] = field(default_factory=dict)

    @classmethod
    def build(cls, scenario: Scenario) -> OfferSpace:
        """Compute the frontier, the per-party indices and the mediation tables."""
        space = DealSpace.from_scenario(scenario)
        frontier = frontier_of_space(space)
        packages = np.array([frontier.package(k) for k in range(len(frontier))],
                            dtype=np.intp).reshape(len(frontier), len(space.issues))
        utilities = frontier.fixed_utilities / FIXED_POINT_UNIT
        order, ranked, best_row = [], [], []
        for p in range(space.n_parties):
            by_p = np.argsort(-utilities[:, p], kind="stable")
            order.append(by_p)
            ranked.append(-utilities[by_p, p])
            best_row.append(by_p[_running_best(_opponent_score(utilities, p)[by_p])])
        width = max(len(o) for o in space.options)
        contributions = np.full((len(space.issues), width, space.n_parties), np.nan)
        allowed = np.zeros((len(space.issues), width), dtype=bool)
        positions = np.full((len(space.issues), width), np.nan)
        for i, issue in enumerate(scenario.issues):
            n = len(issue.options)
            contributions[i, :n] = space.fixed[i] / FIXED_POINT_UNIT
            allowed[i, :n] = ~space.vetoed[i].any(axis=1)
            positions[i, :n] = [o.position.value for o in issue.options]
        status_quo = np.array([issue.option(issue.status_quo).position.value
                               if issue.status_quo else np.nan for issue in scenario.issues])
        best = utilities.max(axis=0) if len(utilities) else np.zeros(space.n_parties)
        return cls(scenario, space, packages, utilities, best,
                   contributions, allowed, positions, status_quo, _consensus(scenario),
                   content_hash(scenario), tuple(ranked), tuple(best_row), tuple(order))

    # -- sizes -----------------------------------------------------------------------------
    @property
    def n_parties(self) -> int:
        return self.space.n_parties

    @property
    def n_issues(self) -> int:
        return len(self.space.issues)

    @property
    def empty(self) -> bool:
        """True when red lines rule out every option of some issue (nothing to offer)."""
        return self.packages.shape[0] == 0

    # -- offers ----------------------------------------------------------------------------
    def offer(self, party: int, target: float) -> int:
        """Frontier row that ``party`` offers when it asks for at least ``target``.

        If no frontier package reaches the target, the party's best package.
        """
        return int(self.offers(party, np.asarray([target]))[0])

    def offers(self, party: int, targets: np.ndarray) -> np.ndarray:
        """Frontier rows ``party`` offers at each of several targets (vectorised :meth:`offer`)."""
        count = np.searchsorted(self._sorted[party], -np.asarray(targets), side="right")
        return self._best_row[party][np.maximum(count - 1, 0)]

    def best_row(self, party: int) -> int:
        """The frontier row best for ``party`` (its opening demand)."""
        return int(self._order[party][0])

    def package_utilities(self, package: np.ndarray) -> np.ndarray:
        """``(n_parties,)`` utilities of one package given as option indices."""
        return self.contributions[np.arange(self.n_issues), package].sum(axis=0)

    def row_positions(self, rows: np.ndarray) -> np.ndarray:
        """``(len(rows), n_issues)`` option positions of frontier rows."""
        return self.package_positions(self.packages[np.asarray(rows, dtype=np.intp)])

    def package_positions(self, packages: np.ndarray) -> np.ndarray:
        """``(..., n_issues)`` option positions of packages given as option indices."""
        return self.positions[np.arange(self.n_issues), packages]

    def best_options(self) -> tuple[np.ndarray, np.ndarray]:
        """``(options, values)``, both ``(n_issues, n_parties)``: each party's best option
        on each issue among those no party has ruled out, and its contribution."""
        if "best_options" not in self._memo:
            masked = np.where(self.allowed[..., None], self.contributions, -np.inf)
            self._memo["best_options"] = (masked.argmax(axis=1), masked.max(axis=1))
        return self._memo["best_options"]  # type: ignore[return-value]

    def moves(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every way to set one issue to one option, for the mediator's revisions.

        ``(contribution, allowed, issue, option)``: ``(P, M)`` each move's contribution
        to each party (0 for padding), ``(M,)`` whether no party has ruled it out, and
        the issue and option of each move.
        """
        if "moves" not in self._memo:
            m, width, n = self.contributions.shape
            flat = np.nan_to_num(self.contributions, nan=0.0).reshape(m * width, n).T.copy()
            issue, option = np.divmod(np.arange(m * width), width)
            self._memo["moves"] = (flat, self.allowed.ravel().copy(), issue, option)
        return self._memo["moves"]  # type: ignore[return-value]

    # -- the mediator's first text ---------------------------------------------------------
    def anchor(self, floors: np.ndarray) -> int:
        """Frontier row of the Nash package over ``floors``, or the max-min surplus one.

        The Nash package (largest product of gains over the floors) among the rows
        every party accepts; when there is none, the row whose smallest surplus
        over the floors is largest (it may be negative).
        """
        key = ("anchor", tuple(np.round(floors, 12)))
        if key not in self._memo:
            surplus = self.utilities - floors
            inside = np.flatnonzero((surplus >= 0).all(axis=1))
            if inside.size:
                row = inside[int(np.argmax(np.prod(surplus[inside], axis=1)))]
            else:
                row = int(np.argmax(surplus.min(axis=1)))
            self._memo[key] = int(row)
        return int(self._memo[key])  # type: ignore[call-overload]

    def anchors(self, days: np.ndarray, horizon: float) -> np.ndarray:
        """:meth:`anchor` rows over the floors of the whole days ``floor(days)``.

        Computed once for every whole day up to the horizon (once in all, when no
        reservation drifts), then looked up.
        """
        key = ("anchors", math.ceil(max(horizon, 0.0)))
        if key not in self._memo:
            last = key[1] if self._path(horizon).drifts else 0
            floors = self.floors(np.arange(last + 1, dtype=float), horizon)
            self._memo[key] = np.array([self.anchor(f) for f in floors], dtype=np.intp)
        table: np.ndarray = self._memo[key]  # type: ignore[assignment]
        whole = np.floor(np.asarray(days, dtype=float)).astype(np.intp)
        return table[np.clip(whole, 0, table.size - 1)]

    # -- reservations over time ------------------------------------------------------------
    def floors(self, days: np.ndarray, horizon: float) -> np.ndarray:
        """``(*days.shape, n_parties)`` every party's reservation floor on the given days.

        ``horizon`` is the last day that matters (the deadline): the scenario's clocks
        are read up to it.
        """
        days = np.asarray(days, dtype=float)
        return self.floors_of(np.broadcast_to(days[..., None], (*days.shape, self.n_parties)),
                              horizon)

    def floors_of(self, days: np.ndarray, horizon: float) -> np.ndarray:
        """Party ``p``'s reservation floor on day ``days[..., p]``, for every ``p``."""
        return self._path(horizon).at(np.asarray(days, dtype=float))

    def _path(self, horizon: float) -> _ReservationPath:
        key = ("path", math.ceil(max(horizon, 0.0)))
        if key not in self._memo:
            self._memo[key] = _ReservationPath.of(self.scenario, key[1])
        return self._memo[key]  # type: ignore[return-value]


@dataclass(frozen=True, slots=True, eq=False)
class _ReservationPath:
    """Reservation floors over days: constant, linear, or read on whole days.

    ``scenario.at(day)`` is read on days 0, last/4, last/2, 3 last/4 and last; when
    every party's reservation is linear in the day through those points (clocks
    moving at constant rates, nothing clipped at 0 or 1), the path is that line;
    otherwise it is read on every whole day and interpolated.
    """

    start: np.ndarray
    slope: np.ndarray | None
    daily: np.ndarray | None
    last_day: int = 0

    @classmethod
    def of(cls, scenario: Scenario, last_day: int) -> _ReservationPath:
        def read(day: float) -> np.ndarray:
            return np.array([p.reservation.value for p in scenario.at(day).parties])

        start = np.array([p.reservation.value for p in scenario.parties])
        if last_day == 0 or not scenario.drifts:
            return cls(_fixed_floor(start), None, None)
        probes = np.array([0.25, 0.5, 0.75, 1.0]) * last_day
        seen = np.array([read(float(day)) for day in probes])
        slope = (seen[-1] - start) / last_day
        if np.allclose(seen, start + probes[:, None] * slope, rtol=0.0, atol=1e-12):
            return cls(start, slope, None, last_day)
        daily = np.array([read(float(day)) for day in range(last_day + 1)])
        return cls(start, None, _fixed_floor(daily), last_day)

    @property
    def drifts(self) -> bool:
        """True when some reservation changes over time."""
        return self.slope is not None or self.daily is not None

    def at(self, days: np.ndarray) -> np.ndarray:
        """Floors of each party ``p`` on days ``days[..., p]`` (held after the last day)."""
        if self.daily is not None:
            grid = np.arange(self.daily.shape[0], dtype=float)
            return np.stack([np.interp(days[..., p], grid, self.daily[:, p])
                             for p in range(self.daily.shape[1])], axis=-1)
        if self.slope is None:
            return np.broadcast_to(self.start, days.shape).copy()
        return _fixed_floor(self.start + np.clip(days, 0.0, self.last_day) * self.slope)


def offer_space(scenario: Scenario) -> OfferSpace:
    """The :class:`OfferSpace` of a scenario, cached for the last few scenarios.

    The cache is keyed by the scenario object itself (identity), so Monte Carlo
    draws, each a new scenario, are set up afresh while repeated negotiations on
    one scenario share the frontier and the indices.
    """
    found = _cache.get(id(scenario))
    if found is not None and found[0] is scenario:
        return found[1]
    built = OfferSpace.build(scenario)
    if len(_cache) >= _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[id(scenario)] = (scenario, built)
    return built


def clear_cache() -> None:
    """Forget every cached :class:`OfferSpace` (to measure the setup, or free memory)."""
    _cache.clear()
