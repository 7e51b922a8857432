"""The fault matrix: every fault x every method x both clients, over a real socket.

Each case scripts one fault on the fake store (served on 127.0.0.1), makes one
call, and checks the outcome (a result, or the exact exception), how many
requests the store received and how many times the write was carried out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI, RetryPolicy, Timeout
from bigc.exceptions import (
    BadGatewayError,
    BigCommerceException,
    BigCommerceNetworkError,
    DoesNotExistError,
    InvalidResponseError,
    RequestTimeoutError,
    ServiceUnavailableError,
)
from bigc.testing import FakeServer, FakeStore

POLICY = RetryPolicy(get_retries=3, backoff_base=0.01, backoff_cap=0.05)
PRODUCT = {"name": "Widget", "type": "physical", "weight": 1, "price": 10}
HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


@dataclass(frozen=True)
class Op:
    """One client call of a given HTTP method, and the store path it writes to."""

    method: str
    call: Callable[[Any, int], Any]

    def path(self, product_id: int) -> str:
        suffix = "" if self.method == "POST" else f"/{product_id}"
        return "/v3/catalog/products" + suffix


OPS = {
    "GET": Op("GET", lambda api, pid: api.products_v3.get(pid)),
    "PUT": Op("PUT", lambda api, pid: api.products_v3.update(pid, {"price": 12}, retries=3)),
    "DELETE": Op("DELETE", lambda api, pid: api.products_v3.delete(pid, retries=3)),
    "POST": Op("POST", lambda api, pid: api.products_v3.create({**PRODUCT, "name": "New"})),
}

Script = Callable[[FakeStore, str, str], object]

FAULTS: dict[str, Script] = {
    "429 with headers": lambda s, m, p: s.rate_limit(m, p, times=2, reset_ms=30),
    "429 without headers": lambda s, m, p: s.rate_limit(m, p, times=2, with_headers=False),
    "5xx burst within budget": lambda s, m, p: s.fail(m, p, status=503, times=2),
    "5xx burst past budget": lambda s, m, p: s.fail(m, p, status=503, times=10),
    "dropped before answer": lambda s, m, p: s.drop(m, p),
    "truncated body": lambda s, m, p: s.truncate(m, p),
    "slow past read timeout": lambda s, m, p: s.delay(m, p, 1.5),
    "invalid JSON": lambda s, m, p: s.fail(m, p, status=200, body=b'{"data": {"id": 1'),
    "HTML 502 page": lambda s, m, p: s.fail(m, p, status=502, body=HTML_502),
    "empty 200": lambda s, m, p: s.fail(m, p, status=200, body=b""),
}

OK = None
# fault -> method -> (exception or OK, requests received, writes carried out)
Expected = tuple[type[BigCommerceException] | None, int, int]
MATRIX: dict[str, dict[str, Expected]] = {
    "429 with headers": {"GET": (OK, 3, 0), "PUT": (OK, 3, 1), "DELETE": (OK, 3, 1),
                         "POST": (OK, 3, 1)},
    "429 without headers": {"GET": (OK, 3, 0), "PUT": (OK, 3, 1), "DELETE": (OK, 3, 1),
                            "POST": (OK, 3, 1)},
    "5xx burst within budget": {"GET": (OK, 3, 0), "PUT": (OK, 3, 1), "DELETE": (OK, 3, 1),
                                "POST": (ServiceUnavailableError, 1, 0)},
    "5xx burst past budget": {"GET": (ServiceUnavailableError, 4, 0),
                              "PUT": (ServiceUnavailableError, 4, 0),
                              "DELETE": (ServiceUnavailableError, 4, 0),
                              "POST": (ServiceUnavailableError, 1, 0)},
    "dropped before answer": {"GET": (OK, 2, 0), "PUT": (OK, 2, 1), "DELETE": (OK, 2, 1),
                              "POST": (BigCommerceNetworkError, 1, 0)},
    # The first attempt was carried out: a PUT repeats harmlessly, a repeated
    # DELETE finds nothing left, and the POST is not repeated at all.
    # (A DELETE's 204 has no body to cut short, so it arrives whole.)
    "truncated body": {"GET": (OK, 2, 0), "PUT": (OK, 2, 2), "DELETE": (OK, 1, 1),
                       "POST": (BigCommerceNetworkError, 1, 1)},
    "slow past read timeout": {"GET": (OK, 2, 0), "PUT": (OK, 2, 2),
                               "DELETE": (DoesNotExistError, 2, 1),
                               "POST": (RequestTimeoutError, 1, 1)},
    "invalid JSON": {"GET": (InvalidResponseError, 1, 0), "PUT": (InvalidResponseError, 1, 0),
                     "DELETE": (InvalidResponseError, 1, 0),
                     "POST": (InvalidResponseError, 1, 0)},
    "HTML 502 page": {"GET": (OK, 2, 0), "PUT": (OK, 2, 1), "DELETE": (OK, 2, 1),
                      "POST": (BadGatewayError, 1, 0)},
    # An empty answer is what a DELETE may send; anything else needed JSON.
    "empty 200": {"GET": (InvalidResponseError, 1, 0), "PUT": (InvalidResponseError, 1, 0),
                  "DELETE": (OK, 1, 0), "POST": (InvalidResponseError, 1, 0)},
}  # fmt: skip

CASES = [
    pytest.param(fault, method, kind, id=f"{fault}-{method}-{kind}")
    for fault in FAULTS
    for method in OPS
    for kind in ("sync", "async")
]


@pytest.fixture
def served() -> Iterator[tuple[FakeStore, str]]:
    store = FakeStore(access_token="TOKEN")
    with FakeServer(store) as server:
        yield store, server.base_url


def client_options(base_url: str) -> dict[str, Any]:
    return {"base_url": base_url, "retry_policy": POLICY, "timeout": Timeout(connect=2, read=0.5)}


def call_sync(base_url: str, op: Op, product_id: int) -> Any:
    with BigCommerceAPI("store", "TOKEN", **client_options(base_url)) as api:
        return op.call(api, product_id)


def call_async(base_url: str, op: Op, product_id: int) -> Any:
    async def run() -> Any:
        async with AsyncBigCommerceAPI("store", "TOKEN", **client_options(base_url)) as api:
            return await op.call(api, product_id)

    return asyncio.run(run())


@pytest.mark.parametrize(("fault", "method", "kind"), CASES)
def test_fault_matrix(served: tuple[FakeStore, str], fault: str, method: str, kind: str) -> None:
    store, base_url = served
    product_id = store.api("POST", "/v3/catalog/products", json=PRODUCT)["data"]["id"]
    op = OPS[method]
    path = op.path(product_id)
    FAULTS[fault](store, method, path)
    expected_error, expected_requests, expected_writes = MATRIX[fault][method]
    run = call_async if kind == "async" else call_sync

    if expected_error is None:
        result = run(base_url, op, product_id)
        if method in ("GET", "PUT", "POST"):
            assert isinstance(result, dict) and result["id"]
    else:
        with pytest.raises(expected_error) as info:
            run(base_url, op, product_id)
        assert type(info.value) is expected_error
        assert "TOKEN" not in str(info.value)

    received = store.requests_to(method, path)
    assert len(received) == expected_requests
    assert sum(r.applied for r in received if r.is_write) == expected_writes
    if method == "POST":
        assert store.writes[f"POST {path}"] <= 1


def test_matrix_is_complete() -> None:
    assert set(MATRIX) == set(FAULTS)
    assert all(set(row) == set(OPS) for row in MATRIX.values())
