"""The default sync transport: one thread-safe urllib3 pool manager per client."""

from __future__ import annotations

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)

from bigc._models import Request, Response
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


class Urllib3Transport:
    """Sends requests over pooled keep-alive connections (thread-safe).

    ``maxsize`` is how many idle connections per host are kept; more may be
    opened under load and closed afterwards.
    """

    def __init__(self, *, maxsize: int = 32) -> None:
        self._pool = urllib3.PoolManager(maxsize=maxsize, block=False, retries=False)

    def send(self, request: Request) -> Response:
        timeout = urllib3.Timeout(connect=request.timeout.connect, read=request.timeout.read)
        try:
            raw = self._pool.urlopen(
                request.method,
                request.url,
                body=request.body,
                headers=request.headers,
                timeout=timeout,
                retries=False,
                redirect=False,
                preload_content=True,
                enforce_content_length=True,
            )
        except HTTPError as exc:
            raise _network_error(exc) from exc
        except OSError as exc:
            raise BigCommerceNetworkError(f"the exchange failed: {exc}") from exc
        return Response(raw.status, raw.headers.items(), raw.data, request)

    def close(self) -> None:
        self._pool.clear()

    def __repr__(self) -> str:
        return "<Urllib3Transport>"
