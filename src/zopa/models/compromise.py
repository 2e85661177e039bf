"""The compromise model: the capability x salience weighted mean of the actors' positions.

For each issue the forecast is ``O = sum_i c_i s_i x_i / sum_i c_i s_i``, the point
that minimises the weighted sum of squared distances to the actors' positions.
It is the simplest of the bargaining models of EU decision-making and is often
read as a computationally simple stand-in for the Nash bargaining solution.

References
----------
Van den Bos, J. M. M. (1991). *Dutch EC Policy Making: A Model-Guided Approach to
Coordination and Negotiation*. Thela Thesis.
Stokman, F., & Van Oosten, R. (1994). The exchange of voting positions: an
object-oriented model of policy networks. In B. Bueno de Mesquita & F. Stokman (eds.),
*European Community Decision Making*, 105–127. Yale University Press.
Achen, C. H. (2006). Institutional realism and bargaining models. In R. Thomson et al.
(eds.), *The European Union Decides*, 86–123. Cambridge University Press.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from zopa._rng import RNGLike, SeedLike
from zopa.models._common import model_provenance
from zopa.models.base import Forecast, SpatialData
from zopa.scenario import Scenario

__all__ = ["Compromise", "weighted_mean"]


def weighted_mean(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Column-wise weighted mean of ``(n, m)`` positions with ``(n, m)`` weights."""
    return (weight * position).sum(axis=0) / weight.sum(axis=0)


@dataclass(frozen=True, slots=True)
class Compromise:
    """Capability x salience weighted mean, issue by issue.

    Examples
    --------
    >>> from zopa.scenario.synthetic import random_scenario
    >>> forecast = Compromise().run(random_scenario(3, 2, 3, rng=0))
    >>> bool(((forecast.outcome >= 0) & (forecast.outcome <= 100)).all())
    True
    """

    name: ClassVar[str] = "compromise"
    issue_separable: ClassVar[bool] = True

    def run(self, scenario: Scenario, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast every issue of ``scenario`` (deterministic; ``rng`` is unused)."""
        return self.forecast(SpatialData.from_scenario(scenario), rng=rng)

    def forecast(self, data: SpatialData, *, rng: RNGLike | SeedLike = None) -> Forecast:
        """Forecast from spatial arrays."""
        data.require_weight(self.name)
        outcome = weighted_mean(data.position, data.weights())
        return Forecast(self.name, data.actors, data.issues, outcome,
                        provenance=model_provenance(self, data.scenario_hash, rng))
