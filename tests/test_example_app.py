"""The example Flask app (examples/flask_app.py), driven end to end against the fake store.

BigCommerce's side (the install redirect, the token endpoint, signed load and
uninstall calls, webhook deliveries) is played by the fake store; the app's
side by Flask's test client.
"""

from __future__ import annotations

import runpy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from bigc import BigCommerceAPI
from bigc.apps import webhook_headers
from bigc.testing import FakeStore

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "flask_app.py"
CLIENT_ID = "example-app"
SECRET = "example-app-client-secret-0123456789abcdef"
APP_URL = "https://app.example.com"


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore.with_sample_data(products=5, customers=0, orders=0, store_hash="abc123")
    store.register_app(CLIENT_ID, SECRET, f"{APP_URL}/auth")
    return store


@pytest.fixture
def app(store: FakeStore) -> Any:
    create_app = runpy.run_path(str(EXAMPLE))["create_app"]
    return create_app(CLIENT_ID, SECRET, APP_URL, transport=store.transport())


@pytest.fixture
def client(app: Any) -> FlaskClient:
    client: FlaskClient = app.test_client()
    return client


def install(store: FakeStore, client: FlaskClient) -> None:
    answer = client.get("/auth?" + store.app.install_query("abc123"))
    assert answer.status_code == 200, answer.text
    assert "Installed on abc123" in answer.text


def test_install_load_webhook_uninstall(store: FakeStore, app: Any, client: FlaskClient) -> None:
    install(store, client)
    assert list(app.config["TOKENS"]) == ["abc123"]
    [hook] = store.api("GET", "/v3/hooks")["data"]
    assert (hook["scope"], hook["destination"]) == ("store/product/*", f"{APP_URL}/webhooks")

    signed = store.app.signed_payload("abc123")
    load = client.get("/load", query_string={"signed_payload_jwt": signed})
    assert load.status_code == 200 and "owner@example.com" in load.text

    # BigCommerce's deliveries go to the app through Flask's test client.
    def deliver(body: bytes, headers: Mapping[str, str]) -> int:
        return client.post("/webhooks", data=body, headers=dict(headers)).status_code

    store.webhook_deliveries.route(f"{APP_URL}/webhooks", deliver)
    api = BigCommerceAPI("abc123", "any-token", transport=store.transport())
    api.products_v3.update(2, {"name": "Renamed Lamp"})
    assert store.webhook_deliveries.wait(10)
    assert app.config["EVENTS"] == [("store/product/updated", 2, "Renamed Lamp")]
    assert [d.outcome for d in store.webhook_deliveries.log] == ["delivered"]

    uninstall = client.get(
        "/uninstall", query_string={"signed_payload_jwt": store.app.signed_payload("abc123")}
    )
    assert uninstall.status_code == 204
    assert app.config["TOKENS"] == {}


def test_a_delivery_the_app_failed_to_handle_is_handled_when_retried(
    store: FakeStore, app: Any, client: FlaskClient
) -> None:
    install(store, client)
    statuses: list[int] = []

    def deliver(body: bytes, headers: Mapping[str, str]) -> int:
        statuses.append(client.post("/webhooks", data=body, headers=dict(headers)).status_code)
        return statuses[-1]

    store.webhook_deliveries.route(f"{APP_URL}/webhooks", deliver)
    store.webhook_deliveries.time_scale = 0.0001
    store.fail("GET", "/v3/catalog/products/2", status=403, times=1)  # the app's read fails once
    BigCommerceAPI("abc123", "t", transport=store.transport()).products_v3.update(2, {"price": 3})
    assert store.webhook_deliveries.wait(10)
    assert statuses == [500, 200]
    assert [e[:2] for e in app.config["EVENTS"]] == [("store/product/updated", 2)]


def test_forged_and_repeated_requests_are_refused(
    store: FakeStore, app: Any, client: FlaskClient
) -> None:
    install(store, client)
    forged = store.app.signed_payload("abc123")[:-4] + "AAAA"
    assert client.get("/load", query_string={"signed_payload_jwt": forged}).status_code == 401
    assert client.get("/load").status_code == 401
    assert client.get("/auth?code=only").status_code == 400

    body = (
        b'{"scope":"store/product/updated","store_id":"1","data":{"type":"product","id":1},'
        b'"hash":"x","created_at":1,"producer":"stores/abc123"}'
    )
    signed = webhook_headers(SECRET, "msg_once", body)
    assert client.post("/webhooks", data=body, headers=signed).status_code == 200
    assert client.post("/webhooks", data=body, headers=signed).status_code == 200  # a repeat
    assert len(app.config["EVENTS"]) == 1  # handled once
    wrong = webhook_headers("not-the-secret-0123456789abcdef0123", "msg_2", body)
    assert client.post("/webhooks", data=body, headers=wrong).status_code == 401
    tampered = body.replace(b'"id":1', b'"id":2')
    assert client.post("/webhooks", data=tampered, headers=signed).status_code == 401


def test_the_load_page_escapes_what_the_signed_payload_says(
    store: FakeStore, client: FlaskClient
) -> None:
    install(store, client)
    user = {"id": 5, "email": '"<script>alert(1)</script>"@example.com'}
    signed = store.app.signed_payload("abc123", user=user)
    page = client.get("/load", query_string={"signed_payload_jwt": signed})
    assert page.status_code == 200
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text


def test_a_reused_install_code_fails(store: FakeStore, client: FlaskClient) -> None:
    query = store.app.install_query("abc123")
    assert client.get("/auth?" + query).status_code == 200
    again = client.get("/auth?" + query)
    assert again.status_code == 400 and "Invalid code." in again.text
