# Generated from bigc/_async/resources/catalog.py by scripts/unasync.py: edit that file instead.
"""Catalog resource groups: products, product variants and categories (v3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bigc._models import TimeoutTypes
from bigc._urls import build_path

from .._api import V3API
from ._base import ID, JSON, Crud, Group, Params

__all__ = ["CategoriesV3", "ProductVariantsV3", "ProductsV3"]


class ProductsV3(Crud[V3API]):
    """Products: ``/v3/catalog/products``."""

    path = "/catalog/products"


class CategoriesV3(Crud[V3API]):
    """Categories: ``/v3/catalog/categories``."""

    path = "/catalog/categories"


class ProductVariantsV3(Group[V3API]):
    """One product's variants: ``/v3/catalog/products/{product_id}/variants``."""

    def all(
        self,
        product_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> Iterator[JSON]:
        path = build_path("/catalog/products/{product_id}/variants", product_id)
        return self._all(path, params, timeout, retries)

    def get(
        self,
        product_id: ID,
        variant_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path(
            "/catalog/products/{product_id}/variants/{variant_id}", product_id, variant_id
        )
        return self._object("GET", path, params=params, timeout=timeout, retries=retries)

    def create(
        self,
        product_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        path = build_path("/catalog/products/{product_id}/variants", product_id)
        return self._object("POST", path, data=data, params=params, timeout=timeout)

    def update(
        self,
        product_id: ID,
        variant_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path(
            "/catalog/products/{product_id}/variants/{variant_id}", product_id, variant_id
        )
        return self._object("PUT", path, data=data, params=params, timeout=timeout, retries=retries)

    def delete(
        self,
        product_id: ID,
        variant_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> Any:
        path = build_path(
            "/catalog/products/{product_id}/variants/{variant_id}", product_id, variant_id
        )
        return self._call("DELETE", path, params=params, timeout=timeout, retries=retries)
