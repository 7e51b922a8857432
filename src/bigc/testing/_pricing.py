"""``POST /v3/pricing/products``: catalog prices for a batch of products.

Prices come from the catalog (variant price, else product price; sale price
when set). Tax is zero, so tax-inclusive and exclusive amounts are equal.
Items naming an unknown product are left out of the answer.
"""

from __future__ import annotations

from bigc.testing._crud import check_required
from bigc.testing._http import Call, json_reply
from bigc.testing._products import Products
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._spec_validate import json_type
from bigc.testing._table import Record

__all__ = ["Pricing"]


def amount(value: float) -> Record:
    return {
        "as_entered": value,
        "entered_inclusive": False,
        "tax_exclusive": value,
        "tax_inclusive": value,
    }


# The JSON types the spec allows for each item's IDs (a variant ID is a "number").
_ID_TYPES = {"product_id": ("integer",), "variant_id": ("number", "integer", "null")}


class Pricing:
    def __init__(self, products: Products) -> None:
        self.products = products

    def routes(self) -> list[Route]:
        return [("POST", "/v3/pricing/products", self.prices)]

    def prices(self, call: Call) -> Reply:
        body = call.json_object()
        check_required(call, body, ("channel_id", "currency_code", "items"))
        items = body["items"]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise call.invalid("The field 'items' must be a list of objects.", {"items": "invalid"})
        for n, item in enumerate(items):
            for field, kinds in _ID_TYPES.items():
                if field in item and json_type(item[field]) not in kinds:
                    name = f"items.{n}.{field}"
                    raise call.invalid(
                        f"The field '{name}' must be of type {kinds[0]}.",
                        {name: f"expected {kinds[0]}"},
                    )
        data = [price for item in items if (price := self._price(item)) is not None]
        return json_reply(200, {"data": data, "meta": {}})

    def _price(self, item: Record) -> Record | None:
        product_id = item.get("product_id")
        product = self.products.table.get(product_id) if isinstance(product_id, int) else None
        if product is None:
            return None
        variant_id = item.get("variant_id") or product["base_variant_id"]
        if isinstance(variant_id, float):  # the spec's type is number
            if not variant_id.is_integer():
                return None
            variant_id = int(variant_id)
        variant = self.products.variants.get(variant_id)
        if variant is None or variant["product_id"] != product["id"]:
            return None
        price = variant["price"] if variant["price"] is not None else product["price"]
        sale = variant["sale_price"] if variant["sale_price"] is not None else product["sale_price"]
        retail = product["retail_price"] or price
        calculated = sale or price
        request = {"product_id": product["id"], "variant_id": variant["id"], "options": []}
        return {
            **request,
            "reference_request": dict(request),
            "retail_price": amount(retail),
            "sale_price": amount(sale),
            "minimum_advertised_price": amount(product["map_price"]),
            "saved": amount(round(max(retail - calculated, 0.0), 2)),
            "price": amount(price),
            "calculated_price": amount(calculated),
            "price_range": {"minimum": amount(calculated), "maximum": amount(calculated)},
            "retail_price_range": {"minimum": amount(retail), "maximum": amount(retail)},
            "bulk_pricing": [],
        }
