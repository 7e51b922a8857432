"""What differs between the async and sync clients: sleeping, concurrency, default transport.

This file and ``bigc/_sync/_backend.py`` are written by hand; every other module
in ``bigc/_async`` is turned into its ``bigc/_sync`` twin by ``scripts/unasync.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from redis.asyncio import Redis as AsyncRedis  # the quota's redis client

    from bigc._config import ClientConfig
    from bigc._models import AsyncTransport
    from bigc._ratelimit import RateLimiter

__all__ = [
    "AsyncRedis",
    "Lookahead",
    "default_transport",
    "ordered_map",
    "sleep",
    "sleep_until_answered",
]

T = TypeVar("T")
R = TypeVar("R")
_END: Any = object()


async def sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def sleep_until_answered(limiter: RateLimiter, seconds: float) -> None:
    """Sleep ``seconds``, or less when the answer that other requests wait for comes.

    A future per waiter, resolved from whichever thread or loop releases the
    slot: nothing polls, and a client reused under another loop still works.
    """
    loop = asyncio.get_running_loop()
    answered: asyncio.Future[None] = loop.create_future()

    def resolve() -> None:
        if not answered.done():
            answered.set_result(None)

    def wake() -> None:
        with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits there
            loop.call_soon_threadsafe(resolve)

    if not limiter.add_waker(wake):
        await asyncio.sleep(seconds)
        return
    try:
        await asyncio.wait((answered,), timeout=seconds)
    finally:
        limiter.remove_waker(wake)
        answered.cancel()


def default_transport(config: ClientConfig | None = None) -> AsyncTransport:
    """An aiohttp transport; aiohttp is imported only here, when first needed."""
    from bigc._aiohttp_transport import AiohttpTransport

    return AiohttpTransport()


async def ordered_map(
    fn: Callable[[T], Awaitable[R]], items: Iterable[T], concurrency: int, ahead: int = 0
) -> AsyncGenerator[R, None]:
    """``fn`` over ``items`` with up to ``concurrency`` calls in flight, results in order.

    Up to ``ahead`` finished results may wait for the consumer beyond the
    calls in flight, so a call starts as soon as another finishes, not when
    the consumer takes its result: answers that arrive together do not hold
    the next requests back while the consumer works through them. With
    ``ahead=0`` the next call starts when a result is taken; with
    ``concurrency`` 1, one call at a time, when its result is asked for.
    Items are drawn lazily, so ``items`` may be endless; closing the generator
    cancels what is still in flight. The first failure is raised in its turn.
    """
    if concurrency <= 1:  # as the sync twin: nothing runs while the consumer works
        for item in items:
            yield await fn(item)
        return
    pending: deque[asyncio.Task[R]] = deque()
    source = iter(items)
    running = asyncio.Semaphore(concurrency)

    async def call(item: T) -> R:
        async with running:  # tasks wait here in the order they were made
            return await fn(item)

    def refill() -> None:
        while len(pending) < concurrency + ahead:
            item = next(source, _END)
            if item is _END:
                return
            pending.append(asyncio.ensure_future(call(item)))

    try:
        refill()
        while pending:
            result = await pending.popleft()
            refill()
            # Awaiting a finished task does not give the loop a turn: without
            # one, the calls just started (or woken) would not send their
            # requests until the consumer had worked through every page ready.
            await asyncio.sleep(0)
            yield result
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)


class Lookahead(Generic[T, R]):
    """Runs ``fetch`` for the next key while the consumer works on the last result.

    With ``ahead=False`` (a list read with ``concurrency`` 1) the fetch runs
    only when its result is asked for, as every other list does then.
    """

    def __init__(self, fetch: Callable[[T], Awaitable[R]], ahead: bool = True) -> None:
        self._fetch = fetch
        self._ahead = ahead
        self._task: asyncio.Task[R] | None = None
        self._keys: list[T] = []  # without ahead: the key to fetch when asked (None is one)

    def start(self, key: T) -> None:
        if self._ahead:
            self._task = asyncio.ensure_future(self._fetch(key))
        else:
            self._keys = [key]

    async def result(self) -> R:
        if self._keys:
            return await self._fetch(self._keys.pop())
        task, self._task = self._task, None
        if task is None:
            raise RuntimeError("Lookahead.result() before start()")
        return await task

    async def aclose(self) -> None:
        """Cancel a fetch still running (the consumer stopped early)."""
        self._keys = []
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
