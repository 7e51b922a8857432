"""What apps need on top of webhook CRUD: one hook per scope and destination, reactivation.

A mixin for the webhooks group that uses only its ``all``, ``create`` and
``update``, so it fits any class that has them. Written once for async;
``scripts/unasync.py`` generates the sync twin.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

from bigc._models import TimeoutTypes

from ._base import ID, JSON, Params

__all__ = ["AsyncWebhookExtras"]


class AsyncHookMethods(Protocol):
    """The webhooks group methods the mixin builds on."""

    def all(
        self,
        *,
        params: Params | None = ...,
        timeout: TimeoutTypes = ...,
        retries: int | None = ...,
    ) -> AsyncIterator[JSON]: ...

    async def create(
        self, data: JSON, *, params: Params | None = ..., timeout: TimeoutTypes = ...
    ) -> JSON: ...

    async def update(
        self,
        item_id: ID,
        data: JSON,
        *,
        params: Params | None = ...,
        timeout: TimeoutTypes = ...,
        retries: int | None = ...,
    ) -> JSON: ...


class AsyncWebhookExtras:
    """``create_or_update`` and ``reactivate`` for ``webhooks_v3``."""

    async def create_or_update(
        self: AsyncHookMethods,
        scope: str,
        destination: str,
        *,
        headers: Mapping[str, str] | None = None,
        is_active: bool = True,
        timeout: TimeoutTypes = None,
    ) -> JSON:
        """The hook for ``scope`` and ``destination``, created or brought up to date.

        BigCommerce keeps one hook per store, app, scope and destination, so
        an install that runs twice must update rather than create.
        """
        existing = await _existing(self, scope, destination, timeout)
        body: dict[str, Any] = {"scope": scope, "destination": destination, "is_active": is_active}
        if headers is not None:
            body["headers"] = dict(headers)
        if existing is None:
            return await self.create(body, timeout=timeout)
        changed = {k: v for k, v in body.items() if existing.get(k) != v}
        if not changed:
            return existing
        return await self.update(existing["id"], changed, timeout=timeout)

    async def reactivate(
        self: AsyncHookMethods,
        item_id: ID,
        *,
        params: Params | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
    ) -> JSON:
        """Set ``is_active`` back to true: BigCommerce deactivates a hook whose
        deliveries failed for 48 hours."""
        return await self.update(
            item_id, {"is_active": True}, params=params, timeout=timeout, retries=retries
        )


async def _existing(
    hooks: AsyncHookMethods, scope: str, destination: str, timeout: TimeoutTypes
) -> JSON | None:
    """The hook for ``scope`` and ``destination``, or ``None``."""
    params = {"scope": _text(scope, "scope"), "destination": _text(destination, "destination")}
    async for hook in hooks.all(params=params, timeout=timeout):
        # Match exactly: the filter is the server's, the promise is ours.
        if hook.get("scope") == scope and hook.get("destination") == destination:
            return hook
    return None


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty str")
    return value
