"""The quota interface the request loop paces with, and its in-memory default.

A client takes one slot per attempt (``acquire``), sleeps when told to
(``wait``) and gives the slot back with the answer's headers (``release``).
The in-memory quota paces one process; ``AsyncRedisQuota`` shares one quota
between processes and machines. The loop in ``_session`` never knows which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from bigc._ratelimit import RateLimiter, RateLimitStatus

from ._backend import sleep_until_answered

__all__ = ["AsyncLocalQuota", "AsyncQuota"]


@runtime_checkable
class AsyncQuota(Protocol):
    """What a client needs from a store's quota; implement it to pace another way."""

    @property
    def status(self) -> RateLimitStatus | None:
        """The store's quota as of the latest answer seen, ``None`` before any."""

    async def acquire(self) -> float:
        """Take a slot and return 0, or return how many seconds to wait before asking again."""

    async def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds`` (less when the quota may have changed)."""

    async def release(self, headers: Mapping[str, str] | None) -> None:
        """Give back a slot; ``headers`` of the answer, ``None`` when none came.

        Never raises: a call must not fail because its quota's bookkeeping did.
        """


class AsyncLocalQuota:
    """One process's pacing (the default): a :class:`RateLimiter` per client.

    ``spread=None`` (the default) sends what is left at once while this
    process is alone on the store and spreads it over the window once the
    headers show others spending the same quota; ``True`` always spreads,
    ``False`` never does (fast, and unfair to others on the store).
    """

    def __init__(self, limiter: RateLimiter | None = None, *, spread: bool | None = None) -> None:
        self.limiter = limiter or RateLimiter(spread=spread)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} status={self.status!r}>"

    @property
    def status(self) -> RateLimitStatus | None:
        return self.limiter.status

    async def acquire(self) -> float:
        return self.limiter.acquire()

    async def wait(self, seconds: float) -> None:
        await sleep_until_answered(self.limiter, seconds)

    async def release(self, headers: Mapping[str, str] | None) -> None:
        self.limiter.release(headers)
