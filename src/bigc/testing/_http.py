"""One parsed call, the errors a handler may raise and the replies it builds.

Handlers raise :class:`ApiError` instead of building error bodies, so the one
place that knows whether the call was v2 or v3 (:func:`error_reply`) decides
the body's shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bigc._models import Headers
from bigc.testing._reply import Reply

__all__ = [
    "JSON_HEADERS",
    "ApiError",
    "Call",
    "error_reply",
    "json_reply",
    "no_content",
]

JSON_HEADERS = (("Content-Type", "application/json"),)
ERROR_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Request Entity Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
}


class ApiError(Exception):
    """A refusal: ``status``, a human message and, for v3, per-field ``errors``."""

    def __init__(
        self, status: int, message: str | None = None, errors: Mapping[str, str] | None = None
    ) -> None:
        self.status = status
        self.message = message or _TITLES.get(status, "Error")
        self.errors = dict(errors or {})
        super().__init__(self.message)


@dataclass(slots=True)
class Call:
    """A routed request: ``args`` are the decoded path parameters, in order."""

    method: str
    api: str  # "v2" or "v3"
    path: str  # after /stores/{hash}, e.g. "/v3/catalog/products/5"
    query: dict[str, str]
    body: Any
    args: tuple[str, ...] = ()
    store_hash: str = ""
    headers: Headers = field(default_factory=Headers)  # the few routes that read one

    def int_arg(self, index: int = 0) -> int:
        """Path parameter ``index`` as an id; a non-number names nothing, hence 404."""
        value = self.args[index]
        if not is_ascii_int(value):
            raise ApiError(404, f"The resource {value!r} was not found.")
        return int(value)

    def json_object(self) -> dict[str, Any]:
        """The body, which must be a JSON object."""
        if not isinstance(self.body, dict):
            raise self.invalid("The request body must be a JSON object.")
        return self.body

    def json_list(self) -> list[Any]:
        """The body, which must be a JSON array (batch endpoints)."""
        if not isinstance(self.body, list):
            raise self.invalid("The request body must be a JSON array.")
        return self.body

    def objects(self, body: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        """``body[key]``: a list of JSON objects, empty when absent."""
        value = body.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.invalid(f"The field '{key}' must be a list of objects.", {key: "invalid"})
        return value

    def invalid(self, message: str, errors: Mapping[str, str] | None = None) -> ApiError:
        """A validation error: 422 on v3, 400 on v2 (BigCommerce's v2 'missing data')."""
        return ApiError(422 if self.api == "v3" else 400, message, errors)


def is_ascii_int(text: str) -> bool:
    """Whether ``int(text)`` reads a plain non-negative number: ASCII digits only
    (``str.isdigit`` also accepts "²" and "٣") and short enough to convert."""
    return 0 < len(text) <= 100 and text.isascii() and text.isdigit()


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def json_reply(status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return Reply(status, [*JSON_HEADERS, *headers], dumps(payload))


def no_content() -> Reply:
    return Reply(204)


def error_body(api: str, status: int, message: str, errors: Mapping[str, str]) -> Any:
    if api == "v2":
        return [{"status": status, "message": message}]
    return {"status": status, "title": message, "type": ERROR_TYPE, "errors": dict(errors)}


def error_reply(api: str, error: ApiError) -> Reply:
    return json_reply(error.status, error_body(api, error.status, error.message, error.errors))
