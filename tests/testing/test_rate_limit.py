"""The store's quota: headers on every answer, 429 past the quota, window reset."""

from __future__ import annotations

from bigc.testing import FakeStore
from tests.testing.conftest import Caller

RATE_HEADERS = (
    "X-Rate-Limit-Time-Window-Ms",
    "X-Rate-Limit-Time-Reset-Ms",
    "X-Rate-Limit-Requests-Quota",
    "X-Rate-Limit-Requests-Left",
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_every_answer_carries_the_headers_even_without_a_quota(api: Caller) -> None:
    for answer in (api.get("/v3/catalog/products"), api.get("/v2/orders"), api.get("/v3/nope")):
        assert all(name in answer.headers for name in RATE_HEADERS)
    assert int(api.get("/v2/orders").headers["X-Rate-Limit-Requests-Quota"]) >= 1_000_000


def test_past_the_quota_is_429_until_the_window_resets() -> None:
    clock = Clock()
    api = Caller(FakeStore(quota=3, window_ms=30000, clock=clock))
    left = []
    for _ in range(3):
        answer = api.get("/v3/catalog/products")
        assert answer.status == 200
        left.append(answer.headers["X-Rate-Limit-Requests-Left"])
    assert left == ["2", "1", "0"]

    clock.now += 10
    limited = api.get("/v3/catalog/products")
    assert limited.status == 429
    assert limited.body["status"] == 429 and limited.body["title"]
    assert limited.headers["X-Rate-Limit-Requests-Quota"] == "3"
    assert limited.headers["X-Rate-Limit-Requests-Left"] == "0"
    assert limited.headers["X-Rate-Limit-Time-Reset-Ms"] == "20000"
    assert limited.headers["X-Retry-After"] == "20"  # seconds
    assert api.get("/v2/orders").body[0]["status"] == 429  # v2 body on v2

    clock.now += 20
    again = api.get("/v3/catalog/products")
    assert again.status == 200
    assert again.headers["X-Rate-Limit-Requests-Left"] == "2"
    assert again.headers["X-Rate-Limit-Time-Reset-Ms"] == "30000"


def test_refused_requests_do_not_use_the_quota() -> None:
    clock = Clock()
    api = Caller(FakeStore(quota=2, clock=clock))
    unauthorized = api("GET", "/v3/catalog/products", headers={})
    assert unauthorized.status == 401
    assert unauthorized.headers["X-Rate-Limit-Requests-Left"] == "2"
    api.store.fail("GET", "/v3/catalog/products", status=500)
    api.get("/v3/catalog/products")  # a scripted fault is not counted either
    assert api.get("/v3/catalog/products").headers["X-Rate-Limit-Requests-Left"] == "1"
