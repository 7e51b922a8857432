"""The OAuth install flow without I/O: read the callback, build the token request, read the answer.

Fields as in BigCommerce's "Implementing OAuth" guide: the callback brings
``code``, ``scope``, ``context`` (``stores/{hash}``) and ``account_uuid``; the
app POSTs them as JSON to ``{login}/oauth2/token`` with its ``client_id``,
``client_secret``, ``redirect_uri`` and ``grant_type=authorization_code``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from bigc._models import Request, Response, Timeout
from bigc.apps._errors import InvalidCallbackError
from bigc.apps._models import AuthCallback, OAuthToken, User, store_hash_of
from bigc.exceptions import InvalidResponseError

__all__ = ["DEFAULT_LOGIN_BASE_URL", "parse_auth_callback", "token_from_response", "token_request"]

DEFAULT_LOGIN_BASE_URL = "https://login.bigcommerce.com"
USER_AGENT = "bigc/2 (python; apps)"


def parse_auth_callback(query: str | Mapping[str, Any]) -> AuthCallback:
    """Check the auth callback's query (a query string or a framework's args mapping)."""
    if isinstance(query, str):
        parsed = parse_qs(query.lstrip("?"), keep_blank_values=True)
        values: dict[str, Any] = {k: v[-1] for k, v in parsed.items()}
    elif isinstance(query, Mapping):
        values = dict(query)
    else:
        raise TypeError(f"query must be a query string or a mapping, not {type(query).__name__}")
    missing = [
        n
        for n in ("code", "scope", "context")
        if not isinstance(values.get(n), str) or not values[n]
    ]
    if missing:
        raise InvalidCallbackError(
            f"the auth callback query lacks {', '.join(missing)} "
            "(BigCommerce always sends code, scope and context)"
        )
    try:
        store_hash_of(values["context"])
    except ValueError as exc:
        raise InvalidCallbackError(str(exc)) from None
    uuid = values.get("account_uuid")
    return AuthCallback(
        code=values["code"],
        scope=values["scope"],
        context=values["context"],
        account_uuid=uuid if isinstance(uuid, str) and uuid else None,
    )


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty str")
    return value


def token_request(
    client_id: str,
    client_secret: str,
    code: str,
    scope: str,
    context: str,
    redirect_uri: str,
    login_base_url: str,
    timeout: Timeout,
) -> Request:
    """The ``POST /oauth2/token`` request; its body holds the secret, so it is never logged."""
    base = _text(login_base_url, "login_base_url").rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise ValueError(f"login_base_url must start with https://, got {login_base_url!r}")
    store_hash_of(_text(context, "context"))
    body = {
        "client_id": _text(client_id, "client_id"),
        "client_secret": _text(client_secret, "client_secret"),
        "code": _text(code, "code"),
        "scope": _text(scope, "scope"),
        "context": context,
        "grant_type": "authorization_code",
        "redirect_uri": _text(redirect_uri, "redirect_uri"),
    }
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    return Request("POST", f"{base}/oauth2/token", headers, json.dumps(body).encode(), timeout)


def token_from_response(response: Response) -> OAuthToken:
    """The token in a 200 answer; :class:`~bigc.exceptions.InvalidResponseError` if none."""
    try:
        body = json.loads(response.content)
        if not isinstance(body, Mapping):
            raise TypeError("not a JSON object")
        context = str(body["context"])
        owner = body.get("owner")
        return OAuthToken(
            access_token=_text(body["access_token"], "access_token"),
            scope=str(body["scope"]),
            store_hash=store_hash_of(context),
            context=context,
            user=User.of(body["user"], "user"),
            owner=None if owner is None else User.of(owner, "owner"),
            account_uuid=body.get("account_uuid"),
        )
    except (KeyError, TypeError, ValueError) as exc:  # ValueError: not JSON
        # The message names what was wrong, never the body (it holds the token).
        raise InvalidResponseError(
            f"the token endpoint's answer is not a token: {exc!r}",
            status_code=response.status_code,
        ) from None
