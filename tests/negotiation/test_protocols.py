"""The protocols: the vectorised engines play exactly the round-by-round rules, agreements
lie in the zone of agreement, empty zones never agree, channels and deadlines hold."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zopa.analysis.feasibility import find_zopa
from zopa.analysis.space import DealSpace
from zopa.negotiation import NegotiationModel
from zopa.negotiation.channels import NEUTRAL, Channels, delay_bounds, draw_delays
from zopa.negotiation.offers import offer_space
from zopa.negotiation.protocols import Rules, alternating_offers, single_text
from zopa.negotiation.strategies import STRATEGIES
from zopa.scenario import Scenario, Uncertain
from zopa.scenario.synthetic import random_scenario


def _reference():
    """The round-by-round protocols in ``reference.py`` next to this file."""
    spec = importlib.util.spec_from_file_location(
        "negotiation_reference", Path(__file__).with_name("reference.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


reference = _reference()
NAMES = sorted(STRATEGIES)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def with_delays(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """Give every party a random response-delay range, and some a high reservation."""
    parties = []
    for party in scenario.parties:
        low = float(rng.uniform(0.2, 3))
        mode = low + float(rng.uniform(0, 3))
        high = mode + float(rng.uniform(0, 6))
        reservation = party.reservation
        if rng.random() < 0.3:
            reservation = Uncertain.point(round(float(rng.uniform(0.3, 0.95)), 6))
        parties.append(party.__class__(party.id, party.name, party.capability,
                                       reservation, party.description,
                                       response_delay_days=Uncertain(low, mode, high)))
    return scenario.replace(parties=tuple(parties))


def with_red_lines(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """Rule out one random option of a random issue for each of some parties."""
    for party in scenario.parties:
        if rng.random() < 0.5:
            issue = scenario.issues[int(rng.integers(len(scenario.issues)))]
            option = issue.options[int(rng.integers(len(issue.options)))].id
            stance = scenario.stance(party.id, issue.id)
            scenario = scenario.with_stance(stance.__class__(
                stance.party, stance.issue, stance.ideal, stance.salience, stance.values,
                stance.red_lines | {option}))
    return scenario


@st.composite
def setups(draw: st.DrawFn) -> tuple[Scenario, NegotiationModel, int]:
    seed = draw(st.integers(0, 2**20))
    rng = np.random.default_rng(seed)
    scenario = random_scenario(draw(st.integers(2, 4)), draw(st.integers(1, 4)),
                               draw(st.integers(2, 4)), rng=seed)
    scenario = with_red_lines(with_delays(scenario, rng), rng)
    parties = scenario.party_ids
    mediator = draw(st.sampled_from([None, NEUTRAL, *parties]))
    overrides = tuple((p, draw(st.sampled_from(NAMES))) for p in parties
                      if draw(st.booleans()))
    model = NegotiationModel(protocol=draw(st.sampled_from(["alternating", "mediated"])),
                             strategy=draw(st.sampled_from(NAMES)), strategies=overrides,
                             deadline_days=draw(st.sampled_from([5.0, 30.0, 90.0])),
                             mediator=mediator, max_rounds=draw(st.integers(1, 60)),
                             delays=draw(st.sampled_from(["sample", "mode"])))
    return scenario, model, seed


def _play(scenario: Scenario, model: NegotiationModel, seed: int):
    offers = offer_space(scenario)
    strategies = model.strategy_of(scenario)
    channels = model.channels_for(scenario)
    rng = np.random.default_rng(seed)
    opener = int(rng.integers(len(scenario.parties)))
    delays = draw_delays(delay_bounds(scenario.parties), model.max_rounds, rng,
                         sample=model.delays == "sample")
    rules = Rules(model.deadline_days, model.max_rounds)
    if model.protocol == "alternating":
        outcome = alternating_offers(offers, strategies, channels, delays, opener, rules)
        expected = reference.alternating(offers, strategies, channels, delays, opener,
                                         model.deadline_days, model.max_rounds)
    else:
        outcome = single_text(offers, strategies, channels, delays, rules)
        expected = reference.mediated(offers, strategies, channels, delays,
                                      model.deadline_days, model.max_rounds)
    return outcome, expected


@SETTINGS
@given(setup=setups())
def test_engines_play_the_round_by_round_rules(setup) -> None:
    scenario, model, seed = setup
    if offer_space(scenario).empty:
        return
    outcome, expected = _play(scenario, model, seed)
    assert [tuple(p) for p in outcome.table] == expected.table
    assert (outcome.agreed is None) == (expected.agreed_round is None)
    if expected.agreed_round is not None:
        assert outcome.rounds == expected.agreed_round + 1


@SETTINGS
@given(setup=setups())
def test_agreements_lie_in_the_zone_of_agreement_before_the_deadline(setup) -> None:
    scenario, model, seed = setup
    result = model.negotiate(scenario, rng=seed)
    days = [e.day for e in result.events]
    assert days == sorted(days), "the log is in time order"
    assert all(day <= model.deadline_days for day in days)
    if not result.agreed:
        assert result.reason
        return
    space = DealSpace.from_scenario(scenario)
    package = space.package_from_choices(result.agreement)
    assert space.red_lines_hit(package) == []
    floors = offer_space(scenario).floors(np.array(result.day), model.deadline_days)
    utility = space.fixed_utilities(np.array([package]))[0] / 2**40
    assert np.all(utility >= floors)
    drifted = [p.reservation.value for p in scenario.at(result.day).parties]
    assert np.all(utility >= np.array(drifted) - 1e-9)
    assert result.day <= model.deadline_days


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**20), protocol=st.sampled_from(["alternating", "mediated"]),
       strategy=st.sampled_from(NAMES))
def test_an_empty_zone_never_agrees(seed: int, protocol: str, strategy: str) -> None:
    scenario = random_scenario(3, 3, 3, rng=seed)
    parties = tuple(p.__class__(p.id, p.name, p.capability, Uncertain.point(0.8))
                    for p in scenario.parties)
    scenario = scenario.replace(parties=parties)
    if find_zopa(scenario).exists:
        return
    result = NegotiationModel(protocol=protocol, strategy=strategy).negotiate(scenario,
                                                                               rng=seed)
    assert not result.agreed
    assert "deadline" in result.reason or "max_rounds" in result.reason


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**20), protocol=st.sampled_from(["alternating", "mediated"]),
       strategy=st.sampled_from(["boulware", "linear", "conceder", "reservation-aware"]))
def test_a_clear_zone_is_reached_before_the_deadline(seed: int, protocol: str,
                                                     strategy: str) -> None:
    scenario = random_scenario(3, 3, 3, rng=seed, reservations=False)
    parties = tuple(p.__class__(p.id, p.name, p.capability, Uncertain.point(0.05))
                    for p in scenario.parties)
    scenario = scenario.replace(parties=parties)
    result = NegotiationModel(protocol=protocol, strategy=strategy,
                              deadline_days=60).negotiate(scenario, rng=seed)
    assert result.agreed, result.reason
    assert result.day < 60


def test_mediated_text_converges_on_the_harbour(harbour: Scenario) -> None:
    for seed in range(5):
        result = NegotiationModel(protocol="mediated").negotiate(harbour, rng=seed)
        assert result.agreed, result.reason
        assert find_zopa(harbour).exists
        assert {e.action for e in result.events} >= {"draft", "object", "agreement"}


def test_alternating_offers_agree_on_the_harbour(harbour: Scenario) -> None:
    result = NegotiationModel().negotiate(harbour, rng=0)
    assert result.agreed and result.day <= 90
    assert result.events[-1].action == "agreement"
    assert result.events[0].action == "propose"


@pytest.mark.parametrize("protocol", ["alternating", "mediated"])
def test_with_a_mediator_parties_talk_only_through_it(ukraine: Scenario, protocol: str) -> None:
    model = NegotiationModel(protocol=protocol, mediator="united_states")
    channels = model.channels_for(ukraine)
    for event in model.negotiate(ukraine, rng=2).events:
        if "all" in (event.sender, event.receiver):
            assert event.sender in ("united_states", "all")
            continue
        assert channels.talks(event.sender, event.receiver), event
    relayed = [e for e in NegotiationModel(mediator="united_states").negotiate(
        ukraine, rng=4).events if e.action == "relay"]
    assert relayed and all(e.sender == "united_states" for e in relayed)


def test_answers_take_each_partys_response_delay(harbour: Scenario) -> None:
    delays = {"north": 2.0, "south": 5.0, "port": 1.0}
    parties = tuple(p.__class__(p.id, p.name, p.capability, p.reservation, p.description,
                                response_delay_days=Uncertain.point(delays[p.id]))
                    for p in harbour.parties)
    scenario = harbour.replace(parties=parties)
    result = NegotiationModel(opener="north").negotiate(scenario, rng=0)
    offered = None
    for event in result.events:
        if event.action == "propose":
            offered = event.day
        elif event.action in ("accept", "reject"):
            assert event.day - offered == pytest.approx(delays[event.sender])
    first_round = [e.day for e in result.events if e.action == "propose"][:2]
    assert first_round == [0.0, 5.0], "the next offer waits for the slowest answer"


def test_max_rounds_and_deadline_end_the_talks(ukraine: Scenario) -> None:
    capped = NegotiationModel(max_rounds=2, deadline_days=365).negotiate(ukraine, rng=1)
    assert not capped.agreed and capped.rounds == 2 and "max_rounds" in capped.reason
    short = NegotiationModel(deadline_days=3).negotiate(ukraine, rng=1)
    assert short.rounds == 1 and "deadline" in short.reason
    assert short.events[-1].action == "breakdown" and short.events[-1].day == 3


def test_tit_for_tat_alone_never_moves(harbour: Scenario) -> None:
    result = NegotiationModel(strategy="tit-for-tat").negotiate(harbour, rng=0)
    assert not result.agreed
    offers = {e.sender: e.package for e in result.events if e.action == "propose"}
    repeated = [e.package == offers[e.sender] for e in result.events if e.action == "propose"]
    assert all(repeated), "nobody concedes first"
    partnered = NegotiationModel(strategy="tit-for-tat", strategies="port:linear")
    assert partnered.negotiate(harbour, rng=0).agreed


def test_red_lines_that_rule_out_an_issue_stop_the_talks(harbour: Scenario) -> None:
    stance = harbour.stance("south", "dredging")
    blocked = harbour.with_stance(stance.__class__(
        stance.party, stance.issue, stance.ideal, stance.salience, stance.values,
        frozenset({"shared"})))
    for protocol in ("alternating", "mediated"):
        result = NegotiationModel(protocol=protocol).negotiate(blocked, rng=0)
        assert not result.agreed and "dredging" in result.reason and result.rounds == 0
        forecast = NegotiationModel(protocol=protocol).run(blocked, rng=0)
        assert not forecast.converged and np.all(np.isfinite(forecast.outcome))


def test_channels_validate_the_mediator() -> None:
    with pytest.raises(Exception, match="unknown mediator"):
        Channels(("a", "b"), mediator="c")
    hops = Channels(("a", "b", "c"), mediator="b").hops()
    assert hops.tolist() == [[0, 0, 1], [0, 0, 0], [1, 0, 0]]
    assert Channels(("a", "b")).hops().sum() == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**20), protocol=st.sampled_from(["alternating", "mediated"]),
       strategy=st.sampled_from(NAMES), which=st.sampled_from(["harbour", "ukraine"]),
       mediator=st.sampled_from([None, NEUTRAL, "port", "united_states"]))
def test_engines_match_the_rules_when_reservations_drift(
        harbour: Scenario, ukraine: Scenario, seed: int, protocol: str, strategy: str,
        which: str, mediator: str | None) -> None:
    scenario = harbour if which == "harbour" else ukraine
    if mediator not in (None, NEUTRAL, *scenario.party_ids):
        mediator = None
    assert scenario.drifts
    model = NegotiationModel(protocol=protocol, strategy=strategy, mediator=mediator,
                             deadline_days=120)
    outcome, expected = _play(scenario, model, seed)
    assert [tuple(p) for p in outcome.table] == expected.table
    assert (outcome.agreed is None) == (expected.agreed_round is None)


def test_a_party_asking_for_more_than_any_package_objects_without_naming_issues(
        harbour: Scenario) -> None:
    greedy = harbour.with_party(harbour.party("port").__class__(
        "port", "Port Authority", Uncertain.point(1.2), Uncertain.point(0.99)))
    result = NegotiationModel(protocol="mediated").negotiate(greedy, rng=0)
    assert not result.agreed
    port = [e for e in result.events if e.sender == "port"]
    assert port and all(e.action == "object" for e in port)
    assert any(e.detail == "wants more than any package gives" for e in port)
