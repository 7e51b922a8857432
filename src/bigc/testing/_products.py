"""Catalog products (``/v3/catalog/products``) and their variants.

Every product has a base variant that shares its SKU, as in BigCommerce;
``base_variant_id`` points at it. SKUs are unique across all variants, so a
product or variant SKU that is taken answers 409. ``include=variants,images,…``
adds those lists to each product.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from bigc.testing._crud import Crud, Kind, accept, check_required, stamp
from bigc.testing._http import ApiError, Call, no_content
from bigc.testing._listing import Field, by_key, select, v3_list, v3_one
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["PRODUCT_FIELDS", "Products", "product_template", "variant_template"]

PRODUCT_FIELDS: dict[str, Field] = {
    name: by_key(kind, name)
    for name, kind in (
        ("id", "int"),
        ("name", "str"),
        ("sku", "str"),
        ("upc", "str"),
        ("mpn", "str"),
        ("price", "num"),
        ("weight", "num"),
        ("condition", "str"),
        ("brand_id", "int"),
        ("type", "str"),
        ("availability", "str"),
        ("is_visible", "bool"),
        ("is_featured", "bool"),
        ("is_free_shipping", "bool"),
        ("inventory_level", "int"),
        ("total_sold", "int"),
        ("date_modified", "date"),
        ("date_created", "date"),
        ("categories", "ints"),
    )
}
VARIANT_FIELDS: dict[str, Field] = {"id": by_key("int", "id"), "sku": by_key("str", "sku")}
# What ?include= can add to a product, besides variants (kept in their own table).
_SIDE_LISTS = ("images", "custom_fields", "bulk_pricing_rules", "videos", "options", "modifiers")


def product_template() -> Record:
    """Every field of a product, at BigCommerce's defaults."""
    return {
        "id": 0,
        "name": "",
        "type": "physical",
        "sku": "",
        "description": "",
        "weight": 0.0,
        "width": 0.0,
        "depth": 0.0,
        "height": 0.0,
        "price": 0.0,
        "cost_price": 0.0,
        "retail_price": 0.0,
        "sale_price": 0.0,
        "map_price": 0.0,
        "tax_class_id": 0,
        "product_tax_code": "",
        "calculated_price": 0.0,
        "categories": [],
        "brand_id": 0,
        "inventory_level": 0,
        "inventory_warning_level": 0,
        "inventory_tracking": "none",
        "reviews_rating_sum": 0,
        "reviews_count": 0,
        "total_sold": 0,
        "fixed_cost_shipping_price": 0.0,
        "is_free_shipping": False,
        "is_visible": True,
        "is_featured": False,
        "related_products": [],
        "warranty": "",
        "bin_picking_number": "",
        "layout_file": "product.html",
        "upc": "",
        "mpn": "",
        "gtin": "",
        "search_keywords": "",
        "availability": "available",
        "availability_description": "",
        "gift_wrapping_options_type": "any",
        "gift_wrapping_options_list": [],
        "sort_order": 0,
        "condition": "New",
        "is_condition_shown": False,
        "order_quantity_minimum": 0,
        "order_quantity_maximum": 0,
        "page_title": "",
        "meta_keywords": [],
        "meta_description": "",
        "date_created": "",
        "date_modified": "",
        "view_count": 0,
        "preorder_release_date": None,
        "preorder_message": "",
        "is_preorder_only": False,
        "is_price_hidden": False,
        "price_hidden_label": "",
        "custom_url": {"url": "", "is_customized": False},
        "base_variant_id": 0,
        "date_last_imported": "",
        "option_set_id": 0,
        "option_set_display": "right",
        "open_graph_type": "product",
        "open_graph_title": "",
        "open_graph_description": "",
        "open_graph_use_meta_description": True,
        "open_graph_use_product_name": True,
        "open_graph_use_image": True,
    }


def variant_template() -> Record:
    return {
        "id": 0,
        "product_id": 0,
        "sku": "",
        "sku_id": None,
        "price": None,
        "calculated_price": 0.0,
        "sale_price": None,
        "retail_price": None,
        "map_price": None,
        "weight": None,
        "calculated_weight": 0.0,
        "width": None,
        "height": None,
        "depth": None,
        "is_free_shipping": False,
        "fixed_cost_shipping_price": None,
        "purchasing_disabled": False,
        "purchasing_disabled_message": "",
        "image_url": "",
        "cost_price": None,
        "upc": "",
        "mpn": "",
        "gtin": "",
        "inventory_level": 0,
        "inventory_warning_level": 0,
        "bin_picking_number": "",
        "option_values": [],
    }


PRODUCT = Kind(
    "product",
    product_template,
    required=("name", "type", "weight", "price"),
    readonly=frozenset({"id", "calculated_price", "base_variant_id", "date_created"}),
)
VARIANT = Kind(
    "variant",
    variant_template,
    required=("sku", "option_values"),
    readonly=frozenset({"id", "product_id", "calculated_price", "calculated_weight", "sku_id"}),
)


class LazySample(Protocol):
    """Builds sample products and their base variants on demand (see ``_sample``)."""

    def product(self, product_id: int) -> Record: ...
    def base_variant(self, variant_id: int) -> Record: ...
    def product_owner(self, name: str) -> int | None: ...
    def sku_owner(self, sku: str) -> int | None: ...


def slug(name: str) -> str:
    return "/" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "item") + "/"


class Products(Crud):
    """Products, their variants and the lists ``include`` can add."""

    def __init__(self) -> None:
        super().__init__(Table(unique="name"), PRODUCT, PRODUCT_FIELDS)
        self.variants = Table(unique="sku")
        self._variant_ids: dict[int, list[int]] = {}
        self._sides: dict[int, dict[str, list[Record]]] = {}
        self._lazy_count = 0  # sample products 1..n own variant n (built lazily)

    def routes(
        self, base: str = "/v3/catalog/products", *, batch_delete: bool = True
    ) -> list[Route]:
        one = base + "/{id}/variants"
        return [
            *super().routes(base, batch_delete=batch_delete),
            ("GET", one, self.list_variants),
            ("POST", one, self.create_variant),
            ("GET", one + "/{variant_id}", self.get_variant),
            ("PUT", one + "/{variant_id}", self.update_variant),
            ("DELETE", one + "/{variant_id}", self.delete_variant),
        ]

    def fill_lazily(self, count: int, sample: LazySample) -> None:
        """Reserve sample products 1..count; product i's base variant is variant i."""
        self.table.fill_lazily(count, sample.product, sample.product_owner)
        self.variants.fill_lazily(count, sample.base_variant, sample.sku_owner)
        self._lazy_count = count

    # -- products ---------------------------------------------------------------

    def prepare(self, call: Call, changes: Record, existing: Record | None) -> None:
        # A product's SKU is its base variant's, so the variants' index checks it.
        self._check_sku(call, changes, existing["base_variant_id"] if existing else None)
        if existing is None and "custom_url" not in changes:
            changes["custom_url"] = {"url": slug(changes["name"]), "is_customized": False}

    def insert(self, call: Call, body: Any) -> Record:
        extras = body.get("variants") or []
        if not isinstance(extras, list):
            raise call.invalid("The field 'variants' must be a list.")
        extras = [self._variant_changes(call, extra) for extra in extras]
        product = super().insert(call, body)
        price = product["sale_price"] or product["price"]
        product["calculated_price"] = price
        base = self._add_variant(product, {"sku": product["sku"], "option_values": []})
        product["base_variant_id"] = base["id"]
        sides = {
            side: [
                {**item, "id": n, "product_id": product["id"]}
                for n, item in enumerate(body[side], 1)
                if isinstance(item, dict)
            ]
            for side in _SIDE_LISTS
            if isinstance(body.get(side), list) and body[side]
        }
        if sides:
            self._sides[product["id"]] = sides
        for extra in extras:
            self._add_variant(product, extra)
        return product

    def change(self, call: Call, record: Record, body: Any) -> Record:
        record = super().change(call, record, body)
        record["calculated_price"] = record["sale_price"] or record["price"]
        base = self.variants.get(record["base_variant_id"])
        if base is not None and "sku" in body:
            self.variants.update(base, {"sku": record["sku"]})
        return record

    def remove(self, call: Call, record_id: int) -> Record:
        record = super().remove(call, record_id)
        for variant_id in self.variant_ids(record_id):
            self.variants.delete(variant_id)
        self._variant_ids.pop(record_id, None)
        self._sides.pop(record_id, None)
        return record

    def render(self, call: Call, record: Record) -> Record:
        include = call.query.get("include")
        if not include:
            return record
        shown = dict(record)
        sides = self._sides.get(record["id"], {})
        for name in include.split(","):
            if name == "variants":
                shown["variants"] = [self.render_variant(v) for v in self.variants_of(record["id"])]
            elif name == "primary_image":
                shown["primary_image"] = (sides.get("images") or [{}])[0]
            elif name in _SIDE_LISTS:
                shown[name] = sides.get(name, [])
        return shown

    # -- variants -----------------------------------------------------------------

    def variant_ids(self, product_id: int) -> list[int]:
        ids = self._variant_ids.get(product_id)
        if ids is None:
            return [product_id] if product_id <= self._lazy_count else []
        return ids

    def variants_of(self, product_id: int) -> list[Record]:
        found = (self.variants.get(i) for i in self.variant_ids(product_id))
        return [v for v in found if v is not None]

    def render_variant(self, variant: Record) -> Record:
        product = self.table.get(variant["product_id"])
        price = variant["price"] if variant["price"] is not None else (product or {}).get("price")
        weight = (
            variant["weight"] if variant["weight"] is not None else (product or {}).get("weight")
        )
        return {**variant, "calculated_price": price or 0.0, "calculated_weight": weight or 0.0}

    def find_variant(self, call: Call) -> tuple[Record, Record]:
        product = self.find(call, call.int_arg(0))
        variant_id = call.int_arg(1)
        variant = self.variants.get(variant_id)
        if variant is None or variant["product_id"] != product["id"]:
            raise ApiError(404, f"The variant with id {variant_id} was not found.")
        return product, variant

    def list_variants(self, call: Call) -> Reply:
        product = self.find(call, call.int_arg(0))
        matches = select(call, self.variants_of(product["id"]), VARIANT_FIELDS)
        return v3_list(call, matches, self.render_variant)

    def create_variant(self, call: Call) -> Reply:
        product = self.find(call, call.int_arg(0))
        variant = self._add_variant(product, self._variant_changes(call, call.json_object()))
        return v3_one(call, variant, self.render_variant)

    def get_variant(self, call: Call) -> Reply:
        return v3_one(call, self.find_variant(call)[1], self.render_variant)

    def update_variant(self, call: Call) -> Reply:
        product, variant = self.find_variant(call)
        changes = accept(call, call.json_object(), VARIANT)
        self._check_sku(call, changes, variant["id"])
        self.variants.update(variant, changes)
        if variant["id"] == product["base_variant_id"] and "sku" in changes:
            self.table.update(product, {"sku": variant["sku"]})
        stamp(product, "iso", created=False)
        return v3_one(call, variant, self.render_variant)

    def delete_variant(self, call: Call) -> Reply:
        product, variant = self.find_variant(call)
        if variant["id"] == product["base_variant_id"]:
            raise call.invalid("The base variant of a product cannot be deleted.")
        self.variants.delete(variant["id"])
        self.variant_ids(product["id"]).remove(variant["id"])
        return no_content()

    def _variant_changes(self, call: Call, body: Any) -> Record:
        """The checked fields of a new variant (raises 422 / 409)."""
        if not isinstance(body, dict):
            raise call.invalid("Each variant must be a JSON object.")
        check_required(call, body, VARIANT.required)
        changes = accept(call, body, VARIANT)
        self._check_sku(call, changes, None)
        return changes

    def _add_variant(self, product: Record, changes: Record) -> Record:
        variant = {**variant_template(), **changes, "product_id": product["id"]}
        variant["id"] = self.variants.new_id()
        variant["sku_id"] = variant["id"]
        self.variants.put(variant)
        ids = self._variant_ids.setdefault(product["id"], list(self.variant_ids(product["id"])))
        ids.append(variant["id"])
        return variant

    def _check_sku(self, call: Call, changes: Record, own_id: int | None) -> None:
        owner = self.variants.owner_of(changes.get("sku"))
        if owner is not None and owner != own_id:
            raise ApiError(
                409, f"The SKU {changes['sku']!r} is already in use.", {"sku": "duplicate"}
            )
