"""Cart and checkout resource groups (v3)."""

from __future__ import annotations

from typing import Any

from bigc._models import TimeoutTypes
from bigc._urls import build_path

from .._api import AsyncV3API
from ._base import ID, JSON, AsyncGroup, Params

__all__ = ["AsyncCartsV3", "AsyncCheckoutsV3"]


class AsyncCartsV3(AsyncGroup[AsyncV3API]):
    """Server-side carts: ``/v3/carts``."""

    async def get(
        self,
        cart_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path("/carts/{cart_id}", cart_id)
        return await self._object("GET", path, params=params, timeout=timeout, retries=retries)

    async def create(
        self, data: JSON, *, params: Params | None = None, timeout: TimeoutTypes = None
    ) -> JSON:
        return await self._object("POST", "/carts", data=data, params=params, timeout=timeout)

    async def update(
        self,
        cart_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        """Change the cart's customer (``{"customer_id": …}``)."""
        path = build_path("/carts/{cart_id}", cart_id)
        return await self._object(
            "PUT", path, data=data, params=params, timeout=timeout, retries=retries
        )

    async def delete(
        self,
        cart_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> Any:
        path = build_path("/carts/{cart_id}", cart_id)
        return await self._call("DELETE", path, params=params, timeout=timeout, retries=retries)

    async def add_line_items(
        self,
        cart_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        path = build_path("/carts/{cart_id}/items", cart_id)
        return await self._object("POST", path, data=data, params=params, timeout=timeout)

    async def update_line_item(
        self,
        cart_id: ID,
        item_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path("/carts/{cart_id}/items/{item_id}", cart_id, item_id)
        return await self._object(
            "PUT", path, data=data, params=params, timeout=timeout, retries=retries
        )

    async def delete_line_item(
        self,
        cart_id: ID,
        item_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON | None:
        """Remove one item; returns the cart, or ``None`` when that emptied (deleted) it."""
        path = build_path("/carts/{cart_id}/items/{item_id}", cart_id, item_id)
        result = await self._call("DELETE", path, params=params, timeout=timeout, retries=retries)
        return result if isinstance(result, dict) else None

    async def create_redirect_url(
        self,
        cart_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        path = build_path("/carts/{cart_id}/redirect_urls", cart_id)
        return await self._object("POST", path, params=params, timeout=timeout)


class AsyncCheckoutsV3(AsyncGroup[AsyncV3API]):
    """Server-side checkouts: ``/v3/checkouts/{checkout_id}``."""

    async def get(
        self,
        checkout_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path("/checkouts/{checkout_id}", checkout_id)
        return await self._object("GET", path, params=params, timeout=timeout, retries=retries)

    async def update(
        self,
        checkout_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        """Set the customer message (``{"customer_message": …}``)."""
        path = build_path("/checkouts/{checkout_id}", checkout_id)
        return await self._object(
            "PUT", path, data=data, params=params, timeout=timeout, retries=retries
        )

    async def _post(
        self,
        template: str,
        ids: tuple[ID, ...],
        data: Any,
        params: Params | None,
        timeout: TimeoutTypes,
    ) -> JSON:
        path = build_path(template, *ids)
        return await self._object("POST", path, data=data, params=params, timeout=timeout)

    async def _put(
        self,
        template: str,
        ids: tuple[ID, ...],
        data: Any,
        params: Params | None,
        timeout: TimeoutTypes,
        retries: int | None,
    ) -> JSON:
        path = build_path(template, *ids)
        return await self._object(
            "PUT", path, data=data, params=params, timeout=timeout, retries=retries
        )

    async def _delete(
        self,
        template: str,
        ids: tuple[ID, ...],
        params: Params | None,
        timeout: TimeoutTypes,
        retries: int | None,
    ) -> JSON:
        path = build_path(template, *ids)
        return await self._object("DELETE", path, params=params, timeout=timeout, retries=retries)

    async def add_billing_address(
        self,
        checkout_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        return await self._post(
            "/checkouts/{checkout_id}/billing-address", (checkout_id,), data, params, timeout
        )

    async def update_billing_address(
        self,
        checkout_id: ID,
        address_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return await self._put(
            "/checkouts/{checkout_id}/billing-address/{address_id}",
            (checkout_id, address_id),
            data,
            params,
            timeout,
            retries,
        )

    async def add_consignments(
        self,
        checkout_id: ID,
        data: list[JSON],
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        return await self._post(
            "/checkouts/{checkout_id}/consignments", (checkout_id,), data, params, timeout
        )

    async def update_consignment(
        self,
        checkout_id: ID,
        consignment_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return await self._put(
            "/checkouts/{checkout_id}/consignments/{consignment_id}",
            (checkout_id, consignment_id),
            data,
            params,
            timeout,
            retries,
        )

    async def delete_consignment(
        self,
        checkout_id: ID,
        consignment_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        """Remove a consignment; returns the checkout."""
        return await self._delete(
            "/checkouts/{checkout_id}/consignments/{consignment_id}",
            (checkout_id, consignment_id),
            params,
            timeout,
            retries,
        )

    async def add_coupon(
        self,
        checkout_id: ID,
        coupon_code: str,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        return await self._post(
            "/checkouts/{checkout_id}/coupons",
            (checkout_id,),
            {"coupon_code": coupon_code},
            params,
            timeout,
        )

    async def delete_coupon(
        self,
        checkout_id: ID,
        coupon_code: str,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        """Remove a coupon; returns the checkout."""
        return await self._delete(
            "/checkouts/{checkout_id}/coupons/{coupon_code}",
            (checkout_id, coupon_code),
            params,
            timeout,
            retries,
        )

    async def add_discounts(
        self,
        checkout_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        return await self._post(
            "/checkouts/{checkout_id}/discounts", (checkout_id,), data, params, timeout
        )

    async def create_order(
        self,
        checkout_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        """Turn the checkout into an order; returns ``{"id": order_id}``."""
        return await self._post(
            "/checkouts/{checkout_id}/orders", (checkout_id,), None, params, timeout
        )
