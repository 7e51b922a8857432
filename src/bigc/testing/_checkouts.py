"""Checkouts v3: the checkout of a cart (same id), and turning it into an order.

``POST /v3/checkouts/{id}/orders`` needs a billing address and, when the
cart has physical items, consignments with a selected shipping option, as
BigCommerce does; it creates a v2 order with status Incomplete (0) and
records its id on the checkout. Two coupon codes exist in every fake store:
``SAVE10`` (10% off) and ``TAKE5`` ($5 off); any other code answers 422.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bigc.testing._carts import Carts, cart_subtotal
from bigc.testing._crud import check_required
from bigc.testing._http import ApiError, Call, json_reply
from bigc.testing._order_records import address_v2, country_name, money
from bigc.testing._orders import Orders
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record

__all__ = ["COUPONS", "Checkouts"]

# code -> (BigCommerce coupon type: 1 percentage, 2 per total; value in percent or dollars)
COUPONS = {"SAVE10": (1, 10.0), "TAKE5": (2, 5.0)}
SHIPPING_OPTIONS = (
    {"id": "flat-rate", "type": "shipping_flatrate", "description": "Flat Rate", "cost": 10.0},
    {"id": "free-shipping", "type": "freeshipping", "description": "Free Shipping", "cost": 0.0},
)


@dataclass
class CheckoutState:
    """What a checkout adds to its cart."""

    billing_address: Record | None = None
    consignments: list[Record] = field(default_factory=list)
    customer_message: str = ""
    order_id: int | None = None


class Checkouts:
    def __init__(self, carts: Carts, orders: Orders) -> None:
        self.carts = carts
        self.orders = orders
        self.states: dict[str, CheckoutState] = {}
        carts.on_forget.append(lambda cart_id: self.states.pop(cart_id, None))

    def routes(self, base: str = "/v3/checkouts/{cart_id}") -> list[Route]:
        return [
            ("GET", base, self.get),
            ("PUT", base, self.update),
            ("POST", base + "/billing-address", self.set_billing),
            ("PUT", base + "/billing-address/{address_id}", self.set_billing),
            ("POST", base + "/consignments", self.add_consignments),
            ("PUT", base + "/consignments/{consignment_id}", self.update_consignment),
            ("DELETE", base + "/consignments/{consignment_id}", self.delete_consignment),
            ("POST", base + "/coupons", self.add_coupon),
            ("DELETE", base + "/coupons/{code}", self.delete_coupon),
            ("POST", base + "/discounts", self.add_discount),
            ("POST", base + "/orders", self.create_order),
        ]

    def find(self, call: Call) -> tuple[Record, CheckoutState]:
        cart = self.carts.find(call)
        return cart, self.states.setdefault(cart["id"], CheckoutState())

    def view(self, cart: Record, state: CheckoutState) -> Record:
        shipping = sum(
            c.get("selected_shipping_option", {}).get("cost", 0.0) for c in state.consignments
        )
        subtotal = cart_subtotal(cart)
        grand = round(max(subtotal - cart["discount_amount"], 0.0) + shipping, 2)
        items = cart["line_items"]
        return {
            "id": cart["id"],
            "cart": {
                "id": cart["id"],
                "customer_id": cart["customer_id"],
                "email": (state.billing_address or {}).get("email", cart["email"]),
                "currency": cart["currency"],
                "tax_included": False,
                "base_amount": cart["base_amount"],
                "channel_id": cart["channel_id"],
                "discount_amount": cart["discount_amount"],
                "cart_amount_inc_tax": cart["cart_amount"],
                "cart_amount_ex_tax": cart["cart_amount"],
                "coupons": cart["coupons"],
                "discounts": cart["discounts"],
                "line_items": {key: list(items[key]) for key in items},
                "created_time": cart["created_time"],
                "updated_time": cart["updated_time"],
            },
            "billing_address": state.billing_address or {},
            "consignments": state.consignments,
            "taxes": [{"name": "Tax", "amount": 0.0}],
            "coupons": cart["coupons"],
            "fees": [],
            "order_id": str(state.order_id) if state.order_id is not None else None,
            "shipping_cost_total_inc_tax": shipping,
            "shipping_cost_total_ex_tax": shipping,
            "handling_cost_total_inc_tax": 0.0,
            "handling_cost_total_ex_tax": 0.0,
            "tax_total": 0.0,
            "subtotal_inc_tax": subtotal,
            "subtotal_ex_tax": subtotal,
            "grand_total": grand,
            "created_time": cart["created_time"],
            "updated_time": cart["updated_time"],
            "customer_message": state.customer_message,
            "promotions": [],
            "version": cart["version"],
        }

    def reply(self, cart: Record, state: CheckoutState) -> Reply:
        return json_reply(200, {"data": self.view(cart, state), "meta": {}})

    # -- endpoints ----------------------------------------------------------------------

    def get(self, call: Call) -> Reply:
        return self.reply(*self.find(call))

    def update(self, call: Call) -> Reply:
        cart, state = self.find(call)
        body = call.json_object()
        check_required(call, body, ("customer_message",))
        self.carts.touch(call, cart)
        state.customer_message = str(body["customer_message"])
        return self.reply(cart, state)

    def set_billing(self, call: Call) -> Reply:
        cart, state = self.find(call)
        body = call.json_object()
        if len(call.args) > 1 and (state.billing_address or {}).get("id") != call.args[1]:
            raise ApiError(404, f"The billing address {call.args[1]} was not found.")
        merged = {**(state.billing_address or {}), **body}
        check_required(call, merged, ("email", "country_code"))
        self.carts.touch(call, cart)
        merged.pop("version", None)
        state.billing_address = {
            **_address(merged),
            "id": (state.billing_address or {}).get("id", self.carts.new_id()),
        }
        return self.reply(cart, state)

    def add_consignments(self, call: Call) -> Reply:
        cart, state = self.find(call)
        body = call.json_list()
        physical = {i["id"] for i in cart["line_items"]["physical_items"]}
        new = []
        for raw in body:
            address = raw.get("address") if isinstance(raw, dict) else None
            if not isinstance(address, dict):
                raise call.invalid("Each consignment needs an address.", {"address": "required"})
            check_required(
                call, address, ("email", "country_code", "state_or_province", "postal_code")
            )
            item_ids = [
                i.get("item_id") for i in raw.get("line_items") or [] if isinstance(i, dict)
            ]
            if not item_ids or not set(item_ids) <= physical:
                raise call.invalid("A consignment's line_items must be physical items of the cart.")
            new.append(self._consignment(address, item_ids))
        self.carts.touch(call, cart)
        state.consignments.extend(new)
        return self.reply(cart, state)

    def update_consignment(self, call: Call) -> Reply:
        cart, state = self.find(call)
        consignment = self._consignment_of(state, call.args[1])
        body = call.json_object()
        option_id = body.get("shipping_option_id")
        option = next(
            (o for o in consignment["available_shipping_options"] if o["id"] == option_id), None
        )
        if option_id is not None and option is None:
            raise call.invalid(f"The shipping option {option_id!r} is not available.")
        self.carts.touch(call, cart)
        if isinstance(body.get("address"), dict):
            consignment["address"] = {**consignment["address"], **_address(body["address"])}
        if option is not None:
            consignment["selected_shipping_option"] = dict(option)
            for key in ("shipping_cost_inc_tax", "shipping_cost_ex_tax"):
                consignment[key] = option["cost"]
        return self.reply(cart, state)

    def delete_consignment(self, call: Call) -> Reply:
        cart, state = self.find(call)
        state.consignments.remove(self._consignment_of(state, call.args[1]))
        self.carts.touch(call, cart)
        return self.reply(cart, state)

    def add_coupon(self, call: Call) -> Reply:
        cart, state = self.find(call)
        code = call.json_object().get("coupon_code")
        if not code:
            raise call.invalid(
                "The required field 'coupon_code' was not supplied.", {"coupon_code": "required"}
            )
        if str(code).upper() not in COUPONS:
            raise call.invalid(
                f"The coupon code {code!r} is not valid.", {"coupon_code": "invalid"}
            )
        kind, value = COUPONS[str(code).upper()]
        cart["coupons"] = [c for c in cart["coupons"] if c["code"] != str(code).upper()]
        subtotal = cart_subtotal(cart)
        amount = subtotal * value / 100 if kind == 1 else min(value, subtotal)
        cart["coupons"].append(
            {
                "id": len(cart["coupons"]) + 1,
                "code": str(code).upper(),
                "coupon_type": str(kind),
                "display_name": str(code).upper(),
                "discounted_amount": round(amount, 2),
            }
        )
        self.carts.touch(call, cart)
        return self.reply(cart, state)

    def delete_coupon(self, call: Call) -> Reply:
        cart, state = self.find(call)
        kept = [c for c in cart["coupons"] if c["code"] != call.args[1].upper()]
        if len(kept) == len(cart["coupons"]):
            raise ApiError(404, f"The coupon {call.args[1]} is not applied to this checkout.")
        cart["coupons"] = kept
        self.carts.touch(call, cart)
        return self.reply(cart, state)

    def add_discount(self, call: Call) -> Reply:
        cart, state = self.find(call)
        raw = (call.json_object().get("cart") or {}).get("discounts")
        if not isinstance(raw, list) or not all(
            isinstance(d, dict) and "discounted_amount" in d for d in raw
        ):
            raise call.invalid(
                "cart.discounts must be a list with discounted_amount.",
                {"cart.discounts": "required"},
            )
        cart["discounts"] = [
            {"id": "manual-discount", "discounted_amount": float(d["discounted_amount"])}
            for d in raw
        ]
        cart["manual_discount_amount"] = round(
            sum(d["discounted_amount"] for d in cart["discounts"]), 2
        )
        self.carts.touch(call, cart)
        return self.reply(cart, state)

    def create_order(self, call: Call) -> Reply:
        cart, state = self.find(call)
        if state.billing_address is None:
            raise call.invalid(
                "The checkout has no billing address.", {"billing_address": "required"}
            )
        items = cart["line_items"]
        if items["physical_items"] and (
            not state.consignments
            or any("selected_shipping_option" not in c for c in state.consignments)
        ):
            raise call.invalid(
                "Physical items need a consignment with a selected shipping option.",
                {"consignments": "required"},
            )
        order = self.orders.place(
            _order_lines(items),
            [_shipping(c) for c in state.consignments],
            status_id=0,
            customer_id=cart["customer_id"],
            cart_id=cart["id"],
            order_source="www",
            customer_message=state.customer_message,
            billing_address=_billing(state.billing_address),
            discount_amount=money(cart["discount_amount"]),
            coupon_discount=money(sum(c["discounted_amount"] for c in cart["coupons"])),
        )
        parts = self.orders.parts[order["id"]]
        for n, coupon in enumerate(cart["coupons"], 1):
            parts.coupons.append(
                {
                    "id": n,
                    "coupon_id": n,
                    "order_id": order["id"],
                    "code": coupon["code"],
                    "amount": coupon["discounted_amount"],
                    "type": int(coupon["coupon_type"]),
                    "discount": coupon["discounted_amount"],
                }
            )
        state.order_id = order["id"]
        return json_reply(200, {"data": {"id": order["id"]}, "meta": {}})

    # -- helpers ----------------------------------------------------------------------------

    def _consignment(self, address: dict[str, Any], item_ids: list[Any]) -> Record:
        return {
            "id": self.carts.new_id(),
            "address": {**_address(address), "id": self.carts.new_id()},
            "available_shipping_options": [
                {**o, "image_url": "", "transit_time": "", "additional_description": ""}
                for o in SHIPPING_OPTIONS
            ],
            "coupon_discounts": [],
            "discounts": [],
            "shipping_cost_inc_tax": 0.0,
            "shipping_cost_ex_tax": 0.0,
            "handling_cost_inc_tax": 0.0,
            "handling_cost_ex_tax": 0.0,
            "line_item_ids": item_ids,
        }

    @staticmethod
    def _consignment_of(state: CheckoutState, consignment_id: str) -> Record:
        for consignment in state.consignments:
            if consignment["id"] == consignment_id:
                return consignment
        raise ApiError(404, f"The consignment {consignment_id} was not found.")


_ADDRESS_KEYS = (
    "first_name",
    "last_name",
    "email",
    "company",
    "address1",
    "address2",
    "city",
    "state_or_province",
    "state_or_province_code",
    "country_code",
    "postal_code",
    "phone",
)


def _address(raw: dict[str, Any]) -> Record:
    """A checkout address with every field present (``phone`` only when given: the
    spec's pattern refuses an empty one)."""
    address: Record = {key: str(raw.get(key, "") or "") for key in _ADDRESS_KEYS}
    if not address["phone"]:
        del address["phone"]
    address["custom_fields"] = list(raw.get("custom_fields") or [])
    return address


def _billing(address: Record) -> Record:
    """A checkout address in v2 order form."""
    return address_v2(
        first_name=address["first_name"],
        last_name=address["last_name"],
        company=address["company"],
        street_1=address["address1"],
        street_2=address["address2"],
        city=address["city"],
        state=address["state_or_province"],
        zip=address["postal_code"],
        country=country_name(address["country_code"]),
        country_iso2=address["country_code"],
        phone=address.get("phone", ""),
        email=address["email"],
    )


def _shipping(consignment: Record) -> Record:
    option = consignment["selected_shipping_option"]
    return {
        **_billing(consignment["address"]),
        "shipping_method": option["description"],
        "cost": option["cost"],
    }


def _order_lines(items: Record) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = [
        {
            "product_id": item["product_id"],
            "variant_id": item["variant_id"],
            "name": item["name"],
            "sku": item["sku"],
            "quantity": item["quantity"],
            "price": item["sale_price"],
            "type": "physical" if item["is_require_shipping"] else "digital",
        }
        for item in items["physical_items"] + items["digital_items"]
    ]
    lines += [
        {"name": c["name"], "sku": c["sku"], "quantity": c["quantity"], "price": c["list_price"]}
        for c in items["custom_items"]
    ]
    return lines
