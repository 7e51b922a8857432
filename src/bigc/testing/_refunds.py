"""Order refunds v3: quotes, refunds per order and across orders.

A refund is checked against what the order has left to refund (quantities
per order product, money overall) and must be paid in full by its
``payments``; otherwise 422. Refunding moves the v2 order to Partially
Refunded or Refunded and updates its ``refunded_amount``.
"""

from __future__ import annotations

from typing import Any

from bigc.testing._dates import iso, utcnow
from bigc.testing._http import ApiError, Call, json_reply
from bigc.testing._listing import fields_of, select, v3_list, v3_one
from bigc.testing._order_records import STATUSES, OrderParts, money
from bigc.testing._orders import Orders
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["Refunds"]

_QUANTITY_TYPES = frozenset({"PRODUCT", "GIFT_WRAPPING"})
_AMOUNT_TYPES = frozenset({"ORDER", "SHIPPING", "HANDLING", "TAX", "FEE"})
REFUND_FIELDS = fields_of(id="int", order_id="int", created="date")


class Refunds:
    def __init__(self, orders: Orders) -> None:
        self.orders = orders
        self.table = Table()

    def routes(self, base: str = "/v3/orders") -> list[Route]:
        per_order = base + "/{id}/payment_actions"
        return [
            ("POST", per_order + "/refund_quotes", self.quote),
            ("POST", per_order + "/refunds", self.create),
            ("GET", per_order + "/refunds", self.list_for_order),
            ("GET", base + "/payment_actions/refunds", self.list_all),
            ("GET", base + "/payment_actions/refunds/{refund_id}", self.get),
        ]

    def quote(self, call: Call) -> Reply:
        order, parts = self.orders.parts_of(call)
        total, _ = self._assess(call, order, parts)
        method = {
            "provider_id": "custom",
            "provider_description": "Custom",
            "amount": total,
            "offline": True,
            "offline_provider": True,
            "offline_reason": "",
        }
        quote = {
            "order_id": order["id"],
            "total_refund_amount": total,
            "total_refund_tax_amount": 0.0,
            "order_level_refund_amount": total,
            "rounding": 0.0,
            "adjustment": 0.0,
            "tax_inclusive": False,
            "refund_methods": [[method]],
        }
        return json_reply(201, {"data": quote, "meta": {}})

    def create(self, call: Call) -> Reply:
        order, parts = self.orders.parts_of(call)
        total, items = self._assess(call, order, parts)
        payments = self._payments(call, total)
        for item, line, quantity in items:
            if line is not None:
                line["quantity_refunded"] += quantity
                line["is_refunded"] = line["quantity_refunded"] >= line["quantity"]
                line["refund_amount"] = money(
                    float(line["refund_amount"]) + item["requested_amount"]
                )
        refunded = float(order["refunded_amount"]) + total
        order["refunded_amount"] = money(refunded)
        fully = refunded >= float(order["total_inc_tax"]) - 0.005
        order["payment_status"] = "refunded" if fully else "partially refunded"
        order["status_id"] = 4 if fully else 14
        order["status"] = STATUSES[order["status_id"]]
        refund = {
            "id": self.table.new_id(),
            "order_id": order["id"],
            "user_id": 0,
            "created": iso(utcnow()),
            "reason": str(call.json_object().get("reason", "")),
            "total_amount": total,
            "total_tax": 0.0,
            "uses_merchant_override_values": False,
            "items": [item for item, _, _ in items],
            "payments": payments,
        }
        return v3_one(call, self.table.put(refund), status=201)

    def list_for_order(self, call: Call) -> Reply:
        order, _ = self.orders.parts_of(call)
        mine = [r for r in self.table if r["order_id"] == order["id"]]
        return v3_list(call, select(call, mine, REFUND_FIELDS))

    def list_all(self, call: Call) -> Reply:
        return v3_list(call, select(call, self.table, REFUND_FIELDS))

    def get(self, call: Call) -> Reply:
        refund = self.table.get(call.int_arg(0))
        if refund is None:
            raise ApiError(404, f"The refund {call.args[0]} was not found.")
        return v3_one(call, refund)

    def _assess(
        self, call: Call, order: Record, parts: OrderParts
    ) -> tuple[float, list[tuple[Record, Record | None, int]]]:
        """The refund's total and its items, each with the order line it refunds."""
        body = call.json_object()
        raw_items = body.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            raise call.invalid("The field 'items' must be a non-empty list.", {"items": "required"})
        lines = {line["id"]: line for line in parts.products}
        assessed = [self._item(call, order, lines, item) for item in raw_items]
        total = round(sum(item["requested_amount"] for item, _, _ in assessed), 2)
        left = float(order["total_inc_tax"]) - float(order["refunded_amount"])
        if total <= 0 or total > left + 0.005:
            raise call.invalid(
                f"The refund of {total:.2f} is more than the {left:.2f} left to refund.",
                {"items": "amount exceeds refundable total"},
            )
        return total, assessed

    def _item(
        self, call: Call, order: Record, lines: dict[int, Record], item: Any
    ) -> tuple[Record, Record | None, int]:
        kind = item.get("item_type") if isinstance(item, dict) else None
        if kind in _QUANTITY_TYPES:
            line = lines.get(item.get("item_id"))
            quantity = item.get("quantity")
            if line is None or not isinstance(quantity, int) or quantity < 1:
                raise call.invalid(f"The refund item {item!r} does not match an order product.")
            if quantity > line["quantity"] - line["quantity_refunded"]:
                raise call.invalid(
                    f"Order product {line['id']} cannot be refunded {quantity} more times."
                )
            adjust = sum(float(a.get("amount", 0)) for a in item.get("adjustments") or [])
            amount = round(float(line["price_inc_tax"]) * quantity + adjust, 2)
            return self._record(item, amount, quantity), line, quantity
        if kind in _AMOUNT_TYPES and isinstance(item.get("amount"), (int, float)):
            return self._record(item, round(float(item["amount"]), 2), 0), None, 0
        raise call.invalid(f"The refund item {item!r} is not valid.", {"items": "invalid item"})

    @staticmethod
    def _record(item: dict[str, Any], amount: float, quantity: int) -> Record:
        return {
            "item_type": item["item_type"],
            "item_id": item.get("item_id", 0),
            "quantity": quantity,
            "requested_amount": amount,
            "reason": str(item.get("reason", "")),
        }

    def _payments(self, call: Call, total: float) -> list[Record]:
        raw = call.json_object().get("payments")
        if not isinstance(raw, list) or not raw or not all(isinstance(p, dict) for p in raw):
            raise call.invalid(
                "The field 'payments' must be a non-empty list.", {"payments": "required"}
            )
        paid = sum(float(p.get("amount", 0)) for p in raw)
        if abs(paid - total) > 0.005:
            raise call.invalid(
                f"The payments add up to {paid:.2f}, not the refund total {total:.2f}.",
                {"payments": "must add up to the refund total"},
            )
        return [
            {
                "id": n,
                "provider_id": str(p.get("provider_id", "custom")),
                "amount": float(p.get("amount", 0)),
                "offline": bool(p.get("offline", True)),
                "is_declined": False,
                "declined_message": "",
            }
            for n, p in enumerate(raw, 1)
        ]
