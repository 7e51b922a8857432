"""In-process transports: a ``bigc.Transport`` and ``bigc.AsyncTransport`` over a store.

They honour what the store's reply asks for, as the loopback server does:
wait ``Reply.delay`` (``time.sleep`` / ``asyncio.sleep``, so only the calling
thread or task waits), give up with ``RequestTimeoutError(phase="read")``
when the delay is longer than the request's read timeout, and raise
``BigCommerceNetworkError`` for a dropped or truncated answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

from bigc._models import Request, Response
from bigc.exceptions import BigCommerceNetworkError, RequestTimeoutError
from bigc.testing._reply import Reply

__all__ = ["AsyncStoreTransport", "StoreTransport"]


class _Store(Protocol):
    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Reply: ...


def _ask(store: _Store, request: Request) -> tuple[Reply, float, bool]:
    """The store's reply, how long to wait, and whether the wait ends in a timeout."""
    parts = urlsplit(request.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    reply = store.handle(request.method, target, request.headers, request.body or b"")
    limit = request.timeout.read
    if limit is not None and reply.delay > limit:
        return reply, limit, True
    return reply, reply.delay, False


def _deliver(reply: Reply, request: Request, timed_out: bool) -> Response:
    if timed_out:
        raise RequestTimeoutError(
            f"no answer from the fake store within {request.timeout.read} s", phase="read"
        )
    if reply.fault == "drop":
        raise BigCommerceNetworkError("the fake store closed the connection without answering")
    if reply.fault == "truncate":
        raise BigCommerceNetworkError("the fake store broke off the answer halfway through")
    return Response(reply.status, reply.headers, reply.body, request)


class StoreTransport:
    """Sends each request straight to ``store.handle``; no sockets."""

    def __init__(self, store: _Store) -> None:
        self.store = store

    def send(self, request: Request) -> Response:
        reply, wait, timed_out = _ask(self.store, request)
        if wait > 0:
            time.sleep(wait)
        return _deliver(reply, request, timed_out)

    def close(self) -> None:
        """Nothing to release."""


class AsyncStoreTransport:
    """The async twin of :class:`StoreTransport`."""

    def __init__(self, store: _Store) -> None:
        self.store = store

    async def send(self, request: Request) -> Response:
        reply, wait, timed_out = _ask(self.store, request)
        if wait > 0:
            await asyncio.sleep(wait)
        return _deliver(reply, request, timed_out)

    async def aclose(self) -> None:
        """Nothing to release."""
