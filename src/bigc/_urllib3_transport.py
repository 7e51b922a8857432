"""The default sync transport: one thread-safe urllib3 pool manager per client."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

import urllib3
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, connection_from_url
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)

from bigc._compression import decoded_response, with_accept_encoding
from bigc._models import Headers, Request, Response
from bigc.exceptions import BigCommerceNetworkError, ConnectError, RequestTimeoutError

__all__ = ["Urllib3Transport"]


def _network_error(exc: BaseException) -> BigCommerceNetworkError:
    """Translate a urllib3 failure into bigc's network errors."""
    if isinstance(exc, MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    if isinstance(exc, ConnectTimeoutError) and not isinstance(exc, NewConnectionError):
        return RequestTimeoutError(f"timed out connecting: {exc}", phase="connect")
    if isinstance(exc, ReadTimeoutError):
        return RequestTimeoutError(f"timed out waiting for the response: {exc}", phase="read")
    if isinstance(exc, (NewConnectionError, NameResolutionError)):
        return ConnectError(f"could not connect: {exc}")
    return BigCommerceNetworkError(f"the exchange failed: {exc}")


class _Watchdog:
    """Cuts the connection of one exchange when the call's total deadline passes.

    Socket timeouts bound each wait for data, so an answer that trickles in a
    byte at a time (head or body) would outlast any deadline; shutting the
    socket down from a timer thread wakes the blocked read at once.
    """

    __slots__ = ("connection", "deadline", "fired", "timer")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self.timer: threading.Timer | None = None
        self.connection: HTTPConnection | None = None

    def arm(self, connection: HTTPConnection) -> None:
        """Watch ``connection`` (from its TLS handshake, or from sending on it)."""
        if self.timer is not None and self.connection is connection:
            return
        self.cancel()
        self.connection = connection
        self.timer = threading.Timer(self.deadline - time.monotonic(), self._cut, (connection,))
        self.timer.daemon = True
        self.timer.start()

    def _cut(self, connection: HTTPConnection) -> None:
        self.fired = True
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                # socket.socket's own shutdown, not SSLSocket's: wake the reader
                # without touching TLS state another thread is using.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


_current = threading.local()  # .watchdog: the _Watchdog of this thread's exchange, if any


class _WatchedHTTPConnection(HTTPConnection):
    """A connection that puts itself under this thread's watchdog, if any."""

    def _watch(self) -> None:
        watchdog: _Watchdog | None = getattr(_current, "watchdog", None)
        if watchdog is not None:
            watchdog.arm(self)

    def connect(self) -> None:
        self._watch()
        super().connect()

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._watch()
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


class Urllib3Transport:
    """Sends requests over pooled keep-alive connections (thread-safe).

    One urllib3 connection pool per origin, kept here rather than behind a
    ``PoolManager``: a client talks to one origin, and skipping the manager's
    URL parsing and pool lookup saves about a tenth of the client's CPU time
    per request (bench/). ``maxsize`` is how many idle connections per origin
    are kept; more may be opened under load and closed afterwards.
    """

    def __init__(self, *, maxsize: int = 32) -> None:
        self._maxsize = maxsize
        self._pools: dict[str, HTTPConnectionPool] = {}
        self._lock = threading.Lock()
        self._closed = False

    def _pool_for(self, origin: str) -> HTTPConnectionPool:
        pool = self._pools.get(origin)
        if pool is None:
            with self._lock:
                pool = self._pools.get(origin)
                if pool is None:
                    if self._closed:
                        raise RuntimeError("this transport is closed")
                    pool = connection_from_url(
                        origin, maxsize=self._maxsize, block=False, retries=False
                    )
                    pool.ConnectionCls = (
                        _WatchedHTTPSConnection
                        if isinstance(pool, HTTPSConnectionPool)
                        else _WatchedHTTPConnection
                    )
                    self._pools[origin] = pool
        return pool

    def send(self, request: Request) -> Response:
        url = request.url
        split = url.find("/", url.find("//") + 2)
        origin, target = (url, "/") if split < 0 else (url[:split], url[split:])
        limits = request.timeout
        timeout = urllib3.Timeout(connect=limits.connect, read=limits.read)
        pool = self._pool_for(origin)
        watchdog = None if limits.total is None else _Watchdog(time.monotonic() + limits.total)
        _current.watchdog = watchdog
        try:
            raw = pool.urlopen(
                request.method,
                target,
                body=request.body,
                headers=with_accept_encoding(request.headers),
                timeout=timeout,
                retries=False,
                redirect=False,
                assert_same_host=False,
                decode_content=False,  # bigc._compression decodes, strictly
                enforce_content_length=True,
            )
        except (HTTPError, OSError) as exc:
            if watchdog is not None and watchdog.fired:
                raise RequestTimeoutError(
                    "the call's total timeout ran out", phase="total"
                ) from exc
            if isinstance(exc, HTTPError):
                raise _network_error(exc) from exc
            raise BigCommerceNetworkError(f"the exchange failed: {exc}") from exc
        finally:
            _current.watchdog = None
            if watchdog is not None:
                watchdog.cancel()
        headers = Headers(raw.headers.items())
        # urllib3 joins a repeated header's lines with commas.
        encoding = raw.headers.get("Content-Encoding")
        return decoded_response(raw.status, headers, raw.data, request, encoding)

    def close(self) -> None:
        """Close every connection; a closed transport refuses to open new ones."""
        with self._lock:
            self._closed = True
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()

    def __repr__(self) -> str:
        return "<Urllib3Transport>"
