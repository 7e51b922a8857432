"""What the app helpers return: small frozen records, secrets kept out of ``repr``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AuthCallback",
    "CurrentCustomer",
    "OAuthToken",
    "SignedPayload",
    "User",
    "WebhookEvent",
    "store_hash_of",
]

_STORE_HASH = re.compile(r"[A-Za-z0-9_-]+")


def store_hash_of(context: str, name: str = "context") -> str:
    """``abc123`` from ``stores/abc123`` (the form of ``context`` and ``sub``)."""
    prefix, _, store_hash = context.partition("/")
    # Store hashes are short ASCII words; the callback's query is anyone's to forge,
    # so "stores/..", "stores/a?b" or "stores/a%2F.." must not become a store hash.
    if prefix != "stores" or not _STORE_HASH.fullmatch(store_hash):
        raise ValueError(f"{name} must look like 'stores/{{store_hash}}', got {context!r}")
    return store_hash


@dataclass(frozen=True)
class User:
    """A control-panel user: the one who acted (``user``) or the store owner (``owner``)."""

    id: int
    email: str
    username: str | None = None
    locale: str | None = None

    @classmethod
    def of(cls, value: Any, name: str) -> User:
        if not isinstance(value, Mapping) or "id" not in value:
            raise ValueError(f"{name} must be an object with an id, got {value!r}")
        return cls(
            id=int(value["id"]),
            email=str(value.get("email", "")),
            username=value.get("username"),
            locale=value.get("locale"),
        )


@dataclass(frozen=True)
class AuthCallback:
    """The query of BigCommerce's ``GET /auth`` callback, checked."""

    code: str = field(repr=False)
    scope: str
    context: str
    account_uuid: str | None = None

    @property
    def store_hash(self) -> str:
        return store_hash_of(self.context)


@dataclass(frozen=True)
class OAuthToken:
    """The answer of the token endpoint; ``access_token`` is kept out of ``repr``."""

    access_token: str = field(repr=False)
    scope: str
    store_hash: str
    context: str
    user: User
    owner: User | None
    account_uuid: str | None


@dataclass(frozen=True)
class SignedPayload:
    """The verified claims of a ``load``/``uninstall``/``remove_user`` callback."""

    store_hash: str
    user: User
    owner: User
    url: str | None
    channel_id: int | None
    claims: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True)
class CurrentCustomer:
    """The verified claims of a Current Customer JWT (``/customer/current.jwt``)."""

    customer_id: int
    email: str
    group_id: str | None
    store_hash: str
    claims: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True)
class WebhookEvent:
    """A verified webhook delivery. ``delivery_id`` is the same for every retry of it."""

    delivery_id: str
    timestamp: int
    scope: str
    store_id: str
    producer: str
    data: Mapping[str, Any]
    hash: str
    created_at: int

    @property
    def store_hash(self) -> str:
        return store_hash_of(self.producer, "producer")
