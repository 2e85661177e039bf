"""What the store hands back: frozen records of versions, saves and runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zopa.scenario import Scenario

__all__ = ["Checkout", "Rerun", "RunRecord", "SaveResult", "Version"]


@dataclass(frozen=True, slots=True)
class Version:
    """One immutable version of a named scenario.

    Attributes
    ----------
    id
        The content hash of the scenario (SHA-256 of its canonical JSON).
    name
        The scenario's ``id``: versions of one name form one line of history.
    number
        Position in that history, 1-based (``@1`` is the first version).
    parent, parent_number
        Content hash and number of the version this one was saved on, ``None``
        for the first version.
    author, message, created_at
        Who saved it, why, and when (UTC).
    sources
        The sources (URLs or citations) given for the change.
    key
        The database row id (internal).
    """

    id: str
    name: str
    number: int
    parent: str | None
    parent_number: int | None
    author: str
    message: str
    created_at: dt.datetime
    sources: tuple[str, ...]
    key: int

    @property
    def short(self) -> str:
        """The first 12 hex digits of the id."""
        return self.id[:12]

    @property
    def label(self) -> str:
        """``@N``: the version's position in its history."""
        return f"@{self.number}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"name": self.name, "number": self.number, "id": self.id,
                "parent": self.parent, "parent_number": self.parent_number,
                "author": self.author, "created_at": self.created_at.isoformat(),
                "message": self.message, "sources": list(self.sources)}


@dataclass(frozen=True, slots=True)
class SaveResult:
    """The outcome of saving a scenario.

    Attributes
    ----------
    version
        The new version, or the existing one when nothing changed.
    created
        False when the content equals the parent's: nothing was written.
    """

    version: Version
    created: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"created": self.created, "version": self.version.as_dict()}


@dataclass(frozen=True, slots=True)
class Checkout:
    """A version and its scenario."""

    version: Version
    scenario: Scenario


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A recorded run.

    Attributes
    ----------
    id
        32 hex digits (a UUID).
    kind
        ``analysis``, ``forecast``, ``negotiation`` or ``experiment``.
    method
        Registry name of what ran (see :data:`zopa.store.methods.METHODS`).
    scenario_hash, scenario_name
        Content hash and id of the input scenario.
    version_number
        Its version number under ``scenario_name`` when the run was recorded on a
        saved version, else ``None``.
    parameters, seed
        The method's options and random seed.
    zopa_version, author, created_at
        Who ran it with which zopa, and when (UTC).
    result
        The result as plain data (``None`` in listings).
    result_hash
        SHA-256 of the result's canonical JSON.
    """

    id: str
    kind: str
    method: str
    scenario_hash: str
    scenario_name: str
    version_number: int | None
    parameters: dict[str, Any]
    seed: int | None
    zopa_version: str
    author: str
    created_at: dt.datetime
    result: Any
    result_hash: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        data = {"id": self.id, "kind": self.kind, "method": self.method,
                "scenario_name": self.scenario_name, "scenario_hash": self.scenario_hash,
                "version_number": self.version_number, "parameters": self.parameters,
                "seed": self.seed, "zopa_version": self.zopa_version, "author": self.author,
                "created_at": self.created_at.isoformat(), "result_hash": self.result_hash}
        if self.result is not None:
            data["result"] = self.result
        return data


@dataclass(frozen=True, slots=True)
class Rerun:
    """A stored run executed again from its stored scenario and parameters.

    Attributes
    ----------
    run
        The stored run.
    equal
        True iff the new result equals the stored one exactly.
    differences
        Paths in the result where they differ (at most 20), e.g. ``size: 12 -> 13``.
    result
        The new result as plain data.
    zopa_version
        The zopa that ran it now.
    """

    run: RunRecord
    equal: bool
    differences: tuple[str, ...]
    result: Any
    zopa_version: str
