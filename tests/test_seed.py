"""The seed README's calls against the fake store: in-process and over a socket.

Unchanged but for the direct-access path: the seed's ``/products/77`` is not a
BigCommerce path (the catalog is ``/catalog/products/77``), and the fake
store, never more lenient than BigCommerce, answers it 404.

Each test runs four ways: sync and async client, each through the store's
in-process transport and through the loopback server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI
from bigc.exceptions import DoesNotExistError
from bigc.testing import FakeServer, FakeStore

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "address1": "1 Main St",
    "city": "Austin",
    "state_or_province": "Texas",
    "postal_code": "78701",
    "country_code": "US",
}


@pytest.fixture(scope="module")
def store() -> FakeStore:
    return FakeStore.with_sample_data(products=1000, customers=30, orders=600)


@pytest.fixture(scope="module")
def server(store: FakeStore) -> Iterator[FakeServer]:
    with FakeServer(store) as running:
        yield running


MODES = [
    pytest.param(kind, where, id=f"{kind}-{where}")
    for kind in ("sync", "async")
    for where in ("in-process", "server")
]


def options(store: FakeStore, server: FakeServer, kind: str, where: str) -> dict[str, Any]:
    """How the seed's constructor calls reach the fake store: one keyword more."""
    if where == "server":
        return {"base_url": server.base_url}
    return {"transport": store.async_transport() if kind == "async" else store.transport()}


def ready_checkout(store: FakeStore) -> str:
    """A cart with a billing address and a chosen shipping option."""
    cart = store.api("POST", "/v3/carts", json={"line_items": [{"product_id": 3, "quantity": 1}]})
    cart_id = cart["data"]["id"]
    item = cart["data"]["line_items"]["physical_items"][0]["id"]
    store.api("POST", f"/v3/checkouts/{cart_id}/billing-address", json=ADDRESS)
    consignments = [{"address": ADDRESS, "line_items": [{"item_id": item, "quantity": 1}]}]
    checkout = store.api("POST", f"/v3/checkouts/{cart_id}/consignments", json=consignments)
    consignment = checkout["data"]["consignments"][0]
    option = consignment["available_shipping_options"][0]["id"]
    store.api(
        "PUT",
        f"/v3/checkouts/{cart_id}/consignments/{consignment['id']}",
        json={"shipping_option_id": option},
    )
    return str(cart_id)


def seed_calls_sync(extra: dict[str, Any], checkout_id: str) -> dict[str, Any]:
    store_hash = "000000000"
    access_token = "0000000000000000000000000000000"
    bigcommerce = BigCommerceAPI(store_hash, access_token, **extra)
    order = bigcommerce.orders_v2.get(101)
    list_of_orders = list(bigcommerce.orders_v2.all(params={"customer_id": 1}))

    bigcommerce = BigCommerceAPI("store_hash", "access_token", timeout=7, **extra)
    created = bigcommerce.checkouts_v3.create_order(checkout_id, timeout=16)

    bigcommerce = BigCommerceAPI("store_hash", "access_token", get_retries=2, **extra)
    customer = bigcommerce.customers_v3.get(1, retries=5)

    bigcommerce = BigCommerceAPI("store_hash", "access_token", **extra)
    product = bigcommerce.api_v3.get("/catalog/products/77", params={"include": "videos"})
    order_messages = list(bigcommerce.api_v2.get_many("/orders/101/messages"))
    return {
        "order": order,
        "orders": list_of_orders,
        "created": created,
        "customer": customer,
        "product": product,
        "messages": order_messages,
    }


async def seed_calls_async(extra: dict[str, Any], checkout_id: str) -> dict[str, Any]:
    store_hash = "000000000"
    access_token = "0000000000000000000000000000000"
    async with AsyncBigCommerceAPI(store_hash, access_token, **extra) as bigcommerce:
        order = await bigcommerce.orders_v2.get(101)
        list_of_orders = [o async for o in bigcommerce.orders_v2.all(params={"customer_id": 1})]

    async with AsyncBigCommerceAPI("store_hash", "access_token", timeout=7, **extra) as api:
        created = await api.checkouts_v3.create_order(checkout_id, timeout=16)

    async with AsyncBigCommerceAPI("store_hash", "access_token", get_retries=2, **extra) as api:
        customer = await api.customers_v3.get(1, retries=5)

    async with AsyncBigCommerceAPI("store_hash", "access_token", **extra) as api:
        product = await api.api_v3.get("/catalog/products/77", params={"include": "videos"})
        order_messages = [m async for m in api.api_v2.get_many("/orders/101/messages")]
    return {
        "order": order,
        "orders": list_of_orders,
        "created": created,
        "customer": customer,
        "product": product,
        "messages": order_messages,
    }


@pytest.mark.parametrize(("kind", "where"), MODES)
def test_seed_readme_calls(store: FakeStore, server: FakeServer, kind: str, where: str) -> None:
    extra = options(store, server, kind, where)
    checkout_id = ready_checkout(store)
    if kind == "async":
        got = asyncio.run(seed_calls_async(extra, checkout_id))
    else:
        got = seed_calls_sync(extra, checkout_id)

    assert got["order"]["id"] == 101
    expected = [o["id"] for o in store.api("GET", "/v2/orders", customer_id=1, limit=250)]
    assert [o["id"] for o in got["orders"]] == expected and expected
    assert all(o["customer_id"] == 1 for o in got["orders"])
    order_id = got["created"]["id"]
    assert store.api("GET", f"/v2/orders/{order_id}")["status_id"] == 0  # Incomplete
    assert got["customer"]["id"] == 1 and "@" in got["customer"]["email"]
    assert got["product"]["id"] == 77 and got["product"]["videos"] == []
    assert got["messages"] == []


@pytest.mark.parametrize(("kind", "where"), MODES)
def test_unknown_checkout_is_a_404(
    store: FakeStore, server: FakeServer, kind: str, where: str
) -> None:
    extra = options(store, server, kind, where)

    async def create_async() -> Any:
        async with AsyncBigCommerceAPI("store_hash", "access_token", **extra) as api:
            return await api.checkouts_v3.create_order("checkout_id", timeout=16)

    with pytest.raises(DoesNotExistError):
        if kind == "async":
            asyncio.run(create_async())
        else:
            BigCommerceAPI("store_hash", "access_token", **extra).checkouts_v3.create_order(
                "checkout_id", timeout=16
            )


@pytest.mark.parametrize(("kind", "where"), MODES)
def test_every_product_and_order_exactly_once(
    store: FakeStore, server: FakeServer, kind: str, where: str
) -> None:
    extra = options(store, server, kind, where)

    async def read_async() -> tuple[list[int], list[int]]:
        async with AsyncBigCommerceAPI("s", "t", **extra) as api:
            products = [p["id"] async for p in api.products_v3.all()]
            orders = [o["id"] async for o in api.orders_v2.all()]
        return products, orders

    if kind == "async":
        products, orders = asyncio.run(read_async())
    else:
        with BigCommerceAPI("s", "t", **extra) as api:
            products = [p["id"] for p in api.products_v3.all()]
            orders = [o["id"] for o in api.orders_v2.all()]
    assert products == list(range(1, 1001))
    # Orders made by other tests' checkouts come after the 600 sample orders.
    assert orders[:600] == list(range(1, 601)) and len(orders) == len(set(orders))


@pytest.mark.parametrize(("kind", "where"), MODES)
def test_hostile_id_stays_one_segment_on_the_wire(kind: str, where: str) -> None:
    store = FakeStore()  # its own store: no other test's requests in its log

    async def get_async(extra: dict[str, Any]) -> Any:
        async with AsyncBigCommerceAPI("s", "t", **extra) as api:
            return await api.carts_v3.get("../../v2/orders")

    with FakeServer(store) as server:
        extra = options(store, server, kind, where)
        with pytest.raises(DoesNotExistError, match="cart"):
            if kind == "async":
                asyncio.run(get_async(extra))
            else:
                BigCommerceAPI("s", "t", **extra).carts_v3.get("../../v2/orders")
    assert [(r.method, r.path) for r in store.requests] == [("GET", "/v3/carts/../../v2/orders")]
