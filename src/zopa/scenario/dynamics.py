"""Clocks: quantities that move every day, and reservations that drift with them.

A clock is a named quantity with a start value and an uncertain rate per day (for
example the area taken at 12–17 km² a day, or cumulative costs). A drift ties a
party's reservation value to a clock: every unit the clock moves changes the
reservation by ``per_unit``. ``Scenario.at(day)`` applies all drifts for a number of
days after the scenario's date.
"""

from __future__ import annotations

from dataclasses import dataclass

from zopa.errors import ScenarioError
from zopa.scenario.text import require_text
from zopa.scenario.uncertain import Uncertain

__all__ = ["Clock", "Drift"]


@dataclass(frozen=True, slots=True)
class Clock:
    """A quantity that changes at an (uncertain) rate per day.

    Parameters
    ----------
    id, name
        Identifier and human-readable name.
    unit
        Unit of the quantity, e.g. ``"km2"`` or ``"USD bn"``.
    rate
        Change per day.
    start
        Value on the scenario's date (day 0).
    description
        Free text.
    """

    id: str
    name: str
    unit: str
    rate: Uncertain
    start: Uncertain = Uncertain.point(0.0)
    description: str = ""

    def value(self, day: float, *, rate: float | None = None) -> float:
        """The clock's value ``day`` days after day 0 (at the mode, or at ``rate``)."""
        per_day = self.rate.value if rate is None else rate
        return self.start.value + per_day * day

    def __post_init__(self) -> None:
        require_text(self.name, "name")
        require_text(self.unit, "unit")


@dataclass(frozen=True, slots=True)
class Drift:
    """A party's reservation moves by ``per_unit`` for every unit a clock moves.

    Parameters
    ----------
    party, clock
        Ids of the party and the clock.
    per_unit
        Change of the reservation (0–1 scale) per unit of the clock; positive when
        time strengthens the party's alternative to a deal.
    note
        The reasoning.
    """

    party: str
    clock: str
    per_unit: Uncertain
    note: str = ""

    def __post_init__(self) -> None:
        if abs(self.per_unit.low) > 1 or abs(self.per_unit.high) > 1:
            raise ScenarioError("expected a drift per unit between -1 and 1",
                                path=("per_unit",))
