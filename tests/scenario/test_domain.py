"""Domain objects validate themselves and name the offending field."""

from __future__ import annotations

import dataclasses

import pytest

from zopa.errors import ScenarioError
from zopa.scenario import Issue, Option, Party, Proposal, Scenario, Stance, Uncertain
from zopa.scenario.preferences import default_value


def test_uncertain_rejects_unordered_bounds() -> None:
    with pytest.raises(ScenarioError, match="low <= mode <= high"):
        Uncertain(3.0, 1.0, 5.0)


def test_uncertain_rejects_nan() -> None:
    with pytest.raises(ScenarioError, match="finite"):
        Uncertain.point(float("nan"))


def test_option_position_must_be_on_scale() -> None:
    with pytest.raises(ScenarioError) as error:
        Option("x", "X", Uncertain.point(120))
    assert error.value.path == ("position",)


def test_issue_rejects_duplicate_options() -> None:
    option = Option("a", "A", Uncertain.point(0))
    with pytest.raises(ScenarioError, match="duplicate option id 'a'"):
        Issue("i", "I", (option, option))


def test_party_capability_positive() -> None:
    with pytest.raises(ScenarioError, match="positive capability"):
        Party("p", "P", Uncertain.point(0), Uncertain.point(0.2))


def test_stance_rejects_negative_salience() -> None:
    with pytest.raises(ScenarioError, match="salience >= 0"):
        Stance("p", "i", Uncertain.point(10), Uncertain.point(-1))


def test_default_value_is_linear_in_distance() -> None:
    assert default_value(30, 30) == 1.0
    assert default_value(0, 100) == 0.0
    assert default_value(20, 70) == pytest.approx(0.5)


def test_scenario_cross_references(harbour: Scenario) -> None:
    with pytest.raises(ScenarioError) as error:
        harbour.with_stance(Stance("nobody", "fees", Uncertain.point(1), Uncertain.point(1)))
    assert error.value.path[:2] == ("stances", "nobody")
    bad_plan = Proposal("x", "X", (("fees", "free"), ("berths", "split"), ("dredging", "port")))
    with pytest.raises(ScenarioError, match="unknown option 'free'"):
        harbour.with_proposal(bad_plan)
    partial = Proposal("y", "Y", (("fees", "low"),))
    with pytest.raises(ScenarioError, match="no option chosen"):
        harbour.with_proposal(partial)


def test_scenario_duplicate_party_ids(harbour: Scenario) -> None:
    with pytest.raises(ScenarioError) as error:
        harbour.replace(parties=(*harbour.parties, harbour.parties[0]))
    assert error.value.path == ("parties", 3, "id")


def test_scenario_is_frozen_and_copies_on_edit(harbour: Scenario) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        harbour.name = "changed"  # type: ignore[misc]
    cheaper = harbour.with_party(dataclasses.replace(harbour.parties[1],
                                                     reservation=Uncertain.point(0.1)))
    assert cheaper.party("south").reservation.value == 0.1
    assert harbour.party("south").reservation.value == 0.4


def test_missing_stance_means_indifference(harbour: Scenario) -> None:
    trimmed = harbour.replace(stances=tuple(s for s in harbour.stances
                                            if (s.party, s.issue) != ("south", "dredging")))
    assert trimmed.stance("south", "dredging").salience.value == 0


def test_uncertain_values_are_listed_with_paths(harbour: Scenario) -> None:
    paths = dict(harbour.uncertain_values())
    assert paths[("parties", 0, "reservation")].low == 0.4
    assert ("stances", "port", "fees", "values", "low") in paths


def test_unknown_source_is_refused(harbour: Scenario) -> None:
    party = dataclasses.replace(harbour.parties[0],
                                capability=Uncertain.point(1, sources=("nowhere",)))
    with pytest.raises(ScenarioError, match="unknown source 'nowhere'"):
        harbour.with_party(party)


def test_scenario_needs_positive_salience_somewhere(harbour: Scenario) -> None:
    zero = tuple(dataclasses.replace(s, salience=Uncertain.point(0)) if s.party == "north" else s
                 for s in harbour.stances)
    with pytest.raises(ScenarioError, match="no issue with a positive salience"):
        harbour.replace(stances=zero)


def test_scenario_requires_parties_and_issues() -> None:
    with pytest.raises(ScenarioError, match="at least one party"):
        Scenario("s", "S", (), ())
