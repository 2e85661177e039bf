"""Forecasting models behind one interface: what will probably happen.

``REGISTRY`` maps each model's name to its class; :func:`get_model` builds one
with options. Every model implements :class:`~zopa.models.base.ForecastModel`.
"""

from __future__ import annotations

from typing import Any

from zopa.errors import ModelError
from zopa.models.base import Forecast, ForecastModel, SpatialData, nearest_options
from zopa.models.compromise import Compromise
from zopa.models.exchange import Exchange
from zopa.models.expected_utility import ExpectedUtility
from zopa.models.median import Median
from zopa.models.nash import NashBargaining
from zopa.models.smp import SpatialModelOfPolitics
from zopa.negotiation.simulate import NegotiationModel

__all__ = ["REGISTRY", "Forecast", "ForecastModel", "SpatialData", "get_model", "nearest_options"]

REGISTRY: dict[str, type] = {
    Compromise.name: Compromise,
    Exchange.name: Exchange,
    ExpectedUtility.name: ExpectedUtility,
    Median.name: Median,
    NashBargaining.name: NashBargaining,
    SpatialModelOfPolitics.name: SpatialModelOfPolitics,
    NegotiationModel.name: NegotiationModel,
}


def get_model(name: str, **options: Any) -> ForecastModel:
    """Build the registered model ``name`` with keyword options.

    Raises
    ------
    ModelError
        If no model has that name, or an option is not one the model takes.
    """
    if name not in REGISTRY:
        raise ModelError(f"unknown model {name!r}; expected one of {sorted(REGISTRY)}")
    try:
        model: ForecastModel = REGISTRY[name](**options)
    except TypeError as error:
        raise ModelError(f"{name}: {error}") from None
    return model
