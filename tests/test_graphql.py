"""GraphQL through both clients, against the fake store in-process and over loopback.

Every test runs four ways: sync and async, with the store's in-process
transport and with the store served on 127.0.0.1. Exact-request tests use the
recording transports of ``tests.support``.
"""

from __future__ import annotations

import json
import pickle
import time
from collections.abc import Iterator
from copy import copy as shallow_copy
from copy import deepcopy
from typing import Any

import pytest

from bigc import (
    AsyncBigCommerceAPI,
    AsyncStorefrontGraphQL,
    BigCommerceAPI,
    Headers,
    RetryPolicy,
    StorefrontGraphQL,
    Timeout,
)
from bigc.exceptions import (
    BigCommerceNetworkError,
    ForbiddenError,
    GraphQLError,
    InternalServerError,
    InvalidResponseError,
    RequestTimeoutError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from bigc.testing import FakeServer, FakeStore
from tests.support import Driver, json_response

TOKEN = "ADMIN-TOKEN"
FAST = RetryPolicy(backoff_base=0.01, backoff_cap=0.02)
PRODUCTS = """
query Products($after: String) {
  site {
    products(first: 50, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { entityId name prices { price { value currencyCode } } } }
    }
  }
}
"""
RENAME = """
mutation Rename($id: Int!, $name: String!) {
  updateProduct(input: {productId: $id, name: $name}) { product { entityId name } }
}
"""
LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { result customerAccessToken { value } }
}
"""


class Setup:
    """One store, one driver (sync or async) and one wire (in-process or loopback)."""

    def __init__(self, kind: str, wire: str, store: FakeStore) -> None:
        self.store = store
        self.driver = Driver(kind)
        self.server = FakeServer(store).__enter__() if wire == "loopback" else None
        self.clients: list[Any] = []

    @property
    def is_async(self) -> bool:
        return self.driver.kind == "async"

    def _wire(self, **options: Any) -> dict[str, Any]:
        if self.server is None:
            transport = self.store.async_transport() if self.is_async else self.store.transport()
            options["transport"] = transport
        options.setdefault("retry_policy", FAST)
        return options

    def api(self, **options: Any) -> Any:
        cls = AsyncBigCommerceAPI if self.is_async else BigCommerceAPI
        options = self._wire(**options)
        if self.server is not None:
            options["base_url"] = self.server.base_url
        client = cls("abc", TOKEN, **options)
        self.clients.append(client)
        return client

    def storefront(self, token: str, **options: Any) -> Any:
        cls = AsyncStorefrontGraphQL if self.is_async else StorefrontGraphQL
        url = self.server.base_url if self.server is not None else "https://shop.example.com"
        client = cls(url, token, **self._wire(**options))
        self.clients.append(client)
        return client

    def call(self, result: Any) -> Any:
        return self.driver.call(result)

    def collect(self, iterator: Any) -> list[Any]:
        return self.driver.collect(iterator)

    def token(self, kind: str = "private") -> str:
        path = {
            "storefront": "/v3/storefront/api-token",
            "private": "/v3/storefront/api-token-private",
            "impersonation": "/v3/storefront/api-token-customer-impersonation",
        }[kind]
        body: dict[str, Any] = {"channel_id": 1, "expires_at": int(time.time()) + 3600}
        if kind == "private":
            body["scopes"] = ["Unauthenticated", "Customer"]
        return str(self.store.api("POST", path, json=body)["data"]["token"])

    def close(self) -> None:
        for client in self.clients:
            self.call(client.aclose() if self.is_async else client.close())
        self.driver.close()
        if self.server is not None:
            self.server.__exit__(None, None, None)


@pytest.fixture(
    params=[
        ("sync", "in-process"),
        ("async", "in-process"),
        ("sync", "loopback"),
        ("async", "loopback"),
    ],
    ids=lambda p: "-".join(p),
)
def setup(request: pytest.FixtureRequest) -> Iterator[Setup]:
    kind, wire = request.param
    store = FakeStore.with_sample_data(products=320, customers=8, orders=40, access_token=TOKEN)
    built = Setup(kind, wire, store)
    yield built
    built.close()


def graphql_requests(store: FakeStore) -> list[Any]:
    return store.requests_to("POST", "/graphql")


# -- queries ------------------------------------------------------------------------------


def test_query_returns_data_and_complexity(setup: Setup) -> None:
    api = setup.api()
    query = "query One($id: Int!) { site { product(entityId: $id) { entityId name } } }"
    result = setup.call(api.graphql.query(query, {"id": 7}, operation_name="One"))
    expected = setup.store.api("GET", "/v3/catalog/products/7")["data"]
    assert result.data == {"site": {"product": {"entityId": 7, "name": expected["name"]}}}
    assert isinstance(result.complexity, int) and result.complexity > 0
    assert result.complexity == int(result.response.headers["X-Bc-Graphql-Complexity"])
    [sent] = graphql_requests(setup.store)
    assert sent.json == {"query": query, "variables": {"id": 7}, "operationName": "One"}
    assert sent.status == 200


def test_prices_variants_categories_customers_and_orders(setup: Setup) -> None:
    api = setup.api()
    query = """{
      site {
        product(entityId: 4) {
          prices { price { value currencyCode } }
          variants { edges { node { sku } } }
          categories { edges { node { name } } }
        }
      }
      customer(entityId: 2) { email orders(first: 50) { edges { node { entityId customerId } } } }
    }"""
    data = setup.call(api.graphql.query(query)).data
    product = setup.store.api("GET", "/v3/catalog/products/4", include="variants")["data"]
    assert data["site"]["product"]["prices"]["price"] == {
        "value": product["price"],
        "currencyCode": "USD",
    }
    skus = [e["node"]["sku"] for e in data["site"]["product"]["variants"]["edges"]]
    assert skus == [v["sku"] for v in product["variants"]]
    names = {e["node"]["name"] for e in data["site"]["product"]["categories"]["edges"]}
    assert len(names) == len(product["categories"])
    customer = setup.store.api("GET", "/v3/customers", **{"id:in": 2})["data"][0]
    assert data["customer"]["email"] == customer["email"]
    orders = [e["node"] for e in data["customer"]["orders"]["edges"]]
    expected = [o["id"] for o in setup.store.api("GET", "/v2/orders", customer_id=2, limit=250)]
    assert [o["entityId"] for o in orders] == expected
    assert all(o["customerId"] == 2 for o in orders)


def test_unknown_field_raises_graphql_error_with_http_200(setup: Setup) -> None:
    api = setup.api()
    with pytest.raises(GraphQLError) as info:
        setup.call(api.graphql.query("{ site { product(entityId: 1) { colour } } }"))
    error = info.value
    assert error.status_code == 200
    assert error.data is None
    [detail] = error.graphql_errors
    assert detail.message == "Cannot query field 'colour' on type 'Product'."
    assert detail.locations == ({"line": 1, "column": 33},)
    assert TOKEN not in str(error) and TOKEN not in repr(error)


def test_syntax_error_raises_graphql_error(setup: Setup) -> None:
    with pytest.raises(GraphQLError) as info:
        setup.call(setup.api().graphql.query("{ site { "))
    assert "Syntax Error" in info.value.graphql_errors[0].message


def test_partial_data_comes_with_the_error(setup: Setup) -> None:
    query = "{ site { product(entityId: 3) { entityId } } customer(entityId: 999) { email } }"
    with pytest.raises(GraphQLError) as info:
        setup.call(setup.api().graphql.query(query))
    error = info.value
    assert error.data == {"site": {"product": {"entityId": 3}}, "customer": None}
    [detail] = error.graphql_errors
    assert detail.path == ("customer",)
    assert detail.extensions == {"code": "NOT_FOUND"}
    assert error.complexity is not None


# -- pagination ------------------------------------------------------------------------


def test_paginate_yields_every_node_exactly_once(setup: Setup) -> None:
    nodes = setup.collect(setup.api().graphql.paginate(PRODUCTS, "site.products"))
    assert [n["entityId"] for n in nodes] == list(range(1, 321))
    sent = graphql_requests(setup.store)
    assert len(sent) == 7  # 320 nodes, 50 a page
    cursors = [r.json.get("variables", {}).get("after") for r in sent]
    assert cursors[0] is None and len(set(cursors)) == 7


def test_stopping_early_reads_at_most_one_page_ahead(setup: Setup) -> None:
    async def take_async(iterator: Any, count: int) -> list[Any]:
        taken = []
        async for node in iterator:
            taken.append(node)
            if len(taken) == count:
                break
        await iterator.aclose()
        return taken

    iterator = setup.api().graphql.paginate(PRODUCTS, "site.products")
    if setup.is_async:
        taken = setup.call(take_async(iterator, 60))
    else:
        taken = [node for _, node in zip(range(60), iterator, strict=False)]
        iterator.close()
    assert [n["entityId"] for n in taken] == list(range(1, 61))
    assert len(graphql_requests(setup.store)) <= 3  # pages 1 and 2, and 3 at most


def test_paginate_starts_after_the_given_cursor(setup: Setup) -> None:
    api = setup.api()
    first = setup.call(api.graphql.query(PRODUCTS))
    cursor = first.data["site"]["products"]["pageInfo"]["endCursor"]
    nodes = setup.collect(api.graphql.paginate(PRODUCTS, ("site", "products"), {"after": cursor}))
    assert [n["entityId"] for n in nodes] == list(range(51, 321))


def test_paginate_checks_its_arguments_before_sending(setup: Setup) -> None:
    api = setup.api()
    with pytest.raises(ValueError, match="after"):
        api.graphql.paginate("{ site { products { edges { node { name } } } } }", "site.products")
    with pytest.raises(ValueError, match="path"):
        api.graphql.paginate(PRODUCTS, "")
    with pytest.raises(ValueError, match="runs a query"):
        api.graphql.paginate(PRODUCTS.replace("query", "mutation", 1), "site.products")
    with pytest.raises(ValueError, match="runs a query"):
        api.graphql.paginate(PRODUCTS + RENAME, "site.products")  # which operation?
    api.graphql.paginate(PRODUCTS + RENAME, "site.products", operation_name="Products")
    assert graphql_requests(setup.store) == []


def test_paginate_stops_on_a_repeated_cursor(driver: Driver) -> None:
    def page(node: int, cursor: str) -> Any:
        connection = {
            "pageInfo": {"hasNextPage": True, "endCursor": cursor},
            "edges": [{"node": {"entityId": node}}],
        }
        return json_response(200, {"data": {"site": {"products": connection}}})

    transport = driver.transport(page(1, "A"), page(2, "B"), page(3, "A"), page(4, "C"))
    api = driver.client(transport)
    seen: list[Any] = []

    async def drain_async() -> None:
        async for node in api.graphql.paginate(PRODUCTS, "site.products"):
            seen.append(node)

    with pytest.raises(InvalidResponseError, match="repeated the cursor 'A'"):
        if driver.kind == "async":
            driver.call(drain_async())
        else:
            seen.extend(api.graphql.paginate(PRODUCTS, "site.products"))
    assert seen == [{"entityId": 1}, {"entityId": 2}]
    assert len(transport.requests) == 3


# -- the exact request -------------------------------------------------------------------


def test_admin_request_goes_to_the_store_graphql_endpoint(driver: Driver) -> None:
    transport = driver.transport(default=json_response(200, {"data": {"a": 1}}))
    api = driver.client(transport, base_url="https://api.example.com")
    result = driver.call(api.graphql.query("{ a }", headers={"X-Extra": "1"}))
    assert result.data == {"a": 1} and result.complexity is None
    request = transport.last
    assert (request.method, request.url) == ("POST", "https://api.example.com/stores/STORE/graphql")
    assert request.headers["X-Auth-Token"] == "SECRET-TOKEN"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Extra"] == "1"
    assert json.loads(request.body or b"") == {"query": "{ a }"}


# -- retries -----------------------------------------------------------------------------


def test_a_query_is_retried_after_a_dropped_connection(setup: Setup) -> None:
    setup.store.drop("POST", "/graphql")
    result = setup.call(setup.api().graphql.query("{ site { product(entityId: 1) { name } } }"))
    assert result.data["site"]["product"]["name"]
    assert len(graphql_requests(setup.store)) == 2


def test_a_query_follows_the_client_s_retry_settings(setup: Setup) -> None:
    setup.store.drop("POST", "/graphql")
    strict = setup.api().with_options(get_retries=0)
    with pytest.raises(BigCommerceNetworkError):
        setup.call(strict.graphql.query("{ site { product(entityId: 1) { name } } }"))
    assert len(graphql_requests(setup.store)) == 1


@pytest.mark.parametrize("applied", [True, False], ids=["after-the-write", "before-it"])
def test_a_mutation_is_never_repeated_after_a_dropped_connection(
    setup: Setup, applied: bool
) -> None:
    setup.store.drop("POST", "/graphql", applied=applied)
    api = setup.api(retry_policy=RetryPolicy(get_retries=5, backoff_base=0.01))
    with pytest.raises(BigCommerceNetworkError):
        setup.call(api.graphql.query(RENAME, {"id": 5, "name": "Renamed"}))
    assert len(graphql_requests(setup.store)) == 1
    assert setup.store.writes["POST /graphql"] == (1 if applied else 0)
    name = setup.store.api("GET", "/v3/catalog/products/5")["data"]["name"]
    assert (name == "Renamed") is applied


def test_a_mutation_in_a_document_with_a_query_is_not_retried(setup: Setup) -> None:
    document = "query Read { site { product(entityId: 5) { name } } }\n" + RENAME
    setup.store.fail("POST", "/graphql", status=503, times=1)
    with pytest.raises(ServiceUnavailableError):
        setup.call(
            setup.api().graphql.query(document, {"id": 5, "name": "X"}, operation_name="Rename")
        )
    assert len(graphql_requests(setup.store)) == 1
    setup.store.fail("POST", "/graphql", status=503, times=1)
    result = setup.call(setup.api().graphql.query(document, operation_name="Read"))
    assert result.data["site"]["product"]["name"]
    assert len(graphql_requests(setup.store)) == 3


def test_a_query_is_retried_on_server_errors_and_a_mutation_on_429(setup: Setup) -> None:
    api = setup.api()
    setup.store.fail("POST", "/graphql", status=503, times=2)
    setup.call(api.graphql.query("{ site { product(entityId: 1) { name } } }"))
    assert len(graphql_requests(setup.store)) == 3
    setup.store.clear_log()
    setup.store.rate_limit("POST", "/graphql", reset_ms=20)
    result = setup.call(api.graphql.query(RENAME, {"id": 9, "name": "Once"}))
    assert result.data["updateProduct"]["product"] == {"entityId": 9, "name": "Once"}
    assert len(graphql_requests(setup.store)) == 2
    assert setup.store.writes["POST /graphql"] == 1


def test_variables_that_are_not_json_are_refused_before_sending(setup: Setup) -> None:
    with pytest.raises(TypeError, match="JSON"):
        setup.call(
            setup.api().graphql.query(
                "query Q($x: Int) { site { product(entityId: $x) { name } } }", {"x": object()}
            )
        )
    assert graphql_requests(setup.store) == []


def test_retries_for_a_mutation_are_refused(setup: Setup) -> None:
    api = setup.api()
    with pytest.raises(ValueError, match="mutation"):
        setup.call(api.graphql.query(RENAME, {"id": 1, "name": "x"}, retries=2))
    setup.store.fail("POST", "/graphql", status=503, times=4)
    setup.call(api.graphql.query("{ site { product(entityId: 1) { name } } }", retries=4))
    assert len(graphql_requests(setup.store)) == 5


def test_timeouts_and_hooks_apply(setup: Setup) -> None:
    seen: list[str] = []
    api = setup.api(event_hooks={"request": [lambda r: seen.append(r.url)]})
    setup.store.delay("POST", "/graphql", 2.0, times=None)
    with pytest.raises(RequestTimeoutError):
        setup.call(
            api.graphql.query(
                "{ site { product(entityId: 1) { name } } }", timeout=Timeout(read=0.1), retries=0
            )
        )
    assert len(seen) == 1 and seen[0].endswith("/stores/abc/graphql")


# -- storefront --------------------------------------------------------------------------


def test_storefront_guest_session(setup: Setup) -> None:
    storefront = setup.storefront(setup.token("storefront"))
    data = setup.call(
        storefront.query("{ customer { email } site { product(entityId: 2) { entityId } } }")
    ).data
    assert data == {"customer": None, "site": {"product": {"entityId": 2}}}
    nodes = setup.collect(storefront.paginate(PRODUCTS, "site.products"))
    catalog = [
        product
        for page in (1, 2)
        for product in setup.store.api("GET", "/v3/catalog/products", limit=250, page=page)["data"]
    ]
    visible = [p["id"] for p in catalog if p["is_visible"]]
    assert len(catalog) == 320 and 0 < len(visible) < 320  # the sample hides some
    assert [n["entityId"] for n in nodes] == visible


def test_storefront_customer_session_after_login(setup: Setup) -> None:
    customer = {
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "authentication": {"new_password": "correct-horse-1"},
    }
    setup.store.api("POST", "/v3/customers", json=[customer])
    storefront = setup.storefront(setup.token())
    with pytest.raises(GraphQLError, match="Invalid credentials"):
        setup.call(storefront.query(LOGIN, {"email": "ada@example.com", "password": "wrong"}))
    login = setup.call(
        storefront.query(LOGIN, {"email": "ada@example.com", "password": "correct-horse-1"})
    )
    access = login.data["login"]["customerAccessToken"]["value"]
    signed_in = storefront.as_customer(access)
    data = setup.call(signed_in.query("{ customer { email firstName } }")).data
    assert data == {"customer": {"email": "ada@example.com", "firstName": "Ada"}}
    assert setup.call(storefront.query("{ customer { email } }")).data == {"customer": None}
    with pytest.raises(UnauthorizedError):
        setup.call(storefront.as_customer("not-a-token").query("{ customer { email } }"))
    assert access not in repr(setup.store.requests[-1])


def test_storefront_impersonation_session(setup: Setup) -> None:
    acting = setup.storefront(setup.token("impersonation"), customer_id=3)
    data = setup.call(acting.query("{ customer { entityId } }")).data
    assert data == {"customer": {"entityId": 3}}
    assert setup.call(acting.impersonating(4).query("{ customer { entityId } }")).data == {
        "customer": {"entityId": 4}
    }
    with pytest.raises(ForbiddenError, match="impersonation token"):
        setup.call(
            setup.storefront(setup.token()).impersonating(3).query("{ customer { entityId } }")
        )


def test_storefront_refuses_a_bad_token(setup: Setup) -> None:
    storefront = setup.storefront("sf.made-up")
    with pytest.raises(UnauthorizedError) as info:
        setup.call(storefront.query("{ site { product(entityId: 1) { name } } }"))
    assert info.value.message == "The storefront token is missing, invalid or expired."
    assert "sf.made-up" not in str(info.value)
    assert "sf.made-up" not in repr(storefront)


def test_a_pickled_error_holds_no_token(setup: Setup) -> None:
    sf_token = setup.token()
    customer = "CUSTOMER-ACCESS-TOKEN"
    setup.store.fail("POST", "/graphql", status=500)
    with pytest.raises(InternalServerError) as admin:
        setup.call(setup.api().graphql.query("{ __typename }", retries=0))
    storefront = setup.storefront(sf_token, customer_access_token=customer)
    with pytest.raises(UnauthorizedError) as shopper:
        setup.call(storefront.query("{ __typename }"))
    for error in (admin.value, shopper.value):
        pickled = pickle.dumps(error)
        for secret in (TOKEN, sf_token, customer):
            assert secret.encode() not in pickled
        copy: Any = pickle.loads(pickled)
        assert copy.status_code == error.status_code
        assert error.response is not None and error.response.request is not None
        assert copy.response.request.url == error.response.request.url
        request = error.response.request
        for duplicate in (shallow_copy(request), deepcopy(request)):  # still sendable
            assert duplicate.headers == request.headers and duplicate is not request


@pytest.mark.parametrize(
    ("options", "headers"),
    [
        ({}, {}),
        ({"customer_access_token": "CAT"}, {"X-Bc-Customer-Access-Token": "CAT"}),
        ({"customer_id": 12}, {"X-Bc-Customer-Id": "12"}),
    ],
    ids=["guest", "customer", "impersonation"],
)
def test_storefront_sends_each_session_s_headers(
    driver: Driver, options: dict[str, Any], headers: dict[str, str]
) -> None:
    transport = driver.transport(default=json_response(200, {"data": {"a": 1}}))
    cls: Any = AsyncStorefrontGraphQL if driver.kind == "async" else StorefrontGraphQL
    storefront = cls("https://shop.example.com/", "SF-TOKEN", transport=transport, **options)
    driver.call(storefront.query("{ a }"))
    request = transport.last
    assert (request.method, request.url) == ("POST", "https://shop.example.com/graphql")
    assert request.headers["Authorization"] == "Bearer SF-TOKEN"
    assert "X-Auth-Token" not in request.headers
    session_headers = {k: v for k, v in request.headers.items() if k.startswith("X-Bc-")}
    assert session_headers == headers
    signed_in = storefront.as_customer("OTHER")
    driver.call(signed_in.query("{ a }"))
    assert transport.last.headers["X-Bc-Customer-Access-Token"] == "OTHER"
    assert "X-Bc-Customer-Id" not in transport.last.headers
    assert "SF-TOKEN" not in repr(storefront) and "OTHER" not in repr(
        Headers(transport.last.headers)
    )


def test_a_customer_view_closes_with_its_storefront_and_never_closes_it(driver: Driver) -> None:
    transport = driver.transport(default=json_response(200, {"data": {"a": 1}}))
    cls: Any = AsyncStorefrontGraphQL if driver.kind == "async" else StorefrontGraphQL
    storefront = cls("https://shop.example.com/", "SF-TOKEN", transport=transport)
    view = storefront.as_customer("CAT")
    other = storefront.impersonating(12)
    driver.call(view.aclose() if driver.kind == "async" else view.close())
    driver.call(storefront.query("{ a }"))  # closing a view leaves the storefront open
    assert len(transport.requests) == 1
    driver.call(storefront.aclose() if driver.kind == "async" else storefront.close())
    for closed in (view, other):
        with pytest.raises(RuntimeError, match="client is closed"):
            driver.call(closed.query("{ a }"))
    assert len(transport.requests) == 1


@pytest.mark.parametrize(
    ("args", "options", "error"),
    [
        (("ftp://shop", "t"), {}, ValueError),
        (("https://shop/?channel=2", "t"), {}, ValueError),
        ((b"https://shop", "t"), {}, TypeError),
        (("https://shop", ""), {}, ValueError),
        (("https://shop", "t"), {"customer_id": True}, TypeError),
        (("https://shop", "t"), {"customer_id": 0}, ValueError),
        (("https://shop", "t"), {"customer_id": 1, "customer_access_token": "x"}, ValueError),
        (("https://shop", "t"), {"customer_access_token": " "}, ValueError),
        (("https://shop", "sf-secret\n"), {}, ValueError),
        (("https://user:secret@shop", "t"), {}, ValueError),
        (("htps://user:secret@shop", "t"), {}, ValueError),  # was echoed
        (("https://shop/?a=secret@b", "t"), {}, ValueError),  # was echoed
        (("https://[::1", "t"), {}, "store_url"),  # "Invalid IPv6 URL"
        (("https://shop", "t"), {"customer_access_token": "cat-secret\r\nX-Evil: 1"}, ValueError),
    ],
)
def test_storefront_arguments_are_checked(
    args: tuple[str, str], options: dict[str, Any], error: type[Exception] | str
) -> None:
    expected, names = (ValueError, error) if isinstance(error, str) else (error, None)
    with pytest.raises(expected, match=names) as caught:
        StorefrontGraphQL(*args, **options)
    assert "secret" not in str(caught.value)
