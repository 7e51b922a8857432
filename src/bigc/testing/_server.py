"""The fake store served over HTTP/1.1, on aiohttp's low-level server.

aiohttp parses HTTP (its C parser, llhttp), keeps connections alive and
times out idle ones; ``_connections`` adds the per-connection limits (slow
heads, slow readers, open connections). This module serves one request:
limits on head and body size and body time, BigCommerce-shaped 4xx answers
for a client's mistakes, compressed answers for clients that ask, a
per-connection bandwidth model, the store's scripted
``delay``/``drop``/``truncate`` faults enacted on the real socket, and the
``/__bigc/`` admin endpoints. The store decides everything else; every
other path goes to ``store.handle`` as it came.

Importing this module imports aiohttp (the ``testing`` extra);
``bigc.testing`` imports it only when ``FakeServer`` is first used.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from types import TracebackType
from typing import Protocol

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from multidict import CIMultiDict

from bigc.testing._admin import ADMIN_PREFIX, admin_reply
from bigc.testing._connections import Connection, WebServer, api_of, refusal
from bigc.testing._encoding import choose_coding, encode
from bigc.testing._http import ApiError, error_reply
from bigc.testing._limits import Limits
from bigc.testing._reply import Reply

__all__ = ["FakeServer", "Limits", "Store"]

log = logging.getLogger("bigc.testing")

# Framing is the server's business: the store cannot set these.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})
_NO_BODY_STATUSES = frozenset({204, 304})
# Bodies at least this large are compressed in a worker thread.
_COMPRESS_INLINE_BYTES = 64 * 1024
# Keep this many store exceptions for a test to inspect; older ones are forgotten.
_MAX_ERRORS = 100


class Store(Protocol):
    """What the server needs from a store: one pure, cheap call per request."""

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Reply: ...


class _Refused(Exception):
    """A request the server answers itself, with BigCommerce's error body, then hangs up."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FakeServer:
    """Serve ``store`` over HTTP/1.1 on a loopback port.

    Use it either as ``with FakeServer(store) as server:`` (its own event loop
    in a background thread) or with ``await server.start()`` /
    ``await server.stop()`` inside a running loop. ``port=0`` picks a free port;
    ``base_url`` tells which. ``limits`` bound what clients may use;
    ``bandwidth_mbps`` paces each connection's answers to that many megabits
    per second; ``compress`` answers gzip (br, zstd) to clients that ask.
    """

    def __init__(
        self,
        store: Store,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        limits: Limits | None = None,
        bandwidth_mbps: float | None = None,
        compress: bool = True,
    ) -> None:
        if bandwidth_mbps is not None and not 0 < bandwidth_mbps < float("inf"):
            raise ValueError(f"bandwidth_mbps must be a positive number, got {bandwidth_mbps}")
        self.store = store
        self.host = host
        self.port = port
        self.limits = limits or Limits()
        self.bandwidth_mbps = bandwidth_mbps
        self.compress = compress
        # Exceptions raised by store.handle (the last 100, without tracebacks: the log
        # has them); each was answered with a 500.
        self.errors: list[Exception] = []
        self._web: WebServer | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None

    @property
    def open_connections(self) -> int:
        """How many client connections are open now (to check for leaks)."""
        return 0 if self._web is None else len(self._web.connections)

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeServer is not running: use 'with' or 'await start()'")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # -- one request -----------------------------------------------------------

    async def _serve(self, request: web.BaseRequest) -> web.StreamResponse:
        connection = request.protocol
        assert isinstance(connection, Connection)
        connection.request_started()
        try:
            return await self._answer(request)
        except _Refused as refused:
            return refusal(request.raw_path, refused.status, str(refused))
        finally:
            connection.request_finished()

    async def _answer(self, request: web.BaseRequest) -> web.StreamResponse:
        target = request.raw_path
        self._check_head(request)
        body = await self._read_body(request)
        if target.startswith(ADMIN_PREFIX):
            health = {"status": "ok", "connections": self.open_connections}
            reply = admin_reply(self.store, request.method, target, body, health)
        else:
            reply = self._ask_store(request.method, target, request.headers, body)
        if reply.delay > 0:
            await asyncio.sleep(reply.delay)
        if reply.fault == "drop":
            request.protocol.force_close()
            return web.Response(status=200)  # never sent: the connection is gone
        return await self._respond(request, reply)

    def _check_head(self, request: web.BaseRequest) -> None:
        limit = self.limits.max_header_bytes
        size = len(request.raw_path) + sum(len(k) + len(v) + 4 for k, v in request.raw_headers)
        if size > limit:
            raise _Refused(431, f"The request headers are larger than {limit} bytes.")

    async def _read_body(self, request: web.BaseRequest) -> bytes:
        limit = self.limits.max_body_bytes
        length = request.content_length
        if length is not None and length > limit:
            raise _Refused(413, f"The request body is larger than {limit} bytes.")
        if not request.body_exists:
            return b""
        if request.headers.get("Expect", "").lower() == "100-continue":
            await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            return await asyncio.wait_for(_read_at_most(request, limit), self.limits.body_timeout)
        except asyncio.TimeoutError:
            raise _Refused(408, "The request body did not arrive in time.") from None
        except (HttpProcessingError, RequestPayloadError) as exc:
            raise _Refused(400, f"The request body could not be read: {exc}") from None

    def _ask_store(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Reply:
        try:
            return self.store.handle(method, target, headers, body)
        except Exception as exc:
            # Answer 500 so the test sees it, and keep it for the test to inspect:
            # without its traceback, whose frames would pin the request (its
            # headers, its body of up to max_body_bytes) for as long as it is kept.
            # The query is left out of the log line: it may carry a secret.
            log.exception("fake store failed on %s %s", method, target.partition("?")[0])
            self.errors.append(_without_tracebacks(exc))
            del self.errors[:-_MAX_ERRORS]
            return error_reply(
                api_of(target), ApiError(500, f"fake store raised {type(exc).__name__}: {exc}")
            )

    async def _respond(self, request: web.BaseRequest, reply: Reply) -> web.StreamResponse:
        headers = CIMultiDict((n, v) for n, v in reply.headers if n.lower() not in _FRAMING_HEADERS)
        body = reply.body
        # A reply that names its own coding (a scripted broken gzip body) goes out as it is.
        if reply.status in _NO_BODY_STATUSES:
            body = b""
        elif self.compress and body and "Content-Encoding" not in headers:
            coding = choose_coding(request.headers.get("Accept-Encoding"))
            if coding is not None:
                body = await _compressed(coding, body)
                headers["Content-Encoding"] = coding
                headers["Vary"] = "Accept-Encoding"
        if reply.fault is None and self.bandwidth_mbps is None:
            return web.Response(status=reply.status, headers=headers, body=body or None)
        response = web.StreamResponse(status=reply.status, headers=headers)
        if reply.status not in _NO_BODY_STATUSES:
            # A truncated answer announces at least one byte, so even an empty
            # body comes up short.
            response.content_length = max(len(body), 1) if reply.fault else len(body)
        connection = request.protocol
        assert isinstance(connection, Connection)
        with connection.sending():
            await response.prepare(request)
        if request.method == "HEAD":
            return response
        if reply.fault == "truncate":
            with connection.sending():
                await response.write(body[: len(body) // 2])
            connection.force_close()  # flushes what was written, then hangs up
        else:
            await self._write_paced(connection, response, body)
        return response

    async def _write_paced(
        self, connection: Connection, response: web.StreamResponse, body: bytes
    ) -> None:
        """Send ``body`` no faster than ``bandwidth_mbps`` (sleeping between slices)."""
        assert self.bandwidth_mbps is not None
        rate = self.bandwidth_mbps * 125_000  # bytes per second
        step = max(1024, int(rate / 200))  # about 5 ms of link time per slice
        loop = asyncio.get_running_loop()
        started = loop.time()
        for sent in range(0, len(body), step):
            with connection.sending():
                await response.write(body[sent : sent + step])
            due = started + (sent + step) / rate
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)

    # -- inside a running loop -----------------------------------------------

    async def start(self) -> None:
        """Listen on the running loop; sets ``port`` when 0 was asked for."""
        if self._server is not None:
            raise RuntimeError("FakeServer is already running")
        limits = self.limits
        self._web = WebServer(
            self._serve,
            limits,
            keepalive_timeout=limits.idle_timeout,
            max_line_size=limits.max_header_bytes,
            max_field_size=limits.max_header_bytes,
            lingering_time=1.0,
            auto_decompress=False,  # a compressed request body could be a zip bomb
            access_log=None,
        )
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._web, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self, grace: float = 0.0) -> None:
        """Stop listening, let requests in progress finish for up to ``grace``
        seconds, then hang up every open connection."""
        server, web_server = self._server, self._web
        self._server = None
        if server is None or web_server is None:
            return
        server.close()
        connections = web_server.connections
        if grace > 0:
            web_server.pre_shutdown()
            await web_server.shutdown(grace)
        for connection in connections:
            # A reset for a client that is not reading: wait_closed() (3.12+)
            # would otherwise wait for its unsent answers forever.
            if isinstance(connection, Connection):
                connection.hang_up()
        # force_close() closes each socket on the next loop turn; let that
        # happen before a caller closes the loop.
        await asyncio.sleep(0)
        await server.wait_closed()

    async def __aenter__(self) -> FakeServer:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # -- in a background thread ----------------------------------------------

    def __enter__(self) -> FakeServer:
        if self._thread is not None:
            raise RuntimeError("FakeServer is already running")
        started: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._run_in_thread, args=(started,), name="bigc-fake-server", daemon=True
        )
        self._thread.start()
        try:
            started.result()
        except BaseException:
            self._thread.join()
            self._thread = None
            raise
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        thread, loop = self._thread, self._thread_loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._thread = None

    def _run_in_thread(self, started: Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._thread_loop = loop
        try:
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                started.set_exception(exc)
                return
            started.set_result(None)
            loop.run_forever()
            loop.run_until_complete(self.stop())
            _cancel_leftover_tasks(loop)
            loop.run_until_complete(loop.shutdown_default_executor())  # compression threads
        finally:
            self._thread_loop = None
            loop.close()


def _without_tracebacks(exc: Exception) -> Exception:
    """``exc`` with no traceback, nor any on the exceptions it was raised from."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return exc


async def _compressed(coding: str, body: bytes) -> bytes:
    """``body`` compressed; a large one in a worker thread (zlib, brotli and zstd
    release the GIL), so other connections are served meanwhile."""
    if len(body) < _COMPRESS_INLINE_BYTES:
        return encode(coding, body)
    return await asyncio.get_running_loop().run_in_executor(None, encode, coding, body)


async def _read_at_most(request: web.BaseRequest, limit: int) -> bytes:
    """The whole request body; refused as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > limit:
            raise _Refused(413, f"The request body is larger than {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _cancel_leftover_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is still running (handlers of hung-up connections), as asyncio.run does."""
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
