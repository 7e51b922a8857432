"""When to retry and how long to wait: every retry decision lives here.

The clients only drive this: they report each failure to a :class:`RetryState`
and sleep for the delay it returns, or raise when it returns ``None``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bigc._models import MAX_TIMEOUT, Response
from bigc._responses import retry_after_seconds
from bigc.exceptions import BigCommerceException, ConnectError, RequestTimeoutError

__all__ = ["RETRYABLE_STATUSES", "RetryPolicy", "RetryState", "check_retries"]

RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How bigc retries and backs off. One object, set on the client or per call.

    - ``get_retries``: retries of a GET after a network error, a timeout or a
      500/502/503/504 (``get_retries=`` on the client and ``retries=`` per call
      override it; PUT and DELETE retry only when ``retries=`` asks).
    - ``connect_retries``: retries when no connection could be opened at all;
      the server never saw the request, so this applies to POST too.
    - ``rate_limit_retries``: how many 429s to wait out per call (any method:
      BigCommerce did not process a request it answered with 429).
    - ``backoff_base``/``backoff_cap``: the exponential backoff, in seconds:
      ``min(cap, base * 2**n)`` less up to ``jitter`` of it at random.
    - ``max_total_wait``: the most a call spends sleeping between attempts.
    """

    get_retries: int = 3
    connect_retries: int = 2
    rate_limit_retries: int = 10
    backoff_base: float = 0.5
    backoff_cap: float = 10.0
    jitter: float = 0.25
    max_total_wait: float = 120.0

    def __post_init__(self) -> None:
        for name in ("get_retries", "connect_retries", "rate_limit_retries"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"RetryPolicy.{name} must be an int >= 0, got {value!r}")
        for name in ("backoff_base", "backoff_cap", "max_total_wait"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value <= MAX_TIMEOUT  # False for nan too
            ):
                raise ValueError(
                    f"RetryPolicy.{name} must be a number from 0 to {MAX_TIMEOUT:.0e}, "
                    f"got {value!r}"
                )
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"RetryPolicy.jitter must be between 0 and 1, got {self.jitter!r}")

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """The delay before retry number ``attempt`` (0 for the first retry)."""
        delay = min(self.backoff_cap, self.backoff_base * (2.0**attempt))
        return delay * (1 - self.jitter * (rng.random() if rng else random.random()))


def check_retries(method: str, retries: int | None, name: str = "retries") -> None:
    """Reject a retry count that is not a count, or that would repeat a POST.

    ``name`` is the option the count came from, for the message.
    """
    if retries is None:
        return
    if isinstance(retries, bool) or not isinstance(retries, int):
        raise TypeError(f"{name} must be an int, not {retries!r}")
    if retries < 0:
        raise ValueError(f"{name} must be 0 or greater, got {retries}")
    if method == "POST" and retries > 0:
        raise ValueError(
            "retries must be 0 for POST: BigCommerce has no idempotency keys, so a repeated "
            "POST can create a second object (bigc still retries a POST that never reached "
            "the server and a POST answered with 429)"
        )


class RetryState:
    """The retry budget of one call; ``next_delay`` says whether and when to try again."""

    __slots__ = ("_failures", "_limited", "_waited", "method", "policy", "retries")

    def __init__(self, policy: RetryPolicy, method: str, retries: int | None) -> None:
        self.policy = policy
        self.method = method
        if retries is None:
            retries = policy.get_retries if method == "GET" else 0
        self.retries = retries
        self._failures = 0
        self._limited = 0
        self._waited = 0.0

    def _spend(self, delay: float, remaining: float | None) -> float | None:
        if self._waited + delay > self.policy.max_total_wait:
            return None
        if remaining is not None and delay >= remaining:
            return None
        self._waited += delay
        return delay

    def wait_allowance(self, remaining: float | None) -> float:
        """How long the call may still sleep: what is left of ``max_total_wait``
        and of the time before its deadline (``remaining``)."""
        allowance = self.policy.max_total_wait - self._waited
        return allowance if remaining is None else min(allowance, remaining)

    def note_wait(self, seconds: float) -> None:
        """Count a sleep for the store's quota against ``max_total_wait``."""
        self._waited += seconds

    def after_error(self, exc: BigCommerceException, remaining: float | None) -> float | None:
        """The delay before retrying after ``exc``, or ``None`` to give up.

        ``remaining`` is the time left before the call's total deadline.
        Every failure counts once against one budget: ``retries``, raised to
        ``connect_retries`` for a request that never reached the server (so a
        GET that cannot connect is tried ``max(connect_retries, retries) + 1``
        times in all, a POST ``connect_retries + 1`` times).
        """
        never_sent = isinstance(exc, ConnectError) or (
            isinstance(exc, RequestTimeoutError) and exc.phase == "connect"
        )
        if never_sent:
            budget = max(self.policy.connect_retries, self.retries)
        elif self.method == "POST":
            return None
        else:
            budget = self.retries
        if self._failures >= budget:
            return None
        self._failures += 1
        return self._spend(self.policy.backoff(self._failures - 1), remaining)

    def after_response(self, response: Response, remaining: float | None) -> float | None:
        """The delay before retrying after an error status, or ``None`` to give up."""
        status = response.status_code
        if status == 429:
            if self._limited >= self.policy.rate_limit_retries:
                return None
            self._limited += 1
            wait = retry_after_seconds(response)
            if wait is None:
                return self._spend(self.policy.backoff(self._limited - 1), remaining)
            # A little jitter so that many waiting threads do not return at once.
            return self._spend(wait + random.uniform(0.0, 0.05 + wait * 0.05), remaining)
        if status not in RETRYABLE_STATUSES or self.method == "POST":
            return None
        if self._failures >= self.retries:
            return None
        self._failures += 1
        return self._spend(self.policy.backoff(self._failures - 1), remaining)
