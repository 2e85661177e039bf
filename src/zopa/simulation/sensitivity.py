"""Sensitivity: which uncertain inputs move a conclusion, and by how much.

A *target* is any scalar conclusion computed from a scenario: a party's utility or
surplus under a plan, a model's forecast on an issue, a ratifier's yes share, the
position of the Nash package's option on an issue. Two measures, both reported:

* **One at a time** (the tornado): each input with a range is set to its low and then
  its high bound, every other input at its mode; the *swing* is the change in the
  target. Cheap and easy to read, blind to interactions.
* **Global, variance-based**: all inputs drawn together (triangular, as in Monte Carlo);
  for each input, the first-order index ``Var(E[Y | X_i]) / Var(Y)`` — the share of the
  target's variance explained by that input alone — estimated from the same draws by
  binning the input into quantile classes (a "given-data" estimator; Plischke 2010).

This module lives with the Monte Carlo code rather than in ``analysis`` because its
targets include forecasts, which come from the models layer above the analyses.

References
----------
Saltelli, A., et al. (2008). *Global Sensitivity Analysis: The Primer*. Wiley.
Plischke, E. (2010). An effective algorithm for computing global sensitivity indices
(EASI). *Reliability Engineering & System Safety* 95(4), 354–360.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from zopa._rng import RNGLike, SeedLike, as_generator
from zopa.analysis import DealSpace, solve
from zopa.analysis.ratify import yes_share
from zopa.analysis.results import Provenance, provenance
from zopa.errors import ScenarioError
from zopa.errors import format_field_path as field_name
from zopa.models import get_model
from zopa.scenario import Scenario
from zopa.simulation.perturb import ScenarioSampler

__all__ = ["Swing", "SensitivityResult", "make_target", "sensitivity"]

Target = Callable[[Scenario], float]
TARGETS = ("utility:PARTY:PLAN", "surplus:PARTY:PLAN", "forecast:MODEL:ISSUE",
           "ratify:RATIFIER:PLAN", "nash:ISSUE")


@dataclass(frozen=True, slots=True)
class Swing:
    """One input's effect on the target."""

    input: str
    low: float
    mode: float
    high: float
    at_low: float
    at_high: float
    swing: float
    first_order: float | None


@dataclass(frozen=True, slots=True)
class SensitivityResult:
    """The tornado, most influential input first, with global first-order indices."""

    target: str
    baseline: float
    swings: tuple[Swing, ...]
    draws: int
    variance: float | None
    provenance: Provenance


def _plan_package(scenario: Scenario, plan: str) -> dict[str, str]:
    if plan not in [p.id for p in scenario.proposals]:
        raise ScenarioError(f"unknown plan {plan!r}; expected one of "
                            f"{[p.id for p in scenario.proposals]}", path=("--target",))
    return dict(scenario.proposal(plan).choices)


def _utility(party: str, plan: str, minus_reservation: bool) -> Target:
    def target(s: Scenario) -> float:
        space = DealSpace.from_scenario(s)
        package = space.package_from_choices(_plan_package(s, plan))
        value = float(space.utilities(np.array([package]))[0, space.parties.index(party)])
        return value - s.party(party).reservation.value if minus_reservation else value
    return target


def _nash_position(issue: str) -> Target:
    def target(s: Scenario) -> float:
        found = solve(s, disagreement="zero").get("nash")
        assert found is not None  # the admissible space is never empty when red lines allow
        return s.issue(issue).option(found.choices[issue]).position.value
    return target


def make_target(spec: str, scenario: Scenario) -> Target:
    """Parse ``kind:...`` (see ``TARGETS``) into a function of a scenario, checking the ids."""
    kind, *args = spec.split(":")
    def need(n: int) -> None:
        if len(args) != n:
            raise ScenarioError(f"target {spec!r}: expected one of {list(TARGETS)}",
                                path=("--target",))
    if kind in ("utility", "surplus"):
        need(2)
        if args[0] not in scenario.party_ids:
            _unknown("party", args[0], scenario.party_ids)
        _plan_package(scenario, args[1])
        return _utility(args[0], args[1], kind == "surplus")
    if kind == "forecast":
        need(2)
        model = get_model(args[0])
        if args[1] not in scenario.issue_ids:
            _unknown("issue", args[1], scenario.issue_ids)
        return lambda s: model.run(s, rng=0).position(args[1])
    if kind == "ratify":
        need(2)
        if args[0] not in [r.id for r in scenario.ratifiers]:
            _unknown("ratifier", args[0], [r.id for r in scenario.ratifiers])
        _plan_package(scenario, args[1])
        return lambda s: yes_share(s, args[0], _plan_package(s, args[1]))
    if kind == "nash":
        need(1)
        if args[0] not in scenario.issue_ids:
            _unknown("issue", args[0], scenario.issue_ids)
        return _nash_position(args[0])
    raise ScenarioError(f"unknown target {spec!r}; expected one of {list(TARGETS)}",
                        path=("--target",))


def _unknown(what: str, value: str, known: Sequence[str]) -> None:
    raise ScenarioError(f"unknown {what} {value!r} in the target; expected one of {list(known)}",
                        path=("--target",))


def _first_order(x: np.ndarray, y: np.ndarray) -> float:
    """Share of Var(y) explained by E[y | x], with x binned into quantile classes.

    The raw binned estimate is biased upwards by about ``(bins - 1) / (n - 1)`` even
    for an input that does not matter; that bias is removed (and the result clipped
    to 0–1), so irrelevant inputs score near zero.
    """
    total = y.var()
    if total == 0:
        return 0.0
    bins = max(2, int(np.sqrt(len(x))))
    edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1])
    labels = np.searchsorted(edges, x, side="right")
    present = np.unique(labels)
    means = np.array([y[labels == b].mean() for b in present])
    weights = np.array([(labels == b).mean() for b in present])
    raw = (weights * (means - y.mean()) ** 2).sum() / total
    bias = (len(present) - 1) / (len(x) - 1)
    return float(np.clip((raw - bias) / (1 - bias), 0.0, 1.0))


def sensitivity(scenario: Scenario, target: str, *, draws: int = 256,
                rng: RNGLike | SeedLike = 0) -> SensitivityResult:
    """One-at-a-time swings and global first-order indices of every ranged input.

    Examples
    --------
    >>> from zopa.formats import load_scenario
    >>> result = sensitivity(load_scenario("tests/data/harbour.yaml"),
    ...                      "surplus:north:board-draft", draws=32)
    >>> result.swings[0].input
    'parties[0].reservation'
    """
    function = make_target(target, scenario)
    sampler = ScenarioSampler.from_scenario(scenario)
    ranged = [k for k, v in enumerate(sampler.values) if not v.is_point]
    baseline = function(scenario)
    indices: dict[int, float] = {}
    variance = None
    if draws > 1 and ranged:
        generator = as_generator(rng)
        drawn = [sampler.draw_values(generator) for _ in range(draws)]
        xs = np.array([[row[p] for p in sampler.paths] for row in drawn])
        ys = np.array([function(sampler.with_values(row)) for row in drawn])
        variance = float(ys.var())
        indices = {k: _first_order(xs[:, k], ys) for k in ranged}
    swings = []
    for k in ranged:
        value = sampler.values[k]
        at_low = function(sampler.with_values({sampler.paths[k]: value.low}))
        at_high = function(sampler.with_values({sampler.paths[k]: value.high}))
        swings.append(Swing(field_name(sampler.paths[k]), value.low, value.mode, value.high,
                            at_low, at_high, abs(at_high - at_low), indices.get(k)))
    swings.sort(key=lambda s: (-s.swing, -(s.first_order or 0.0), s.input))
    made = provenance("zopa.simulation.sensitivity", scenario, target=target, draws=draws)
    return SensitivityResult(target, baseline, tuple(swings), draws, variance, made)
