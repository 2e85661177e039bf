"""KTAB's Spatial Model of Politics: golden reference runs, options, reproducibility, primitives."""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from zopa.errors import ModelError
from zopa.formats.ktab import (
    import_ktab_csv,
    import_ktab_xml,
    read_ktab_xml_ideal_adjustment,
    read_ktab_xml_parameters,
)
from zopa.models.base import SpatialData
from zopa.models.smp import SpatialModelOfPolitics, ktab_saliences
from zopa.models.smp_challenge import perceived_attitudes, risk_utility, salience_distance
from zopa.models.smp_turns import distinct_positions
from zopa.models.smp_voting import condorcet_election, victory_probability, vote
from zopa.scenario.synthetic import random_scenario

RESEARCH = Path(__file__).resolve().parents[2].parent / "shared" / "research-data"
KTAB = ("ktab", "smp")
POSITION_TOLERANCE = 0.1     # acceptance: every position within 0.1 on 0-100
PROBABILITY_TOLERANCE = 1e-4  # the log prints 4 decimals
RATIO_TOLERANCE = 1e-4


def research_file(*parts: str) -> Path:
    path = RESEARCH.joinpath(*KTAB, *parts)
    if not path.exists():
        pytest.fail(f"research data missing: {path} (the KTAB reference data is expected in "
                    f"{RESEARCH}, next to the repository)")
    return path


# -- a parser for KTAB's logged reference runs ---------------------------------------------------
@dataclass
class LoggedRun:
    states: int
    ratios: list[float]
    positions: dict[tuple[str, str], list[float]]
    probabilities: dict[str, list[float]]

    def position_array(self, actors: list[str], dims: list[str]) -> np.ndarray:
        """``(states, n, m)`` logged positions."""
        return np.array([[self.positions[(a, d)] for d in dims] for a in actors]).transpose(2, 0, 1)

    def probability_array(self, actors: list[str]) -> np.ndarray:
        return np.array([self.probabilities[a] for a in actors]).T

    def dimensions(self) -> list[str]:
        return list(dict.fromkeys(d for _, d in self.positions))

    def actors(self) -> list[str]:
        return list(dict.fromkeys(a for a, _ in self.positions))


def parse_summary(path: Path) -> LoggedRun:
    states, ratios = 0, []
    positions: dict[tuple[str, str], list[float]] = {}
    probabilities: dict[str, list[float]] = {}
    section = None
    for line in path.read_text().splitlines():
        if line.startswith("Fractional change"):
            ratios.append(float(line.split(":")[1].split()[0]))
        elif match := re.match(r"There were (\d+) states", line):
            states = int(match.group(1))
        elif line.startswith("History of actor positions"):
            section = "positions"
        elif line.startswith("History of actors' winning"):
            section = "probabilities"
        elif section == "positions" and ":" in line:
            label, values = line.split(":", 1)
            actor, dim = (part.strip() for part in label.split(",", 1))
            positions[(actor, dim)] = [float(v) for v in values.split()]
        elif section == "probabilities" and ", prob :" in line:
            actor, values = line.split(", prob :")
            probabilities[actor.strip()] = [float(v) for v in values.split()]
    return LoggedRun(states, ratios, positions, probabilities)


def test_the_summary_parser_reads_a_logged_run() -> None:
    run = parse_summary(research_file("reference_runs", "dummyData_3Dim.summary.txt"))
    assert run.states == 11 and len(run.ratios) == 10
    assert run.dimensions() == ["Pstn1", "Pstn2", "Pstn3"]
    assert run.positions[("SActor-02", "Pstn3")][0] == 0.1
    assert all(len(v) == 11 for v in run.probabilities.values())


# -- golden reference runs -----------------------------------------------------------------------
@pytest.mark.parametrize("name, states", [("SOE-Pol-Comp", 28), ("dummyData_3Dim", 11)])
def test_defaults_reproduce_the_logged_ktab_run(name: str, states: int) -> None:
    scenario = import_ktab_csv(research_file(f"{name}.csv"))
    logged = parse_summary(research_file("reference_runs", f"{name}.summary.txt"))
    forecast = SpatialModelOfPolitics().run(scenario)
    expected = logged.position_array([p.name for p in scenario.parties], logged.dimensions())
    assert logged.states == states
    assert forecast.trajectory is not None
    assert forecast.trajectory.shape == expected.shape
    deviation = np.abs(forecast.trajectory - expected)
    worst = np.unravel_index(int(np.argmax(deviation)), deviation.shape)
    assert deviation.max() <= POSITION_TOLERANCE, f"turn, actor, dim = {worst}"
    assert forecast.converged


@pytest.mark.parametrize("name", ["SOE-Pol-Comp", "dummyData_3Dim"])
def test_win_probabilities_and_stopping_ratios_match_the_log(name: str) -> None:
    scenario = import_ktab_csv(research_file(f"{name}.csv"))
    logged = parse_summary(research_file("reference_runs", f"{name}.summary.txt"))
    history = SpatialModelOfPolitics().simulate(SpatialData.from_scenario(scenario))
    expected = logged.probability_array([p.name for p in scenario.parties])
    assert np.abs(history.win_probability - expected).max() <= PROBABILITY_TOLERANCE
    assert np.abs(history.change_ratio - np.array(logged.ratios)).max() <= RATIO_TOLERANCE


def _replaying(expected: np.ndarray):
    """A chooser that takes, from each queue, the entry KTAB's random draw picked."""
    def make(turn: int):
        def choose(actors: np.ndarray, chances: np.ndarray,
                   candidates: np.ndarray) -> np.ndarray:
            if turn >= expected.shape[0]:
                return np.argmax(chances, axis=1)
            logged = expected[turn, actors][:, None, :]
            gap = np.abs(candidates * 100.0 - logged).max(axis=2)
            gap[chances == 0] = np.inf
            return np.argmin(gap, axis=1)
        return choose
    return make


def test_smp_example_is_reproduced_when_ktabs_random_choices_are_replayed() -> None:
    path = research_file("smpExample.xml")
    scenario = import_ktab_xml(path)
    model = SpatialModelOfPolitics(**read_ktab_xml_parameters(path),  # type: ignore[arg-type]
                                   ideal_adjustment=read_ktab_xml_ideal_adjustment(path))
    logged = parse_summary(research_file("reference_runs", "smpExample.summary.txt"))
    actors = [p.name for p in scenario.parties]
    expected = logged.position_array(actors, logged.dimensions())
    history = model.simulate(SpatialData.from_scenario(scenario), chooser=_replaying(expected))
    assert history.positions.shape == expected.shape == (15, 5, 3)
    assert np.abs(history.positions - expected).max() <= POSITION_TOLERANCE
    assert np.abs(history.win_probability - logged.probability_array(actors)).max() <= 1e-4
    assert np.abs(history.change_ratio - np.array(logged.ratios)).max() <= RATIO_TOLERANCE


def test_smp_example_runs_stochastically_with_its_own_parameters() -> None:
    path = research_file("smpExample.xml")
    model = SpatialModelOfPolitics(**read_ktab_xml_parameters(path),  # type: ignore[arg-type]
                                   ideal_adjustment=read_ktab_xml_ideal_adjustment(path))
    scenario = import_ktab_xml(path)
    first, again = model.run(scenario, rng=7), model.run(scenario, rng=7)
    assert first.same_as(again)
    assert first.trajectory is not None and first.trajectory.shape[1:] == (5, 3)


# -- determinism, reproducibility, conventions ---------------------------------------------------
@pytest.fixture(scope="module")
def small():
    return random_scenario(6, 2, 3, rng=3)


def test_defaults_are_ktabs() -> None:
    model = SpatialModelOfPolitics()
    assert (model.victory_probability, model.pce, model.transitions, model.voting) == (
        "linear", "conditional", "deterministic", "prop")
    assert (model.big_r_adjust, model.big_r_range, model.third_party_commit) == (
        "one_third", "mid", "semi")
    assert (model.bargain, model.bargain_model) == ("s2p2", "init_only")
    assert (model.min_rounds, model.max_rounds, model.tolerance) == (2, 100, 0.02)
    assert SpatialModelOfPolitics.name == "smp"


def test_the_default_model_draws_no_random_numbers(small) -> None:
    generator = np.random.default_rng(11)
    forecast = SpatialModelOfPolitics().run(small, rng=generator)
    assert generator.random() == np.random.default_rng(11).random()
    assert forecast.same_as(SpatialModelOfPolitics().run(small, rng=99))


def test_stochastic_transitions_repeat_with_the_same_seed(small) -> None:
    model = SpatialModelOfPolitics(transitions="stochastic")
    assert model.run(small, rng=5).same_as(model.run(small, rng=5))
    runs = [model.run(small, rng=seed).trajectory for seed in range(6)]
    assert any(not np.array_equal(runs[0], other) for other in runs[1:])


def test_the_forecast_describes_the_run(small) -> None:
    model = SpatialModelOfPolitics()
    forecast = model.run(small)
    history = model.simulate(SpatialData.from_scenario(small))
    assert forecast.trajectory is not None and forecast.outcomes is not None
    assert forecast.trajectory.shape == (history.turns + 1, 6, 2)
    assert forecast.outcomes.shape == (history.turns + 1, 2)
    final = history.positions[-1]
    group = distinct_positions(final / 100.0)
    leaders = np.unique(group)
    weighted = history.win_probability[-1][leaders] @ final[leaders]
    np.testing.assert_allclose(forecast.outcome, weighted)
    assert history.win_probability[-1][leaders].sum() == pytest.approx(1.0)
    assert forecast.notes and forecast.provenance.method == "zopa.models.smp"


def test_relative_saliences_are_rescaled_per_actor(small) -> None:
    data = SpatialData.from_scenario(small)
    rescaled = ktab_saliences(data.salience * 7.0)
    np.testing.assert_allclose(rescaled.sum(axis=1), 1.0)
    kept = np.array([[0.2, 0.3], [0.5, 0.5]])
    assert np.array_equal(ktab_saliences(kept), kept)
    grown = SpatialData(data.actors, data.issues, data.capability, data.position,
                        data.salience * 7.0, data.status_quo)
    unit = SpatialData(data.actors, data.issues, data.capability, data.position,
                       ktab_saliences(data.salience * 7.0), data.status_quo)
    model = SpatialModelOfPolitics()
    assert model.forecast(grown).same_as(model.forecast(unit))
    assert any("divided by their sum" in note for note in model.forecast(grown).notes)


@pytest.mark.parametrize("option, value", [
    ("victory_probability", "square"), ("victory_probability", "quartic"),
    ("victory_probability", "octic"), ("victory_probability", "binary"),
    ("pce", "markov_uniform"), ("pce", "markov_incentive"),
    ("voting", "binary"), ("voting", "prop_bin"), ("voting", "prop_cbc"),
    ("voting", "cubic"), ("voting", "asym_prosp"),
    ("big_r_adjust", "none"), ("big_r_adjust", "half"), ("big_r_adjust", "two_thirds"),
    ("big_r_adjust", "full"), ("big_r_range", "min"), ("big_r_range", "max"),
    ("bargain", "s1p1"), ("transitions", "stochastic"),
])
def test_every_option_runs(small, option: str, value: str) -> None:
    forecast = SpatialModelOfPolitics(**{option: value}, max_rounds=20).run(small, rng=1)
    assert forecast.trajectory is not None
    assert ((forecast.trajectory >= 0) & (forecast.trajectory <= 100)).all()
    assert ((forecast.outcome >= 0) & (forecast.outcome <= 100)).all()


@pytest.mark.parametrize("option, value", [
    ("third_party_commit", "full"), ("bargain", "s2pmax"), ("bargain_model", "pw_comp"),
    ("voting", "proportional"), ("min_rounds", 0), ("tolerance", 0.0),
])
def test_unsupported_options_are_refused(option: str, value: object) -> None:
    with pytest.raises(ModelError, match=option):
        SpatialModelOfPolitics(**{option: value})  # type: ignore[arg-type]


def test_unknown_actors_in_the_ideal_adjustment_are_refused(small) -> None:
    with pytest.raises(ModelError, match="unknown actor"):
        SpatialModelOfPolitics(ideal_adjustment=(("p1", "nobody", 0.5),)).run(small)


def test_the_model_and_its_forecast_pickle(small) -> None:
    model = SpatialModelOfPolitics(voting="cubic")
    assert pickle.loads(pickle.dumps(model)) == model
    forecast = model.run(small)
    assert pickle.loads(pickle.dumps(forecast)).same_as(forecast)


def test_max_rounds_bounds_the_run(small) -> None:
    forecast = SpatialModelOfPolitics(max_rounds=2, tolerance=1e-12).run(small)
    assert forecast.rounds == 2 and not forecast.converged
    assert any("did not converge" in note for note in forecast.notes)


# -- primitives ----------------------------------------------------------------------------------
@pytest.mark.parametrize("model, expected", [
    ("linear", 2 / 3), ("square", 4 / 5), ("quartic", 16 / 17), ("octic", 256 / 257),
    ("binary", 1.0)])
def test_victory_probability_of_a_two_to_one_coalition(model: str, expected: float) -> None:
    assert float(victory_probability(model, np.array(2.0), np.array(1.0))) == \
        pytest.approx(expected)


def test_binary_victory_is_linear_between_the_ten_percent_margins() -> None:
    assert float(victory_probability("binary", np.array(1.0), np.array(1.0))) == 0.5
    assert float(victory_probability("binary", np.array(1.0), np.array(1.1))) == \
        pytest.approx(0.0)


@pytest.mark.parametrize("rule, expected", [
    ("prop", 0.5), ("binary", 1.0), ("prop_bin", 0.6), ("prop_cbc", 0.3125),
    ("cubic", 0.125), ("asym_prosp", 1 / 3)])
def test_votes_follow_each_rule(rule: str, expected: float) -> None:
    assert float(vote(rule, 1.0, np.array(0.75), np.array(0.25))) == pytest.approx(expected)


def test_asymmetric_prospect_weighs_losses_fully() -> None:
    assert float(vote("asym_prosp", 1.0, np.array(0.25), np.array(0.75))) == pytest.approx(-0.5)


@pytest.mark.parametrize("pce", ["conditional", "markov_uniform", "markov_incentive"])
def test_every_pce_is_a_distribution_favouring_the_popular_option(pce: str) -> None:
    utility = np.random.default_rng(4).uniform(size=(3, 7, 5))
    utility[:, :, 2] += 0.5
    chances = condorcet_election(np.ones(7), utility, pce=pce)
    np.testing.assert_allclose(chances.sum(axis=-1), 1.0)
    assert (chances.argmax(axis=-1) == 2).all()


def test_a_cycle_of_sure_wins_splits_evenly() -> None:
    utility = np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 0.5], [0.5, 0.0, 1.0]])
    chances = condorcet_election(np.ones(3), utility, victory="binary")
    np.testing.assert_allclose(chances, 1 / 3)


def test_utility_and_distance_conventions() -> None:
    assert float(risk_utility(np.array(0.0), -1.0)) == 1.0
    assert float(risk_utility(np.array(0.5), 0.0)) == 0.5
    x = np.array([[0.2, 0.4], [0.6, 0.4]])
    s = np.array([[0.5, 0.5], [1.0, 0.0]])
    d = salience_distance(x, s, x)
    assert d[0, 1] == pytest.approx(np.sqrt(0.5**2 * 0.4**2 / 0.5))
    assert d[1, 0] == pytest.approx(0.4)
    r = perceived_attitudes(np.array([1.0, -0.5]), "one_third")
    assert r[0, 1] == pytest.approx(0.5) and r[1, 1] == -0.5
