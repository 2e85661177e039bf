"""A bounded, thread-safe memo: each key computed once, concurrent askers wait for it.

Analyses of a scenario version are pure functions of its content hash, so their
results can be kept and shared between requests. Twenty clients asking for the
same frontier at once trigger one computation; the others wait for its result.
Errors are passed to every waiter and not kept, so a later request tries again.

At most ``workers`` computations run at once (by default one per core, at most two).
The analyses are CPU-bound Python and share one interpreter lock: forty request
threads computing side by side each get a fortieth of it, the event loop included, so
a request for a result already in memory would wait seconds behind them. A thread
gives up its slot while it waits for a result another thread is computing, so that a
computation that needs another one (an evaluation needs the ZOPA) cannot deadlock. A
freed slot goes to the computation whose request began first (:class:`RequestClock`).

Inside :func:`only_memory`, a result that is not ready raises :class:`NotInMemory`
instead of being computed or waited for: the web routes first try to answer from
memory on the event loop, and hand the request to a worker thread only when work
is needed (see :func:`zopa.web.deps.memory_first`).
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from zopa.web.asgi import ASGIApp, Receive, Scope, Send

__all__ = ["Memo", "NotInMemory", "RequestClock", "default_workers", "only_memory",
           "work_allowed"]

T = TypeVar("T")
_ONLY_MEMORY: ContextVar[bool] = ContextVar("zopa_web_only_memory", default=False)
_STARTED: ContextVar[float | None] = ContextVar("zopa_web_request_started", default=None)


class NotInMemory(Exception):
    """A result needs work (computing it, reading the database) while only memory is allowed."""


@contextmanager
def only_memory() -> Iterator[None]:
    """Within the block, answer from results already in memory or raise :class:`NotInMemory`."""
    token = _ONLY_MEMORY.set(True)
    try:
        yield
    finally:
        _ONLY_MEMORY.reset(token)


def work_allowed() -> bool:
    """False inside :func:`only_memory`."""
    return not _ONLY_MEMORY.get()


def _request_start() -> float:
    """When the current request began (now, outside a request: warm-up, jobs)."""
    started = _STARTED.get()
    return time.monotonic() if started is None else started


class RequestClock:
    """ASGI middleware noting when each request began, to serve the oldest first."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _STARTED.set(time.monotonic())  # copied into the worker threads
        try:
            await self.app(scope, receive, send)
        finally:
            _STARTED.reset(token)


class _OldestFirst:
    """A semaphore that hands each freed slot to the waiter whose request came first.

    ``threading.Semaphore`` lets a newcomer take a slot just released ahead of threads
    already waiting, and a plain queue sends a request that needs several results to
    the back each time it waits for one. Under load either can hold a request for tens
    of seconds; serving the oldest request first bounds its wait by the work that was
    asked for before it.
    """

    def __init__(self, value: int) -> None:
        self._lock = threading.Lock()
        self._value = value
        self._waiting: list[tuple[float, int, threading.Event]] = []
        self._arrivals = itertools.count()

    def acquire(self, since: float) -> None:
        with self._lock:
            if self._value > 0 and not self._waiting:
                self._value -= 1
                return
            turn = threading.Event()
            heapq.heappush(self._waiting, (since, next(self._arrivals), turn))
        turn.wait()  # release() has handed its slot to this thread

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                heapq.heappop(self._waiting)[2].set()
            else:
                self._value += 1


class _Slots:
    """A per-thread re-entrant limit on how many threads compute at once."""

    def __init__(self, workers: int) -> None:
        self._free = _OldestFirst(workers)
        self._held = threading.local()

    def _depth(self) -> int:
        return int(getattr(self._held, "depth", 0))

    @contextmanager
    def computing(self) -> Iterator[None]:
        """Hold a slot (once per thread, however deeply computations nest)."""
        depth = self._depth()
        if depth == 0:
            self._free.acquire(_request_start())
        self._held.depth = depth + 1
        try:
            yield
        finally:
            self._held.depth = depth
            if depth == 0:
                self._free.release()

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Give the slot back while waiting for another thread's result."""
        depth = self._depth()
        if depth:
            self._held.depth = 0
            self._free.release()
        try:
            yield
        finally:
            if depth:
                self._free.acquire(_request_start())
                self._held.depth = depth


def default_workers() -> int:
    """One computing thread per core, at most two (see the module's notes)."""
    return max(1, min(2, os.cpu_count() or 1))


class Memo:
    """Least-recently-used results, at most ``size`` of them.

    Examples
    --------
    >>> memo = Memo(size=2)
    >>> memo.get(("double", 2), lambda: 2 * 2)
    4
    >>> memo.get(("double", 2), lambda: 0)  # kept: not recomputed
    4
    >>> len(memo)
    1
    """

    def __init__(self, size: int = 256, workers: int | None = None) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, Future[Any]] = OrderedDict()
        self._slots = _Slots(workers or default_workers())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``key``, computing it with ``compute()`` if nobody has."""
        with self._lock:
            future = self._items.get(key)
            if not work_allowed() and (future is None or not future.done()):
                raise NotInMemory(key)
            owner = future is None
            if future is None:
                future = Future()
                self._items[key] = future
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
            else:
                self._items.move_to_end(key)
        if not owner:
            with self._slots.waiting():
                return future.result()  # type: ignore[no-any-return]
        try:
            with self._slots.computing():
                value = compute()
        except BaseException as error:
            with self._lock:
                if self._items.get(key) is future:
                    del self._items[key]
            future.set_exception(error)
            raise
        future.set_result(value)
        return value

    def clear(self) -> None:
        """Forget every result."""
        with self._lock:
            self._items.clear()
