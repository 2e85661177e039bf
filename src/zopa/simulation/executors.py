"""Where the chunks of an experiment run: serially, in a process pool, or on Dask.

All three take the same chunks and return the same results in run order; only
this module knows about process pools and Dask. Progress is reported through an
optional callback ``progress(done_runs, total_runs)``.

On Dask, a worker that dies mid-run costs time, not results: the scheduler runs
its chunks again elsewhere (the nanny restarts it), and every chunk depends only
on its own seeds. A chunk that kills every worker it runs on, or a cluster left
without workers, ends the run with a :class:`~zopa.errors.ModelError`.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING, Literal

from zopa.errors import ModelError
from zopa.simulation.experiment import Chunk, ChunkResult, Experiment, run_chunk

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["EXECUTORS", "STALL_SECONDS", "STALL_VARIABLE", "execute", "stall_limit"]

ExecutorName = Literal["serial", "processes", "dask"]
EXECUTORS: tuple[str, ...] = ("serial", "processes", "dask")
Progress = Callable[[int, int], None]
CHUNKS_PER_WORKER = 4
STALL_SECONDS = 120.0
STALL_VARIABLE = "ZOPA_DASK_STALL_SECONDS"
# How often a waiting Dask run looks for workers: short against STALL_SECONDS, long
# against the cost of asking the scheduler.
POLL_SECONDS = 1.0


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


def stall_limit(seconds: float | None = None,
                environ: Mapping[str, str] | None = None) -> float:
    """The Dask stall timeout: ``seconds`` if given, else ``ZOPA_DASK_STALL_SECONDS``, else 120.

    Examples
    --------
    >>> stall_limit(environ={}), stall_limit(5), stall_limit(environ={STALL_VARIABLE: "30"})
    (120.0, 5.0, 30.0)
    """
    environ = os.environ if environ is None else environ
    text = environ.get(STALL_VARIABLE, "").strip()
    where = "stall_seconds" if seconds is not None else STALL_VARIABLE
    try:
        value = float(seconds if seconds is not None else text or STALL_SECONDS)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ModelError(f"{where} must be a positive number of seconds, "
                         f"got {seconds if seconds is not None else text!r}")
    return value


def _chunk_name(chunk: Chunk) -> str:
    """``chunk 2 (runs 40-59)``, runs numbered from 0, to name a chunk in messages."""
    last = chunk.start + len(chunk.seeds) - 1
    runs = f"runs {chunk.start}-{last}" if last > chunk.start else f"run {last}"
    return f"chunk {chunk.index} ({runs})"


def _killed_message(chunk: Chunk, error: Exception) -> str:
    # Dask gives up on a task after ``distributed.scheduler.allowed-failures`` workers
    # died while it was assigned to them (3 by default, so 4 deaths). Being assigned
    # includes waiting in a worker's queue: the chunk named may be a bystander of
    # the one that crashes, hence "or holding it".
    allowed = getattr(error, "allowed_failures", None)
    times = f"{allowed + 1} times" if isinstance(allowed, int) else "repeatedly"
    return (f"{_chunk_name(chunk)}: a Dask worker died {times} while running it (or holding "
            f"it in its queue), e.g. out of memory or a crash in native code; run the "
            f"experiment on the serial executor to see the error, or give the workers more "
            f"memory or use more, smaller chunks")


def _workers_connected(client: Client) -> bool:
    """Whether the scheduler has at least one worker; an unreachable scheduler has none."""
    try:
        return bool(client.nthreads())
    except OSError:  # includes Dask's CommClosedError and TimeoutError
        return False


def _fetch(future: Future, chunk: Chunk, stall: float) -> ChunkResult | None:
    """The chunk's result, or None if it could not be fetched yet.

    A fetch waits while the chunk's result, lost with a worker that died, is computed
    again; or, for up to Dask's connect timeout (30 s by default), while the scheduler
    tries to reach a worker that just died. Either way the run goes on; whether it is
    stalled is for the caller to judge.
    """
    from distributed import KilledWorker

    try:
        return future.result(timeout=stall)
    except KilledWorker as error:
        raise ModelError(_killed_message(chunk, error)) from None
    except TimeoutError:
        return None


def _next_finished(pending: set[Future], stall: float, where: str) -> list[Future]:
    """The futures among ``pending`` that finish (or fail) within the poll interval."""
    from distributed import CancelledError, wait

    try:
        finished, _ = wait(pending, timeout=min(POLL_SECONDS, stall),
                           return_when="FIRST_COMPLETED")
    except TimeoutError:
        return []
    except CancelledError as error:
        # Dask groups cancelled futures by reason, e.g. "scheduler-connection-lost".
        reasons = sorted({group.reason for group in getattr(error, "error_groups", [])})
        raise ModelError(f"the Dask run was cancelled ({', '.join(reasons) or 'no reason given'})"
                         f"; check that the scheduler at {where} is running and reachable, "
                         f"then run again") from None
    # wait() counts a future whose data was lost with its worker as done; the
    # scheduler is computing it again, so it is not finished. Failed chunks come
    # first: their error is at hand, while fetching a result may take a while.
    return sorted((future for future in finished if future.status != "lost"),
                  key=lambda future: future.status != "error")


def _collect(client: Client, chunks: list[Chunk], progress: Progress | None, total: int,
             stall: float, where: str) -> list[ChunkResult]:
    """Submit the chunks and gather their results as they finish, failing if the run stalls.

    The clock restarts whenever a chunk finishes or the scheduler has a worker: a long
    chunk on a live worker is not a stall, but a cluster left without workers (all
    killed, none able to restart, none ever started) is, and fails after ``stall`` s.
    """
    futures = client.map(run_chunk, chunks, pure=False)
    chunk_of = {future.key: chunk for future, chunk in zip(futures, chunks, strict=True)}
    pending, results, done = set(futures), [], 0
    del futures  # only pending futures stay referenced (see release() below)
    alive = time.monotonic()
    while pending:
        progressed = False
        for future in _next_finished(pending, stall, where):
            result = _fetch(future, chunk_of[future.key], stall)
            if result is None:
                continue  # stays pending: wait() reports it again once it can be fetched
            pending.discard(future)
            # Without a reference the scheduler forgets the result, so a worker that
            # dies later does not make it compute the chunk again for nothing.
            future.release()
            results.append(result)
            done += len(chunk_of[future.key].seeds)
            progressed = True
            if progress:
                progress(done, total)
        if progressed or _workers_connected(client):
            alive = time.monotonic()
        elif pending and time.monotonic() - alive > stall:
            raise ModelError(
                f"the Dask run stalled: no worker connected to the scheduler at {where} and "
                f"no chunk finished for {stall:g} s ({len(results)} of {len(chunks)} chunks "
                f"done); check that the workers run (or can restart) and reach the scheduler, "
                f"or wait longer with {STALL_VARIABLE}")
    return results


def _dask(chunks: list[Chunk], workers: int, address: str | None, progress: Progress | None,
          total: int, stall: float) -> list[ChunkResult]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ModelError("the dask executor needs the 'dask' extra: "
                         "pip install 'zopa[dask]'") from None
    cluster = None if address else LocalCluster(n_workers=workers, threads_per_worker=1,
                                                processes=True, dashboard_address=None)
    try:
        try:
            client = Client(address or cluster, timeout=10)
        except OSError as error:
            raise ModelError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        with client:
            where = address or f"{client.scheduler.address} (local cluster)"
            return _collect(client, chunks, progress, total, stall, where)
    finally:
        if cluster is not None:
            cluster.close()


def execute(experiment: Experiment, *, executor: ExecutorName = "serial", workers: int = 2,
            dask_address: str | None = None, chunks: int | None = None,
            progress: Progress | None = None,
            stall_seconds: float | None = None) -> list[ChunkResult]:
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
    dask_address
        Address of a running Dask scheduler, e.g. ``"tcp://10.0.0.5:8786"``.
    chunks
        Number of chunks; default ``4 x workers`` (1 chunk per 1 run for tiny experiments),
        so that scheduling overhead stays small against the work in each chunk.
    progress
        Called with ``(done_runs, total_runs)`` each time a chunk finishes.
    stall_seconds
        Dask only: how long a run may go without any chunk finishing *and* without any
        worker connected to the scheduler before it fails; default the environment
        variable ``ZOPA_DASK_STALL_SECONDS``, else :data:`STALL_SECONDS` (120 s). A
        long chunk on a live worker never counts as a stall.

    Raises
    ------
    ModelError
        On Dask: the scheduler cannot be reached, or cancelled the run (e.g. it died);
        workers kept dying while a chunk was on them (4 deaths with Dask's default
        ``allowed-failures`` of 3); the run stalled as above. A worker that
        dies now and then costs time, not results: its chunks run again elsewhere.
    """
    if executor not in EXECUTORS:
        raise ModelError(f"unknown executor {executor!r}; expected one of {list(EXECUTORS)}")
    if workers < 1:
        raise ModelError(f"expected at least 1 worker, got {workers}")
    stall = stall_limit(stall_seconds) if executor == "dask" else STALL_SECONDS
    parallel = 1 if executor == "serial" else workers
    planned = experiment.chunks(chunks or CHUNKS_PER_WORKER * parallel)
    total = experiment.runs
    if executor == "serial":
        results = _serial(planned, progress, total)
    elif executor == "processes":
        results = _processes(planned, workers, progress, total)
    else:
        results = _dask(planned, workers, dask_address, progress, total, stall)
    return sorted(results, key=lambda r: r.index)
