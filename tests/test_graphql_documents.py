"""Reading GraphQL documents and answers without I/O (``bigc._graphql``).

Whether a document may write decides whether it is ever retried, so the
lexer-level reading is checked case by case and against graphql-core's parser.
"""

from __future__ import annotations

import json

import pytest
from graphql import OperationType, get_operation_ast, parse

from bigc import Response
from bigc._graphql import (
    GraphQLResult,
    connection_page,
    declares_variable,
    operation_kind,
    parse_path,
    read_result,
    request_body,
    retry_method,
)
from bigc.exceptions import GraphQLError, InvalidResponseError

DOCUMENTS = [
    ("{ site { products { edges { node { name } } } } }", None, "query"),
    ("query Products { site { name } }", None, "query"),
    ("query { mutation }", None, "query"),  # a field called mutation
    ("# mutation M { x }\nquery Q { a }", None, "query"),  # a comment
    ('query Q { a(text: "mutation M { x }") }', None, "query"),  # a string
    ('query Q { a(text: """ \\""" mutation { x } """) }', None, "query"),  # a block string
    ("fragment F on Product { mutation }\nquery Q { ...F }", None, "query"),
    ("query Q($x: In = {a: [1, 2]}) @cached(ttl: 5) { a }", None, "query"),
    ("mutation M { updateProduct { id } }", None, "mutation"),
    ("mutation { updateProduct { id } }", None, "mutation"),
    ("subscription S { orderCreated { id } }", None, "subscription"),
    ("query A { a }\nmutation B { b }", "A", "query"),
    ("query A { a }\nmutation B { b }", "B", "mutation"),
]
UNKNOWN = [
    ("query A { a }\nmutation B { b }", None),  # the server would refuse: which one?
    ("query A { a }\nmutation B { b }", "C"),  # no such operation
    ("query A { a }\nquery A { b }", "A"),  # two of the same name
    ('query Q { a(text: "unterminated) }', None),
    ("query Q { a ", None),
    ("query Q { a } }", None),
    ("type Query { a: Int }", None),
    ("", None),
    ("query Q { a } ~", None),
]


@pytest.mark.parametrize(("document", "name", "kind"), DOCUMENTS)
def test_the_operation_that_will_run(document: str, name: str | None, kind: str) -> None:
    assert operation_kind(document, name) == kind
    assert retry_method(document, name) == ("GET" if kind == "query" else "POST")


@pytest.mark.parametrize(("document", "name", "kind"), DOCUMENTS)
def test_agrees_with_graphql_core(document: str, name: str | None, kind: str) -> None:
    operation = get_operation_ast(parse(document), name)
    assert operation is not None
    assert operation.operation == OperationType(kind)


@pytest.mark.parametrize(("document", "name"), UNKNOWN)
def test_a_document_that_cannot_be_told_is_treated_as_a_write(
    document: str, name: str | None
) -> None:
    assert operation_kind(document, name) is None
    assert retry_method(document, name) == "POST"


def test_declared_variables_outside_strings_and_comments() -> None:
    assert declares_variable("query Q($after: String) { a(after: $after) }", "after")
    assert not declares_variable('query Q { a(text: "$after") } # $after', "after")
    assert not declares_variable("query Q($afterwards: String) { a }", "after")


def test_request_body_leaves_out_what_was_not_given() -> None:
    assert request_body("{ a }", None, None) == {"query": "{ a }"}
    assert request_body("query Q { a }", {"x": 1}, "Q") == {
        "query": "query Q { a }",
        "variables": {"x": 1},
        "operationName": "Q",
    }


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((b"{ a }", None, None), TypeError),
        (("  ", None, None), ValueError),
        (("{ a }", [1], None), TypeError),
        (("{ a }", None, 5), TypeError),
    ],
)
def test_bad_arguments_are_named(args: tuple[object, object, object], error: type) -> None:
    with pytest.raises(error):
        request_body(*args)  # type: ignore[arg-type]


def answer(body: object, headers: dict[str, str] | None = None) -> Response:
    return Response(
        200, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode()
    )


def test_result_carries_data_extensions_and_complexity() -> None:
    response = answer({"data": {"a": 1}, "extensions": {"x": 2}}, {"X-Bc-Graphql-Complexity": "17"})
    result = read_result(response)
    assert result == GraphQLResult({"a": 1}, 17, {"x": 2})
    assert result.response is response


def test_errors_with_200_carry_every_error_and_the_partial_data() -> None:
    body = {
        "data": {"site": {"product": None}, "other": 1},
        "errors": [
            {"message": "first", "path": ["site", "product"], "extensions": {"code": "X"}},
            {"message": "second", "locations": [{"line": 1, "column": 3}]},
        ],
    }
    with pytest.raises(GraphQLError) as info:
        read_result(answer(body, {"X-Bc-Graphql-Complexity": "4"}))
    error = info.value
    assert error.status_code == 200
    assert error.data == {"site": {"product": None}, "other": 1}
    assert error.complexity == 4
    assert [e.message for e in error.graphql_errors] == ["first", "second"]
    assert error.graphql_errors[0].path == ("site", "product")
    assert error.graphql_errors[0].extensions == {"code": "X"}
    assert error.graphql_errors[1].locations == ({"line": 1, "column": 3},)
    assert str(error) == "200: GraphQL: first (at site.product) and 1 more error(s)"


@pytest.mark.parametrize("body", [{"data": None}, {"nothing": 1}, [1], "text"])
def test_an_answer_that_is_not_graphql_is_invalid(body: object) -> None:
    with pytest.raises(InvalidResponseError):
        read_result(answer(body))


def page(connection: object) -> GraphQLResult:
    return GraphQLResult({"site": {"products": connection}})


def test_connection_pages() -> None:
    path = parse_path("site.products")
    more = {"pageInfo": {"hasNextPage": True, "endCursor": "c2"}, "edges": [{"node": 1}]}
    last = {"pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": [2, 3]}
    assert connection_page(page(more), path) == ([1], "c2")
    assert connection_page(page(last), path) == ([2, 3], None)
    assert connection_page(GraphQLResult({"site": None}), path) == ([], None)


@pytest.mark.parametrize(
    "connection",
    [
        {"edges": []},  # no pageInfo
        {"pageInfo": {"hasNextPage": True, "endCursor": None}, "edges": []},
        {"pageInfo": {"hasNextPage": False}, "edges": [{"cursor": "x"}]},  # no node
        {"pageInfo": {"hasNextPage": False}},  # no edges
        [1, 2],
    ],
)
def test_a_connection_that_cannot_be_paged_is_invalid(connection: object) -> None:
    with pytest.raises(InvalidResponseError):
        connection_page(page(connection), parse_path("site.products"))


def test_a_missing_path_is_invalid_and_a_bad_path_is_refused() -> None:
    with pytest.raises(InvalidResponseError):
        connection_page(GraphQLResult({"site": {}}), parse_path(("site", "products")))
    for bad in ("", "site..products", ()):
        with pytest.raises(ValueError):
            parse_path(bad)
