"""The OAuth install: callback parsing and the code exchange, sync and async."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

from bigc.apps import (
    InvalidCallbackError,
    async_exchange_code,
    async_store_time,
    exchange_code,
    parse_auth_callback,
    store_time,
)
from bigc.exceptions import (
    BadRequestError,
    BigCommerceNetworkError,
    ConnectError,
    ForbiddenError,
    InternalServerError,
    InvalidResponseError,
)
from bigc.testing import FakeStore
from tests.support import Driver, json_response

CLIENT_ID = "app-client-id"
SECRET = "app-client-secret-0123456789abcdef0123"
REDIRECT = "https://app.example.com/auth"
TOKEN = {
    "access_token": "ACCESS-TOKEN-SECRET",
    "scope": "store_v2_orders",
    "user": {"id": 24654, "username": "merchant@example.com", "email": "merchant@example.com"},
    "owner": {"id": 12345, "username": "owner@example.com", "email": "owner@example.com"},
    "context": "stores/g5cd38",
    "account_uuid": "12345678-90ab-cdef-1234-567890abcdef",
}


def exchange(driver: Driver, transport: Any, code: str = "qr6h3thvbvag2ffq", **options: Any) -> Any:
    fn: Any = async_exchange_code if driver.kind == "async" else exchange_code
    args = (CLIENT_ID, SECRET, code, "store_v2_orders", "stores/g5cd38", REDIRECT)
    return driver.call(fn(*args, transport=transport, **options))


# -- the auth callback --------------------------------------------------------------


def test_parse_auth_callback_reads_the_documented_query() -> None:
    query = (
        "account_uuid=12345678-90ab-cdef-1234-567890abcdef&code=qr6h3thvbvag2ffq"
        "&context=stores%2Fg5cd38&scope=store_v2_orders+store_channel_listings_read_only"
    )
    callback = parse_auth_callback(query)
    assert callback.code == "qr6h3thvbvag2ffq"
    assert callback.scope == "store_v2_orders store_channel_listings_read_only"
    assert callback.context == "stores/g5cd38"
    assert callback.store_hash == "g5cd38"
    assert callback.account_uuid == "12345678-90ab-cdef-1234-567890abcdef"
    assert "qr6h3thvbvag2ffq" not in repr(callback)  # the code is a one-time secret
    assert parse_auth_callback({"code": "c", "scope": "s", "context": "stores/x"}).store_hash == "x"


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("scope=s&context=stores%2Fx", "code"),
        ("code=c&context=stores%2Fx", "scope"),
        ("code=c&scope=s", "context"),
        ("code=&scope=s&context=stores%2Fx", "code"),
        ("", "code, scope, context"),
    ],
)
def test_parse_auth_callback_names_what_is_missing(query: str, named: str) -> None:
    with pytest.raises(InvalidCallbackError, match=named):
        parse_auth_callback(query)


def test_parse_auth_callback_refuses_a_context_that_is_not_a_store() -> None:
    with pytest.raises(InvalidCallbackError, match="stores/"):
        parse_auth_callback("code=c&scope=s&context=accounts%2Fx")
    for context in (
        "stores/..",
        "stores/.",
        "stores/a%3Fb",
        "stores/a%252F..",
        "stores/a%20b",
        "stores/a%0A",
        "stores/%E2%80%AEabc",
        "stores/a/b",
    ):
        with pytest.raises(InvalidCallbackError, match="stores/"):
            parse_auth_callback(f"code=c&scope=s&context={context}")
    with pytest.raises(TypeError):
        parse_auth_callback(42)  # type: ignore[arg-type]


# -- the code exchange over a scripted transport ----------------------------------


def test_exchange_sends_the_documented_request_and_reads_the_token(driver: Driver) -> None:
    transport = driver.transport(json_response(200, TOKEN))
    token = exchange(driver, transport, login_base_url="https://login.example.test/")
    [request] = transport.requests
    assert (request.method, request.url) == ("POST", "https://login.example.test/oauth2/token")
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert json.loads(request.body or b"") == {
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "code": "qr6h3thvbvag2ffq",
        "scope": "store_v2_orders",
        "context": "stores/g5cd38",
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT,
    }
    assert token.access_token == "ACCESS-TOKEN-SECRET"
    assert (token.store_hash, token.scope) == ("g5cd38", "store_v2_orders")
    assert (token.user.id, token.user.email) == (24654, "merchant@example.com")
    assert token.owner is not None and token.owner.id == 12345
    assert token.account_uuid == "12345678-90ab-cdef-1234-567890abcdef"
    assert "ACCESS-TOKEN-SECRET" not in repr(token)
    assert transport.closed is False  # a transport passed in stays open


def test_exchange_defaults_to_bigcommerce_login(driver: Driver) -> None:
    transport = driver.transport(json_response(200, TOKEN))
    exchange(driver, transport)
    assert transport.last.url == "https://login.bigcommerce.com/oauth2/token"


def test_a_token_error_raises_with_bigcommerces_message_and_no_secret(driver: Driver) -> None:
    body = {
        "error": "invalid_client",
        "error_description": "Parameter client_secret does not match",
    }
    transport = driver.transport(json_response(400, body))
    with pytest.raises(BadRequestError) as caught:
        exchange(driver, transport)
    error = caught.value
    assert error.message == "Parameter client_secret does not match"
    assert error.status_code == 400
    for text in (str(error), repr(error), repr(error.response)):
        assert SECRET not in text
    assert SECRET.encode() not in pickle.dumps(error)
    assert error.response is not None and error.response.request is not None
    assert error.response.request.body is None  # the copy kept with the error has no secret


def test_a_server_error_is_not_retried(driver: Driver) -> None:
    transport = driver.transport(
        json_response(500, {"error": "boom"}), default=json_response(200, TOKEN)
    )
    with pytest.raises(InternalServerError):
        exchange(driver, transport)
    assert len(transport.requests) == 1  # the code may have been spent


def test_a_broken_connection_is_not_retried(driver: Driver) -> None:
    transport = driver.transport(
        BigCommerceNetworkError("connection reset"), default=json_response(200, TOKEN)
    )
    with pytest.raises(BigCommerceNetworkError):
        exchange(driver, transport)
    assert len(transport.requests) == 1


def test_a_connection_that_never_opened_and_a_429_are_retried(driver: Driver) -> None:
    limited = json_response(429, {"error": "slow down"}, {"X-Rate-Limit-Time-Reset-Ms": "1"})
    transport = driver.transport(
        ConnectError("refused"), limited, default=json_response(200, TOKEN)
    )
    token = exchange(driver, transport)
    assert token.store_hash == "g5cd38"
    assert len(transport.requests) == 3


def test_an_answer_that_is_not_a_token_is_an_invalid_response(driver: Driver) -> None:
    body = {**TOKEN, "context": "nonsense"}
    transport = driver.transport(json_response(200, body))
    with pytest.raises(InvalidResponseError) as caught:
        exchange(driver, transport)
    assert "ACCESS-TOKEN-SECRET" not in str(caught.value)


@pytest.mark.parametrize("name", ["client_id", "redirect_uri", "code"])
def test_exchange_refuses_an_empty_argument(driver: Driver, name: str) -> None:
    transport = driver.transport(json_response(200, TOKEN))
    fn: Any = async_exchange_code if driver.kind == "async" else exchange_code
    args: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "code": "c",
        "scope": "s",
        "context": "stores/x",
        "redirect_uri": REDIRECT,
        name: "",
    }
    with pytest.raises(ValueError, match=name):
        driver.call(fn(**args, transport=transport))
    assert transport.requests == []


# -- against the fake store's token endpoint ----------------------------------------


def fake_store() -> FakeStore:
    store = FakeStore(store_hash="g5cd38", access_token="STORE-TOKEN-0123456789")
    store.register_app(CLIENT_ID, SECRET, REDIRECT)
    return store


def store_transport(driver: Driver, store: FakeStore) -> Any:
    return store.async_transport() if driver.kind == "async" else store.transport()


def test_the_fake_store_issues_a_token_for_its_code_once(driver: Driver) -> None:
    store = fake_store()
    callback = parse_auth_callback(store.app.install_query("g5cd38"))
    fn: Any = async_exchange_code if driver.kind == "async" else exchange_code
    args = (CLIENT_ID, SECRET, callback.code, callback.scope, callback.context, REDIRECT)
    transport = store_transport(driver, store)
    token = driver.call(fn(*args, transport=transport))
    assert token.access_token == "STORE-TOKEN-0123456789"
    assert token.store_hash == "g5cd38"
    with pytest.raises(BadRequestError, match="Invalid code"):
        driver.call(fn(*args, transport=transport))
    [logged, _] = store.requests_to("POST", "/oauth2/token")
    assert logged.json["client_secret"] == "[redacted]"


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"redirect_uri": "https://elsewhere.example.com/auth"}, BadRequestError, "redirect_uri"),
        ({"client_secret": "wrong-secret-0123456789abcdef0123"}, BadRequestError, "client_secret"),
        ({"client_secret": "wrong-sécret-0123456789abcdef0123"}, BadRequestError, "client_secret"),
        ({"client_id": "other-app"}, BadRequestError, "Invalid client id"),
        ({"code": "never-issued"}, BadRequestError, "Invalid code"),
        ({"context": "stores/other"}, ForbiddenError, "store owners"),
    ],
)
def test_the_fake_store_refuses_what_bigcommerce_refuses(
    change: dict[str, str], error: type[Exception], message: str
) -> None:
    store = fake_store()
    callback = parse_auth_callback(store.app.install_query("g5cd38"))
    args: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "code": callback.code,
        "scope": callback.scope,
        "context": callback.context,
        "redirect_uri": REDIRECT,
        **change,
    }
    with pytest.raises(error, match=message):
        exchange_code(**args, transport=store.transport())


def test_store_time_reads_the_stores_clock(driver: Driver) -> None:
    from bigc import AsyncBigCommerceAPI, BigCommerceAPI

    store = fake_store()
    cls: Any = AsyncBigCommerceAPI if driver.kind == "async" else BigCommerceAPI
    api = cls("g5cd38", "STORE-TOKEN-0123456789", transport=store_transport(driver, store))
    fn: Any = async_store_time if driver.kind == "async" else store_time
    now = driver.call(fn(api))
    import time

    assert abs(now - time.time()) < 5
    assert store.requests_to("GET", "/v2/time")


def test_import_bigc_loads_neither_bigc_apps_nor_pyjwt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bigc, bigc.testing; "
        "assert 'bigc.apps' not in sys.modules and 'jwt' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("blank", [0, 1, 2])
def test_register_app_refuses_an_empty_argument(blank: int) -> None:
    args: list[Any] = ["client-id", "client-secret", "https://app.example.com/auth"]
    name = ("client_id", "client_secret", "redirect_uri")[blank]
    args[blank] = ""
    with pytest.raises(ValueError, match=name):
        FakeStore().register_app(*args)


def test_the_fake_app_keeps_its_secret_out_of_repr() -> None:
    store = fake_store()
    assert SECRET not in repr(store.app)
    assert SECRET not in repr(store)


def test_the_fake_store_mints_bigcommerces_callback_and_customer_jwts() -> None:
    import jwt

    from bigc.apps import verify_current_customer, verify_signed_payload

    store = fake_store()
    token = store.app.signed_payload(
        "g5cd38", user={"id": 5, "email": "staff@example.com"}, url="/products/7", channel_id=2
    )
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience=CLIENT_ID, issuer="bc")
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert claims["nbf"] == claims["iat"] and claims["exp"] == claims["iat"] + 24 * 3600
    assert claims["sub"] == "stores/g5cd38"
    payload = verify_signed_payload(token, CLIENT_ID, SECRET)
    assert (payload.user.id, payload.user.email, payload.user.locale) == (
        5,
        "staff@example.com",
        "en-US",
    )
    assert (payload.url, payload.channel_id) == ("/products/7", 2)

    shopper = store.app.current_customer_jwt(
        "g5cd38", {"id": 4, "email": "a@example.com", "customer_group_id": 6}
    )
    customer = verify_current_customer(shopper, CLIENT_ID, SECRET)
    assert (customer.customer_id, customer.email, customer.group_id) == (4, "a@example.com", "6")
    assert customer.store_hash == "g5cd38"


def test_the_exchange_reaches_a_served_store_over_http(driver: Driver) -> None:
    from bigc.testing import FakeServer

    store = fake_store()
    callback = parse_auth_callback(store.app.install_query("g5cd38"))
    fn: Any = async_exchange_code if driver.kind == "async" else exchange_code
    args = (CLIENT_ID, SECRET, callback.code, callback.scope, callback.context, REDIRECT)
    with FakeServer(store) as server:  # the default transports, over loopback
        token = driver.call(fn(*args, login_base_url=server.base_url))
    assert token.access_token == "STORE-TOKEN-0123456789"
    [logged] = store.requests_to("POST", "/oauth2/token")
    assert logged.status == 200 and logged.json["client_secret"] == "[redacted]"
