"""Catalog resource groups: products, product variants and categories (v3)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from bigc._models import TimeoutTypes
from bigc._urls import build_path

from .._api import AsyncV3API
from ._base import ID, JSON, AsyncCrud, AsyncGroup, Params

__all__ = ["AsyncCategoriesV3", "AsyncProductVariantsV3", "AsyncProductsV3"]


class AsyncProductsV3(AsyncCrud[AsyncV3API]):
    """Products: ``/v3/catalog/products``."""

    path = "/catalog/products"


class AsyncCategoriesV3(AsyncCrud[AsyncV3API]):
    """Categories: ``/v3/catalog/categories``."""

    path = "/catalog/categories"


class AsyncProductVariantsV3(AsyncGroup[AsyncV3API]):
    """One product's variants: ``/v3/catalog/products/{product_id}/variants``."""

    def all(
        self,
        product_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> AsyncIterator[JSON]:
        path = build_path("/catalog/products/{product_id}/variants", product_id)
        return self._all(path, params, timeout, retries)

    async def get(
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
        return await self._object("GET", path, params=params, timeout=timeout, retries=retries)

    async def create(
        self,
        product_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        path = build_path("/catalog/products/{product_id}/variants", product_id)
        return await self._object("POST", path, data=data, params=params, timeout=timeout)

    async def update(
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
        return await self._object(
            "PUT", path, data=data, params=params, timeout=timeout, retries=retries
        )

    async def delete(
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
        return await self._call("DELETE", path, params=params, timeout=timeout, retries=retries)
