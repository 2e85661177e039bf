"""Where the store lives and how to connect to it: URL resolution, engines, transactions.

The database is chosen, in order, by an explicit URL (``--db URL``), the
``ZOPA_DATABASE_URL`` environment variable, or a SQLite file in the user's data
directory (``platformdirs.user_data_dir("zopa")/zopa.db``). A value without
``://`` is taken as the path of a SQLite file. ``postgresql://`` and
``postgres://`` URLs are served by psycopg 3.

SQLite connections are opened in WAL mode with foreign keys on, a busy timeout
and full synchronisation; write transactions start with ``BEGIN IMMEDIATE`` so
that two writers queue for the lock instead of failing half-way through.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from zopa.errors import StoreError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DATABASE_URL_VARIABLE",
    "default_database_path",
    "display_url",
    "make_engine",
    "read_transaction",
    "resolve_url",
    "write_transaction",
]

DATABASE_URL_VARIABLE = "ZOPA_DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000
_WRITE = "zopa_write"


def default_database_path() -> Path:
    """The default SQLite file: ``zopa.db`` in the user's data directory (platformdirs)."""
    return Path(platformdirs.user_data_dir("zopa", appauthor=False)) / "zopa.db"


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else ``$ZOPA_DATABASE_URL``, else the default file.

    Examples
    --------
    >>> resolve_url("sqlite:////tmp/team.db")
    'sqlite:////tmp/team.db'
    >>> resolve_url("postgresql://ana@db.example/zopa")
    'postgresql+psycopg://ana@db.example/zopa'
    >>> resolve_url("/tmp/my.db")
    'sqlite:////tmp/my.db'
    """
    chosen = url or os.environ.get(DATABASE_URL_VARIABLE) or ""
    if not chosen:
        return f"sqlite:///{default_database_path()}"
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if chosen.startswith(prefix):
            return "postgresql+psycopg://" + chosen[len(prefix):]
    return chosen


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}; expected sqlite:///PATH or "
                         "postgresql://USER:PASSWORD@HOST/DB") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {parsed.get_backend_name()!r} in "
                         f"{display_url(url)}; zopa stores data in SQLite or PostgreSQL")
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred and late).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    writing = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def make_engine(url: str | None = None) -> Engine:
    """A SQLAlchemy engine for the resolved URL, with the SQLite settings described above.

    Raises
    ------
    StoreError
        If the URL is malformed or names a database zopa does not support, or the
        driver for it (psycopg 3 for PostgreSQL) is not installed.
    """
    resolved = _parse(resolve_url(url))
    if resolved.get_backend_name() == "sqlite":
        database = resolved.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(resolved, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(resolved, pool_pre_ping=True)
    except (ModuleNotFoundError, NoSuchModuleError):
        raise StoreError("PostgreSQL needs psycopg 3: pip install 'zopa[postgres]'") from None


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: committed at the end, rolled back on any error.

    On SQLite it takes the write lock at once (``BEGIN IMMEDIATE``), waiting up to
    the busy timeout for another writer to finish.
    """
    with engine.connect() as connection:
        connection.execution_options(**{_WRITE: True})
        with connection.begin():
            yield connection


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that only reads (one consistent snapshot on SQLite in WAL mode)."""
    with engine.connect() as connection, connection.begin():
        yield connection
