"""The weighted median model: the position a capability x salience majority cannot move.

For each issue, sort the actors by position and accumulate their weights
``c_i s_i``; the forecast is the first position at which the accumulated weight
reaches half of the total. When the weight below a position is exactly half, the
forecast is the midpoint between that position and the next (so that reflecting
the scale reflects the forecast). In one dimension with single-peaked preferences
the weighted median beats every other position in pairwise weighted votes (Black 1948).

References
----------
Black, D. (1948). On the rationale of group decision-making. *Journal of Political
Economy* 56(1), 23–34.
Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson et al.
(eds.), *The European Union Decides*, 264–298. Cambridge University Press.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from zopa._rng import RNGLike, SeedLike
from zopa.models._common import model_provenance
from zopa.models.base import Forecast, SpatialData
from zopa.scenario import Scenario

__all__ = ["Median", "weighted_median"]

_RELATIVE_TIE = 1e-12


def weighted_median(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Column-wise weighted median of ``(n, m)`` positions with ``(n, m)`` weights >= 0.

    Examples
    --------
    >>> weighted_median(np.array([[0.0], [10.0], [20.0]]), np.array([[1.0], [1.0], [3.0]]))
    array([20.])
    >>> weighted_median(np.array([[0.0], [10.0]]), np.array([[1.0], [1.0]]))
    array([5.])
    """
    order = np.argsort(position, axis=0, kind="stable")
    x = np.take_along_axis(position, order, axis=0)
    w = np.take_along_axis(weight, order, axis=0)
    cumulative = np.cumsum(w, axis=0)
    half = cumulative[-1] / 2
    reached = cumulative >= half * (1 - _RELATIVE_TIE)
    first = np.argmax(reached, axis=0)
    columns = np.arange(position.shape[1])
    at = x[first, columns]
    exactly_half = np.abs(cumulative[first, columns] - half) <= half * _RELATIVE_TIE
    following = np.minimum(first + 1, position.shape[0] - 1)
    # The next position with positive weight, not merely the next row.
    later = np.where(np.arange(position.shape[0])[:, None] > first, w > 0, False)
    has_later = later.any(axis=0)
    nxt = x[np.where(has_later, np.argmax(later, axis=0), following), columns]
    return np.where(exactly_half & has_later, (at + nxt) / 2, at)


@dataclass(frozen=True, slots=True)
class Median:
    """Capability x salience weighted median, issue by issue.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> forecast = Median().run(random_scenario(3, 2, 3, rng=0))
    >>> forecast.outcome.shape
    (2,)
    """

    name: ClassVar[str] = "median"
    issue_separable: ClassVar[bool] = True

    def run(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast every issue of ``scenario`` (deterministic; ``rng`` is unused)."""
        return self.forecast(SpatialData.from_scenario(scenario), rng=rng)

    def forecast(self, data: SpatialData, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast from spatial arrays."""
        data.require_weight(self.name)
        outcome = weighted_median(data.position, data.weights())
        return Forecast(self.name, data.actors, data.issues, outcome,
                        provenance=model_provenance(self, data.scenario_hash, rng))
