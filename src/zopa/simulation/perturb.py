"""Draw scenarios from their uncertain inputs.

Every uncertain number of a scenario is a point or a low/mode/high range. A draw
replaces each range by a value from the triangular distribution on (low, mode,
high) — the documented default: it needs only the three numbers analysts give,
stays inside the range, and peaks at the most likely value. Points stay fixed.

For the spatial forecasting models, :class:`SpatialSampler` draws capabilities,
ideal positions and saliences directly as arrays, in one vectorised call per run,
so that thousands of runs cost little more than the models themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from zopa.models.base import SpatialData
from zopa.scenario import Scenario, Uncertain, scenario_from_data, scenario_to_data

__all__ = ["ScenarioSampler", "SpatialSampler", "draw_scenario", "set_values", "triangular"]


def triangular(low: np.ndarray, mode: np.ndarray, high: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    """Vectorised triangular draws; where ``low == high`` the value is the point itself.

    Uses the inverse CDF on one uniform draw per value, so a run consumes the same
    number of random numbers whatever its ranges are.
    """
    u = rng.random(np.shape(low))
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    cut = (mode - low) / safe
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1 - u) * span * (high - mode))
    return np.where(span > 0, np.where(u < cut, left, right), mode)


def _bounds(values: list[Uncertain]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.array([v.low for v in values]), np.array([v.mode for v in values]),
            np.array([v.high for v in values]))


@dataclass(frozen=True, slots=True, eq=False)
class SpatialSampler:
    """Draws :class:`~zopa.models.base.SpatialData` from a scenario's ranges.

    Capabilities, ideal positions and saliences are drawn; everything else is taken
    at its mode. Build once per scenario with :meth:`from_scenario`, then call
    :meth:`draw` once per run.
    """

    base: SpatialData
    low: np.ndarray
    mode: np.ndarray
    high: np.ndarray

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> SpatialSampler:
        base = SpatialData.from_scenario(scenario)
        values = [p.capability for p in scenario.parties]
        for p in scenario.party_ids:
            values += [scenario.stance(p, i).ideal for i in scenario.issue_ids]
        for p in scenario.party_ids:
            values += [scenario.stance(p, i).salience for i in scenario.issue_ids]
        return cls(base, *_bounds(values))

    def draw(self, rng: np.random.Generator) -> SpatialData:
        """One draw of the spatial inputs."""
        flat = triangular(self.low, self.mode, self.high, rng)
        n, m = self.base.n_actors, self.base.n_issues
        capability = flat[:n]
        position = flat[n:n + n * m].reshape(n, m)
        salience = flat[n + n * m:].reshape(n, m)
        return SpatialData(self.base.actors, self.base.issues, capability, position, salience,
                           self.base.status_quo, self.base.scenario_hash)


def _point(value: Uncertain, drawn: float) -> dict[str, Any]:
    return {"value": float(drawn), **({"source": list(value.sources)} if value.sources else {})}


@dataclass(frozen=True, slots=True, eq=False)
class ScenarioSampler:
    """Sets or draws a scenario's uncertain numbers, reusing its serialised form.

    Build once per scenario; :meth:`with_values` and :meth:`draw` then cost one JSON
    parse and one validation each.
    """

    scenario: Scenario
    text: str
    paths: tuple[tuple[str | int, ...], ...]
    values: tuple[Uncertain, ...]

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ScenarioSampler:
        paths, values = zip(*scenario.uncertain_values(), strict=True)
        return cls(scenario, json.dumps(scenario_to_data(scenario)), paths, values)

    def with_values(self, changes: dict[tuple[str | int, ...], float]) -> Scenario:
        """A copy with the numbers at these field paths set to points.

        When some but not all shares of one ratifier (or funding rule) change, the
        others are rescaled around them so that the shares stay coherent.
        """
        originals = dict(zip(self.paths, self.values, strict=True))
        return _apply(json.loads(self.text), originals, _coherent(changes, originals))

    def draw_values(self, rng: np.random.Generator) -> dict[tuple[str | int, ...], float]:
        """One triangular draw of every uncertain number, by field path.

        Voting-group shares of a ratifier are rescaled to sum to 1 after the draw, and
        the shares of a funding rule to at most 1, so that every draw is valid.
        """
        drawn = dict(zip(self.paths, triangular(*_bounds(list(self.values)), rng).tolist(),
                         strict=True))
        _normalise_shares(drawn)
        return drawn

    def draw(self, rng: np.random.Generator) -> Scenario:
        """A copy with every uncertain number replaced by one draw (see :meth:`draw_values`)."""
        return self.with_values(self.draw_values(rng))


def set_values(scenario: Scenario, changes: dict[tuple[str | int, ...], float]) -> Scenario:
    """A copy of ``scenario`` with the uncertain numbers at the given field paths set to points.

    Paths are those of :meth:`Scenario.uncertain_values`.
    """
    return ScenarioSampler.from_scenario(scenario).with_values(changes)


def _apply(data: Any, originals: dict[tuple[str | int, ...], Uncertain],
           changes: dict[tuple[str | int, ...], float]) -> Scenario:
    for path, value in changes.items():
        node: Any = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = _point(originals[path], value)
    return scenario_from_data(data)


def _share_group(path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    if path[0] == "ratifiers" and path[-1] == "share":
        return path[:2]
    if path[0] == "funding" and len(path) > 2 and path[2] == "shares":
        return path[:2]
    return None


FieldPath = tuple[str | int, ...]


def _coherent(changes: dict[FieldPath, float],
              originals: dict[FieldPath, Uncertain]) -> dict[FieldPath, float]:
    """Complete partial changes of shares: the unchanged siblings absorb the difference."""
    changes = dict(changes)
    groups = {g for p in changes if (g := _share_group(p)) is not None}
    for group in groups:
        siblings = [p for p in originals if _share_group(p) == group]
        fixed = sum(changes[p] for p in siblings if p in changes)
        others = [p for p in siblings if p not in changes]
        room = max(0.0, 1.0 - fixed)
        current = sum(originals[p].mode for p in others)
        must_fill = group[0] == "ratifiers"
        if others and current > 0 and (must_fill or current > room):
            for p in others:
                changes[p] = originals[p].mode * room / current
    return changes


def _normalise_shares(drawn: dict[tuple[str | int, ...], float]) -> None:
    """Keep drawn shares coherent: voting-group shares sum to 1, funding shares to at most 1."""
    groups: dict[tuple[str | int, ...], list[tuple[str | int, ...]]] = {}
    for path in drawn:
        if path[0] == "ratifiers" and path[-1] == "share":
            groups.setdefault(path[:2], []).append(path)
        elif path[0] == "funding" and path[2] == "shares":
            groups.setdefault(path[:2], []).append(path)
    for key, paths in groups.items():
        total = sum(drawn[p] for p in paths)
        if total > 0 and (key[0] == "ratifiers" or total > 1):
            for p in paths:
                drawn[p] /= total


def draw_scenario(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """A scenario with every uncertain number replaced by one triangular draw."""
    return ScenarioSampler.from_scenario(scenario).draw(rng)
