"""The interface every forecasting model implements, and the spatial data they share.

A forecasting model answers "what will probably happen": it maps a scenario to a
predicted position on each issue's 0–100 scale, and, for models that proceed in
rounds, the trajectory of every actor's position. Models are small frozen
dataclasses holding their options, so they pickle (for process pools and Dask)
and compare by value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np

from zopa._rng import RNGLike, SeedLike
from zopa.analysis.results import Provenance
from zopa.errors import ModelError
from zopa.scenario import Scenario

__all__ = ["Forecast", "ForecastModel", "SpatialData", "nearest_options"]


@dataclass(frozen=True, slots=True, eq=False)
class SpatialData:
    """Actors' capabilities, ideal positions and saliences as arrays.

    Attributes
    ----------
    actors, issues
        Ids, in the scenario's order.
    capability
        ``(n,)`` positive capabilities.
    position
        ``(n, m)`` ideal positions on the 0–100 scales.
    salience
        ``(n, m)`` saliences as given in the scenario (>= 0, any scale).
    status_quo
        ``(m,)`` position of each issue's status-quo option, NaN where none is given.
    scenario_hash
        Content hash of the scenario the data came from.
    capability_by_issue
        Optional ``(n, m)`` capabilities that differ by issue (Monte Carlo stacks
        independent draws side by side this way); ``None`` means ``capability`` on
        every issue.
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    status_quo: np.ndarray
    scenario_hash: str = ""
    capability_by_issue: np.ndarray | None = None

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> SpatialData:
        """Modes of the scenario's uncertain inputs, as arrays."""
        from zopa.scenario import content_hash

        stances = [[scenario.stance(p, i) for i in scenario.issue_ids]
                   for p in scenario.party_ids]
        status_quo = np.array([
            issue.option(issue.status_quo).position.value if issue.status_quo else np.nan
            for issue in scenario.issues])
        return cls(
            actors=scenario.party_ids,
            issues=scenario.issue_ids,
            capability=np.array([p.capability.value for p in scenario.parties]),
            position=np.array([[s.ideal.value for s in row] for row in stances]),
            salience=np.array([[s.salience.value for s in row] for row in stances]),
            status_quo=status_quo,
            scenario_hash=content_hash(scenario),
        )

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_issues(self) -> int:
        return len(self.issues)

    def capability_matrix(self) -> np.ndarray:
        """``(n, m)`` each actor's capability on each issue."""
        if self.capability_by_issue is not None:
            return self.capability_by_issue
        return np.broadcast_to(self.capability[:, None], self.salience.shape)

    def weights(self) -> np.ndarray:
        """``(n, m)`` capability x salience: each actor's effective power on each issue."""
        return self.capability_matrix() * self.salience

    def require_weight(self, model: str) -> None:
        """Raise ModelError if some issue has no actor with positive capability x salience."""
        empty = np.flatnonzero(self.weights().sum(axis=0) <= 0)
        if empty.size:
            names = [self.issues[k] for k in empty]
            raise ModelError(f"{model}: no actor has a positive salience on issue(s) {names}")


@dataclass(frozen=True, slots=True, eq=False)
class Forecast:
    """A model's prediction for every issue of a scenario.

    Attributes
    ----------
    model
        Registry name of the model.
    actors, issues
        Ids, in the scenario's order.
    outcome
        ``(m,)`` predicted position of each issue on its 0–100 scale.
    trajectory
        ``(rounds + 1, n, m)`` every actor's position at the start and after each
        round, or ``None`` for models without rounds.
    outcomes
        ``(rounds + 1, m)`` the model's predicted outcome after each round (its
        decision rule applied to the positions), or ``None`` for models without rounds.
    converged
        Whether the model's stopping rule was met (always true without rounds).
    notes
        Diagnostics in words (e.g. why a run did not converge).
    issue_converged
        ``(m,)`` per-issue stopping-rule flags, for models that stop issue by issue.
    metrics
        Named scalar results beyond positions, e.g. ``("agreement", 1.0)`` for a
        negotiation; Monte Carlo reports their means as probabilities.
    provenance
        Model, options, seed, scenario hash, zopa version.
    """

    model: str
    actors: tuple[str, ...]
    issues: tuple[str, ...]
    outcome: np.ndarray
    trajectory: np.ndarray | None = None
    outcomes: np.ndarray | None = None
    converged: bool = True
    notes: tuple[str, ...] = ()
    provenance: Provenance = field(default_factory=lambda: Provenance("unknown"))
    metrics: tuple[tuple[str, float], ...] = ()
    issue_converged: np.ndarray | None = None

    @property
    def rounds(self) -> int:
        """Number of rounds the model played (0 without rounds)."""
        return 0 if self.trajectory is None else self.trajectory.shape[0] - 1

    def position(self, issue: str) -> float:
        """Predicted position on one issue."""
        return float(self.outcome[self.issues.index(issue)])

    def same_as(self, other: Forecast) -> bool:
        """Bit-identical outcomes and trajectories (for reproducibility checks)."""
        def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
            return (a is None and b is None) or (
                a is not None and b is not None and a.shape == b.shape
                and bool(np.array_equal(a, b, equal_nan=True)))
        return (self.model == other.model and self.issues == other.issues
                and self.actors == other.actors and same(self.outcome, other.outcome)
                and same(self.trajectory, other.trajectory)
                and same(self.outcomes, other.outcomes) and self.converged == other.converged
                and self.metrics == other.metrics)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        data: dict[str, Any] = {
            "model": self.model,
            "outcome": dict(zip(self.issues, self.outcome.tolist(), strict=True)),
            "rounds": self.rounds, "converged": self.converged, "notes": list(self.notes),
            "metrics": dict(self.metrics),
            "provenance": self.provenance.as_dict(),
        }
        if self.trajectory is not None:
            data["trajectory"] = {
                actor: {issue: self.trajectory[:, a, k].tolist()
                        for k, issue in enumerate(self.issues)}
                for a, actor in enumerate(self.actors)}
        return data


@runtime_checkable
class ForecastModel(Protocol):
    """What every model in :data:`zopa.models.REGISTRY` provides.

    ``run`` must be a pure function of the scenario, the model's options and the
    random generator: the same seed gives the same forecast, serially, in another
    process, or on a Dask worker.

    Models that also offer ``forecast(data: SpatialData, *, rng)`` are run on drawn
    arrays by Monte Carlo; those that declare ``issue_separable = True`` (each issue
    forecast independently of the others) are run on many draws at once, stacked
    along the issue axis.
    """

    name: ClassVar[str]

    def run(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast the outcome of ``scenario``."""
        ...


def nearest_options(scenario: Scenario, forecast: Forecast) -> dict[str, str]:
    """For each issue, the option whose position is nearest the forecast."""
    nearest = {}
    for issue, value in zip(forecast.issues, forecast.outcome, strict=True):
        options = scenario.issue(issue).options
        distances = [abs(o.position.value - value) for o in options]
        nearest[issue] = options[int(np.argmin(distances))].id
    return nearest
