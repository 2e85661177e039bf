"""Parties to a negotiation."""

from __future__ import annotations

from dataclasses import dataclass

from zopa.errors import ScenarioError
from zopa.scenario.text import require_text
from zopa.scenario.uncertain import Uncertain

__all__ = ["Party"]


@dataclass(frozen=True, slots=True)
class Party:
    """A party that must agree to a deal.

    Parameters
    ----------
    id
        Identifier used everywhere else in the scenario.
    name
        Human-readable name.
    capability
        Relative power to shape the outcome (only ratios between parties matter);
        used by the spatial forecasting models.
    reservation
        Walk-away utility on the party's own 0–1 utility scale: a package worth
        less than this is worse for the party than no deal.
    description
        Free text.
    response_delay_days
        How many days the party takes to answer a proposal (e.g. a capital that
        "will study it and formulate its position"); used by negotiation simulations.
    """

    id: str
    name: str
    capability: Uncertain
    reservation: Uncertain
    description: str = ""
    response_delay_days: Uncertain = Uncertain.point(1.0)

    def __post_init__(self) -> None:
        require_text(self.name, "name")
        if self.capability.low <= 0:
            raise ScenarioError(
                f"expected a positive capability, got {self.capability.low}",
                path=("capability",),
            )
        if not (0.0 <= self.reservation.low and self.reservation.high <= 1.0):
            raise ScenarioError(
                "expected a reservation between 0 and 1 (the party's utility scale), "
                f"got {self.reservation.low}..{self.reservation.high}",
                path=("reservation",),
            )
        if self.response_delay_days.low < 0:
            raise ScenarioError("expected a response delay >= 0 days",
                                path=("response_delay_days",))
