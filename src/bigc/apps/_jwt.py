"""Signed callbacks, Customer Login tokens and Current Customer JWTs, all through PyJWT.

BigCommerce signs every app JWT with HS256 and the app's client secret
(developer.bigcommerce.com: "Handling callbacks", "Customer Login API",
"Current Customer API"). Verification accepts HS256 only, so ``alg: none`` and
HS512 tokens fail like a bad signature does; every failure is one
:class:`~bigc.apps.VerificationError` whose text never holds the secret.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import jwt

from bigc.apps._errors import VerificationError
from bigc.apps._models import CurrentCustomer, SignedPayload, User, store_hash_of

__all__ = [
    "DEFAULT_LEEWAY",
    "customer_login_token",
    "customer_login_url",
    "verify_current_customer",
    "verify_signed_payload",
]

ALGORITHMS = ["HS256"]
# Seconds of clock difference tolerated on exp/nbf/iat: enough for servers a
# little out of sync, far too little to replay an expired token.
DEFAULT_LEEWAY = 10.0
SIGNED_PAYLOAD_ISSUER = "bc"
CURRENT_CUSTOMER_ISSUER = "bc/apps"


def _check_secret(client_id: str, client_secret: str) -> None:
    for name, value in (("client_id", client_id), ("client_secret", client_secret)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty str")


def _decode(
    token: str,
    client_id: str,
    client_secret: str,
    issuer: str,
    leeway: float,
    required: list[str],
) -> dict[str, Any]:
    """The claims of ``token`` once signature, algorithm, aud, iss and times all check out."""
    _check_secret(client_id, client_secret)
    if not isinstance(token, str) or not token:
        raise VerificationError("the token is missing")
    if not 0 <= leeway < math.inf:  # NaN would turn every time check off
        raise ValueError(f"leeway must be a finite number of seconds >= 0, got {leeway!r}")
    options: Any = {"require": required, "verify_iat": True}
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            client_secret,
            algorithms=ALGORITHMS,
            audience=client_id,
            issuer=issuer,
            leeway=leeway,
            options=options,
        )
    except jwt.PyJWTError as exc:
        # PyJWT's messages name the claim that failed and never the key.
        raise VerificationError(f"the token is not valid: {exc}") from None
    # PyJWT also takes an aud list that contains the client ID (and 2.10.0 took an
    # iss that is part of ``issuer``); BigCommerce's claims are these exact strings.
    if claims["aud"] != client_id:
        raise VerificationError("the token is not valid: its aud is not exactly the client ID")
    if claims["iss"] != issuer:
        raise VerificationError(f"the token is not valid: its iss is not exactly {issuer!r}")
    return claims


def verify_signed_payload(
    signed_payload_jwt: str,
    client_id: str,
    client_secret: str,
    *,
    leeway: float = DEFAULT_LEEWAY,
) -> SignedPayload:
    """Verify the ``signed_payload_jwt`` of a ``load``, ``uninstall`` or ``remove_user`` callback.

    HS256 with the client secret; ``aud`` must be the client ID and ``iss``
    ``bc``; ``exp``, ``nbf`` and ``iat`` must be present and hold, give or
    take ``leeway`` seconds. Raises :class:`~bigc.apps.VerificationError`.
    """
    claims = _decode(
        signed_payload_jwt,
        client_id,
        client_secret,
        SIGNED_PAYLOAD_ISSUER,
        leeway,
        ["aud", "iss", "exp", "nbf", "iat", "sub", "user"],
    )
    try:
        store_hash = store_hash_of(str(claims["sub"]), "sub")
        user = User.of(claims["user"], "user")
        owner = User.of(claims.get("owner", claims["user"]), "owner")
        channel = claims.get("channel_id")
        channel_id = None if channel is None else int(channel)
    except (TypeError, ValueError) as exc:
        raise VerificationError(f"the token's claims are malformed: {exc}") from None
    url = claims.get("url")
    return SignedPayload(
        store_hash=store_hash,
        user=user,
        owner=owner,
        url=None if url is None else str(url),
        channel_id=channel_id,
        claims=claims,
    )


def verify_current_customer(
    token: str,
    client_id: str,
    client_secret: str,
    *,
    leeway: float = DEFAULT_LEEWAY,
) -> CurrentCustomer:
    """Verify a Current Customer JWT (``iss`` ``bc/apps``, ``aud`` the client ID, HS256)."""
    claims = _decode(
        token,
        client_id,
        client_secret,
        CURRENT_CUSTOMER_ISSUER,
        leeway,
        ["aud", "iss", "exp", "iat", "customer", "store_hash"],
    )
    customer = claims["customer"]
    if not isinstance(customer, Mapping) or "id" not in customer:
        raise VerificationError("the token's customer claim is malformed")
    group = customer.get("group_id")
    try:
        customer_id = int(customer["id"])
    except (TypeError, ValueError):
        raise VerificationError("the token's customer id is not a number") from None
    return CurrentCustomer(
        customer_id=customer_id,
        email=str(customer.get("email", "")),
        group_id=None if group is None else str(group),
        store_hash=str(claims["store_hash"]),
        claims=claims,
    )


def _is_local_path(value: object) -> bool:
    """A path on the storefront itself. Browsers read a backslash as a slash and
    drop tabs and newlines, so those would turn ``/`` + ``/evil.com`` into another site."""
    return (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and all(" " < c != "\x7f" for c in value)
    )


def customer_login_token(
    client_id: str,
    client_secret: str,
    store_hash: str,
    customer_id: int,
    *,
    channel_id: int = 1,
    redirect_to: str | None = None,
    request_ip: str | None = None,
    issued_at: float | None = None,
    jti: str | None = None,
) -> str:
    """A Customer Login (SSO) JWT, HS256-signed with the client secret.

    BigCommerce accepts ``iat`` for 30 seconds only: pass ``issued_at`` from
    the store's clock (:func:`~bigc.apps.store_time`) when this machine's
    clock may be off, and redirect the shopper at once.
    """
    _check_secret(client_id, client_secret)
    if not isinstance(store_hash, str) or not store_hash:
        raise ValueError("store_hash must be a non-empty str")
    for name, value in (("customer_id", customer_id), ("channel_id", channel_id)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if redirect_to is not None and not _is_local_path(redirect_to):
        raise ValueError(
            f"redirect_to must be a relative path starting with '/', got {redirect_to!r}"
        )
    if issued_at is not None and not (
        isinstance(issued_at, (int, float))
        and not isinstance(issued_at, bool)
        and math.isfinite(issued_at)
    ):
        raise ValueError(f"issued_at must be a Unix time, got {issued_at!r}")
    claims: dict[str, Any] = {
        "iss": client_id,
        "iat": int(time.time() if issued_at is None else issued_at),
        "jti": jti or str(uuid.uuid4()),
        "operation": "customer_login",
        "store_hash": store_hash,
        "customer_id": customer_id,
        "channel_id": channel_id,
    }
    if redirect_to is not None:
        claims["redirect_to"] = redirect_to
    if request_ip is not None:
        claims["request_ip"] = request_ip
    return jwt.encode(claims, client_secret, algorithm="HS256")


def customer_login_url(
    store_url: str,
    client_id: str,
    client_secret: str,
    store_hash: str,
    customer_id: int,
    *,
    channel_id: int = 1,
    redirect_to: str | None = None,
    request_ip: str | None = None,
    issued_at: float | None = None,
) -> str:
    """``{store_url}/login/token/{jwt}``: send the shopper's browser there straight away."""
    parts = urlsplit(store_url) if isinstance(store_url, str) else None
    if (
        parts is None
        or parts.scheme not in ("https", "http")
        or not parts.netloc
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"store_url must be the storefront's https:// URL, got {store_url!r}")
    token = customer_login_token(
        client_id,
        client_secret,
        store_hash,
        customer_id,
        channel_id=channel_id,
        redirect_to=redirect_to,
        request_ip=request_ip,
        issued_at=issued_at,
    )
    return f"{store_url.rstrip('/')}/login/token/{quote(token, safe='.-_')}"
