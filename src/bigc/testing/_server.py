"""A loopback HTTP/1.1 server in front of the fake store.

The store decides everything (status, headers, body, delay, fault); this
module only speaks HTTP so that the real urllib3 and aiohttp transports can be
tested end to end. It uses asyncio and the standard library only, so it works
with the core install.

Each connection answers its requests strictly in order (pipelining) and calls
``store.handle`` on the event loop thread when a request's turn comes. A
``Reply.delay`` is waited with a loop timer, so a slow answer on one
connection never holds back another connection.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Protocol

from bigc.testing._reply import Reply

__all__ = ["FakeServer", "RequestHeaders", "Store"]

log = logging.getLogger("bigc.testing")

MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024 * 1024
# Stop reading from a client that pipelines faster than we answer.
MAX_QUEUED_REQUESTS = 64

_REASONS = {status.value: status.phrase for status in HTTPStatus}
# Framing is the server's business: the store cannot set these.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})
_NO_BODY_STATUSES = frozenset({204, 304})


class Store(Protocol):
    """What the server needs from a store: one pure, cheap call per request."""

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Reply: ...


class RequestHeaders(Mapping[str, str]):
    """Request headers with case-insensitive lookup.

    Names are kept lower-case (as in HTTP/2); repeated headers are joined with
    ``", "`` as RFC 9110 allows, so the store sees one value per name.
    """

    __slots__ = ("_items",)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        items: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            items[key] = f"{items[key]}, {value}" if key in items else value
        self._items = items

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"RequestHeaders({self._items!r})"


class _BadRequest(Exception):
    """A request we cannot frame; answered with ``status`` and a closed connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(slots=True)
class _Head:
    method: str
    target: str
    headers: RequestHeaders
    keep_alive: bool
    chunked: bool
    length: int
    expects_continue: bool


@dataclass(slots=True)
class _Job:
    """One request waiting for its turn, or a canned error answer."""

    head: _Head | None
    body: bytes
    keep_alive: bool
    canned: Reply | None = None


# Marks the end of a half-closed client's input: close once the jobs before it are answered.
_END = _Job(None, b"", keep_alive=False)


def _parse_head(raw: bytes) -> _Head:
    """Parse a request line and header block (without the final blank line)."""
    lines = raw.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise _BadRequest(400, f"malformed request line: {lines[0]!r}")
    method, target, version = parts
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise _BadRequest(505, f"unsupported HTTP version: {version!r}")
    pairs: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise _BadRequest(400, f"malformed header line: {line!r}")
        pairs.append((name, value.strip()))
    headers = RequestHeaders(pairs)
    return _Head(
        method=method,
        target=target,
        headers=headers,
        keep_alive=_wants_keep_alive(version, headers),
        chunked=_is_chunked(headers),
        length=_content_length(headers),
        expects_continue=headers.get("expect", "").lower() == "100-continue",
    )


def _wants_keep_alive(version: str, headers: RequestHeaders) -> bool:
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if version == "HTTP/1.0":
        return "keep-alive" in tokens
    return "close" not in tokens


def _is_chunked(headers: RequestHeaders) -> bool:
    coding = headers.get("transfer-encoding")
    if coding is None:
        return False
    if coding.strip().lower() != "chunked":
        raise _BadRequest(501, f"unsupported transfer-encoding: {coding!r}")
    return True


def _content_length(headers: RequestHeaders) -> int:
    value = headers.get("content-length", "0").strip()
    if not value.isdigit():
        raise _BadRequest(400, f"bad content-length: {value!r}")
    length = int(value)
    if length > MAX_BODY_BYTES:
        raise _BadRequest(413, f"body of {length} bytes is too large")
    return length


def _parse_chunked(buf: bytearray) -> tuple[bytes, int] | None:
    """Decode a whole chunked body from the start of ``buf``.

    Returns the body and how many bytes it used, or None if it is not all
    here yet. Re-parsing from the start on every read is quadratic, which is
    fine for a test server's request sizes.
    """
    pos = 0
    chunks: list[bytes] = []
    size_total = 0
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return None
        size_text = bytes(buf[pos:eol]).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise _BadRequest(400, f"bad chunk size: {size_text!r}") from None
        pos = eol + 2
        if size == 0:
            return _skip_trailers(buf, pos, b"".join(chunks))
        size_total += size
        if size_total > MAX_BODY_BYTES:
            raise _BadRequest(413, "chunked body is too large")
        if len(buf) < pos + size + 2:
            return None
        chunks.append(bytes(buf[pos : pos + size]))
        pos += size + 2


def _skip_trailers(buf: bytearray, pos: int, body: bytes) -> tuple[bytes, int] | None:
    """Step over (and ignore) trailer fields after the last chunk."""
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return None
        if eol == pos:
            return body, pos + 2
        pos = eol + 2


def _encode_head(
    status: int, headers: list[tuple[str, str]], length: int | None, close: bool
) -> bytes:
    """Serialise the status line and headers; the server owns framing headers."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}"]
    lines.extend(f"{n}: {v}" for n, v in headers if n.lower() not in _FRAMING_HEADERS)
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if close:
        lines.append("Connection: close")
    lines.append("\r\n")
    return "\r\n".join(lines).encode("latin-1", "replace")


def _encode_reply(reply: Reply, head_only: bool, close: bool) -> bytes:
    """The whole response; 204/304 carry no length and no body, HEAD a length only."""
    if reply.status in _NO_BODY_STATUSES:
        return _encode_head(reply.status, reply.headers, None, close)
    head = _encode_head(reply.status, reply.headers, len(reply.body), close)
    return head if head_only else head + reply.body


def _encode_truncated(reply: Reply) -> bytes:
    """The full length announced but only half the body (never all of it, even if empty)."""
    announced = max(len(reply.body), 1)
    head = _encode_head(reply.status, reply.headers, announced, close=False)
    return head + reply.body[: len(reply.body) // 2]


def _error_reply(status: int, message: str) -> Reply:
    return Reply(status, [("Content-Type", "text/plain; charset=utf-8")], message.encode())


class _Connection(asyncio.Protocol):
    """One client connection: parse requests, answer them one at a time, in order."""

    def __init__(self, server: FakeServer) -> None:
        self._server = server
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._buf = bytearray()
        self._head: _Head | None = None
        self._jobs: deque[_Job] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._sent_continue = False
        self._reading = True
        self._write_paused = False
        self._done = False  # no more requests will be read or answered

    # -- asyncio callbacks ---------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._server._connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        # A client hanging up (even mid-delay) is normal: forget its work quietly.
        self._done = True
        self._jobs.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._server._connections.discard(self)

    def data_received(self, data: bytes) -> None:
        if self._done:
            return
        self._buf += data
        self._read_requests()
        self._pump()

    def eof_received(self) -> bool:
        # A half-closed client still gets answers to what it asked; a partial
        # request at the end is dropped. Returning True keeps our side open.
        if not self._done:
            self._jobs.append(_END)
            self._done_reading()
            self._pump()
        return True

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        self._pump()

    # -- reading -------------------------------------------------------------

    def _read_requests(self) -> None:
        """Turn buffered bytes into queued jobs; queue an error answer on bad framing."""
        try:
            while self._read_one():
                pass
        except _BadRequest as exc:
            self._jobs.append(_Job(None, b"", False, _error_reply(exc.status, str(exc))))
            self._done_reading()
            return
        if len(self._jobs) >= MAX_QUEUED_REQUESTS and self._reading:
            self._set_reading(False)

    def _read_one(self) -> bool:
        """Queue the next complete request from the buffer; False if it is not all here."""
        if self._head is None and not self._read_head():
            return False
        head = self._head
        assert head is not None
        body = self._read_body(head)
        if body is None:
            self._maybe_continue(head)
            return False
        self._head = None
        self._sent_continue = False
        self._jobs.append(_Job(head, body, head.keep_alive))
        if not head.keep_alive:
            self._done_reading()
            return False
        return True

    def _read_head(self) -> bool:
        buf = self._buf
        while buf.startswith(b"\r\n"):  # tolerated between requests (RFC 9112 2.2)
            del buf[:2]
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            if len(buf) > MAX_HEAD_BYTES:
                raise _BadRequest(431, "request head is too large")
            return False
        if end > MAX_HEAD_BYTES:
            raise _BadRequest(431, "request head is too large")
        self._head = _parse_head(bytes(buf[:end]))
        del buf[: end + 4]
        return True

    def _read_body(self, head: _Head) -> bytes | None:
        buf = self._buf
        if head.chunked:
            parsed = _parse_chunked(buf)
            if parsed is None:
                return None
            body, used = parsed
            del buf[:used]
            return body
        if len(buf) < head.length:
            return None
        body = bytes(buf[: head.length])
        del buf[: head.length]
        return body

    def _maybe_continue(self, head: _Head) -> None:
        """Send ``100 Continue`` if the client waits for it and no answer is ahead of it."""
        idle = not self._jobs and self._timer is None
        if head.expects_continue and not self._sent_continue and idle and self._transport:
            self._sent_continue = True
            self._transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _done_reading(self) -> None:
        self._buf.clear()
        self._head = None
        self._done = True

    def _set_reading(self, on: bool) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        self._reading = on
        if on:
            transport.resume_reading()
        else:
            transport.pause_reading()

    # -- answering -----------------------------------------------------------

    def _pump(self) -> None:
        """Answer queued requests in order until one must wait (delay or backpressure)."""
        while self._jobs and self._timer is None and not self._write_paused:
            job = self._jobs.popleft()
            if job is _END:
                self._close()
                return
            reply = job.canned if job.canned is not None else self._ask_store(job)
            if reply.delay > 0:
                self._timer = self._loop.call_later(reply.delay, self._after_delay, job, reply)
                return
            self._answer(job, reply)
        if not self._reading and len(self._jobs) < MAX_QUEUED_REQUESTS // 2 and not self._done:
            self._set_reading(True)

    def _after_delay(self, job: _Job, reply: Reply) -> None:
        self._timer = None
        self._answer(job, reply)
        self._pump()

    def _ask_store(self, job: _Job) -> Reply:
        head = job.head
        assert head is not None
        try:
            return self._server.store.handle(head.method, head.target, head.headers, job.body)
        except Exception as exc:
            # Answer 500 so the test sees it, and keep it for the test to inspect.
            log.exception("fake store failed on %s %s", head.method, head.target)
            self._server.errors.append(exc)
            return _error_reply(500, f"fake store raised {type(exc).__name__}: {exc}")

    def _answer(self, job: _Job, reply: Reply) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if reply.fault == "drop":
            self._close()
            return
        if reply.fault == "truncate":
            transport.write(_encode_truncated(reply))
            self._close()
            return
        head_only = job.head is not None and job.head.method == "HEAD"
        transport.write(_encode_reply(reply, head_only, close=not job.keep_alive))
        if not job.keep_alive:
            self._close()

    def _close(self) -> None:
        """Close after flushing what was already written; drop everything still queued."""
        self._done = True
        self._jobs.clear()
        if self._transport is not None:
            self._transport.close()

    def abort(self) -> None:
        """Hang up at once (server shutdown)."""
        self._done = True
        self._jobs.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._transport is not None:
            self._transport.abort()


class FakeServer:
    """Serve ``store`` over HTTP/1.1 on a loopback port.

    Use it either as ``with FakeServer(store) as server:`` (its own event loop
    in a background thread) or with ``await server.start()`` /
    ``await server.stop()`` inside a running loop. ``port=0`` picks a free port;
    ``base_url`` tells which.
    """

    def __init__(self, store: Store, host: str = "127.0.0.1", port: int = 0) -> None:
        self.store = store
        self.host = host
        self.port = port
        # Exceptions raised by store.handle; each was answered with a 500.
        self.errors: list[Exception] = []
        self._connections: set[_Connection] = set()
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None

    @property
    def open_connections(self) -> int:
        """How many client connections are open now (to check for leaks)."""
        return len(self._connections)

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeServer is not running: use 'with' or 'await start()'")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # -- inside a running loop -----------------------------------------------

    async def start(self) -> None:
        """Listen on the running loop; sets ``port`` when 0 was asked for."""
        if self._server is not None:
            raise RuntimeError("FakeServer is already running")
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _Connection(self), self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and hang up every open connection."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for conn in list(self._connections):
            conn.abort()
        # abort() closes each socket on the next loop turn; let that happen
        # before a caller closes the loop.
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
        finally:
            self._thread_loop = None
            loop.close()
