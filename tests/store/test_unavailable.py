"""A database that cannot be reached, or drops the connection, is a StoreUnavailableError.

The message is one line naming the database (password hidden) and saying whether the
failed operation saved anything; the engine gives up connecting within its
``connect_timeout`` instead of hanging, and the pool reconnects by itself afterwards.
The server-level faults (PostgreSQL stopped and restarted under a live web app) are in
``tests/reliability/test_database_faults.py``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from zopa.errors import StoreError, ZopaError
from zopa.store import StoreUnavailableError, open_store
from zopa.store import engine as engine_module
from zopa.store.engine import is_unavailable, write_transaction

pytest.importorskip("psycopg", reason="the PostgreSQL tests need the 'postgres' extra")

PASSWORD = "s3cret-pw"
GUARD_SECONDS = 30  # a connection attempt still running by then is taken as a hang


def _closed_port() -> int:
    # bound and closed at once: nothing listens there for the test's short life
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port where TCP connections are accepted and then never answered (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # the kernel completes the handshakes; nobody ever replies
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


def _open_in_thread(url: str) -> tuple[BaseException | None, float]:
    """Try to open the store at ``url``; the error raised and the seconds it took."""
    outcome: dict[str, Any] = {}

    def attempt() -> None:
        started = time.monotonic()
        try:
            open_store(url).close()
        except BaseException as error:  # handed to the test thread
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(GUARD_SECONDS)
    assert not worker.is_alive(), f"opening the store still hangs after {GUARD_SECONDS} s"
    return outcome.get("error"), outcome["seconds"]


def _assert_one_clear_line(error: BaseException | None, port: int,
                           query: str = "") -> StoreUnavailableError:
    assert isinstance(error, StoreUnavailableError), repr(error)
    assert isinstance(error, StoreError) and isinstance(error, ZopaError)
    shown = f"postgresql+psycopg://zopa:***@127.0.0.1:{port}/zopa{query}"
    message = str(error)
    assert "\n" not in message and PASSWORD not in message
    assert message.startswith(f"cannot open the store: the database {shown} cannot be reached (")
    assert message.endswith("Try again when the database is back up")
    assert error.url == shown
    return error


def test_a_closed_port_is_unavailable_at_once() -> None:
    port = _closed_port()
    error, seconds = _open_in_thread(f"postgresql://zopa:{PASSWORD}@127.0.0.1:{port}/zopa")
    found = _assert_one_clear_line(error, port)
    assert "Connection refused" in found.reason
    assert not found.writing and not found.in_doubt
    print(f"closed port: StoreUnavailableError after {seconds:.3f} s")


def test_a_server_that_never_answers_is_given_up_after_the_connect_timeout(
        silent_server: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT_SECONDS", 2)  # libpq's minimum
    url = f"postgresql://zopa:{PASSWORD}@127.0.0.1:{silent_server}/zopa"
    error, seconds = _open_in_thread(url)
    found = _assert_one_clear_line(error, silent_server)
    assert "timeout" in found.reason.lower()
    print(f"silent server, connect_timeout=2: StoreUnavailableError after {seconds:.3f} s")


def test_a_connect_timeout_in_the_url_wins(silent_server: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT_SECONDS", 3600)
    url = f"postgresql://zopa:{PASSWORD}@127.0.0.1:{silent_server}/zopa?connect_timeout=2"
    error, _ = _open_in_thread(url)
    _assert_one_clear_line(error, silent_server, "?connect_timeout=2")


class _Driver(Exception):
    """Stands for a DBAPI error with a SQLSTATE (psycopg's have one, or None)."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("sqlstate", "unavailable"), [
    (None, True),       # refused, timed out, closed by the server: psycopg gives no SQLSTATE
    ("08006", True),    # connection_failure
    ("57P01", True),    # admin_shutdown (pg_ctl stop -m fast, pg_terminate_backend)
    ("57P03", True),    # cannot_connect_now (starting up)
    ("53300", True),    # too_many_connections
    ("40P01", False),   # deadlock_detected: the server is there
    ("57014", False),   # query_canceled (statement_timeout)
])
def test_which_postgresql_errors_mean_unavailable(sqlstate: str | None,
                                                  unavailable: bool) -> None:
    error = OperationalError("SELECT 1", {}, _Driver("boom", sqlstate))
    assert is_unavailable(error, "postgresql") is unavailable


def test_a_constraint_violation_is_not_unavailable() -> None:
    error = IntegrityError("INSERT", {}, _Driver("duplicate key", "23505"))
    assert not is_unavailable(error, "postgresql")
    assert not is_unavailable(error, "sqlite")


# -- a connection lost inside a transaction (the shared test server) ----------------------------
def _backend_pid(connection: Any) -> int:
    return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(db_url: str, pid: int) -> None:
    """End one server process and wait until it is gone, as a crash of that backend would."""
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            deadline = time.monotonic() + 10
            while connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = "
                                          ":pid"), {"pid": pid}).scalar_one():
                assert time.monotonic() < deadline, "the backend did not exit"
                time.sleep(0.02)
    finally:
        admin.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_connection_lost_mid_write_saves_nothing_and_the_next_call_reconnects(
        db_url: str) -> None:
    with open_store(db_url) as store:
        before = store.scenarios.history("ukraine-2025")
        with pytest.raises(StoreUnavailableError) as raised, \
                write_transaction(store.engine) as connection:
            _terminate(db_url, _backend_pid(connection))
            connection.execute(text("DELETE FROM scenario_heads"))
        message = str(raised.value)
        assert message.startswith("nothing was saved: the connection to the database "
                                  f"{store.url} was lost (")
        assert raised.value.writing and not raised.value.in_doubt and "\n" not in message
        assert store.scenarios.history("ukraine-2025") == before  # reconnected, untouched


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_connection_lost_at_commit_says_the_outcome_is_unknown(db_url: str) -> None:
    with open_store(db_url) as store:
        with pytest.raises(StoreUnavailableError) as raised, \
                write_transaction(store.engine) as connection:
            _terminate(db_url, _backend_pid(connection))
        assert raised.value.in_doubt
        assert str(raised.value).startswith(
            "the change may or may not have been saved: the connection to the database "
            f"{store.url} was lost while committing (")
        assert store.scenarios.head("ukraine-2025") is not None


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_save_blocked_by_a_lock_gives_up_after_the_busy_timeout(
        db_url: str, monkeypatch: pytest.MonkeyPatch, edit: Any) -> None:
    """A session holding a lock cannot make a save wait forever (as on SQLite)."""
    from zopa.catalog import load_catalog_scenario
    from zopa.store import engine as engine_module

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    with open_store(db_url) as store:
        before = store.scenarios.history("ukraine-2025")
        edited = edit(load_catalog_scenario(), "russia", 0.6)
        blocker = create_engine(db_url)
        try:
            with blocker.connect() as holder, holder.begin():
                holder.execute(text("LOCK TABLE scenario_heads IN ACCESS EXCLUSIVE MODE"))
                started = time.monotonic()
                with pytest.raises(StoreUnavailableError) as raised:
                    store.scenarios.save(edited, parent=before[-1], message="blocked")
                waited = time.monotonic() - started
        finally:
            blocker.dispose()
        message = str(raised.value)
        assert message.startswith(f"nothing was saved: the database {store.url} is busy (")
        assert "over 0.3 s" in message and "\n" not in message
        assert waited < 5
        assert store.scenarios.history("ukraine-2025") == before
        assert store.scenarios.save(edited, parent=before[-1], message="later").created
