"""The contract every registered forecasting model honours (run over the whole REGISTRY)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from zopa.catalog import load_catalog_scenario
from zopa.errors import ModelError
from zopa.models import REGISTRY, Forecast, ForecastModel, get_model
from zopa.scenario import Scenario
from zopa.scenario.synthetic import random_scenario

MODELS = sorted(REGISTRY)


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    return [load_catalog_scenario(), random_scenario(5, 4, 3, rng=3),
            random_scenario(3, 1, 2, rng=4)]


@pytest.mark.parametrize("name", MODELS)
def test_is_a_forecast_model(name: str) -> None:
    model = get_model(name)
    assert isinstance(model, ForecastModel)
    assert model.name == name
    assert type(model).__doc__ and "References" in (type(model).__module__ and
                                                    __import__(type(model).__module__,
                                                               fromlist=["x"]).__doc__)


@pytest.mark.parametrize("name", MODELS)
def test_same_seed_same_forecast(name: str, scenarios: list[Scenario]) -> None:
    for scenario in scenarios:
        first = get_model(name).run(scenario, rng=11)
        again = get_model(name).run(scenario, rng=11)
        assert first.same_as(again)


@pytest.mark.parametrize("name", MODELS)
def test_model_and_forecast_pickle(name: str, scenarios: list[Scenario]) -> None:
    model = get_model(name)
    copy = pickle.loads(pickle.dumps(model))
    assert copy == model
    forecast = copy.run(scenarios[1], rng=5)
    assert pickle.loads(pickle.dumps(forecast)).same_as(forecast)


@pytest.mark.parametrize("name", MODELS)
def test_respects_parties_and_issues(name: str, scenarios: list[Scenario]) -> None:
    for scenario in scenarios:
        forecast: Forecast = get_model(name).run(scenario, rng=1)
        assert forecast.issues == scenario.issue_ids
        assert forecast.actors == scenario.party_ids
        assert forecast.outcome.shape == (len(scenario.issues),)
        assert np.all((forecast.outcome >= -1e-9) & (forecast.outcome <= 100 + 1e-9))
        if forecast.trajectory is not None:
            assert forecast.trajectory.shape[1:] == (len(scenario.parties), len(scenario.issues))
        assert forecast.provenance.scenario_hash
        assert forecast.provenance.method.endswith(name)


@pytest.mark.parametrize("name", MODELS)
def test_unanimity_is_forecast_exactly(name: str, scenarios: list[Scenario]) -> None:
    scenario = scenarios[1]
    stances = tuple(s.__class__(s.party, s.issue, s.ideal.with_value(37.0), s.salience)
                    for s in scenario.stances)
    forecast = get_model(name).run(scenario.replace(stances=stances), rng=2)
    np.testing.assert_allclose(forecast.outcome, 37.0, atol=1e-6)


def test_unknown_model_and_option() -> None:
    with pytest.raises(ModelError, match="unknown model"):
        get_model("astrology")
    with pytest.raises(ModelError):
        get_model("median", rounds=3)
