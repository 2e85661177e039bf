"""What can be recorded as a run and re-run: a registry of methods and their result data.

Each :class:`Method` names a function ``f(scenario, **parameters)`` (plus ``rng=seed``
for stochastic ones) and the kind of run it makes. Results are stored as plain
JSON data made by :func:`result_data`: dataclasses field by field, arrays as lists,
:class:`~zopa.analysis.Frontier` compactly (exact fixed-point utilities, ties and
one package per point as option indices). Later models plug in with
:func:`register_method`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from zopa.analysis import (
    FIXED_POINT_UNIT,
    Frontier,
    Provenance,
    compute_frontier,
    evaluate_plan,
    find_zopa,
    price_of_peace,
    solve,
)
from zopa.errors import StoreError
from zopa.scenario import Scenario

__all__ = ["KINDS", "METHODS", "Kind", "Method", "get_method", "register_method",
           "result_data"]

Kind = Literal["analysis", "forecast", "negotiation", "experiment"]
KINDS: tuple[Kind, ...] = ("analysis", "forecast", "negotiation", "experiment")


@dataclass(frozen=True, slots=True)
class Method:
    """A runnable method.

    Attributes
    ----------
    name
        Registry name, stored with each run.
    kind
        What kind of run it makes.
    function
        Called as ``function(scenario, **parameters)``, with ``rng=seed`` added
        when ``takes_seed``.
    takes_seed
        Whether the method is stochastic.
    description
        One line for listings.
    """

    name: str
    kind: Kind
    function: Callable[..., Any]
    takes_seed: bool = False
    description: str = ""

    def execute(self, scenario: Scenario, parameters: Mapping[str, Any],
                seed: int | None = None) -> Any:
        """Run the method; a parameter it does not take is a :class:`StoreError`."""
        arguments = dict(parameters)
        if self.takes_seed:
            arguments["rng"] = seed
        try:
            inspect.signature(self.function).bind(scenario, **arguments)
        except TypeError as error:
            raise StoreError(f"method {self.name!r}: {error}") from None
        return self.function(scenario, **arguments)


def _forecast(scenario: Scenario, *, model: str, options: Mapping[str, Any] | None = None,
              rng: int | None = None) -> Any:
    """Run a forecasting model of :data:`zopa.models.REGISTRY` by name."""
    from zopa.models import get_model

    return get_model(model, **dict(options or {})).run(scenario, rng=rng)


def _timeline(scenario: Scenario, *, days: int = 365, step: int = 30) -> Any:
    from zopa.analysis.timeline import timeline

    return timeline(scenario, days=days, step=step)


def _ratify(scenario: Scenario, *, plan: str, rng: int | None = 0) -> Any:
    from zopa.analysis.ratify import ratify

    return ratify(scenario, plan, rng=0 if rng is None else rng)


def _payers(scenario: Scenario, *, plan: str) -> Any:
    from zopa.analysis.payers import who_pays

    return who_pays(scenario, plan)


def _experiment(scenario: Scenario, *, model: str, runs: int,
                options: Mapping[str, Any] | None = None, rng: int | None = 0) -> Any:
    """A Monte Carlo experiment, re-run serially (every executor gives the same result)."""
    from zopa.models import get_model
    from zopa.simulation import run_experiment

    return run_experiment(scenario, get_model(model, **dict(options or {})), runs=runs,
                          seed=0 if rng is None else rng)


def _sensitivity(scenario: Scenario, *, target: str, draws: int = 256,
                 rng: int | None = 0) -> Any:
    from zopa.simulation.sensitivity import sensitivity

    return sensitivity(scenario, target, draws=draws, rng=0 if rng is None else rng)


METHODS: dict[str, Method] = {}


def register_method(method: Method) -> None:
    """Add a method to :data:`METHODS` (replacing one of the same name)."""
    if method.kind not in KINDS:
        raise StoreError(f"unknown kind {method.kind!r}; expected one of {list(KINDS)}")
    METHODS[method.name] = method


for _method in (
    Method("find_zopa", "analysis", find_zopa, description="the ZOPA, reach and closest package"),
    Method("compute_frontier", "analysis", compute_frontier,
           description="the exact Pareto frontier (within_reservations=bool)"),
    Method("solve", "analysis", solve,
           description="Nash, Kalai-Smorodinsky, utilitarian, egalitarian (disagreement=...)"),
    Method("evaluate_plan", "analysis", evaluate_plan,
           description="verdicts, blockers and minimal unblocking change (plan=ID)"),
    Method("price_of_peace", "analysis", price_of_peace,
           description="concessions per party and issue (plan=ID)"),
    Method("forecast", "forecast", _forecast, takes_seed=True,
           description="a forecasting model by name (model=NAME, options={...})"),
    Method("timeline", "analysis", _timeline,
           description="the ZOPA over time and the ripeness window (days=, step=)"),
    Method("ratify", "analysis", _ratify, takes_seed=True,
           description="each ratifier's verdict and P(approve) (plan=ID)"),
    Method("who_pays", "analysis", _payers, description="payers' shares of the bills (plan=ID)"),
    Method("experiment", "experiment", _experiment, takes_seed=True,
           description="Monte Carlo over the uncertain inputs (model=NAME, runs=N)"),
    Method("sensitivity", "analysis", _sensitivity, takes_seed=True,
           description="tornado and first-order indices (target=..., draws=N)"),
):
    register_method(_method)


def get_method(name: str) -> Method:
    """The registered method ``name``, or a :class:`StoreError` listing them."""
    if name not in METHODS:
        raise StoreError(f"unknown method {name!r}; expected one of {sorted(METHODS)}")
    return METHODS[name]


def _frontier_data(frontier: Frontier) -> dict[str, Any]:
    space = frontier.space
    local = np.asarray(frontier.points.representatives, dtype=np.int64).reshape(
        len(frontier), len(frontier.admissible))
    packages = np.column_stack([np.asarray(index, dtype=np.int64)[local[:, i]]
                                for i, index in enumerate(frontier.admissible)])
    return {
        "size": len(frontier),
        "within_reservations": frontier.within_reservations,
        "parties": list(space.parties),
        "options": {issue: list(options)
                    for issue, options in zip(space.issues, space.options, strict=True)},
        "fixed_point_unit": FIXED_POINT_UNIT,
        "utilities": frontier.fixed_utilities.tolist(),
        "ties": frontier.ties.tolist(),
        "packages": packages.tolist(),
        "provenance": frontier.provenance.as_dict(),
    }


def result_data(result: Any) -> Any:
    """A result as plain JSON data (dicts, lists, numbers, strings, booleans, None).

    Raises
    ------
    StoreError
        For a value with no plain form.
    """
    if result is None or isinstance(result, bool | int | float | str):
        return result
    if isinstance(result, np.generic):
        return result.item()
    if isinstance(result, np.ndarray):
        return result.tolist()
    if isinstance(result, Provenance):
        return result.as_dict()
    if isinstance(result, Frontier):
        return _frontier_data(result)
    if isinstance(result, dt.date):
        return result.isoformat()
    if hasattr(result, "as_dict") and callable(result.as_dict):
        return result_data(result.as_dict())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return {f.name: result_data(getattr(result, f.name))
                for f in dataclasses.fields(result) if not f.name.startswith("_")}
    if isinstance(result, Mapping):
        return {str(key): result_data(value) for key, value in result.items()}
    if isinstance(result, list | tuple):
        return [result_data(value) for value in result]
    if isinstance(result, set | frozenset):
        return sorted(result_data(value) for value in result)
    raise StoreError(f"cannot store a result of type {type(result).__name__}")
