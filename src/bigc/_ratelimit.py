"""Pacing under the store's quota, from BigCommerce's ``X-Rate-Limit-*`` headers.

BigCommerce counts requests per store in fixed windows and says on every
response how many are left and when the window resets. That pool is shared by
every process and app using the store, so the headers, not our own count, are
the truth. :class:`RateLimiter` keeps one process's estimate (less the
requests still in flight) and adapts how it spends it:

- alone on the store, it sends what is left at once (a short export takes a
  few round trips, not a whole window);
- once the headers show others spending the same pool (the store counts more
  requests in the window than this process can have sent there) or a 429
  comes, it spreads what is left evenly over the rest of the window, until a
  whole window passes without such evidence: a burst at the reset would
  starve the other processes and any retry that arrives a few ms late.

It only decides; the clients do the sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = [
    "CONTENTION_SLACK",
    "SHORT_WAIT",
    "QuotaReport",
    "RateLimitStatus",
    "RateLimiter",
    "parse_report",
]

# Waits up to this long are re-checks (for the first answer, for the pace between
# requests): the clients shorten them to fit a call's limits instead of refusing.
SHORT_WAIT = 0.25
# The longest reset believed when an answer does not say its window (BigCommerce's is 30 s).
LONGEST_RESET_MS = 300_000


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
    window_ms = _int_header(headers, "X-Rate-Limit-Time-Window-Ms")
    # A window resets within a window: a garbled reset (a day, 1e20 ms) with
    # nothing left would stop every process sharing the quota until then,
    # since no request would go out to bring a better answer.
    longest = window_ms if window_ms is not None and window_ms > 0 else LONGEST_RESET_MS
    return QuotaReport(
        left=max(left, 0),
        reset_ms=min(max(reset_ms, 0), longest),
        quota=_int_header(headers, "X-Rate-Limit-Requests-Quota"),
        window_ms=window_ms,
    )


def same_window_tolerance(window: float) -> float:
    """Reports whose resets differ by less than this belong to one window (the
    difference is network latency); the Redis script uses the same rule."""
    return min(0.5, window / 10)


# How many more requests than this process can account for the store may count in
# a window before that is taken as others spending the pool. Zero: one request
# of another process is enough (a process refused all but once a window shows
# up only as that one request). A lost answer the store counted in the next
# window can make us spread for a window, which costs only speed.
CONTENTION_SLACK = 0


def reset_grace(window: float) -> float:
    """How long a process that bursts waits after a reset before bursting.

    A process refused with a 429 retries at the reset plus up to this much
    jitter (``_retry``); if we emptied the window before it came, the store
    would never count it and we would never see it: its retries would lose
    every window. Letting it in first makes it visible.
    """
    return 0.05 + 0.05 * window


class RateLimiter:
    """One process's quota state; all methods are quick and safe from any thread or task.

    Until the first answer arrives nothing is known, so one request goes
    alone (a burst of 500 tasks would otherwise all land in the same spent
    window); the others wait for that answer (:meth:`add_waker`). The same
    holds at each window reset while not spreading: one probe learns what the
    new window has left, and the rest goes after :func:`reset_grace`. Answers without
    ``X-Rate-Limit-*`` headers turn pacing off.

    ``spread``: ``None`` (the default) adapts, spreading only while others
    spend the store's quota; ``True`` always spreads; ``False`` never does.
    """

    def __init__(
        self,
        *,
        enabled: bool = True,
        spread: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        if spread is not None and not isinstance(spread, bool):
            raise TypeError(f"spread must be True, False or None (adapt), got {spread!r}")
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
        self._probing = False
        self._burst_after = 0.0
        self._next_at = 0.0
        self._in_flight = 0
        # This process's requests the store may have counted in the reported
        # window: those answered from it, and those whose answer never came.
        self._answered_in_window = 0
        self._lost_in_window = 0
        self._contended_until = float("-inf")
        self._wakers: list[Callable[[], None]] = []
        self._status: RateLimitStatus | None = None

    @property
    def status(self) -> RateLimitStatus | None:
        """The latest quota report, ``None`` before the first response."""
        return self._status

    @property
    def contended(self) -> bool:
        """Whether the store showed others spending its quota within the last window."""
        with self._lock:
            return self._clock() < self._contended_until

    def _spreading(self, now: float) -> bool:
        if self.spread is not None:
            return self.spread
        return now < self._contended_until

    def _awaiting_answer(self) -> bool:
        """A request went to learn the state (the first one, or a new window's probe)."""
        return self.enabled and self._in_flight > 0 and (not self._answered or self._probing)

    def acquire(self) -> float:
        """Take a slot for one request, or say how many seconds to wait first.

        Returns 0 when the request may go now (the caller must later call
        :meth:`release`), else the wait; the caller sleeps and asks again.
        """
        with self._lock:
            if self._awaiting_answer():
                return SHORT_WAIT
            if self.enabled and self._tracked:
                now = self._clock()
                spreading = self._spreading(now)
                if now >= self._reset_at:
                    # The window has reset: assume the whole quota until told otherwise
                    # (at least one request, to learn the new window's state).
                    self._left = max(self._quota, 1)
                    self._reset_at = now + self._window
                    self._guessed = True
                    self._next_at = now
                    if self.spread is None:
                        self._burst_after = now + reset_grace(self._window)
                budget = self._left - self._in_flight
                if budget <= 0:
                    return max(self._reset_at - now, 0.001)
                if spreading:
                    if now < self._next_at:
                        return self._next_at - now
                    # Spread what is left evenly until the reset.
                    self._next_at = now + (self._reset_at - now) / budget
                elif self._guessed:
                    # A guessed full quota, sent at once by every process that
                    # guessed it, would 429 them all: one probe asks the store first.
                    self._probing = True
                elif now < self._burst_after:
                    return self._burst_after - now
            self._in_flight += 1
            return 0.0

    def release(self, headers: Mapping[str, str] | None) -> None:
        """Return a slot; ``headers`` are the response's (``None`` when none came)."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            wakers, self._wakers = self._wakers, []
            if headers is not None:
                self._answered = True
            reported = headers is not None and self._observe(headers)
            if not reported:
                self._lost_in_window += 1  # the store may have counted it all the same
            # A report that leaves the new window guessed is an earlier window's, so
            # not the probe's answer: the others go on waiting for that one.
            if not (reported and self._guessed):
                self._probing = False
        for wake in wakers:
            wake()

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn from an answer sent with a slot taken elsewhere (a shared quota's)."""
        with self._lock:
            self._answered = True
            self._observe(headers)

    def _observe(self, headers: Mapping[str, str]) -> bool:
        """Take in one answer's report; ``False`` when it had none."""
        report = parse_report(headers)
        if report is None:
            return False
        now = self._clock()
        if headers.get("X-Retry-After") is not None:  # only a 429 says when to retry
            self._contended_until = now + max(self._window, report.reset_ms / 1000.0)
        reset_at = now + report.reset_ms / 1000.0
        left = report.left
        window = (report.window_ms or report.reset_ms) / 1000.0
        if self._tracked:
            tolerance = same_window_tolerance(self._window)
            if reset_at < self._reported_reset_at - tolerance:
                return True  # from an earlier window, overtaken by a later answer
            if reset_at <= self._reported_reset_at + tolerance:
                if self._guessed:
                    return True  # that window is over by our clock
                # Same window: answers arrive out of order, keep the lowest count.
                left = min(left, self._left)
                self._answered_in_window += 1
            else:
                self._answered_in_window, self._lost_in_window = 1, 0
        else:
            self._answered_in_window, self._lost_in_window = 1, 0
        self._tracked = True
        self._guessed = False
        self._left = left
        self._reset_at = self._reported_reset_at = reset_at
        self._quota = max(report.quota or self._quota, left)
        self._window = window
        self._note_others(report, now)
        self._status = RateLimitStatus(
            quota=self._quota,
            left=left,
            window=window,
            resets_in=report.reset_ms / 1000.0,
            observed_at=now,
        )
        return True

    def _note_others(self, report: QuotaReport, now: float) -> None:
        """Turn spreading on for a window if the store counted requests of others.

        Every request of ours the store counted in this window before this
        answer was either answered from this window already or is still in
        flight (or lost): what the store counted beyond those, others sent.
        Answers out of order and windows that do not match our clock only
        make that bound larger (only a lost answer the store counted in the
        next window is missed).
        """
        used = self._quota - report.left
        ours = self._answered_in_window + self._in_flight + self._lost_in_window
        if used > ours + CONTENTION_SLACK:
            self._contended_until = now + self._window

    def add_waker(self, wake: Callable[[], None]) -> bool:
        """Call ``wake`` when the request everyone waits for answers; ``False``
        (and no call) when nobody is waiting for one any more."""
        with self._lock:
            if not self._awaiting_answer():
                return False
            self._wakers.append(wake)
            return True

    def remove_waker(self, wake: Callable[[], None]) -> None:
        with self._lock:
            if wake in self._wakers:
                self._wakers.remove(wake)
