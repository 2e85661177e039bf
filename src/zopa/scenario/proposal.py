"""Named proposals: packages with one option per issue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zopa.scenario.text import require_text

__all__ = ["Proposal"]


@dataclass(frozen=True, slots=True)
class Proposal:
    """A named package, e.g. a published peace plan.

    Parameters
    ----------
    id, name
        Identifier and human-readable name.
    choices
        ``(issue_id, option_id)`` pairs, exactly one per issue of the scenario.
    date
        When the proposal was made or published.
    description
        What it contains, and how silences were read.
    sources
        Keys of the scenario's sources.
    variant_of
        Id of the proposal this one is a variant of.
    """

    id: str
    name: str
    choices: tuple[tuple[str, str], ...]
    date: dt.date | None = None
    description: str = ""
    sources: tuple[str, ...] = ()
    variant_of: str | None = None

    def option_for(self, issue_id: str) -> str:
        """The option this proposal picks on an issue (``KeyError`` if absent)."""
        for key, option in self.choices:
            if key == issue_id:
                return option
        raise KeyError(issue_id)

    def __post_init__(self) -> None:
        require_text(self.name, "name")
