"""The expected-utility model: the published traces, an independent oracle, the stopping rule."""

from __future__ import annotations

import dataclasses
import itertools
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zopa.errors import ModelError
from zopa.formats.bdm import import_bdm_csv, to_bdm_scale
from zopa.models.base import SpatialData
from zopa.models.expected_utility import ExpectedUtility
from zopa.models.expected_utility_round import OFFER_KINDS
from zopa.models.options import parse_options
from zopa.scenario import Scenario
from zopa.scenario.synthetic import random_scenario

RESEARCH = Path(__file__).resolve().parents[2].parent / "shared" / "research-data" / "bdm-eum"
EC_MEDIANS = [7.0, 8.42, 9.61, 9.96, 9.96, 9.96, 7.47, 8.82, 9.67, 9.67, 7.0]
KIND_WORDS = {"compromises with": "compromise", "loses confrontation to": "conflict",
              "capitulates to": "capitulation"}


def research_file(name: str) -> Path:
    path = RESEARCH / name
    if not path.exists():
        pytest.fail(f"reference data missing: {path} (expected the shared research data next "
                    "to the repository, ../shared/research-data/bdm-eum/)")
    return path


@dataclasses.dataclass
class Trace:
    """What McKibben's replication of Scholz's code printed, round by round."""

    medians: list[float]
    means: list[float]
    offers: list[list[tuple[str, str, str, float, float, float]]]


def read_trace(name: str) -> Trace:
    text = research_file(name).read_text()
    offers: list[list[tuple[str, str, str, float, float, float]]] = []
    pattern = re.compile(r"^(.+?) (compromises with|loses confrontation to|capitulates to) (.+)\n"
                         r"\t(\S+) vs (\S+)\n\tnew_pos = (\S+)", re.M)
    for block in re.split(r"^ROUND \d+$", text, flags=re.M)[1:]:
        offers.append([(m[1], KIND_WORDS[m[2]], m[3], float(m[4]), float(m[5]), float(m[6]))
                       for m in pattern.finditer(block)])
    return Trace([float(v) for v in re.findall(r"Median position: (\S+)", text)],
                 [float(v) for v in re.findall(r"Mean position: (\S+)", text)], offers)


@pytest.fixture(scope="module")
def ec() -> Scenario:
    return import_bdm_csv(research_file("ec_emissions_bdm1994__jmckib.csv"))


@pytest.fixture(scope="module")
def sultan() -> Scenario:
    return import_bdm_csv(research_file("sultan__jmckib.csv"))


def on_file_scale(scenario: Scenario, values: np.ndarray) -> list[float]:
    return [to_bdm_scale(scenario.issues[0], float(v)) for v in values]


# -- the published traces ---------------------------------------------------------------------
def test_scholz_preset_reproduces_the_ec_median_trace(ec: Scenario) -> None:
    forecast = ExpectedUtility.scholz_replication(max_rounds=10).run(ec)
    medians = on_file_scale(ec, forecast.outcomes[:, 0])
    assert [round(v, 2) for v in medians] == EC_MEDIANS
    np.testing.assert_allclose(medians, read_trace("ec_emissions_trace__jmckib_model_10rounds.txt")
                               .medians, atol=1e-9)
    assert forecast.rounds == 10 and forecast.outcome[0] == forecast.outcomes[-1, 0]


def test_scholz_preset_reproduces_the_ec_mean_trace(ec: Scenario) -> None:
    model = ExpectedUtility.scholz_replication(max_rounds=10, decision_rule="mean")
    means = on_file_scale(ec, model.run(ec).outcomes[:, 0])
    trace = read_trace("ec_emissions_trace__jmckib_model_10rounds.txt")
    np.testing.assert_allclose(means, trace.means, atol=1e-9)
    assert round(means[0], 2) == 7.39 and round(means[-1], 2) == 7.24


def test_scholz_preset_reproduces_every_offer_and_position_of_the_ec_trace(ec: Scenario) -> None:
    run = ExpectedUtility.scholz_replication(max_rounds=10).simulate(SpatialData.from_scenario(ec))
    trace = read_trace("ec_emissions_trace__jmckib_model_10rounds.txt")
    names = [p.name for p in ec.parties]
    trajectory = run.forecast.trajectory[:, :, 0]
    for t, logged in enumerate(trace.offers):
        accepted = [(names[i], OFFER_KINDS[run.kind[t, i, 0]], names[run.proposer[t, i, 0]],
                     run.own_utility[t, i, 0], run.proposer_utility[t, i, 0],
                     to_bdm_scale(ec.issues[0], trajectory[t + 1, i]))
                    for i in range(len(names)) if run.kind[t, i, 0]]
        assert [a[:3] for a in accepted] == [b[:3] for b in logged], f"round {t + 1}"
        np.testing.assert_allclose([a[3:] for a in accepted], [b[3:] for b in logged],
                                   rtol=1e-9, atol=1e-12)
        movers = {names.index(b[0]) for b in logged}
        still = [i for i in range(len(names)) if i not in movers]
        np.testing.assert_array_equal(trajectory[t + 1, still], trajectory[t, still])


def test_scholz_preset_reproduces_the_sultan_trace(sultan: Scenario) -> None:
    trace = read_trace("sultan_trace__jmckib_model_10rounds.txt")
    for rule, expected, rounded in (("median", trace.medians, 13.9),
                                    ("mean", trace.means, 13.62)):
        model = ExpectedUtility.scholz_replication(max_rounds=10, stopping="rounds",
                                                   decision_rule=rule)
        run = model.simulate(SpatialData.from_scenario(sultan))
        values = on_file_scale(sultan, run.forecast.outcomes[:, 0])
        np.testing.assert_allclose(values, expected, atol=1e-9)
        assert round(values[-1], 2) == rounded
        assert run.forecast.rounds == 10 and not run.kind.any()
        assert run.forecast.converged  # at rest: nobody moves


def test_sultan_needs_the_capitulation_test_as_coded(sultan: Scenario) -> None:
    """With the capitulation test as printed, actors do capitulate on the Sultan data."""
    model = ExpectedUtility.scholz_replication(max_rounds=1, stopping="rounds",
                                               offer_resolution="scholz")
    run = model.simulate(SpatialData.from_scenario(sultan))
    assert (run.kind == OFFER_KINDS.index("capitulation")).any()


# -- convergence and the stopping rule --------------------------------------------------------
def test_default_converges_on_the_ec_example(ec: Scenario) -> None:
    forecast = ExpectedUtility().run(ec)
    assert forecast.converged is True
    assert not any("not converged" in note for note in forecast.notes)
    assert forecast.rounds < ExpectedUtility().max_rounds
    final = on_file_scale(ec, forecast.outcome)[0]
    assert abs(final - 7.0) < 0.1
    last = forecast.trajectory[-1, :, 0] - forecast.trajectory[-2, :, 0]
    assert np.abs(last).max() < ExpectedUtility().tolerance


def test_scholz_preset_does_not_converge_and_says_so(ec: Scenario) -> None:
    """With the model's stopping rule, the Scholz dynamics are caught returning to a state."""
    forecast = ExpectedUtility.scholz_replication().run(ec)
    assert forecast.converged is False
    note = next(n for n in forecast.notes if "cycle" in n)
    length = int(re.search(r"cycle of length (\d+) rounds", note)[1])
    assert forecast.rounds < ExpectedUtility().max_rounds
    np.testing.assert_allclose(forecast.trajectory[-1], forecast.trajectory[-1 - length],
                               atol=ExpectedUtility().tolerance)


def test_scholz_preset_reaches_an_exact_cycle_of_70_rounds(ec: Scenario) -> None:
    forecast = ExpectedUtility.scholz_replication(max_rounds=400, tolerance=1e-9).run(ec)
    assert forecast.converged is False and forecast.rounds == 223
    assert any("cycle of length 70 rounds" in n for n in forecast.notes)
    np.testing.assert_allclose(forecast.trajectory[-1], forecast.trajectory[-71], atol=1e-9)


def test_hitting_max_rounds_is_reported(ec: Scenario) -> None:
    forecast = ExpectedUtility.scholz_replication(max_rounds=30).run(ec)
    assert forecast.converged is False and forecast.rounds == 30
    assert any("not settled after 30 rounds" in n for n in forecast.notes)


def test_forecast_only_stopping_is_fooled_by_a_pause(ec: Scenario) -> None:
    """BdM 2002's rule alone stops the Scholz dynamics on the 9.96 plateau."""
    forecast = ExpectedUtility.scholz_replication(stopping="forecast").run(ec)
    assert forecast.rounds == 4 and forecast.converged
    assert round(on_file_scale(ec, forecast.outcome)[0], 2) == 9.96
    assert any("positions still moving" in n for n in forecast.notes)


def test_rounds_stopping_plays_every_round(ec: Scenario) -> None:
    forecast = ExpectedUtility(stopping="rounds", max_rounds=7).run(ec)
    assert forecast.rounds == 7 and forecast.trajectory.shape == (8, 10, 1)


def test_unanimous_issue_is_forecast_without_rounds() -> None:
    data = _data(np.array([[30.0, 60.0], [30.0, 10.0], [30.0, 90.0]]))
    run = ExpectedUtility().simulate(data)
    assert run.rounds_played.tolist() == [0, run.forecast.rounds]
    assert run.forecast.outcome[0] == 30.0
    assert np.all(run.forecast.trajectory[:, :, 0] == 30.0)
    assert any("all actors agree on i0" in n for n in run.forecast.notes)


# -- an independent, loop-by-loop oracle of the equations ------------------------------------
def _median(x: list[float], w: list[float]) -> float:
    pairs = sorted(zip(x, w, strict=True))
    half, total = sum(w) / 2, 0.0
    for k, (position, weight) in enumerate(pairs):
        total += weight
        if total >= half * (1 - 1e-12):
            later = [p for p, v in pairs[k + 1:] if v > 0]
            return (position + later[0]) / 2 if abs(total - half) <= half * 1e-12 and later \
                else position
    raise AssertionError


def oracle_round(x: list[float], c: list[float], s: list[float], spread: float,
                 model: ExpectedUtility) -> list[float]:
    """One round, written from the equations with plain loops (no numpy, no shortcuts)."""
    n = len(x)
    w = [c[k] * s[k] for k in range(n)]
    mu = _median(x, w) if model.decision_rule == "median" else \
        sum(a * b for a, b in zip(w, x, strict=True)) / sum(w)

    def d(a: float, b: float) -> float:
        return abs(a - b) / spread

    def gain(k: int, i: int, j: int, r: list[float]) -> float:  # k's preference for x_i over x_j
        return w[k] * (d(x[k], x[j]) ** r[k] - d(x[k], x[i]) ** r[k])

    def prob(i: int, j: int, r: list[float]) -> float:
        gains = [gain(k, i, j, r) for k in range(n)]
        if model.win_probability == "scholz":
            total = sum(abs(gain(k, a, b, r)) for k in range(n) for a in range(n)
                        for b in range(n))
            return sum(g for g in gains if g > 0) / total if total > 0 else 0.0
        size = sum(abs(g) for g in gains)
        if model.win_probability == "paper":
            return sum(g for g in gains if g > 0) / size if size > 0 else 0.5
        return max(0.0, sum(gains)) / size if size > 0 else 0.0

    def u(inner: float, r: float) -> float:
        return 2 - 4 * max(inner, 0.0) ** r

    def eu(a: int, b: int, r: float, p: float) -> float:
        dist, away = d(x[a], x[b]), d(x[a], mu)
        return (s[b] * (p * u(.5 - .5 * dist, r) + (1 - p) * u(.5 + .5 * dist, r))
                + (1 - s[b]) * u(.5 - .5 * dist, r) - model.q * u(.5, r)
                - (1 - model.q) * (model.t * u(.5 - .25 * (away + dist), r)
                                   + (1 - model.t) * u(.5 + .25 * (away + dist), r)))

    ones = [1.0] * n
    danger = [sum(eu(j, k, 1.0, prob(j, k, ones)) for j in range(n) if j != k) for k in range(n)]
    high, low = max(danger), min(danger)
    big_r = [(2 * v - high - low) / (high - low) if high > low else 0.0 for v in danger]
    r = [(1 - v / 3) / (1 + v / 3) for v in big_r]
    return [_oracle_choice(i, x, r, eu, prob, model) for i in range(n)]


def _oracle_choice(i, x, r, eu, prob, model) -> float:  # type: ignore[no-untyped-def]
    offers = []  # (kind rank, key, new position)
    for j in range(len(x)):
        if j == i or x[j] == x[i]:
            continue
        mine = eu(i, j, r[i], prob(i, j, r))
        theirs = eu(j, i, r[i] if model.risk_exponent_of == "receiver" else r[j], prob(j, i, r))
        if theirs > mine > 0:
            offers.append((0, x[j]))
        elif theirs > 0 > mine and theirs > -mine:
            move = x[i] + (x[j] - x[i]) * (-mine / theirs)
            key = (-mine * x[i] + theirs * x[j]) / (-mine + theirs)
            offers.append((1, move, key))
        elif theirs > 0 > mine and -mine > theirs and model.offer_resolution != "scholz_code":
            offers.append((2, x[j]))
    if not offers:
        return x[i]
    if model.offer_resolution == "nearest":
        return min(offers, key=lambda o: abs(o[1] - x[i]))[1]
    first = min(o[0] for o in offers)
    return min((o for o in offers if o[0] == first),
               key=lambda o: o[2] if first == 1 else abs(o[1] - x[i]))[1]


def _data(position: np.ndarray, capability: np.ndarray | None = None,
          salience: np.ndarray | None = None) -> SpatialData:
    n, m = position.shape
    return SpatialData(tuple(f"p{i}" for i in range(n)), tuple(f"i{k}" for k in range(m)),
                       np.ones(n) if capability is None else capability, position,
                       np.full((n, m), 0.5) if salience is None else salience, np.full(m, np.nan))


def _random_issue(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 100, n), rng.uniform(0.1, 1, n), rng.uniform(0.05, 1, n)


OPTION_GRID = [dict(zip(("win_probability", "risk_exponent_of", "offer_resolution"), combo,
                        strict=True))
               for combo in itertools.product(("paper", "signed", "scholz"), ("receiver", "own"),
                                              ("nearest", "scholz", "scholz_code"))]


@pytest.mark.parametrize("options", OPTION_GRID, ids=lambda o: "-".join(o.values()))
@pytest.mark.parametrize("seed,n", [(1, 2), (2, 3), (3, 5), (4, 8)])
def test_vectorised_rounds_match_the_oracle(options: dict[str, str], seed: int, n: int) -> None:
    x, c, s = _random_issue(seed, n)
    model = ExpectedUtility(**options, max_rounds=3, stopping="rounds")
    trajectory = model.forecast(_data(x[:, None], c, s[:, None])).trajectory[:, :, 0]
    expected, spread = [list(x)], float(x.max() - x.min())
    for _ in range(3):
        expected.append(oracle_round(expected[-1], list(c), list(s), spread, model))
    np.testing.assert_allclose(trajectory, expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("rule", ["median", "mean"])
@pytest.mark.parametrize("seed", [5, 6, 7])
def test_status_quo_terms_match_the_oracle(rule: str, seed: int) -> None:
    x, c, s = _random_issue(seed, 6)
    model = ExpectedUtility(q=0.6, t=0.3, decision_rule=rule, max_rounds=3, stopping="rounds")
    trajectory = model.forecast(_data(x[:, None], c, s[:, None])).trajectory[:, :, 0]
    expected, spread = [list(x)], float(x.max() - x.min())
    for _ in range(3):
        expected.append(oracle_round(expected[-1], list(c), list(s), spread, model))
    np.testing.assert_allclose(trajectory, expected, rtol=0, atol=1e-9)


# -- properties -------------------------------------------------------------------------------
issues = st.integers(1, 6)
actors = st.integers(2, 7)


@settings(max_examples=30, deadline=None)
@given(issues, actors, st.integers(0, 2**32 - 1))
def test_issues_are_independent(m: int, n: int, seed: int) -> None:
    """Forecasting many issues at once gives each issue's forecast on its own."""
    rng = np.random.default_rng(seed)
    data = _data(np.round(rng.uniform(0, 100, (n, m)), 1), rng.uniform(0.1, 1, n),
                 np.round(rng.uniform(0.05, 1, (n, m)), 2))
    model = ExpectedUtility(max_rounds=25)
    together = model.simulate(data)
    for k in range(m):
        alone = model.simulate(_data(data.position[:, [k]], data.capability,
                                     data.salience[:, [k]]))
        rounds = int(together.rounds_played[k])
        assert rounds == alone.forecast.rounds
        np.testing.assert_allclose(together.forecast.trajectory[:rounds + 1, :, k],
                                   alone.forecast.trajectory[:, :, 0], atol=1e-9)
        assert together.forecast.outcome[k] == pytest.approx(alone.forecast.outcome[0], abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(actors, st.integers(0, 2**32 - 1), st.floats(0.01, 100))
def test_capabilities_matter_only_by_their_ratios(n: int, seed: int, factor: float) -> None:
    rng = np.random.default_rng(seed)
    x, c, s = rng.uniform(0, 100, (n, 1)), rng.uniform(0.1, 1, n), rng.uniform(0.05, 1, (n, 1))
    model = ExpectedUtility(max_rounds=10, stopping="rounds")
    first, scaled = model.forecast(_data(x, c, s)), model.forecast(_data(x, c * factor, s))
    np.testing.assert_allclose(first.trajectory, scaled.trajectory, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(actors, st.integers(0, 2**32 - 1))
def test_reflecting_the_scale_reflects_the_forecast(n: int, seed: int) -> None:
    """With the nearest-offer rule nothing depends on the direction of the scale."""
    rng = np.random.default_rng(seed)
    x, c, s = rng.uniform(0, 100, (n, 1)), rng.uniform(0.1, 1, n), rng.uniform(0.05, 1, (n, 1))
    model = ExpectedUtility(max_rounds=10, stopping="rounds")
    first, mirrored = model.forecast(_data(x, c, s)), model.forecast(_data(100 - x, c, s))
    np.testing.assert_allclose(first.trajectory, 100 - mirrored.trajectory, atol=1e-6)


def test_positions_stay_within_the_starting_range() -> None:
    data = _data(np.random.default_rng(3).uniform(20, 70, (12, 40)))
    for model in (ExpectedUtility(max_rounds=20),
                  ExpectedUtility.scholz_replication(max_rounds=20)):
        trajectory = model.forecast(data).trajectory
        assert trajectory.min() >= data.position.min() - 1e-9
        assert trajectory.max() <= data.position.max() + 1e-9


# -- saliences, absent actors, options -------------------------------------------------------
def test_percent_saliences_give_the_same_run(ec: Scenario) -> None:
    percent = import_bdm_csv(research_file("ec_emissions_bdm1994__dmasad.csv"))
    first = ExpectedUtility.scholz_replication(max_rounds=10).run(ec)
    again = ExpectedUtility.scholz_replication(max_rounds=10).run(percent)
    np.testing.assert_allclose(first.trajectory, again.trajectory, atol=1e-9)


def test_saliences_above_one_are_divided_by_the_largest() -> None:
    x = np.array([[10.0], [50.0], [90.0]])
    given_ = _data(x, salience=np.array([[0.2], [0.5], [1.0]]))
    scaled = _data(x, salience=np.array([[2.0], [5.0], [10.0]]))
    model = ExpectedUtility(max_rounds=5, stopping="rounds")
    np.testing.assert_allclose(model.forecast(given_).trajectory,
                               model.forecast(scaled).trajectory)
    assert any("divided by the largest (10)" in n for n in model.forecast(scaled).notes)


def test_actors_without_salience_take_no_part() -> None:
    x, c, s = _random_issue(11, 5)
    base = ExpectedUtility(max_rounds=10, stopping="rounds").forecast(_data(x[:, None], c,
                                                                            s[:, None]))
    data = _data(np.append(x, 0.0)[:, None], np.append(c, 5.0), np.append(s, 0.0)[:, None])
    run = ExpectedUtility(max_rounds=10, stopping="rounds").simulate(data)
    np.testing.assert_allclose(run.forecast.trajectory[:, :5], base.trajectory, atol=1e-12)
    assert np.all(run.forecast.trajectory[:, 5] == 0.0) and not run.kind[:, 5].any()
    assert any("salience 0 left out" in n for n in run.forecast.notes)


@pytest.mark.parametrize("options", [dict(win_probability="vote"), dict(offer_resolution="best"),
                                     dict(q=1.5), dict(t=-0.1), dict(max_rounds=0),
                                     dict(tolerance=0.0), dict(stopping="never"),
                                     dict(decision_rule="mode"), dict(risk_exponent_of="both"),
                                     dict(max_rounds=2.5), dict(max_rounds="10"), dict(q="1")])
def test_bad_options_are_model_errors(options: dict[str, object]) -> None:
    with pytest.raises(ModelError, match="expected_utility"):
        ExpectedUtility(**options)  # type: ignore[arg-type]


def test_options_parse_from_the_command_line() -> None:
    options = parse_options(ExpectedUtility, ["win_probability=scholz", "max_rounds=12",
                                              "tolerance=0.5", "offer_resolution=scholz_code"])
    model = ExpectedUtility(**options)
    assert (model.win_probability, model.max_rounds, model.tolerance) == ("scholz", 12, 0.5)


def test_preset_follows_scholz_code_and_accepts_overrides() -> None:
    preset = ExpectedUtility.scholz_replication(tolerance=0.5)
    assert (preset.win_probability, preset.risk_exponent_of, preset.offer_resolution,
            preset.decision_rule, preset.q, preset.t, preset.tolerance) == (
        "scholz", "receiver", "scholz_code", "median", 1.0, 1.0, 0.5)
    default = ExpectedUtility()
    assert (default.win_probability, default.risk_exponent_of, default.offer_resolution,
            default.stopping) == ("paper", "receiver", "nearest", "settled")


# -- the ForecastModel contract ---------------------------------------------------------------
def test_deterministic_and_picklable() -> None:
    scenario = random_scenario(6, 4, 3, rng=5)
    model = ExpectedUtility()
    first = model.run(scenario, rng=1)
    assert first.same_as(model.run(scenario, rng=1))
    assert first.same_as(model.run(scenario, rng=999))  # the model draws nothing
    copy = pickle.loads(pickle.dumps(model))
    assert copy == model and pickle.loads(pickle.dumps(first)).same_as(first)
    assert first.provenance.method.endswith("expected_utility")
    assert first.outcomes.shape == (first.rounds + 1, 4)
    assert np.all((first.outcome >= 0) & (first.outcome <= 100))


def test_no_weight_is_a_model_error() -> None:
    data = _data(np.array([[10.0], [20.0]]), salience=np.zeros((2, 1)))
    with pytest.raises(ModelError, match="no actor has a positive salience"):
        ExpectedUtility().forecast(data)
