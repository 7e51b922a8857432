"""Pacing under the store's quota, from BigCommerce's ``X-Rate-Limit-*`` headers.

BigCommerce counts requests per store in fixed windows and says on every
response how many are left and when the window resets. That pool is shared by
every process and app using the store, so the headers, not our own count, are
the truth. :class:`RateLimiter` keeps one process's estimate (less the
requests still in flight) and spreads what is left evenly over the rest of the
window: sending the whole quota at the reset would starve other processes and
any retry that arrives a few milliseconds late. It only decides; the clients
do the sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["SHORT_WAIT", "QuotaReport", "RateLimitStatus", "RateLimiter", "parse_report"]

# Waits up to this long are re-checks (for the first answer, for the pace between
# requests): the clients shorten them to fit a call's limits instead of refusing.
SHORT_WAIT = 0.25


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


@dataclass(frozen=True)
class QuotaReport:
    """What one answer's headers say; ``quota``/``window_ms`` may be missing."""

    left: int
    reset_ms: int
    quota: int | None
    window_ms: int | None


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(float(value))
    except (ValueError, OverflowError):  # not a number, or inf/nan
        return None


def parse_report(headers: Mapping[str, str]) -> QuotaReport | None:
    """The quota report in ``headers``, ``None`` without the left/reset pair."""
    left = _int_header(headers, "X-Rate-Limit-Requests-Left")
    reset_ms = _int_header(headers, "X-Rate-Limit-Time-Reset-Ms")
    if left is None or reset_ms is None:
        return None
    return QuotaReport(
        left=max(left, 0),
        reset_ms=max(reset_ms, 0),
        quota=_int_header(headers, "X-Rate-Limit-Requests-Quota"),
        window_ms=_int_header(headers, "X-Rate-Limit-Time-Window-Ms"),
    )


def same_window_tolerance(window: float) -> float:
    """Reports whose resets differ by less than this belong to one window (the
    difference is network latency); the Redis script uses the same rule."""
    return min(0.5, window / 10)


class RateLimiter:
    """One process's quota state; all methods are quick and safe from any thread or task.

    Until the first answer arrives nothing is known, so one request goes
    alone (a burst of 500 tasks would otherwise all land in the same spent
    window); the others wait for that answer (:meth:`add_waker`). Answers
    without ``X-Rate-Limit-*`` headers turn pacing off. ``spread=False`` lets
    what is left go at once (one process alone on a store, short jobs).
    """

    def __init__(
        self,
        *,
        enabled: bool = True,
        spread: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.enabled = enabled
        self.spread = spread
        self._clock = clock
        self._lock = threading.Lock()
        self._answered = False
        self._tracked = False
        self._left = 0
        self._quota = 0
        self._window = 0.0
        self._reset_at = 0.0
        self._reported_reset_at = 0.0
        self._guessed = False
        self._next_at = 0.0
        self._in_flight = 0
        self._wakers: list[Callable[[], None]] = []
        self._status: RateLimitStatus | None = None

    @property
    def status(self) -> RateLimitStatus | None:
        """The latest quota report, ``None`` before the first response."""
        return self._status

    def _awaiting_first_answer(self) -> bool:
        return self.enabled and not self._answered and self._in_flight > 0

    def acquire(self) -> float:
        """Take a slot for one request, or say how many seconds to wait first.

        Returns 0 when the request may go now (the caller must later call
        :meth:`release`), else the wait; the caller sleeps and asks again.
        """
        with self._lock:
            if self._awaiting_first_answer():
                return SHORT_WAIT
            if self.enabled and self._tracked:
                now = self._clock()
                if now >= self._reset_at:
                    # The window has reset: assume the whole quota until told otherwise
                    # (at least one request, to learn the new window's state).
                    self._left = max(self._quota, 1)
                    self._reset_at = now + self._window
                    self._guessed = True
                    self._next_at = now
                budget = self._left - self._in_flight
                if budget <= 0:
                    return max(self._reset_at - now, 0.001)
                if self.spread:
                    if now < self._next_at:
                        return self._next_at - now
                    # Spread what is left evenly until the reset.
                    self._next_at = now + (self._reset_at - now) / budget
            self._in_flight += 1
            return 0.0

    def release(self, headers: Mapping[str, str] | None) -> None:
        """Return a slot; ``headers`` are the response's (``None`` when none came)."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            wakers, self._wakers = self._wakers, []
            if headers is not None:
                self._observe(headers)
        for wake in wakers:
            wake()

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn from an answer sent with a slot taken elsewhere (a shared quota's)."""
        with self._lock:
            self._observe(headers)

    def _observe(self, headers: Mapping[str, str]) -> None:
        self._answered = True
        report = parse_report(headers)
        if report is None:
            return
        now = self._clock()
        reset_at = now + report.reset_ms / 1000.0
        left = report.left
        window = (report.window_ms or report.reset_ms) / 1000.0
        if self._tracked:
            tolerance = same_window_tolerance(self._window)
            if reset_at < self._reported_reset_at - tolerance:
                return  # from an earlier window, overtaken by a later answer
            if reset_at <= self._reported_reset_at + tolerance:
                if self._guessed:
                    return  # that window is over by our clock
                # Same window: answers arrive out of order, keep the lowest count.
                left = min(left, self._left)
        self._tracked = True
        self._guessed = False
        self._left = left
        self._reset_at = self._reported_reset_at = reset_at
        self._quota = max(report.quota or self._quota, left)
        self._window = window
        self._status = RateLimitStatus(
            quota=self._quota,
            left=left,
            window=window,
            resets_in=report.reset_ms / 1000.0,
            observed_at=now,
        )

    def add_waker(self, wake: Callable[[], None]) -> bool:
        """Call ``wake`` when the request everyone waits for answers; ``False``
        (and no call) when nobody is waiting for one any more."""
        with self._lock:
            if not self._awaiting_first_answer():
                return False
            self._wakers.append(wake)
            return True

    def remove_waker(self, wake: Callable[[], None]) -> None:
        with self._lock:
            if wake in self._wakers:
                self._wakers.remove(wake)
