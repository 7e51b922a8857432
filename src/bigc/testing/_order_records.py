"""The records of a v2 order: the order itself, its products, addresses, and
the :class:`OrderParts` that keep them together.

Money is written as BigCommerce's v2 does (strings with four decimals) and
every address field is present, as in the real answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bigc.testing._table import Record

__all__ = [
    "STATUSES",
    "OrderParts",
    "address_v2",
    "country_name",
    "money",
    "order_product",
    "order_template",
    "shipping_address",
]

STATUSES = {
    0: "Incomplete",
    1: "Pending",
    2: "Shipped",
    3: "Partially Shipped",
    4: "Refunded",
    5: "Cancelled",
    6: "Declined",
    7: "Awaiting Payment",
    8: "Awaiting Pickup",
    9: "Awaiting Shipment",
    10: "Completed",
    11: "Awaiting Fulfillment",
    12: "Manual Verification Required",
    13: "Disputed",
    14: "Partially Refunded",
}


COUNTRIES = {"US": "United States", "CA": "Canada", "GB": "United Kingdom", "AU": "Australia"}


def country_name(code: str) -> str:
    """The country name BigCommerce shows next to a code (the code when unknown here)."""
    return COUNTRIES.get(code.upper(), code)


def money(value: float) -> str:
    return f"{value:.4f}"


def address_v2(**values: Any) -> Record:
    """A v2 address (billing or shipping) with every field present."""
    keys = ("first_name", "last_name", "company", "street_1", "street_2", "city", "state")
    base = dict.fromkeys(keys, "")
    base.update(zip="", country="", country_iso2="", phone="", email="")
    base.update({k: v for k, v in values.items() if k in base and v is not None})
    return base


def order_template() -> Record:
    zero = money(0)
    record: Record = {
        "id": 0,
        "customer_id": 0,
        "date_created": "",
        "date_modified": "",
        "date_shipped": "",
        "status_id": 1,
        "status": "Pending",
        "cart_id": "",
        "channel_id": 1,
        "order_source": "external",
        "payment_method": "Manual",
        "payment_provider_id": "",
        "payment_status": "",
        "refunded_amount": zero,
        "order_is_digital": False,
        "store_credit_amount": zero,
        "gift_certificate_amount": zero,
        "ip_address": "",
        "ip_address_v6": "",
        "geoip_country": "",
        "geoip_country_iso2": "",
        "currency_id": 1,
        "currency_code": "USD",
        "currency_exchange_rate": "1.0000000000",
        "default_currency_id": 1,
        "default_currency_code": "USD",
        "store_default_currency_code": "USD",
        "store_default_to_transactional_exchange_rate": "1.0000000000",
        "staff_notes": "",
        "customer_message": "",
        "discount_amount": zero,
        "coupon_discount": zero,
        "items_total": 0,
        "items_shipped": 0,
        "shipping_address_count": 0,
        "is_deleted": False,
        "is_email_opt_in": False,
        "is_tax_inclusive_pricing": False,
        "ebay_order_id": "0",
        "external_source": None,
        "external_id": None,
        "external_merchant_id": None,
        "external_order_id": "",
        "tax_provider_id": "",
        "customer_locale": "en",
        "billing_address": address_v2(),
    }
    for cost in ("shipping", "handling", "wrapping"):
        record[f"base_{cost}_cost"] = zero
        for suffix in ("ex_tax", "inc_tax", "tax"):
            record[f"{cost}_cost_{suffix}"] = zero
        record[f"{cost}_cost_tax_class_id"] = 0
    for total in ("subtotal", "total"):
        for suffix in ("ex_tax", "inc_tax", "tax"):
            record[f"{total}_{suffix}"] = zero
    return record


def order_product(order_id: int, line_id: int, address_id: int, line: Mapping[str, Any]) -> Record:
    """An order line from ``line`` (product_id, variant_id, name, sku, quantity, price)."""
    quantity = int(line.get("quantity", 1))
    price = float(line.get("price", 0.0))
    total = money(price * quantity)
    each = money(price)
    zero = money(0)
    return {
        "id": line_id,
        "order_id": order_id,
        "product_id": int(line.get("product_id", 0)),
        "variant_id": int(line.get("variant_id", 0)),
        "order_address_id": address_id,
        "name": str(line.get("name", "")),
        "name_customer": str(line.get("name", "")),
        "name_merchant": str(line.get("name", "")),
        "sku": str(line.get("sku", "")),
        "upc": "",
        "type": str(line.get("type", "physical")),
        "base_price": each,
        "price_ex_tax": each,
        "price_inc_tax": each,
        "price_tax": zero,
        "base_total": total,
        "total_ex_tax": total,
        "total_inc_tax": total,
        "total_tax": zero,
        "discounted_total_inc_tax": total,
        "quantity": quantity,
        "base_cost_price": zero,
        "cost_price_inc_tax": zero,
        "cost_price_ex_tax": zero,
        "cost_price_tax": zero,
        "weight": float(line.get("weight", 0.0)),
        "width": zero,
        "height": zero,
        "depth": zero,
        "is_refunded": False,
        "quantity_refunded": 0,
        "refund_amount": zero,
        "return_id": 0,
        "wrapping_id": 0,
        "wrapping_name": None,
        "base_wrapping_cost": zero,
        "wrapping_cost_ex_tax": zero,
        "wrapping_cost_inc_tax": zero,
        "wrapping_cost_tax": zero,
        "wrapping_message": "",
        "quantity_shipped": 0,
        "event_name": None,
        "event_date": None,
        "fixed_shipping_cost": zero,
        "ebay_item_id": "",
        "ebay_transaction_id": "",
        "option_set_id": None,
        "parent_order_product_id": None,
        "is_bundled_product": False,
        "bin_picking_number": "",
        "external_id": None,
        "brand": "",
        "applied_discounts": [],
        "product_options": [],
        "configurable_fields": [],
        "gift_certificate_id": None,
    }


def shipping_address(
    order_id: int, address_id: int, address: Mapping[str, Any], items: int, cost: float = 0.0
) -> Record:
    zero = money(0)
    return {
        "id": address_id,
        "order_id": order_id,
        **address_v2(**address),
        "items_total": items,
        "items_shipped": 0,
        "shipping_method": str(address.get("shipping_method", "Flat Rate")),
        "base_cost": money(cost),
        "cost_ex_tax": money(cost),
        "cost_inc_tax": money(cost),
        "cost_tax": zero,
        "cost_tax_class_id": 2,
        "base_handling_cost": zero,
        "handling_cost_ex_tax": zero,
        "handling_cost_inc_tax": zero,
        "handling_cost_tax": zero,
        "handling_cost_tax_class_id": 2,
        "shipping_zone_id": 1,
        "shipping_zone_name": "United States",
        "form_fields": [],
    }


@dataclass
class OrderParts:
    """Everything that belongs to one order, kept together so deleting stays simple."""

    products: list[Record] = field(default_factory=list)
    addresses: list[Record] = field(default_factory=list)
    shipments: list[Record] = field(default_factory=list)
    coupons: list[Record] = field(default_factory=list)
    messages: list[Record] = field(default_factory=list)
