"""The in-process transports: bigc Requests in, Responses (or transport errors) out."""

from __future__ import annotations

import json
import threading
import time

import pytest

from bigc import AsyncTransport, Request, Timeout, Transport
from bigc.exceptions import BigCommerceNetworkError, ConnectError, RequestTimeoutError
from bigc.testing import FakeStore
from tests.testing.conftest import new_product

BASE = "https://api.bigcommerce.com/stores/abc"
HEADERS = {"X-Auth-Token": "t", "Accept": "application/json", "Content-Type": "application/json"}


def request(method: str, path: str, body: object = None, read: float | None = None) -> Request:
    data = None if body is None else json.dumps(body).encode()
    return Request(method, BASE + path, dict(HEADERS), data, Timeout(read=read))


def test_the_transports_satisfy_the_protocols() -> None:
    store = FakeStore()
    assert isinstance(store.transport(), Transport)
    assert isinstance(store.async_transport(), AsyncTransport)


def test_send_returns_the_whole_response() -> None:
    transport = FakeStore().transport()
    created = transport.send(request("POST", "/v3/catalog/products", new_product()))
    assert created.status_code == 200
    assert created.json()["data"]["id"] == 1
    assert created.headers["content-type"] == "application/json"
    assert "X-Rate-Limit-Requests-Left" in created.headers
    listed = transport.send(request("GET", "/v3/catalog/products?id%3Ain=1&limit=5"))
    assert [p["id"] for p in listed.json()["data"]] == [1]
    assert listed.request is not None and listed.request.method == "GET"
    transport.close()


def test_delays_are_slept_and_timeouts_raise_after_the_write() -> None:
    store = FakeStore()
    transport = store.transport()
    store.delay("POST", "/v3/catalog/products", 0.05)
    started = time.perf_counter()
    assert (
        transport.send(request("POST", "/v3/catalog/products", new_product("A"))).status_code == 200
    )
    assert time.perf_counter() - started >= 0.05

    store.delay("POST", "/v3/catalog/products", 5.0)
    started = time.perf_counter()
    with pytest.raises(RequestTimeoutError) as caught:
        transport.send(request("POST", "/v3/catalog/products", new_product("B"), read=0.05))
    assert caught.value.phase == "read"
    assert time.perf_counter() - started < 1.0
    assert store.writes["POST /v3/catalog/products"] == 2  # the dangerous case: it was applied


@pytest.mark.parametrize("fault", ["drop", "truncate"])
def test_broken_answers_raise_network_errors(fault: str) -> None:
    store = FakeStore()
    getattr(store, fault)("GET", "/v2/orders")
    with pytest.raises(BigCommerceNetworkError) as caught:
        store.transport().send(request("GET", "/v2/orders"))
    assert not isinstance(caught.value, ConnectError)  # the server may have acted on it


async def test_the_async_transport() -> None:
    store = FakeStore()
    transport = store.async_transport()
    created = await transport.send(request("POST", "/v3/catalog/products", new_product()))
    assert created.json()["data"]["name"] == "Mug"
    store.delay("GET", "/v3/catalog/products/1", 5.0)
    with pytest.raises(RequestTimeoutError):
        await transport.send(request("GET", "/v3/catalog/products/1", read=0.02))
    store.drop("GET", "/v3/catalog/products/1")
    with pytest.raises(BigCommerceNetworkError):
        await transport.send(request("GET", "/v3/catalog/products/1"))
    await transport.aclose()


def test_concurrent_writes_from_threads_get_distinct_ids() -> None:
    store = FakeStore()
    transport = store.transport()
    ids: list[int] = []
    lock = threading.Lock()

    def create(worker: int) -> None:
        for n in range(25):
            body = new_product(f"P{worker}-{n}")
            found = transport.send(request("POST", "/v3/catalog/products", body)).json()["data"][
                "id"
            ]
            with lock:
                ids.append(found)

    threads = [threading.Thread(target=create, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ids) == list(range(1, 201))
    assert store.writes["POST /v3/catalog/products"] == 200
    assert len(store.requests) == 200
