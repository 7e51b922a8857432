"""Scripted faults, the request log and the write counters."""

from __future__ import annotations

import pytest

from bigc.testing import FakeStore
from tests.testing.conftest import TOKEN, Caller, new_product


def product_count(store: FakeStore) -> int:
    return len(store.api("GET", "/v3/catalog/products")["data"])


def test_fail_answers_without_carrying_out_the_write(api: Caller, store: FakeStore) -> None:
    rule = store.fail("POST", "/v3/catalog/products", status=503)
    failed = api.post("/v3/catalog/products", new_product())
    assert failed.status == 503
    assert failed.body["status"] == 503  # a BigCommerce-like v3 body
    assert product_count(store) == 0
    assert store.writes["POST /v3/catalog/products"] == 0
    assert (store.requests[-1].fault, store.requests[-1].applied) == ("fail", False)
    assert rule.hits == 1 and rule.spent

    assert api.post("/v3/catalog/products", new_product()).status == 200  # times=1 by default
    assert store.writes["POST /v3/catalog/products"] == 1
    assert store.requests[-1].applied and store.requests[-1].fault is None


def test_fail_after_carrying_out_the_write(api: Caller, store: FakeStore) -> None:
    store.fail("POST", "/v3/catalog/products", status=502, applied=True)
    assert api.post("/v3/catalog/products", new_product()).status == 502
    assert product_count(store) == 1
    assert store.writes["POST /v3/catalog/products"] == 1
    assert store.requests[-1].applied is True


def test_fail_with_a_custom_body_and_headers(api: Caller, store: FakeStore) -> None:
    store.fail("GET", "/v2/orders", status=500, body=b"<html>oops</html>", headers={"X-Oops": "1"})
    answer = api.store.handle("GET", "/stores/x/v2/orders", TOKEN, b"")
    assert (answer.status, answer.body) == (500, b"<html>oops</html>")
    assert ("X-Oops", "1") in answer.headers
    store.fail("GET", "/v2/orders", status=500)
    assert api.get("/v2/orders").body[0]["status"] == 500  # v2 body on a v2 path


def test_times_methods_and_patterns(api: Caller, store: FakeStore) -> None:
    store.fail("*", "/v3/catalog/products*", status=500, times=2)
    assert api.get("/v3/catalog/products/5").status == 500
    assert api.post("/v3/catalog/products", new_product()).status == 500
    assert api.get("/v3/catalog/products").status == 200  # spent
    store.fail("GET", "/v3/catalog/products", status=500, times=None)  # exact path, forever
    assert api.get("/v3/catalog/products/1").status == 404  # other paths are untouched
    assert [api.get("/v3/catalog/products").status for _ in range(3)] == [500, 500, 500]
    store.clear_faults()
    assert api.get("/v3/catalog/products").status == 200


def test_rate_limit_with_and_without_headers(api: Caller, store: FakeStore) -> None:
    store.rate_limit("GET", "/v3/catalog/products", reset_ms=1500)
    limited = api.get("/v3/catalog/products")
    assert limited.status == 429
    assert limited.headers["X-Rate-Limit-Time-Reset-Ms"] == "1500"
    assert limited.headers["X-Rate-Limit-Requests-Left"] == "0"
    store.rate_limit("GET", "/v3/catalog/products", with_headers=False)
    bare = api.get("/v3/catalog/products")
    assert bare.status == 429
    assert not any(name.startswith("X-Rate-Limit") for name in bare.headers)


def test_delay_carries_out_and_answers_late(api: Caller, store: FakeStore) -> None:
    store.delay("POST", "/v3/catalog/products", 2.5)
    answer = api.post("/v3/catalog/products", new_product())
    assert (answer.status, answer.reply.delay) == (200, 2.5)
    assert store.writes["POST /v3/catalog/products"] == 1
    assert store.requests[-1].fault == "delay"
    assert api.get("/v3/catalog/products").reply.delay == 0.0


def test_drop_before_and_after_carrying_out(api: Caller, store: FakeStore) -> None:
    store.drop("POST", "/v3/catalog/products")
    dropped = api.store.handle("POST", "/stores/x/v3/catalog/products", TOKEN, b'{"name": "a"}')
    assert dropped.fault == "drop"
    assert (store.requests[-1].status, store.requests[-1].applied) == (None, False)
    assert product_count(store) == 0

    store.drop("POST", "/v3/catalog/products", applied=True)
    api.post("/v3/catalog/products", new_product())
    assert store.requests[-1].applied and store.requests[-1].status is None
    assert product_count(store) == 1


def test_truncate_carries_out_the_write(api: Caller, store: FakeStore) -> None:
    store.truncate("POST", "/v2/orders")
    body = {
        "billing_address": {"email": "a@example.com"},
        "products": [{"name": "x", "quantity": 1, "price_ex_tax": 1}],
    }
    answer = api.post("/v2/orders", body)
    assert (answer.status, answer.reply.fault) == (200, "truncate")
    assert store.writes["POST /v2/orders"] == 1
    assert store.api("GET", "/v2/orders/1")["id"] == 1


def test_bad_rules_are_refused(store: FakeStore) -> None:
    with pytest.raises(ValueError, match="times"):
        store.fail("GET", "/v2/orders", times=0)


def test_the_request_log(api: Caller, store: FakeStore) -> None:
    api.post("/v3/catalog/products", new_product("Lamp"), include="variants")
    api.get("/v3/catalog/products", **{"id:in": "1,2"})
    first, second = store.requests
    assert (first.method, first.path, first.query) == (
        "POST",
        "/v3/catalog/products",
        {"include": "variants"},
    )
    assert first.json == new_product("Lamp")
    assert first.status == 200 and first.is_write
    assert first.headers["x-auth-token"] == "[redacted]"
    assert first.headers["accept"] == "application/json"
    assert second.query == {"id:in": "1,2"} and not second.is_write
    assert store.requests_to("GET") == [second]
    assert store.requests_to("*", "/v3/catalog/*") == [first, second]
    store.clear_log()
    assert store.requests == [] and store.writes == {}
    assert product_count(store) == 1  # data stays


def test_writes_count_only_what_was_carried_out(api: Caller, store: FakeStore) -> None:
    api.post("/v3/catalog/products", new_product("A"))
    api.post("/v3/catalog/products", new_product("A"))  # 409
    api.post("/v3/catalog/products", {"name": "B"})  # 422
    api.put("/v3/catalog/products/1", {"price": 3})
    api.delete("/v3/catalog/products/1")
    api.delete("/v3/catalog/products/1")  # 404
    assert store.writes == {
        "POST /v3/catalog/products": 1,
        "PUT /v3/catalog/products/1": 1,
        "DELETE /v3/catalog/products/1": 1,
    }
    assert [r.applied for r in store.requests] == [True, False, False, True, True, False]


def test_latency_and_jitter_are_seeded() -> None:
    def delays(seed: int) -> list[float]:
        api = Caller(FakeStore(latency=0.01, jitter=0.02, seed=seed))
        return [api.get("/v3/catalog/products").reply.delay for _ in range(5)]

    first = delays(1)
    assert first == delays(1) and first != delays(2)
    assert all(0.01 <= d <= 0.03 for d in first)
