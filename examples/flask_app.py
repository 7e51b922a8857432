"""A BigCommerce app on Flask: install, load, verified webhooks, uninstall.

Run it with your app's credentials (``BIGC_CLIENT_ID``, ``BIGC_CLIENT_SECRET``,
``BIGC_APP_URL``, the public https:// address BigCommerce calls)::

    flask --app examples/flask_app:create_app run

``tests/test_example_app.py`` drives it end to end against the fake store.
Keep tokens in a database, not in a dict: this is the shape, not the storage.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, abort, request
from markupsafe import escape  # text from a JWT is not HTML

from bigc import BigCommerceAPI, Transport
from bigc.apps import (
    DeliveryLog,
    DuplicateDeliveryError,
    InvalidCallbackError,
    VerificationError,
    exchange_code,
    parse_auth_callback,
    verify_signed_payload,
    verify_webhook,
)
from bigc.exceptions import BigCommerceClientError


def create_app(
    client_id: str | None = None,
    client_secret: str | None = None,
    app_url: str | None = None,
    *,
    transport: Transport | None = None,  # tests pass the fake store's
) -> Flask:
    client_id = client_id or os.environ["BIGC_CLIENT_ID"]
    client_secret = client_secret or os.environ["BIGC_CLIENT_SECRET"]
    app_url = (app_url or os.environ["BIGC_APP_URL"]).rstrip("/")
    app = Flask(__name__)
    tokens: dict[str, str] = {}  # store hash -> access token
    seen = DeliveryLog()  # webhook ids already handled
    app.config.update(TOKENS=tokens, EVENTS=[])

    def store_api(store_hash: str) -> BigCommerceAPI:
        return BigCommerceAPI(store_hash, tokens[store_hash], transport=transport)

    def signed_payload() -> Any:
        try:
            return verify_signed_payload(
                request.args.get("signed_payload_jwt", ""), client_id, client_secret
            )
        except VerificationError:
            abort(401)

    @app.get("/auth")
    def auth() -> str:
        try:
            callback = parse_auth_callback(request.args)
        except InvalidCallbackError as exc:
            abort(400, str(exc))
        try:
            token = exchange_code(
                client_id,
                client_secret,
                callback.code,
                callback.scope,
                callback.context,
                f"{app_url}/auth",
                transport=transport,
            )
        except BigCommerceClientError as exc:  # a used code, a wrong redirect URI
            abort(400, exc.message)
        tokens[token.store_hash] = token.access_token
        hooks = store_api(token.store_hash).webhooks_v3
        hooks.create_or_update("store/product/*", f"{app_url}/webhooks")
        return f"<p>Installed on {token.store_hash}.</p>"

    @app.get("/load")
    def load() -> str:
        payload = signed_payload()
        return f"<p>Hello {escape(payload.user.email)} on {payload.store_hash}.</p>"

    @app.get("/uninstall")
    def uninstall() -> tuple[str, int]:
        tokens.pop(signed_payload().store_hash, None)
        return "", 204

    @app.post("/webhooks")
    def webhooks() -> tuple[str, int]:
        try:
            event = verify_webhook(request.get_data(), request.headers, client_secret, seen=seen)
        except DuplicateDeliveryError:
            return "", 200  # already handled: acknowledge, do nothing
        except VerificationError:
            return "", 401
        try:
            if event.store_hash in tokens and event.scope != "store/product/deleted":
                product = store_api(event.store_hash).products_v3.get(event.data["id"])
                app.config["EVENTS"].append((event.scope, product["id"], product["name"]))
        except Exception:
            seen.discard(event.delivery_id)  # not handled: BigCommerce's retry must be
            raise  # a 500: BigCommerce delivers it again later
        return "", 200

    return app
