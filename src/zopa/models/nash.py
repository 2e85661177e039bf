"""The spatial Nash bargaining solution with a disagreement point.

On each issue, actor i has quadratic utility ``u_i(x) = -(x - x_i)^2`` and weight
``w_i = c_i s_i``. With a disagreement point ``d``, the (asymmetric) Nash bargaining
solution maximises the weighted product of gains

    O = argmax_x  prod_i (u_i(x) - u_i(d))^(w_i)   subject to  u_i(x) >= u_i(d)

(Nash 1950; the weighted form of Kalai 1977 and Roth 1979). The logarithm of the
objective is concave where all gains are positive, so the optimum is the unique
root of its derivative and is found by bisection, for all issues at once.

The disagreement point is the issue's status quo when the scenario names one
(``status_quo``; option ``disagreement="status_quo"``, the default). Where none is
given, or with ``disagreement="worst_case"``, it is the *worst case* for everyone:
each actor's gain is measured from the end of the scale farthest from its ideal,
``g_i(x) = max(x_i, 100 - x_i)^2 - (x - x_i)^2``. When the status quo lies between
the actors' ideals, no move on that issue alone helps everybody, and the forecast
is the status quo itself: issue by issue there is nothing to bargain over, and
only trades across issues (packages, exchanges) can move it.

The compromise model (the weighted mean) is often used as a simple stand-in for
this solution (Achen 2006); the two coincide when gains are measured from a
far-away disagreement point.

References
----------
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2), 155–162.
Roth, A. E. (1979). *Axiomatic Models of Bargaining*. Springer.
Achen, C. H. (2006). Institutional realism and bargaining models. In R. Thomson et al.
(eds.), *The European Union Decides*, 86–123. Cambridge University Press.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from zopa._rng import RNGLike, SeedLike
from zopa.models._common import model_provenance
from zopa.models.base import Forecast, SpatialData
from zopa.scenario import Scenario

__all__ = ["NashBargaining", "nash_bargaining"]

_ITERATIONS = 80


def _gain_radius(position: np.ndarray, disagreement: np.ndarray) -> np.ndarray:
    """Squared distance from each ideal to the disagreement point (worst case where NaN)."""
    worst = np.maximum(position, 100.0 - position) ** 2
    given = (disagreement[None, :] - position) ** 2
    return np.where(np.isnan(disagreement)[None, :], worst, given)


def nash_bargaining(position: np.ndarray, weight: np.ndarray,
                    disagreement: np.ndarray) -> np.ndarray:
    """Issue-wise weighted Nash bargaining solution under quadratic utilities.

    Parameters
    ----------
    position, weight
        ``(n, m)`` ideal positions and weights (capability x salience).
    disagreement
        ``(m,)`` disagreement positions; NaN means "worst case for everyone".

    Examples
    --------
    >>> x = np.array([[0.0], [100.0]])
    >>> float(nash_bargaining(x, np.ones((2, 1)), np.array([np.nan]))[0])
    50.0
    """
    radius = _gain_radius(position, disagreement)
    active = weight > 0
    reach = np.sqrt(radius)
    inf = np.inf
    low = np.max(np.where(active, position - reach, -inf), axis=0)
    high = np.min(np.where(active, position + reach, inf), axis=0)
    low, high = np.maximum(low, 0.0), np.minimum(high, 100.0)
    feasible = high > low
    lo, hi = low.copy(), high.copy()
    for _ in range(_ITERATIONS):
        mid = (lo + hi) / 2
        gain = radius - (mid[None, :] - position) ** 2
        slope = np.where(active, weight * 2 * (position - mid[None, :])
                         / np.maximum(gain, 1e-300), 0.0).sum(axis=0)
        lo = np.where(slope > 0, mid, lo)
        hi = np.where(slope > 0, hi, mid)
    solution = (lo + hi) / 2
    fallback = np.where(np.isnan(disagreement), (low + high) / 2, disagreement)
    return np.where(feasible, solution, fallback)


@dataclass(frozen=True, slots=True)
class NashBargaining:
    """Weighted Nash bargaining solution per issue, from the status quo (or the worst case).

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> forecast = NashBargaining().run(random_scenario(3, 2, 3, rng=0))
    >>> bool(((forecast.outcome >= 0) & (forecast.outcome <= 100)).all())
    True
    """

    name: ClassVar[str] = "nash"
    issue_separable: ClassVar[bool] = True
    disagreement: Literal["status_quo", "worst_case"] = "status_quo"

    def run(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast every issue of ``scenario`` (deterministic; ``rng`` is unused)."""
        return self.forecast(SpatialData.from_scenario(scenario), rng=rng)

    def forecast(self, data: SpatialData, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast from spatial arrays."""
        data.require_weight(self.name)
        point = data.status_quo if self.disagreement == "status_quo" else \
            np.full(data.n_issues, np.nan)
        outcome = nash_bargaining(data.position, data.weights(), point)
        return Forecast(self.name, data.actors, data.issues, outcome,
                        provenance=model_provenance(self, data.scenario_hash, rng))
