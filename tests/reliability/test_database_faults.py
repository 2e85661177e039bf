"""The database going away: PostgreSQL stopped, crashed mid-save and restarted under a live app.

Each test runs a real uvicorn server on a private PostgreSQL instance started for this
module (``initdb`` in a temporary folder, a free port, trust authentication), never the
shared cluster the other tests use. Faults are injected with ``pg_ctl stop -m
immediate`` (a crash: no checkpoint, clients cut off) and ``-m fast`` (a clean shutdown
that ends every session). What must hold:

* while the server is down, reads and saves answer 503 at once with one line naming the
  database (password hidden) and whether anything was saved, plus ``Retry-After``;
* after ``pg_ctl start`` the very next request succeeds, without restarting the app;
* nothing stored is lost or half-written: the history is unchanged by the failed save,
  every version loads and matches its hash, no orphan snapshot is left behind, and the
  save can be made again on the same parent.

Without PostgreSQL's server binaries (``/usr/lib/postgresql/*/bin``) the module is
skipped, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import concurrent.futures
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the fault tests need the 'web' extra")
pytest.importorskip("psycopg", reason="the fault tests need the 'postgres' extra")

import httpx  # noqa: E402
import psycopg  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from zopa.scenario import content_hash  # noqa: E402
from zopa.store import open_store  # noqa: E402
from zopa.web import Settings, create_app  # noqa: E402
from zopa.web.errors import RETRY_AFTER_SECONDS  # noqa: E402

NAME = "ukraine-2025"
API = f"/api/scenarios/{NAME}"
PASSWORD = "not-shown-pw"  # ignored by trust authentication; must never appear in a message
REQUEST_SECONDS = 20.0  # an answer slower than this is a hang, and fails the test
WAIT_SECONDS = 15.0


def _say(what: str) -> None:
    """A measurement, for the notes (shown with ``pytest -s``)."""
    print(f"[db-faults] {what}")


# -- a private PostgreSQL server -----------------------------------------------------------------
def _server_binaries() -> Path | None:
    found = [b for b in Path("/usr/lib/postgresql").glob("*/bin")
             if (b / "initdb").exists() and (b / "pg_ctl").exists()]
    numbered = [(int(b.parent.name), b) for b in found if b.parent.name.isdigit()]
    return max(numbered)[1] if numbered else None


def _as_owner() -> list[str]:
    """The command prefix that runs PostgreSQL's tools as a user allowed to (not root)."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivatePostgres:
    """A PostgreSQL server in its own folder and port, stopped and started by the tests."""

    def __init__(self, binaries: Path, folder: Path) -> None:
        self.binaries, self.folder = binaries, folder
        self.data, self.log = folder / "data", folder / "server.log"
        self.port = _free_port()

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*_as_owner(), str(self.binaries / tool), *args], check=check,
                              capture_output=True, text=True, timeout=120)

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "--auth=trust", "--username=postgres",
                  "--encoding=UTF8", "--no-sync")

    def start(self) -> float:
        """Start (after a crash: recover) and wait until it accepts connections; seconds taken."""
        started = time.monotonic()
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=40")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "start", "-w", "-t", "60")
        return time.monotonic() - started

    def stop(self, mode: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "stop", "-m", mode, "-w", "-t", "60")

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def url(self, database: str) -> str:
        return f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def shown(self, database: str) -> str:
        """The URL as zopa's messages show it: driver named, password hidden."""
        return f"postgresql+psycopg://postgres:***@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres", *, autocommit: bool = True
                ) -> psycopg.Connection[Any]:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                               dbname=database, autocommit=autocommit, connect_timeout=5)


def _missing() -> str | None:
    if _server_binaries() is None:
        return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, but there is no 'postgres' user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root, but runuser is missing"
    return None


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    """A private PostgreSQL server for this module, removed afterwards."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI is set but the database fault tests cannot run: {missing}")
        pytest.skip(missing)
    binaries = _server_binaries()
    assert binaries is not None
    # not under pytest's tmp_path: its parents are private to root, the server runs as postgres
    folder = Path(tempfile.mkdtemp(prefix="zopa-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PrivatePostgres(binaries, folder)
    try:
        server.create()
        server.start()
        yield server
    finally:
        if server.running():
            server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database(postgres: PrivatePostgres) -> Iterator[str]:
    """A fresh database on the private server (started again if a test left it down)."""
    if not postgres.running():
        postgres.start()
    name = f"zopa_fault_{uuid.uuid4().hex[:12]}"
    with postgres.connect() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    if not postgres.running():
        postgres.start()
    with postgres.connect() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- a live app --------------------------------------------------------------------------------
class LiveServer:
    """uvicorn serving an app on a free loopback port, in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        self.url = f"http://127.0.0.1:{_free_port()}"
        port = int(self.url.rsplit(":", 1)[1])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, name="zopa-fault-server",
                                       daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        _wait_until(lambda: self.server.started or not self.thread.is_alive(), "server start")
        assert self.thread.is_alive(), "the test server did not start"
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def _wait_until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.fixture
def client(postgres: PrivatePostgres, database: str) -> Iterator[httpx.Client]:
    """A client of a live app on the private server's fresh database."""
    app = create_app(Settings(database_url=postgres.url(database)), warm=False)
    with LiveServer(app) as server, httpx.Client(base_url=server.url,
                                                 timeout=REQUEST_SECONDS) as opened:
        yield opened


def _history(client: httpx.Client) -> list[dict[str, Any]]:
    answer = client.get(f"{API}/versions")
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def _save(client: httpx.Client, parent: str, value: float, message: str) -> httpx.Response:
    body = {"parent": parent, "message": message, "sources": ["https://news.example/fault"],
            "edits": [{"path": "parties[0].reservation", "value": value}]}
    return client.post(f"{API}/versions", json=body)


def _timed(request: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = request()
    return answer, time.monotonic() - started


def _assert_unavailable(answer: httpx.Response, start: str) -> str:
    """A 503 with ``Retry-After`` and one line that starts with ``start``; the line."""
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert "Traceback" not in answer.text and PASSWORD not in answer.text
    detail = str(answer.json()["detail"])
    assert "\n" not in detail and detail.startswith(start), detail
    assert detail.endswith("Try again when the database is back up"), detail
    return detail


def _assert_intact(postgres: PrivatePostgres, database: str, expected: list[dict[str, Any]]
                   ) -> None:
    """The stored history is ``expected``, every version matches its hash, no orphans."""
    with open_store(postgres.url(database)) as store:
        versions = store.scenarios.history(NAME)
        assert [(v.number, v.id) for v in versions] == [(e["number"], e["id"]) for e in expected]
        assert store.scenarios.head(NAME) == versions[-1]
        for version in versions:  # load() also refuses a payload that does not match its id
            assert content_hash(store.scenarios.load(version)) == version.id
    with postgres.connect(database) as connection:
        orphans = connection.execute(
            "SELECT count(*) FROM scenario_snapshots s WHERE NOT EXISTS (SELECT 1 FROM "
            "scenario_versions v WHERE v.snapshot_hash = s.hash)").fetchone()
        assert orphans == (0,), "a snapshot was left without a version"


# -- the tests ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["immediate", "fast"])
def test_a_stopped_server_answers_503_and_the_app_recovers_after_restart(
        postgres: PrivatePostgres, database: str, client: httpx.Client, mode: str) -> None:
    first = _history(client)[0]
    assert _save(client, first["id"], 0.6, "before the outage").status_code == 201
    before = _history(client)
    postgres.stop(mode)
    gone = f"the database {postgres.shown(database)} cannot be reached ("

    read, read_seconds = _timed(lambda: client.get(f"{API}/versions"))
    line = _assert_unavailable(read, gone)
    saved, save_seconds = _timed(lambda: _save(client, before[-1]["id"], 0.5, "in the outage"))
    _assert_unavailable(saved, f"nothing was saved: {gone}")
    page = client.get(f"/scenarios/{NAME}/versions", headers={"accept": "text/html"})
    assert page.status_code == 503 and page.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert postgres.shown(database) in page.text and "cannot be reached" in page.text
    assert "Traceback" not in page.text and PASSWORD not in page.text

    restart_seconds = postgres.start()
    after, recover_seconds = _timed(lambda: client.get(f"{API}/versions"))
    assert after.status_code == 200, after.text  # the very next request: no retry, no restart
    assert after.json() == before
    _assert_intact(postgres, database, before)
    again = _save(client, before[-1]["id"], 0.5, "after the outage")
    assert again.status_code == 201 and again.json()["version"]["number"] == len(before) + 1
    _say(f"stop -m {mode}: read 503 in {read_seconds:.3f} s, save 503 in {save_seconds:.3f} s; "
         f"pg_ctl start took {restart_seconds:.2f} s; first request after it answered 200 in "
         f"{recover_seconds:.3f} s; message: {line}")


def _blocked_save(watcher: psycopg.Connection[Any]) -> int | None:
    """The server process of a save waiting to move the head, once it waits; else None."""
    row = watcher.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND "
        "wait_event_type = 'Lock' AND query LIKE 'UPDATE scenario_heads%'").fetchone()
    return None if row is None else int(row[0])


def test_a_crash_in_the_middle_of_a_save_answers_503_and_leaves_nothing_half_written(
        postgres: PrivatePostgres, database: str, client: httpx.Client) -> None:
    first = _history(client)[0]
    assert _save(client, first["id"], 0.6, "before the crash").status_code == 201
    before = _history(client)
    parent = before[-1]["id"]
    # SHARE mode lets the save lock the head row and insert its snapshot, version and
    # sources, and holds it at the last statement, the UPDATE that moves the head
    holder = postgres.connect(database, autocommit=False)
    watcher = postgres.connect(database)
    try:
        holder.execute("LOCK TABLE scenario_heads IN SHARE MODE")
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            posting = pool.submit(_save, client, parent, 0.5, "cut off by the crash")
            _wait_until(lambda: _blocked_save(watcher) is not None or posting.done(),
                        "the save to wait for the head")
            assert not posting.done(), posting.result().text
            pid = _blocked_save(watcher)
            written = {row[0] for row in watcher.execute(
                "SELECT relation::regclass::text FROM pg_locks WHERE pid = %s AND granted AND "
                "mode = 'RowExclusiveLock'", (pid,))}
            assert {"scenario_snapshots", "scenario_versions", "version_sources"} <= written
            crashed = time.monotonic()
            postgres.stop("immediate")
            answer = posting.result(timeout=REQUEST_SECONDS)
            answer_seconds = time.monotonic() - crashed
    finally:
        holder.close()
        watcher.close()
    line = _assert_unavailable(
        answer, f"nothing was saved: the connection to the database {postgres.shown(database)} "
                "was lost (")

    restart_seconds = postgres.start()
    assert _history(client) == before
    _assert_intact(postgres, database, before)
    again = _save(client, parent, 0.5, "after the crash")
    assert again.status_code == 201, again.text
    assert again.json()["version"]["number"] == len(before) + 1
    _say(f"crash mid-save: 503 {answer_seconds:.3f} s after pg_ctl stop -m immediate was run "
         f"(the stop itself included); restart with recovery {restart_seconds:.2f} s; "
         f"message: {line}")


def _zopa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from zopa.cli.app import main; main()",
                           *args], capture_output=True, text=True, timeout=120)


def test_the_command_line_prints_one_line_and_exits_1_while_the_server_is_down(
        postgres: PrivatePostgres, database: str) -> None:
    url = postgres.url(database)
    assert _zopa("scenario", "history", NAME, "--db", url).returncode == 0
    postgres.stop("fast")
    for command in (["scenario", "history", NAME], ["scenario", "save", NAME, "-m", "x"]):
        result = _zopa(*command, "--db", url)
        assert result.returncode == 1 and result.stdout == "", result
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"error: cannot open the store: the database "
                                   f"{postgres.shown(database)} cannot be reached ("), lines[0]
        assert PASSWORD not in result.stderr
    _say(f"command line: {lines[0]}")
    postgres.start()
    result = _zopa("scenario", "history", NAME, "--db", url)
    assert result.returncode == 0 and f"History of {NAME}: 1 version(s)" in result.stdout


def test_an_outage_during_warm_up_is_skipped_and_the_app_serves_after_restart(
        postgres: PrivatePostgres, database: str) -> None:
    app = create_app(Settings(database_url=postgres.url(database)), warm=True)
    postgres.stop("immediate")
    with LiveServer(app) as server, httpx.Client(base_url=server.url,
                                                 timeout=REQUEST_SECONDS) as client:
        warming = [t for t in threading.enumerate() if t.name == "zopa-warm"]
        _wait_until(lambda: not any(t.is_alive() for t in warming), "warm-up to give up")
        _assert_unavailable(client.get(f"{API}/versions"),
                            f"the database {postgres.shown(database)} cannot be reached (")
        postgres.start()
        history = _history(client)
        assert [v["number"] for v in history] == [1]
        assert client.get(f"{API}/zopa").status_code == 200

