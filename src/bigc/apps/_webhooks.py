"""Webhook signatures, the Standard Webhooks way, keyed with the app's client secret.

A delivery carries ``webhook-id`` (the same for every retry of one event),
``webhook-timestamp`` (Unix seconds of this attempt) and ``webhook-signature``:
space-separated ``v1,<base64 HMAC-SHA256>`` entries over
``"{id}.{timestamp}.{raw body}"``. Any one matching entry is enough (several
appear while a secret is rotated); they are compared in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any, Protocol

from bigc.apps._errors import DuplicateDeliveryError, VerificationError
from bigc.apps._models import WebhookEvent

__all__ = ["DEFAULT_TOLERANCE", "DeliveryLog", "sign_webhook", "verify_webhook", "webhook_headers"]

# Standard Webhooks' recommendation: five minutes either way.
DEFAULT_TOLERANCE = 300
_FIELDS = ("scope", "store_id", "data", "hash", "created_at", "producer")


def _key(client_secret: str | bytes) -> bytes:
    if isinstance(client_secret, str):
        client_secret = client_secret.encode("utf-8")
    if not isinstance(client_secret, bytes) or not client_secret:
        raise ValueError("client_secret must be a non-empty str")
    return client_secret


def sign_webhook(
    client_secret: str | bytes, delivery_id: str, timestamp: int | str, body: bytes
) -> str:
    """The ``v1,<base64>`` signature of one delivery."""
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(client_secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def webhook_headers(
    client_secret: str | bytes, delivery_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """The three signature headers for ``body`` (what BigCommerce adds to a delivery)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign_webhook(client_secret, delivery_id, stamp, body),
    }


class DeliveryLog:
    """The delivery ids seen lately, to spot a repeated delivery.

    In memory and bounded (``max_size`` ids, oldest forgotten first); an app
    with several processes keeps its own store instead and passes ``seen=None``.
    """

    def __init__(self, max_size: int = 100_000) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be at least 1, got {max_size}")
        self.max_size = max_size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, delivery_id: str) -> bool:
        """Record ``delivery_id``; ``False`` when it was already there."""
        with self._lock:
            if delivery_id in self._ids:
                return False
            self._ids[delivery_id] = None
            if len(self._ids) > self.max_size:
                self._ids.popitem(last=False)
            return True

    def discard(self, delivery_id: str) -> None:
        """Forget ``delivery_id``: call it when handling the event failed, so that
        BigCommerce's retry of it is handled rather than refused as a duplicate."""
        with self._lock:
            self._ids.pop(delivery_id, None)

    def __contains__(self, delivery_id: object) -> bool:
        return delivery_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)


class HeaderItems(Protocol):
    """Any headers object with ``items()``: a dict, ``bigc.Headers``, Flask/werkzeug ``Headers``."""

    def items(self) -> Iterable[tuple[str, str]]: ...


def _header(headers: HeaderItems, name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise VerificationError(f"the {name} header is missing")


def _signatures(header: str) -> list[bytes]:
    """The decoded ``v1`` signatures of the header (other versions are skipped)."""
    found = []
    for entry in header.split():
        version, _, encoded = entry.partition(",")
        if version != "v1":
            continue
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def _timestamp(header: str, tolerance: float, now: float) -> int:
    # ASCII digits only: int() would also take "1_700_000_000", " 17…" and other scripts' digits.
    if not (header.isascii() and header.isdigit()):
        raise VerificationError("the webhook-timestamp header is not a Unix time")
    stamp = int(header)
    if stamp < now - tolerance:
        raise VerificationError("the webhook-timestamp is too old (a replayed delivery?)")
    if stamp > now + tolerance:
        raise VerificationError("the webhook-timestamp is in the future")
    return stamp


def _event(delivery_id: str, stamp: int, body: bytes) -> WebhookEvent:
    try:
        payload: Any = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise VerificationError("the webhook body is not JSON") from None
    if not isinstance(payload, dict):
        raise VerificationError("the webhook body is not a JSON object")
    missing = [name for name in _FIELDS if name not in payload]
    if missing:
        raise VerificationError(f"the webhook body lacks {', '.join(missing)}")
    data = payload["data"]
    if not isinstance(data, dict):
        raise VerificationError("the webhook body's data is not an object")
    created_at = payload["created_at"]
    if isinstance(created_at, bool) or not isinstance(created_at, int):
        raise VerificationError("the webhook body's created_at is not a Unix time")
    return WebhookEvent(
        delivery_id=delivery_id,
        timestamp=stamp,
        scope=str(payload["scope"]),
        store_id=str(payload["store_id"]),
        producer=str(payload["producer"]),
        data=data,
        hash=str(payload["hash"]),
        created_at=created_at,
    )


def verify_webhook(
    body: bytes,
    headers: HeaderItems,
    client_secret: str | bytes,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    seen: DeliveryLog | None = None,
    now: float | None = None,
) -> WebhookEvent:
    """Verify one delivery and return its event.

    ``body`` is the raw request body, exactly as received (not re-encoded
    JSON). The timestamp must be within ``tolerance`` seconds of ``now``
    either way. With ``seen``, a delivery id already recorded there raises
    :class:`~bigc.apps.DuplicateDeliveryError` (answer it 200 and skip it);
    the id is recorded now, so if handling the event then fails,
    ``seen.discard(event.delivery_id)`` before answering with an error.
    Every other failure raises :class:`~bigc.apps.VerificationError`.
    """
    if not isinstance(body, bytes):
        raise TypeError(f"body must be the raw request bytes, not {type(body).__name__}")
    if not 0 <= tolerance < math.inf:  # NaN would accept any timestamp
        raise ValueError(f"tolerance must be a finite number of seconds >= 0, got {tolerance!r}")
    key = _key(client_secret)
    delivery_id = _header(headers, "webhook-id")
    if not delivery_id:
        raise VerificationError("the webhook-id header is empty")
    stamp_text = _header(headers, "webhook-timestamp")
    offered = _signatures(_header(headers, "webhook-signature"))
    stamp = _timestamp(stamp_text, tolerance, time.time() if now is None else now)
    expected = base64.b64decode(sign_webhook(key, delivery_id, stamp_text, body)[3:])
    # Compare against every entry (no early exit) so timing says nothing.
    matched = False
    for signature in offered:
        matched |= hmac.compare_digest(expected, signature)
    if not matched:
        raise VerificationError("no webhook-signature matches the body")
    event = _event(delivery_id, stamp, body)
    if seen is not None and not seen.add(delivery_id):
        raise DuplicateDeliveryError(delivery_id)
    return event
