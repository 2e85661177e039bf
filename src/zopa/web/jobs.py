"""Monte Carlo experiments started from the web, run in background threads, with progress.

``POST`` starts a job and answers with its id at once; a thread runs
:func:`zopa.simulation.run_experiment` with a progress callback that updates the
job; ``GET`` reads its progress and, when done, its result. The number of runs
per job and of jobs running at once are bounded; beyond either, the request is
refused with a message saying so. Finished jobs are kept (the latest ``keep``).
"""

from __future__ import annotations

import logging
import math
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from zopa.errors import ZopaError
from zopa.models import get_model
from zopa.simulation import QUANTILES, ExperimentSummary, run_experiment
from zopa.web.service import NotFoundError, Target

__all__ = ["Jobs"]

logger = logging.getLogger(__name__)
PROGRESS_STEPS = 50


class _Cancelled(Exception):
    """Raised from the progress callback to stop a job when the server shuts down."""


@dataclass(slots=True)
class _Job:
    id: str
    scenario: dict[str, Any]
    model: str
    runs: int
    seed: int
    status: str = "running"
    done: int = 0
    error: str | None = None
    result: dict[str, Any] | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    def snapshot(self) -> dict[str, Any]:
        return {"id": self.id, "scenario": self.scenario, "model": self.model,
                "runs": self.runs, "seed": self.seed, "status": self.status,
                "done": self.done, "total": self.runs, "error": self.error,
                "result": self.result}


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def summary_data(summary: ExperimentSummary) -> dict[str, Any]:
    """An experiment's summary as plain data (quantiles per issue; NaN as null)."""
    return {
        "model": summary.model, "runs": summary.runs, "quantile_levels": list(QUANTILES),
        "quantiles": {issue: summary.quantiles[:, k].tolist()
                      for k, issue in enumerate(summary.issues)},
        "option_probabilities": summary.option_probabilities,
        "converged": summary.converged,
        "metrics": {name: _finite(value) for name, value in summary.metrics.items()},
        "provenance": summary.provenance,
    }


class Jobs:
    """The Monte Carlo jobs of one app.

    Parameters
    ----------
    max_runs
        Most runs one job may ask for.
    max_jobs
        Most jobs running at once.
    keep
        How many jobs (finished or not) to remember.
    """

    def __init__(self, *, max_runs: int, max_jobs: int, keep: int = 100) -> None:
        self.max_runs = max_runs
        self.max_jobs = max_jobs
        self._keep = keep
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._closing = threading.Event()

    def start(self, target: Target, model_name: str, runs: int, seed: int) -> dict[str, Any]:
        """Start a job and return its first snapshot.

        Raises
        ------
        ZopaError
            Too many runs, too many jobs running, the server shutting down, or an
            unknown model (:class:`~zopa.errors.ModelError`).
        """
        if runs > self.max_runs:
            raise ZopaError(f"runs: expected at most {self.max_runs:,} runs per experiment, "
                            f"got {runs:,}")
        model = get_model(model_name)
        version = target.version
        job = _Job(uuid.uuid4().hex, {"name": version.name, "number": version.number,
                                      "id": version.id}, model_name, runs, seed)
        with self._lock:
            if self._closing.is_set():
                raise ZopaError("the server is shutting down; start the experiment again later")
            running = sum(1 for j in self._jobs.values() if j.status == "running")
            if running >= self.max_jobs:
                raise ZopaError(f"{running} Monte Carlo experiment(s) are already running, the "
                                f"most this server runs at once; wait for one to finish")
            self._jobs[job.id] = job
            self._forget_old()
            job.thread = threading.Thread(target=self._run, args=(job, target, model),
                                          name=f"zopa-experiment-{job.id[:8]}", daemon=True)
            job.thread.start()
            return job.snapshot()

    def get(self, job_id: str) -> dict[str, Any]:
        """A job's current state.

        Raises
        ------
        NotFoundError
            If no job has that id (or it was forgotten).
        """
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise NotFoundError(f"no experiment with id {job_id!r} (ids are kept for the "
                                    f"latest {self._keep} experiments)")
            return job.snapshot()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the running jobs (at their next progress report) and wait for them."""
        self._closing.set()
        with self._lock:
            threads = [j.thread for j in self._jobs.values() if j.thread is not None]
        for thread in threads:
            thread.join(timeout)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.status != "running"]
        while len(self._jobs) > self._keep and finished:
            del self._jobs[finished.pop(0)]

    def _progress(self, job: _Job, done: int, total: int) -> None:
        if self._closing.is_set():
            raise _Cancelled
        with self._lock:
            job.done = done

    def _run(self, job: _Job, target: Target, model: Any) -> None:
        try:
            summary = run_experiment(target.scenario, model, runs=job.runs, seed=job.seed,
                                     chunks=min(job.runs, PROGRESS_STEPS),
                                     progress=lambda done, total: self._progress(job, done,
                                                                                 total))
            result, status, error = summary_data(summary), "done", None
        except _Cancelled:
            result, status, error = None, "cancelled", "stopped: the server shut down"
        except ZopaError as failure:
            result, status, error = None, "failed", str(failure)
        except Exception:
            logger.exception("experiment %s failed", job.id)
            result, status, error = None, "failed", "the experiment failed; see the server log"
        with self._lock:
            job.result, job.status, job.error = result, status, error
            if status == "done":
                job.done = job.runs
