"""Areas with sources: demanded territory, and reference areas to compare it with.

An area can be *demanded* by a party and *consumed* by a clock (the area taken per
day): the territorial clock then says how many days it would take at the observed
rate. Reference areas (Luxembourg, 2,586 km²) make a number of square kilometres
tangible.
"""

from __future__ import annotations

from dataclasses import dataclass

from zopa.errors import ScenarioError
from zopa.scenario.text import require_text
from zopa.scenario.uncertain import Uncertain

__all__ = ["Area"]


@dataclass(frozen=True, slots=True)
class Area:
    """A piece of territory.

    Parameters
    ----------
    id, name
        Identifier and name.
    km2
        Its size in square kilometres.
    demanded_by
        Id of the party demanding it, if any.
    clock
        Id of the clock that measures the area being taken, if any.
    reference
        True for a reference area used only for comparisons (e.g. Luxembourg).
    description
        Free text.
    """

    id: str
    name: str
    km2: Uncertain
    demanded_by: str | None = None
    clock: str | None = None
    reference: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        require_text(self.name, "name")
        if self.km2.low <= 0:
            raise ScenarioError(f"expected a positive area, got {self.km2.low}", path=("km2",))
