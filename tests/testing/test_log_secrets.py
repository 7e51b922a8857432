"""The request log keeps no secrets: their names stay, their values read "[redacted]"."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import urllib3

from bigc.testing import FakeServer, FakeStore
from tests.testing.conftest import TOKEN, Caller, new_customer

R = "[redacted]"
PASSWORD = "Hunter2-correct-horse"


def logged(store: FakeStore) -> Any:
    return store.requests[-1].json


def storefront_headers(api: Caller, path: str = "/v3/storefront/api-token") -> dict[str, str]:
    answer = api.post(path, {"channel_id": 1, "expires_at": int(time.time()) + 600})
    return {"Authorization": f"Bearer {answer.data['token']}"}


def graphql(store: FakeStore, body: Any, headers: dict[str, str]) -> Any:
    reply = store.handle("POST", "/graphql", headers, json.dumps(body).encode())
    return json.loads(reply.body)


def test_v3_customer_passwords_are_redacted_on_create_and_update(api: Caller) -> None:
    auth = {"new_password": PASSWORD, "force_password_reset": True}
    created = api.post("/v3/customers", [new_customer("a@example.com", authentication=auth)])
    assert logged(api.store) == [
        new_customer("a@example.com", authentication={**auth, "new_password": R})
    ]
    customer_id = created.data[0]["id"]
    api.put(
        "/v3/customers", [{"id": customer_id, "authentication": {"new_password": "Other-pw-9"}}]
    )
    assert logged(api.store) == [{"id": customer_id, "authentication": {"new_password": R}}]
    # What the store carried out is the real password: the storefront login takes it.
    assert api.store._customers.check_password(customer_id, "Other-pw-9")
    # And, as at BigCommerce, no answer shows it.
    shown = api.get("/v3/customers").data[0]["authentication"]
    assert shown == {"force_password_reset": True}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v3/customers/validate-credentials", {"email": "a@example.com", "password": PASSWORD}),
        (
            "/v2/customers",
            {
                **new_customer("b@example.com"),
                "_authentication": {"password": PASSWORD, "password_confirmation": PASSWORD},
            },
        ),
        ("/v3/tax/providers/avalara/connection", {"username": "me", "password": PASSWORD}),
        (
            "/v2/shipping/carrier/connection",
            {"carrier_id": "endicia", "connection": {"account_id": "7", "pass_phrase": PASSWORD}},
        ),
    ],
)
def test_passwords_in_any_body_are_redacted(api: Caller, path: str, body: Any) -> None:
    api("PUT" if "tax" in path else "POST", path, body)
    entry = api.store.requests[-1]
    assert PASSWORD.encode() not in entry.body
    text = json.dumps(entry.json)
    assert text.count(R) == json.dumps(body).count(PASSWORD)


def test_fields_that_only_look_secret_are_kept(api: Caller) -> None:
    currency = {"currency_code": "EUR", "token": "€", "decimal_token": ","}
    api.post("/v2/currencies", currency)
    assert logged(api.store) == currency  # a currency's token is its symbol
    raw = json.dumps([new_customer("c@example.com", authentication={"force_password_reset": True})])
    api.store.handle("POST", "/stores/abc123/v3/customers", TOKEN, raw.encode())
    assert api.store.requests[-1].body == raw.encode()  # nothing secret: kept byte for byte


def test_a_secret_spelled_with_escapes_is_still_found(api: Caller) -> None:
    raw = b'{"email": "e@example.com", "p\\u0061ssword": "' + PASSWORD.encode() + b'"}'
    api.store.handle("POST", "/stores/abc123/v3/customers/validate-credentials", TOKEN, raw)
    assert api.store.requests[-1].json == {"email": "e@example.com", "password": R}


def test_a_body_that_is_not_json_but_names_a_password_is_not_logged(api: Caller) -> None:
    raw = b'{"email": "e@example.com", "password": "' + PASSWORD.encode() + b'"'
    api.store.handle("POST", "/stores/abc123/v3/customers/validate-credentials", TOKEN, raw)
    assert api.store.requests[-1].body == R.encode()
    assert api.store.requests[-1].body_size == len(raw)


def test_secret_query_parameters_and_token_headers_are_redacted(api: Caller) -> None:
    headers = {**TOKEN, "Sf-Api-Token": "sf-token-1", "X-Custom": "kept"}
    api("DELETE", "/v3/storefront/api-token", headers=headers, client_secret="s3cr3t", page=2)
    entry = api.store.requests[-1]
    assert entry.query == {"client_secret": R, "page": "2"}
    assert dict(entry.headers.items()) == {
        "X-Auth-Token": R,
        "Accept": "application/json",
        "Sf-Api-Token": R,
        "X-Custom": "kept",
    }


def test_the_storefront_login_password_is_redacted_inline_and_in_variables(api: Caller) -> None:
    auth = {"new_password": PASSWORD}
    api.post("/v3/customers", [new_customer("x@example.com", authentication=auth)])
    headers = storefront_headers(api)
    inline = (
        'mutation { login(email: "x@example.com", password: "PW") '
        "{ customerAccessToken { value } } }"
    ).replace("PW", PASSWORD)
    answer = graphql(api.store, {"query": inline}, headers)
    assert answer["data"]["login"]["customerAccessToken"]["value"].startswith("cat.")
    assert logged(api.store)["query"] == inline.replace(PASSWORD, R)
    by_variable = (
        "mutation In($email: String!, $pw: String!) "
        "{ login(email: $email, password: $pw) { result } }"
    )
    variables = {"email": "x@example.com", "pw": PASSWORD}
    answer = graphql(api.store, {"query": by_variable, "variables": variables}, headers)
    assert answer["data"]["login"]["result"] == "success"
    assert logged(api.store) == {
        "query": by_variable,
        "variables": {"email": "x@example.com", "pw": R},
    }
    entry = api.store.requests[-1]
    assert entry.headers["Authorization"] == R


def test_a_graphql_document_that_does_not_parse_is_cut_where_it_breaks(api: Caller) -> None:
    headers = storefront_headers(api, "/v3/storefront/api-token-customer-impersonation")
    broken = 'mutation { login(email: "x@example.com", password: "' + PASSWORD
    graphql(api.store, {"query": broken}, {**headers, "X-Bc-Customer-Id": "1"})
    text = logged(api.store)["query"]
    assert PASSWORD not in text and text.startswith('mutation { login(email: "x@example.com"')


def test_the_oauth_code_and_client_secret_are_redacted() -> None:
    store = FakeStore()
    app = store.register_app("client-1", "app-secret-0123456789", "https://app.example.com/auth")
    grant = app.install("abc123")
    body = {
        "client_id": "client-1",
        "client_secret": "app-secret-0123456789",
        "code": grant["code"],
        "scope": grant["scope"],
        "grant_type": "authorization_code",
        "redirect_uri": "https://app.example.com/auth",
        "context": grant["context"],
    }
    reply = store.handle("POST", "/oauth2/token", {}, json.dumps(body).encode())
    assert reply.status == 200
    assert store.requests[-1].json == {**body, "client_secret": R, "code": R}


def test_the_served_log_shows_no_secret() -> None:
    store = FakeStore()
    customer = new_customer("s@example.com", authentication={"new_password": PASSWORD})
    with FakeServer(store) as server:
        urllib3.request(
            "POST",
            server.base_url + "/stores/abc123/v3/customers",
            body=json.dumps([customer]).encode(),
            headers={"X-Auth-Token": "the-access-token", "Content-Type": "application/json"},
        )
        answer = urllib3.request("GET", server.base_url + "/__bigc/requests")
    assert answer.status == 200
    assert PASSWORD.encode() not in answer.data and b"the-access-token" not in answer.data
    [entry] = answer.json()["requests"]
    assert entry["json"][0]["authentication"] == {"new_password": R}
    assert entry["headers"]["X-Auth-Token"] == R


def test_a_v2_customer_password_is_taken_but_never_answered(api: Caller) -> None:
    body = {**new_customer("v2@example.com"), "_authentication": {"password": PASSWORD}}
    created = api.post("/v2/customers", body)
    fetched = api.get(f"/v2/customers/{created.body['id']}")
    for answer in (created, fetched):
        assert answer.status == 200 and PASSWORD not in json.dumps(answer.body)
        assert "password" not in answer.body["_authentication"]


def test_a_webhooks_own_auth_headers_are_redacted_and_still_sent(api: Caller) -> None:
    hook = {
        "scope": "store/product/*",
        "destination": "https://app.example.com/hooks",
        "headers": {"Authorization": "Basic dXNlcjpwdw==", "X-Team": "catalog"},
    }
    created = api.post("/v3/hooks", hook)
    assert logged(api.store)["headers"] == {"Authorization": R, "X-Team": "catalog"}
    assert created.data["headers"] == hook["headers"]  # the store keeps what it was sent


def test_validate_credentials_takes_only_the_customers_password(api: Caller) -> None:
    auth = {"new_password": PASSWORD}
    customer_id = api.post(
        "/v3/customers", [new_customer("v@example.com", authentication=auth)]
    ).data[0]["id"]
    path = "/v3/customers/validate-credentials"
    right = api.post(path, {"email": "V@example.com", "password": PASSWORD})
    assert (right.status, right.body) == (200, {"is_valid": True, "customer_id": customer_id})
    for wrong in (
        {"email": "v@example.com", "password": "guess"},
        {"email": "x@y.z", "password": PASSWORD},
    ):
        answer = api.post(path, wrong)
        assert (answer.status, answer.body) == (200, {"is_valid": False, "customer_id": None})
    assert api.post(path, {"email": "v@example.com"}).status == 422


def test_a_batch_of_graphql_requests_is_redacted_too(api: Caller) -> None:
    login = 'mutation { login(email: "x@example.com", password: "PW") { result } }'
    batch = [
        {"query": login.replace("PW", PASSWORD)},
        {"query": "{ site { products { edges { cursor } } } }"},
    ]
    reply = api.store.handle(
        "POST", "/graphql", storefront_headers(api), json.dumps(batch).encode()
    )
    assert reply.status == 400
    assert logged(api.store) == [{"query": login.replace("PW", R)}, batch[1]]
