"""Monte Carlo over every uncertain input, on one machine or a Dask cluster."""

from __future__ import annotations

from zopa.models.base import ForecastModel
from zopa.scenario import Scenario
from zopa.simulation.executors import EXECUTORS, ExecutorName, Progress, execute
from zopa.simulation.experiment import Experiment
from zopa.simulation.perturb import ScenarioSampler, SpatialSampler, draw_scenario
from zopa.simulation.summarize import QUANTILES, ExperimentSummary, summarize

__all__ = ["EXECUTORS", "QUANTILES", "Experiment", "ExperimentSummary", "ScenarioSampler",
           "SpatialSampler", "draw_scenario", "execute", "run_experiment", "summarize"]


def run_experiment(scenario: Scenario, model: ForecastModel, *, runs: int, seed: int = 0,
                   executor: ExecutorName = "serial", workers: int = 2,
                   dask_address: str | None = None, chunks: int | None = None,
                   progress: Progress | None = None) -> ExperimentSummary:
    """Run ``model`` on ``runs`` draws of ``scenario`` and summarise the forecasts.

    The same seed gives bit-identical results on every executor, whatever the number
    of workers and chunks.

    Examples
    --------
    >>> from zopa.models import get_model
    >>> from zopa.scenario.synthetic import random_scenario
    >>> s = random_scenario(3, 2, 3, rng=0)
    >>> a = run_experiment(s, get_model("median"), runs=20, seed=1)
    >>> b = run_experiment(s, get_model("median"), runs=20, seed=1, chunks=3)
    >>> a.same_as(b)
    True
    """
    experiment = Experiment(scenario, model, runs, seed)
    results = execute(experiment, executor=executor, workers=workers, dask_address=dask_address,
                      chunks=chunks, progress=progress)
    return summarize(experiment, results)
