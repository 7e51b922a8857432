"""The served store's ``/__bigc/`` admin endpoints, used as a test in another language would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import urllib3

from bigc.testing import FakeServer, FakeStore
from tests.testing.conftest import new_product

PRODUCTS = "/stores/abc123/v3/catalog/products"
TOKEN = {"X-Auth-Token": "secret-token"}


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def server(store: FakeStore) -> Iterator[FakeServer]:
    with FakeServer(store) as running:
        yield running


def call(
    server: FakeServer,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> urllib3.BaseHTTPResponse:
    return urllib3.request(
        method,
        server.base_url + path,
        body=None if body is None else json.dumps(body).encode(),
        headers=headers or {},
        retries=False,
        timeout=30,
    )


def test_health(server: FakeServer) -> None:
    answer = call(server, "GET", "/__bigc/health")
    assert (answer.status, answer.json()) == (200, {"status": "ok", "connections": 1})


def test_the_request_log_over_http(server: FakeServer) -> None:
    call(server, "POST", PRODUCTS, new_product("Mug"), TOKEN)
    call(server, "GET", PRODUCTS + "?limit=5", headers=TOKEN)
    log = call(server, "GET", "/__bigc/requests").json()
    assert [(r["method"], r["path"], r["status"]) for r in log["requests"]] == [
        ("POST", "/v3/catalog/products", 200),
        ("GET", "/v3/catalog/products", 200),
    ]
    assert log["requests"][0]["json"] == new_product("Mug")
    assert log["requests"][1]["query"] == {"limit": "5"}
    assert "secret-token" not in json.dumps(log)
    assert log["writes"] == {"POST /v3/catalog/products": 1}
    assert log["dropped"] == 0
    only_posts = call(server, "GET", "/__bigc/requests?method=POST").json()["requests"]
    assert [r["method"] for r in only_posts] == ["POST"]


def test_resetting_the_log(server: FakeServer, store: FakeStore) -> None:
    call(server, "POST", PRODUCTS, new_product(), TOKEN)
    assert call(server, "DELETE", "/__bigc/requests").status == 204
    assert store.requests == [] and not store.writes
    assert call(server, "GET", "/__bigc/requests").json()["requests"] == []
    assert store.api("GET", "/v3/catalog/products")["data"], "the data stays"


def test_scripting_a_fault_over_http(server: FakeServer, store: FakeStore) -> None:
    spec = {"kind": "fail", "method": "POST", "path": "/v3/catalog/*", "status": 503, "times": 1}
    created = call(server, "POST", "/__bigc/faults", spec)
    assert created.status == 201
    assert created.json() == {
        "kind": "fail",
        "method": "POST",
        "path": "/v3/catalog/*",
        "times": 1,
        "applied": False,
        "status": 503,
        "seconds": 0.0,
        "hits": 0,
    }
    assert call(server, "POST", PRODUCTS, new_product(), TOKEN).status == 503
    assert call(server, "POST", PRODUCTS, new_product(), TOKEN).status == 200
    assert store.writes["POST /v3/catalog/products"] == 1


def test_a_drop_scripted_over_http_closes_the_connection(server: FakeServer) -> None:
    call(server, "POST", "/__bigc/faults", {"kind": "drop", "method": "GET", "path": "*"})
    with pytest.raises(urllib3.exceptions.ProtocolError):
        call(server, "GET", PRODUCTS, headers=TOKEN)


def test_clearing_faults(server: FakeServer) -> None:
    call(server, "POST", "/__bigc/faults", {"kind": "fail", "times": None})
    assert call(server, "DELETE", "/__bigc/faults").status == 204
    assert call(server, "GET", PRODUCTS, headers=TOKEN).status == 200


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "explode"},
        {"method": "GET"},
        {"kind": "fail", "status": "500"},
        {"kind": "fail", "status": 99},
        {"kind": "fail", "times": 0},
        {"kind": "fail", "colour": "red"},
        {"kind": "delay", "seconds": -1},
        {"kind": "delay", "seconds": 1e300},
        {"kind": "drop", "seconds": 1},
        {"kind": "fail", "headers": {"X": 1}},
        {"kind": "fail", "method": 5},
        ["fail"],
    ],
)
def test_a_bad_fault_is_refused_with_422(server: FakeServer, spec: Any) -> None:
    answer = call(server, "POST", "/__bigc/faults", spec)
    assert answer.status == 422
    assert answer.json()["status"] == 422
    assert call(server, "GET", PRODUCTS, headers=TOKEN).status == 200, "no rule was added"


def test_a_fault_that_is_not_json_gets_400(server: FakeServer) -> None:
    answer = urllib3.request("POST", server.base_url + "/__bigc/faults", body=b"{", retries=False)
    assert answer.status == 400


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/__bigc/health", 405),
        ("PUT", "/__bigc/requests", 405),
        ("GET", "/__bigc/faults", 405),
        ("GET", "/__bigc/nothing", 404),
    ],
)
def test_unknown_admin_calls(server: FakeServer, method: str, path: str, status: int) -> None:
    answer = call(server, method, path)
    assert answer.status == status
    assert answer.json()["status"] == status


def test_paths_outside_stores_reach_the_store(server: FakeServer, store: FakeStore) -> None:
    # Other routes (the OAuth token endpoint, webhooks) live in the store's dispatch.
    for path in ("/oauth2/token", "/somewhere/else"):
        answer = call(server, "POST", path, {"code": "x"})
        assert (store.requests[-1].path, store.requests[-1].status) == (path, answer.status)
    assert answer.status == 404
