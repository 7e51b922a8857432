"""Carts v3 (server-to-server carts): create, read, change items, delete.

Line items name a catalog product (and optionally a variant; the base
variant otherwise). Adding a product that is already in the cart adds to its
quantity, as BigCommerce does; removing the last item deletes the cart (204).
A body ``version`` that does not match the cart's answers 409.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

from bigc.testing._dates import iso, utcnow
from bigc.testing._http import ApiError, Call, json_reply, no_content
from bigc.testing._products import Products
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record

__all__ = ["Carts", "cart_subtotal"]

STOREFRONT = "https://store.example.com"


def cart_subtotal(cart: Record) -> float:
    """What the cart's items add up to, before discounts."""
    items = cart["line_items"]
    total: float = 0.0
    for item in items["physical_items"] + items["digital_items"]:
        total += item["extended_sale_price"]
    for item in items["custom_items"]:
        total += item["extended_list_price"]
    for item in items["gift_certificates"]:
        total += item["amount"] * item.get("quantity", 1)
    return round(total, 2)


class Carts:
    def __init__(self, products: Products, seed: int) -> None:
        self.products = products
        self.carts: dict[str, Record] = {}
        self._ids = random.Random(f"carts-{seed}")
        # Called with the ID of each cart that goes, so state kept beside it goes too.
        self.on_forget: list[Callable[[str], object]] = []

    def routes(self, base: str = "/v3/carts") -> list[Route]:
        one = base + "/{cart_id}"
        return [
            ("POST", base, self.create),
            ("GET", one, self.get),
            ("PUT", one, self.update),
            ("DELETE", one, self.delete),
            ("POST", one + "/items", self.add_items),
            ("PUT", one + "/items/{item_id}", self.update_item),
            ("DELETE", one + "/items/{item_id}", self.delete_item),
            ("POST", one + "/redirect_urls", self.redirect_urls),
        ]

    def new_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def find(self, call: Call) -> Record:
        cart = self.carts.get(call.args[0])
        if cart is None:
            raise ApiError(404, f"The cart {call.args[0]} was not found.")
        return cart

    def touch(self, call: Call, cart: Record) -> None:
        """Check the optimistic-concurrency ``version`` a client may send, then bump it."""
        body = call.body if isinstance(call.body, dict) else {}
        if "version" in body and body["version"] != cart["version"]:
            raise ApiError(409, "The cart was changed by another request (version mismatch).")
        cart["version"] += 1
        cart["updated_time"] = iso(utcnow())
        self._recount(cart)

    def reply(self, call: Call, cart: Record, status: int = 200) -> Reply:
        # Carts show coupon ids as strings (checkouts as numbers).
        data = {**cart, "coupons": [{**c, "id": str(c["id"])} for c in cart["coupons"]]}
        if "redirect_urls" in call.query.get("include", ""):
            data["redirect_urls"] = self._urls(cart)
        return json_reply(status, {"data": data, "meta": {}})

    # -- endpoints ------------------------------------------------------------------

    def create(self, call: Call) -> Reply:
        body = call.json_object()
        if not any(body.get(k) for k in ("line_items", "custom_items", "gift_certificates")):
            raise call.invalid(
                "A cart needs line_items, custom_items or gift_certificates.",
                {"line_items": "required"},
            )
        now = iso(utcnow())
        cart: Record = {
            "id": self.new_id(),
            "customer_id": int(body.get("customer_id", 0)),
            "channel_id": int(body.get("channel_id", 1)),
            "email": "",
            "currency": {"code": str((body.get("currency") or {}).get("code", "USD"))},
            "tax_included": False,
            "base_amount": 0.0,
            "discount_amount": 0.0,
            "manual_discount_amount": 0.0,
            "cart_amount": 0.0,
            "coupons": [],
            "discounts": [],
            "line_items": {
                "physical_items": [],
                "digital_items": [],
                "gift_certificates": [],
                "custom_items": [],
            },
            "created_time": now,
            "updated_time": now,
            "locale": str(body.get("locale", "en")),
            "version": 1,
        }
        self._add(call, cart, body)
        self._recount(cart)
        self.carts[cart["id"]] = cart
        return self.reply(call, cart, 201)

    def get(self, call: Call) -> Reply:
        return self.reply(call, self.find(call))

    def update(self, call: Call) -> Reply:
        cart = self.find(call)
        customer_id = call.json_object().get("customer_id")
        if not isinstance(customer_id, int):
            raise call.invalid("The field 'customer_id' is required.", {"customer_id": "required"})
        self.touch(call, cart)
        cart["customer_id"] = customer_id
        return self.reply(call, cart, 201)

    def delete(self, call: Call) -> Reply:
        self._forget(self.find(call)["id"])
        return no_content()

    def add_items(self, call: Call) -> Reply:
        cart = self.find(call)
        self._add(call, cart, call.json_object())
        self.touch(call, cart)
        return self.reply(call, cart, 201)

    def update_item(self, call: Call) -> Reply:
        cart = self.find(call)
        item = self._item(cart, call.args[1])
        change = call.json_object().get("line_item")
        if not isinstance(change, dict):
            change = {}
        quantity = change.get("quantity")
        if not isinstance(quantity, int) or quantity < 0:
            raise call.invalid(
                "line_item.quantity must be a non-negative integer.",
                {"line_item.quantity": "invalid"},
            )
        self.touch(call, cart)
        if quantity == 0:
            return self._remove(call, cart, item)
        item["quantity"] = quantity
        if isinstance(change.get("list_price"), (int, float)):
            item["list_price"] = item["sale_price"] = float(change["list_price"])
        self._recount(cart)
        return self.reply(call, cart)

    def delete_item(self, call: Call) -> Reply:
        cart = self.find(call)
        item = self._item(cart, call.args[1])
        self.touch(call, cart)
        return self._remove(call, cart, item)

    def redirect_urls(self, call: Call) -> Reply:
        return json_reply(201, {"data": self._urls(self.find(call)), "meta": {}})

    # -- helpers ----------------------------------------------------------------------

    def _urls(self, cart: Record) -> Record:
        load = f"{STOREFRONT}/cart.php?id={cart['id']}&token={cart['id'].replace('-', '')[:20]}"
        return {
            "cart_url": load + "&action=load",
            "checkout_url": load + "&action=loadInCheckout",
            "embedded_checkout_url": load + "&action=loadInCheckout&embedded=1",
        }

    def _add(self, call: Call, cart: Record, body: dict[str, Any]) -> None:
        items = cart["line_items"]
        for raw in call.objects(body, "line_items"):
            line = self._line(call, raw)
            bucket = (
                items["digital_items"]
                if line["is_require_shipping"] is False
                else items["physical_items"]
            )
            same = next((i for i in bucket if i["variant_id"] == line["variant_id"]), None)
            if same is not None:
                same["quantity"] += line["quantity"]
            else:
                bucket.append(line)
        for raw in call.objects(body, "custom_items"):
            if not raw.get("name") or not isinstance(raw.get("quantity"), int):
                raise call.invalid("Each custom item needs a name and a quantity.")
            price = float(raw.get("list_price", 0))
            items["custom_items"].append(
                {
                    "id": self.new_id(),
                    "sku": str(raw.get("sku", "")),
                    "name": raw["name"],
                    "quantity": raw["quantity"],
                    "list_price": price,
                    "extended_list_price": 0.0,
                }
            )
        for raw in call.objects(body, "gift_certificates"):
            missing = [
                k
                for k in ("name", "theme", "amount", "quantity", "sender", "recipient")
                if k not in raw
            ]
            if missing:
                raise call.invalid(f"The gift certificate is missing {missing[0]!r}.")
            items["gift_certificates"].append({**raw, "id": self.new_id(), "taxable": False})

    def _line(self, call: Call, raw: dict[str, Any]) -> Record:
        product_id, quantity = raw.get("product_id"), raw.get("quantity")
        if not isinstance(quantity, int) or quantity < 1:
            raise call.invalid(
                "Each line item needs a positive integer quantity.", {"quantity": "required"}
            )
        product = self.products.table.get(product_id) if isinstance(product_id, int) else None
        if product is None:
            raise call.invalid(
                f"The product {product_id!r} does not exist.", {"product_id": "not found"}
            )
        variant_id = raw.get("variant_id", product["base_variant_id"])
        variant = self.products.variants.get(variant_id) if isinstance(variant_id, int) else None
        if variant is None or variant["product_id"] != product["id"]:
            raise call.invalid(
                f"The variant {variant_id!r} is not a variant of product {product_id}."
            )
        price = raw.get("list_price", self.products.render_variant(variant)["calculated_price"])
        if not isinstance(price, (int, float)):
            raise call.invalid("list_price must be a number.", {"list_price": "invalid"})
        return {
            "id": self.new_id(),
            "variant_id": variant["id"],
            "product_id": product["id"],
            "sku": variant["sku"] or product["sku"],
            "name": product["name"],
            "url": STOREFRONT + product["custom_url"]["url"],
            "quantity": quantity,
            "taxable": True,
            "image_url": f"{STOREFRONT}/images/{product['id']}.jpg",
            "discounts": [],
            "coupons": [],
            "discount_amount": 0.0,
            "coupon_amount": 0.0,
            "original_price": float(price),
            "list_price": float(price),
            "sale_price": float(price),
            "extended_list_price": 0.0,
            "extended_sale_price": 0.0,
            "is_require_shipping": product["type"] == "physical",
            "is_mutable": True,
            "added_by_promotion": False,
        }

    def _item(self, cart: Record, item_id: str) -> Record:
        for bucket in cart["line_items"].values():
            for item in bucket:
                if item["id"] == item_id:
                    return item  # type: ignore[no-any-return]
        raise ApiError(404, f"The line item {item_id} is not in this cart.")

    def _remove(self, call: Call, cart: Record, item: Record) -> Reply:
        for bucket in cart["line_items"].values():
            if item in bucket:
                bucket.remove(item)
        if not any(cart["line_items"].values()):
            self._forget(cart["id"])
            return no_content()
        self._recount(cart)
        return self.reply(call, cart)

    def _forget(self, cart_id: str) -> None:
        del self.carts[cart_id]
        for forget in self.on_forget:
            forget(cart_id)

    def _recount(self, cart: Record) -> None:
        items = cart["line_items"]
        for item in items["physical_items"] + items["digital_items"]:
            item["extended_list_price"] = round(item["list_price"] * item["quantity"], 2)
            item["extended_sale_price"] = round(item["sale_price"] * item["quantity"], 2)
        for item in items["custom_items"]:
            item["extended_list_price"] = round(item["list_price"] * item["quantity"], 2)
        base = cart_subtotal(cart)
        coupons = sum(c["discounted_amount"] for c in cart["coupons"])
        discount = cart["manual_discount_amount"] + coupons
        cart["base_amount"] = base
        cart["discount_amount"] = round(discount, 2)
        cart["cart_amount"] = round(max(base - discount, 0.0), 2)
