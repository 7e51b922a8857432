"""What differs between the sync and async clients: sleeping, concurrency, default transport.

Written by hand, like ``bigc/_async/_backend.py``; the rest of ``bigc/_sync`` is
generated from ``bigc/_async`` by ``scripts/unasync.py``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from redis import Redis  # the quota's redis client

    from bigc._config import ClientConfig
    from bigc._models import Request, Response, Transport
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
_END: Any = object()


# The page threads of a list, and the list's ``_Closing``: their waits end when it closes.
_abandoned = threading.local()


class Abandoned(Exception):
    """Raised in a page thread that would wait for a list nobody reads any more."""


class _Closing:
    """Set when nobody reads a list any more; ends its page threads' waits at once.

    One condition serves both waits of a page thread, so that closing ends
    either: a plain sleep (a retry's backoff, the pace) and the wait for the
    answer other requests wait for (a new window's probe), which ``notify``
    ends early too.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._set = False

    def set(self) -> None:
        with self._changed:
            self._set = True
            self._changed.notify_all()

    def notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def wait(self, seconds: float, until: Callable[[], bool] = lambda: False) -> None:
        """Wait ``seconds``, or until ``until()``; raise :class:`Abandoned` once set."""
        with self._changed:
            self._changed.wait_for(lambda: self._set or until(), seconds)
            if self._set:
                raise Abandoned


def sleep(seconds: float) -> None:
    """``time.sleep``, except in a page thread whose list was closed: it stops at once."""
    closing: _Closing | None = getattr(_abandoned, "closing", None)
    if closing is None:
        time.sleep(seconds)
    else:
        closing.wait(seconds)


def sleep_until_answered(limiter: RateLimiter, seconds: float) -> None:
    """Sleep ``seconds``, or less when the answer that other requests wait for comes
    (or, in a page thread, when its list is closed)."""
    closing: _Closing | None = getattr(_abandoned, "closing", None)
    answered = threading.Event()

    def wake() -> None:
        answered.set()
        if closing is not None:
            closing.notify()

    if not limiter.add_waker(wake):
        sleep(seconds)
        return
    try:
        if closing is None:
            answered.wait(seconds)
        else:
            closing.wait(seconds, until=answered.is_set)
    finally:
        limiter.remove_waker(wake)


def _abandonable(closing: _Closing, fn: Callable[[T], R], item: T) -> R:
    """Run ``fn(item)`` in a page thread whose waits ``closing`` can cut short."""
    _abandoned.closing = closing
    try:
        return fn(item)
    finally:
        _abandoned.closing = None


def default_transport(config: ClientConfig | None = None) -> Transport:
    return FirstUseTransport()


class FirstUseTransport:
    """The default urllib3 transport, made at the client's first request.

    Importing urllib3 (and with it ssl and http.client) is most of what a
    sync client costs before it sends anything; a program that creates a
    client and may never use it, or a command line tool starting up, should
    not pay for it. Thread-safe: the first requests of several threads make
    one transport.
    """

    def __init__(self) -> None:
        self._transport: Transport | None = None
        self._closed = False
        self._lock = threading.Lock()

    def _made(self) -> Transport:
        with self._lock:
            if self._transport is None:
                from bigc._urllib3_transport import Urllib3Transport

                self._transport = Urllib3Transport()
                if self._closed:  # closed before its first request: it stays closed
                    self._transport.close()
            return self._transport

    def send(self, request: Request) -> Response:
        return (self._transport or self._made()).send(request)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._transport is not None:
                self._transport.close()

    def __repr__(self) -> str:
        return "<Urllib3Transport>"


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], concurrency: int, ahead: int = 0
) -> Generator[R, None, None]:
    """``fn`` over ``items`` on up to ``concurrency`` threads, results in order.

    Up to ``ahead`` finished results may wait for the consumer beyond the
    calls in flight, so a thread starts its next call as soon as it is free,
    not when the consumer takes a result: answers that arrive together do
    not hold the next requests back while the consumer works through them.
    With ``ahead=0`` the next call starts when a result is taken; with
    ``concurrency`` 1, one call at a time, when its result is asked for.
    Items are drawn lazily, so ``items`` may be endless; closing the generator
    cancels what has not started and waits for what is running.
    The first failure is raised in its turn.
    """
    if concurrency <= 1:
        for item in items:
            yield fn(item)
        return
    from concurrent.futures import ThreadPoolExecutor  # here: a sync user without lists

    pending: deque[Future[R]] = deque()
    source = iter(items)
    closed = _Closing()
    # ``concurrency`` threads: calls queued beyond them wait their turn, in order.
    pool = ThreadPoolExecutor(concurrency, thread_name_prefix="bigc-pages")

    def refill() -> None:
        while len(pending) < concurrency + ahead:
            item = next(source, _END)
            if item is _END:
                return
            pending.append(pool.submit(_abandonable, closed, fn, item))

    try:
        refill()
        while pending:
            result = pending.popleft().result()
            refill()
            yield result
    finally:
        # Requests not yet started are dropped, retries and rate-limit waits are
        # cut short, and a request already on the wire (a v2 list's read-ahead
        # past its end) is waited for: no request outlives the iteration.
        closed.set()
        pool.shutdown(wait=True, cancel_futures=True)


class Lookahead(Generic[T, R]):
    """Runs ``fetch`` for the next key while the consumer works on the last result.

    With ``ahead=False`` (a list read with ``concurrency`` 1) the fetch runs
    only when its result is asked for, in the caller's thread, as every other
    list does then.
    """

    def __init__(self, fetch: Callable[[T], R], ahead: bool = True) -> None:
        self._fetch = fetch
        self._ahead = ahead
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future[R] | None = None
        self._keys: list[T] = []  # without ahead: the key to fetch when asked (None is one)
        self._closed = _Closing()

    def start(self, key: T) -> None:
        if not self._ahead:
            self._keys = [key]
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(1, thread_name_prefix="bigc-lookahead")
        self._future = self._pool.submit(_abandonable, self._closed, self._fetch, key)

    def result(self) -> R:
        if self._keys:
            return self._fetch(self._keys.pop())
        future, self._future = self._future, None
        if future is None:
            raise RuntimeError("Lookahead.result() before start()")
        return future.result()

    def close(self) -> None:
        """Drop the fetch the consumer no longer needs, waiting for it if it runs."""
        self._keys = []
        self._future = None
        self._closed.set()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
