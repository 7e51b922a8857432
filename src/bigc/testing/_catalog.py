"""Catalog categories and brands: plain CRUD plus BigCommerce's naming rules.

Brand names are unique; category names are unique among siblings, and a
category's parent must exist (``parent_id`` 0 is the top level).
"""

from __future__ import annotations

from bigc.testing._crud import Crud, Kind
from bigc.testing._http import ApiError, Call
from bigc.testing._listing import fields_of
from bigc.testing._products import slug
from bigc.testing._table import Record, Table

__all__ = ["Brands", "Categories"]


def category_template() -> Record:
    return {
        "id": 0,
        "parent_id": 0,
        "name": "",
        "description": "",
        "views": 0,
        "sort_order": 0,
        "page_title": "",
        "search_keywords": "",
        "meta_keywords": [],
        "meta_description": "",
        "layout_file": "category.html",
        "is_visible": True,
        "default_product_sort": "use_store_settings",
        "image_url": "",
        "custom_url": {"url": "", "is_customized": False},
    }


def brand_template() -> Record:
    return {
        "id": 0,
        "name": "",
        "page_title": "",
        "meta_keywords": [],
        "meta_description": "",
        "search_keywords": "",
        "image_url": "",
        "custom_url": {"url": "", "is_customized": False},
    }


class Categories(Crud):
    def __init__(self) -> None:
        super().__init__(
            Table(),
            Kind("category", category_template, required=("parent_id", "name")),
            fields_of(id="int", name="str", parent_id="int", page_title="str", is_visible="bool"),
        )

    def prepare(self, call: Call, changes: Record, existing: Record | None) -> None:
        merged = {**(existing or {}), **changes}
        parent_id = merged.get("parent_id", 0)
        if parent_id and (parent_id not in self.table or parent_id == merged.get("id")):
            raise call.invalid(
                f"The parent category {parent_id} does not exist.", {"parent_id": "not found"}
            )
        name = str(merged.get("name", "")).casefold()
        for other in self.table:
            same_parent = other["parent_id"] == parent_id and other["id"] != merged.get("id")
            if same_parent and other["name"].casefold() == name:
                raise ApiError(
                    409,
                    f"A category named {merged['name']!r} already exists under parent {parent_id}.",
                    {"name": "duplicate category name"},
                )
        if existing is None and "custom_url" not in changes:
            changes["custom_url"] = {"url": slug(merged["name"]), "is_customized": False}


class Brands(Crud):
    def __init__(self) -> None:
        super().__init__(
            Table(unique="name"),
            Kind("brand", brand_template, required=("name",)),
            fields_of(id="int", name="str", page_title="str"),
        )

    def prepare(self, call: Call, changes: Record, existing: Record | None) -> None:
        if existing is None and "custom_url" not in changes:
            changes["custom_url"] = {"url": slug(changes["name"]), "is_customized": False}
