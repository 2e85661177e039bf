"""Experiments: many runs of one model over draws of a scenario's uncertain inputs.

Seeds are spawned for every run with numpy's SeedSequence *before* any work is
dispatched, and each run depends only on its own seed; results are therefore
identical whether the runs execute serially, in processes, or on a Dask cluster,
whatever the number of workers and the order in which chunks complete.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zopa._rng import spawn
from zopa.errors import ModelError
from zopa.limits import current_limits
from zopa.models.base import ForecastModel, SpatialData
from zopa.scenario import Scenario
from zopa.simulation.perturb import ScenarioSampler, SpatialSampler

__all__ = ["Chunk", "ChunkResult", "Experiment", "run_chunk"]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A slice of an experiment's runs: everything a worker needs, and nothing else."""

    index: int
    start: int
    scenario: Scenario
    model: ForecastModel
    seeds: tuple[np.random.SeedSequence, ...]


@dataclass(frozen=True, slots=True, eq=False)
class ChunkResult:
    """The outcomes of one chunk's runs, in run order."""

    index: int
    start: int
    outcomes: np.ndarray
    converged: np.ndarray
    metrics: dict[str, np.ndarray]


def _stacked(chunk: Chunk) -> ChunkResult:
    """Issue-separable models: every run's draw side by side along the issue axis, one call."""
    sampler = SpatialSampler.from_scenario(chunk.scenario)
    draws = [sampler.draw(np.random.default_rng(seed)) for seed in chunk.seeds]
    m = sampler.base.n_issues
    # Saliences are put on 0-1 run by run (models that rescale them do so by the
    # largest one), so that no run's result depends on the others stacked with it.
    saliences = [d.salience / max(1.0, float(d.salience.max())) for d in draws]
    stacked = SpatialData(
        sampler.base.actors, sampler.base.issues * len(draws),
        draws[0].capability,
        np.concatenate([d.position for d in draws], axis=1),
        np.concatenate(saliences, axis=1),
        np.tile(sampler.base.status_quo, len(draws)), sampler.base.scenario_hash,
        capability_by_issue=np.concatenate([d.capability_matrix() for d in draws], axis=1))
    forecast = chunk.model.forecast(stacked, rng=np.random.default_rng(0))  # type: ignore[attr-defined]
    outcomes = forecast.outcome.reshape(len(draws), m)
    flags = (forecast.issue_converged if forecast.issue_converged is not None
             else np.full(len(draws) * m, forecast.converged))
    return ChunkResult(chunk.index, chunk.start, outcomes,
                       flags.reshape(len(draws), m).all(axis=1), {})


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Execute one chunk (a module-level function, so that it pickles for processes and Dask)."""
    if getattr(chunk.model, "issue_separable", False):
        return _stacked(chunk)
    spatial = hasattr(chunk.model, "forecast")
    sampler: SpatialSampler | ScenarioSampler = (
        SpatialSampler.from_scenario(chunk.scenario) if spatial
        else ScenarioSampler.from_scenario(chunk.scenario))
    outcomes, converged, metrics = [], [], {}
    for k, seed in enumerate(chunk.seeds):
        rng = np.random.default_rng(seed)
        drawn = sampler.draw(rng)
        forecast = (chunk.model.forecast(drawn, rng=rng) if spatial  # type: ignore[attr-defined]
                    else chunk.model.run(drawn, rng=rng))
        outcomes.append(forecast.outcome)
        converged.append(forecast.converged)
        for name, value in forecast.metrics:
            metrics.setdefault(name, np.full(len(chunk.seeds), np.nan))[k] = value
    return ChunkResult(chunk.index, chunk.start, np.array(outcomes), np.array(converged),
                       metrics)


@dataclass(frozen=True, slots=True)
class Experiment:
    """``runs`` forecasts of ``model`` on draws of ``scenario``, from one ``seed``.

    Parameters
    ----------
    scenario
        The scenario whose uncertain inputs are drawn (triangular on low/mode/high).
    model
        Any registered forecasting model.
    runs
        Number of runs.
    seed
        Root seed; run ``i`` uses the ``i``-th child of ``SeedSequence(seed)``.
    """

    scenario: Scenario
    model: ForecastModel
    runs: int
    seed: int = 0

    def __post_init__(self) -> None:
        if self.runs < 1:
            raise ModelError(f"expected between 1 and {current_limits().max_monte_carlo_runs:,} "
                             f"runs, got {self.runs:,}")
        current_limits().check("max_monte_carlo_runs", self.runs, what="Monte Carlo runs",
                               path=("runs",))

    def chunks(self, n_chunks: int) -> list[Chunk]:
        """Split the runs into at most ``n_chunks`` contiguous chunks with pre-spawned seeds."""
        seeds = spawn(self.seed, self.runs)
        n_chunks = max(1, min(n_chunks, self.runs))
        bounds = np.linspace(0, self.runs, n_chunks + 1).round().astype(int)
        return [Chunk(i, int(a), self.scenario, self.model, tuple(seeds[a:b]))
                for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)) if b > a]
