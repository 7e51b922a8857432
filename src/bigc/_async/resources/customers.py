"""Customers (v3): batch endpoints, with single-item forms that wrap them.

BigCommerce's v3 customer API only has list and batch endpoints. ``get``
looks a customer up through the ``id:in`` filter; ``create``/``update``/
``delete`` send a batch of one and return the one item.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from bigc._models import TimeoutTypes

from .._api import AsyncV3API
from ._base import ID, JSON, AsyncGroup, Params, check_id, ids_param, one_of

__all__ = ["AsyncCustomersV3"]

CUSTOMERS = "/customers"
ADDRESSES = "/customers/addresses"
FORM_FIELDS = "/customers/form-field-values"


class AsyncCustomersV3(AsyncGroup[AsyncV3API]):
    """Customers, their addresses and form-field values: ``/v3/customers``."""

    def all(
        self,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> AsyncIterator[JSON]:
        """Every customer, read with cursor pagination (``limit``/``after``)."""
        return self._api.get_many(
            CUSTOMERS, params=params, timeout=timeout, retries=retries, cursor=True
        )

    async def get(
        self,
        customer_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return await self._find(
            CUSTOMERS, customer_id, "customer", params, timeout, retries, "customer_id"
        )

    async def create_many(
        self, data: Sequence[JSON], *, params: Params | None = None, timeout: TimeoutTypes = None
    ) -> list[JSON]:
        """Create up to 10 customers in one request (BigCommerce's batch limit)."""
        return await self._batch("POST", CUSTOMERS, data, params, timeout)

    async def create(
        self, data: JSON, *, params: Params | None = None, timeout: TimeoutTypes = None
    ) -> JSON:
        return one_of(
            await self.create_many([data], params=params, timeout=timeout), "customer", None
        )

    async def update_many(
        self,
        data: Sequence[JSON],
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> list[JSON]:
        """Update up to 10 customers; each item names its ``id``."""
        return await self._batch("PUT", CUSTOMERS, data, params, timeout, retries)

    async def update(
        self,
        customer_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        item = {**data, "id": check_id(customer_id, "customer_id")}
        updated = await self.update_many([item], params=params, timeout=timeout, retries=retries)
        return one_of(updated, "customer", customer_id)

    async def delete_many(
        self,
        customer_ids: Sequence[ID],
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> None:
        query = {**(params or {}), "id:in": ids_param(customer_ids, "customer_ids")}
        await self._call("DELETE", CUSTOMERS, params=query, timeout=timeout, retries=retries)

    async def delete(
        self,
        customer_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> None:
        await self.delete_many([customer_id], params=params, timeout=timeout, retries=retries)

    async def update_form_fields(
        self,
        data: Sequence[JSON],
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> list[JSON]:
        """Set form-field values; each item names ``customer_id`` or ``address_id``."""
        return await self._batch("PUT", FORM_FIELDS, data, params, timeout, retries)

    async def update_form_field(
        self,
        customer_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        """Set one form-field value (``{"name": …, "value": …}``) of one customer."""
        item = {**data, "customer_id": check_id(customer_id, "customer_id")}
        updated = await self.update_form_fields(
            [item], params=params, timeout=timeout, retries=retries
        )
        return one_of(updated, "form field of customer", customer_id)

    def all_addresses(
        self,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> AsyncIterator[JSON]:
        return self._all(ADDRESSES, params, timeout, retries)

    async def get_address(
        self,
        address_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        return await self._find(
            ADDRESSES, address_id, "customer address", params, timeout, retries, "address_id"
        )

    async def create_addresses(
        self, data: Sequence[JSON], *, params: Params | None = None, timeout: TimeoutTypes = None
    ) -> list[JSON]:
        return await self._batch("POST", ADDRESSES, data, params, timeout)

    async def create_address(
        self, data: JSON, *, params: Params | None = None, timeout: TimeoutTypes = None
    ) -> JSON:
        created = await self.create_addresses([data], params=params, timeout=timeout)
        return one_of(created, "customer address", None)

    async def update_addresses(
        self,
        data: Sequence[JSON],
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> list[JSON]:
        return await self._batch("PUT", ADDRESSES, data, params, timeout, retries)

    async def update_address(
        self,
        address_id: ID,
        data: JSON,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        item = {**data, "id": check_id(address_id, "address_id")}
        updated = await self.update_addresses(
            [item], params=params, timeout=timeout, retries=retries
        )
        return one_of(updated, "customer address", address_id)

    async def delete_addresses(
        self,
        address_ids: Sequence[ID],
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> None:
        query = {**(params or {}), "id:in": ids_param(address_ids, "address_ids")}
        await self._call("DELETE", ADDRESSES, params=query, timeout=timeout, retries=retries)

    async def delete_address(
        self,
        address_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> Any:
        await self.delete_addresses([address_id], params=params, timeout=timeout, retries=retries)
