"""Test helpers: in-process transports that record every request and answer from a
script, and ``RawServer``, a socket server on 127.0.0.1 that answers as a test says."""

from __future__ import annotations

import asyncio
import inspect
import json
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bigc import Request, Response
from bigc.exceptions import BigCommerceException

Answer = Response | BigCommerceException | Callable[[Request], Response]


def settled(condition: Callable[[], bool], seconds: float = 5) -> bool:
    """Whether ``condition`` holds within ``seconds`` (threads and sockets close late)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    return condition()


def json_response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Response:
    content = b"" if body is None else json.dumps(body).encode()
    return Response(status, {"Content-Type": "application/json", **(headers or {})}, content)


class Recorder:
    """Keeps the requests sent and answers each with the next scripted answer.

    With no script left it answers ``default`` (200 and ``{"data": {}}``).
    """

    def __init__(self, *answers: Answer, default: Answer | None = None) -> None:
        self.answers = list(answers)
        self.default = default or json_response(200, {"data": {}})
        self.requests: list[Request] = []
        self.closed = False

    def answer(self, request: Request) -> Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else self.default
        if isinstance(answer, BigCommerceException):
            raise answer
        if callable(answer):
            return answer(request)
        return Response(answer.status_code, answer.headers, answer.content, request)

    @property
    def last(self) -> Request:
        return self.requests[-1]

    def calls(self) -> list[tuple[str, str, dict[str, str]]]:
        """(method, path, query) of every request, for compact assertions."""
        return [split(r) for r in self.requests]


def split(request: Request) -> tuple[str, str, dict[str, str]]:
    parts = urlsplit(request.url)
    return request.method, parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))


class SyncTransport(Recorder):
    def send(self, request: Request) -> Response:
        return self.answer(request)

    def close(self) -> None:
        self.closed = True


class AsyncTransport(Recorder):
    async def send(self, request: Request) -> Response:
        return self.answer(request)

    async def aclose(self) -> None:
        self.closed = True


class Driver:
    """Runs the same test through the sync and the async client.

    ``call`` resolves what a client method returned (awaiting it when it is
    a coroutine), ``collect`` drains an iterator of either kind.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._loop = asyncio.new_event_loop() if kind == "async" else None

    def transport(self, *answers: Answer, default: Answer | None = None) -> Recorder:
        cls = AsyncTransport if self.kind == "async" else SyncTransport
        return cls(*answers, default=default)

    def client(self, transport: Any, **options: Any) -> Any:
        from bigc import AsyncBigCommerceAPI, BigCommerceAPI

        cls = AsyncBigCommerceAPI if self.kind == "async" else BigCommerceAPI
        options.setdefault("base_url", "http://127.0.0.1:1")
        return cls("STORE", "SECRET-TOKEN", transport=transport, **options)

    def call(self, result: Any) -> Any:
        if self._loop is not None and inspect.isawaitable(result):
            return self._loop.run_until_complete(result)
        return result

    def collect(self, iterator: Any) -> list[Any]:
        if self._loop is None:
            return list(iterator)

        async def drain() -> list[Any]:
            return [item async for item in iterator]

        return self._loop.run_until_complete(drain())

    def close(self) -> None:
        if self._loop is not None:
            self._loop.close()


class RawServer:
    """Accepts connections on 127.0.0.1 and answers each with ``answer(conn, head)``."""

    def __init__(self, answer: Callable[[socket.socket, bytes], None]) -> None:
        self.answer = answer
        self.heads: list[bytes] = []
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.1)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            try:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                self.heads.append(head)
                self.answer(conn, head)
            except OSError:
                return

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType
    ) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()
