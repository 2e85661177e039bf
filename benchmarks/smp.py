"""Benchmark: KTAB's Spatial Model of Politics (``smp``) on KTAB's own example data.

Every data set shipped with KTAB (``../shared/research-data/ktab/smp``) is
imported with ``zopa.formats.ktab.import_ktab_csv`` and run with the model's
defaults (KTAB's defaults) until the stopping rule holds. Times are the median
of several whole-model runs after one warm-up run (import excluded). Targets
are a tenth of the time KTAB's C++ ``smpc`` needs; the two logged KTAB runs
(2017, with SQLite logging) are shown where they exist, and for those the
script checks that the positions agree with the log within 0.1 at every turn.

Usage (from the repository root)::

    .venv/bin/python benchmarks/smp.py              # about half a minute
    .venv/bin/python benchmarks/smp.py --no-write   # print only
    .venv/bin/python benchmarks/smp.py --repeats 3

It replaces the section "SMP" of ``docs/benchmarks.md`` (appending it if
absent) and leaves every other section alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

import numpy as np

from zopa.formats.ktab import import_ktab_csv
from zopa.models.base import SpatialData
from zopa.models.smp import SmpRun, SpatialModelOfPolitics

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## SMP"
DATA = ROOT.parent / "shared" / "research-data" / "ktab" / "smp"
TESTS = ROOT / "tests" / "models" / "test_smp.py"

# data set, target in seconds (a tenth of smpc's time), KTAB's logged time in seconds
CASES: list[tuple[str, float | None, float | None]] = [
    ("dummyData_3Dim", None, 0.1609),
    ("SOE-Pol-Comp", 0.025, 1.2092),
    ("SOE-Policy", None, None),
    ("SOE-Competitive", None, None),
    ("dummyData_6Dim", 0.18, None),
    ("dummyData-a040", 0.42, None),
    ("dummyData-a080", 4.2, None),
    ("dummyData-a160", None, None),
]


@dataclass
class Result:
    name: str
    actors: int
    dims: int
    history: SmpRun
    seconds: float
    cpu: float
    target: float | None
    logged: float | None
    deviation: float | None


def load_test_module() -> ModuleType:
    """The test module, for its parser of KTAB's logged runs (one source of truth)."""
    spec = importlib.util.spec_from_file_location("smp_tests", TESTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def timed(data: SpatialData, repeats: int) -> tuple[float, float, SmpRun]:
    """Median wall and CPU seconds of ``repeats`` runs after a warm-up, and the history."""
    model = SpatialModelOfPolitics()
    history = model.simulate(data)
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        model.forecast(data)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), history


def deviation_from_log(name: str, actors: list[str], history: SmpRun,
                       tests: ModuleType) -> float | None:
    """Largest difference from KTAB's logged positions (inf if the turn counts differ)."""
    summary = DATA / "reference_runs" / f"{name}.summary.txt"
    if not summary.exists():
        return None
    logged = tests.parse_summary(summary)
    expected = logged.position_array(actors, logged.dimensions())
    if expected.shape != history.positions.shape:
        return float("inf")
    return float(np.abs(history.positions - expected).max())


def run(repeats: int) -> list[Result]:
    tests = load_test_module()
    results = []
    for name, target, logged in CASES:
        scenario = import_ktab_csv(DATA / f"{name}.csv")
        data = SpatialData.from_scenario(scenario)
        count = max(3, repeats // 3) if data.n_actors > 100 else repeats
        seconds, cpu, history = timed(data, count)
        actors = [party.name for party in scenario.parties]
        results.append(Result(name, data.n_actors, data.n_issues, history, seconds, cpu,
                              target, logged, deviation_from_log(name, actors, history, tests)))
        print(f"{name}: {seconds * 1000:.1f} ms", file=sys.stderr)
    return results


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(results: list[Result]) -> str:
    lines = ["| data set | actors × dims | states | converged | zopa (median) | CPU time "
             "| per turn | target | within target | KTAB log (2017) | max deviation from log |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        turns = r.history.turns
        within = "–" if r.target is None else ("yes" if r.seconds <= r.target else "**no**")
        deviation = "–" if r.deviation is None else f"{r.deviation:.2f}"
        lines.append(f"| {r.name} | {r.actors} × {r.dims} | {turns + 1} "
                     f"| {'yes' if r.history.converged else 'no'} | {_time(r.seconds)} "
                     f"| {_time(r.cpu)} "
                     f"| {_time(r.seconds / max(1, turns))} | {_time(r.target)} | {within} "
                     f"| {_time(r.logged)} | {deviation} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = f"; load average {os.getloadavg()[0]:.1f} at the end" if hasattr(os, "getloadavg") \
        else ""
    return (f"{date.today().isoformat()}; {os.cpu_count()} CPUs ({cpu}); Python "
            f"{platform.python_version()}; numpy {np.__version__}; {platform.system()} "
            f"{platform.release()}{load}.")


def section(results: list[Result], repeats: int) -> str:
    return f"""{HEADING}

KTAB's Spatial Model of Politics (`zopa.models.smp.SpatialModelOfPolitics`, KTAB's
defaults) on the example data shipped with KTAB, run until its stopping rule holds
(states = turns + 1). Times are wall-clock whole-model runs (risk attitudes, the O(n³)
challenge evaluation of every (challenger, target, third party) triple, bargains,
queue elections, stopping rule), median of {repeats} runs after a warm-up (3 for
160 actors), import excluded, one process; "CPU time" is the process time of the
same runs (less sensitive to other load on the machine: on a busy machine the wall
time can be twice the CPU time). "Target" is a tenth of the time of
KTAB's C++ `smpc`; "KTAB log" is the elapsed time in KTAB's own reference logs
(2017 hardware, multi-threaded, with SQLite logging), and for those two runs the
last column is the largest difference between zopa's and KTAB's positions over
every actor, dimension and turn (the log prints one decimal, so 0.05 is exact
agreement). Run `benchmarks/smp.py` to refresh.

Machine: {machine()}

{table(results)}
"""


def replace_section(text: str, new: str) -> str:
    """Replace the lines from ``## SMP`` up to the next ``## `` heading (or append)."""
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    results = run(args.repeats)
    print(table(results))
    if not args.no_write:
        text = DOC.read_text() if DOC.exists() else ""
        DOC.write_text(replace_section(text, section(results, args.repeats)))
        print(f"wrote the section {HEADING!r} of {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
