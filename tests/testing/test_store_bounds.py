"""A served store runs for days: nothing it keeps per request grows without bound."""

from __future__ import annotations

import gc
import json
import threading
import time
import tracemalloc
from collections.abc import Mapping
from typing import Any

import pytest

from bigc.testing import FakeStore
from bigc.testing.__main__ import _build_store, _parser
from bigc.testing._apps import MAX_PENDING_CODES
from bigc.testing._expiring import Expiring
from bigc.testing._faults import MAX_RULES
from bigc.testing._webhooks import MAX_HUNG_HANDLERS
from tests.testing.conftest import TOKEN, Caller, new_customer, new_product

DEST = "https://app.example.com/webhooks"


def add_hook(api: Caller) -> None:
    answer = api.post("/v3/hooks", {"scope": "store/product/*", "destination": DEST})
    assert answer.status == 200, answer.body


def test_the_webhook_log_keeps_the_last_attempts() -> None:
    store = FakeStore(webhook_log_size=3)
    api = Caller(store)
    add_hook(api)  # not routed: each event is logged as skipped
    for n in range(5):
        api.post("/v3/catalog/products", new_product(f"P{n}"))
    log = store.webhook_deliveries.log
    assert [d.outcome for d in log] == ["skipped"] * 3
    assert log.dropped == 2
    assert log == store.webhook_deliveries.deliveries()


def test_deliveries_waiting_are_bounded_and_the_rest_skipped() -> None:
    store = FakeStore(webhook_log_size=2)
    api = Caller(store)
    add_hook(api)
    release = threading.Event()

    def slow_app(body: bytes, headers: Mapping[str, str]) -> int:
        release.wait(10)
        return 200

    store.webhook_deliveries.route(DEST, slow_app)
    for n in range(5):
        api.post("/v3/catalog/products", new_product(f"P{n}"))
    skipped = store.webhook_deliveries.deliveries("skipped")
    release.set()
    assert store.webhook_deliveries.wait()
    # One in the app's hands and two waiting at most: the other events were skipped.
    assert skipped and {d.error for d in skipped} == {"too many deliveries waiting"}
    log = store.webhook_deliveries.log
    assert len(log) + log.dropped == 5


def storefront_token(api: Caller, path: str = "/v3/storefront/api-token") -> str:
    answer = api.post(path, {"channel_id": 1, "expires_at": int(time.time()) + 600})
    assert answer.status == 200, answer.body
    return str(answer.data["token"])


def storefront(store: FakeStore, query: str, headers: dict[str, str]) -> tuple[int, Any]:
    body = json.dumps({"query": query}).encode()
    reply = store.handle("POST", "/graphql", headers, body)
    return reply.status, json.loads(reply.body)


def test_past_max_tokens_the_oldest_storefront_token_fails_as_an_expired_one() -> None:
    store = FakeStore(max_tokens=2)
    api = Caller(store)
    first, second, third = (storefront_token(api) for _ in range(3))
    query = "{ site { products(first: 1) { edges { cursor } } } }"
    status, body = storefront(store, query, {"Authorization": f"Bearer {first}"})
    assert (status, body) == (
        401,
        {"errors": [{"message": "The storefront token is missing, invalid or expired."}]},
    )
    for token in (second, third):
        assert storefront(store, query, {"Authorization": f"Bearer {token}"})[0] == 200


def signed_up(api: Caller, email: str) -> tuple[int, dict[str, str]]:
    """A customer with a password, and the headers of a storefront token."""
    customer = new_customer(email, authentication={"new_password": "pw-1234567"})
    customer_id = api.post("/v3/customers", [customer]).data[0]["id"]
    return customer_id, {"Authorization": f"Bearer {storefront_token(api)}"}


def log_in(store: FakeStore, email: str, bearer: dict[str, str]) -> str:
    login = (
        f'mutation {{ login(email: "{email}", password: "pw-1234567") '
        "{ customerAccessToken { value } } }"
    )
    status, body = storefront(store, login, bearer)
    assert status == 200, body
    return str(body["data"]["login"]["customerAccessToken"]["value"])


def test_past_max_tokens_the_oldest_customer_session_ends() -> None:
    store = FakeStore(max_tokens=2)
    api = Caller(store)
    _, bearer = signed_up(api, "s@example.com")
    sessions = [log_in(store, "s@example.com", bearer) for _ in range(3)]
    me = "{ customer { email } }"
    status, body = storefront(store, me, {**bearer, "X-Bc-Customer-Access-Token": sessions[0]})
    assert status == 401 and "invalid or expired" in body["errors"][0]["message"]
    status, body = storefront(store, me, {**bearer, "X-Bc-Customer-Access-Token": sessions[2]})
    assert (status, body["data"]) == (200, {"customer": {"email": "s@example.com"}})


def test_expired_entries_are_forgotten_and_the_heap_stays_bounded() -> None:
    now = [1000.0]
    tokens = Expiring[int](limit=3, clock=lambda: now[0])
    tokens.put("a", 1, expires_at=1010)
    tokens.put("b", 2, expires_at=1005)
    assert (tokens.get("a"), tokens.get("b"), len(tokens)) == (1, 2, 2)
    now[0] = 1005  # b expires at 1005: not valid at that instant
    assert (tokens.get("a"), tokens.get("b"), len(tokens)) == (1, None, 1)
    for n in range(100):  # replaced and revoked entries do not pile up
        tokens.put(f"t{n}", n, expires_at=5000)
        tokens.pop(f"t{n}")
    assert len(tokens._expiries) <= 2 * tokens.limit + 1
    assert tokens.get("a") == 1 and tokens.evicted == 0
    for n in range(4):
        tokens.put(f"u{n}", n, expires_at=5000)
    assert tokens.get("a") is None and tokens.evicted == 2
    with pytest.raises(ValueError, match="at least 1"):
        Expiring[int](0, time.time)


def test_write_counts_keep_the_paths_written_last() -> None:
    store = FakeStore(write_paths=2)
    api = Caller(store)
    ids = [api.post("/v3/catalog/products", new_product(f"P{n}")).data["id"] for n in range(2)]
    for product_id in ids:
        api.put(f"/v3/catalog/products/{product_id}", {"price": 3})
    assert dict(store.writes) == {f"PUT /v3/catalog/products/{i}": 1 for i in ids}
    api.put(f"/v3/catalog/products/{ids[0]}", {"price": 4})  # written again: the newest
    api.post("/v3/catalog/products", new_product("P2"))
    assert dict(store.writes) == {
        f"PUT /v3/catalog/products/{ids[0]}": 2,
        "POST /v3/catalog/products": 1,  # forgotten once, counted afresh
    }
    assert store.writes.dropped == 2
    store.clear_log()
    assert (dict(store.writes), store.writes.dropped) == ({}, 0)


def test_serve_flags_set_the_bounds() -> None:
    flags = ["serve", "--write-paths", "9", "--webhook-log-size", "5", "--max-tokens", "7"]
    store = _build_store(_parser().parse_args(flags))
    assert isinstance(store, FakeStore)
    assert store.writes.limit == 9
    assert store.webhook_deliveries.log.size == 5
    assert store._graphql._tokens.limit == store._graphql._customer_tokens.limit == 7
    defaults = _build_store(_parser().parse_args(["serve"]))
    assert isinstance(defaults, FakeStore)
    assert (defaults.requests.size, defaults.webhook_deliveries.log.size) == (1000, 1000)


def test_spent_fault_rules_are_forgotten_and_live_ones_capped(api: Caller) -> None:
    store = api.store
    rule = store.fail("GET", "/v3/catalog/products", times=2)
    for _ in range(3):
        api.get("/v3/catalog/products")
    assert rule.hits == 2 and store._faults.rules == []
    for _ in range(MAX_RULES):
        store.fail("GET", "/nowhere", times=None)
    with pytest.raises(ValueError, match=f"at most {MAX_RULES} fault rules"):
        store.fail("GET", "/nowhere")
    store.clear_faults()
    store.fail("GET", "/nowhere")


def test_reading_spec_driven_resources_adds_no_state() -> None:
    store = FakeStore.with_sample_data(products=5, customers=5, orders=50)
    api = Caller(store)
    for order_id in range(1, 51):
        assert api.get(f"/v2/orders/{order_id}/fees").status == 200
        assert api.get(f"/v2/orders/{order_id}/taxes").status == 200
    assert (store._spec._items, store._spec._singletons) == ({}, {})
    # A write still keeps what it wrote.
    created = api.post("/v2/blog/posts", {"title": "Hello", "body": "Hi"})
    assert created.status == 200, created.body
    assert api.get(f"/v2/blog/posts/{created.body['id']}").body["title"] == "Hello"


def test_a_checkout_goes_with_its_cart(api: Caller) -> None:
    product_id = api.post("/v3/catalog/products", new_product()).data["id"]
    for ending in ("delete the cart", "remove its last item"):
        line = {"product_id": product_id, "quantity": 1}
        cart = api.post("/v3/carts", {"line_items": [line]}).data
        billing = api.post(
            f"/v3/checkouts/{cart['id']}/billing-address",
            {"email": "a@example.com", "country_code": "US"},
        )
        assert billing.status == 200, billing.body
        assert cart["id"] in api.store._checkouts.states
        if ending == "delete the cart":
            api.delete(f"/v3/carts/{cart['id']}")
        else:
            item_id = cart["line_items"]["physical_items"][0]["id"]
            api.delete(f"/v3/carts/{cart['id']}/items/{item_id}")
        assert api.get(f"/v3/checkouts/{cart['id']}").status == 404
        assert api.store._checkouts.states == {}


def test_codes_never_exchanged_are_capped() -> None:
    store = FakeStore()
    first = store.app.install("abc123")["code"]
    for _ in range(MAX_PENDING_CODES):
        store.app.install("abc123")
    assert len(store.app._grants) == MAX_PENDING_CODES
    assert first not in store.app._grants


def test_a_revoked_storefront_token_fails_and_is_forgotten() -> None:
    store = FakeStore()
    api = Caller(store)
    token, other = storefront_token(api), storefront_token(api)
    revoke = {**TOKEN, "Sf-Api-Token": token}
    assert api("DELETE", "/v3/storefront/api-token", headers=revoke).status == 200
    query = "{ site { products(first: 1) { edges { cursor } } } }"
    assert storefront(store, query, {"Authorization": f"Bearer {token}"})[0] == 401
    assert storefront(store, query, {"Authorization": f"Bearer {other}"})[0] == 200
    assert len(store._graphql._tokens) == 1
    again = api("DELETE", "/v3/storefront/api-token", headers=revoke)
    assert (again.status, again.body["title"]) == (
        422,
        "Sf-Api-Token must name a storefront or private token.",
    )
    assert api("DELETE", "/v3/storefront/api-token").status == 422


def test_a_deleted_customers_session_ends() -> None:
    store = FakeStore()
    api = Caller(store)
    customer_id, bearer = signed_up(api, "d@example.com")
    signed_in = {**bearer, "X-Bc-Customer-Access-Token": log_in(store, "d@example.com", bearer)}
    assert storefront(store, "{ customer { email } }", signed_in)[0] == 200
    api.delete("/v3/customers", **{"id:in": str(customer_id)})
    assert storefront(store, "{ customer { email } }", signed_in)[0] == 401
    assert len(store._graphql._customer_tokens) == 0


def churn(store: FakeStore, rounds: int) -> None:
    """What a served store sees for days, with nothing left behind as data: carts
    and checkouts that come and go, tokens and sessions, faults, reads of any ID,
    webhook events."""
    api = Caller(store)
    for n in range(rounds):
        line = {"product_id": 1, "quantity": 1}
        cart_id = api.post("/v3/carts", {"line_items": [line]}).data["id"]
        address = {"email": "a@example.com", "country_code": "US"}
        api.post(f"/v3/checkouts/{cart_id}/billing-address", address)
        api.delete(f"/v3/carts/{cart_id}")
        bearer = {"Authorization": f"Bearer {storefront_token(api)}"}
        log_in(store, "churn@example.com", bearer)
        store.fail("GET", "/v2/time")
        api.get("/v2/time")
        api.get(f"/v2/orders/{n % 20 + 1}/fees")
        api.put("/v3/catalog/products/1", {"price": n})  # a webhook event


def test_a_store_under_churn_stops_growing() -> None:
    store = FakeStore.with_sample_data(
        products=2,
        customers=1,
        orders=20,
        log_size=50,
        write_paths=50,
        webhook_log_size=50,
        max_tokens=50,
    )
    signed_up(Caller(store), "churn@example.com")
    add_hook(Caller(store))
    tracemalloc.start()
    try:
        churn(store, 100)  # every bound reached, graphql-core's caches filled
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        churn(store, 200)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 100_000, f"{grown} bytes more after 200 rounds"


def test_webhook_handlers_that_never_return_are_capped() -> None:
    store = FakeStore()
    api = Caller(store)
    add_hook(api)
    release = threading.Event()

    def hung_app(body: bytes, headers: Mapping[str, str]) -> int:
        release.wait(30)
        return 200

    dispatcher = store.webhook_deliveries
    dispatcher.route(DEST, hung_app)
    dispatcher.timeout = 0.01
    dispatcher.time_scale = 0.0
    try:
        for n in range(MAX_HUNG_HANDLERS + 4):
            api.post("/v3/catalog/products", new_product(f"P{n}"))
        assert dispatcher.wait(30)
        assert sum(t.is_alive() for t in dispatcher._handlers) == MAX_HUNG_HANDLERS
        refused = f"RuntimeError: {MAX_HUNG_HANDLERS} earlier handler calls have not returned"
        assert refused in {d.error for d in dispatcher.deliveries("failed")}
    finally:
        release.set()
