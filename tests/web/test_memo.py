"""The web app's memo: each result computed once, few computations at a time, no deadlock."""

from __future__ import annotations

import threading
import time

from zopa.web.memo import Memo, _OldestFirst

TIMEOUT = 10.0


def _wait_until(condition: object, seconds: float = TIMEOUT) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_concurrent_askers_share_one_computation() -> None:
    memo, calls = Memo(workers=2), []
    started = threading.Event()

    def slow() -> int:
        calls.append(1)
        started.set()
        time.sleep(0.05)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(memo.get("k", slow)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert results == [42] * 8 and len(calls) == 1


def test_no_more_computations_run_at_once_than_workers() -> None:
    memo, running, most = Memo(workers=2), [0], [0]
    lock = threading.Lock()

    def compute() -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1

    threads = [threading.Thread(target=memo.get, args=(k, compute)) for k in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert most[0] == 2


def test_a_computation_waiting_for_another_threads_result_gives_up_its_slot() -> None:
    """With one slot: the outer computation needs a result another thread has claimed
    but cannot start computing until the slot is free. Holding the slot while waiting
    would deadlock."""
    memo = Memo(workers=1)
    outer_started, answers = threading.Event(), {}

    def outer() -> int:
        outer_started.set()
        _wait_until(lambda: len(memo) == 2)  # the other thread has claimed "inner"
        return memo.get("inner", lambda: -1) + 1

    first = threading.Thread(target=lambda: answers.update(outer=memo.get("outer", outer)))
    first.start()
    outer_started.wait(TIMEOUT)
    second = threading.Thread(target=lambda: answers.update(inner=memo.get("inner", lambda: 41)))
    second.start()
    first.join(TIMEOUT)
    second.join(TIMEOUT)
    assert not first.is_alive() and not second.is_alive(), "deadlocked"
    assert answers == {"outer": 42, "inner": 41}


def test_nested_computations_in_one_thread_need_one_slot() -> None:
    memo = Memo(workers=1)
    assert memo.get("a", lambda: memo.get("b", lambda: memo.get("c", lambda: 3)) * 2) == 6


def test_the_request_clock_reaches_the_threads_that_compute() -> None:
    """Sync routes run in worker threads: the request's start time must travel there."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from zopa.web import memo as memo_module

    app = FastAPI()
    app.add_middleware(memo_module.RequestClock)

    @app.get("/started")
    def started() -> dict[str, float | None]:  # a sync route: runs in the thread pool
        return {"started": memo_module._STARTED.get()}

    before = time.monotonic()
    with TestClient(app) as client:
        seen = client.get("/started").json()["started"]
    assert seen is not None and before <= seen <= time.monotonic()


def test_a_freed_slot_goes_to_the_oldest_request() -> None:
    slots = _OldestFirst(1)
    order: list[float] = []
    slots.acquire(0.0)
    threads = [threading.Thread(target=lambda s=since: (slots.acquire(s), order.append(s),
                                                        slots.release()))
               for since in (3.0, 1.0, 2.0)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)  # let each one queue up, newest request first
    slots.release()
    for thread in threads:
        thread.join(TIMEOUT)
    assert order == [1.0, 2.0, 3.0]
