"""Monte Carlo: draws stay in range, and results are identical on every executor."""

from __future__ import annotations

import importlib
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.catalog import load_catalog_scenario
from zopa.errors import ModelError
from zopa.formats import load_scenario
from zopa.models import get_model
from zopa.scenario import Scenario
from zopa.simulation import Experiment, ScenarioSampler, run_experiment
from zopa.simulation.perturb import triangular

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _need_dask() -> None:
    """Skip without the dask extra, except under CI=true, which installs it: fail there."""
    if os.environ.get("CI") == "true":
        importlib.import_module("dask.distributed")
    else:
        pytest.importorskip("dask.distributed", reason="the dask extra is not installed")


@settings(max_examples=100, deadline=None)
@given(st.floats(-50, 50), st.floats(0, 10), st.floats(0, 10), st.integers(0, 2**32 - 1))
def test_triangular_stays_in_range(low: float, left: float, right: float, seed: int) -> None:
    mode, high = low + left, low + left + right
    values = triangular(np.full(200, low), np.full(200, mode), np.full(200, high),
                        np.random.default_rng(seed))
    assert np.all((values >= low) & (values <= high))
    if left == right == 0:
        assert np.all(values == low)


def test_triangular_mean() -> None:
    values = triangular(np.zeros(100_000), np.full(100_000, 2.0), np.full(100_000, 10.0),
                        np.random.default_rng(0))
    assert abs(values.mean() - 4.0) < 0.05  # (0 + 2 + 10) / 3


def test_scenario_draws_are_valid_and_reproducible(harbour_path) -> None:  # noqa: ANN001
    sampler = ScenarioSampler.from_scenario(load_scenario(harbour_path))
    first = sampler.draw(np.random.default_rng(5))
    assert first == sampler.draw(np.random.default_rng(5))
    reservation = first.party("north").reservation
    assert reservation.is_point and 0.4 <= reservation.value <= 0.5
    shares = [g.share.value for g in first.ratifiers[0].groups]
    assert abs(sum(shares) - 1) < 1e-9


def test_experiment_limits() -> None:
    scenario = load_catalog_scenario()
    with pytest.raises(ModelError, match="between 1 and"):
        Experiment(scenario, get_model("median"), runs=0)


@pytest.fixture(scope="module")
def ukraine_scenario() -> Scenario:
    return load_catalog_scenario()


@pytest.mark.parametrize("model", ["compromise", "median", "expected_utility"])
def test_same_seed_same_result_whatever_the_chunking(ukraine_scenario: Scenario,
                                                     model: str) -> None:
    base = run_experiment(ukraine_scenario, get_model(model), runs=60, seed=9)
    for chunks in (1, 7, 60):
        again = run_experiment(ukraine_scenario, get_model(model), runs=60, seed=9,
                               chunks=chunks)
        assert again.same_as(base)
    other = run_experiment(ukraine_scenario, get_model(model), runs=60, seed=10)
    assert not np.array_equal(other.outcomes, base.outcomes)


def test_quantiles_and_probabilities(ukraine_scenario: Scenario) -> None:
    result = run_experiment(ukraine_scenario, get_model("compromise"), runs=200, seed=1)
    assert result.outcomes.shape == (200, len(ukraine_scenario.issues))
    assert np.all(np.diff(result.quantiles, axis=0) >= 0)
    for probabilities in result.option_probabilities.values():
        assert abs(sum(probabilities.values()) - 1) < 1e-9


def test_processes_executor_matches_serial(ukraine_scenario: Scenario) -> None:
    serial = run_experiment(ukraine_scenario, get_model("expected_utility"), runs=40, seed=3)
    pooled = run_experiment(ukraine_scenario, get_model("expected_utility"), runs=40, seed=3,
                            executor="processes", workers=2)
    assert pooled.same_as(serial)


def test_dask_local_cluster_matches_serial(ukraine_scenario: Scenario) -> None:
    _need_dask()
    serial = run_experiment(ukraine_scenario, get_model("median"), runs=80, seed=12)
    seen: list[int] = []
    on_dask = run_experiment(ukraine_scenario, get_model("median"), runs=80, seed=12,
                             executor="dask", workers=2, chunks=5,
                             progress=lambda done, total: seen.append(done))
    assert on_dask.same_as(serial)
    assert seen[-1] == 80 and len(seen) == 5


def test_unreachable_dask_scheduler_is_a_clear_error(ukraine_scenario: Scenario) -> None:
    _need_dask()
    with pytest.raises(ModelError, match="cannot reach the Dask scheduler"):
        run_experiment(ukraine_scenario, get_model("median"), runs=4, executor="dask",
                       dask_address="tcp://127.0.0.1:1")
