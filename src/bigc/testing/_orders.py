"""Orders v2: ``/v2/orders``, ``/v2/orders/count`` and the read-only parts of
an order (products, shipping addresses, coupons, messages).

Dates are RFC 2822. ``DELETE /v2/orders/{id}`` archives: the order leaves
every list but can still be fetched, with ``is_deleted: true``. Shipments
are in ``_shipments``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from itertools import count as counter
from typing import Any

from bigc.testing._crud import Crud, Kind, accept, check_required, money_strings, stamp
from bigc.testing._http import ApiError, Call, json_reply, no_content
from bigc.testing._listing import Field, by_key, fields_of, select, v2_list
from bigc.testing._order_records import (
    STATUSES,
    OrderParts,
    address_v2,
    money,
    order_product,
    order_template,
    shipping_address,
)
from bigc.testing._products import Products
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["Orders"]

API = "https://api.bigcommerce.com/stores/{hash}/v2"
ORDER = Kind(
    "order",
    order_template,
    readonly=frozenset({"id", "date_created", "date_modified", "status", "is_deleted"}),
    dates="rfc2822",
)
ORDER_FIELDS: dict[str, Field] = {
    **fields_of(
        id="int",
        customer_id="int",
        status_id="int",
        cart_id="str",
        payment_method="str",
        channel_id="int",
        external_order_id="str",
        date_created="date",
        date_modified="date",
    ),
    "email": by_key("str", "billing_address.email"),
    "total": by_key("num", "total_inc_tax"),
}
_MONEY_FIELDS = frozenset(k for k, v in order_template().items() if v == money(0))


def _is_amount(value: str) -> bool:
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


class Orders(Crud):
    """``/v2/orders`` and its sub-resources."""

    def __init__(self, products: Products) -> None:
        super().__init__(Table(), ORDER, ORDER_FIELDS)
        self.products = products
        self.parts: dict[int, OrderParts] = {}
        # Ids of order products and shipping addresses are store-wide.
        self.line_ids, self.address_ids = counter(1), counter(1)

    def fill_lazily(self, total: int, build: Callable[[int], tuple[Record, OrderParts]]) -> None:
        """Reserve sample orders 1..total; order i uses line ids 3i-2..3i and address id i."""

        def factory(order_id: int) -> Record:
            order, parts = build(order_id)
            self.parts[order_id] = parts
            return order

        self.table.fill_lazily(total, factory)
        self.line_ids, self.address_ids = counter(3 * total + 1), counter(total + 1)

    def routes(self, base: str = "/v2/orders", *, batch_delete: bool = False) -> list[Route]:
        one = base + "/{id}"
        return [
            ("GET", base + "/count", self.count),
            ("DELETE", base, self.archive_all),
            *super().routes(base),
            ("GET", one + "/products", partial(self.list_part, "products")),
            ("GET", one + "/products/{part}", partial(self.get_part, "products")),
            ("GET", one + "/shipping_addresses", partial(self.list_part, "addresses")),
            ("GET", one + "/shipping_addresses/{part}", partial(self.get_part, "addresses")),
            ("PUT", one + "/shipping_addresses/{part}", self.update_address),
            ("GET", one + "/coupons", partial(self.list_part, "coupons")),
            ("GET", one + "/messages", partial(self.list_part, "messages")),
        ]

    # -- orders -------------------------------------------------------------------

    def normalize(self, body: Mapping[str, Any]) -> Mapping[str, Any]:
        return money_strings(body, _MONEY_FIELDS, money)

    def prepare(self, call: Call, changes: Record, existing: Record | None) -> None:
        """Money is a decimal string on v2; one that is not a finite number is refused
        (the totals are computed from it)."""
        for name in _MONEY_FIELDS.intersection(changes):
            if not _is_amount(changes[name]):
                raise call.invalid(
                    f"The field '{name}' must be a decimal amount.", {name: "invalid amount"}
                )

    def render(self, call: Call, record: Record) -> Record:
        root = API.format(hash=call.store_hash)
        links = {}
        # No `consignments` link: the spec's oneOf for it matches a link twice,
        # so no answer carrying one validates (tests/testing/test_schemas.py).
        for name in ("products", "shipping_addresses", "coupons", "fees"):
            resource = f"/orders/{record['id']}/{name}"
            links[name] = {"url": root + resource, "resource": resource}
        return {**record, **links}

    def create(self, call: Call) -> Reply:
        body = call.json_object()
        check_required(call, body, ("billing_address", "products"))
        lines = [self._line(call, item) for item in call.objects(body, "products")]
        shipping = call.objects(body, "shipping_addresses") or [body["billing_address"]]
        extra = accept(call, self.normalize(body), self.kind)
        self.prepare(call, extra, None)
        status_id = extra.pop("status_id", 1)
        self._check_status(call, status_id)
        extra["billing_address"] = address_v2(**body["billing_address"])
        order = self.place(lines, shipping, status_id=status_id, **extra)
        return json_reply(200, self.render(call, order))

    def place(
        self, lines: list[dict[str, Any]], shipping: Sequence[Mapping[str, Any]], **values: Any
    ) -> Record:
        """Create an order from resolved lines; shared by POST /v2/orders and checkouts."""
        order = {**order_template(), **values, "id": self.table.new_id()}
        order["status"] = STATUSES[order["status_id"]]
        stamp(order, "rfc2822", created=True)
        parts = self.parts.setdefault(order["id"], OrderParts())
        items = sum(int(line.get("quantity", 1)) for line in lines)
        for n, address in enumerate(shipping):
            cost = float(address.get("cost", 0.0))
            parts.addresses.append(
                shipping_address(
                    order["id"], next(self.address_ids), address, items if n == 0 else 0, cost
                )
            )
        first = parts.addresses[0]["id"] if parts.addresses else 0
        for line in lines:
            parts.products.append(order_product(order["id"], next(self.line_ids), first, line))
        self._total(order, parts)
        return self.table.put(order)

    def change(self, call: Call, record: Record, body: Any) -> Record:
        if "status_id" in body:
            self._check_status(call, body["status_id"])
        if isinstance(body.get("billing_address"), dict):
            body = {
                **body,
                "billing_address": address_v2(
                    **{**record["billing_address"], **body["billing_address"]}
                ),
            }
        record = super().change(call, record, body)
        record["status"] = STATUSES[record["status_id"]]
        self._total(record, self.parts.setdefault(record["id"], OrderParts()))
        return record

    def delete(self, call: Call) -> Reply:
        self._archive(self.find(call, call.int_arg(0)))
        return no_content()

    def archive_all(self, call: Call) -> Reply:
        for record in self.table:
            self._archive(record)
        return no_content()

    def _archive(self, record: Record) -> None:
        record["is_deleted"] = True
        stamp(record, "rfc2822", created=False)
        self.hidden.add(record["id"])

    def count(self, call: Call) -> Reply:
        matches = list(select(call, self.table, self.fields, self.hidden))
        statuses = []
        for status_id, name in STATUSES.items():
            statuses.append(
                {
                    "id": status_id,
                    "name": name,
                    "system_label": name,
                    "custom_label": name,
                    "system_description": name,
                    "count": sum(1 for order in matches if order["status_id"] == status_id),
                    "sort_order": status_id,
                }
            )
        return json_reply(200, {"statuses": statuses, "count": len(matches)})

    def _line(self, call: Call, item: Mapping[str, Any]) -> dict[str, Any]:
        """An order line from a request: a catalog product (by id) or a custom one."""
        quantity = item.get("quantity", 1)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise call.invalid("Each product needs a positive integer quantity.")
        product_id = item.get("product_id")
        if product_id is None:
            check_required(call, item, ("name", "price_ex_tax"))
            price = float(item.get("price_inc_tax", item["price_ex_tax"]))
            return {
                "name": item["name"],
                "sku": item.get("sku", ""),
                "quantity": quantity,
                "price": price,
            }
        product = self.products.table.get(product_id) if isinstance(product_id, int) else None
        if product is None:
            raise call.invalid(f"The product {product_id!r} does not exist.")
        variant_id = item.get("variant_id", product["base_variant_id"])
        default = product["calculated_price"]
        return {
            "product_id": product["id"],
            "variant_id": variant_id,
            "name": product["name"],
            "sku": product["sku"],
            "type": product["type"],
            "weight": product["weight"],
            "quantity": quantity,
            "price": float(item.get("price_inc_tax", item.get("price_ex_tax", default))),
        }

    def _check_status(self, call: Call, status_id: Any) -> None:
        if status_id not in STATUSES:
            raise call.invalid(f"The status_id {status_id!r} is not a valid order status.")

    def _total(self, order: Record, parts: OrderParts) -> None:
        """Recompute the order's totals; ``base_*_cost`` is the source of each cost.

        A cost sent only as ``*_cost_inc_tax`` becomes the base; the shipping
        cost is the shipping addresses' when they have one. There is no tax.
        """
        address_cost = sum(float(a["cost_inc_tax"]) for a in parts.addresses)
        if address_cost:
            order["base_shipping_cost"] = money(address_cost)
        costs = 0.0
        for cost in ("shipping", "handling", "wrapping"):
            base = float(order[f"base_{cost}_cost"]) or float(order[f"{cost}_cost_inc_tax"])
            order[f"base_{cost}_cost"] = money(base)
            order[f"{cost}_cost_ex_tax"] = order[f"{cost}_cost_inc_tax"] = money(base)
            costs += base
        subtotal = sum(float(p["total_inc_tax"]) for p in parts.products)
        total = subtotal + costs - float(order["discount_amount"])
        for suffix in ("ex_tax", "inc_tax"):
            order[f"subtotal_{suffix}"] = money(subtotal)
            order[f"total_{suffix}"] = money(total)
        order["items_total"] = sum(p["quantity"] for p in parts.products)
        order["shipping_address_count"] = len(parts.addresses)
        order["order_is_digital"] = all(p["type"] == "digital" for p in parts.products)

    # -- parts ----------------------------------------------------------------------

    def parts_of(self, call: Call) -> tuple[Record, OrderParts]:
        order = self.find(call, call.int_arg(0))
        return order, self.parts.setdefault(order["id"], OrderParts())

    def list_part(self, kind: str, call: Call) -> Reply:
        _, parts = self.parts_of(call)
        records: list[Record] = getattr(parts, kind)
        return v2_list(call, select(call, records, fields_of(id="int")))

    def get_part(self, kind: str, call: Call) -> Reply:
        return json_reply(200, self.find_part(call, kind))

    def find_part(self, call: Call, kind: str) -> Record:
        _, parts = self.parts_of(call)
        part_id = call.int_arg(1)
        records: list[Record] = getattr(parts, kind)
        for record in records:
            if record["id"] == part_id:
                return record
        raise ApiError(404, f"The order {kind.rstrip('s')} {part_id} was not found.")

    def update_address(self, call: Call) -> Reply:
        record = self.find_part(call, "addresses")
        writable = {*address_v2(), "shipping_method"}
        record.update({k: v for k, v in call.json_object().items() if k in writable})
        return json_reply(200, record)

    # -- shipments --------------------------------------------------------------------
