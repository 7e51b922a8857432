"""Carts, checkouts, and a checkout becoming a v2 order."""

from __future__ import annotations

from typing import Any

import pytest

from tests.testing.conftest import Caller, new_product

SHIP_TO = {
    "email": "ada@example.com",
    "country_code": "US",
    "state_or_province": "Texas",
    "postal_code": "78701",
}


@pytest.fixture
def cart(api: Caller) -> dict[str, Any]:
    """A cart with 2 mugs ($10, physical) and 1 e-book ($5, digital)."""
    api.post("/v3/catalog/products", new_product("Mug", price=10.0))
    api.post("/v3/catalog/products", new_product("E-book", type="digital", price=5.0))
    answer = api.post(
        "/v3/carts",
        {
            "customer_id": 0,
            "line_items": [{"product_id": 1, "quantity": 2}, {"product_id": 2, "quantity": 1}],
        },
    )
    assert answer.status == 201
    return answer.data  # type: ignore[no-any-return]


def test_cart_contents_and_amounts(api: Caller, cart: dict[str, Any]) -> None:
    physical = cart["line_items"]["physical_items"]
    digital = cart["line_items"]["digital_items"]
    assert [(i["product_id"], i["quantity"], i["extended_sale_price"]) for i in physical] == [
        (1, 2, 20.0)
    ]
    assert [(i["product_id"], i["quantity"]) for i in digital] == [(2, 1)]
    assert physical[0]["variant_id"] == api.get("/v3/catalog/products/1").data["base_variant_id"]
    assert (cart["base_amount"], cart["cart_amount"]) == (25.0, 25.0)
    assert api.get(f"/v3/carts/{cart['id']}").data == cart


def test_cart_items_can_be_added_changed_and_removed(api: Caller, cart: dict[str, Any]) -> None:
    cart_id = cart["id"]
    added = api.post(
        f"/v3/carts/{cart_id}/items", {"line_items": [{"product_id": 1, "quantity": 1}]}
    )
    assert added.status == 201
    mug = added.data["line_items"]["physical_items"][0]
    assert mug["quantity"] == 3  # the same product adds to the line
    changed = api.put(
        f"/v3/carts/{cart_id}/items/{mug['id']}", {"line_item": {"product_id": 1, "quantity": 1}}
    )
    assert changed.data["cart_amount"] == 15.0
    book = changed.data["line_items"]["digital_items"][0]
    assert api.delete(f"/v3/carts/{cart_id}/items/{book['id']}").status == 200
    last = api.delete(f"/v3/carts/{cart_id}/items/{mug['id']}")
    assert (last.status, last.reply.body) == (204, b"")  # an empty cart is deleted
    assert api.get(f"/v3/carts/{cart_id}").status == 404


def test_cart_errors(api: Caller, cart: dict[str, Any]) -> None:
    assert api.post("/v3/carts", {"line_items": []}).status == 422
    assert api.post("/v3/carts", {"line_items": [{"product_id": 99, "quantity": 1}]}).status == 422
    assert (
        api.post(
            "/v3/carts", {"line_items": [{"product_id": 1, "quantity": 1, "variant_id": 2}]}
        ).status
        == 422
    )
    assert (
        api.put(f"/v3/carts/{cart['id']}/items/nope", {"line_item": {"quantity": 1}}).status == 404
    )
    stale = api.put(f"/v3/carts/{cart['id']}", {"customer_id": 0, "version": cart["version"] - 1})
    assert stale.status == 409


def test_cart_customer_redirect_urls_and_delete(api: Caller, cart: dict[str, Any]) -> None:
    assert api.put(f"/v3/carts/{cart['id']}", {"customer_id": 5}).data["customer_id"] == 5
    urls = api.post(f"/v3/carts/{cart['id']}/redirect_urls", {}).data
    assert set(urls) == {"cart_url", "checkout_url", "embedded_checkout_url"}
    assert api.get(f"/v3/carts/{cart['id']}", include="redirect_urls").data["redirect_urls"] == urls
    assert api.delete(f"/v3/carts/{cart['id']}").status == 204
    assert api.get(f"/v3/carts/{cart['id']}").status == 404


def ready_checkout(api: Caller, cart: dict[str, Any]) -> str:
    """Billing address, one consignment with flat-rate shipping ($10), coupon SAVE10."""
    cart_id = cart["id"]
    billing = {
        **SHIP_TO,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "city": "Austin",
        "address1": "1 Main",
    }
    assert api.post(f"/v3/checkouts/{cart_id}/billing-address", billing).status == 200
    mug = cart["line_items"]["physical_items"][0]["id"]
    consignment = api.post(
        f"/v3/checkouts/{cart_id}/consignments",
        [{"address": SHIP_TO, "line_items": [{"item_id": mug, "quantity": 2}]}],
    ).data["consignments"][0]
    assert [o["id"] for o in consignment["available_shipping_options"]] == [
        "flat-rate",
        "free-shipping",
    ]
    picked = api.put(
        f"/v3/checkouts/{cart_id}/consignments/{consignment['id']}",
        {"shipping_option_id": "flat-rate"},
    )
    assert picked.data["shipping_cost_total_inc_tax"] == 10.0
    coupon = api.post(f"/v3/checkouts/{cart_id}/coupons", {"coupon_code": "SAVE10"})
    assert coupon.data["coupons"][0]["discounted_amount"] == 2.5
    assert coupon.data["grand_total"] == 32.5
    return str(cart_id)


def test_checkout_becomes_an_incomplete_v2_order(api: Caller, cart: dict[str, Any]) -> None:
    cart_id = ready_checkout(api, cart)
    created = api.post(f"/v3/checkouts/{cart_id}/orders", None)
    assert created.status == 200
    order_id = created.data["id"]
    order = api.get(f"/v2/orders/{order_id}").body
    assert (order["status_id"], order["status"], order["cart_id"]) == (0, "Incomplete", cart_id)
    assert order["total_inc_tax"] == "32.5000" and order["base_shipping_cost"] == "10.0000"
    assert order["billing_address"]["email"] == "ada@example.com"
    lines = api.get(f"/v2/orders/{order_id}/products").body
    assert sorted((line["name"], line["quantity"]) for line in lines) == [("E-book", 1), ("Mug", 2)]
    assert api.get(f"/v2/orders/{order_id}/coupons").body[0]["code"] == "SAVE10"
    assert (
        api.get(f"/v2/orders/{order_id}/shipping_addresses").body[0]["shipping_method"]
        == "Flat Rate"
    )
    assert api.get(f"/v3/checkouts/{cart_id}").data["order_id"] == str(order_id)


def test_an_order_needs_billing_and_shipping(api: Caller, cart: dict[str, Any]) -> None:
    cart_id = cart["id"]
    assert api.post(f"/v3/checkouts/{cart_id}/orders", None).status == 422
    api.post(
        f"/v3/checkouts/{cart_id}/billing-address", {"email": "a@example.com", "country_code": "US"}
    )
    no_shipping = api.post(f"/v3/checkouts/{cart_id}/orders", None)
    assert no_shipping.status == 422 and "consignments" in no_shipping.body["errors"]
    assert api.get("/v2/orders").status == 204


def test_checkout_details(api: Caller, cart: dict[str, Any]) -> None:
    cart_id = cart["id"]
    assert (
        api.post(f"/v3/checkouts/{cart_id}/billing-address", {"email": "a@example.com"}).status
        == 422
    )
    address = api.post(
        f"/v3/checkouts/{cart_id}/billing-address", {"email": "a@example.com", "country_code": "US"}
    )
    address_id = address.data["billing_address"]["id"]
    moved = api.put(
        f"/v3/checkouts/{cart_id}/billing-address/{address_id}",
        {"city": "Paris", "country_code": "FR"},
    )
    assert moved.data["billing_address"]["city"] == "Paris"
    assert api.put(f"/v3/checkouts/{cart_id}/billing-address/other", {"city": "X"}).status == 404
    assert (
        api.put(f"/v3/checkouts/{cart_id}", {"customer_message": "Ring twice"}).data[
            "customer_message"
        ]
        == "Ring twice"
    )
    assert api.post(f"/v3/checkouts/{cart_id}/coupons", {"coupon_code": "BOGUS"}).status == 422
    api.post(f"/v3/checkouts/{cart_id}/coupons", {"coupon_code": "TAKE5"})
    assert api.delete(f"/v3/checkouts/{cart_id}/coupons/TAKE5").data["coupons"] == []
    assert api.delete(f"/v3/checkouts/{cart_id}/coupons/TAKE5").status == 404
    discounted = api.post(
        f"/v3/checkouts/{cart_id}/discounts", {"cart": {"discounts": [{"discounted_amount": 3}]}}
    )
    assert discounted.data["cart"]["discount_amount"] == 3.0
    digital = cart["line_items"]["digital_items"][0]["id"]
    wrong = [{"address": SHIP_TO, "line_items": [{"item_id": digital, "quantity": 1}]}]
    assert api.post(f"/v3/checkouts/{cart_id}/consignments", wrong).status == 422
    mug = cart["line_items"]["physical_items"][0]["id"]
    made = api.post(
        f"/v3/checkouts/{cart_id}/consignments",
        [{"address": SHIP_TO, "line_items": [{"item_id": mug, "quantity": 2}]}],
    ).data["consignments"][0]
    assert (
        api.delete(f"/v3/checkouts/{cart_id}/consignments/{made['id']}").data["consignments"] == []
    )
    assert api.get("/v3/checkouts/nope").status == 404
