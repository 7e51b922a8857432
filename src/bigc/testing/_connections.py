"""The served store's connections: aiohttp's protocol with our limits.

One ``Connection`` per client: deadlines for a request head (slowloris) and
for the client taking its answer, BigCommerce-shaped answers to what
aiohttp's parser refuses, and a hang-up that cannot wait forever on a
client that does not read. ``WebServer`` caps open connections, closing the
longest-idle one to make room for a newcomer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from multidict import CIMultiDict

from bigc.testing._http import ApiError, dumps, error_body, error_reply
from bigc.testing._limits import Limits

__all__ = ["Connection", "WebServer", "api_of", "refusal"]

log = logging.getLogger("bigc.testing")

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


def api_of(target: str) -> str:
    """``"v2"`` for a ``/stores/{hash}/v2/…`` target (v2 error bodies differ), else ``"v3"``."""
    parts = target.split("/", 4)
    return "v2" if len(parts) > 3 and parts[3] == "v2" else "v3"


def refusal(target: str, status: int, message: str) -> web.Response:
    reply = error_reply(api_of(target), ApiError(status, message))
    response = web.Response(status=status, body=reply.body, headers=CIMultiDict(reply.headers))
    response.force_close()
    return response


class Connection(RequestHandler):
    """aiohttp's connection handler, with deadlines for slow clients and
    BigCommerce-shaped answers to what its parser refuses.

    aiohttp's keep-alive timer closes idle connections; a head that trickles
    in (slowloris) is cut off ``head_timeout`` after its first byte, and a
    client that does not take its answer within ``send_timeout`` is hung up on
    (so answers cannot pile up in memory for clients that never read).
    """

    def __init__(self, manager: web.Server, *, limits: Limits, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self.limits = limits
        self.in_request = False
        self._head_timer: asyncio.TimerHandle | None = None

    def data_received(self, data: bytes) -> None:
        if data and not self.in_request and self._head_timer is None:
            self._head_timer = self._loop.call_later(self.limits.head_timeout, self._head_too_slow)
        super().data_received(data)

    @contextmanager
    def sending(self) -> Iterator[None]:
        """Hang up if what is written inside does not reach the client in time."""
        timer = self._loop.call_later(self.limits.send_timeout, self.hang_up)
        try:
            yield
        finally:
            timer.cancel()

    def hang_up(self) -> None:
        """Close now. A plain close would first wait for unsent answers to
        drain, which for a client that does not read is never: reset instead."""
        transport = self.transport
        if transport is not None and transport.get_write_buffer_size() > 0:
            transport.abort()
        self.force_close()

    async def finish_response(
        self, request: web.BaseRequest, resp: web.StreamResponse, start_time: float | None
    ) -> tuple[web.StreamResponse, bool]:
        # sending() inlined: this runs for every answer.
        timer = self._loop.call_later(self.limits.send_timeout, self.hang_up)
        try:
            return await super().finish_response(request, resp, start_time)
        finally:
            timer.cancel()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def request_started(self) -> None:
        self.in_request = True
        self._stop_head_timer()

    def request_finished(self) -> None:
        self.in_request = False

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.in_request:
            self.force_close()

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if isinstance(exc, ConnectionError):
            raise exc  # the client hung up mid-request: nobody to answer, nothing to log
        if request.writer.output_size > 0:
            raise ConnectionError("an answer was already under way")
        log.debug("refused a malformed request: %s", message or exc)
        if status == 500:  # a bug in this module, not the client's fault
            log.error("fake server failed", exc_info=exc)
        return refusal(request.raw_path, status, message or "The request could not be read.")


class WebServer(web.Server):
    """aiohttp's server with our connection class and a cap on open connections."""

    def __init__(self, handler: Handler, limits: Limits, **kwargs: Any) -> None:
        super().__init__(handler, handler_cancellation=True, **kwargs)
        self.limits = limits

    def __call__(self) -> RequestHandler:
        return Connection(self, loop=self._loop, limits=self.limits, **self._kwargs)

    def connection_made(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        if len(self._connections) >= self.limits.max_connections and not self._evict_idle():
            transport.write(_TOO_MANY_CONNECTIONS)
            handler.force_close()
            return
        super().connection_made(handler, transport)

    def _evict_idle(self) -> bool:
        """Close the longest-open connection that has no request in progress."""
        for handler in self._connections:
            if isinstance(handler, Connection) and not handler.in_request:
                handler.hang_up()
                self._connections.pop(handler, None)
                return True
        return False


_TOO_MANY_CONNECTIONS_BODY = dumps(
    error_body("v3", 503, "Too many open connections; try again shortly.", {})
)
_TOO_MANY_CONNECTIONS = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
    % (len(_TOO_MANY_CONNECTIONS_BODY), _TOO_MANY_CONNECTIONS_BODY)
)
