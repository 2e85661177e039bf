"""Provenance of a number: which document says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zopa.scenario.text import require_text

__all__ = ["Source"]


@dataclass(frozen=True, slots=True)
class Source:
    """A document that backs one or more numbers of a scenario.

    Parameters
    ----------
    key
        Short identifier used to cite the source inside the scenario, e.g. ``"S14"``.
    document
        Title or description of the document (publication, headline).
    date
        Publication date, if known.
    url
        Where the document was found, if anywhere.
    note
        Caveats, e.g. that the copy is a secondary mirror.
    """

    key: str
    document: str
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        require_text(self.document, "document")
