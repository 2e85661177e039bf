"""Time: the ZOPA day by day as reservations drift, the ripeness window, the territorial clock.

A deal that is impossible today may become possible as each day of fighting moves
the parties' alternatives (and the reverse). :func:`timeline` recomputes the exact
ZOPA and its Nash package at regular days, using ``Scenario.at(day)``; the
*ripeness window* is the set of days on which a ZOPA exists (Zartman's "ripe moment",
read as the existence of mutually acceptable packages).

:func:`territorial_clock` turns a demanded area and the observed rate of advance into
days: how long taking it by force would take at the low, central and high rate.

References
----------
Zartman, I. W. (2000). Ripeness: the hurting stalemate and beyond. In P. Stern &
D. Druckman (eds.), *International Conflict Resolution after the Cold War*, 225–250.
National Academies Press.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zopa.analysis.bargaining import pick_solution
from zopa.analysis.frontier import frontier_of_space
from zopa.analysis.results import Provenance, provenance
from zopa.analysis.space import DealSpace
from zopa.errors import ScenarioError
from zopa.scenario import Scenario

__all__ = ["AreaClock", "TimelinePoint", "Timeline", "territorial_clock", "timeline"]


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """The deal space on one day."""

    day: int
    reservations: dict[str, float]
    zopa_exists: bool
    frontier_size: int
    nash: dict[str, str] | None
    nash_utilities: dict[str, float] | None


@dataclass(frozen=True, slots=True)
class Timeline:
    """The ZOPA over time and the ripeness window (runs of days with a ZOPA)."""

    points: tuple[TimelinePoint, ...]
    windows: tuple[tuple[int, int], ...]
    provenance: Provenance


def _windows(points: tuple[TimelinePoint, ...]) -> tuple[tuple[int, int], ...]:
    runs: list[tuple[int, int]] = []
    previous_open = False
    for point in points:
        if point.zopa_exists and previous_open:
            runs[-1] = (runs[-1][0], point.day)
        elif point.zopa_exists:
            runs.append((point.day, point.day))
        previous_open = point.zopa_exists
    return tuple(runs)


def _point(scenario: Scenario, day: int) -> TimelinePoint:
    space = DealSpace.from_scenario(scenario.at(day))
    frontier = frontier_of_space(space, within_reservations=True)
    nash = pick_solution(frontier, space.reservation_floor, "nash") if len(frontier) else None
    return TimelinePoint(day, dict(zip(space.parties, space.reservations.tolist(), strict=True)),
                         len(frontier) > 0, len(frontier),
                         None if nash is None else nash.choices,
                         None if nash is None else nash.utilities)


def timeline(scenario: Scenario, *, days: int = 365, step: int = 30) -> Timeline:
    """The exact ZOPA, its size and its Nash package every ``step`` days up to ``days``.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> result = timeline(random_scenario(3, 4, 3, rng=0), days=60, step=30)
    >>> [p.day for p in result.points]
    [0, 30, 60]
    """
    if days < 0 or step <= 0:
        raise ScenarioError(f"expected days >= 0 and step > 0, got days={days}, step={step}")
    points = tuple(_point(scenario, day) for day in range(0, days + 1, step))
    made = provenance("zopa.analysis.timeline.timeline", scenario, days=days, step=step)
    return Timeline(points, _windows(points), made)


@dataclass(frozen=True, slots=True)
class AreaClock:
    """How long taking a demanded area would take, and how large it is in reference units.

    ``days_fast`` / ``days_central`` / ``days_slow`` use the area's central size at the
    clock's high / central / low rate; ``days_range`` spans every combination of the
    area's and the rate's bounds.
    """

    area: str
    name: str
    km2: float
    km2_range: tuple[float, float]
    demanded_by: str | None
    rate_range: tuple[float, float, float]
    days_fast: float
    days_central: float
    days_slow: float
    days_range: tuple[float, float]
    in_reference_units: dict[str, float]


def territorial_clock(scenario: Scenario) -> tuple[AreaClock, ...]:
    """For every area that has a clock: days until taken at the observed rates.

    Examples
    --------
    >>> from zopa.catalog import load_catalog_scenario
    >>> clocks = territorial_clock(load_catalog_scenario())
    >>> all(c.days_fast <= c.days_central <= c.days_slow for c in clocks)
    True
    """
    references = [a for a in scenario.areas if a.reference]
    found = []
    for area in scenario.areas:
        if area.clock is None or area.reference:
            continue
        rate = scenario.clock(area.clock).rate
        if rate.low <= 0:
            raise ScenarioError(f"clock {area.clock!r} has a rate <= 0; it never takes the area",
                                path=("clocks", area.clock, "rate"))
        size = area.km2
        found.append(AreaClock(
            area.id, area.name, size.mode, (size.low, size.high), area.demanded_by,
            (rate.low, rate.mode, rate.high),
            float(np.divide(size.mode, rate.high)), size.mode / rate.mode, size.mode / rate.low,
            (size.low / rate.high, size.high / rate.low),
            {r.id: size.mode / r.km2.mode for r in references}))
    return tuple(found)
