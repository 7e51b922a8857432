"""The default transports' error contract, over real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from bigc import Request, Response, Timeout
from bigc._aiohttp_transport import AiohttpTransport
from bigc._urllib3_transport import Urllib3Transport
from bigc.exceptions import BigCommerceException, ConnectError, RequestTimeoutError
from bigc.testing import FakeServer, FakeStore
from tests.support import RawServer


def closed_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def send(kind: str, request: Request) -> Response:
    if kind == "sync":
        transport = Urllib3Transport()
        try:
            return transport.send(request)
        finally:
            transport.close()

    async def run() -> Response:
        transport = AiohttpTransport()
        try:
            return await transport.send(request)
        finally:
            await transport.aclose()

    return asyncio.run(run())


@pytest.fixture
def server() -> Iterator[tuple[FakeStore, FakeServer]]:
    store = FakeStore.with_sample_data(products=3)
    with FakeServer(store) as running:
        yield store, running


def get(url: str, read: float = 5) -> Request:
    return Request("GET", url, {"X-Auth-Token": "t"}, None, Timeout(connect=2, read=read))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_refused_connection_is_a_connect_error(kind: str) -> None:
    with pytest.raises(ConnectError):
        send(kind, get(f"http://127.0.0.1:{closed_port()}/stores/s/v3/x"))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_read_timeout(kind: str, server: tuple[FakeStore, FakeServer]) -> None:
    store, running = server
    store.delay("GET", "/v3/catalog/products/1", 2)
    with pytest.raises(RequestTimeoutError) as info:
        send(kind, get(running.base_url + "/stores/s/v3/catalog/products/1", read=0.2))
    assert info.value.phase == "read"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_every_status_is_returned_with_its_body(
    kind: str, server: tuple[FakeStore, FakeServer]
) -> None:
    _, running = server
    response = send(kind, get(running.base_url + "/stores/s/v3/catalog/products/99"))
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert response.headers["x-rate-limit-requests-left"]


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_errors_are_bigc_exceptions(kind: str, server: tuple[FakeStore, FakeServer]) -> None:
    store, running = server
    store.truncate("GET", "/v3/catalog/products")
    with pytest.raises(BigCommerceException):
        send(kind, get(running.base_url + "/stores/s/v3/catalog/products"))


def test_async_client_works_under_a_second_event_loop(
    server: tuple[FakeStore, FakeServer],
) -> None:
    from bigc import AsyncBigCommerceAPI

    _, running = server
    api = AsyncBigCommerceAPI("s", "t", base_url=running.base_url)

    async def product_id() -> int:
        return int((await api.products_v3.get(1))["id"])

    assert asyncio.run(product_id()) == 1
    assert asyncio.run(product_id()) == 1  # a new loop: a new aiohttp session

    async def close() -> None:
        await api.aclose()

    asyncio.run(close())
    gc.collect()  # an unclosed socket of the first loop would warn here (warnings are errors)


@pytest.fixture
def malformed_server() -> Iterator[str]:
    """A server that answers every request with an unparseable Content-Length."""

    def answer(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}")

    with RawServer(answer) as server:
        yield server.base_url


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_malformed_answer_never_shows_the_token(
    kind: str, malformed_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bigc")
    token = "SUPERSECRETTOKEN123"
    request = Request("GET", malformed_server + "/x", {"X-Auth-Token": token}, None, Timeout(2, 2))
    try:
        send(kind, request)  # urllib3 tolerates the bad header; aiohttp refuses it
    except BigCommerceException as exc:
        texts = [str(exc), repr(exc)]
    else:
        assert kind == "sync"
        texts = []
    assert all(token not in text for text in [*texts, caplog.text])


@pytest.fixture
def trickle_server() -> Iterator[str]:
    """A server that sends its answer's body one byte every 50 ms."""
    body = b'{"data": {"id": 1, "name": "a slow answer"}}'

    def answer(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
        for byte in body:
            if slow.stop.wait(0.05):  # the test is over
                return
            conn.sendall(bytes([byte]))

    with RawServer(answer) as slow:
        yield slow.base_url


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_total_timeout_holds_while_a_body_trickles_in(kind: str, trickle_server: str) -> None:
    from bigc import AsyncBigCommerceAPI, BigCommerceAPI

    timeout = Timeout(connect=1, read=1, total=0.5)  # every byte comes well within `read`

    async def get_async() -> Any:
        async with AsyncBigCommerceAPI("s", "t", base_url=trickle_server) as api:
            return await api.products_v3.get(1, timeout=timeout)

    with pytest.raises(RequestTimeoutError) as info:
        if kind == "async":
            asyncio.run(get_async())
        else:
            BigCommerceAPI("s", "t", base_url=trickle_server).products_v3.get(1, timeout=timeout)
    assert info.value.phase == "total"
