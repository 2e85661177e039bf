"""Reading versions inside a transaction: the latest, by condition, or by a short reference.

A *reference* names one version of a scenario name:

``latest`` (or ``head``)
    The latest version.
``@N``
    The N-th version, 1-based; ``@-1`` is the latest, ``@-2`` the one before.
a hex prefix
    At least 6 hex digits of a version id (its content hash), unique among the
    name's versions. Content that was saved more than once (a change reverted)
    resolves to its latest version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from zopa.errors import StoreError
from zopa.store.records import Version
from zopa.store.tables import HeadRow, VersionRow, VersionSourceRow

__all__ = ["MIN_PREFIX", "head_of", "resolve_reference", "utc", "versions_where"]

MIN_PREFIX = 6
_versions = VersionRow.__table__
_parents = _versions.alias("parent")
_sources = VersionSourceRow.__table__
_heads = HeadRow.__table__
_VERSION_QUERY = select(
    _versions.c.id, _versions.c.name, _versions.c.number, _versions.c.snapshot_hash,
    _versions.c.author, _versions.c.message, _versions.c.created_at,
    _parents.c.snapshot_hash.label("parent_hash"), _parents.c.number.label("parent_number"),
).select_from(_versions.outerjoin(_parents, _versions.c.parent_id == _parents.c.id))
_POSITION = re.compile(r"^@(-?\d+)$")
_PREFIX = re.compile(r"^[0-9a-f]+$")


def utc(moment: dt.datetime) -> dt.datetime:
    """A timestamp read back from the database, as an aware UTC datetime."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _versions_from(connection: Connection, rows: Sequence[Row[Any]]) -> list[Version]:
    keys = [row.id for row in rows]
    sources: dict[int, list[str]] = {key: [] for key in keys}
    if keys:
        found = connection.execute(
            select(_sources.c.version_id, _sources.c.source)
            .where(_sources.c.version_id.in_(keys)).order_by(_sources.c.position))
        for key, source in found:
            sources[key].append(source)
    return [Version(row.snapshot_hash, row.name, row.number, row.parent_hash,
                    row.parent_number, row.author, row.message, utc(row.created_at),
                    tuple(sources[row.id]), row.id)
            for row in rows]


def versions_where(connection: Connection, *conditions: Any) -> list[Version]:
    """Versions matching SQL ``conditions`` on ``scenario_versions``, oldest first."""
    query = _VERSION_QUERY.where(*conditions).order_by(_versions.c.name, _versions.c.number)
    return _versions_from(connection, connection.execute(query).all())


def head_of(connection: Connection, name: str, *, lock: bool = False) -> Version | None:
    """The latest version of ``name`` (its ``scenario_heads`` row locked with ``lock``)."""
    query = select(_heads.c.version_id).where(_heads.c.name == name)
    key = connection.execute(query.with_for_update() if lock else query).scalar()
    if key is None:
        return None
    return versions_where(connection, _versions.c.id == key)[0]


def _by_position(connection: Connection, name: str, head: Version, text: str) -> Version:
    number = int(text)
    if number < 0:
        number = head.number + 1 + number
    if not 1 <= number <= head.number:
        raise StoreError(f"{name!r} has versions @1 to @{head.number}; there is no @{text}")
    return versions_where(connection, _versions.c.name == name, _versions.c.number == number)[0]


def _by_prefix(connection: Connection, name: str, prefix: str) -> Version:
    found = versions_where(connection, _versions.c.name == name,
                           _versions.c.snapshot_hash.startswith(prefix, autoescape=True))
    hashes = {v.id for v in found}
    if not hashes:
        raise StoreError(f"no version of {name!r} has an id starting with {prefix!r}; "
                         f"see `zopa scenario history {name}`")
    if len(hashes) > 1:
        matches = ", ".join(f"{v.label} {v.short}" for v in found)
        raise StoreError(f"{prefix!r} is ambiguous among the versions of {name!r} ({matches}); "
                         "give more hex digits")
    return found[-1]


def resolve_reference(connection: Connection, name: str, reference: str) -> Version:
    """The version of ``name`` that ``reference`` names (see the module docstring).

    Raises
    ------
    StoreError
        If the reference is malformed, unknown or ambiguous, or ``name`` has no versions.
    """
    text = reference.strip().lower()
    head = head_of(connection, name)
    if head is None:
        raise StoreError(f"no saved versions of {name!r}")
    if text in ("latest", "head"):
        return head
    position = _POSITION.match(text)
    if position:
        return _by_position(connection, name, head, position.group(1))
    if _PREFIX.match(text) and MIN_PREFIX <= len(text) <= 64:
        return _by_prefix(connection, name, text)
    raise StoreError(f"not a version reference: {reference!r}; expected latest, @N (1-based; "
                     f"@-1 is the latest) or at least {MIN_PREFIX} hex digits of a version id")
