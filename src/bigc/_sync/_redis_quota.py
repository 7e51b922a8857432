# Generated from bigc/_async/_redis_quota.py by scripts/unasync.py: edit that file instead.
"""``RedisQuota``: one store's quota shared by every process that uses the store.

BigCommerce's quota is per store, so Celery workers, web processes and cron
jobs on several machines all spend one pool. Through one Redis they share
one view of it: the scripts in ``bigc._redis_scripts`` count the requests in
flight (as leases that expire if a process dies) and keep the latest report
of the server, which always overrides the shared estimate.

Redis must never be the reason a call fails: when it cannot be reached the
quota paces this process alone (with everything it learned so far), warns
once, and tries Redis again every ``retry_redis_after`` seconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bigc._ratelimit import SHORT_WAIT, RateLimiter, RateLimitStatus
from bigc._redis_scripts import (
    ACQUIRE,
    GRACE_MS,
    KEEP_MS,
    RELEASE,
    TURN_WAIT_MS,
    redis_errors,
    release_args,
)

from ._backend import sleep_until_answered, undone_if_cancelled

if TYPE_CHECKING:
    from ._backend import Redis

__all__ = ["RedisQuota"]

logger = logging.getLogger("bigc")

# How soon a request asks again while another request of its process asks Redis.
ASK_GAP = 0.005


def _positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a number of seconds > 0, got {value!r}")
    if value == float("inf"):
        raise ValueError(f"{name} must be finite")
    return float(value)


def _check_redis(redis: object) -> None:
    """Refuse what is not a Redis client, or one that could wait forever for an answer.

    A Redis that accepts connections but never answers (overloaded, or cut
    off without a reset) would hold every call past its ``Timeout``: the
    quota has no other way to give up on a blocking read. Clients we cannot
    look into (clusters, stand-ins) are taken as they are.
    """
    if not callable(getattr(redis, "register_script", None)):
        # Only the type: a URL passed by mistake would show its password.
        raise TypeError(f"redis must be a redis-py client, not {type(redis).__name__}")
    pool = getattr(redis, "connection_pool", None)
    kwargs = getattr(pool, "connection_kwargs", None)
    if isinstance(kwargs, dict) and kwargs.get("socket_timeout") is None:
        raise ValueError(
            "redis must be made with a socket_timeout (e.g. redis.Redis(..., socket_timeout=1)):"
            " without one, a Redis that stops answering holds calls past their Timeout"
        )


class RedisQuota:
    """Pace every client of ``store_hash`` through one Redis (``redis.asyncio.Redis``).

    Pass it as ``quota=`` to the client of that store. ``lease`` is how long a
    request in flight counts if its process dies before answering: keep it
    longer than your read timeout. Keys are ``{prefix}:{{store_hash}}:*``.
    The Redis client must have a ``socket_timeout`` (``ValueError`` otherwise):
    a Redis that hangs delays calls until it times out (one that is down fails
    fast and is skipped).
    """

    def __init__(
        self,
        redis: Redis,
        store_hash: str,
        *,
        prefix: str = "bigc:quota",
        lease: float = 90.0,
        retry_redis_after: float = 5.0,
    ) -> None:
        if not isinstance(store_hash, str) or not store_hash:
            raise ValueError(f"store_hash must be a non-empty str, got {store_hash!r}")
        if not isinstance(prefix, str):
            # b"app" would make keys "b'app':..." that a str prefix never meets.
            raise TypeError(f"prefix must be a str, not {type(prefix).__name__}")
        if not prefix:
            raise ValueError("prefix must not be empty")
        _check_redis(redis)
        self.store_hash = store_hash
        self.redis = redis
        self._lease_ms = int(_positive(lease, "lease") * 1000)
        self._retry_after = _positive(retry_redis_after, "retry_redis_after")
        key = f"{prefix}:{{{store_hash}}}"  # one hash slot for both keys (Redis Cluster)
        self._keys = [f"{key}:state", f"{key}:leases", f"{key}:queue", f"{key}:deadlines"]
        self._pid = 0  # a worker forked from the process that made this quota gets its own id
        self._id = ""
        self._acquire = redis.register_script(ACQUIRE)
        self._release = redis.register_script(RELEASE)
        self._errors = redis_errors()
        self._local = RateLimiter()
        # This process's slots, oldest first: a lease id, or None for a local one.
        self._leases: deque[str | None] = deque()
        self._redis_down = False
        self._retry_redis_at = 0.0
        # One request per process asks Redis at a time, and none before Redis said
        # to: a process with many requests waiting gets no more turns than one with
        # a single request, so the fleet shares the quota fairly.
        self._gate = threading.Lock()
        self._asking = False
        self._ask_after = 0.0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store_hash={self.store_hash!r} keys={self._keys[0]!r}>"

    @property
    def status(self) -> RateLimitStatus | None:
        """The latest report this process saw."""
        return self._local.status

    @property
    def using_redis(self) -> bool:
        """False while Redis is unreachable and this process paces alone."""
        return not self._redis_down

    def _process_id(self) -> str:
        """This process's name in the queue of waiting processes."""
        if self._pid != os.getpid():
            self._pid, self._id = os.getpid(), uuid.uuid4().hex
            # A forked worker: the leases in flight at the fork are its parent's
            # to give back, and so is a question to Redis the parent was asking.
            self._leases.clear()
            self._asking = False
        return self._id

    def _may_use_redis(self) -> bool:
        return not self._redis_down or time.monotonic() >= self._retry_redis_at

    def _redis_failed(self, exc: Exception) -> None:
        if not self._redis_down:
            logger.warning(
                "bigc: Redis is unreachable (%s); pacing store %s in this process alone "
                "until it is back",
                exc,
                self.store_hash,
            )
        self._redis_down = True
        self._retry_redis_at = time.monotonic() + self._retry_after

    def _redis_worked(self) -> None:
        if self._redis_down:
            logger.info("bigc: Redis is back; store %s shares its quota again", self.store_hash)
            self._redis_down = False

    def acquire(self) -> float:
        self._process_id()
        if self._may_use_redis():
            now = time.monotonic()
            with self._gate:
                if self._asking or now < self._ask_after:
                    return max(self._ask_after - now, ASK_GAP)
                self._asking = True
            try:
                wait = self._ask_redis()
            finally:
                self._asking = False
            if wait is not None:
                self._ask_after = now + wait
                return wait
        wait = self._local.acquire()
        if wait <= 0:
            self._leases.append(None)
        return wait

    def _ask_redis(self) -> float | None:
        """0 when Redis gave this process a lease, else the wait; ``None`` when Redis is down."""
        lease = uuid.uuid4().hex
        args: list[str | int] = [
            lease,
            self._lease_ms,
            int(SHORT_WAIT * 1000),
            KEEP_MS,
            self._process_id(),
            TURN_WAIT_MS,
            GRACE_MS,
        ]

        def give_back(granted: Any) -> None:
            """A lease Redis granted to a caller cancelled before it heard: returned."""
            if int(granted) <= 0:
                with contextlib.suppress(*self._errors):
                    self._release(keys=self._keys[:2], args=release_args(lease, None))

        try:
            answer = undone_if_cancelled(self._acquire(keys=self._keys, args=args), give_back)
            wait_ms = int(answer)
        except self._errors as exc:
            self._redis_failed(exc)
            return None
        self._redis_worked()
        if wait_ms > 0:
            return wait_ms / 1000
        self._leases.append(lease)
        return 0.0

    def wait(self, seconds: float) -> None:
        sleep_until_answered(self._local, seconds)

    def release(self, headers: Mapping[str, str] | None) -> None:
        lease = self._leases.popleft() if self._leases else None
        if lease is None:
            self._local.release(headers)
        elif headers is not None:
            self._local.observe(headers)
        if (lease is None and headers is None) or not self._may_use_redis():
            return  # nothing to tell, or a lease that will expire by itself
        try:
            self._release(keys=self._keys[:2], args=release_args(lease or "", headers))
        except self._errors as exc:
            self._redis_failed(exc)
        else:
            self._redis_worked()
