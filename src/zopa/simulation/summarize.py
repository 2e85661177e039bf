"""Summaries of an experiment: per-issue quantiles, option probabilities, rates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zopa.analysis.results import Provenance
from zopa.scenario import Scenario, content_hash
from zopa.simulation.experiment import ChunkResult, Experiment

__all__ = ["QUANTILES", "ExperimentSummary", "summarize"]

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True, slots=True, eq=False)
class ExperimentSummary:
    """The distribution of a model's forecasts over draws of the uncertain inputs.

    Attributes
    ----------
    outcomes
        ``(runs, m)`` every run's forecast, in run order.
    quantiles
        ``(len(QUANTILES), m)`` the 5/25/50/75/95 % quantiles per issue.
    option_probabilities
        Per issue, ``{option: share of runs in which it is the option nearest the forecast}``.
    converged
        Share of runs in which the model's stopping rule was met.
    metrics
        Means of the models' named metrics (e.g. ``agreement``, ``ratified``) over the runs.
    """

    model: str
    issues: tuple[str, ...]
    runs: int
    outcomes: np.ndarray
    quantiles: np.ndarray
    option_probabilities: dict[str, dict[str, float]]
    converged: float
    metrics: dict[str, float]
    provenance: Provenance

    def same_as(self, other: ExperimentSummary) -> bool:
        """Bit-identical run outcomes and summaries (for reproducibility checks)."""
        return (self.issues == other.issues and np.array_equal(self.outcomes, other.outcomes)
                and self.option_probabilities == other.option_probabilities
                and self.converged == other.converged and self.metrics == other.metrics)


def _nearest_probabilities(scenario: Scenario, outcomes: np.ndarray) -> dict[str, dict[str, float]]:
    found = {}
    for k, issue in enumerate(scenario.issues):
        positions = np.array([o.position.value for o in issue.options])
        nearest = np.abs(outcomes[:, k, None] - positions[None, :]).argmin(axis=1)
        counts = np.bincount(nearest, minlength=len(positions)) / len(outcomes)
        found[issue.id] = {o.id: float(c) for o, c in zip(issue.options, counts, strict=True)}
    return found


def summarize(experiment: Experiment, results: Sequence[ChunkResult]) -> ExperimentSummary:
    """Combine chunk results (in run order) into an :class:`ExperimentSummary`."""
    ordered = sorted(results, key=lambda r: r.start)
    outcomes = np.concatenate([r.outcomes for r in ordered])
    converged = np.concatenate([r.converged for r in ordered])
    names = sorted({name for r in ordered for name in r.metrics})
    metrics = {}
    for name in names:
        values = np.concatenate([r.metrics.get(name, np.full(len(r.outcomes), np.nan))
                                 for r in ordered])
        metrics[name] = float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")
    scenario = experiment.scenario
    made = Provenance(f"zopa.simulation.{experiment.model.name}",
                      (("runs", experiment.runs), ("model", experiment.model.name)),
                      content_hash(scenario), experiment.seed)
    return ExperimentSummary(
        experiment.model.name, scenario.issue_ids, experiment.runs, outcomes,
        np.quantile(outcomes, QUANTILES, axis=0), _nearest_probabilities(scenario, outcomes),
        float(converged.mean()), metrics, made)
