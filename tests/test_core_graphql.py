"""``bigc._graphql`` edge by edge: the exact messages, and each fallback of the reader."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bigc import Response
from bigc._graphql import (
    GraphQLResult,
    _operations,
    connection_page,
    declares_variable,
    operation_kind,
    parse_path,
    read_result,
    request_body,
)
from bigc.exceptions import GraphQLError, InvalidResponseError


@pytest.fixture(autouse=True)
def read_afresh() -> None:
    """Each test reads its documents itself, not an earlier test's cached reading."""
    _operations.cache_clear()


def answer(body: object, headers: dict[str, str] | None = None, status: int = 200) -> Response:
    return Response(
        status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode()
    )


@pytest.mark.parametrize(
    ("document", "name", "kind"),
    [
        ("query { a }", None, "query"),  # no name: the next token is punctuation
        ("query", None, None),  # nothing after the keyword, and no selection
        ("mutation M", None, None),
        ("{ a }", None, "query"),
        ("{ a } { b }", None, None),  # two anonymous operations
        ("fragment F on T { a } fragment G on T { b }", None, None),  # no operation
        ("fragment F on T { a }\nmutation M { ...F }", None, "mutation"),
        ("query Q($a: Int) { a }\nquery R { b }", "R", "query"),
        ("query Q { a(x: {y: 1}) }", "Q", "query"),
        ("query Q { a } )", None, None),
        ("query Q ( { a }", None, None),
        ("query Q { a }\n\ufeff,  # trailing\n", None, "query"),
        ('query Q { a(x: "\\"}") }', None, "query"),  # an escaped quote inside a string
        ("query Q { a(n: -1.5e+3) }", None, "query"),
        ("query Q { ...on T { a } }", None, "query"),
        ("query Q @include(if: true) { a }", None, "query"),
        ("mutation { a } query Q { b }", None, None),
        ("query Q { a }", "Q", "query"),
        ("query Q { a }", "R", None),
        ("query { a }\nquery B { b }", "{", None),  # "{" is no operation's name
        ("type T { a: Int }\nquery Q { a }", None, None),  # not only executable definitions
    ],
)
def test_operation_kind(document: str, name: str | None, kind: str | None) -> None:
    assert operation_kind(document, name) == kind


def test_declares_variable_only_as_a_dollar_name_pair() -> None:
    assert declares_variable("query Q($after: String) { a }", "after")
    assert not declares_variable("query Q { after }", "after")
    assert not declares_variable("query Q($before: String) { a }", "after")
    assert not declares_variable('query Q { a(x: "unterminated) }', "x")  # does not lex


def test_request_body_copies_the_variables() -> None:
    variables = {"x": 1}
    body = request_body("{ a }", variables, None)
    variables["x"] = 2
    assert body == {"query": "{ a }", "variables": {"x": 1}}
    assert request_body("{ a }", {}, None) == {"query": "{ a }", "variables": {}}
    assert request_body("{ a }", None, "") == {"query": "{ a }", "operationName": ""}


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((b"{ a }", None, None), TypeError, "query must be a str, not bytes"),
        (("", None, None), ValueError, "query must not be empty"),
        ((" \n", None, None), ValueError, "query must not be empty"),
        (("{ a }", [1], None), TypeError, "variables must be a mapping, not list"),
        (("{ a }", None, 5), TypeError, "operation_name must be a str, not int"),
    ],
)
def test_bad_arguments_say_which(args: tuple[Any, Any, Any], error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        request_body(*args)
    assert str(caught.value) == message


@pytest.mark.parametrize(("header", "complexity"), [("17", 17), ("lots", None), (None, None)])
def test_complexity_from_its_header(header: str | None, complexity: int | None) -> None:
    headers = {} if header is None else {"X-Bc-Graphql-Complexity": header}
    assert read_result(answer({"data": {}}, headers)).complexity == complexity


def test_a_result_without_extensions_has_none() -> None:
    assert read_result(answer({"data": {"a": 1}})).extensions == {}
    assert read_result(answer({"data": {"a": 1}, "extensions": [1]})).extensions == {}


def errors_of(body: dict[str, Any]) -> GraphQLError:
    with pytest.raises(GraphQLError) as caught:
        read_result(answer(body))
    return caught.value


def test_one_error_without_a_path() -> None:
    error = errors_of({"data": None, "errors": [{"message": "bad"}]})
    assert str(error) == "200: GraphQL: bad"
    (detail,) = error.graphql_errors
    assert (detail.path, detail.locations, detail.extensions) == (None, (), {})
    assert error.data is None
    assert error.complexity is None


def test_odd_errors_are_still_errors() -> None:
    error = errors_of(
        {
            "errors": {
                "message": "",
                "path": "not a list",
                "locations": [{"line": 2}, "x", 3],
                "extensions": ["no"],
            }
        }
    )
    (detail,) = error.graphql_errors
    assert detail.message == "GraphQL error"
    assert (detail.path, detail.locations, detail.extensions) == (None, ({"line": 2},), {})
    assert str(error) == "200: GraphQL: GraphQL error"
    error = errors_of({"errors": ["plain text", 5], "data": {"a": 1}})
    assert [d.message for d in error.graphql_errors] == ["plain text", "5"]
    assert str(error) == "200: GraphQL: plain text and 1 more error(s)"
    assert error.data == {"a": 1}
    error = errors_of(
        {"errors": [{"message": "m", "path": ["products", 0, "id"], "locations": "x"}]}
    )
    assert str(error) == "200: GraphQL: m (at products.0.id)"
    assert error.graphql_errors[0].locations == ()
    error = errors_of({"errors": [{"message": "m", "path": []}]})
    assert str(error) == "200: GraphQL: m"


def test_an_empty_errors_list_is_no_error() -> None:
    assert read_result(answer({"data": {"a": 1}, "errors": []})).data == {"a": 1}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"nothing": 1}, "BigCommerce sent something other than a GraphQL answer (status 502): "),
        ([1], "BigCommerce sent something other than a GraphQL answer (status 502): "),
        ({"data": None}, "BigCommerce sent a GraphQL answer with no data and no errors"),
        ({"data": [1]}, "BigCommerce sent a GraphQL answer with no data and no errors"),
        (
            {"data": None, "errors": None},
            "BigCommerce sent a GraphQL answer with no data and no errors",
        ),
    ],
)
def test_not_an_answer(body: object, message: str) -> None:
    response = answer(body, status=502)
    with pytest.raises(InvalidResponseError) as caught:
        read_result(response)
    assert caught.value.message.startswith(message)
    assert caught.value.response is response


def test_the_body_excerpt_is_in_the_message() -> None:
    with pytest.raises(InvalidResponseError) as caught:
        read_result(answer({"nothing": 1}))
    assert caught.value.message.endswith('{"nothing": 1}')


def test_parse_path() -> None:
    assert parse_path("site.products") == ("site", "products")
    assert parse_path(["site", "products"]) == ("site", "products")
    assert parse_path("site") == ("site",)
    for bad in ("", ".", "site.", (), ("site", ""), ("site", 1)):
        with pytest.raises(ValueError) as caught:
            parse_path(bad)  # type: ignore[arg-type]
        assert str(caught.value) == (
            f"path must name a connection, like 'site.products', got {bad!r}"
        )


def page_of(data: dict[str, Any]) -> GraphQLResult:
    return GraphQLResult(data, response=answer({"data": data}))


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"other": 1}, "no 'site' in the answer"),
        ({"site": {}}, "no 'site.products' in the answer"),
        ({"site": [1]}, "no 'site.products' in the answer"),
        ({"site": {"products": 5}}, "'site.products' is not a connection"),
        (
            {"site": {"products": {"edges": []}}},
            "select pageInfo { hasNextPage endCursor } on the connection",
        ),
        (
            {"site": {"products": {"pageInfo": [], "edges": []}}},
            "select pageInfo { hasNextPage endCursor } on the connection",
        ),
        (
            {"site": {"products": {"pageInfo": {"hasNextPage": 1}, "edges": []}}},
            "select pageInfo { hasNextPage endCursor } on the connection",
        ),
        (
            {
                "site": {
                    "products": {"pageInfo": {"hasNextPage": True, "endCursor": ""}, "edges": []}
                }
            },
            "hasNextPage is true but endCursor is missing",
        ),
        (
            {
                "site": {
                    "products": {"pageInfo": {"hasNextPage": True, "endCursor": 5}, "edges": []}
                }
            },
            "hasNextPage is true but endCursor is missing",
        ),
        (
            {"site": {"products": {"pageInfo": {"hasNextPage": False}, "edges": {"node": 1}}}},
            "select edges { node { … } } on the connection",
        ),
        (
            {"site": {"products": {"pageInfo": {"hasNextPage": False}, "edges": [{"node": 1}, 2]}}},
            "select edges { node { … } } on the connection",
        ),
        (
            {"site": {"products": {"pageInfo": {"hasNextPage": False}, "nodes": "x"}}},
            "select edges { node { … } } on the connection",
        ),
    ],
)
def test_a_page_that_cannot_be_read_says_why(data: dict[str, Any], problem: str) -> None:
    result = page_of(data)
    with pytest.raises(InvalidResponseError) as caught:
        connection_page(result, ("site", "products"))
    assert caught.value.message == f"cannot page through the connection: {problem}"
    assert caught.value.response is result.response


def test_a_null_connection_or_parent_is_an_empty_page() -> None:
    path = ("site", "products")
    assert connection_page(page_of({"site": {"products": None}}), path) == ([], None)
    assert connection_page(page_of({"site": None}), path) == ([], None)
    assert connection_page(page_of({"site": None}), ("site", "a", "b")) == ([], None)


def test_edges_are_read_before_nodes() -> None:
    connection = {"pageInfo": {"hasNextPage": False}, "edges": [{"node": 1}], "nodes": [9]}
    assert connection_page(page_of({"c": connection}), ("c",)) == ([1], None)
    connection = {"pageInfo": {"hasNextPage": True, "endCursor": "n"}, "nodes": [7, 8]}
    assert connection_page(page_of({"c": connection}), ("c",)) == ([7, 8], "n")
