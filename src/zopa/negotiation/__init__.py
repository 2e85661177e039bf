"""Agent-based negotiation over a scenario's packages: strategies, protocols, channels, days.

``NegotiationModel().negotiate(scenario, rng=seed)`` simulates the talks and returns
the event log and the outcome; ``NegotiationModel().run(scenario, rng=seed)`` gives a
:class:`~zopa.models.base.Forecast` like every forecasting model. See
``docs/explanation/negotiation.md``.
"""

from zopa.negotiation.channels import Channels, Event, EventLog
from zopa.negotiation.offers import OfferSpace, offer_space
from zopa.negotiation.simulate import PROTOCOLS, NegotiationModel, NegotiationResult
from zopa.negotiation.strategies import (
    STRATEGIES,
    Boulware,
    Conceder,
    History,
    Linear,
    ReservationAware,
    Strategy,
    TimeDependent,
    TitForTat,
    strategy_named,
)

__all__ = [
    "PROTOCOLS",
    "STRATEGIES",
    "Boulware",
    "Channels",
    "Conceder",
    "Event",
    "EventLog",
    "History",
    "Linear",
    "NegotiationModel",
    "NegotiationResult",
    "OfferSpace",
    "ReservationAware",
    "Strategy",
    "TimeDependent",
    "TitForTat",
    "offer_space",
    "strategy_named",
]
