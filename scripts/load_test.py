#!/usr/bin/env python
"""Load test of the web app: concurrent clients against a real ``zopa serve`` on loopback.

Starts the server as a subprocess on a free loopback port with a fresh database
(a temporary SQLite file, or a new PostgreSQL database that is dropped afterwards),
then runs ``--clients`` clients for ``--seconds``, each with its own httpx connection
and its own seeded random mix of reads (scenario, values, history, diff, ZOPA,
frontier, solutions, one package's verdicts, timeline, clock, forecasts, pages) and
saves (read the latest values, set one number with a source on that version; on 409
read again and retry, a bounded number of times). Every request has a timeout; the
run has a request cap and a hard deadline (``--seconds`` plus a grace period).

Only a 409 on a save (and 200 "nothing changed") is expected; any other status, a
timeout or a connection error counts as an error. Once the server has stopped, the
database is checked through zopa's store and SQL: every version a client was told
was created (201) is in the history with what was sent; the history holds exactly
those plus the versions there before, as one chain ending at the head; every version
loads with its content hash verified; no row points at a missing one; SQLite's
integrity and foreign-key checks pass (PostgreSQL: its foreign keys are validated).

    .venv/bin/python scripts/load_test.py --clients 50 --seconds 60 --json out.json
    .venv/bin/python scripts/load_test.py --postgres "$ZOPA_TEST_POSTGRES_URL"

Exits 0 if there was no unexpected error and every check passed, else 1 with a
one-line reason on stderr. The functions here are imported by
``tests/reliability/test_load.py`` (through importlib, from this file's path).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from zopa.errors import StoreError
from zopa.store import Version, open_store, resolve_url

SCENARIO = "ukraine-2025"
POSTGRES_VARIABLE = "ZOPA_TEST_POSTGRES_URL"
START_SECONDS = 60.0
STOP_SECONDS = 30.0
MAX_ERRORS_KEPT = 100
# Relative weights of the reads; saves are drawn apart, with --save-share.
READS: dict[str, float] = {
    "list": 4, "scenario": 5, "values": 5, "history": 5, "version": 5, "diff": 5,
    "zopa": 8, "frontier": 5, "solutions": 5, "evaluate": 10, "deal": 4, "ratify": 3,
    "payers": 3, "price": 3, "timeline": 3, "clock": 4, "models": 2, "forecast": 3,
    "page-overview": 0.6, "page-explore": 0.6, "page-versions": 0.6, "page-time": 0.6,
    "page-frontier": 0.6,
}
CHEAP_MODELS = ("compromise", "median", "nash", "smp", "expected_utility")
# Shares must sum to 1 (or at most 1) within their group, so a save changing one alone is
# rightly refused (422); the clients edit the other numbers.
COUPLED = re.compile(r"\.shares\.|\.share$")
PAGES = {"page-overview": "", "page-explore": "/explore", "page-versions": "/versions",
         "page-time": "/time", "page-frontier": "/frontier"}


# -- options ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LoadOptions:
    """What to run: how many clients, how long, on which database.

    ``db`` is ``sqlite`` (a temporary file), ``postgres`` (a fresh database on the
    server ``postgres`` names, default ``$ZOPA_TEST_POSTGRES_URL``), or a database
    URL or file used as it is.
    """

    clients: int = 50
    seconds: float = 60.0
    db: str = "sqlite"
    postgres: str | None = None
    max_requests: int = 300_000
    save_share: float = 0.2
    save_retries: int = 5
    timeout: float = 30.0
    seed: int = 0
    scenario: str = SCENARIO

    @property
    def grace(self) -> float:
        """How long requests still in flight at the end may take before the run is cut."""
        return self.timeout + 15.0


def parse_options(argv: Sequence[str] | None = None) -> tuple[LoadOptions, Path | None]:
    """The options and the JSON output path from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--db", default="sqlite", metavar="URL|sqlite|postgres")
    parser.add_argument("--postgres", metavar="URL",
                        help="create a fresh database on this PostgreSQL server, drop it after")
    parser.add_argument("--max-requests", type=int, default=300_000)
    parser.add_argument("--save-share", type=float, default=0.2)
    parser.add_argument("--save-retries", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenario", default=SCENARIO)
    parser.add_argument("--json", type=Path, metavar="OUT")
    found = parser.parse_args(argv)
    if found.clients < 1 or found.seconds <= 0 or found.max_requests < 1:
        parser.error("expected --clients >= 1, --seconds > 0 and --max-requests >= 1")
    if not 0 <= found.save_share <= 1:
        parser.error("expected --save-share between 0 and 1")
    db = "postgres" if found.postgres and found.db == "sqlite" else found.db
    options = LoadOptions(found.clients, found.seconds, db, found.postgres, found.max_requests,
                          found.save_share, found.save_retries, found.timeout, found.seed,
                          found.scenario)
    return options, found.json


# -- the database and the server ----------------------------------------------------------------
@contextlib.contextmanager
def fresh_database(options: LoadOptions) -> Iterator[str]:
    """The URL of the database to serve; a temporary one is removed afterwards."""
    if options.db == "sqlite":
        with tempfile.TemporaryDirectory(prefix="zopa-load-") as folder:
            yield f"sqlite:///{Path(folder) / 'zopa.db'}"
    elif options.db in ("postgres", "postgresql"):
        base = options.postgres or os.environ.get(POSTGRES_VARIABLE)
        if not base:
            raise SystemExit(f"--db postgres needs --postgres URL or ${POSTGRES_VARIABLE}")
        with _postgres_database(base) as url:
            yield url
    else:
        yield options.db


@contextlib.contextmanager
def _postgres_database(base: str) -> Iterator[str]:
    server = make_url(resolve_url(base))
    name = f"zopa_load_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin: Engine, name: str) -> None:
    # An autovacuum worker the role may not end can hold the database for a moment.
    for attempt in range(20):
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except DBAPIError:
            if attempt == 19:
                raise
            time.sleep(0.5)


def free_port() -> int:
    """A TCP port nothing listens on at the moment, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_command(port: int, url: str) -> list[str]:
    """``zopa serve`` as installed next to this Python (the console script users run)."""
    script = Path(sys.executable).with_name("zopa")
    launcher = ([str(script)] if script.exists()
                else [sys.executable, "-c", "from zopa.cli.app import main; main()"])
    return [*launcher, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", url]


@dataclass
class Server:
    """A ``zopa serve`` subprocess; its stdout and stderr go to ``log``."""

    url: str
    log: Path
    scenario: str = SCENARIO
    process: subprocess.Popen[bytes] | None = None
    base: str = ""

    def start(self) -> None:
        """Start it and wait until it answers (which also saves the scenario's version 1)."""
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items()
               if k not in ("ZOPA_TOKEN", "ZOPA_DATABASE_URL")}
        with self.log.open("wb") as sink:
            self.process = subprocess.Popen(serve_command(port, self.url), stdout=sink,
                                            stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                answer = httpx.get(f"{self.base}/api/scenarios/{self.scenario}/versions",
                                   timeout=10)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        code = self.stop()
        tail = self.log.read_text(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"the server did not answer within {START_SECONDS:.0f} s "
                           f"(exit code {code}): {tail}")

    def stop(self) -> int | None:
        """Stop it as Ctrl+C would (then harder if it hangs); its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_SECONDS)
        return self.process.returncode


def log_problems(log: Path) -> list[str]:
    """Lines of the server's log that report an error (its two start-up lines aside)."""
    markers = ("Traceback", "ERROR", "CRITICAL", "Exception", "locked")
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line.strip() for line in lines if any(m in line for m in markers)]


# -- what the clients record --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CreatedVersion:
    """A version the server said it created (201), with what the save sent."""

    number: int
    id: str
    parent: str
    author: str
    message: str
    sources: tuple[str, ...]


@dataclass
class Tally:
    """Everything the clients observed, shared by the clients of one event loop."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    created: list[CreatedVersion] = field(default_factory=list)
    conflicts: int = 0
    retries: int = 0
    unchanged: int = 0
    abandoned: int = 0

    def error(self, **details: Any) -> None:
        """Count an unexpected outcome; keep the first ones in full."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(details)


@dataclass
class Budget:
    """The run's bounds: requests left and the moment no new request starts."""

    end: float
    left: int

    def take(self) -> bool:
        """Whether one more request may start (and count it)."""
        if self.left <= 0 or time.monotonic() >= self.end:
            return False
        self.left -= 1
        return True


@dataclass(frozen=True, slots=True)
class Catalog:
    """What the clients vary: issues and their options, plans, models."""

    issues: dict[str, tuple[str, ...]]
    plans: tuple[str, ...]
    models: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Latest:
    """The latest version a save reads, and its numbers that an edit may change."""

    id: str
    number: int
    values: dict[str, dict[str, Any]]


# -- one client ------------------------------------------------------------------------------
NEW_SOURCE_SHARE = 0.1  # of saves that add a source to the scenario, not only cite one
POSTS = {"evaluate": "/evaluate", "deal": "/deal", "ratify": "/ratify", "payers": "/payers",
         "price": "/price-of-peace"}
VERSIONED_GETS = {"scenario": "", "values": "/values", "zopa": "/zopa", "frontier": "/frontier",
                  "solutions": "/solutions", "timeline": "/timeline", "clock": "/clock"}


def first_line(body: str) -> str:
    """The first line of a response body, shortened: what an error record keeps."""
    lines = body.strip().splitlines()
    return lines[0][:300] if lines else ""


class Client:
    """One simulated user: its own connection, random stream and view of the history."""

    def __init__(self, index: int, http: httpx.AsyncClient, rng: np.random.Generator,
                 catalog: Catalog, tally: Tally, budget: Budget, options: LoadOptions,
                 latest: int) -> None:
        self.index, self.http, self.rng, self.catalog = index, http, rng, catalog
        self.tally, self.budget, self.options = tally, budget, options
        self.latest = latest
        self.known: list[str] = []
        self.serial = 0
        self.base = f"/api/scenarios/{options.scenario}"
        self.started = time.monotonic()

    async def run(self) -> None:
        """Read or save, at random, until the budget's time or requests run out."""
        kinds = list(READS)
        weights = np.array([READS[k] for k in kinds], dtype=float)
        weights /= weights.sum()
        while self.budget.left > 0 and time.monotonic() < self.budget.end:
            saving = self.rng.random() < self.options.save_share
            kind = "save" if saving else kinds[int(self.rng.choice(len(kinds), p=weights))]
            try:
                await (self.save() if saving else self.read(kind))
            except (ValueError, KeyError, TypeError) as error:  # a malformed answer
                self._error(kind, "?", "?", None, f"unreadable answer: {error!r}")

    async def call(self, kind: str, method: str, path: str, *,
                   params: dict[str, Any] | None = None, body: Any = None,
                   expected: tuple[int, ...] = (200,)) -> httpx.Response | None:
        """One request, timed and counted; ``None`` if not sent, failed or unexpected."""
        if not self.budget.take():
            return None
        start = time.perf_counter()
        try:
            response = await self.http.request(method, path, params=params, json=body)
        except httpx.HTTPError as error:
            self.tally.latencies[kind].append(time.perf_counter() - start)
            self.tally.statuses[f"{kind} {type(error).__name__}"] += 1
            self._error(kind, method, path, params, None, f"{type(error).__name__}: {error}")
            return None
        self.tally.latencies[kind].append(time.perf_counter() - start)
        self.tally.statuses[f"{kind} {response.status_code}"] += 1
        if response.status_code not in expected:
            self._error(kind, method, path, params, response.status_code,
                        first_line(response.text))
            return None
        return response

    def _error(self, kind: str, method: str, path: str, params: dict[str, Any] | None,
               status: int | None, detail: str) -> None:
        target = str(httpx.URL(path, params=params or {}))
        self.tally.error(client=self.index, kind=kind, method=method, path=target,
                         status=status, detail=detail,
                         at=round(time.monotonic() - self.started, 3))

    # -- reads ------------------------------------------------------------------------------------
    async def read(self, kind: str) -> None:
        """One read of the given kind, with parameters drawn at random."""
        method, path, params, body = self._read_request(kind)
        await self.call(kind, method, path, params=params, body=body)

    def _pick(self, choices: Sequence[Any]) -> Any:
        return choices[int(self.rng.integers(len(choices)))]

    def _read_request(self, kind: str) -> tuple[str, str, dict[str, Any], Any]:
        if kind in POSTS:
            return "POST", self.base + POSTS[kind], {"version": self._version()}, self._package()
        if kind in VERSIONED_GETS:
            params = {"version": self._version(), **self._extra(kind)}
            return "GET", self.base + VERSIONED_GETS[kind], params, None
        if kind in PAGES:
            return "GET", f"/scenarios/{self.options.scenario}{PAGES[kind]}", {}, None
        others: dict[str, tuple[str, str, dict[str, Any], Any]] = {
            "list": ("GET", "/api/scenarios", {}, None),
            "history": ("GET", f"{self.base}/versions", {}, None),
            "version": ("GET", f"{self.base}/versions/{self._version()}", {}, None),
            "diff": ("GET", f"{self.base}/diff", self._diff(), None),
            "models": ("GET", "/api/models", {}, None),
            "forecast": ("POST", f"{self.base}/forecasts", {"version": self._version()},
                         {"model": self._pick(self.catalog.models),
                          "seed": int(self.rng.integers(4))}),
        }
        return others[kind]

    def _version(self) -> str:
        # Mostly the latest (what a visitor sees), sometimes an older version by number
        # or by a prefix of its id (comparing with the past).
        draw = self.rng.random()
        if draw < 0.75 or self.latest < 2:
            return "latest"
        if draw < 0.9 or not self.known:
            return f"@{int(self.rng.integers(1, self.latest + 1))}"
        return str(self._pick(self.known))[:12]

    def _extra(self, kind: str) -> dict[str, Any]:
        if kind == "frontier":
            return {"within_reservations": bool(self.rng.random() < 0.5),
                    "limit": self._pick((10, 100, 100, 500))}
        if kind == "solutions":
            return {"disagreement": self._pick(("reservations", "zero"))}
        if kind == "timeline":
            return {"days": self._pick((365, 365, 180, 730)), "step": self._pick((30, 30, 15, 60))}
        return {}

    def _diff(self) -> dict[str, Any]:
        if self.latest < 2 or self.rng.random() < 0.3:
            return {"old": "@1"}
        if self.rng.random() < 0.5:
            return {}  # the default: the version before the latest against the latest
        old = int(self.rng.integers(1, self.latest + 1))
        return {"old": f"@{old}", "new": f"@{int(self.rng.integers(old, self.latest + 1))}"}

    def _package(self) -> dict[str, Any]:
        issues = self.catalog.issues
        plan = self._pick(self.catalog.plans)
        draw = self.rng.random()
        if draw < 0.4:
            return {"plan": plan}
        if draw < 0.8:  # a plan with one choice changed, as the deal explorer sends
            issue = self._pick(list(issues))
            return {"plan": plan, "choices": {issue: self._pick(issues[issue])}}
        return {"choices": {issue: self._pick(options) for issue, options in issues.items()}}

    # -- saves ------------------------------------------------------------------------------------
    async def save(self) -> None:
        """Read the latest version, set one number on it; on 409 read again and retry."""
        self.serial += 1
        adds_source = bool(self.rng.random() < NEW_SOURCE_SHARE)
        edit: tuple[str, float] | None = None
        for attempt in range(self.options.save_retries + 1):
            latest = await self._read_latest()
            if latest is None:
                return
            edit = edit or self._choose_edit(latest)
            body = self._save_body(latest, edit, adds_source)
            answer = await self.call("save", "POST", f"{self.base}/versions", body=body,
                                     expected=(200, 201, 409))
            if answer is None:
                return
            if answer.status_code != 409:
                self._accept(answer, latest, body)
                return
            self.tally.conflicts += 1
            if attempt < self.options.save_retries:
                self.tally.retries += 1
        self.tally.abandoned += 1

    async def _read_latest(self) -> Latest | None:
        answer = await self.call("save-read", "GET", f"{self.base}/values",
                                 params={"version": "latest"})
        if answer is None:
            return None
        data = answer.json()
        values = {v["path"]: v for v in data["result"]
                  if v["low"] < v["high"] and v["source"] and not COUPLED.search(v["path"])}
        found = Latest(data["scenario"]["id"], data["scenario"]["number"], values)
        self._saw(found.id, found.number)
        return found

    def _saw(self, version_id: str, number: int) -> None:
        self.latest = max(self.latest, number)
        self.known = [*self.known[-49:], version_id]

    def _choose_edit(self, latest: Latest) -> tuple[str, float]:
        path = self._pick(sorted(latest.values))
        value = latest.values[path]
        return path, float(f"{self.rng.uniform(value['low'], value['high']):.4g}")

    def _save_body(self, latest: Latest, edit: tuple[str, float],
                   adds_source: bool) -> dict[str, Any]:
        path, mode = edit
        value = latest.values[path]
        key = f"load-{self.index}-{self.serial}"
        cited = [*value["source"], key] if adds_source else list(value["source"])
        url = f"https://example.org/load/{self.index}/{self.serial}"
        body: dict[str, Any] = {
            "parent": latest.id, "author": f"load-client-{self.index}",
            "message": f"load test: client {self.index}, save {self.serial}", "sources": [url],
            "edits": [{"path": path, "value": {
                "low": value["low"], "mode": min(max(mode, value["low"]), value["high"]),
                "high": value["high"], "source": cited, "note": "set by the load test",
                "judgement": value["judgement"]}}],
        }
        if adds_source:
            body["new_sources"] = {key: {"document": f"Load test note {key}",
                                         "date": "2025-12-28", "url": url}}
        return body

    def _accept(self, answer: httpx.Response, latest: Latest, body: dict[str, Any]) -> None:
        data = answer.json()
        version = data["version"]
        path = f"{self.base}/versions"
        if answer.status_code == 200:  # nothing changed: the answer is the parent itself
            if data["created"] or version["id"] != latest.id:
                self._error("save", "POST", path, None, 200, f"200 not on the parent: {data}")
            self.tally.unchanged += 1
            return
        sent = (True, latest.id, latest.number + 1, body["author"], body["message"],
                body["sources"])
        told = (data["created"], version["parent"], version["number"], version["author"],
                version["message"], version["sources"])
        if told != sent:
            self._error("save", "POST", path, None, 201, f"answer {told} for a save of {sent}")
        self.tally.created.append(CreatedVersion(
            version["number"], version["id"], latest.id, body["author"], body["message"],
            tuple(body["sources"])))
        self._saw(version["id"], version["number"])


# -- the run ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ClientRun:
    """What the clients did: the tally, how long it took, and whether a bound was hit."""

    tally: Tally
    versions_before: int
    elapsed: float
    capped: bool
    cut: bool


async def read_catalog(http: httpx.AsyncClient, scenario: str) -> Catalog:
    """The scenario's issues, options and plans, and the server's models."""
    data = (await http.get(f"/api/scenarios/{scenario}")).raise_for_status().json()["scenario"]
    issues = {i["id"]: tuple(o["id"] for o in i["options"]) for i in data["issues"]}
    plans = tuple(p["id"] for p in data.get("proposals", []))
    models = tuple(m["name"] for m in (await http.get("/api/models")).raise_for_status().json())
    return Catalog(issues, plans or ("",), models or CHEAP_MODELS)


async def run_clients(base: str, options: LoadOptions) -> ClientRun:
    """Run the clients against the server at ``base`` within the options' bounds."""
    timeout = httpx.Timeout(options.timeout)
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as probe:
        catalog = await read_catalog(probe, options.scenario)
        history = await probe.get(f"/api/scenarios/{options.scenario}/versions")
        before = len(history.raise_for_status().json())
    tally = Tally()
    started = time.monotonic()
    budget = Budget(started + options.seconds, options.max_requests)
    streams = np.random.SeedSequence(options.seed).spawn(options.clients)
    cut = False
    async with contextlib.AsyncExitStack() as stack:
        clients = [Client(k, await stack.enter_async_context(
                              httpx.AsyncClient(base_url=base, timeout=timeout)),
                          np.random.default_rng(stream), catalog, tally, budget, options, before)
                   for k, stream in enumerate(streams)]
        try:
            async with asyncio.timeout(options.seconds + options.grace):
                await asyncio.gather(*(client.run() for client in clients))
        except TimeoutError:
            cut = True
            tally.error(client=None, kind="run", method="", path="", status=None,
                        detail=f"hard deadline: still running {options.grace:.0f} s after the "
                               "end", at=round(time.monotonic() - started, 3))
    return ClientRun(tally, before, time.monotonic() - started, budget.left <= 0, cut)


# -- the consistency checks ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Check:
    """One consistency check of the database after the run."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Consistency:
    """The database after the run: its versions, the acknowledged ones missing, the checks."""

    versions_after: int
    lost: int
    checks: tuple[Check, ...]


ORPHANS = {
    "versions without their snapshot": "SELECT count(*) FROM scenario_versions v LEFT JOIN "
        "scenario_snapshots s ON s.hash = v.snapshot_hash WHERE s.hash IS NULL",
    "versions with a missing parent": "SELECT count(*) FROM scenario_versions v LEFT JOIN "
        "scenario_versions p ON p.id = v.parent_id WHERE v.parent_id IS NOT NULL AND p.id IS NULL",
    "versions not numbered after their parent": "SELECT count(*) FROM scenario_versions v "
        "JOIN scenario_versions p ON p.id = v.parent_id "
        "WHERE v.number <> p.number + 1 OR v.name <> p.name",
    "sources of missing versions": "SELECT count(*) FROM version_sources x LEFT JOIN "
        "scenario_versions v ON v.id = x.version_id WHERE v.id IS NULL",
    "heads not on their name's last version": "SELECT count(*) FROM scenario_heads h "
        "LEFT JOIN scenario_versions v ON v.id = h.version_id WHERE v.id IS NULL "
        "OR v.name <> h.name OR v.number <> (SELECT max(w.number) FROM scenario_versions w "
        "WHERE w.name = h.name)",
    "snapshots no version or run refers to": "SELECT count(*) FROM scenario_snapshots s "
        "WHERE NOT EXISTS (SELECT 1 FROM scenario_versions v WHERE v.snapshot_hash = s.hash) "
        "AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.scenario_hash = s.hash)",
    "runs without their snapshot": "SELECT count(*) FROM runs r LEFT JOIN scenario_snapshots s "
        "ON s.hash = r.scenario_hash WHERE s.hash IS NULL",
    "runs of a missing version": "SELECT count(*) FROM runs r LEFT JOIN scenario_versions v "
        "ON v.id = r.version_id WHERE r.version_id IS NOT NULL AND v.id IS NULL",
}


def check_database(url: str, name: str, created: Sequence[CreatedVersion],
                   versions_before: int) -> Consistency:
    """Check the database at ``url`` after a run in which ``created`` were acknowledged.

    Reads through zopa's store (history, head, every version loaded with its hash
    verified) and with SQL (the chain of rows, rows pointing at missing ones, the
    database's own integrity checks). The server must have stopped.
    """
    with open_store(url) as store:
        try:
            history = store.scenarios.history(name)
        except StoreError as error:
            return Consistency(0, len(created), (Check("history readable", False, str(error)),))
        acknowledged, lost = _check_acknowledged(history, created)
        checks = (
            _check_count(history, versions_before, created), acknowledged,
            _check_chain(store.engine, name, history), _check_head(store, name, history),
            _check_loads(store, history), _check_orphans(store.engine),
            _check_engine(store.engine), _check_runs(store.engine),
        )
    return Consistency(len(history), lost, checks)


def _check_count(history: Sequence[Version], before: int,
                 created: Sequence[CreatedVersion]) -> Check:
    expected = before + len(created)
    extra = len(history) - expected
    detail = f"{len(history)} versions = {before} before + {len(created)} created (201)"
    if extra:
        detail = (f"{len(history)} versions, expected {before} before + {len(created)} "
                  f"created = {expected} ({'extra' if extra > 0 else 'missing'}: {abs(extra)})")
    return Check("versions counted", extra == 0, detail)


def _check_acknowledged(history: Sequence[Version], created: Sequence[CreatedVersion],
                        ) -> tuple[Check, int]:
    at = {version.number: version for version in history}
    missing = [c for c in created if not _stored_as_sent(at.get(c.number), c)]
    twice = sorted(n for n, k in Counter(c.number for c in created).items() if k > 1)
    detail = f"all {len(created)} acknowledged saves stored as sent"
    if missing or twice:
        shown = ", ".join(f"@{c.number} {c.id[:12]}" for c in missing[:5])
        detail = (f"{len(missing)} lost or altered ({shown}); numbers acknowledged twice: "
                  f"{twice[:5]}")
    return Check("acknowledged saves stored", not missing and not twice, detail), len(missing)


def _stored_as_sent(version: Version | None, sent: CreatedVersion) -> bool:
    return version is not None and (
        version.id, version.parent, version.author, version.message, version.sources,
    ) == (sent.id, sent.parent, sent.author, sent.message, sent.sources)


def _check_chain(engine: Engine, name: str, history: Sequence[Version]) -> Check:
    query = text("SELECT id, number, parent_id FROM scenario_versions WHERE name = :name "
                 "ORDER BY number")
    with engine.connect() as connection:
        rows = connection.execute(query, {"name": name}).all()
    breaks = [row.number for k, row in enumerate(rows)
              if row.number != k + 1 or row.parent_id != (rows[k - 1].id if k else None)]
    breaks += [v.number for k, v in enumerate(history)
               if (v.parent, v.parent_number) != ((history[k - 1].id, k) if k else (None, None))]
    detail = (f"@1 to @{len(rows)}, each on the one before" if not breaks
              else f"broken at {sorted(set(breaks))[:10]}")
    return Check("history is one chain", not breaks, detail)


def _check_head(store: Any, name: str, history: Sequence[Version]) -> Check:
    head = store.scenarios.head(name)
    ok = head is not None and bool(history) and head.key == history[-1].key
    label = "none" if head is None else f"{head.label} {head.short}"
    return Check("head is the last version", ok, f"head {label} of {len(history)} versions")


def _check_loads(store: Any, history: Sequence[Version]) -> Check:
    started, failures = time.monotonic(), []
    distinct = {version.id: version for version in history}
    for version in distinct.values():
        try:
            store.scenarios.load(version)
        except StoreError as error:
            failures.append(f"{version.label}: {error}")
    seconds = time.monotonic() - started
    detail = (f"{len(history)} versions ({len(distinct)} contents) load, hashes verified "
              f"({seconds:.1f} s)") if not failures else f"{len(failures)} fail: {failures[:3]}"
    return Check("every version loads", not failures, detail)


def _check_orphans(engine: Engine) -> Check:
    with engine.connect() as connection:
        found = {label: connection.execute(text(query)).scalar_one()
                 for label, query in ORPHANS.items()}
    bad = {label: count for label, count in found.items() if count}
    detail = "no row points at a missing one" if not bad else f"{bad}"
    return Check("no orphan rows", not bad, detail)


def _check_engine(engine: Engine) -> Check:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            integrity = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            keys = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            ok = integrity == ["ok"] and not keys
            return Check("sqlite integrity_check, foreign_key_check", ok,
                         f"integrity {integrity[:3]}, {len(keys)} foreign-key violations")
        keys = connection.execute(text(
            "SELECT conname, convalidated FROM pg_constraint c JOIN pg_namespace n "
            "ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()"
        )).all()
    invalid = [row.conname for row in keys if not row.convalidated]
    ok = len(keys) >= 6 and not invalid
    return Check("postgresql foreign keys in force", ok,
                 f"{len(keys)} foreign keys, {len(invalid)} not validated {invalid[:3]}")


def _check_runs(engine: Engine) -> Check:
    with engine.connect() as connection:
        runs = connection.execute(text("SELECT count(*) FROM runs")).scalar_one()
    return Check("runs table readable", True, f"{runs} recorded runs (orphans checked above)")


# -- the report ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class KindStats:
    """Latencies of one kind of request, in milliseconds, and its answers by status."""

    kind: str
    count: int
    statuses: dict[str, int]
    p50: float
    p95: float
    p99: float
    max: float


@dataclass(frozen=True, slots=True)
class LoadReport:
    """The outcome of a load test: the load held, the saves, the errors, the checks."""

    backend: str
    database: str
    clients: int
    seconds: float
    elapsed: float
    requests: int
    capped: bool
    kinds: tuple[KindStats, ...]
    created: int
    conflicts: int
    retries: int
    unchanged: int
    abandoned: int
    error_count: int
    errors: tuple[dict[str, Any], ...]
    versions_before: int
    versions_after: int
    lost: int
    checks: tuple[Check, ...]

    @property
    def per_second(self) -> float:
        """Requests answered per second over the run."""
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def reason(self) -> str:
        """Why the run failed, in one line; empty if it passed."""
        if self.error_count:
            first = self.errors[0]
            return (f"{self.error_count} unexpected errors; first: {first['method']} "
                    f"{first['path']} -> {first['status']}: {first['detail']}")
        failed = [check for check in self.checks if not check.ok]
        if failed:
            return f"{len(failed)} checks failed; first: {failed[0].name}: {failed[0].detail}"
        return ""

    @property
    def ok(self) -> bool:
        """No unexpected error and every check passed."""
        return not self.reason

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the JSON output."""
        data = asdict(self)
        data.update(per_second=round(self.per_second, 1), ok=self.ok, reason=self.reason)
        return data


def kind_stats(tally: Tally) -> tuple[KindStats, ...]:
    """Per kind of request: count, statuses, and latency percentiles in ms."""
    found = []
    for kind in sorted(tally.latencies):
        seconds = np.asarray(tally.latencies[kind]) * 1000
        p50, p95, p99 = np.percentile(seconds, [50, 95, 99])
        statuses = {key.split(" ", 1)[1]: n for key, n in sorted(tally.statuses.items())
                    if key.split(" ", 1)[0] == kind}
        found.append(KindStats(kind, len(seconds), statuses, round(float(p50), 1),
                               round(float(p95), 1), round(float(p99), 1),
                               round(float(seconds.max()), 1)))
    return tuple(found)


def build_report(options: LoadOptions, database: str, run: ClientRun,
                 consistency: Consistency, extra: Sequence[Check]) -> LoadReport:
    """The report of a run from what the clients saw and what the database holds."""
    tally, kinds = run.tally, kind_stats(run.tally)
    backend = database.split(":", 1)[0].split("+", 1)[0]
    return LoadReport(
        backend, database, options.clients, options.seconds, round(run.elapsed, 2),
        sum(k.count for k in kinds), run.capped, kinds, len(tally.created), tally.conflicts,
        tally.retries, tally.unchanged, tally.abandoned, tally.error_count,
        tuple(tally.errors), run.versions_before, consistency.versions_after,
        consistency.lost, (*consistency.checks, *extra))


def format_report(report: LoadReport) -> str:
    """The report as the table printed at the end of a run."""
    lines = [
        f"zopa load test: {report.clients} clients, {report.seconds:g} s, {report.backend} "
        f"({report.database})",
        f"requests: {report.requests} in {report.elapsed:.1f} s = {report.per_second:.1f}/s"
        + (" (request cap reached)" if report.capped else ""),
        f"{'kind':<13} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        "  statuses",
    ]
    lines += [f"{k.kind:<13} {k.count:>7} {k.p50:>8.1f} {k.p95:>8.1f} {k.p99:>8.1f} "
              f"{k.max:>8.1f}  {' '.join(f'{s}:{n}' for s, n in k.statuses.items())}"
              for k in report.kinds]
    lines += [
        f"saves: {report.created} created (201), {report.conflicts} conflicts (409), "
        f"{report.retries} retries, {report.unchanged} unchanged (200), "
        f"{report.abandoned} given up after retries",
        f"errors: {report.error_count}",
        *(f"  {e['method']} {e['path']} -> {e['status']}: {e['detail']}"
          for e in report.errors[:10]),
        f"versions: {report.versions_before} before, {report.versions_after} after; "
        f"lost: {report.lost}",
        "checks:",
        *(f"  {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in report.checks),
        "result: " + ("PASS" if report.ok else f"FAIL: {report.reason}"),
    ]
    return "\n".join(lines)


# -- putting it together -----------------------------------------------------------------------
def run_load(options: LoadOptions) -> LoadReport:
    """Serve a fresh database, load it with the clients, stop the server, check the data."""
    with fresh_database(options) as url, tempfile.TemporaryDirectory() as folder:
        server = Server(url, Path(folder) / "server.log", options.scenario)
        server.start()
        try:
            run = asyncio.run(run_clients(server.base, options))
        finally:
            code = server.stop()
        problems = log_problems(server.log)
        extra = (Check("server stopped cleanly", code == 0, f"exit code {code}"),
                 Check("server log clean", not problems,
                       f"{len(problems)} error lines{': ' if problems else ''}"
                       f"{problems[:3] if problems else ''}"))
        consistency = check_database(url, options.scenario, run.tally.created,
                                     run.versions_before)
        shown = make_url(resolve_url(url)).render_as_string(hide_password=True)
        return build_report(options, shown, run, consistency, extra)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load test from the command line; 0 if it passed, else 1."""
    options, output = parse_options(argv)
    try:
        report = run_load(options)
    except Exception as error:  # no server, no database: the run failed, say why in a line
        print(f"load test failed: could not run: {type(error).__name__}: "
              f"{first_line(str(error))}", file=sys.stderr)
        return 1
    print(format_report(report))
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    if not report.ok:
        print(f"load test failed: {report.reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
