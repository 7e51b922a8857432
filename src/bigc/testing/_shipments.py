"""Order shipments v2: ``/v2/orders/{id}/shipments`` and ``/{shipment_id}``.

A shipment takes quantities of the order's products to one of its shipping
addresses; it cannot ship more than is left. Shipping moves the order to
Partially Shipped (3) or Shipped (2). Deleting a shipment removes only it and
gives its quantities back.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from itertools import count as counter
from typing import Any

from bigc.testing._crud import check_required, stamp
from bigc.testing._http import Call, json_reply, no_content
from bigc.testing._order_records import STATUSES, OrderParts, address_v2, money
from bigc.testing._orders import Orders
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record

__all__ = ["Shipments"]

SHIPMENT_KEYS = (
    "tracking_number",
    "merchant_shipping_cost",
    "shipping_method",
    "shipping_provider",
    "tracking_carrier",
    "tracking_link",
    "comments",
)


class Shipments:
    def __init__(self, orders: Orders) -> None:
        self.orders = orders
        self._ids = counter(1)

    def routes(self, base: str = "/v2/orders/{id}/shipments") -> list[Route]:
        return [
            ("GET", base, partial(self.orders.list_part, "shipments")),
            ("POST", base, self.create_shipment),
            ("DELETE", base, self.delete_shipments),
            ("GET", base + "/count", self.count_shipments),
            ("GET", base + "/{part}", partial(self.orders.get_part, "shipments")),
            ("PUT", base + "/{part}", self.update_shipment),
            ("DELETE", base + "/{part}", self.delete_shipment),
        ]

    def create_shipment(self, call: Call) -> Reply:
        order, parts = self.orders.parts_of(call)
        body = call.json_object()
        check_required(call, body, ("order_address_id", "items"))
        address = next((a for a in parts.addresses if a["id"] == body["order_address_id"]), None)
        if address is None:
            raise call.invalid(
                f"The order has no shipping address {body['order_address_id']!r}.",
                {"order_address_id": "not an address of this order"},
            )
        items = self._shipment_items(call, parts, body["items"])
        for line, quantity in items:
            line["quantity_shipped"] += quantity
        shipment = {
            "id": next(self._ids),
            "order_id": order["id"],
            "customer_id": order["customer_id"],
            "order_address_id": address["id"],
            "date_created": "",
            "tracking_number": "",
            "merchant_shipping_cost": money(0),
            "shipping_method": address["shipping_method"],
            "shipping_provider": "",
            "tracking_carrier": "",
            "tracking_link": "",
            "comments": "",
            "billing_address": order["billing_address"],
            "shipping_address": address_v2(**address),
            "items": [
                {
                    "order_product_id": line["id"],
                    "product_id": line["product_id"],
                    "quantity": quantity,
                }
                for line, quantity in items
            ],
            "shipping_provider_display_name": "",
            "generated_tracking_link": "",
        }
        shipment.update({k: body[k] for k in SHIPMENT_KEYS if isinstance(body.get(k), str)})
        stamp(shipment, "rfc2822", created=True)
        parts.shipments.append(shipment)
        self._after_shipping(order, parts)
        return json_reply(201, shipment)

    def update_shipment(self, call: Call) -> Reply:
        shipment = self.orders.find_part(call, "shipments")
        body = call.json_object()
        shipment.update({k: body[k] for k in SHIPMENT_KEYS if isinstance(body.get(k), str)})
        return json_reply(200, shipment)

    def delete_shipment(self, call: Call) -> Reply:
        order, parts = self.orders.parts_of(call)
        shipment = self.orders.find_part(call, "shipments")
        self._unship(parts, [shipment])
        self._after_shipping(order, parts)
        return no_content()

    def delete_shipments(self, call: Call) -> Reply:
        order, parts = self.orders.parts_of(call)
        self._unship(parts, list(parts.shipments))
        self._after_shipping(order, parts)
        return no_content()

    def count_shipments(self, call: Call) -> Reply:
        return json_reply(200, {"count": len(self.orders.parts_of(call)[1].shipments)})

    def _shipment_items(
        self, call: Call, parts: OrderParts, items: Any
    ) -> list[tuple[Record, int]]:
        if not isinstance(items, list) or not items:
            raise call.invalid("The field 'items' must be a non-empty list.")
        resolved: list[tuple[Record, int]] = []
        asked: dict[int, int] = {}  # per order product, across the items of this shipment
        for item in items:
            wanted = item.get("order_product_id") if isinstance(item, dict) else None
            line = next((p for p in parts.products if p["id"] == wanted), None)
            quantity = item.get("quantity") if isinstance(item, dict) else None
            if line is None or not isinstance(quantity, int) or quantity < 1:
                raise call.invalid(f"The shipment item {item!r} is not valid for this order.")
            asked[line["id"]] = asked.get(line["id"], 0) + quantity
            left = line["quantity"] - line["quantity_shipped"]
            if asked[line["id"]] > left:
                raise call.invalid(f"Order product {line['id']} has only {left} left to ship.")
            resolved.append((line, quantity))
        return resolved

    def _unship(self, parts: OrderParts, shipments: Iterable[Record]) -> None:
        lines = {p["id"]: p for p in parts.products}
        for shipment in shipments:
            for item in shipment["items"]:
                lines[item["order_product_id"]]["quantity_shipped"] -= item["quantity"]
            parts.shipments.remove(shipment)

    def _after_shipping(self, order: Record, parts: OrderParts) -> None:
        shipped = sum(p["quantity_shipped"] for p in parts.products)
        order["items_shipped"] = shipped
        for address in parts.addresses:
            address["items_shipped"] = sum(
                p["quantity_shipped"]
                for p in parts.products
                if p["order_address_id"] == address["id"]
            )
        if shipped and shipped >= order["items_total"]:
            order["status_id"] = 2
        elif shipped:
            order["status_id"] = 3
        order["status"] = STATUSES[order["status_id"]]
        stamp(order, "rfc2822", created=False)
        if shipped and parts.shipments:
            order["date_shipped"] = parts.shipments[-1]["date_created"]
