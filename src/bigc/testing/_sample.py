"""Deterministic sample data: the same seed gives the same store, every run.

Each record is built from its own id and the seed (``Random(f"{seed}-{kind}-{id}")``),
never from a shared stream, so records can be built lazily, in any order,
and still come out the same. Unique values (product names, SKUs, customer
emails) carry the id as their last number, so the store can tell which lazy
record owns one without building them all.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from bigc.testing._customers import customer_template
from bigc.testing._dates import iso, rfc2822
from bigc.testing._order_records import (
    STATUSES,
    OrderParts,
    address_v2,
    money,
    order_product,
    order_template,
    shipping_address,
)
from bigc.testing._products import product_template, slug, variant_template
from bigc.testing._sample_text import customer_details, order_details, product_details
from bigc.testing._table import Record

__all__ = ["Sample"]

EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
ADJECTIVES = ("Classic", "Rustic", "Sleek", "Vintage", "Sturdy", "Cozy", "Bright", "Compact")
NOUNS = ("Mug", "Lamp", "Chair", "Backpack", "Kettle", "Blanket", "Notebook", "Planter", "Clock")
FIRST_NAMES = ("Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jon")
LAST_NAMES = ("Smith", "Garcia", "Chen", "Okafor", "Novak", "Silva", "Kim", "Moreau", "Berg")
CITIES = (
    ("Austin", "Texas", "78701"),
    ("Denver", "Colorado", "80202"),
    ("Boston", "Massachusetts", "02108"),
)
CATEGORY_NAMES = ("Kitchen", "Home", "Office", "Outdoor", "Travel", "Gifts")
BRAND_NAMES = ("Acme", "Northwind", "Globex", "Initech", "Umbrella")
ORDER_STATUSES = (1, 7, 9, 11, 5)
_LAST_NUMBER = re.compile(r"(\d+)\D*$")


class Sample:
    """Builds sample records by id; knows how many of each kind the store has."""

    def __init__(self, seed: int, products: int, customers: int, orders: int) -> None:
        self.seed = seed
        self.products = products
        self.customers = customers
        self.orders = orders
        self.categories = len(CATEGORY_NAMES) if products else 0
        self.brands = len(BRAND_NAMES) if products else 0

    def rng(self, kind: str, record_id: int) -> random.Random:
        return random.Random(f"{self.seed}-{kind}-{record_id}")

    # -- catalog --------------------------------------------------------------------

    def category(self, category_id: int) -> Record:
        name = CATEGORY_NAMES[category_id - 1]
        return {
            "name": name,
            "parent_id": 0,
            "sort_order": category_id,
            "custom_url": {"url": slug(name), "is_customized": False},
        }

    def brand(self, brand_id: int) -> Record:
        name = BRAND_NAMES[brand_id - 1]
        return {
            "name": name,
            "page_title": name,
            "custom_url": {"url": slug(name), "is_customized": False},
        }

    def product_name(self, product_id: int) -> str:
        rng = self.rng("name", product_id)
        return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {product_id}"

    def product(self, product_id: int) -> Record:
        rng = self.rng("product", product_id)
        price = round(rng.uniform(5, 500), 2)
        sale = round(price * 0.8, 2) if product_id % 4 == 0 else 0.0
        created = EPOCH + timedelta(minutes=product_id)
        name = self.product_name(product_id)
        return {
            **product_template(),
            **product_details(self.rng("details", product_id), product_id, name, price),
            "id": product_id,
            "name": name,
            "type": "digital" if product_id % 10 == 0 else "physical",
            "sku": self.sku(product_id),
            "price": price,
            "sale_price": sale,
            "calculated_price": sale or price,
            "weight": round(rng.uniform(0.1, 20), 2),
            "categories": [1 + product_id % self.categories] if self.categories else [],
            "brand_id": 1 + product_id % self.brands if self.brands else 0,
            "inventory_level": rng.randrange(0, 500),
            "inventory_tracking": "product",
            "is_visible": product_id % 13 != 0,
            "is_featured": product_id % 17 == 0,
            "total_sold": rng.randrange(0, 1000),
            "date_created": iso(created),
            "date_modified": iso(created + timedelta(days=rng.randrange(0, 90))),
            "date_last_imported": iso(created) if product_id % 4 == 1 else "",
            "custom_url": {"url": slug(name), "is_customized": False},
            "base_variant_id": product_id,
        }

    def sku(self, product_id: int) -> str:
        return f"SKU-{product_id:06d}"

    def base_variant(self, variant_id: int) -> Record:
        return {
            **variant_template(),
            "id": variant_id,
            "product_id": variant_id,
            "sku": self.sku(variant_id),
            "sku_id": variant_id,
        }

    def product_owner(self, name: str) -> int | None:
        return _owner(name, self.products, self.product_name)

    def sku_owner(self, sku: str) -> int | None:
        return _owner(sku, self.products, self.sku)

    # -- customers ------------------------------------------------------------------

    def person(self, customer_id: int) -> tuple[str, str, str]:
        rng = self.rng("person", customer_id)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        return first, last, f"{first}.{last}.{customer_id}@example.com".lower()

    def customer(self, customer_id: int) -> Record:
        first, last, email = self.person(customer_id)
        created = EPOCH + timedelta(hours=customer_id)
        return {
            **customer_template(),
            **customer_details(self.rng("customer-details", customer_id), customer_id),
            "id": customer_id,
            "email": email,
            "first_name": first,
            "last_name": last,
            "date_created": iso(created),
            "date_modified": iso(created + timedelta(days=customer_id % 30)),
        }

    def customer_owner(self, email: str) -> int | None:
        return _owner(email, self.customers, lambda i: self.person(i)[2])

    # -- orders ------------------------------------------------------------------------

    def order(self, order_id: int) -> tuple[Record, OrderParts]:
        rng = self.rng("order", order_id)
        customer_id = 1 + (order_id * 7) % self.customers if self.customers else 0
        first, last, email = self.person(customer_id or order_id)
        city, state, postcode = rng.choice(CITIES)
        address = {
            "first_name": first,
            "last_name": last,
            "street_1": f"{order_id} Main Street",
            "city": city,
            "state": state,
            "zip": postcode,
            "country": "United States",
            "country_iso2": "US",
            "email": email,
        }
        created = EPOCH + timedelta(hours=order_id)
        status_id = rng.choice(ORDER_STATUSES)
        parts = OrderParts(addresses=[shipping_address(order_id, order_id, address, 0)])
        for n in range(1 + rng.randrange(3)):
            parts.products.append(
                order_product(order_id, 3 * (order_id - 1) + n + 1, order_id, self._line(rng))
            )
        subtotal = sum(float(p["total_inc_tax"]) for p in parts.products)
        items = sum(p["quantity"] for p in parts.products)
        parts.addresses[0]["items_total"] = items
        order = {
            **order_template(),
            **order_details(self.rng("order-details", order_id)),
            "id": order_id,
            "customer_id": customer_id,
            "date_created": rfc2822(created),
            "date_modified": rfc2822(created + timedelta(hours=rng.randrange(0, 240))),
            "status_id": status_id,
            "status": STATUSES[status_id],
            "payment_method": "Credit Card",
            "payment_status": "captured" if status_id in (9, 11) else "pending",
            "billing_address": address_v2(**address),
            "items_total": items,
            "shipping_address_count": 1,
        }
        for total in ("subtotal", "total"):
            order[f"{total}_ex_tax"] = order[f"{total}_inc_tax"] = money(subtotal)
        if order_id % 5 == 0:
            parts.messages.append(self._message(order_id, customer_id, order["date_created"]))
        return order, parts

    def _line(self, rng: random.Random) -> Record:
        if not self.products:
            return {"name": "Custom item", "sku": "CUSTOM", "quantity": 1, "price": 9.99}
        product_id = rng.randrange(1, self.products + 1)
        product = self.product(product_id)
        return {
            "product_id": product_id,
            "variant_id": product_id,
            "name": product["name"],
            "sku": product["sku"],
            "type": product["type"],
            "weight": product["weight"],
            "quantity": 1 + rng.randrange(3),
            "price": product["calculated_price"],
        }

    @staticmethod
    def _message(order_id: int, customer_id: int, date: str) -> Record:
        return {
            "id": order_id,
            "order_id": order_id,
            "staff_id": 0,
            "customer_id": customer_id,
            "type": "customer",
            "subject": "Delivery",
            "message": "Please leave the parcel at the door.",
            "status": "unread",
            "is_flagged": False,
            "date_created": date,
            "customer": {},
        }


def _owner(value: str, count: int, build: Callable[[int], str]) -> int | None:
    """The id in ``value`` (its last number), if the sample record with that id has that value."""
    match = _LAST_NUMBER.search(value)
    if match is None:
        return None
    digits = match.group(1).lstrip("0")
    if len(digits) > len(str(count)):  # no such id; and int() refuses 4,300 digits and more
        return None
    record_id = int(digits or "0")
    if 1 <= record_id <= count and str(build(record_id)).casefold() == value.casefold():
        return record_id
    return None
