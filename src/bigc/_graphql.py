"""GraphQL without I/O: what a document will do, what an answer holds, where a
connection's next page starts.

Whether a document may write decides whether it may be retried, so it is read
with a small lexer (comments, strings and block strings skipped; braces and
parentheses counted) rather than by looking for the word ``mutation``. A full
parser (graphql-core) would be a run-time dependency for one yes/no answer;
the lexer answers "cannot tell" for anything unusual, and "cannot tell" is
treated like a mutation: never repeated.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bigc._models import Response
from bigc.exceptions import GraphQLError, GraphQLErrorDetail, InvalidResponseError, body_excerpt

__all__ = [
    "COMPLEXITY_HEADER",
    "GraphQLResult",
    "connection_page",
    "declares_variable",
    "operation_kind",
    "parse_path",
    "read_result",
    "request_body",
    "retry_method",
]

# BigCommerce's computed complexity of the executed query (its docs list it
# among the GraphQL response headers; more than 10,000 is refused).
COMPLEXITY_HEADER = "X-Bc-Graphql-Complexity"
OPERATION_KINDS = frozenset({"query", "mutation", "subscription"})

_TOKEN = re.compile(
    r"""
    (?P<ignored>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<block>\"\"\"(?:\\\"\"\"|(?!\"\"\")[\s\S])*\"\"\")
  | (?P<string>"(?:\\.|[^"\\\n\r])*")
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<punct>\.\.\.|[!$&()\[\]{}:=@|])
  | (?P<number>-?[0-9][0-9.eE+\-]*)
    """,
    re.VERBOSE,
)


def _tokens(document: str) -> list[tuple[str, str]] | None:
    """(kind, text) of every significant token, or ``None`` if it does not lex."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(document):
        match = _TOKEN.match(document, position)
        if match is None:
            return None
        kind = match.lastgroup or ""
        if kind != "ignored":
            tokens.append((kind, match.group()))
        position = match.end()
    return tokens


def _read_operations(document: str) -> tuple[tuple[str, str | None], ...] | None:
    """(kind, name) of each operation in the document; ``None`` when it cannot tell.

    Definitions start only at nesting depth 0; a field called ``mutation``
    inside a selection set is just a field.
    """
    tokens = _tokens(document)
    if tokens is None:
        return None
    operations: list[tuple[str, str | None]] = []
    depth = 0
    expecting = True  # the next depth-0 token starts a definition
    for index, (kind, text) in enumerate(tokens):
        if depth == 0 and expecting:
            if text == "{":
                operations.append(("query", None))  # the shorthand { … } is a query
            elif kind == "name" and text in OPERATION_KINDS:
                following = tokens[index + 1] if index + 1 < len(tokens) else ("", "")
                operations.append((text, following[1] if following[0] == "name" else None))
            elif not (kind == "name" and text == "fragment"):
                return None  # not an executable definition
            expecting = False
        if text in ("{", "("):
            depth += 1
        elif text in ("}", ")"):
            depth -= 1
            if depth < 0:
                return None
            expecting = expecting or (depth == 0 and text == "}")
    if depth != 0 or not expecting:
        return None
    return tuple(operations)


# The same documents are sent again and again. (Cached by wrapping rather than
# with a decorator, so that scripts/mutation also mutates the reader.)
_operations = functools.lru_cache(maxsize=256)(_read_operations)


def operation_kind(document: str, operation_name: str | None = None) -> str | None:
    """``"query"``, ``"mutation"`` or ``"subscription"`` for the operation the server
    will run, or ``None`` when the document does not say unambiguously."""
    operations = _operations(document)
    if not operations:
        return None
    if operation_name is None:
        return operations[0][0] if len(operations) == 1 else None
    kinds = [kind for kind, name in operations if name == operation_name]
    return kinds[0] if len(kinds) == 1 else None


def retry_method(document: str, operation_name: str | None = None) -> str:
    """The HTTP method whose retry rules apply: ``GET`` for a query, else ``POST``."""
    return "GET" if operation_kind(document, operation_name) == "query" else "POST"


def declares_variable(document: str, variable: str) -> bool:
    """Whether ``$variable`` appears in the document outside strings and comments."""
    tokens = _tokens(document) or []
    return any(
        first == ("punct", "$") and second == ("name", variable)
        for first, second in itertools.pairwise(tokens)
    )


def request_body(
    document: str, variables: Mapping[str, Any] | None, operation_name: str | None
) -> dict[str, Any]:
    """The JSON body of a GraphQL request (keys left out when not given)."""
    if not isinstance(document, str):
        raise TypeError(f"query must be a str, not {type(document).__name__}")
    if not document.strip():
        raise ValueError("query must not be empty")
    if variables is not None and not isinstance(variables, Mapping):
        raise TypeError(f"variables must be a mapping, not {type(variables).__name__}")
    if operation_name is not None and not isinstance(operation_name, str):
        raise TypeError(f"operation_name must be a str, not {type(operation_name).__name__}")
    body: dict[str, Any] = {"query": document}
    if variables is not None:
        body["variables"] = dict(variables)
    if operation_name is not None:
        body["operationName"] = operation_name
    return body


@dataclass(frozen=True)
class GraphQLResult:
    """A GraphQL answer without errors: its ``data``, ``extensions`` and the
    ``complexity`` score BigCommerce reported (``None`` when it did not)."""

    data: dict[str, Any]
    complexity: int | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)
    response: Response | None = field(default=None, repr=False, compare=False)


def _complexity(response: Response) -> int | None:
    value = response.headers.get(COMPLEXITY_HEADER)
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _detail(error: Any) -> GraphQLErrorDetail:
    if not isinstance(error, Mapping):
        return GraphQLErrorDetail(message=str(error))
    path = error.get("path")
    locations = error.get("locations")
    extensions = error.get("extensions")
    return GraphQLErrorDetail(
        message=str(error.get("message") or "GraphQL error"),
        path=tuple(path) if isinstance(path, list) else None,
        locations=tuple(x for x in locations if isinstance(x, Mapping))
        if isinstance(locations, list)
        else (),
        extensions=dict(extensions) if isinstance(extensions, Mapping) else {},
    )


def _error_message(details: tuple[GraphQLErrorDetail, ...]) -> str:
    first = details[0]
    where = "" if not first.path else " (at " + ".".join(str(p) for p in first.path) + ")"
    more = f" and {len(details) - 1} more error(s)" if len(details) > 1 else ""
    return f"GraphQL: {first.message}{where}{more}"


def read_result(response: Response) -> GraphQLResult:
    """The result of a GraphQL answer, or :class:`GraphQLError` when it carries errors."""
    body = response.json()
    if not isinstance(body, Mapping) or not ({"data", "errors"} & body.keys()):
        raise InvalidResponseError(
            "BigCommerce sent something other than a GraphQL answer (status "
            f"{response.status_code}): {body_excerpt(response.content)}",
            response=response,
        )
    complexity = _complexity(response)
    errors = body.get("errors")
    data = body.get("data")
    if errors:
        details = tuple(_detail(e) for e in (errors if isinstance(errors, list) else [errors]))
        raise GraphQLError(
            _error_message(details),
            graphql_errors=details,
            data=data,
            complexity=complexity,
            response=response,
        )
    if not isinstance(data, dict):
        raise InvalidResponseError(
            "BigCommerce sent a GraphQL answer with no data and no errors", response=response
        )
    extensions = body.get("extensions")
    return GraphQLResult(
        data, complexity, dict(extensions) if isinstance(extensions, Mapping) else {}, response
    )


def parse_path(path: str | Sequence[str]) -> tuple[str, ...]:
    """A connection's path in ``data``: ``"site.products"`` or ``("site", "products")``."""
    keys = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
    if not keys or not all(isinstance(k, str) and k for k in keys):
        raise ValueError(f"path must name a connection, like 'site.products', got {path!r}")
    return keys


def connection_page(result: GraphQLResult, path: tuple[str, ...]) -> tuple[list[Any], str | None]:
    """(the nodes of this page, the cursor of the next page or ``None`` at the end).

    A ``null`` on the way to the connection (a product that does not exist)
    is an empty connection; anything else that is not a connection is an error.
    """
    value: Any = result.data
    for depth, key in enumerate(path):
        if value is None:
            return [], None
        if not isinstance(value, Mapping) or key not in value:
            raise _bad_page(result, f"no {'.'.join(path[: depth + 1])!r} in the answer")
        value = value[key]
    if value is None:
        return [], None
    if not isinstance(value, Mapping):
        raise _bad_page(result, f"{'.'.join(path)!r} is not a connection")
    info = value.get("pageInfo")
    if not isinstance(info, Mapping) or not isinstance(info.get("hasNextPage"), bool):
        raise _bad_page(result, "select pageInfo { hasNextPage endCursor } on the connection")
    nodes = _nodes(value, result)
    if not info["hasNextPage"]:
        return nodes, None
    cursor = info.get("endCursor")
    if not isinstance(cursor, str) or not cursor:
        raise _bad_page(result, "hasNextPage is true but endCursor is missing")
    return nodes, cursor


def _nodes(connection: Mapping[str, Any], result: GraphQLResult) -> list[Any]:
    if "edges" in connection:
        edges = connection["edges"]
        if not isinstance(edges, list) or not all(
            isinstance(e, Mapping) and "node" in e for e in edges
        ):
            raise _bad_page(result, "select edges { node { … } } on the connection")
        return [edge["node"] for edge in edges]
    if isinstance(connection.get("nodes"), list):
        return list(connection["nodes"])
    raise _bad_page(result, "select edges { node { … } } on the connection")


def _bad_page(result: GraphQLResult, problem: str) -> InvalidResponseError:
    return InvalidResponseError(
        f"cannot page through the connection: {problem}", response=result.response
    )
