# Generated from bigc/_async/resources/_webhook_extras.py by scripts/unasync.py: edit that file instead.
"""What apps need on top of webhook CRUD: one hook per scope and destination, reactivation.

A mixin for the webhooks group that uses only its ``all``, ``create`` and
``update``, so it fits any class that has them. Written once for async;
``scripts/unasync.py`` generates the sync twin.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from bigc._models import TimeoutTypes

from ._base import ID, JSON

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from bigc._options import CallOptions

__all__ = ["WebhookExtras"]


class HookMethods(Protocol):
    """The webhooks group methods the mixin builds on (generated from the endpoint table)."""

    def all(self, **options: Any) -> Iterator[Any]: ...

    def create(self, data: Any, **options: Any) -> Any: ...

    def update(self, webhook_id: ID, data: Any, **options: Any) -> Any: ...


class WebhookExtras:
    """``create_or_update`` and ``reactivate`` for ``webhooks_v3``."""

    def create_or_update(
        self: HookMethods,
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
        existing = _existing(self, scope, destination, timeout)
        body: dict[str, Any] = {"scope": scope, "destination": destination, "is_active": is_active}
        if headers is not None:
            body["headers"] = dict(headers)
        if existing is None:
            created: JSON = self.create(body, timeout=timeout)
            return created
        changed = {k: v for k, v in body.items() if existing.get(k) != v}
        if not changed:
            return existing
        updated: JSON = self.update(existing["id"], changed, timeout=timeout)
        return updated

    def reactivate(self: HookMethods, webhook_id: ID, **options: Unpack[CallOptions]) -> JSON:
        """Set ``is_active`` back to true: BigCommerce deactivates a hook whose
        deliveries failed for 48 hours."""
        hook: JSON = self.update(webhook_id, {"is_active": True}, **options)
        return hook


def _existing(
    hooks: HookMethods, scope: str, destination: str, timeout: TimeoutTypes
) -> JSON | None:
    """The hook for ``scope`` and ``destination``, or ``None``."""
    params = {"scope": _text(scope, "scope"), "destination": _text(destination, "destination")}
    for hook in hooks.all(params=params, timeout=timeout):
        # Match exactly: the filter is the server's, the promise is ours.
        if hook.get("scope") == scope and hook.get("destination") == destination:
            found: JSON = hook
            return found
    return None


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty str")
    return value
