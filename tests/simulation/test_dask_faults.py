"""Dask faults: a killed worker costs time, not results; a run never hangs.

Each test starts its own LocalCluster and passes its address as ``dask_address``
(the path a user with a cluster takes), so that the test can reach the workers
to kill them. Every wait is bounded by the stall timeout or by Dask's own
``allowed-failures``, so that a regression fails instead of blocking the suite.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import numpy as np
import pytest

from zopa.catalog import load_catalog_scenario
from zopa.errors import ModelError
from zopa.models import get_model
from zopa.scenario import Scenario
from zopa.simulation import Experiment, execute, run_experiment
from zopa.simulation.executors import STALL_VARIABLE, stall_limit

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def distributed() -> ModuleType:
    if os.environ.get("CI") == "true":
        return importlib.import_module("dask.distributed")  # CI installs the extra: missing fails
    return pytest.importorskip("dask.distributed", reason="the dask extra is not installed")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_catalog_scenario()


@pytest.fixture()
def cluster(distributed: ModuleType) -> Iterator[Any]:
    """Two single-threaded worker processes, each watched by a nanny that restarts it."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local


def _worker_pids(client: Any) -> dict[str, int]:
    return client.run(os.getpid)


def test_killed_worker_is_survived_with_identical_results(distributed: ModuleType,
                                                          cluster: Any,
                                                          scenario: Scenario) -> None:
    # "exchange" takes about 0.1 s a run here: 8 chunks of 4 runs keep both workers
    # busy for a few seconds, so the kill lands while chunks are running.
    model, runs, chunks = get_model("exchange"), 32, 8
    serial = run_experiment(scenario, model, runs=runs, seed=4, chunks=chunks)
    killed: list[int] = []
    with distributed.Client(cluster) as client:
        pids = _worker_pids(client)

        def kill_a_busy_worker(done: int, total: int) -> None:
            if killed:
                return
            busy = [address for address, keys in client.processing().items() if keys]
            assert busy, "no worker was running a chunk when the first one finished"
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(pids[busy[0]])

        on_dask = run_experiment(scenario, model, runs=runs, seed=4, chunks=chunks,
                                 executor="dask", dask_address=cluster.scheduler_address,
                                 progress=kill_a_busy_worker)
        assert len(killed) == 1
        assert on_dask.same_as(serial)
        client.wait_for_workers(2, timeout=30)  # the nanny started a new worker process
        assert killed[0] not in _worker_pids(client).values()


def _forecast_or_die(data: Any, rng: np.random.Generator) -> Any:
    """Run 0 kills the worker process that runs it (as an out-of-memory kill would)."""
    if rng.bit_generator.seed_seq.spawn_key == (0,):
        os._exit(1)
    return get_model("median").forecast(data, rng=rng)


class _ByValue:
    """Pickles a function of this module by value: the workers cannot import test modules."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function

    def __reduce__(self) -> tuple[Callable[[bytes], Any], tuple[bytes]]:
        import cloudpickle

        module = sys.modules[self.function.__module__]
        cloudpickle.register_pickle_by_value(module)
        try:
            return cloudpickle.loads, (cloudpickle.dumps(self.function),)
        finally:
            cloudpickle.unregister_pickle_by_value(module)


def test_chunk_that_kills_every_worker_is_a_clear_error(cluster: Any,
                                                        scenario: Scenario) -> None:
    # Two chunks on two workers: chunk 1 finishes at once on its own worker, so that
    # chunk 0 alone is blamed (Dask also counts deaths against chunks queued beside
    # the one that crashes).
    deadly = SimpleNamespace(forecast=_ByValue(_forecast_or_die))
    experiment = Experiment(scenario, deadly, runs=8, seed=2)  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(ModelError) as caught:
        execute(experiment, executor="dask", dask_address=cluster.scheduler_address, chunks=2,
                stall_seconds=30)
    message = str(caught.value)
    assert message.startswith("chunk 0 (runs 0-3): a Dask worker died 4 times while running it")
    assert "serial executor" in message and "\n" not in message
    assert time.monotonic() - started < 60


def _start(cli: str, *arguments: str) -> subprocess.Popen[bytes]:
    """A Dask scheduler or worker in its own process, as on a real cluster."""
    return subprocess.Popen([sys.executable, "-m", f"distributed.cli.{cli}", *arguments],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.kill()
        process.wait(timeout=30)


@pytest.fixture()
def lone_worker(distributed: ModuleType) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A scheduler and one worker process without a nanny: once killed, it stays dead."""
    with distributed.LocalCluster(n_workers=0, dashboard_address=None) as scheduler_only:
        address = scheduler_only.scheduler_address
        worker = _start("dask_worker", address, "--no-nanny", "--nthreads", "1",
                        "--death-timeout", "30")
        try:
            with distributed.Client(address) as client:
                client.wait_for_workers(1, timeout=30)
            yield address, worker
        finally:
            _stop(worker)


def test_workers_gone_for_good_stall_and_fail(lone_worker: tuple[str, subprocess.Popen[bytes]],
                                              scenario: Scenario) -> None:
    address, worker = lone_worker

    def kill_the_worker(done: int, total: int) -> None:
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)

    experiment = Experiment(scenario, get_model("exchange"), runs=24, seed=1)
    started = time.monotonic()
    with pytest.raises(ModelError, match=r"stalled: no worker .* for 2 s \(\d of 8 chunks"):
        execute(experiment, executor="dask", dask_address=address, chunks=8,
                progress=kill_the_worker, stall_seconds=2)
    assert worker.wait(timeout=10) == -signal.SIGKILL
    assert time.monotonic() - started < 20


def test_scheduler_killed_mid_run_is_a_clear_error(distributed: ModuleType, scenario: Scenario,
                                                   tmp_path: Path) -> None:
    file = str(tmp_path / "scheduler.json")
    scheduler = _start("dask_scheduler", "--scheduler-file", file, "--port", "0",
                       "--dashboard-address", ":0")
    worker = _start("dask_worker", "--scheduler-file", file, "--no-nanny", "--nthreads", "1",
                    "--death-timeout", "30")
    try:
        with distributed.Client(scheduler_file=file, timeout=30) as client:
            client.wait_for_workers(1, timeout=30)
            address = client.scheduler.address

        def kill_the_scheduler(done: int, total: int) -> None:
            if scheduler.poll() is None:
                scheduler.send_signal(signal.SIGKILL)

        experiment = Experiment(scenario, get_model("exchange"), runs=24, seed=1)
        started = time.monotonic()
        with pytest.raises(ModelError, match=r"cancelled \(scheduler-connection-lost\); check "
                                             r"that the scheduler at tcp://"):
            execute(experiment, executor="dask", dask_address=address, chunks=8,
                    progress=kill_the_scheduler, stall_seconds=30)
        assert time.monotonic() - started < 20
    finally:
        _stop(worker, scheduler)


def test_scheduler_without_workers_fails_after_the_stall_timeout(
        distributed: ModuleType, scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STALL_VARIABLE, "1.5")
    with distributed.LocalCluster(n_workers=0, dashboard_address=None) as empty:
        started = time.monotonic()
        with pytest.raises(ModelError, match=r"stalled: .* for 1.5 s \(0 of 2 chunks done\)"):
            run_experiment(scenario, get_model("median"), runs=4, chunks=2, executor="dask",
                           dask_address=empty.scheduler_address)
        assert time.monotonic() - started < 10


@pytest.mark.parametrize("text", ["0", "-3", "soon", "nan", "inf"])
def test_stall_timeout_must_be_a_positive_number(text: str) -> None:
    with pytest.raises(ModelError, match=STALL_VARIABLE):
        stall_limit(environ={STALL_VARIABLE: text})
    assert stall_limit(environ={STALL_VARIABLE: " 45 "}) == 45.0
    with pytest.raises(ModelError, match="stall_seconds"):
        stall_limit(0)
