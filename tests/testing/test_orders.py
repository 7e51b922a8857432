"""Orders v2 with their parts and shipments, and refunds v3."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from tests.testing.conftest import BILLING, Caller, new_product


@pytest.fixture
def order(api: Caller) -> dict[str, Any]:
    """Order 1: two of product 1 ($10 each) and one custom line ($5)."""
    api.post("/v3/catalog/products", new_product("Mug", sku="MUG", price=10.0))
    body = {
        "billing_address": BILLING,
        "customer_id": 0,
        "products": [
            {"product_id": 1, "quantity": 2},
            {"name": "Gift wrap", "quantity": 1, "price_inc_tax": 5, "price_ex_tax": 5},
        ],
        "base_shipping_cost": 4,
    }
    answer = api.post("/v2/orders", body)
    assert answer.status == 200
    return answer.body  # type: ignore[no-any-return]


def test_created_order(api: Caller, order: dict[str, Any]) -> None:
    assert order["id"] == 1
    assert (order["status_id"], order["status"]) == (1, "Pending")
    assert order["subtotal_inc_tax"] == "25.0000"
    assert (order["base_shipping_cost"], order["total_inc_tax"]) == ("4.0000", "29.0000")
    assert order["items_total"] == 3
    parsedate_to_datetime(order["date_created"])  # RFC 2822
    assert order["products"]["resource"] == "/orders/1/products"
    assert order["products"]["url"].endswith("/stores/abc123/v2/orders/1/products")
    assert api.get("/v2/orders/1").body == order

    lines = api.get("/v2/orders/1/products").body
    assert [(line["name"], line["quantity"]) for line in lines] == [("Mug", 2), ("Gift wrap", 1)]
    assert api.get(f"/v2/orders/1/products/{lines[0]['id']}").body == lines[0]
    addresses = api.get("/v2/orders/1/shipping_addresses").body
    assert addresses[0]["zip"] == "78701" and addresses[0]["items_total"] == 3


def test_order_errors(api: Caller, order: dict[str, Any]) -> None:
    missing = api.post("/v2/orders", {"products": [{"product_id": 1, "quantity": 1}]})
    assert missing.status == 400 and "billing_address" in missing.body[0]["message"]
    unknown = {"billing_address": BILLING, "products": [{"product_id": 9, "quantity": 1}]}
    assert api.post("/v2/orders", unknown).status == 400
    assert api.get("/v2/orders/9").body == [
        {"status": 404, "message": api.get("/v2/orders/9").body[0]["message"]}
    ]
    assert api.put("/v2/orders/1", {"status_id": 99}).status == 400


def test_update_archive_and_count(api: Caller, order: dict[str, Any]) -> None:
    updated = api.put(
        "/v2/orders/1", {"status_id": 11, "staff_notes": "rush", "base_handling_cost": 2}
    )
    assert (updated.body["status"], updated.body["staff_notes"]) == ("Awaiting Fulfillment", "rush")
    assert updated.body["base_handling_cost"] == "2.0000"  # numbers become v2 money strings
    assert updated.body["total_inc_tax"] == "31.0000"
    count = api.get("/v2/orders/count").body
    assert count["count"] == 1
    assert {s["id"]: s["count"] for s in count["statuses"]}[11] == 1

    assert api.delete("/v2/orders/1").status == 204
    assert api.get("/v2/orders").status == 204  # archived orders leave the lists
    assert api.get("/v2/orders/1").body["is_deleted"] is True
    assert api.get("/v2/orders/count").body["count"] == 0


def test_shipments(api: Caller, order: dict[str, Any]) -> None:
    mug, wrap = api.get("/v2/orders/1/products").body
    address = api.get("/v2/orders/1/shipping_addresses").body[0]["id"]
    assert api.get("/v2/orders/1/shipments").status == 204

    first = api.post(
        "/v2/orders/1/shipments",
        {
            "order_address_id": address,
            "items": [{"order_product_id": mug["id"], "quantity": 2}],
            "tracking_number": "1Z999",
            "shipping_provider": "ups",
        },
    )
    assert first.status == 201
    assert first.body["items"] == [{"order_product_id": mug["id"], "product_id": 1, "quantity": 2}]
    assert first.body["tracking_number"] == "1Z999"
    assert api.get("/v2/orders/1").body["status"] == "Partially Shipped"

    second = api.post(
        "/v2/orders/1/shipments",
        {"order_address_id": address, "items": [{"order_product_id": wrap["id"], "quantity": 1}]},
    ).body
    assert api.get("/v2/orders/1").body["status_id"] == 2  # Shipped
    assert api.get("/v2/orders/1/shipments/count").body == {"count": 2}
    assert (
        api.put(f"/v2/orders/1/shipments/{second['id']}", {"tracking_number": "T2"}).body[
            "tracking_number"
        ]
        == "T2"
    )

    assert api.delete(f"/v2/orders/1/shipments/{first.body['id']}").status == 204
    remaining = api.get("/v2/orders/1/shipments").body
    assert [s["id"] for s in remaining] == [second["id"]]
    assert api.get("/v2/orders/1/products").body[0]["quantity_shipped"] == 0
    assert api.get(f"/v2/orders/1/shipments/{first.body['id']}").status == 404


def test_shipment_errors(api: Caller, order: dict[str, Any]) -> None:
    mug = api.get("/v2/orders/1/products").body[0]
    address = api.get("/v2/orders/1/shipping_addresses").body[0]["id"]
    too_many = {
        "order_address_id": address,
        "items": [{"order_product_id": mug["id"], "quantity": 3}],
    }
    assert api.post("/v2/orders/1/shipments", too_many).status == 400
    assert api.post("/v2/orders/1/shipments", {"order_address_id": address}).status == 400
    wrong_address = {
        "order_address_id": 999,
        "items": [{"order_product_id": mug["id"], "quantity": 1}],
    }
    assert api.post("/v2/orders/1/shipments", wrong_address).status == 400
    assert api.post("/v2/orders/2/shipments", too_many).status == 404


def test_a_shipment_belongs_to_its_order(api: Caller, order: dict[str, Any]) -> None:
    api.post(
        "/v2/orders", {"billing_address": BILLING, "products": [{"product_id": 1, "quantity": 1}]}
    )
    mug = api.get("/v2/orders/1/products").body[0]
    address = api.get("/v2/orders/1/shipping_addresses").body[0]["id"]
    shipment = api.post(
        "/v2/orders/1/shipments",
        {"order_address_id": address, "items": [{"order_product_id": mug["id"], "quantity": 1}]},
    ).body
    assert api.get(f"/v2/orders/2/shipments/{shipment['id']}").status == 404
    assert api.delete("/v2/orders/2/shipments").status == 204  # order 2 has none to delete
    assert api.get("/v2/orders/1/shipments/count").body == {"count": 1}


def refund_body(line_id: int, quantity: int, amount: float) -> dict[str, Any]:
    return {
        "items": [{"item_type": "PRODUCT", "item_id": line_id, "quantity": quantity}],
        "payments": [{"provider_id": "custom", "amount": amount, "offline": True}],
    }


def test_refunds(api: Caller, order: dict[str, Any]) -> None:
    mug = api.get("/v2/orders/1/products").body[0]
    quote = api.post(
        "/v3/orders/1/payment_actions/refund_quotes",
        {"items": [{"item_type": "PRODUCT", "item_id": mug["id"], "quantity": 1}]},
    )
    assert quote.status == 201
    assert quote.data["total_refund_amount"] == 10.0

    refund = api.post("/v3/orders/1/payment_actions/refunds", refund_body(mug["id"], 1, 10.0))
    assert refund.status == 201
    assert refund.data["total_amount"] == 10.0 and refund.data["order_id"] == 1
    order_now = api.get("/v2/orders/1").body
    assert (order_now["refunded_amount"], order_now["status"]) == ("10.0000", "Partially Refunded")
    assert api.get("/v2/orders/1/products").body[0]["quantity_refunded"] == 1

    assert api.get("/v3/orders/1/payment_actions/refunds").data == [refund.data]
    assert api.get(f"/v3/orders/payment_actions/refunds/{refund.data['id']}").data == refund.data
    listed = api.get("/v3/orders/payment_actions/refunds", **{"order_id:in": "1", "id:in": "1"})
    assert [r["id"] for r in listed.data] == [1]


def test_refund_errors(api: Caller, order: dict[str, Any]) -> None:
    mug = api.get("/v2/orders/1/products").body[0]
    assert (
        api.post("/v3/orders/1/payment_actions/refunds", refund_body(mug["id"], 3, 30.0)).status
        == 422
    )
    assert (
        api.post("/v3/orders/1/payment_actions/refunds", refund_body(mug["id"], 1, 9.0)).status
        == 422
    )
    assert api.post("/v3/orders/1/payment_actions/refunds", {"items": []}).status == 422
    too_much = {
        "items": [{"item_type": "ORDER", "item_id": 1, "amount": 500}],
        "payments": [{"provider_id": "custom", "amount": 500}],
    }
    answer = api.post("/v3/orders/1/payment_actions/refunds", too_much)
    assert answer.status == 422 and answer.body["errors"]
    assert (
        api.post("/v3/orders/7/payment_actions/refund_quotes", refund_body(1, 1, 1)).status == 404
    )
    assert api.get("/v3/orders/payment_actions/refunds/5").status == 404
    assert api.get("/v2/orders/1").body["refunded_amount"] == "0.0000"


def test_refunding_everything_marks_the_order_refunded(api: Caller, order: dict[str, Any]) -> None:
    total = float(api.get("/v2/orders/1").body["total_inc_tax"])
    body = {
        "items": [{"item_type": "ORDER", "item_id": 1, "amount": total}],
        "payments": [{"provider_id": "custom", "amount": total}],
    }
    assert api.post("/v3/orders/1/payment_actions/refunds", body).status == 201
    refunded = api.get("/v2/orders/1").body
    assert (refunded["status_id"], refunded["payment_status"]) == (4, "refunded")
