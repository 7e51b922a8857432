"""Tokens (or anything) that expire, at most ``limit`` of them.

A served store issues storefront tokens and customer sessions for as long as
it runs; kept forever they would grow with its traffic. ``Expiring`` forgets
an entry when it expires (a heap of expiry times, so each request does
O(log n) work) and, when more than ``limit`` are alive, the oldest one: a
forgotten token then fails as an expired one does.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["DEFAULT_MAX_TOKENS", "Expiring"]

DEFAULT_MAX_TOKENS = 10_000
V = TypeVar("V")


class Expiring(Generic[V]):
    """Values by key until ``expires_at`` (a ``clock()`` time); ``evicted`` counts the
    entries forgotten early because ``limit`` were alive."""

    def __init__(self, limit: int, clock: Callable[[], float]) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"the token limit must be an int of at least 1, got {limit!r}")
        self.limit = limit
        self.evicted = 0
        self._clock = clock
        self._items: dict[str, tuple[V, float]] = {}  # oldest first
        self._expiries: list[tuple[float, str]] = []

    def put(self, key: str, value: V, expires_at: float) -> None:
        self._purge()
        self._items.pop(key, None)
        self._items[key] = (value, expires_at)
        heapq.heappush(self._expiries, (expires_at, key))
        while len(self._items) > self.limit:
            del self._items[next(iter(self._items))]
            self.evicted += 1
        if len(self._expiries) > 2 * self.limit:  # entries of evicted or replaced keys
            self._expiries = [(at, k) for k, (_, at) in self._items.items()]
            heapq.heapify(self._expiries)

    def get(self, key: str) -> V | None:
        """The value, if the key is known and not expired."""
        self._purge()
        found = self._items.get(key)
        return None if found is None else found[0]

    def pop(self, key: str) -> V | None:
        found = self._items.pop(key, None)
        return None if found is None else found[0]

    def _purge(self) -> None:
        now = self._clock()
        while self._expiries and self._expiries[0][0] <= now:
            at, key = heapq.heappop(self._expiries)
            found = self._items.get(key)
            if found is not None and found[1] == at:
                del self._items[key]

    def __len__(self) -> int:
        self._purge()
        return len(self._items)
