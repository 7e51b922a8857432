"""Bad values that once made the fake store fail with a 500 (or answer wrongly)."""

from __future__ import annotations

from typing import Any

import pytest

from bigc.testing import FakeStore
from tests.testing.conftest import Caller

PRICES = "/v3/pricing/products"


@pytest.fixture
def store() -> FakeStore:
    return FakeStore.with_sample_data(products=2, customers=1, orders=1)


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("product_id", 1.0, "integer"),
        ("product_id", True, "integer"),
        ("product_id", "1", "integer"),
        ("variant_id", True, "number"),
        ("variant_id", "1", "number"),
        ("variant_id", [1], "number"),
    ],
)
def test_pricing_refuses_ids_of_the_wrong_type(
    api: Caller, field: str, value: Any, kind: str
) -> None:
    item = {"product_id": 1, field: value}
    answer = api.post(PRICES, {"channel_id": 1, "currency_code": "USD", "items": [item]})
    assert answer.status == 422, answer.body
    assert answer.body["errors"] == {f"items.0.{field}": f"expected {kind}"}


def test_pricing_takes_a_variant_id_written_as_a_number(api: Caller) -> None:
    """The spec types variant_id as a number: 1.0 names variant 1, 1.5 no variant."""
    body: dict[str, Any] = {"channel_id": 1, "currency_code": "USD"}
    body["items"] = [{"product_id": 1, "variant_id": 1.0}, {"product_id": 1, "variant_id": 1.5}]
    answer = api.post(PRICES, body)
    assert answer.status == 200, answer.body
    assert [(p["product_id"], p["variant_id"]) for p in answer.data] == [(1, 1)]


@pytest.mark.parametrize("value", ["abc", "nan", "1e999", ""])
@pytest.mark.parametrize("field", ["base_shipping_cost", "handling_cost_inc_tax"])
def test_v2_orders_refuse_money_that_is_not_a_number(api: Caller, field: str, value: str) -> None:
    before = api.get("/v2/orders/1").body
    answer = api.put("/v2/orders/1", {field: value})
    assert answer.status == 400, answer.body
    assert answer.body == [
        {"status": 400, "message": f"The field '{field}' must be a decimal amount."}
    ]
    assert api.get("/v2/orders/1").body == before
    assert api.put("/v2/orders/1", {field: "2.5"}).body[field] == "2.5000"


def test_an_item_created_under_a_parent_names_that_parent(api: Caller) -> None:
    path = "/v3/catalog/products/2/images"
    created = api.post(path, {"image_url": "https://x.test/a.png"})
    assert created.status == 200, created.body
    assert created.data["product_id"] == 2
    assert [image["product_id"] for image in api.get(path).data] == [2]
    assert api.get(f"{path}/{created.data['id']}").data["product_id"] == 2


def test_a_list_across_parents_forgets_a_deleted_parents_items(api: Caller) -> None:
    """Products are hand-written: deleting one must drop its metafields from
    ``GET /v3/catalog/products/metafields`` too."""
    field = {"key": "k", "value": "v", "namespace": "ns", "permission_set": "app_only"}
    for product_id in (1, 2):
        created = api.post(f"/v3/catalog/products/{product_id}/metafields", field)
        assert created.status == 200, created.body
    assert api.delete("/v3/catalog/products/1").status == 204
    listed = api.get("/v3/catalog/products/metafields")
    assert listed.status == 200, listed.body
    assert [item["resource_id"] for item in listed.data] == [2]


def test_a_created_item_keeps_a_field_only_the_create_answer_shows(api: Caller) -> None:
    """The list schema of product images has no image_url; the create answer has."""
    url = "https://x.test/a.png"
    created = api.post("/v3/catalog/products/2/images", {"image_url": url})
    assert created.status == 200, created.body
    assert created.data["image_url"] == url


def test_a_count_counts_the_items_of_its_list(api: Caller) -> None:
    """``GET /v2/blog/posts/count`` answered the spec's example (27) whatever the store held."""
    assert api.get("/v2/blog/posts/count").body == {"count": 0}
    for title in ("One", "Two"):
        assert api.post("/v2/blog/posts", {"title": title, "body": "b"}).status in (200, 201)
    assert api.get("/v2/blog/posts/count").body == {"count": 2}
    assert api.delete("/v2/blog/posts/1").status == 204
    assert api.get("/v2/blog/posts/count").body == {"count": 1}
