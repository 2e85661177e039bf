"""Issues on a 0–100 scale and the options placed on them."""

from __future__ import annotations

from dataclasses import dataclass

from zopa.errors import ScenarioError
from zopa.scenario.text import require_text
from zopa.scenario.uncertain import Uncertain

__all__ = ["SCALE_MAX", "SCALE_MIN", "Issue", "Option"]

SCALE_MIN = 0.0
SCALE_MAX = 100.0


def _check_on_scale(value: Uncertain, field: str) -> None:
    if value.low < SCALE_MIN or value.high > SCALE_MAX:
        raise ScenarioError(
            f"expected a position between 0 and 100, got {value.low}..{value.high}",
            path=(field,),
        )


@dataclass(frozen=True, slots=True)
class Option:
    """One way an issue can be settled, placed on the issue's 0–100 scale.

    Parameters
    ----------
    id
        Identifier, unique within its issue.
    label
        Short human-readable label.
    position
        Where the option lies on the issue's scale (0–100).
    description
        Free text.
    """

    id: str
    label: str
    position: Uncertain
    description: str = ""

    def __post_init__(self) -> None:
        require_text(self.label, "label")
        _check_on_scale(self.position, "position")


@dataclass(frozen=True, slots=True)
class Issue:
    """A question the deal must settle.

    The same issue serves package-deal analysis (pick one of its options) and
    spatial forecasting models (a position on its 0–100 scale).

    Parameters
    ----------
    id, name
        Identifier and human-readable name.
    options
        The settlements on the table, at least two, ids unique.
    low_label, high_label
        What positions 0 and 100 mean on this issue.
    status_quo
        Id of the option that holds if no deal is made, if any.
    description
        Free text.
    """

    id: str
    name: str
    options: tuple[Option, ...]
    low_label: str = ""
    high_label: str = ""
    status_quo: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        require_text(self.name, "name")
        if len(self.options) < 2:
            raise ScenarioError(
                f"expected at least 2 options, got {len(self.options)}", path=("options",)
            )
        seen: set[str] = set()
        for index, option in enumerate(self.options):
            if option.id in seen:
                raise ScenarioError(
                    f"duplicate option id {option.id!r}; option ids must be unique in an issue",
                    path=("options", index, "id"),
                )
            seen.add(option.id)
        if self.status_quo is not None and self.status_quo not in seen:
            raise ScenarioError(
                f"unknown option {self.status_quo!r}; expected one of {sorted(seen)}",
                path=("status_quo",),
            )

    @property
    def option_ids(self) -> tuple[str, ...]:
        """Option ids in declaration order."""
        return tuple(option.id for option in self.options)

    def option(self, option_id: str) -> Option:
        """The option with this id (``KeyError`` if absent)."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def index_of(self, option_id: str) -> int:
        """Position of an option in :attr:`options` (``KeyError`` if absent)."""
        for index, option in enumerate(self.options):
            if option.id == option_id:
                return index
        raise KeyError(option_id)
