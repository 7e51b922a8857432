"""Query filters, include, field selection and sorting."""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import pytest

from bigc.testing import FakeStore
from tests.testing.conftest import Caller


@pytest.fixture(scope="module")
def sample() -> Caller:
    return Caller(FakeStore.with_sample_data(products=60, customers=30, orders=80, seed=3))


def ids(records: list[dict[str, Any]]) -> list[int]:
    return [r["id"] for r in records]


def test_id_in(sample: Caller) -> None:
    assert ids(sample.get("/v3/catalog/products", **{"id:in": "5,3,999,1"}).data) == [1, 3, 5]


def test_name_is_an_exact_case_insensitive_match(sample: Caller) -> None:
    name = sample.get("/v3/catalog/products/7").data["name"]
    assert ids(sample.get("/v3/catalog/products", name=name.upper()).data) == [7]
    assert sample.get("/v3/catalog/products", name=name[:-1]).data == []


def test_is_visible_and_numeric_ranges(sample: Caller) -> None:
    hidden = sample.get("/v3/catalog/products", is_visible="false", limit=250).data
    assert ids(hidden) == [13, 26, 39, 52]
    cheap = sample.get("/v3/catalog/products", **{"price:max": "100", "limit": "250"}).data
    assert cheap and all(p["price"] <= 100 for p in cheap)
    between = sample.get("/v3/catalog/products", **{"id:min": "10", "id:max": "12"}).data
    assert ids(between) == [10, 11, 12]


def test_categories_in_matches_any_listed_category(sample: Caller) -> None:
    found = sample.get("/v3/catalog/products", **{"categories:in": "1,2", "limit": "250"}).data
    assert found and all(set(p["categories"]) & {1, 2} for p in found)


def test_include_adds_variants_and_images(sample: Caller) -> None:
    plain = sample.get("/v3/catalog/products/4").data
    assert "variants" not in plain
    product = sample.get("/v3/catalog/products/4", include="variants,images").data
    assert product["images"] == []
    assert [v["id"] for v in product["variants"]] == [product["base_variant_id"]]
    assert product["variants"][0]["sku"] == product["sku"]
    listed = sample.get("/v3/catalog/products", include="variants", limit=3).data
    assert all(len(p["variants"]) == 1 for p in listed)


def test_include_fields_and_exclude_fields(sample: Caller) -> None:
    only = sample.get("/v3/catalog/products/4", include_fields="name,price").data
    assert set(only) == {"id", "name", "price"}
    without = sample.get("/v3/catalog/products/4", exclude_fields="description,id").data
    assert "description" not in without and "id" in without


def test_sort_and_direction(sample: Caller) -> None:
    found = sample.get("/v3/catalog/products", sort="price", direction="desc", limit=250).data
    prices = [p["price"] for p in found]
    assert prices == sorted(prices, reverse=True)


def test_categories_by_parent_id(api: Caller) -> None:
    api.post("/v3/catalog/categories", {"name": "Top", "parent_id": 0})
    api.post("/v3/catalog/categories", {"name": "Child", "parent_id": 1})
    assert ids(api.get("/v3/catalog/categories", parent_id=1).data) == [2]


def test_customers_by_email_and_name(sample: Caller) -> None:
    two = sample.get("/v3/customers", **{"id:in": "4,9"}).data
    emails = ",".join(c["email"].upper() for c in two)
    assert ids(sample.get("/v3/customers", **{"email:in": emails}).data) == [4, 9]
    last = two[0]["last_name"]
    found = sample.get("/v3/customers", **{"name:like": last.lower(), "limit": "250"}).data
    assert 4 in ids(found) and all(c["last_name"] == last for c in found)


def test_v2_orders_by_customer_status_and_id_range(sample: Caller) -> None:
    everything = sample.get("/v2/orders", limit=250).body
    customer = everything[0]["customer_id"]
    mine = sample.get("/v2/orders", customer_id=customer, limit=250).body
    assert ids(mine) == [o["id"] for o in everything if o["customer_id"] == customer]
    status = everything[0]["status_id"]
    assert all(o["status_id"] == status for o in sample.get("/v2/orders", status_id=status).body)
    assert ids(sample.get("/v2/orders", min_id=70, max_id=72).body) == [70, 71, 72]


@pytest.mark.parametrize("style", ["rfc2822", "iso"])
def test_v2_orders_by_date_modified(sample: Caller, style: str) -> None:
    everything = sample.get("/v2/orders", limit=250).body
    moments = sorted(parsedate_to_datetime(o["date_modified"]) for o in everything)
    low, high = moments[20], moments[40]
    write = format_datetime if style == "rfc2822" else lambda d: d.isoformat()
    found = sample.get(
        "/v2/orders", min_date_modified=write(low), max_date_modified=write(high), limit=250
    ).body
    expected = [
        o["id"] for o in everything if low <= parsedate_to_datetime(o["date_modified"]) <= high
    ]
    assert ids(found) == expected and len(expected) >= 21


def test_v2_orders_by_email(sample: Caller) -> None:
    order = sample.get("/v2/orders/3").body
    found = sample.get("/v2/orders", email=order["billing_address"]["email"], limit=250).body
    assert 3 in ids(found)


def test_unknown_parameters_are_ignored(sample: Caller) -> None:
    assert len(sample.get("/v3/catalog/products", flavour="mint").data) == 50


def test_a_filter_value_of_the_wrong_type_is_refused(sample: Caller) -> None:
    assert sample.get("/v3/catalog/products", **{"price:min": "cheap"}).status == 422
    assert sample.get("/v2/orders", min_date_modified="yesterday-ish").status == 400
