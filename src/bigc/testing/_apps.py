"""BigCommerce's side of an app: the login service's token endpoint and the JWTs it signs.

``POST /oauth2/token`` (on the login base URL, which tests point at the
store) checks what BigCommerce checks: the client ID and secret, a code it
issued and not yet used, the registered ``redirect_uri``, the ``context`` the
code was issued for and ``grant_type``. Its errors are the JSON bodies the
login service sends (``{"error": …, "error_description": …}``). The store also
mints the ``signed_payload_jwt`` of ``load``/``uninstall``/``remove_user``
callbacks and Current Customer JWTs, signed with PyJWT (``bigc[apps]``).
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bigc.testing._http import Call, json_reply
from bigc.testing._reply import Reply
from bigc.testing._routes import Route

__all__ = ["TOKEN_PATH", "FakeApp"]

TOKEN_PATH = "/oauth2/token"
# BigCommerce: "exp: currently 24 hours after nbf"; Current Customer tokens last 15 minutes.
SIGNED_PAYLOAD_LIFETIME = 24 * 3600
CURRENT_CUSTOMER_LIFETIME = 15 * 60
# Codes issued and not yet exchanged; past this many the oldest stops working.
MAX_PENDING_CODES = 1000
DEFAULT_USER = {"id": 9876543, "email": "owner@example.com", "username": "owner@example.com"}


def _oauth_error(status: int, error: str, description: str | None = None) -> Reply:
    body = (
        {"error": error}
        if description is None
        else {"error": error, "error_description": description}
    )
    return json_reply(status, body)


@dataclass
class _Grant:
    scope: str
    context: str
    user: dict[str, Any]


@dataclass
class FakeApp:
    """The one app registered with this store (``store.register_app`` replaces it)."""

    client_id: str = "bigc-fake-client"
    client_secret: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    redirect_uri: str = "https://app.example.com/auth"
    scope: str = "store_v2_products store_v2_orders store_v2_customers"
    _grants: dict[str, _Grant] = field(default_factory=dict, repr=False)

    # -- the install flow ----------------------------------------------------------

    def install(self, store_hash: str, user: dict[str, Any] | None = None) -> dict[str, str]:
        """Issue a one-time code: the query BigCommerce sends to the app's ``GET /auth``."""
        code = secrets.token_urlsafe(12)
        context = f"stores/{store_hash}"
        if len(self._grants) >= MAX_PENDING_CODES:
            del self._grants[next(iter(self._grants))]
        self._grants[code] = _Grant(self.scope, context, dict(user or DEFAULT_USER))
        return {
            "code": code,
            "scope": self.scope,
            "context": context,
            "account_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, self.client_id)),
        }

    def install_query(self, store_hash: str, user: dict[str, Any] | None = None) -> str:
        """:meth:`install` as the query string of the callback URL."""
        return urlencode(self.install(store_hash, user))

    def token(self, body: Any, access_token: str) -> Reply:
        """Answer ``POST /oauth2/token``; a code works once, and only if everything matches."""
        if not isinstance(body, dict):
            return _oauth_error(400, "invalid_request", "The request body must be a JSON object.")
        if body.get("client_id") != self.client_id:
            return _oauth_error(400, "Invalid client id.")
        sent = str(body.get("client_secret", "")).encode()  # str compare_digest is ASCII-only
        if not secrets.compare_digest(sent, self.client_secret.encode()):
            return _oauth_error(400, "invalid_client", "Parameter client_secret does not match")
        if body.get("grant_type") != "authorization_code":
            return _oauth_error(
                400, "unsupported_grant_type", "grant_type must be authorization_code"
            )
        if body.get("redirect_uri") != self.redirect_uri:
            return _oauth_error(
                400, "invalid_request", "Parameter redirect_uri does not match registered URI"
            )
        grant = self._grants.pop(str(body.get("code", "")), None)
        if grant is None:
            return _oauth_error(400, "Invalid code.")
        if body.get("context") != grant.context:
            return _oauth_error(
                403,
                "Only store owners may install or update apps. "
                "Please contact the store owner for assistance",
            )
        return json_reply(
            200,
            {
                "access_token": access_token,
                "scope": grant.scope,
                "user": grant.user,
                "owner": grant.user,
                "context": grant.context,
                "account_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, self.client_id)),
            },
        )

    # -- JWTs BigCommerce signs ----------------------------------------------------

    def signed_payload(
        self,
        store_hash: str,
        *,
        user: dict[str, Any] | None = None,
        owner: dict[str, Any] | None = None,
        url: str = "/",
        channel_id: int | None = None,
        issued_at: float | None = None,
    ) -> str:
        """A ``signed_payload_jwt`` as sent to the ``load``/``uninstall``/``remove_user`` URLs."""
        import jwt  # bigc[apps]: only tests of apps need it

        now = int(time.time() if issued_at is None else issued_at)
        person = dict(user or {"id": DEFAULT_USER["id"], "email": DEFAULT_USER["email"]})
        person.setdefault("locale", "en-US")
        claims = {
            "aud": self.client_id,
            "iss": "bc",
            "iat": now,
            "nbf": now,
            "exp": now + SIGNED_PAYLOAD_LIFETIME,
            "jti": str(uuid.uuid4()),
            "sub": f"stores/{store_hash}",
            "user": person,
            "owner": dict(owner or {"id": DEFAULT_USER["id"], "email": DEFAULT_USER["email"]}),
            "url": url,
            "channel_id": channel_id,
        }
        return jwt.encode(claims, self.client_secret, algorithm="HS256")

    def current_customer_jwt(
        self, store_hash: str, customer: dict[str, Any], *, issued_at: float | None = None
    ) -> str:
        """What the storefront's ``/customer/current.jwt?app_client_id=…`` answers."""
        import jwt

        now = int(time.time() if issued_at is None else issued_at)
        claims = {
            "customer": {
                "id": customer["id"],
                "email": customer.get("email", ""),
                "group_id": str(customer.get("customer_group_id", 0)),
            },
            "iss": "bc/apps",
            "sub": store_hash,
            "iat": now,
            "exp": now + CURRENT_CUSTOMER_LIFETIME,
            "version": 1,
            "aud": self.client_id,
            "application_id": self.client_id,
            "store_hash": store_hash,
            "operation": "current_customer",
        }
        return jwt.encode(claims, self.client_secret, algorithm="HS256")


def time_routes() -> list[Route]:
    """``GET /v2/time``: the store's clock, ``{"time": <Unix seconds>}``."""

    def store_time(call: Call) -> Reply:
        return json_reply(200, {"time": int(time.time())})

    return [("GET", "/v2/time", store_time)]
