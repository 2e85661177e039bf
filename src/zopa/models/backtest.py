"""Backtesting: how close each model's forecasts came to what actually happened.

For each model and each issue with a known outcome, the absolute error between
the forecast and the outcome on the 0–100 scale; summarised per model as the mean
and median absolute error and the share of issues forecast within 10 points. A
model that fails on an issue is reported with the reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from zopa.errors import ZopaError
from zopa.models import get_model
from zopa.scenario import Scenario

__all__ = ["BacktestReport", "IssueResult", "ModelScore", "run_backtest"]

WITHIN = 10.0


class Case(Protocol):
    """What the backtest needs to know about one issue."""

    issue: str
    scenario: Scenario
    outcome: float | None


@dataclass(frozen=True, slots=True)
class IssueResult:
    """One model on one issue: its forecast and error, or why it failed."""

    model: str
    issue: str
    outcome: float
    forecast: float | None
    error: float | None
    failure: str | None


@dataclass(frozen=True, slots=True)
class ModelScore:
    """One model's accuracy over all issues with an outcome."""

    model: str
    issues: int
    mean_absolute_error: float | None
    median_absolute_error: float | None
    share_within_10: float | None
    failures: int


@dataclass(frozen=True, slots=True)
class BacktestReport:
    """Scores per model, results per issue, and the issues skipped for lack of an outcome."""

    scores: tuple[ModelScore, ...]
    results: tuple[IssueResult, ...]
    skipped: tuple[str, ...]


def _one(model: str, case: Case, seed: int) -> IssueResult:
    assert case.outcome is not None
    try:
        forecast = float(get_model(model).run(case.scenario, rng=seed).outcome[0])
    except ZopaError as error:
        return IssueResult(model, case.issue, case.outcome, None, None, str(error))
    except (ValueError, FloatingPointError, ZeroDivisionError) as error:
        return IssueResult(model, case.issue, case.outcome, None, None,
                           f"{type(error).__name__}: {error}")
    return IssueResult(model, case.issue, case.outcome, forecast,
                       abs(forecast - case.outcome), None)


def _score(model: str, results: list[IssueResult]) -> ModelScore:
    errors = np.array([r.error for r in results if r.error is not None])
    failures = sum(r.failure is not None for r in results)
    if errors.size == 0:
        return ModelScore(model, 0, None, None, None, failures)
    return ModelScore(model, int(errors.size), float(errors.mean()), float(np.median(errors)),
                      float((errors <= WITHIN).mean()), failures)


def run_backtest(cases: Sequence[Case], models: Sequence[str], *, seed: int = 0) -> BacktestReport:
    """Forecast every issue with every model and score the forecasts against outcomes.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class C:
    ...     issue: str
    ...     scenario: object
    ...     outcome: float | None
    >>> report = run_backtest([C("a", random_scenario(3, 1, 3, rng=1), 50.0)], ["median"])
    >>> report.scores[0].issues
    1
    """
    for model in models:
        get_model(model)  # fail early on an unknown name
    known = [c for c in cases if c.outcome is not None]
    skipped = tuple(c.issue for c in cases if c.outcome is None)
    results = [_one(model, case, seed) for model in models for case in known]
    scores = tuple(_score(m, [r for r in results if r.model == m]) for m in models)
    return BacktestReport(scores, tuple(results), skipped)
