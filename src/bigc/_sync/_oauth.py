# Generated from bigc/_async/_oauth.py by scripts/unasync.py: edit that file instead.
"""The token exchange and the store's clock, over bigc's transports.

Written once for async; ``scripts/unasync.py`` generates the sync twin. The
token exchange is a POST: like every POST bigc sends, it is repeated only
when the request surely never reached BigCommerce (no connection) or was
refused with 429, never after it may have been processed: a code is single-use.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from bigc._config import DEFAULT_TIMEOUT
from bigc._models import Request, Response, Timeout, TimeoutTypes, Transport
from bigc._responses import error_from_response
from bigc._retry import RetryPolicy, RetryState
from bigc.apps._models import OAuthToken
from bigc.apps._oauth import DEFAULT_LOGIN_BASE_URL, token_from_response, token_request
from bigc.exceptions import BigCommerceNetworkError, InvalidResponseError

from ._backend import default_transport, sleep

if TYPE_CHECKING:
    from ._client import BigCommerceAPI

__all__ = ["exchange_code", "store_time"]


def exchange_code(
    client_id: str,
    client_secret: str,
    code: str,
    scope: str,
    context: str,
    redirect_uri: str,
    *,
    login_base_url: str = DEFAULT_LOGIN_BASE_URL,
    timeout: TimeoutTypes = None,
    transport: Transport | None = None,
    retry_policy: RetryPolicy | None = None,
) -> OAuthToken:
    """Exchange the auth callback's ``code`` for the store's access token.

    An error answer raises the bigc exception for its status with
    BigCommerce's message (``Invalid code.``, a ``redirect_uri`` mismatch).
    """
    limits = DEFAULT_TIMEOUT if timeout is None else Timeout.of(timeout).over(DEFAULT_TIMEOUT)
    request = token_request(
        client_id, client_secret, code, scope, context, redirect_uri, login_base_url, limits
    )
    owned = transport is None
    sender = transport or default_transport()
    try:
        state = RetryState(retry_policy or RetryPolicy(), "POST", 0)
        response = _send(sender, request, state)
    finally:
        if owned:
            sender.close()
    return token_from_response(response)


def _send(transport: Transport, request: Request, state: RetryState) -> Response:
    """Send until an answer that is not a 429, or a failure that must not be repeated."""
    while True:
        try:
            response = transport.send(request)
        except BigCommerceNetworkError as exc:
            delay = state.after_error(exc, None)
            if delay is None:
                raise
            sleep(delay)
            continue
        # The request holds the client secret: errors keep a copy without its body.
        response.request = dataclasses.replace(request, body=None)
        if response.status_code < 400:
            return response
        delay = state.after_response(response, None)
        if delay is None:
            raise error_from_response(response)
        sleep(delay)


def store_time(api: BigCommerceAPI) -> int:
    """The store's clock (``GET /v2/time``), in Unix seconds.

    BigCommerce accepts a Customer Login JWT's ``iat`` for 30 seconds only;
    sign with this when the local clock may drift.
    """
    body = api.api_v2.get("/time")
    if not isinstance(body, dict) or not isinstance(body.get("time"), int):
        raise InvalidResponseError("GET /v2/time did not answer with a time")
    return int(body["time"])
