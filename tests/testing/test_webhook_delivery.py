"""The fake store delivers signed webhooks when its data changes, as BigCommerce does."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook

from bigc import BigCommerceAPI
from bigc.exceptions import InvalidDataError
from bigc.testing import FakeServer, FakeStore
from bigc.testing._webhooks import RETRY_SCHEDULE
from tests.support import Driver

SECRET = "webhook-test-client-secret-0123456789"
DEST = "https://app.example.com/webhooks"


class Inbox:
    """An app's webhook handler: verifies each delivery with standardwebhooks, answers a script."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.events: list[dict[str, Any]] = []
        self.headers: list[Mapping[str, str]] = []

    def __call__(self, body: bytes, headers: Mapping[str, str]) -> int:
        self.events.append(Webhook(SECRET.encode()).verify(body, dict(headers)))
        self.headers.append(headers)
        return self.statuses.pop(0) if self.statuses else 200

    def scopes(self) -> list[tuple[str, Any]]:
        return [(e["scope"], e["data"]["id"]) for e in self.events]


def make_store(*scopes: str, inbox: Inbox | None = None) -> tuple[FakeStore, BigCommerceAPI]:
    store = FakeStore.with_sample_data(products=3, customers=3, orders=3, store_hash="abc123")
    store.register_app("client-id", SECRET, "https://app.example.com/auth")
    api = BigCommerceAPI("abc123", "token", transport=store.transport())
    for scope in scopes:
        api.webhooks_v3.create({"scope": scope, "destination": DEST, "is_active": True})
    if inbox is not None:
        store.webhook_deliveries.route(DEST, inbox)
    return store, api


def client_for(driver: Driver, store: FakeStore) -> Any:
    """A sync or async client of ``store`` (hash ``abc123``)."""
    from bigc import AsyncBigCommerceAPI

    if driver.kind == "async":
        return AsyncBigCommerceAPI("abc123", "token", transport=store.async_transport())
    return BigCommerceAPI("abc123", "token", transport=store.transport())


def delivered(store: FakeStore) -> None:
    assert store.webhook_deliveries.wait(10)


def test_product_changes_reach_a_wildcard_hook_with_bigcommerces_payload() -> None:
    inbox = Inbox()
    store, api = make_store("store/product/*", inbox=inbox)
    product = api.products_v3.create({"name": "Lamp", "type": "physical", "weight": 1, "price": 5})
    api.products_v3.update(product["id"], {"price": 6})
    api.products_v3.delete(product["id"])
    delivered(store)
    pid = product["id"]
    assert inbox.scopes() == [
        ("store/product/created", pid),
        ("store/product/updated", pid),
        ("store/product/deleted", pid),
    ]
    event = inbox.events[0]
    assert set(event) == {"scope", "store_id", "data", "hash", "created_at", "producer"}
    assert event["producer"] == "stores/abc123"
    assert event["data"] == {"type": "product", "id": pid}
    assert event["store_id"].isdigit()
    unhashed = {k: v for k, v in event.items() if k != "hash"}
    expected = hashlib.sha1(json.dumps(unhashed, sort_keys=True).encode()).hexdigest()
    assert event["hash"] == expected
    ids = [h["webhook-id"] for h in inbox.headers]
    assert len(set(ids)) == 3  # one delivery id per event
    log = store.webhook_deliveries.deliveries("delivered")
    assert [d.delivery_id for d in log] == ids


def test_only_matching_active_hooks_are_called() -> None:
    inbox = Inbox()
    store, api = make_store("store/category/created", "store/product/deleted", inbox=inbox)
    inactive = api.webhooks_v3.create(
        {"scope": "store/category/*", "destination": DEST, "is_active": False}
    )
    category = api.categories_v3.create({"name": "Lights", "parent_id": 0})
    api.categories_v3.update(category["id"], {"name": "Lamps"})
    delivered(store)
    assert inbox.scopes() == [("store/category/created", category["id"])]
    assert all(d.hook_id != inactive["id"] for d in store.webhook_deliveries.log)


def test_customers_orders_and_carts_cause_their_events() -> None:
    inbox = Inbox()
    store, api = make_store("store/customer/*", "store/order/*", "store/cart/*", inbox=inbox)
    [first, second] = api.customers_v3.create_many(
        [
            {"email": "a@example.com", "first_name": "A", "last_name": "B"},
            {"email": "b@example.com", "first_name": "C", "last_name": "D"},
        ]
    )
    api.customers_v3.delete_many([first["id"], second["id"]])
    order = api.orders_v2.create(
        {
            "billing_address": {
                "first_name": "A",
                "last_name": "B",
                "email": "a@example.com",
                "zip": "78701",
            },
            "products": [{"name": "Custom", "quantity": 1, "price_inc_tax": 5, "price_ex_tax": 5}],
        }
    )
    api.orders_v2.update(order["id"], {"status_id": 11})
    api.orders_v2.delete(order["id"])
    cart = api.carts_v3.create({"line_items": [{"product_id": 1, "quantity": 1}]})
    api.carts_v3.delete(cart["id"])
    delivered(store)
    assert inbox.scopes() == [
        ("store/customer/created", first["id"]),
        ("store/customer/created", second["id"]),
        ("store/customer/deleted", first["id"]),
        ("store/customer/deleted", second["id"]),
        ("store/order/created", order["id"]),
        ("store/order/updated", order["id"]),
        ("store/order/statusUpdated", order["id"]),
        ("store/order/archived", order["id"]),
        ("store/cart/created", cart["id"]),
        ("store/cart/deleted", cart["id"]),
    ]


def test_a_destination_without_a_route_is_skipped_not_called() -> None:
    store, api = make_store("store/product/*")
    api.products_v3.update(1, {"price": 9})
    assert store.webhook_deliveries.wait(1)
    [entry] = store.webhook_deliveries.log
    assert (entry.outcome, entry.scope, entry.destination) == (
        "skipped",
        "store/product/updated",
        DEST,
    )


def test_a_handler_may_call_the_store_back() -> None:
    seen: list[str] = []
    store, api = make_store("store/product/updated")

    def handler(body: bytes, headers: Mapping[str, str]) -> int:
        event = json.loads(body)
        seen.append(api.products_v3.get(event["data"]["id"])["name"])
        return 200

    store.webhook_deliveries.route(DEST, handler)
    api.products_v3.update(2, {"name": "Renamed"})
    delivered(store)
    assert seen == ["Renamed"]


def test_a_failed_delivery_is_retried_with_the_same_id_and_body() -> None:
    inbox = Inbox(500, 503)
    store, api = make_store("store/product/updated", inbox=inbox)
    store.webhook_deliveries.time_scale = 0.0001
    api.products_v3.update(1, {"price": 3})
    delivered(store)
    log = store.webhook_deliveries.log
    assert [(d.attempt, d.outcome, d.status) for d in log] == [
        (0, "failed", 500),
        (1, "failed", 503),
        (2, "delivered", 200),
    ]
    assert len({d.delivery_id for d in log}) == 1
    assert len({d.body for d in log}) == 1
    assert len(inbox.events) == 3


def test_a_handler_that_raises_is_a_failed_delivery() -> None:
    store, api = make_store("store/product/updated")
    calls: list[int] = []

    def broken(body: bytes, headers: Mapping[str, str]) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database down")
        return 204

    store.webhook_deliveries.route(DEST, broken)
    store.webhook_deliveries.time_scale = 0.0001
    api.products_v3.update(1, {"price": 3})
    delivered(store)
    first, second = store.webhook_deliveries.log
    assert (first.outcome, first.error) == ("failed", "RuntimeError: database down")
    assert second.outcome == "delivered"


def test_a_delivery_that_cannot_be_signed_fails_and_the_worker_carries_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = Inbox()
    store, api = make_store("store/product/updated", inbox=inbox)
    store.webhook_deliveries.time_scale = 0.0001
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "bigc.apps._webhooks", None)  # as without bigc[apps]
        api.products_v3.update(1, {"price": 5})
        deadline = time.monotonic() + 5
        while not store.webhook_deliveries.deliveries("failed") and time.monotonic() < deadline:
            time.sleep(0.001)
    assert store.webhook_deliveries.wait()
    [failed] = store.webhook_deliveries.deliveries("failed")
    assert failed.error is not None and "bigc.apps._webhooks" in failed.error
    api.products_v3.update(2, {"price": 5})
    assert store.webhook_deliveries.wait()
    assert inbox.scopes() == [("store/product/updated", 1), ("store/product/updated", 2)]


def test_a_handler_that_hangs_times_out_and_later_deliveries_go_on() -> None:
    release = threading.Event()
    inbox = Inbox()
    calls: list[int] = []

    def handler(body: bytes, headers: Mapping[str, str]) -> int:
        calls.append(1)
        if len(calls) == 1:
            release.wait(30)  # the first call hangs
        return inbox(body, headers)

    store, api = make_store("store/product/updated")
    store.webhook_deliveries.route(DEST, handler)
    store.webhook_deliveries.time_scale = 0.0001
    store.webhook_deliveries.timeout = 0.05
    try:
        api.products_v3.update(1, {"price": 5})
        api.products_v3.update(2, {"price": 5})
        assert store.webhook_deliveries.wait(10)
        [failed] = store.webhook_deliveries.deliveries("failed")
        assert failed.error is not None and "did not answer within 0.05 s" in failed.error
        assert sorted(inbox.scopes()) == [
            ("store/product/updated", 1),
            ("store/product/updated", 2),
        ]
    finally:
        release.set()


def test_after_the_last_retry_the_hook_is_deactivated_and_can_be_reactivated(
    driver: Driver,
) -> None:
    inbox = Inbox(*[500] * (len(RETRY_SCHEDULE) + 1))
    store, api = make_store(inbox=inbox)
    client = client_for(driver, store)
    hook = driver.call(client.webhooks_v3.create_or_update("store/product/updated", DEST))
    store.webhook_deliveries.time_scale = 0.000001
    api.products_v3.update(1, {"price": 3})
    delivered(store)
    outcomes = [d.outcome for d in store.webhook_deliveries.log]
    assert outcomes == ["failed"] * (len(RETRY_SCHEDULE) + 1) + ["deactivated"]
    assert api.webhooks_v3.get(hook["id"])["is_active"] is False
    api.products_v3.update(1, {"price": 4})  # an inactive hook gets nothing
    delivered(store)
    assert len(inbox.events) == len(RETRY_SCHEDULE) + 1

    again = driver.call(client.webhooks_v3.reactivate(hook["id"]))
    assert again["is_active"] is True
    api.products_v3.update(1, {"price": 5})
    delivered(store)
    assert store.webhook_deliveries.log[-1].outcome == "delivered"


def test_the_schedule_is_bigcommerces() -> None:
    assert RETRY_SCHEDULE[:2] == (60, 180)
    assert RETRY_SCHEDULE[-1] == 86400
    assert 48 * 3600 <= sum(RETRY_SCHEDULE) < 49 * 3600  # "cumulatively 48 hours"


def test_a_delivery_carries_the_hooks_own_headers() -> None:
    inbox = Inbox()
    store, api = make_store(inbox=inbox)
    api.webhooks_v3.create(
        {
            "scope": "store/product/updated",
            "destination": DEST,
            "headers": {"X-App-Key": "k-123", "Webhook-Signature": "v1,forged"},
        }
    )
    api.products_v3.update(1, {"price": 2})
    delivered(store)
    [headers] = inbox.headers  # Inbox verified the real signature
    assert headers["X-App-Key"] == "k-123"
    assert "v1,forged" not in headers.values()


def test_a_second_hook_for_one_scope_and_destination_is_refused() -> None:
    store = FakeStore()
    api = BigCommerceAPI("abc123", "token", transport=store.transport())
    first = api.webhooks_v3.create({"scope": "store/order/created", "destination": DEST})
    with pytest.raises(InvalidDataError, match="already exists"):
        api.webhooks_v3.create({"scope": "store/order/created", "destination": DEST})
    other = api.webhooks_v3.create({"scope": "store/order/*", "destination": DEST})
    with pytest.raises(InvalidDataError, match="already exists"):
        api.webhooks_v3.update(other["id"], {"scope": "store/order/created"})
    assert api.webhooks_v3.update(first["id"], {"is_active": False})["is_active"] is False
    assert len(list(api.webhooks_v3.all())) == 2


def test_create_or_update_keeps_one_hook_per_scope_and_destination(driver: Driver) -> None:
    store = FakeStore()
    client = client_for(driver, store)
    first = driver.call(client.webhooks_v3.create_or_update("store/order/created", DEST))
    same = driver.call(client.webhooks_v3.create_or_update("store/order/created", DEST))
    assert same == first
    other = driver.call(client.webhooks_v3.create_or_update("store/order/*", DEST))
    changed = driver.call(
        client.webhooks_v3.create_or_update(
            "store/order/created", DEST, headers={"X-App": "1"}, is_active=False
        )
    )
    assert changed["id"] == first["id"] and changed["is_active"] is False
    assert changed["headers"] == {"X-App": "1"}
    hooks = driver.collect(client.webhooks_v3.all())
    assert sorted(h["id"] for h in hooks) == sorted({first["id"], other["id"]})
    assert len(store.requests_to("POST", "/v3/hooks")) == 2
    assert len(store.requests_to("PUT", "/v3/hooks/*")) == 1
    with pytest.raises(ValueError, match="scope"):
        driver.call(client.webhooks_v3.create_or_update("", DEST))


# -- server mode: the store served over HTTP, the app's handler behind a loopback port ----


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[bytes, dict[str, str]]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, dict(self.headers.items())))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[bytes, dict[str, str]]]]]:
    received: list[tuple[bytes, dict[str, str]]] = []
    handler = type("Handler", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/webhooks", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_served_store_posts_deliveries_over_loopback(
    receiver: tuple[str, list[tuple[bytes, dict[str, str]]]],
) -> None:
    url, received = receiver
    store, _ = make_store("store/product/updated")
    store.webhook_deliveries.route(DEST, url)
    with FakeServer(store) as server:
        api = BigCommerceAPI("abc123", "token", base_url=server.base_url)
        api.products_v3.update(1, {"price": 7})
        delivered(store)
        api.close()
    [(body, headers)] = received
    lowered = {k.lower(): v for k, v in headers.items()}
    event = Webhook(SECRET.encode()).verify(body, lowered)
    assert (event["scope"], event["data"]["id"]) == ("store/product/updated", 1)
    assert lowered["content-type"] == "application/json"


def test_route_refuses_what_cannot_be_delivered() -> None:
    store = FakeStore()
    with pytest.raises(ValueError, match="http"):
        store.webhook_deliveries.route(DEST, "ftp://example.com")
    with pytest.raises(TypeError):
        store.webhook_deliveries.route(DEST, 42)  # type: ignore[arg-type]


def test_a_checkout_turned_into_an_order_fires_order_created() -> None:
    inbox = Inbox()
    store, api = make_store("store/order/created", inbox=inbox)
    ebook = api.products_v3.create({"name": "E-book", "type": "digital", "weight": 0, "price": 5})
    cart = api.carts_v3.create({"line_items": [{"product_id": ebook["id"], "quantity": 1}]})
    billing = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "address1": "1 Main",
        "city": "Austin",
        "state_or_province": "Texas",
        "postal_code": "78701",
        "country_code": "US",
    }
    store.api("POST", f"/v3/checkouts/{cart['id']}/billing-address", json=billing)
    order = store.api("POST", f"/v3/checkouts/{cart['id']}/orders")["data"]
    delivered(store)
    assert inbox.scopes() == [("store/order/created", order["id"])]


def test_pending_retries_can_be_cancelled() -> None:
    inbox = Inbox(500)
    store, api = make_store("store/product/updated", inbox=inbox)
    api.products_v3.update(1, {"price": 3})  # fails; the retry is due in 60 s
    assert not store.webhook_deliveries.wait(0.3)
    assert store.webhook_deliveries.cancel_pending() == 1
    assert store.webhook_deliveries.wait(1)
    assert [d.outcome for d in store.webhook_deliveries.log] == ["failed"]
