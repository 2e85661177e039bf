"""Scenario versions: immutable, content-addressed, one line of history per scenario name.

A version's id is :func:`~zopa.scenario.content_hash` of its scenario (the SHA-256
of its canonical JSON); its payload is the scenario's JSON in the file format, in
the scenario's own order, so loading it back gives an equal scenario.
Saving names the parent the edit started from. The save happens in one
transaction that re-reads the latest version (locking it on PostgreSQL, holding
the write lock on SQLite): if another writer saved on that parent first, the
save raises :class:`~zopa.store.errors.StoreConflictError` and writes nothing.
The unique constraints on ``(name, number)`` and ``parent_id`` make two children
of one parent impossible even if that check were bypassed.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from zopa.__about__ import __version__
from zopa.catalog import DEFAULT_SCENARIO, catalog_names, load_catalog_scenario
from zopa.errors import ScenarioError, StoreError
from zopa.scenario import Scenario, content_hash, scenario_from_data, scenario_to_data
from zopa.store.engine import read_transaction, write_transaction
from zopa.store.errors import StoreConflictError
from zopa.store.queries import head_of, resolve_reference, versions_where
from zopa.store.records import Checkout, SaveResult, Version
from zopa.store.tables import HeadRow, SnapshotRow, VersionRow, VersionSourceRow

__all__ = ["AUTHOR_VARIABLE", "ScenarioRepository", "canonical_json", "default_author",
           "put_snapshot", "scenario_from_payload", "scenario_payload"]

AUTHOR_VARIABLE = "ZOPA_AUTHOR"
_versions = VersionRow.__table__
_snapshots = SnapshotRow.__table__
_sources = VersionSourceRow.__table__
_heads = HeadRow.__table__


def canonical_json(data: object) -> str:
    """JSON with sorted keys and no whitespace: the form hashed for ids, and stored for runs."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def scenario_payload(scenario: Scenario) -> str:
    """The JSON stored for a scenario: the file format, compact, in the scenario's own order.

    Its key order is kept (unlike :func:`canonical_json`) so that loading it gives a
    scenario equal to the one saved; the version id is still the hash of the
    canonical form (:func:`~zopa.scenario.content_hash`), which ignores key order.
    """
    return json.dumps(scenario_to_data(scenario), separators=(",", ":"), ensure_ascii=False)


def default_author() -> str:
    """``$ZOPA_AUTHOR``, else the operating-system user, else ``"unknown"``."""
    chosen = os.environ.get(AUTHOR_VARIABLE, "").strip()
    if chosen:
        return chosen
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _describe(version: Version | None) -> str:
    if version is None:
        return "no version"
    return (f"{version.label} {version.short} (saved by {version.author} at "
            f"{version.created_at:%Y-%m-%d %H:%M} UTC: {version.message or 'no message'})")


def _conflict(name: str, expected: Version | None, found: Version | None) -> StoreConflictError:
    wanted = ("a first version" if expected is None
              else f"a version on {expected.label} {expected.short}")
    return StoreConflictError(
        f"conflict: cannot save {name!r} as {wanted}: the latest version is now "
        f"{_describe(found)}. Nothing was saved. Reload the latest version "
        f"(zopa scenario checkout {name}), re-apply your change and save again",
        name=name, expected=None if expected is None else expected.id,
        found=None if found is None else found.id)


class ScenarioRepository:
    """Save, list, resolve and load versions of scenarios.

    Parameters
    ----------
    engine
        An engine whose database is at the current schema (see
        :func:`zopa.store.open_store`).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # Catalog names known to have a version: names are never deleted, so once seen
        # they need no further check (it was an extra transaction on every read).
        self._seeded: set[str] = set()

    # -- reading ------------------------------------------------------------------------------
    def names(self) -> tuple[str, ...]:
        """Every scenario name with saved versions, sorted (the default scenario included)."""
        self._seed_catalog(DEFAULT_SCENARIO)
        with read_transaction(self._engine) as connection:
            found = connection.execute(select(_heads.c.name).order_by(_heads.c.name))
            return tuple(found.scalars())

    def head(self, name: str) -> Version | None:
        """The latest version of ``name``, ``None`` if it has none.

        A catalog scenario (``ukraine-2025``) is saved as version ``@1`` on first use.
        """
        self._seed_catalog(name)
        with read_transaction(self._engine) as connection:
            return head_of(connection, name)

    def history(self, name: str) -> tuple[Version, ...]:
        """Every version of ``name``, oldest first.

        Raises
        ------
        StoreError
            If ``name`` has no versions.
        """
        self._seed_catalog(name)
        with read_transaction(self._engine) as connection:
            versions = tuple(versions_where(connection, _versions.c.name == name))
        if not versions:
            raise self._unknown(name)
        return versions

    def get(self, name: str, reference: str = "latest") -> Version:
        """The version of ``name`` that ``reference`` names.

        ``reference`` is ``latest``, ``@N`` (1-based; ``@-1`` is the latest,
        ``@-2`` the one before) or a unique prefix of at least 6 hex digits of
        a version id.
        """
        self._seed_catalog(name)
        with read_transaction(self._engine) as connection:
            if head_of(connection, name) is None:
                raise self._unknown(name)
            return resolve_reference(connection, name, reference)

    def ensure_head(self, name: str, parent: Version) -> None:
        """Refuse early an edit on ``parent`` when another version was saved on it since.

        Lets a caller skip the work of an edit that :meth:`save` would refuse; the check
        inside the save's transaction remains the guarantee.

        Raises
        ------
        StoreConflictError
            If the latest version of ``name`` is not ``parent``.
        """
        head = self.head(name)
        if head is None or head.id != parent.id:
            raise _conflict(name, parent, head)

    def load(self, version: Version) -> Scenario:
        """The scenario a version holds (checked against its content hash)."""
        with read_transaction(self._engine) as connection:
            payload = connection.execute(select(_snapshots.c.payload).where(
                _snapshots.c.hash == version.id)).scalar_one()
        return scenario_from_payload(payload, version.id)

    def checkout(self, name: str, reference: str = "latest") -> Checkout:
        """A version of ``name`` and its scenario (see :meth:`get` for ``reference``)."""
        version = self.get(name, reference)
        return Checkout(version, self.load(version))

    def _unknown(self, name: str) -> StoreError:
        with read_transaction(self._engine) as connection:
            known = list(connection.execute(select(_heads.c.name).order_by(_heads.c.name))
                         .scalars())
        return StoreError(f"no saved versions of {name!r}; scenarios in the store: {known}")

    # -- writing ------------------------------------------------------------------------------
    def save(self, scenario: Scenario, *, parent: Version | str | None,
             author: str | None = None, message: str = "",
             sources: Iterable[str] = ()) -> SaveResult:
        """Save ``scenario`` as the next version of its name (``scenario.id``).

        Parameters
        ----------
        scenario
            The edited scenario.
        parent
            The version the edit started from: a :class:`Version`, a reference
            (hash prefix or ``@N``), or ``None`` for the first version of a name.
        author
            Who made the change (default: :func:`default_author`).
        message
            Why: the news, leak or statement behind the change.
        sources
            URLs or citations of the sources behind the change.

        Returns
        -------
        SaveResult
            The new version; or the parent itself with ``created=False`` when the
            content did not change.

        Raises
        ------
        StoreConflictError
            If the latest version is not ``parent`` (another writer saved first).
        """
        self._seed_catalog(scenario.id)
        return self._store(scenario, parent, author or default_author(), message.strip(),
                           tuple(s.strip() for s in sources if s.strip()))

    def _store(self, scenario: Scenario, parent: Version | str | None, author: str,
               message: str, sources: tuple[str, ...]) -> SaveResult:
        payload, digest = scenario_payload(scenario), content_hash(scenario)
        _check_readable(payload, digest)
        try:
            return self._save(scenario.id, digest, payload, parent, author, message, sources)
        except IntegrityError:
            expected = parent if isinstance(parent, Version) else None
            with read_transaction(self._engine) as connection:
                found = head_of(connection, scenario.id)
            raise _conflict(scenario.id, expected, found) from None

    def _save(self, name: str, digest: str, payload: str, parent: Version | str | None,
              author: str, message: str, sources: tuple[str, ...]) -> SaveResult:
        now = dt.datetime.now(dt.UTC)
        with write_transaction(self._engine) as connection:
            head = head_of(connection, name, lock=True)
            expected = self._expected(connection, name, parent)
            if (head is None) != (expected is None) or (
                    head is not None and expected is not None and head.key != expected.key):
                raise _conflict(name, expected, head)
            if head is not None and head.id == digest:
                return SaveResult(head, created=False)
            put_snapshot(connection, digest, name, payload, now)
            key = connection.execute(insert(_versions).values(
                name=name, number=1 if head is None else head.number + 1,
                snapshot_hash=digest, parent_id=None if head is None else head.key,
                author=author, message=message, created_at=now,
            )).inserted_primary_key[0]
            if sources:
                connection.execute(insert(_sources), [
                    {"version_id": key, "position": k, "source": s}
                    for k, s in enumerate(sources)])
            _move_head(connection, name, head, key, now)
            return SaveResult(versions_where(connection, _versions.c.id == key)[0], created=True)

    @staticmethod
    def _expected(connection: Connection, name: str,
                  parent: Version | str | None) -> Version | None:
        if parent is None:
            return None
        if isinstance(parent, Version):
            if parent.name != name:
                raise StoreError(f"the parent {parent.label} {parent.short} is a version of "
                                 f"{parent.name!r}, not of {name!r}")
            return parent
        return resolve_reference(connection, name, parent)

    def _seed_catalog(self, name: str) -> None:
        if name in self._seeded or name not in catalog_names():
            return
        with read_transaction(self._engine) as connection:
            present = head_of(connection, name) is not None
        if not present:
            try:
                self._store(load_catalog_scenario(name), None, "zopa",
                            f"{name} as shipped in the zopa {__version__} catalog", ())
            except StoreConflictError:
                pass  # another process loaded it first
        self._seeded.add(name)


def put_snapshot(connection: Connection, digest: str, name: str, payload: str,
                  now: dt.datetime) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(_snapshots).values(
        hash=digest, scenario_id=name, payload=payload, created_at=now,
    ).on_conflict_do_nothing(index_elements=["hash"]))


def _move_head(connection: Connection, name: str, head: Version | None, key: int,
               now: dt.datetime) -> None:
    if head is None:
        connection.execute(insert(_heads).values(name=name, version_id=key, updated_at=now))
        return
    moved = connection.execute(update(_heads).where(
        _heads.c.name == name, _heads.c.version_id == head.key,
    ).values(version_id=key, updated_at=now))
    if moved.rowcount != 1:
        raise _conflict(name, head, head_of(connection, name))


def _check_readable(payload: str, digest: str) -> None:
    """Refuse to store a version that could not be read back as the very same scenario.

    Costs one parse (about 35 ms for ukraine-2025) per save; a version that cannot be
    loaded would be a version lost.
    """
    try:
        scenario_from_payload(payload, digest)
    except StoreError as error:
        raise StoreError(f"not saved: the scenario would not read back the same "
                         f"({error})") from None


def scenario_from_payload(payload: str, digest: str) -> Scenario:
    """Rebuild a stored scenario and check that it still has the hash it was stored under."""
    try:
        scenario = scenario_from_data(json.loads(payload))
    except (ValueError, ScenarioError) as error:
        raise StoreError(f"stored scenario {digest[:12]} cannot be read: {error}") from None
    if content_hash(scenario) != digest:
        raise StoreError(f"stored scenario {digest[:12]} does not match its content hash; "
                         "the database was modified outside zopa")
    return scenario
