"""Benchmark: Stokman's exchange model (``exchange``) on Decide's example data.

Every input file shipped with Decide (``../shared/research-data/decide-exchange``) is
imported with ``zopa.formats.decide.import_decide`` and run for 10 rounds with the
model's defaults; then random scenarios of growing size. Times are the median of
several whole-model runs after one warm-up run (import excluded). For comparison, the
``decide-exchange-model`` package (Decimal arithmetic) took about 12 s for COP21 on the
machine the reference runs were recorded on (``../shared/tools/decide_reference.py``).

Usage (from the repository root)::

    .venv/bin/python benchmarks/exchange.py
    .venv/bin/python benchmarks/exchange.py --repeats 3

It prints a Markdown table and writes nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from zopa.formats.decide import import_decide
from zopa.models.base import SpatialData
from zopa.models.exchange import Exchange
from zopa.scenario.synthetic import random_scenario

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "research-data" / "decide-exchange"
FILES = ("cop21.csv", "copenhagen.csv", "sample_data.txt")
SIZES = ((20, 8), (40, 10), (60, 12))


def timed(data: SpatialData, repeats: int) -> tuple[float, int, int]:
    """Median seconds of a 10-round run, candidates and exchanges of the first round."""
    model = Exchange()
    run = model.simulate(data)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.simulate(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times), run.candidates[0], run.exchanges[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cases = [(name, SpatialData.from_scenario(import_decide(DATA / name))) for name in FILES
             if (DATA / name).exists()]
    cases += [(f"random {n} actors x {m} issues",
               SpatialData.from_scenario(random_scenario(n, m, 2, rng=n)))
              for n, m in SIZES]
    print("| data | actors x issues | candidates (round 1) | exchanges (round 1) "
          "| 10 rounds (s) |")
    print("|---|---|---|---|---|")
    for name, data in cases:
        seconds, candidates, exchanges = timed(data, args.repeats)
        print(f"| {name} | {data.n_actors} x {data.n_issues} | {candidates} | {exchanges} "
              f"| {seconds:.3f} |")


if __name__ == "__main__":
    main()
