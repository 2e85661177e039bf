"""Sensitivity: the tornado finds what matters, ignores what does not, and is reproducible."""

from __future__ import annotations

import pytest

from zopa.errors import ScenarioError
from zopa.scenario import Scenario
from zopa.simulation.perturb import ScenarioSampler
from zopa.simulation.sensitivity import sensitivity


def test_surplus_is_driven_by_the_reservation(harbour: Scenario) -> None:
    result = sensitivity(harbour, "surplus:north:board-draft", draws=200, rng=1)
    top = result.swings[0]
    assert top.input == "parties[0].reservation"
    assert top.swing == pytest.approx(0.1)  # reservation range 0.4..0.5, one for one
    assert top.at_low - top.at_high == pytest.approx(0.1)
    assert top.first_order is not None and top.first_order > 0.8
    unrelated = {w.input: w for w in result.swings}["areas[0].km2"]
    assert unrelated.swing == 0.0 and (unrelated.first_order or 0.0) < 0.15


def test_same_seed_same_indices(harbour: Scenario) -> None:
    a = sensitivity(harbour, "ratify:north-vote:board-draft", draws=40, rng=3)
    b = sensitivity(harbour, "ratify:north-vote:board-draft", draws=40, rng=3)
    assert a.swings == b.swings


def test_tornado_only(harbour: Scenario) -> None:
    result = sensitivity(harbour, "forecast:median:fees", draws=0)
    assert result.variance is None and all(w.first_order is None for w in result.swings)


def test_partial_share_changes_stay_coherent(harbour: Scenario) -> None:
    sampler = ScenarioSampler.from_scenario(harbour)
    changed = sampler.with_values({("ratifiers", 0, "groups", 0, "share"): 0.3})
    shares = [g.share.value for g in changed.ratifiers[0].groups]
    assert shares[0] == 0.3 and sum(shares) == pytest.approx(1.0)


@pytest.mark.parametrize("target,message", [
    ("utility:nobody:board-draft", "unknown party 'nobody'"),
    ("utility:north:no-plan", "unknown plan 'no-plan'"),
    ("forecast:median:nowhere", "unknown issue 'nowhere'"),
    ("ratify:senate:board-draft", "unknown ratifier 'senate'"),
    ("astrology:x", "unknown target"),
    ("utility:north", "expected one of"),
])
def test_bad_targets(harbour: Scenario, target: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        sensitivity(harbour, target, draws=0)
