"""Orders: v2 orders with their products, addresses, shipments and coupons; v3 refunds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from bigc._models import TimeoutTypes
from bigc._urls import build_path

from .._api import AsyncV2API, AsyncV3API
from ._base import ID, JSON, AsyncCrud, AsyncGroup, Params

__all__ = ["AsyncOrdersV2", "AsyncOrdersV3"]


class AsyncOrdersV2(AsyncCrud[AsyncV2API]):
    """Orders: ``/v2/orders`` and their sub-resources.

    ``delete`` is not offered: BigCommerce's DELETE of an order archives it,
    so the method is called ``archive``.
    """

    path = "/orders"

    async def delete(
        self,
        order_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> Any:
        """Archive the order (what BigCommerce's DELETE does); same as :meth:`archive`."""
        return await self.archive(order_id, params=params, timeout=timeout, retries=retries)

    async def archive(
        self,
        order_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> None:
        """Archive an order (``DELETE /v2/orders/{id}``); the control panel can restore it."""
        path = build_path("/orders/{order_id}", order_id)
        await self._call("DELETE", path, params=params, timeout=timeout, retries=retries)

    def _sub_all(
        self,
        template: str,
        order_id: ID,
        params: Params | None,
        timeout: TimeoutTypes,
        retries: int | None,
    ) -> AsyncIterator[JSON]:
        return self._all(build_path(template, order_id), params, timeout, retries)

    async def _sub_get(
        self,
        template: str,
        ids: tuple[ID, ID],
        params: Params | None,
        timeout: TimeoutTypes,
        retries: int | None,
    ) -> JSON:
        path = build_path(template, *ids)
        return await self._object("GET", path, params=params, timeout=timeout, retries=retries)

    def all_products(
        self,
        order_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> AsyncIterator[JSON]:
        return self._sub_all("/orders/{order_id}/products", order_id, params, timeout, retries)

    async def get_product(
        self,
        order_id: ID,
        product_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return await self._sub_get(
            "/orders/{order_id}/products/{product_id}",
            (order_id, product_id),
            params,
            timeout,
            retries,
        )

    def all_shipping_addresses(
        self,
        order_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> AsyncIterator[JSON]:
        return self._sub_all(
            "/orders/{order_id}/shipping_addresses", order_id, params, timeout, retries
        )

    async def get_shipping_address(
        self,
        order_id: ID,
        address_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return await self._sub_get(
            "/orders/{order_id}/shipping_addresses/{address_id}",
            (order_id, address_id),
            params,
            timeout,
            retries,
        )

    async def update_shipping_address(
        self,
        order_id: ID,
        address_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path(
            "/orders/{order_id}/shipping_addresses/{address_id}", order_id, address_id
        )
        return await self._object(
            "PUT", path, data=data, params=params, timeout=timeout, retries=retries
        )

    def all_shipments(
        self,
        order_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> AsyncIterator[JSON]:
        return self._sub_all("/orders/{order_id}/shipments", order_id, params, timeout, retries)

    async def get_shipment(
        self,
        order_id: ID,
        shipment_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return await self._sub_get(
            "/orders/{order_id}/shipments/{shipment_id}",
            (order_id, shipment_id),
            params,
            timeout,
            retries,
        )

    async def create_shipment(
        self,
        order_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        path = build_path("/orders/{order_id}/shipments", order_id)
        return await self._object("POST", path, data=data, params=params, timeout=timeout)

    async def update_shipment(
        self,
        order_id: ID,
        shipment_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path("/orders/{order_id}/shipments/{shipment_id}", order_id, shipment_id)
        return await self._object(
            "PUT", path, data=data, params=params, timeout=timeout, retries=retries
        )

    async def delete_shipment(
        self,
        order_id: ID,
        shipment_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> None:
        path = build_path("/orders/{order_id}/shipments/{shipment_id}", order_id, shipment_id)
        await self._call("DELETE", path, params=params, timeout=timeout, retries=retries)

    def all_coupons(
        self,
        order_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> AsyncIterator[JSON]:
        return self._sub_all("/orders/{order_id}/coupons", order_id, params, timeout, retries)


class AsyncOrdersV3(AsyncGroup[AsyncV3API]):
    """Order refunds: ``/v3/orders/.../payment_actions``."""

    async def get_refund_quote(
        self,
        order_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        """What a refund of ``data`` would cost and how it could be paid (changes nothing)."""
        path = build_path("/orders/{order_id}/payment_actions/refund_quotes", order_id)
        return await self._object("POST", path, data=data, params=params, timeout=timeout)

    async def create_refund(
        self,
        order_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        path = build_path("/orders/{order_id}/payment_actions/refunds", order_id)
        return await self._object("POST", path, data=data, params=params, timeout=timeout)

    def all_refunds(
        self,
        order_id: ID | None = None,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> AsyncIterator[JSON]:
        """Every refund of the store (paged), or of one order (one unpaged list)."""
        if order_id is None:
            return self._all("/orders/payment_actions/refunds", params, timeout, retries)
        path = build_path("/orders/{order_id}/payment_actions/refunds", order_id)
        return self._unpaged(path, params, timeout, retries)

    async def get_refund(
        self,
        refund_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return await self._find(
            "/orders/payment_actions/refunds",
            refund_id,
            "refund",
            params,
            timeout,
            retries,
            "refund_id",
        )
