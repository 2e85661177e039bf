"""Benchmark: Bueno de Mesquita's expected-utility model on many issues at once.

Random issues (positions ``U(0, 100)``, capabilities ``U(0.1, 1)`` per actor,
saliences ``U(0.05, 1)`` per actor and issue, seed 2026) forecast by
``zopa.models.expected_utility.ExpectedUtility`` for exactly 10 rounds with several
option sets, and with the model's own stopping rule. The baseline is the test
suite's loop-by-loop oracle (pure Python, one issue at a time, written from the
equations), timed on a few issues and extrapolated; the script checks that it gives
the same positions. It also replays the 10-round EC-emissions trace of McKibben's
replication of Scholz's code.

Usage (from the repository root)::

    .venv/bin/python benchmarks/expected_utility.py             # about a minute
    .venv/bin/python benchmarks/expected_utility.py --no-write  # print only

It replaces the section "Expected-utility model" of ``docs/benchmarks.md``
(appending it if absent) and leaves the other sections alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import ModuleType

import numpy as np

from zopa.formats.bdm import import_bdm_csv, to_bdm_scale
from zopa.models.base import SpatialData
from zopa.models.expected_utility import ExpectedUtility

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Expected-utility model"
RESEARCH = ROOT.parent / "shared" / "research-data" / "bdm-eum"
ORACLE = ROOT / "tests" / "models" / "test_expected_utility.py"
SEED = 2026
ISSUES, ACTORS, ROUNDS = 350, 30, 10
ORACLE_ISSUES = 2
EC_MEDIANS = [7.0, 8.42, 9.61, 9.96, 9.96, 9.96, 7.47, 8.82, 9.67, 9.67, 7.0]


def random_issues(issues: int, actors: int, seed: int = SEED) -> SpatialData:
    rng = np.random.default_rng(seed)
    return SpatialData(
        tuple(f"actor{i}" for i in range(actors)), tuple(f"issue{k}" for k in range(issues)),
        rng.uniform(0.1, 1.0, actors), rng.uniform(0, 100, (actors, issues)),
        rng.uniform(0.05, 1.0, (actors, issues)), np.full(issues, np.nan))


def timed(model: ExpectedUtility, data: SpatialData, repeats: int) -> tuple[float, object]:
    """Median wall time of ``repeats`` runs after one warm-up, and the last forecast."""
    forecast = model.forecast(data)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        forecast = model.forecast(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times), forecast


def load_oracle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eum_oracle", ORACLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def oracle_rounds(data: SpatialData, model: ExpectedUtility) -> tuple[float, np.ndarray]:
    """Seconds per issue of the pure-Python oracle, and its final positions (n, issues)."""
    oracle = load_oracle()
    finals = []
    start = time.perf_counter()
    for k in range(data.n_issues):
        x = [float(v) for v in data.position[:, k]]
        spread = max(x) - min(x)
        for _ in range(ROUNDS):
            x = oracle.oracle_round(x, list(data.capability), list(data.salience[:, k]),
                                    spread, model)
        finals.append(x)
    return (time.perf_counter() - start) / data.n_issues, np.array(finals).T


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def measure(repeats: int) -> tuple[list[str], list[str]]:
    data = random_issues(ISSUES, ACTORS)
    fixed = dict(max_rounds=ROUNDS, stopping="rounds")
    cases = [
        ("default options", ExpectedUtility(**fixed)),
        ("Scholz preset", ExpectedUtility.scholz_replication(**fixed)),
        ("signed P, proposer's own r", ExpectedUtility(win_probability="signed",
                                                       risk_exponent_of="own", **fixed)),
        ("default, q = 0.5, t = 0.5, mean", ExpectedUtility(q=0.5, t=0.5, decision_rule="mean",
                                                            **fixed)),
    ]
    first = SpatialData(data.actors, data.issues[:ORACLE_ISSUES], data.capability,
                        data.position[:, :ORACLE_ISSUES], data.salience[:, :ORACLE_ISSUES],
                        data.status_quo[:ORACLE_ISSUES])
    per_issue, oracle_final = oracle_rounds(first, cases[0][1])
    baseline = per_issue * ISSUES
    rows, checks = [], []
    for label, model in cases:
        seconds, forecast = timed(model, data, repeats)
        rows.append(f"| {label} | {ISSUES} × {ACTORS} | {ROUNDS} (fixed) | {_seconds(seconds)} | "
                    f"{seconds / (ISSUES * ROUNDS) * 1e6:.0f} µs | "
                    f"{baseline / seconds:,.0f}× |")
        if label == "default options":
            gap = np.abs(forecast.trajectory[-1][:, :ORACLE_ISSUES] - oracle_final).max()
            checks.append(f"vectorised == pure-Python oracle on the first {ORACLE_ISSUES} "
                          f"issues after {ROUNDS} rounds: largest difference {gap:.1e} "
                          f"({'OK' if gap < 1e-9 else 'MISMATCH'})")
    seconds, forecast = timed(ExpectedUtility(), data, 1)
    rounds = forecast.outcomes.shape[0] - 1
    rows.append(f"| default, own stopping rule | {ISSUES} × {ACTORS} | up to {rounds} | "
                f"{_seconds(seconds)} | – | – |")
    checks.append(f"default stopping rule on the {ISSUES} random issues: "
                  f"{'; '.join(forecast.notes) or 'all settled'} (rounds played: {rounds})")
    rows.append(f"| pure-Python oracle (default options), extrapolated from {ORACLE_ISSUES} "
                f"issues | {ISSUES} × {ACTORS} | {ROUNDS} (fixed) | {_seconds(baseline)} | "
                f"{per_issue / ROUNDS * 1e6:,.0f} µs | 1× |")
    checks.append(trace_check())
    return rows, checks


def trace_check() -> str:
    path = RESEARCH / "ec_emissions_bdm1994__jmckib.csv"
    if not path.exists():
        return f"EC trace: data missing ({path})"
    scenario = import_bdm_csv(path)
    forecast = ExpectedUtility.scholz_replication(max_rounds=10).run(scenario)
    issue = scenario.issues[0]
    medians = [round(to_bdm_scale(issue, float(v)), 2) for v in forecast.outcomes[:, 0]]
    verdict = "reproduced" if medians == EC_MEDIANS else f"DIFFERENT: {medians}"
    return (f"EC emissions, Scholz preset, 10 rounds: weighted median "
            f"{' → '.join(f'{v:g}' for v in medians)} ({verdict})")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    info = Path("/proc/cpuinfo")
    for line in info.read_text().splitlines() if info.exists() else []:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return (f"{date.today().isoformat()}; {os.cpu_count()} CPUs ({cpu}); "
            f"Python {platform.python_version()}; numpy {np.__version__}; "
            f"{platform.system()} {platform.release()}")


TABLE_HEADER = ("| options | issues × actors | rounds | time | per issue-round | "
                "speed-up vs oracle |\n|---|---|---|---|---|---|")


def section(rows: list[str], checks: list[str], repeats: int) -> str:
    return f"""{HEADING}

`ExpectedUtility` (Bueno de Mesquita's model, Scholz et al. 2011 reading) on
{ISSUES} random issues with {ACTORS} actors each (positions `U(0, 100)`, capabilities
`U(0.1, 1)`, saliences `U(0.05, 1)`, seed {SEED}), all issues in one call. Times are
medians of {repeats} runs after a warm-up, in one process. The baseline is the test
suite's pure-Python oracle of one round (loops over actors and pairs, one issue at a
time), timed on {ORACLE_ISSUES} issues and scaled to {ISSUES}.

Machine: {machine()}.

{TABLE_HEADER}
{chr(10).join(rows)}

Checks:

{chr(10).join('- ' + c for c in checks)}

Reproduce: `.venv/bin/python benchmarks/expected_utility.py` (writes this section).
"""


def replace_section(text: str) -> None:
    old = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if HEADING in old:
        before, _, after = old.partition(HEADING)
        rest = after.split("\n## ", 1)
        new = before.rstrip() + "\n\n" + text + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        new = old.rstrip() + "\n\n" + text
    DOC.write_text(new)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help=f"do not update {DOC}")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per case")
    args = parser.parse_args(argv)
    rows, checks = measure(args.repeats)
    text = section(rows, checks, args.repeats)
    print(text)
    if not args.no_write:
        replace_section(text)
        print(f"updated {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
