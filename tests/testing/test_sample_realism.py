"""Sample records look like real ones: every field the spec declares, at real sizes."""

from __future__ import annotations

import json
import statistics
from functools import cache
from typing import Any

import yaml

from bigc.testing import FakeStore
from bigc.testing._sample import Sample
from tests.spec_index import SPECS_DIR

# Fields BigCommerce adds only when asked with ?include= (or, for an order's
# consignments, that the spec's own oneOf cannot validate; see _orders.py).
INCLUDE_ONLY = {
    "products": {
        "variants", "images", "custom_fields", "bulk_pricing_rules", "primary_image",
        "modifiers", "options", "videos", "channels", "parent_relations",
    },
    "customers": {"addresses", "attributes", "form_fields"},
    "orders": {"consignments"},
}  # fmt: skip


@cache
def spec(name: str) -> dict[str, Any]:
    with open(SPECS_DIR / name) as file:
        return dict(yaml.safe_load(file))


def properties(document: dict[str, Any], node: Any) -> set[str]:
    """The property names of a schema, through ``$ref`` and ``allOf``."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].split("/")[1:]:
            target = target[part]
        node = target
    names = set(node.get("properties", {}))
    for part in node.get("allOf", []):
        names |= properties(document, part)
    return names


def listed_fields(file: str, path: str) -> set[str]:
    """The fields of one item of a list operation's 200 answer."""
    document = spec(file)
    answer = document["paths"][path]["get"]["responses"]["200"]
    while "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].split("/")[-1]]
    schema = answer["content"]["application/json"]["schema"] if "content" in answer else answer
    item = schema
    while isinstance(item, dict) and "$ref" in item:
        item = document["components"]["schemas"][item["$ref"].split("/")[-1]]
    if "data" in item.get("properties", {}):
        item = item["properties"]["data"]
    if item.get("type") == "array":
        item = item["items"]
    return properties(document, item)


def sizes(records: list[Any]) -> list[int]:
    return [len(json.dumps(record)) for record in records]


STORE = FakeStore.with_sample_data(products=500, customers=100, orders=100)


def test_products_carry_every_field_at_real_sizes() -> None:
    products = STORE.api("GET", "/v3/catalog/products", limit=250)["data"]
    products += STORE.api("GET", "/v3/catalog/products", limit=250, page=2)["data"]
    declared = listed_fields("products_catalog.v3.yml", "/catalog/products")
    assert len(declared) > 70
    for product in products:
        assert set(product) == declared - INCLUDE_ONLY["products"]
    assert all(2500 <= size <= 4000 for size in sizes(products))
    assert 3000 <= statistics.median(sizes(products)) <= 3700
    for product in products[:50]:
        description = product["description"]
        assert description.startswith("<p><strong>") and "</table>" in description
        assert len(description) >= 700
        assert product["meta_description"] and product["search_keywords"]
        assert len(product["upc"]) == 12 and len(product["gtin"]) == 13


def test_customers_and_orders_carry_every_field() -> None:
    customers = STORE.api("GET", "/v3/customers", limit=100)["data"]
    declared = listed_fields("customers.v3.yml", "/customers")
    for customer in customers:
        assert set(customer) == declared - INCLUDE_ONLY["customers"]
    assert {c["registration_ip_address"].count(".") for c in customers} == {3}
    orders = STORE.api("GET", "/v2/orders", limit=100)
    declared = listed_fields("orders.v2.oas2.yml", "/orders")
    for order in orders:
        assert set(order) == declared - INCLUDE_ONLY["orders"]
        assert len(order["cart_id"]) == 36 and order["ip_address"]
    assert 1800 <= statistics.median(sizes(orders)) <= 3500


def test_records_are_built_only_when_read(monkeypatch: Any) -> None:
    built: list[int] = []
    product = Sample.product

    def counted(self: Sample, product_id: int) -> Any:
        built.append(product_id)
        return product(self, product_id)

    monkeypatch.setattr(Sample, "product", counted)
    store = FakeStore.with_sample_data(products=100_000, customers=0, orders=0)
    assert built == []
    store.api("GET", "/v3/catalog/products", limit=5, page=3)
    assert sorted(set(built)) == [11, 12, 13, 14, 15]


def test_the_same_id_and_seed_give_the_same_text() -> None:
    first, again = Sample(3, 10, 10, 10), Sample(3, 10, 10, 10)
    assert first.product(7) == again.product(7)
    assert first.customer(4) == again.customer(4)
    assert first.order(5) == again.order(5)
    assert Sample(4, 10, 10, 10).product(7)["description"] != first.product(7)["description"]
