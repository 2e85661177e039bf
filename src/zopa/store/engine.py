"""Where the store lives and how to connect to it: URL resolution, engines, transactions.

The database is chosen, in order, by an explicit URL (``--db URL``), the
``ZOPA_DATABASE_URL`` environment variable, or a SQLite file in the user's data
directory (``platformdirs.user_data_dir("zopa")/zopa.db``). A value without
``://`` is taken as the path of a SQLite file. ``postgresql://`` and
``postgres://`` URLs are served by psycopg 3.

SQLite connections are opened in WAL mode with foreign keys on, a busy timeout
and full synchronisation; write transactions start with ``BEGIN IMMEDIATE`` so
that two writers queue for the lock instead of failing half-way through.

PostgreSQL connections give up after ``CONNECT_TIMEOUT_SECONDS`` and use TCP
keepalives, so that a request fails within seconds while the server is down
instead of hanging; pooled connections are checked before use, so that the first
request after the server comes back works. A database that cannot be reached, or
a connection lost during a transaction, raises
:class:`~zopa.store.errors.StoreUnavailableError`; the transaction is never half
applied, since PostgreSQL and SQLite roll back what was not committed.
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
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)

from zopa.errors import StoreError
from zopa.store.errors import StoreUnavailableError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CONNECT_TIMEOUT_SECONDS",
    "DATABASE_URL_VARIABLE",
    "default_database_path",
    "display_url",
    "is_unavailable",
    "make_engine",
    "read_transaction",
    "resolve_url",
    "write_transaction",
]

DATABASE_URL_VARIABLE = "ZOPA_DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_SECONDS = 5
_WRITE = "zopa_write"
# libpq settings, unless the URL sets them: keepalives notice a server that vanished without
# closing the connection (a crashed host, a cut network) within about a minute, not hours.
_POSTGRES_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                        "keepalives_count": 3, "tcp_user_timeout": 60_000}
# SQLSTATEs of a server shutting down, crashed, starting up or out of connection slots;
# class 08 (connection exception) is matched as a whole.
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# SQLSTATEs of a write that could not get its locks in time (lock_timeout), was chosen as
# a deadlock victim, or lost a serialization race: the database is busy; try again.
_BUSY_STATES = frozenset({"55P03", "40P01", "40001"})


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


def _postgres_connect_args(url: URL) -> dict[str, Any]:
    defaults: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                                **_POSTGRES_KEEPALIVES}
    return {key: value for key, value in defaults.items() if key not in url.query}


def make_engine(url: str | None = None) -> Engine:
    """A SQLAlchemy engine for the resolved URL, with the settings described above.

    PostgreSQL connections get ``connect_timeout`` (``CONNECT_TIMEOUT_SECONDS``) and
    TCP keepalives unless the URL's query sets them (``?connect_timeout=10``), and the
    pool checks a connection before handing it out (``pool_pre_ping``).

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
        return create_engine(resolved, pool_pre_ping=True,
                             connect_args=_postgres_connect_args(resolved))
    except (ModuleNotFoundError, NoSuchModuleError):
        raise StoreError("PostgreSQL needs psycopg 3: pip install 'zopa[postgres]'") from None


def is_unavailable(error: DBAPIError, dialect: str) -> bool:
    """Whether a database error means the server cannot be reached or the connection broke.

    Parameters
    ----------
    error
        The error SQLAlchemy raised.
    dialect
        ``"postgresql"`` or ``"sqlite"``.
    """
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    if dialect == "postgresql":
        # psycopg reports a refused, timed-out or broken connection without a SQLSTATE
        state = getattr(error.orig, "sqlstate", None)
        return state is None or state.startswith("08") or state in _UNAVAILABLE_STATES
    return getattr(error.orig, "sqlite_errorname", "") == "SQLITE_CANTOPEN"


def _first_line(error: DBAPIError) -> str:
    lines = str(error.orig if error.orig is not None else error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


def _unavailable(engine: Engine, error: DBAPIError, stage: str,
                 writing: bool) -> StoreUnavailableError:
    url, reason = engine.url.render_as_string(hide_password=True), _first_line(error)
    in_doubt = writing and stage == "committing"
    if stage == "connecting":
        failure = f"the database {url} cannot be reached ({reason})"
    else:
        during = " while committing" if in_doubt else ""
        failure = f"the connection to the database {url} was lost{during} ({reason})"
    if in_doubt:
        # the server may have committed before the connection broke: claim neither outcome
        message = (f"the change may or may not have been saved: {failure}. Once the database "
                   "is back up, check whether it was before trying again")
    else:
        saved = "nothing was saved: " if writing else ""
        message = f"{saved}{failure}. Try again when the database is back up"
    return StoreUnavailableError(message, url=url, reason=reason, writing=writing,
                                 in_doubt=in_doubt)


def _is_busy(error: DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) in _BUSY_STATES


def _busy(engine: Engine, error: DBAPIError) -> StoreUnavailableError:
    url, reason = engine.url.render_as_string(hide_password=True), _first_line(error)
    return StoreUnavailableError(
        f"nothing was saved: the database {url} is busy ({reason}): another writer held "
        f"what this change needed for over {BUSY_TIMEOUT_MS / 1000:g} s, or the two "
        "collided. Try again", url=url, reason=reason, writing=True, in_doubt=False)


@contextmanager
def _transaction(engine: Engine, *, writing: bool) -> Iterator[Connection]:
    # One place where every statement of the store passes: a lost database becomes a
    # StoreUnavailableError saying how far the transaction got, and so does a write that
    # waited too long for a lock; other errors pass unchanged.
    stage = "connecting"
    try:
        with engine.connect() as connection:
            stage = "working"
            if writing:
                connection.execution_options(**{_WRITE: True})
            with connection.begin():
                if writing and engine.dialect.name == "postgresql":
                    # Like SQLite's busy timeout: never wait without limit for a lock.
                    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
                yield connection
                stage = "committing"
    except DBAPIError as error:
        if writing and _is_busy(error):
            raise _busy(engine, error) from error
        if not is_unavailable(error, engine.dialect.name):
            raise
        raise _unavailable(engine, error, stage, writing) from error


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: committed at the end, rolled back on any error.

    On SQLite it takes the write lock at once (``BEGIN IMMEDIATE``), waiting up to
    the busy timeout for another writer to finish.

    Raises
    ------
    StoreUnavailableError
        If the database cannot be reached or the connection is lost; the message
        says that nothing was saved, or, when the connection broke during the
        commit, that the outcome is unknown.
    """
    with _transaction(engine, writing=True) as connection:
        yield connection


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that only reads (one consistent snapshot on SQLite in WAL mode).

    Raises
    ------
    StoreUnavailableError
        If the database cannot be reached or the connection is lost.
    """
    with _transaction(engine, writing=False) as connection:
        yield connection
