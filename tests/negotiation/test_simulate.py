"""The negotiation model: reproducible, picklable, a ForecastModel, with checked options."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from zopa.errors import ModelError
from zopa.models.base import Forecast, ForecastModel
from zopa.models.options import parse_options
from zopa.negotiation import NegotiationModel, NegotiationResult
from zopa.negotiation.strategies import Boulware
from zopa.scenario import Scenario, Uncertain
from zopa.scenario.synthetic import random_scenario

PROTOCOLS = ["alternating", "mediated"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_same_seed_same_event_log(ukraine: Scenario, harbour: Scenario, protocol: str) -> None:
    for scenario in (ukraine, harbour, random_scenario(3, 8, 4, rng=9)):
        model = NegotiationModel(protocol=protocol)
        first, again = model.negotiate(scenario, rng=42), model.negotiate(scenario, rng=42)
        assert first.events == again.events and len(first.events) > 2
        assert first.agreement == again.agreement and first.day == again.day
        assert model.run(scenario, rng=42).same_as(model.run(scenario, rng=42))


def test_seeds_change_the_opener_and_the_delays(ukraine: Scenario) -> None:
    results = [NegotiationModel().negotiate(ukraine, rng=seed) for seed in range(12)]
    assert len({r.opener for r in results}) > 1
    assert len({tuple(e.day for e in r.events) for r in results}) > 1
    fixed = NegotiationModel(delays="mode", opener="russia").negotiate(ukraine, rng=3)
    assert fixed.opener == "russia"
    assert fixed.events == NegotiationModel(delays="mode", opener="russia").negotiate(
        ukraine, rng=4).events


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_model_result_and_forecast_pickle(harbour: Scenario, protocol: str) -> None:
    model = NegotiationModel(protocol=protocol, strategy=Boulware(0.3),
                             strategies="port:tit-for-tat", mediator="port")
    copy = pickle.loads(pickle.dumps(model))
    assert copy == model and isinstance(copy, ForecastModel)
    result = copy.negotiate(harbour, rng=1)
    again = pickle.loads(pickle.dumps(result))
    assert again.events == result.events
    forecast = copy.run(harbour, rng=1)
    assert pickle.loads(pickle.dumps(forecast)).same_as(forecast)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_forecast_is_the_agreed_package(harbour: Scenario, protocol: str) -> None:
    model = NegotiationModel(protocol=protocol)
    result, forecast = model.negotiate(harbour, rng=0), model.run(harbour, rng=0)
    assert isinstance(forecast, Forecast) and forecast.model == "negotiation"
    assert result.agreed and forecast.converged
    for issue, option in result.agreement.items():
        assert forecast.position(issue) == harbour.issue(issue).option(option).position.value
    assert forecast.trajectory.shape == (result.rounds + 1, 3, 3)
    assert forecast.outcomes.shape == (result.rounds + 1, 3)
    assert forecast.provenance.seed == 0 and forecast.provenance.scenario_hash
    assert "agreement on day" in forecast.notes[0]


def test_breakdown_forecasts_the_status_quo_or_the_last_text(harbour: Scenario) -> None:
    stubborn = NegotiationModel(strategy="tit-for-tat")
    result, forecast = stubborn.negotiate(harbour, rng=0), stubborn.run(harbour, rng=0)
    assert not result.agreed and not forecast.converged
    assert forecast.notes[0].startswith("breakdown")
    assert forecast.position("fees") == 100.0  # the status quo: the full fee
    last = result.last_package
    assert forecast.position("berths") == harbour.issue("berths").option(
        last["berths"]).position.value


def test_uncontested_issues_are_forecast_at_the_shared_ideal() -> None:
    scenario = random_scenario(4, 3, 3, rng=3)
    stances = tuple(s.__class__(s.party, s.issue, s.ideal.with_value(37.0), s.salience)
                    for s in scenario.stances)
    forecast = NegotiationModel().run(scenario.replace(stances=stances), rng=0)
    assert forecast.converged
    np.testing.assert_allclose(forecast.outcome, 37.0)


def test_result_as_json(ukraine: Scenario) -> None:
    result = NegotiationModel(protocol="mediated", mediator="united_states").negotiate(
        ukraine, rng=5)
    assert isinstance(result, NegotiationResult)
    data = json.loads(json.dumps(result.as_dict(), default=str))
    assert data["mediator"] == "united_states" and data["events"][0]["action"] == "draft"
    assert set(data["utilities"]) == set(ukraine.party_ids)
    assert data["agreed"] == (data["reason"] == "")


def test_options_from_text() -> None:
    options = parse_options(NegotiationModel, [
        "protocol=mediated", "deadline_days=30", "strategies=port:boulware, north=linear",
        "mediator=port", "max_rounds=5", "delays=mode", "strategy=conceder"])
    model = NegotiationModel(**options)
    assert model.strategies == (("port", "boulware"), ("north", "linear"))
    assert model.deadline_days == 30.0 and model.max_rounds == 5
    with pytest.raises(ModelError):
        parse_options(NegotiationModel, ["protocol=shouting"])


@pytest.mark.parametrize("options, message", [
    ({"protocol": "auction"}, "unknown protocol"),
    ({"strategy": "stubborn"}, "unknown strategy"),
    ({"strategies": "port"}, "party:strategy"),
    ({"deadline_days": 0}, "deadline_days"),
    ({"max_rounds": 0}, "max_rounds"),
    ({"delays": "never"}, "delays"),
])
def test_bad_options_are_model_errors(options: dict, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        NegotiationModel(**options)


@pytest.mark.parametrize("options, message", [
    ({"strategies": "atlantis:boulware"}, "unknown party"),
    ({"opener": "atlantis"}, "unknown opener"),
    ({"mediator": "atlantis"}, "unknown mediator"),
])
def test_options_naming_unknown_parties(harbour: Scenario, options: dict, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        NegotiationModel(**options).negotiate(harbour, rng=0)


def test_delays_come_from_the_scenario(harbour: Scenario) -> None:
    slow = tuple(p.__class__(p.id, p.name, p.capability, p.reservation, p.description,
                             response_delay_days=Uncertain.point(30.0))
                 for p in harbour.parties)
    result = NegotiationModel(deadline_days=90).negotiate(harbour.replace(parties=slow), rng=0)
    assert 1 <= result.rounds <= 3
    assert [e.day for e in result.events if e.action == "propose"] == [0.0, 30.0, 60.0][
        :result.rounds]
    # a reservation-aware party plans for the 30 days an exchange takes: it reaches its
    # floor a round early, here on day 60, and the second offer is taken
    assert result.agreed and result.day == 60.0
