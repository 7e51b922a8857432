"""The store's request quota: a fixed window, as BigCommerce counts it.

The window opens with the first request and lasts ``window_ms``; each
request in it uses one unit of the quota. Every answer carries the four
``X-Rate-Limit-*`` headers; past the quota the store answers 429 until the
window resets. ``quota=None`` never refuses but still sends the headers, with
a quota too large to matter.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["UNLIMITED", "Quota"]

UNLIMITED = 10_000_000
Headers = list[tuple[str, str]]


class Quota:
    def __init__(self, quota: int | None, window_ms: int, clock: Callable[[], float]) -> None:
        if quota is not None and quota < 1:
            raise ValueError(f"quota must be at least 1 (or None), got {quota}")
        if window_ms < 1:
            raise ValueError(f"window_ms must be at least 1, got {window_ms}")
        self.quota = quota
        self.window_ms = window_ms
        self._clock = clock
        self._opened: float | None = None
        self._used = 0

    def take(self, consume: bool = True) -> tuple[bool, Headers]:
        """Count one request (when ``consume``): (allowed, headers to send)."""
        now = self._clock()
        if self._opened is None or (now - self._opened) * 1000 >= self.window_ms:
            self._opened, self._used = now, 0
        limit = self.quota if self.quota is not None else UNLIMITED
        allowed = self._used < limit
        if allowed and consume:
            self._used += 1
        reset_ms = max(0, math.ceil(self.window_ms - (now - self._opened) * 1000))
        return allowed, self.headers(limit, limit - self._used, reset_ms)

    def headers(self, quota: int, left: int, reset_ms: int) -> Headers:
        return [
            ("X-Rate-Limit-Time-Window-Ms", str(self.window_ms)),
            ("X-Rate-Limit-Time-Reset-Ms", str(reset_ms)),
            ("X-Rate-Limit-Requests-Quota", str(quota)),
            ("X-Rate-Limit-Requests-Left", str(max(left, 0))),
        ]
