"""A bounded, thread-safe memo: each key computed once, concurrent askers wait for it.

Analyses of a scenario version are pure functions of its content hash, so their
results can be kept and shared between requests. Twenty clients asking for the
same frontier at once trigger one computation; the others wait for its result.
Errors are passed to every waiter and not kept, so a later request tries again.

Inside :func:`only_memory`, a result that is not ready raises :class:`NotInMemory`
instead of being computed or waited for: the web routes first try to answer from
memory on the event loop, and hand the request to a worker thread only when work
is needed (see :func:`zopa.web.deps.memory_first`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

__all__ = ["Memo", "NotInMemory", "only_memory", "work_allowed"]

T = TypeVar("T")
_ONLY_MEMORY: ContextVar[bool] = ContextVar("zopa_web_only_memory", default=False)


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

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, Future[Any]] = OrderedDict()

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
            return future.result()  # type: ignore[no-any-return]
        try:
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
