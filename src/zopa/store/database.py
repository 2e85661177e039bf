"""An open store: one database, migrated to the current schema, with its repositories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from zopa.scenario import Scenario
from zopa.store.engine import display_url, make_engine
from zopa.store.migrate import ensure_schema
from zopa.store.records import RunRecord
from zopa.store.repository import ScenarioRepository
from zopa.store.runs import RunRepository

__all__ = ["Store", "open_store", "record_run"]


@dataclass(frozen=True, slots=True, eq=False)
class Store:
    """An open store. Use as a context manager, or call :meth:`close`.

    Attributes
    ----------
    url
        The database URL, password hidden.
    engine
        The SQLAlchemy engine.
    scenarios
        Scenario versions.
    runs
        Recorded runs.
    """

    url: str
    engine: Engine
    scenarios: ScenarioRepository
    runs: RunRepository

    def close(self) -> None:
        """Close every connection to the database."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_store(url: str | None = None) -> Store:
    """Open (creating or upgrading if needed) the store at ``url``.

    Parameters
    ----------
    url
        A database URL or SQLite file path; default ``$ZOPA_DATABASE_URL``, else
        ``zopa.db`` in the user's data directory (see :func:`zopa.store.resolve_url`).

    Raises
    ------
    StoreError
        If the database cannot be reached, or was written by a newer zopa.

    Examples
    --------
    >>> import tempfile
    >>> from zopa.catalog import load_catalog_scenario
    >>> with tempfile.TemporaryDirectory() as folder, open_store(f"{folder}/z.db") as store:
    ...     first = store.scenarios.head("ukraine-2025")
    ...     first.label, first.author
    ('@1', 'zopa')
    """
    engine = make_engine(url)
    try:
        ensure_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(display_url(engine.url.render_as_string(hide_password=False)), engine,
                 ScenarioRepository(engine), RunRepository(engine))


def record_run(method: str, scenario: Scenario, *, parameters: Mapping[str, Any] | None = None,
               result: Any = None, seed: int | None = None, author: str | None = None,
               db: str | Store | None = None) -> RunRecord:
    """Record a run in the store ``db`` (an open :class:`Store`, a URL, or the default).

    See :meth:`zopa.store.runs.RunRepository.record` for the parameters; the
    command line's ``--save`` flags call this with the result they printed.
    """
    if isinstance(db, Store):
        return db.runs.record(method, scenario, parameters=parameters, result=result,
                              seed=seed, author=author)
    with open_store(db) as store:
        return store.runs.record(method, scenario, parameters=parameters, result=result,
                                 seed=seed, author=author)
