"""Sample data: deterministic, lazy, consistent with the rest of the store."""

from __future__ import annotations

import time

from bigc.testing import FakeStore
from tests.testing.conftest import Caller, new_customer, new_product

PATHS = (
    "/v3/catalog/products?limit=20&include=variants",
    "/v3/catalog/products/17",
    "/v3/catalog/categories",
    "/v3/catalog/brands",
    "/v3/customers?limit=15",
    "/v2/orders?limit=20",
    "/v2/orders/9/products",
    "/v2/orders/10/messages",
)


def snapshot(store: FakeStore, order: tuple[str, ...] = PATHS) -> dict[str, bytes]:
    return {
        path: store.handle("GET", f"/stores/s{path}", {"X-Auth-Token": "t"}, b"").body
        for path in order
    }


def test_the_same_seed_gives_the_same_data() -> None:
    first = snapshot(FakeStore.with_sample_data(products=40, customers=20, orders=30, seed=7))
    # Built in the opposite order: lazy records do not depend on what was read first.
    store = FakeStore.with_sample_data(products=40, customers=20, orders=30, seed=7)
    assert snapshot(store, PATHS[::-1]) == first
    other = snapshot(FakeStore.with_sample_data(products=40, customers=20, orders=30, seed=8))
    assert other["/v3/catalog/products/17"] != first["/v3/catalog/products/17"]


def test_counts_and_relations() -> None:
    api = Caller(FakeStore.with_sample_data(products=30, customers=10, orders=25))
    assert api.get("/v3/catalog/products").body["meta"]["pagination"]["total"] == 30
    assert len(api.get("/v3/catalog/categories").data) == 6
    assert len(api.get("/v3/catalog/brands").data) == 5
    customers = api.get("/v3/customers").body["meta"]["pagination"]["total"]
    assert customers == 10
    for order in api.get("/v2/orders", limit=250).body:
        assert 1 <= order["customer_id"] <= 10
        lines = api.get(f"/v2/orders/{order['id']}/products").body
        assert sum(line["quantity"] for line in lines) == order["items_total"]
        for line in lines:
            assert (
                api.get(f"/v3/catalog/products/{line['product_id']}").data["name"] == line["name"]
            )


def test_a_hundred_thousand_products_are_cheap() -> None:
    started = time.perf_counter()
    store = FakeStore.with_sample_data(products=100_000, customers=0, orders=0)
    api = Caller(store)
    last = api.get("/v3/catalog/products", limit=250, page=400)
    assert [p["id"] for p in last.data][-1] == 100_000
    assert api.get("/v3/catalog/products/99999").data["sku"] == "SKU-099999"
    assert time.perf_counter() - started < 2.0


def test_sample_unique_values_are_known_without_building_everything() -> None:
    api = Caller(FakeStore.with_sample_data(products=50_000, customers=5_000, orders=0))
    name = FakeStore.with_sample_data(products=50_000, customers=0, orders=0).api(
        "GET", "/v3/catalog/products/40000"
    )["data"]["name"]
    assert api.post("/v3/catalog/products", new_product(name)).status == 409
    assert api.post("/v3/catalog/products", new_product("Fresh", sku="SKU-012345")).status == 409
    email = api.get("/v3/customers", **{"id:in": "4321"}).data[0]["email"]
    assert api.post("/v3/customers", [new_customer(email.upper())]).status == 409
    assert api.get("/v3/catalog/products", name=name).data[0]["id"] == 40000
    created = api.post("/v3/catalog/products", new_product("Fresh", sku="NEW"))
    assert created.data["id"] == 50_001 and created.data["base_variant_id"] == 50_001


def test_sample_records_can_be_changed_and_deleted() -> None:
    api = Caller(FakeStore.with_sample_data(products=10, customers=5, orders=5))
    assert api.put("/v3/catalog/products/3", {"price": 1.5}).data["price"] == 1.5
    assert api.get("/v3/catalog/products/3").data["price"] == 1.5
    assert api.delete("/v3/catalog/products/3").status == 204
    assert api.get("/v3/catalog/products").body["meta"]["pagination"]["total"] == 9
    assert api.get("/v3/catalog/products/3/variants").status == 404
    assert api.put("/v2/orders/2", {"status_id": 10}).body["status"] == "Completed"


def test_a_value_ending_in_a_huge_number_is_nobody_s() -> None:
    """A name, SKU or email whose last number has thousands of digits (past what
    ``int()`` converts) is simply not a sample record's, not a crash."""
    api = Caller(FakeStore.with_sample_data(products=20, customers=5, orders=0))
    digits = "1" * 5000
    assert api.get("/v3/catalog/products", name=f"Lamp {digits}").data == []
    # Created, or refused as too long, as BigCommerce may: either way an answer.
    product = api.post("/v3/catalog/products", new_product("Lamp", sku=f"SKU-{digits}"))
    assert product.status in (200, 422)
    customer = api.post("/v3/customers", [new_customer(f"ada.{digits}@example.com")])
    assert customer.status in (200, 422)
    # Leading zeros still find the owner when they are the sample's own.
    assert api.post("/v3/catalog/products", new_product("Fresh", sku="SKU-000012")).status == 409
    assert api.post("/v3/catalog/products", new_product("Fresh", sku="SKU-0000012")).status == 200
