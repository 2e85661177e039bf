"""Monte Carlo speed: 10,000 runs per model on ukraine-2025, serially and on Dask.

Prints a table and writes it to the "## Monte Carlo" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/monte_carlo.py [--runs 10000] [--workers 2]

Each configuration runs once after a short warm-up (imports, caches). The Dask run
uses a LocalCluster with one single-threaded worker process per core; its time
includes handing the chunks to the workers but not starting the cluster, which a
user pays once per session. The results are checked to be identical to the serial
run's, bit for bit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np

from zopa.catalog import load_catalog_scenario
from zopa.models import REGISTRY, get_model
from zopa.simulation import Experiment, execute, summarize

MODELS = ("compromise", "expected_utility", "smp")
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADING = "## Monte Carlo"


def _time(function):  # noqa: ANN001, ANN202 - tiny local helper
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def _run(model: str, runs: int, workers: int, client) -> list[str]:  # noqa: ANN001
    scenario = load_catalog_scenario()
    experiment = Experiment(scenario, get_model(model), runs, seed=2026)
    execute(Experiment(scenario, get_model(model), 8, seed=1))  # warm-up
    serial, t_serial = _time(lambda: execute(experiment))
    address = client.scheduler.address
    chunks = 4 * workers
    on_dask, t_dask = _time(lambda: execute(experiment, executor="dask", workers=workers,
                                            dask_address=address, chunks=chunks))
    same = summarize(experiment, serial).same_as(summarize(experiment, on_dask))
    per_chunk = t_serial / chunks
    return [model, f"{runs:,}", f"{t_serial:.2f} s", f"{t_serial / runs * 1e3:.3f} ms",
            f"{t_dask:.2f} s", f"{t_serial / t_dask:.2f}x", f"{chunks} x {per_chunk:.2f} s",
            "identical" if same else "DIFFERENT"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    rows = []
    with Client(cluster) as client:
        client.run(lambda: __import__("zopa.simulation"))  # warm the workers' imports
        for model in MODELS:
            if model not in REGISTRY:
                rows.append([model, "-", "not registered", "", "", "", "", ""])
                continue
            rows.append(_run(model, args.runs, args.workers, client))
            print(" | ".join(rows[-1]), file=sys.stderr)
    cluster.close()
    header = ["model", "runs", "serial", "per run", f"Dask, {args.workers} workers",
              "speed-up", "chunks x serial time each", "results"]
    table = "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                      + ["| " + " | ".join(r) + " |" for r in rows])
    total = sum(float(r[2].split()[0]) for r in rows if r[2].endswith(" s"))
    text = (f"{HEADING}\n\n{args.runs:,} Monte Carlo runs of each model on `ukraine-2025` "
            "(every capability, ideal and salience drawn from its range, triangular), seed "
            f"2026. Serial total: {total:.1f} s.\n\nMachine: {dt.date.today()}; "
            f"{os.cpu_count()} CPUs; Python {platform.python_version()}; numpy "
            f"{np.__version__}.\n\n{table}\n\nReproduce: `.venv/bin/python "
            "benchmarks/monte_carlo.py` (writes this section).\n")
    print(text)
    content = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    content = pattern.sub(text + "\n", content) if pattern.search(content) else \
        content.rstrip() + "\n\n" + text
    DOCS.write_text(content)


if __name__ == "__main__":
    main()
