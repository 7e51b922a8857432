# Generated from bigc/_async/resources/carts.py by scripts/unasync.py: edit that file instead.
"""Cart and checkout resource groups (v3)."""

from __future__ import annotations

from typing import Any

from bigc._models import TimeoutTypes
from bigc._urls import build_path

from .._api import V3API
from ._base import ID, JSON, Group, Params

__all__ = ["CartsV3", "CheckoutsV3"]


class CartsV3(Group[V3API]):
    """Server-side carts: ``/v3/carts``."""

    def get(
        self,
        cart_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path("/carts/{cart_id}", cart_id)
        return self._object("GET", path, params=params, timeout=timeout, retries=retries)

    def create(
        self, data: JSON, *, params: Params | None = None, timeout: TimeoutTypes = None
    ) -> JSON:
        return self._object("POST", "/carts", data=data, params=params, timeout=timeout)

    def update(
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
        return self._object("PUT", path, data=data, params=params, timeout=timeout, retries=retries)

    def delete(
        self,
        cart_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> Any:
        path = build_path("/carts/{cart_id}", cart_id)
        return self._call("DELETE", path, params=params, timeout=timeout, retries=retries)

    def add_line_items(
        self,
        cart_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        path = build_path("/carts/{cart_id}/items", cart_id)
        return self._object("POST", path, data=data, params=params, timeout=timeout)

    def update_line_item(
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
        return self._object("PUT", path, data=data, params=params, timeout=timeout, retries=retries)

    def delete_line_item(
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
        result = self._call("DELETE", path, params=params, timeout=timeout, retries=retries)
        return result if isinstance(result, dict) else None

    def create_redirect_url(
        self,
        cart_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        path = build_path("/carts/{cart_id}/redirect_urls", cart_id)
        return self._object("POST", path, params=params, timeout=timeout)


class CheckoutsV3(Group[V3API]):
    """Server-side checkouts: ``/v3/checkouts/{checkout_id}``."""

    def get(
        self,
        checkout_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        path = build_path("/checkouts/{checkout_id}", checkout_id)
        return self._object("GET", path, params=params, timeout=timeout, retries=retries)

    def update(
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
        return self._object("PUT", path, data=data, params=params, timeout=timeout, retries=retries)

    def _post(
        self,
        template: str,
        ids: tuple[ID, ...],
        data: Any,
        params: Params | None,
        timeout: TimeoutTypes,
    ) -> JSON:
        path = build_path(template, *ids)
        return self._object("POST", path, data=data, params=params, timeout=timeout)

    def _put(
        self,
        template: str,
        ids: tuple[ID, ...],
        data: Any,
        params: Params | None,
        timeout: TimeoutTypes,
        retries: int | None,
    ) -> JSON:
        path = build_path(template, *ids)
        return self._object("PUT", path, data=data, params=params, timeout=timeout, retries=retries)

    def _delete(
        self,
        template: str,
        ids: tuple[ID, ...],
        params: Params | None,
        timeout: TimeoutTypes,
        retries: int | None,
    ) -> JSON:
        path = build_path(template, *ids)
        return self._object("DELETE", path, params=params, timeout=timeout, retries=retries)

    def add_billing_address(
        self,
        checkout_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        return self._post(
            "/checkouts/{checkout_id}/billing-address", (checkout_id,), data, params, timeout
        )

    def update_billing_address(
        self,
        checkout_id: ID,
        address_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return self._put(
            "/checkouts/{checkout_id}/billing-address/{address_id}",
            (checkout_id, address_id),
            data,
            params,
            timeout,
            retries,
        )

    def add_consignments(
        self,
        checkout_id: ID,
        data: list[JSON],
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        return self._post(
            "/checkouts/{checkout_id}/consignments", (checkout_id,), data, params, timeout
        )

    def update_consignment(
        self,
        checkout_id: ID,
        consignment_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return self._put(
            "/checkouts/{checkout_id}/consignments/{consignment_id}",
            (checkout_id, consignment_id),
            data,
            params,
            timeout,
            retries,
        )

    def delete_consignment(
        self,
        checkout_id: ID,
        consignment_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        """Remove a consignment; returns the checkout."""
        return self._delete(
            "/checkouts/{checkout_id}/consignments/{consignment_id}",
            (checkout_id, consignment_id),
            params,
            timeout,
            retries,
        )

    def add_coupon(
        self,
        checkout_id: ID,
        coupon_code: str,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        return self._post(
            "/checkouts/{checkout_id}/coupons",
            (checkout_id,),
            {"coupon_code": coupon_code},
            params,
            timeout,
        )

    def delete_coupon(
        self,
        checkout_id: ID,
        coupon_code: str,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        """Remove a coupon; returns the checkout."""
        return self._delete(
            "/checkouts/{checkout_id}/coupons/{coupon_code}",
            (checkout_id, coupon_code),
            params,
            timeout,
            retries,
        )

    def add_discounts(
        self,
        checkout_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        return self._post(
            "/checkouts/{checkout_id}/discounts", (checkout_id,), data, params, timeout
        )

    def create_order(
        self,
        checkout_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        """Turn the checkout into an order; returns ``{"id": order_id}``."""
        return self._post("/checkouts/{checkout_id}/orders", (checkout_id,), None, params, timeout)
