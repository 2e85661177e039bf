"""Benchmark: latency of the web app's analysis endpoints on ``ukraine-2025``.

Starts ``zopa serve`` (uvicorn, loopback, a fresh SQLite store in a temporary folder)
in its own process, then a real HTTP client (httpx) measures, per endpoint:

* **first request**: the first time each distinct request is made (what the memo
  has not seen: a new version, or a package nobody asked about yet);
* **sequential**: 200 requests one after another, cycling over the named plans
  (and over one-option changes of them for the explorer);
* **20 concurrent clients**: 20 client processes, each with its own connection,
  sending 10 requests each, all starting at once.

Each latency is the wall time of one request (connection reused), p50 and p95 over
the requests. Target: p95 under 100 ms.

Usage (from the repository root)::

    .venv/bin/python benchmarks/web.py              # about a minute
    .venv/bin/python benchmarks/web.py --no-write   # print only

It replaces the section "Web app latency" of ``docs/benchmarks.md`` (appending it if
absent) and leaves every other section alone.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from zopa.catalog import load_catalog_scenario

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Web app latency"
SCENARIO = "ukraine-2025"
SEQUENTIAL = 200
CLIENTS = 20
PER_CLIENT = 10
TARGET_MS = 100.0
WARMING_SECONDS = 15
SERVE = "import typer; from zopa.cli.serve_cmd import serve; typer.run(serve)"


@dataclass(frozen=True)
class Endpoint:
    """One analysis endpoint and the requests cycled over."""

    label: str
    method: str
    path: str
    bodies: tuple[dict[str, Any] | None, ...] = (None,)


@dataclass(frozen=True)
class Result:
    label: str
    first: list[float]
    sequential: list[float]
    concurrent: list[float]
    cpu: float  # the server's CPU time per sequential request, ms (NaN where unknown)


def server_cpu_ms(pid: int) -> float:
    """CPU time (user + system) the server process has used so far, in ms (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _one_option_changes(count: int) -> list[dict[str, Any]]:
    """Packages the explorer asks for: a named plan with one issue set to another option."""
    scenario = load_catalog_scenario(SCENARIO)
    found = []
    for proposal in scenario.proposals:
        for issue in scenario.issues:
            for option in issue.option_ids:
                if option != proposal.option_for(issue.id):
                    found.append({"plan": proposal.id, "choices": {issue.id: option}})
    picked = np.random.default_rng(2026).choice(len(found), size=2 * count, replace=False)
    return [found[int(k)] for k in picked]


def endpoints(changes: list[dict[str, Any]]) -> list[Endpoint]:
    plans = tuple({"plan": p.id} for p in load_catalog_scenario(SCENARIO).proposals)
    base = f"/api/scenarios/{SCENARIO}"
    return [
        Endpoint("GET zopa", "GET", f"{base}/zopa"),
        Endpoint("GET frontier (first 100 points)", "GET", f"{base}/frontier?limit=100"),
        Endpoint("GET solutions (gains from zero)", "GET",
                 f"{base}/solutions?disagreement=zero"),
        Endpoint("GET timeline (365 days, every 30)", "GET", f"{base}/timeline"),
        Endpoint("GET clock", "GET", f"{base}/clock"),
        Endpoint("POST evaluate (7 named plans)", "POST", f"{base}/evaluate", plans),
        Endpoint("POST ratify (7 named plans)", "POST", f"{base}/ratify", plans),
        Endpoint("POST payers (7 named plans)", "POST", f"{base}/payers", plans),
        Endpoint("POST price-of-peace (7 named plans)", "POST", f"{base}/price-of-peace",
                 plans),
        Endpoint("POST deal (7 named plans)", "POST", f"{base}/deal", plans),
        Endpoint(f"POST deal (explorer: {len(changes)} one-option changes)", "POST",
                 f"{base}/deal", tuple(changes)),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(folder: Path) -> tuple[subprocess.Popen[str], str]:
    """``zopa serve`` on a free loopback port with a fresh store; wait until it answers."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("ZOPA_TOKEN", "ZOPA_DATABASE_URL")}
    process = subprocess.Popen([sys.executable, "-c", SERVE, "--port", str(port), "--db",
                                str(folder / "zopa.db")], env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{url}/api/models", timeout=10).raise_for_status()
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.2)
    time.sleep(WARMING_SECONDS)  # let the start-up warming finish: measure the steady state
    return process, url


def _send(client: httpx.Client, endpoint: Endpoint, body: dict[str, Any] | None) -> float:
    start = time.perf_counter()
    answer = client.request(endpoint.method, endpoint.path, json=body)
    elapsed = time.perf_counter() - start
    answer.raise_for_status()
    return elapsed * 1000


def first_requests(client: httpx.Client, endpoint: Endpoint) -> list[float]:
    return [_send(client, endpoint, body) for body in endpoint.bodies]


def sequential(client: httpx.Client, endpoint: Endpoint) -> list[float]:
    bodies: Iterator[dict[str, Any] | None] = itertools.cycle(endpoint.bodies)
    return [_send(client, endpoint, next(bodies)) for _ in range(SEQUENTIAL)]


def _client(url: str, tasks: Any, results: Any, barrier: Any) -> None:
    """One of the concurrent clients, in its own process: waits for the others, then sends."""
    with httpx.Client(base_url=url, timeout=120) as client:
        client.get("/api/models").raise_for_status()  # connected before the clock starts
        results.put("ready")
        while True:
            task = tasks.get()
            if task is None:
                return
            endpoint, bodies = task
            barrier.wait()
            found = []
            for body in bodies:
                found.append(_send(client, endpoint, body))
            results.put(found)


class Clients:
    """``CLIENTS`` client processes, each with its own connection, started once."""

    def __init__(self, url: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.tasks = context.Queue()
        self.results = context.Queue()
        self.barrier = context.Barrier(CLIENTS)  # kept: the children open it by name
        self.processes = [context.Process(target=_client, daemon=True,
                                          args=(url, self.tasks, self.results, self.barrier))
                          for _ in range(CLIENTS)]
        for process in self.processes:
            process.start()
        for _ in self.processes:  # every client started and connected: nothing else to load
            assert self.results.get(timeout=120) == "ready"

    def run(self, endpoint: Endpoint) -> list[float]:
        """Every client sends ``PER_CLIENT`` requests at once; all latencies."""
        for k in range(CLIENTS):
            bodies = [endpoint.bodies[(k * PER_CLIENT + j) % len(endpoint.bodies)]
                      for j in range(PER_CLIENT)]
            self.tasks.put((endpoint, bodies))
        return [value for _ in range(CLIENTS) for value in self.results.get(timeout=600)]

    def close(self) -> None:
        for _ in self.processes:
            self.tasks.put(None)
        for process in self.processes:
            process.join(30)


def cold_explorer(client: httpx.Client, changes: list[dict[str, Any]]) -> list[float]:
    """One-option changes nobody asked about before: the explorer's first-time latency."""
    deal = Endpoint("deal", "POST", f"/api/scenarios/{SCENARIO}/deal")
    return [_send(client, deal, body) for body in changes]


def run(count: int = 20) -> tuple[list[Result], list[float]]:
    changes = _one_option_changes(count)
    warm, fresh = changes[:count], changes[count:]
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(Path(folder))
        try:
            results = []
            clients = Clients(url)
            time.sleep(2)
            with httpx.Client(base_url=url, timeout=120) as client:
                for endpoint in endpoints(warm):
                    first = first_requests(client, endpoint)
                    before = server_cpu_ms(process.pid)
                    again = sequential(client, endpoint)
                    cpu = (server_cpu_ms(process.pid) - before) / len(again)
                    together = clients.run(endpoint)
                    results.append(Result(endpoint.label, first, again, together, cpu))
                    print(row(results[-1]), file=sys.stderr)
                cold = cold_explorer(client, fresh)
            clients.close()
        finally:
            process.terminate()
            process.wait(30)
    return results, cold


def _quantile(values: list[float], q: float) -> float:
    return float(np.quantile(np.array(values), q))


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def row(r: Result) -> str:
    first = (_ms(r.first[0]) if len(r.first) == 1
             else f"{_ms(statistics.median(r.first))} (max {_ms(max(r.first))})")
    return (f"| {r.label} | {first} | {_ms(_quantile(r.sequential, 0.5))} | "
            f"{_ms(_quantile(r.sequential, 0.95))} | {_ms(_quantile(r.concurrent, 0.5))} | "
            f"{_ms(_quantile(r.concurrent, 0.95))} | {r.cpu:.1f} |")


def table(results: list[Result]) -> str:
    head = ("| endpoint | first request, ms | sequential p50 | sequential p95 | "
            f"{CLIENTS} clients p50 | {CLIENTS} clients p95 | server CPU |\n"
            "|---|---|---|---|---|---|---|")
    return "\n".join([head, *(row(r) for r in results)])


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import fastapi
    import uvicorn

    load = (f"; load average {os.getloadavg()[0]:.1f} at the end"
            if hasattr(os, "getloadavg") else "")
    return (f"{date.today().isoformat()}; {os.cpu_count()} CPUs ({cpu}); Python "
            f"{platform.python_version()}; FastAPI {fastapi.__version__}; uvicorn "
            f"{uvicorn.__version__}; {platform.system()} {platform.release()}{load}")


def verdict(results: list[Result]) -> str:
    worst = max(max(_quantile(r.sequential, 0.95), _quantile(r.concurrent, 0.95))
                for r in results)
    met = "met" if worst < TARGET_MS else "NOT met"
    return (f"Target p95 < {TARGET_MS:.0f} ms: {met} (worst p95 {_ms(worst)} ms, "
            "sequential or concurrent, over the endpoints above).")


def section(results: list[Result], cold: list[float]) -> str:
    return f"""{HEADING}

The analysis endpoints of the web app (`zopa serve`: uvicorn, one process, the
embedded SQLite store) on `ukraine-2025`, measured by `benchmarks/web.py` with a real
HTTP client (httpx) over loopback, after the server's start-up warming. Each endpoint
gets its distinct requests once ("first request": median and max when there are
several), then {SEQUENTIAL} sequential requests, then {CLIENTS} concurrent clients
(separate processes, one connection each, released together) sending {PER_CLIENT}
requests each. Requests cycle over the 7 named plans, and for the explorer over
{len(results[-1].first)} packages that change one option of a plan. Latency is the
wall time of one request as the client sees it, in milliseconds. Results are memoised
per content hash (and package) and answered from memory on the event loop; the latest
version is read from the store at most once a second. "Server CPU" is the server
process's CPU time per sequential request, in milliseconds (unlike the latencies, it
does not depend on other load on the machine; the concurrent clients share its CPUs).
Run `benchmarks/web.py` to refresh.

Machine: {machine()}.

{table(results)}

{verdict(results)}

A package nobody has asked about yet costs a full evaluation. On `ukraine-2025` the
ZOPA is empty, and `evaluate_package` then derives the closest package from the whole
Pareto frontier: {len(cold)} new one-option changes, sequential, took p50
{_ms(_quantile(cold, 0.5))} ms and p95 {_ms(_quantile(cold, 0.95))} ms. The named
plans are warmed in the background when the server starts.
"""


def replace_section(text: str, new: str) -> str:
    """Replace the lines from the heading up to the next ``## `` heading (or append)."""
    lines = text.splitlines(keepends=True)
    start = next((k for k, line in enumerate(lines) if line.rstrip() == HEADING), None)
    if start is None:
        body = text.rstrip("\n")
        return (body + "\n\n" if body else "") + new
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")),
               len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + new + ("\n" + tail if tail else "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    results, cold = run()
    print(table(results))
    print(verdict(results))
    print(f"new one-option changes: p50 {_ms(_quantile(cold, 0.5))} ms, "
          f"p95 {_ms(_quantile(cold, 0.95))} ms")
    if not args.no_write:
        text = DOC.read_text() if DOC.exists() else ""
        DOC.write_text(replace_section(text, section(results, cold)))
        print(f"wrote the section {HEADING!r} of {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
