"""Benchmark: exact Pareto frontier + Nash point of additive deal spaces.

zopa's issue-by-issue merge (``zopa.analysis.pareto.pareto_frontier``) against a
numpy brute force (every package evaluated by broadcasting, rational filter,
``nondominated_mask``) and against NegMAS 0.16 (``pareto_frontier`` +
``nash_points``), on random scenarios of the NegMAS-baseline family:
``T_i[j, p] = w[p, i] * U(0, 1)`` with each party's weights ``U(0, 1)`` normalised
to sum 1, reservations ``U(0.3, 0.5)``, scaled by ``2**40`` and rounded for zopa.

Every measurement runs in a fresh subprocess (``worker`` mode), so import costs,
caches and memory do not leak between tasks.

Usage (from the repository root)::

    .venv-bench/bin/python benchmarks/frontier.py            # default run, about a minute
    .venv-bench/bin/python benchmarks/frontier.py --full     # + NegMAS at 12x4 (~2 min, 6 GB)
    .venv-bench/bin/python benchmarks/frontier.py --no-write # print only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Deal-space frontier and Nash point"
UNIT = 2**40
SEED = 2026


# -- scenarios ------------------------------------------------------------------------------
def scenario(parties: int, issues: int, options: int, seed: int):
    """Float tables, int64 tables, float and int64 reservations of the baseline family."""
    rng = np.random.default_rng([seed, parties, issues, options])
    w = rng.uniform(0, 1, (parties, issues))
    w /= w.sum(axis=1, keepdims=True)
    floats = [w[:, i] * rng.uniform(0, 1, (options, parties)) for i in range(issues)]
    reserve = rng.uniform(0.3, 0.5, parties)
    fixed = [np.rint(t * UNIT).astype(np.int64) for t in floats]
    return floats, fixed, reserve, np.rint(reserve * UNIT).astype(np.int64)


# -- memory ---------------------------------------------------------------------------------
def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> int:
    """Reset the peak-RSS watermark (Linux); return the current RSS in kB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _status_kb("VmRSS")


# -- tasks (run inside the worker) ----------------------------------------------------------
def task_zopa(floats, fixed, reserve, floor, with_rv):
    from zopa.analysis.pareto import pareto_frontier

    points = pareto_frontier(fixed, floor=floor if with_rv else None)
    utilities = points.utilities / UNIT
    gains = utilities - (reserve if with_rv else 0.0)
    nash = utilities[int(np.argmax(np.prod(gains, axis=1)))] if len(points) else None
    return utilities, nash


def task_brute(floats, fixed, reserve, floor, with_rv):
    from zopa.analysis.pareto import pareto_brute_force

    points = pareto_brute_force(fixed, floor=floor if with_rv else None)
    utilities = points.utilities / UNIT
    gains = utilities - (reserve if with_rv else 0.0)
    nash = utilities[int(np.argmax(np.prod(gains, axis=1)))] if len(points) else None
    return utilities, nash


def _rational_count(fixed, floor) -> int:
    total = int(np.prod([t.shape[0] for t in fixed]))
    if floor is None:
        return total
    half = len(fixed) // 2
    head, tail = _sums(fixed[:half]), _sums(fixed[half:])
    count = 0
    for row in head:  # one head row at a time keeps memory small
        count += int(np.all(row + tail >= floor, axis=1).sum())
    return count


def _sums(tables):
    sums = np.zeros((1, tables[0].shape[1] if tables else 0), dtype=np.int64)
    for t in tables:
        sums = (sums[:, None, :] + t[None, :, :]).reshape(-1, t.shape[1])
    return sums


def task_negmas(floats, fixed, reserve, floor, with_rv):
    from negmas import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction, nash_points, pareto_frontier
    from negmas.preferences.value_fun import TableFun

    n, parties = len(floats), floats[0].shape[1]
    issues = [make_issue([f"o{j}" for j in range(t.shape[0])], name=f"i{i}")
              for i, t in enumerate(floats)]
    space = make_os(issues)
    ufuns = [LinearAdditiveUtilityFunction(
        values=[TableFun({f"o{j}": float(t[j, p]) for j in range(t.shape[0])}) for t in floats],
        weights=[1.0] * n, outcome_space=space,
        reserved_value=float(reserve[p]) if with_rv else 0.0) for p in range(parties)]
    frontier, _ = pareto_frontier(ufuns, issues=issues)
    # NegMAS replaces a reserved value below a ufun's minimum by that minimum; passing
    # ranges that start at 0 keeps the disagreement point at 0 without reservations,
    # the definition zopa's Nash point uses.
    ranges = [(0.0, float(sum(t[:, p].max() for t in floats))) for p in range(parties)]
    found = nash_points(ufuns, frontier, ranges=ranges, outcome_space=space)
    nash = np.array(found[0][0], dtype=float) if found else None
    return np.array(frontier, dtype=float).reshape(-1, parties), nash


TASKS = {"zopa": task_zopa, "brute": task_brute, "negmas": task_negmas}


def worker(args: argparse.Namespace) -> None:
    """Run one task ``--reps`` times in this process; write a JSON result file."""
    floats, fixed, reserve, floor = scenario(args.parties, args.issues, args.options, args.seed)
    task = TASKS[args.task]
    if args.task == "negmas":
        import negmas.preferences  # noqa: F401  (import cost is not part of the task)
    else:
        import zopa.analysis.pareto  # noqa: F401
    times, peak = [], 0
    for _ in range(args.reps):
        before = _reset_peak()
        start = time.perf_counter()
        utilities, nash = task(floats, fixed, reserve, floor, bool(args.rv))
        times.append(time.perf_counter() - start)
        peak = max(peak, _status_kb("VmHWM") - before)
    rational = None
    if args.task == "brute":  # counted outside the timed runs
        rational = _rational_count(fixed, floor if args.rv else None)
    frontier = sorted({tuple(np.round(u, 9)) for u in utilities.tolist()})
    result = {"times": times, "peak_mb": peak / 1024, "size": len(frontier),
              "rational": rational, "nash": None if nash is None else list(map(float, nash)),
              "frontier": frontier if len(frontier) <= 200_000 else None}
    Path(args.out).write_text(json.dumps(result))


# -- driver ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Config:
    parties: int
    issues: int
    options: int
    rv: bool

    @property
    def packages(self) -> int:
        return self.options**self.issues

    @property
    def label(self) -> str:
        return (f"{self.parties} parties, {self.issues}x{self.options}, "
                f"{'with' if self.rv else 'no'} reservations")


def run(task: str, config: Config, reps: int, seed: int = SEED) -> dict:
    """Run a task in a fresh interpreter and return its JSON result."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, __file__, "worker", "--task", task, "--parties",
               str(config.parties), "--issues", str(config.issues), "--options",
               str(config.options), "--rv", str(int(config.rv)), "--reps", str(reps),
               "--seed", str(seed), "--out", out]
    subprocess.run(command, check=True)
    result = json.loads(Path(out).read_text())
    os.unlink(out)
    result["median"] = statistics.median(result["times"])
    return result


def plan(full: bool) -> list[tuple[Config, dict[str, int]]]:
    """Configurations and, per task, how many timed repetitions."""
    rows = []
    for rv in (False, True):
        for issues, options in ((6, 3), (8, 4), (10, 4), (12, 4)):
            size = options**issues
            reps = {"zopa": 7 if size < 10**7 else 5, "brute": 5 if size < 10**6 else 3}
            if issues <= 10 or full:
                reps["negmas"] = 3 if size < 10**5 else 1
            rows.append((Config(3, issues, options, rv), reps))
        for parties in (3, 4):
            rows.append((Config(parties, 20, 4, rv), {"zopa": 3}))
    return rows


def same_frontier(a: list, b: list, tol: float = 1e-9) -> bool:
    """Same set of utility vectors, compared in float with an absolute tolerance."""
    if len(a) != len(b):
        return False
    x, y = np.array(sorted(a), dtype=float), np.array(sorted(b), dtype=float)
    return bool(x.size == 0 or np.max(np.abs(x - y)) <= tol)


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None else f"{a / b:,.0f}×"


def measure(full: bool) -> tuple[list[str], list[str]]:
    """Run every configuration; return the table rows and the check lines."""
    rows, checks = [], []
    for config, reps in plan(full):
        found = {task: run(task, config, n) for task, n in reps.items()}
        zopa = found["zopa"]
        brute, negmas = found.get("brute"), found.get("negmas")
        for name, other in (("brute force", brute), ("NegMAS", negmas)):
            if other is not None:
                ok = same_frontier(zopa["frontier"], other["frontier"])
                nash_ok = _close(zopa["nash"], other["nash"])
                checks.append(f"{config.label}: zopa == {name}: frontier "
                              f"{'OK' if ok else 'MISMATCH'} ({zopa['size']} vs {other['size']}),"
                              f" Nash {'OK' if nash_ok else 'MISMATCH'}")
                print(checks[-1], flush=True)
        rational = brute["rational"] if brute else (None if config.rv else config.packages)
        rows.append(_row(config, zopa, brute, negmas, rational))
        print(rows[-1], flush=True)
    return rows, checks


def _close(a: list | None, b: list | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(np.allclose(a, b, atol=1e-9, rtol=0))


def _row(config: Config, zopa: dict, brute: dict | None, negmas: dict | None,
         rational: int | None) -> str:
    b = brute["median"] if brute else None
    n = negmas["median"] if negmas else None
    cells = [f"{config.parties}", f"{config.issues}×{config.options}",
             "yes" if config.rv else "no", f"{config.packages:,}",
             "–" if rational is None else f"{rational:,}", f"{zopa['size']:,}",
             _ms(zopa["median"]), f"{zopa['peak_mb']:.0f}", _ms(b), _ms(n),
             _ratio(n, zopa["median"]), _ratio(b, zopa["median"])]
    return "| " + " | ".join(cells) + " |"


def spread(seeds: int) -> list[str]:
    """zopa at 20x4 over several seeds: the frontier size and the time vary a lot."""
    lines = []
    for parties in (3, 4):
        for rv in (False, True):
            config = Config(parties, 20, 4, rv)
            results = [run("zopa", config, 1, seed=s) for s in range(seeds)]
            times = [r["median"] for r in results]
            sizes = [r["size"] for r in results]
            cells = [f"{parties}", "yes" if rv else "no", f"{min(sizes):,}–{max(sizes):,}",
                     _ms(min(times)), _ms(statistics.median(times)), _ms(max(times)),
                     f"{max(r['peak_mb'] for r in results):.0f}"]
            lines.append("| " + " | ".join(cells) + " |")
            print(lines[-1], flush=True)
    return lines


HEADER = ("| parties | issues×options | reservations | packages | rational | frontier | "
          "zopa merge + Nash | zopa +MB | numpy brute force | NegMAS 0.16 | "
          "speed-up vs NegMAS | speed-up vs brute force |\n" + "|---" * 12 + "|")
SPREAD_HEADER = ("| parties | reservations | frontier sizes | fastest | median | slowest | "
                 "largest +MB |\n" + "|---" * 7 + "|")


def machine() -> str:
    try:
        import negmas

        negmas_version = negmas.__version__
    except ImportError:
        negmas_version = "not installed"
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path(
            "/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return (f"{date.today().isoformat()}; {os.cpu_count()} CPUs ({cpu}); "
            f"Python {platform.python_version()}; numpy {np.__version__}; "
            f"negmas {negmas_version}; {platform.system()} {platform.release()}")


def write(rows: list[str], checks: list[str], spread_rows: list[str], seeds: int,
          full: bool) -> str:
    text = f"""{HEADING}

Exact Pareto frontier and Nash point (argmax of the product of gains over the
reservations, or over zero without reservations) of random additive scenarios of
the NegMAS-baseline family (`T_i[j, p] = w[p, i] * U(0, 1)`, weights normalised per
party, reservations `U(0.3, 0.5)`, seed {SEED}). Times are medians of several runs,
each task in a fresh process; "+MB" is the peak resident-memory increase during the
task. "rational" counts the packages above every reservation (only where the brute
force ran). "–": not run (NegMAS beyond 10×4 needs `--full`; brute force stops at 12×4).

The generator follows the brief of the zopa benchmark; it is not the script
behind `../shared/docs/negmas-baseline.md`, so frontier sizes and rational counts
differ from that note (NegMAS's own times are comparable: 5.4 s there at 10×4 with
reservations, on another 2-core machine).

Machine: {machine()}.

{HEADER}
{chr(10).join(rows)}

Checks (frontiers compared as sets of utility vectors in float, tolerance 1e-9;
Nash points likewise):

{chr(10).join('- ' + c for c in checks)}

At 20×4 the frontier size, and with it the time, depends strongly on the scenario.
zopa over seeds 0–{seeds - 1} (one run each, fresh process):

{SPREAD_HEADER}
{chr(10).join(spread_rows)}

Reproduce: `python3 -m venv .venv-bench && .venv-bench/bin/pip install negmas==0.16.0 -e .`,
then `.venv-bench/bin/python benchmarks/frontier.py{' --full' if full else ''}`
(writes this section; `--full` adds NegMAS at 12×4, about 2 minutes and 6 GB per run).
"""
    _replace_section(text)
    return text


def _replace_section(text: str) -> None:
    old = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if HEADING in old:
        before, _, after = old.partition(HEADING)
        rest = after.split("\n## ", 1)
        old = before.rstrip() + "\n\n" + text + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        old = old.rstrip() + "\n\n" + text
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(old)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode")
    w = sub.add_parser("worker")
    for name in ("parties", "issues", "options", "rv", "reps", "seed"):
        w.add_argument(f"--{name}", type=int, required=True)
    w.add_argument("--task", choices=sorted(TASKS), required=True)
    w.add_argument("--out", required=True)
    parser.add_argument("--full", action="store_true", help="also NegMAS at 12x4")
    parser.add_argument("--no-write", action="store_true", help=f"do not update {DOC}")
    parser.add_argument("--seeds", type=int, default=10, help="seeds for the 20x4 spread")
    args = parser.parse_args(argv)
    if args.mode == "worker":
        worker(args)
        return
    started = time.perf_counter()
    rows, checks = measure(args.full)
    spread_rows = spread(args.seeds)
    print("\n" + HEADER + "\n" + "\n".join(rows))
    print("\n" + SPREAD_HEADER + "\n" + "\n".join(spread_rows))
    if not args.no_write:
        write(rows, checks, spread_rows, args.seeds, args.full)
        print(f"\nwrote {DOC.relative_to(ROOT)}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
