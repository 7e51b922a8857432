"""What differs between the sync and async clients: sleeping, concurrency, default transport.

Written by hand, like ``bigc/_async/_backend.py``; the rest of ``bigc/_sync`` is
generated from ``bigc/_async`` by ``scripts/unasync.py``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from redis import Redis  # the quota's redis client

    from bigc._config import ClientConfig
    from bigc._models import Transport
    from bigc._ratelimit import RateLimiter

__all__ = [
    "Lookahead",
    "Redis",
    "default_transport",
    "ordered_map",
    "sleep",
    "sleep_until_answered",
]

T = TypeVar("T")
R = TypeVar("R")


# The page threads of a list that has been closed: their waits end at once.
_abandoned = threading.local()


class Abandoned(Exception):
    """Raised in a page thread that would wait for a list nobody reads any more."""


def sleep(seconds: float) -> None:
    """``time.sleep``, except in a page thread whose list was closed: it stops at once."""
    event: threading.Event | None = getattr(_abandoned, "event", None)
    if event is None:
        time.sleep(seconds)
    elif event.wait(seconds):
        raise Abandoned


def sleep_until_answered(limiter: RateLimiter, seconds: float) -> None:
    """Sleep ``seconds``, or less when the answer that other requests wait for comes."""
    answered = threading.Event()
    if not limiter.add_waker(answered.set):
        sleep(seconds)
        return
    try:
        answered.wait(seconds)
    finally:
        limiter.remove_waker(answered.set)


def _abandonable(event: threading.Event, fn: Callable[[T], R], item: T) -> R:
    """Run ``fn(item)`` in a page thread whose waits ``event`` can cut short."""
    _abandoned.event = event
    try:
        return fn(item)
    finally:
        _abandoned.event = None


def default_transport(config: ClientConfig | None = None) -> Transport:
    from bigc._urllib3_transport import Urllib3Transport

    return Urllib3Transport()


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], concurrency: int
) -> Generator[R, None, None]:
    """``fn`` over ``items`` on up to ``concurrency`` threads, results in order.

    Items are drawn lazily, so ``items`` may be endless; closing the generator
    cancels what has not started and waits for what is running.
    The first failure is raised in its turn.
    """
    if concurrency <= 1:
        for item in items:
            yield fn(item)
        return
    pending: deque[Future[R]] = deque()
    source = iter(items)
    exhausted = False
    closed = threading.Event()
    pool = ThreadPoolExecutor(concurrency, thread_name_prefix="bigc-pages")
    try:
        while True:
            while not exhausted and len(pending) < concurrency:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.append(pool.submit(_abandonable, closed, fn, item))
            if not pending:
                return
            yield pending.popleft().result()
    finally:
        # Requests not yet started are dropped, retries and rate-limit waits are
        # cut short, and a request already on the wire (a v2 list's read-ahead
        # past its end) is waited for: no request outlives the iteration.
        closed.set()
        pool.shutdown(wait=True, cancel_futures=True)


class Lookahead(Generic[T, R]):
    """Runs ``fetch`` for the next key while the consumer works on the last result."""

    def __init__(self, fetch: Callable[[T], R]) -> None:
        self._fetch = fetch
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future[R] | None = None
        self._closed = threading.Event()

    def start(self, key: T) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="bigc-lookahead")
        self._future = self._pool.submit(_abandonable, self._closed, self._fetch, key)

    def result(self) -> R:
        future, self._future = self._future, None
        if future is None:
            raise RuntimeError("Lookahead.result() before start()")
        return future.result()

    def close(self) -> None:
        """Drop the fetch the consumer no longer needs, waiting for it if it runs."""
        self._future = None
        self._closed.set()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
