"""The fake store's GraphQL endpoints, called through ``handle()`` as a client would."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bigc.testing import FakeStore
from tests.testing.conftest import TOKEN, Caller

ADMIN = "/stores/abc123/graphql"
PAGE = "query P($after: String) { site { products(first: %d, after: $after) { %s } } }"


def post(
    store: FakeStore, target: str, body: Any, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = store.handle("POST", target, TOKEN if headers is None else headers, raw)
    return reply.status, dict(reply.headers), json.loads(reply.body) if reply.body else None


def token(api: Caller, path: str = "/v3/storefront/api-token", **body: Any) -> str:
    body = {"channel_id": 1, "expires_at": int(time.time()) + 600, **body}
    answer = api.post(path, body)
    assert answer.status == 200, answer.body
    return str(answer.data["token"])


@pytest.fixture
def sample() -> FakeStore:
    return FakeStore.with_sample_data(products=30, customers=3, orders=5)


def test_admin_graphql_needs_the_access_token(sample: FakeStore) -> None:
    status, _, body = post(
        sample, ADMIN, {"query": "{ site { product(entityId: 1) { name } } }"}, {}
    )
    assert status == 401 and body["title"]
    assert sample.requests[-1].path == "/graphql"


def test_every_answer_carries_complexity_and_the_rate_limit(sample: FakeStore) -> None:
    query = PAGE % (20, "edges { node { entityId variants { edges { node { sku } } } } }")
    status, headers, body = post(sample, ADMIN, {"query": query})
    assert status == 200 and "errors" not in body
    # products (1) + 20 x (edges, node, entityId, variants) + 20 x 10 x (edges, node, sku)
    assert headers["X-Bc-Graphql-Complexity"] == str(1 + 1 + 20 * 4 + 200 * 3)
    assert "X-Rate-Limit-Requests-Left" in headers


def test_too_complex_a_query_is_refused(sample: FakeStore) -> None:
    categories = "categories(first: 50) { edges { node { entityId name description } } }"
    query = f"{{ site {{ products(first: 50) {{ edges {{ node {{ {categories} }} }} }} }} }}"
    status, headers, body = post(sample, ADMIN, {"query": query})
    assert status == 200 and body["errors"][0]["extensions"]["code"] == "COMPLEXITY_LIMIT"
    assert int(headers["X-Bc-Graphql-Complexity"]) > 10_000
    assert "data" not in body


def test_fragments_spread_many_times_are_scored_quickly_and_refused(sample: FakeStore) -> None:
    # F0 spreads F1 twice, F1 spreads F2 twice, ...: 2**40 fields once expanded.
    fragments = [f"fragment F{n} on Product {{ ...F{n + 1} ...F{n + 1} }}" for n in range(40)]
    fragments.append("fragment F40 on Product { name }")
    query = "{ site { product(entityId: 1) { ...F0 } } }\n" + "\n".join(fragments)
    status, headers, body = post(sample, ADMIN, {"query": query})
    assert status == 200 and body["errors"][0]["extensions"]["code"] == "COMPLEXITY_LIMIT"
    assert int(headers["X-Bc-Graphql-Complexity"]) > 2**40


def test_a_huge_document_is_refused_by_the_parser(sample: FakeStore) -> None:
    query = "{ site { " + "product(entityId: 1) { name } " * 5000 + "} }"
    status, _, body = post(sample, ADMIN, {"query": query})
    assert status == 200 and "tokens" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (PAGE % (51, "edges { node { name } }"), None, "first must be between 1 and 50"),
        (
            "{ site { products(first: null) { edges { node { name } } } } }",
            None,
            "first must be between 1 and 50, got null.",
        ),
        (PAGE % (5, "edges { node { name } }"), {"after": "bm9wZQ=="}, "not valid"),
        (PAGE % (5, "edges { node { name } }"), {"after": 5}, "String cannot represent"),
    ],
)
def test_bad_arguments_are_errors_with_200(
    sample: FakeStore, query: str, variables: Any, message: str
) -> None:
    status, _, body = post(sample, ADMIN, {"query": query, "variables": variables})
    assert status == 200
    assert message in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{not json", 400), ({"variables": {}}, 400), ({"query": "{ a }", "variables": [1]}, 400)],
)
def test_a_body_that_is_not_a_graphql_request_is_a_400(
    sample: FakeStore, body: Any, status: int
) -> None:
    assert post(sample, ADMIN, body)[0] == status


def test_only_post_is_allowed(sample: FakeStore) -> None:
    reply = sample.handle("GET", ADMIN, TOKEN, b"")
    assert reply.status == 405


def test_a_mutation_changes_the_store_and_counts_as_a_write(sample: FakeStore) -> None:
    query = (
        "mutation { updateProduct(input: {productId: 2, price: 12.5}) "
        "{ product { prices { price { value } } } } }"
    )
    _, _, body = post(sample, ADMIN, {"query": query})
    assert body["data"]["updateProduct"]["product"]["prices"]["price"]["value"] == 12.5
    assert sample.api("GET", "/v3/catalog/products/2")["data"]["price"] == 12.5
    assert sample.writes["POST /graphql"] == 1
    post(sample, ADMIN, {"query": "{ site { product(entityId: 2) { name } } }"})
    assert sample.writes["POST /graphql"] == 1


def test_a_refused_mutation_is_an_error_and_no_write(sample: FakeStore) -> None:
    taken = sample.api("GET", "/v3/catalog/products/1")["data"]["name"]
    query = (
        "mutation M($n: String!) "
        "{ updateProduct(input: {productId: 2, name: $n}) { product { name } } }"
    )
    status, _, body = post(sample, ADMIN, {"query": query, "variables": {"n": taken}})
    assert status == 200 and body["data"] == {"updateProduct": None}
    assert body["errors"][0]["extensions"]["status"] == 409
    assert sample.writes["POST /graphql"] == 0


def test_storefront_tokens_are_checked(api: Caller) -> None:
    soon = int(time.time()) + 60
    assert api.post("/v3/storefront/api-token", {"channel_id": 1}).status == 422
    assert api.post("/v3/storefront/api-token", {"expires_at": soon}).status == 422
    both = {"channel_id": 1, "channel_ids": [1], "expires_at": soon}
    assert api.post("/v3/storefront/api-token", both).status == 422
    past = {"channel_id": 1, "expires_at": int(time.time()) - 1}
    assert api.post("/v3/storefront/api-token", past).status == 422
    three = {"channel_id": 1, "expires_at": soon, "allowed_cors_origins": ["a", "b", "c"]}
    assert api.post("/v3/storefront/api-token", three).status == 422
    private = {"channel_id": 1, "expires_at": soon}
    assert api.post("/v3/storefront/api-token-private", private).status == 422  # no scopes


def test_storefront_graphql_needs_a_storefront_token(api: Caller) -> None:
    store = api.store
    query = {"query": "{ site { product(entityId: 1) { entityId } } }"}
    assert post(store, "/graphql", query, {"Authorization": "Bearer nope"})[0] == 401
    assert post(store, "/graphql", query, {"X-Auth-Token": "secret-token"})[0] == 401
    sf = token(api)
    assert post(store, "/graphql", query, {"Authorization": f"Bearer {sf}"})[0] == 200


def test_storefront_sessions_are_checked(api: Caller) -> None:
    store = api.store
    customer = {"email": "x@example.com", "first_name": "X", "last_name": "Y"}
    api.post("/v3/customers", [{**customer, "authentication": {"new_password": "pw-123456"}}])
    query = {"query": "{ customer { email } }"}
    plain = {"Authorization": f"Bearer {token(api)}"}
    impersonation = {
        "Authorization": f"Bearer {token(api, '/v3/storefront/api-token-customer-impersonation')}"
    }
    unscoped = {
        "Authorization": "Bearer "
        + token(api, "/v3/storefront/api-token-private", scopes=["Unauthenticated"])
    }
    assert post(store, "/graphql", query, {**plain, "X-Bc-Customer-Id": "1"})[0] == 403
    status, _, body = post(store, "/graphql", query, {**impersonation, "X-Bc-Customer-Id": "1"})
    assert (status, body["data"]) == (200, {"customer": {"email": "x@example.com"}})
    login = (
        'mutation { login(email: "x@example.com", password: "pw-123456") '
        "{ customerAccessToken { value } } }"
    )
    _, _, body = post(store, "/graphql", {"query": login}, plain)
    access = body["data"]["login"]["customerAccessToken"]["value"]
    assert (
        post(store, "/graphql", query, {**unscoped, "X-Bc-Customer-Access-Token": access})[0] == 403
    )
    signed_in = {**plain, "X-Bc-Customer-Access-Token": access}
    assert (
        post(store, "/graphql", query, signed_in)[2]["data"]["customer"]["email"] == "x@example.com"
    )
    logged = store.requests[-1].headers
    assert logged["x-bc-customer-access-token"] == logged["authorization"] == "[redacted]"
    post(store, "/graphql", {"query": "mutation { logout { result } }"}, signed_in)
    assert post(store, "/graphql", query, signed_in)[0] == 401


def test_a_customer_id_that_is_not_a_short_ascii_number_is_a_400(api: Caller) -> None:
    impersonation = {
        "Authorization": f"Bearer {token(api, '/v3/storefront/api-token-customer-impersonation')}"
    }
    query = {"query": "{ customer { entityId } }"}
    for customer_id in ("9" * 5000, "\u00b2", "\u0661", "1 ", "-1"):
        headers = {**impersonation, "X-Bc-Customer-Id": customer_id}
        status, _, body = post(api.store, "/graphql", query, headers)
        assert (status, body["errors"][0]["message"]) == (
            400,
            "X-Bc-Customer-Id must be a customer ID.",
        )


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity_are_not_json(sample: FakeStore, constant: bytes) -> None:
    body = b'{"query": "{ __typename }", "variables": {"x": ' + constant + b"}}"
    status, _, answer = post(sample, ADMIN, body)
    assert (status, answer) == (
        400,
        {"errors": [{"message": "The request body is not valid JSON."}]},
    )
    reply = sample.handle(
        "PUT", "/stores/abc123/v3/catalog/products/1", TOKEN, b'{"price": ' + constant + b"}"
    )
    assert (
        reply.status == 400
        and b"NaN"
        not in sample.handle("GET", "/stores/abc123/v3/catalog/products/1", TOKEN, b"").body
    )


def test_a_body_nested_too_deeply_is_a_400_not_a_crash(sample: FakeStore) -> None:
    deep = (
        b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    )
    status, _, body = post(sample, ADMIN, deep)
    assert (status, body) == (400, {"errors": [{"message": "The request body is not valid JSON."}]})
    reply = sample.handle(
        "POST",
        "/stores/abc123/v3/catalog/products",
        TOKEN,
        b"[" * 100_000,
    )
    assert reply.status == 400


def test_the_storefront_does_not_show_hidden_products(api: Caller) -> None:
    store = FakeStore.with_sample_data(products=12)
    for hidden in (2, 3, 4, 5, 6, 12):
        store.api("PUT", f"/v3/catalog/products/{hidden}", json={"is_visible": False})
    headers = {"Authorization": f"Bearer {token(Caller(store))}"}
    page = PAGE % (3, "pageInfo { hasNextPage endCursor } edges { node { entityId } }")
    shown, after, more = [], None, True
    while more:
        body = post(store, "/graphql", {"query": page, "variables": {"after": after}}, headers)[2]
        products = body["data"]["site"]["products"]
        shown += [e["node"]["entityId"] for e in products["edges"]]
        more, after = products["pageInfo"]["hasNextPage"], products["pageInfo"]["endCursor"]
    assert shown == [1, 7, 8, 9, 10, 11]
    one = "{ site { product(entityId: 2) { name } } }"
    assert post(store, "/graphql", {"query": one}, headers)[2]["data"]["site"]["product"] is None
    admin = post(store, ADMIN, {"query": one})[2]["data"]["site"]["product"]
    assert admin is not None


def test_a_graphql_product_update_sets_off_the_product_webhook() -> None:
    store = FakeStore.with_sample_data(products=3, store_hash="abc123")
    store.register_app("client-id", "client-secret-0123456789", "https://app.example.com/auth")
    seen: list[bytes] = []

    def inbox(body: bytes, headers: Any) -> int:
        seen.append(body)
        return 200

    store.webhook_deliveries.route("https://app.example.com/hooks", inbox)
    hook = {
        "scope": "store/product/updated",
        "destination": "https://app.example.com/hooks",
        "is_active": True,
    }
    store.api("POST", "/v3/hooks", json=hook)
    query = 'mutation { updateProduct(input: {productId: 2, name: "Teapot"}) { product { name } } }'
    assert (
        post(store, ADMIN, {"query": query})[2]["data"]["updateProduct"]["product"]["name"]
        == "Teapot"
    )
    assert store.webhook_deliveries.wait(10)
    [event] = [json.loads(body) for body in seen]
    assert (event["scope"], event["data"]["id"], event["producer"]) == (
        "store/product/updated",
        2,
        "stores/abc123",
    )
