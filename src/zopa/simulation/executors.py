"""Where the chunks of an experiment run: serially, in a process pool, or on Dask.

All three take the same chunks and return the same results in run order; only
this module knows about process pools and Dask. Progress is reported through an
optional callback ``progress(done_runs, total_runs)``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Literal

from zopa.errors import ModelError
from zopa.simulation.experiment import Chunk, ChunkResult, Experiment, run_chunk

__all__ = ["EXECUTORS", "execute"]

ExecutorName = Literal["serial", "processes", "dask"]
EXECUTORS: tuple[str, ...] = ("serial", "processes", "dask")
Progress = Callable[[int, int], None]
CHUNKS_PER_WORKER = 4


def _serial(chunks: list[Chunk], progress: Progress | None, total: int) -> list[ChunkResult]:
    results, done = [], 0
    for chunk in chunks:
        results.append(run_chunk(chunk))
        done += len(chunk.seeds)
        if progress:
            progress(done, total)
    return results


def _processes(chunks: list[Chunk], workers: int, progress: Progress | None,
               total: int) -> list[ChunkResult]:
    context = multiprocessing.get_context("spawn")
    results, done = [], 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(run_chunk, chunk): chunk for chunk in chunks}
        for future in as_completed(futures):
            results.append(future.result())
            done += len(futures[future].seeds)
            if progress:
                progress(done, total)
    return results


def _dask(chunks: list[Chunk], workers: int, address: str | None, progress: Progress | None,
          total: int) -> list[ChunkResult]:
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise ModelError("the dask executor needs the 'dask' extra: "
                         "pip install 'zopa[dask]'") from None
    cluster = None if address else LocalCluster(n_workers=workers, threads_per_worker=1,
                                                processes=True, dashboard_address=None)
    try:
        with Client(address or cluster, timeout=10) as client:
            futures = client.map(run_chunk, chunks, pure=False)
            sizes = {f.key: len(c.seeds) for f, c in zip(futures, chunks, strict=True)}
            results, done = [], 0
            for future in dask_completed(futures):
                results.append(future.result())
                done += sizes[future.key]
                if progress:
                    progress(done, total)
            return results
    except OSError as error:
        raise ModelError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    finally:
        if cluster is not None:
            cluster.close()


def execute(experiment: Experiment, *, executor: ExecutorName = "serial", workers: int = 2,
            dask_address: str | None = None, chunks: int | None = None,
            progress: Progress | None = None) -> list[ChunkResult]:
    """Run an experiment's chunks on an executor and return the results in run order.

    Parameters
    ----------
    experiment
        What to run.
    executor
        ``"serial"``, ``"processes"`` or ``"dask"`` (a LocalCluster with ``workers``
        workers, or the cluster at ``dask_address``).
    workers
        Processes or Dask workers.
    chunks
        Number of chunks; default ``4 x workers`` (1 chunk per 1 run for tiny experiments),
        so that scheduling overhead stays small against the work in each chunk.
    """
    if executor not in EXECUTORS:
        raise ModelError(f"unknown executor {executor!r}; expected one of {list(EXECUTORS)}")
    if workers < 1:
        raise ModelError(f"expected at least 1 worker, got {workers}")
    parallel = 1 if executor == "serial" else workers
    planned = experiment.chunks(chunks or CHUNKS_PER_WORKER * parallel)
    total = experiment.runs
    if executor == "serial":
        results = _serial(planned, progress, total)
    elif executor == "processes":
        results = _processes(planned, workers, progress, total)
    else:
        results = _dask(planned, workers, dask_address, progress, total)
    return sorted(results, key=lambda r: r.index)
