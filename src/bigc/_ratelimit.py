"""Pacing under the store's quota, from BigCommerce's ``X-Rate-Limit-*`` headers.

BigCommerce counts requests per store in fixed windows and says on every
response how many are left and when the window resets. One
:class:`RateLimiter` per client, shared by every thread and task using it,
keeps an estimate of what is left (less the requests still in flight) and
tells a caller to wait for the reset instead of spending the last request
and provoking a 429. It only decides; the clients do the sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["RateLimitStatus", "RateLimiter"]


@dataclass(frozen=True)
class RateLimitStatus:
    """The store's quota as last reported by BigCommerce.

    ``resets_in`` is seconds from ``observed_at`` (``time.monotonic()``) to the
    end of the window.
    """

    quota: int
    left: int
    window: float
    resets_in: float
    observed_at: float


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(float(value))
    except (ValueError, OverflowError):  # not a number, or inf/nan
        return None


# How often a request waiting for the first answer of a client looks again.
PROBE_WAIT = 0.005


class RateLimiter:
    """Shared quota state; all methods are quick and safe from any thread or task.

    Until the first answer arrives nothing is known, so one request goes
    alone (a burst of 500 tasks would otherwise all land in the same spent
    window). Answers without ``X-Rate-Limit-*`` headers turn pacing off.
    """

    def __init__(self, *, enabled: bool = True, clock: Callable[[], float] = time.monotonic):
        self.enabled = enabled
        self._clock = clock
        self._lock = threading.Lock()
        self._answered = False
        self._tracked = False
        self._left = 0
        self._quota = 0
        self._window = 0.0
        self._reset_at = 0.0
        self._in_flight = 0
        self._status: RateLimitStatus | None = None

    @property
    def status(self) -> RateLimitStatus | None:
        """The latest quota report, ``None`` before the first response."""
        return self._status

    def acquire(self) -> float:
        """Take a slot for one request, or say how many seconds to wait first.

        Returns 0 when the request may go now (the caller must later call
        :meth:`release`), else the wait; the caller sleeps and asks again.
        """
        with self._lock:
            if self.enabled and not self._answered and self._in_flight:
                return PROBE_WAIT
            if self.enabled and self._tracked:
                now = self._clock()
                if now >= self._reset_at:
                    # The window has reset: assume the whole quota until told otherwise
                    # (at least one request, to learn the new window's state).
                    self._left = max(self._quota, 1)
                    self._reset_at = now + self._window
                if self._left - self._in_flight <= 0:
                    return max(self._reset_at - now, PROBE_WAIT)
            self._in_flight += 1
            return 0.0

    def release(self, headers: Mapping[str, str] | None) -> None:
        """Return a slot; ``headers`` are the response's (``None`` when none came)."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            if headers is None:
                return
            self._answered = True
            left = _int_header(headers, "X-Rate-Limit-Requests-Left")
            reset_ms = _int_header(headers, "X-Rate-Limit-Time-Reset-Ms")
            if left is None or reset_ms is None:
                return
            now = self._clock()
            reset_at = now + reset_ms / 1000.0
            if self._tracked and now < self._reset_at and reset_at < self._reset_at + 0.5:
                # Same window: answers can arrive out of order, keep the lowest count.
                left = min(left, self._left)
            quota = _int_header(headers, "X-Rate-Limit-Requests-Quota")
            window = _int_header(headers, "X-Rate-Limit-Time-Window-Ms")
            self._tracked = True
            self._left = left
            self._reset_at = reset_at
            self._quota = max(quota or self._quota, left)
            self._window = (window or reset_ms) / 1000.0
            self._status = RateLimitStatus(
                quota=self._quota,
                left=left,
                window=self._window,
                resets_in=reset_ms / 1000.0,
                observed_at=now,
            )
