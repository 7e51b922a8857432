"""Reading BigCommerce answers: error mapping and v2/v3 body decoding."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bigc._models import Response, decode_json
from bigc.exceptions import (
    BigCommerceException,
    InvalidResponseError,
    TooManyRequestsError,
    body_excerpt,
    error_class_for_status,
)

__all__ = [
    "decode_v2",
    "decode_v3",
    "error_from_response",
    "expect_dict",
    "expect_list",
    "retry_after_seconds",
]


def _message_and_errors(body: Any) -> tuple[str | None, Mapping[str, Any] | None]:
    """BigCommerce's message: v3 ``title`` (+ ``errors``) or v2 ``[0].message``."""
    if isinstance(body, list) and body and isinstance(body[0], Mapping):
        message = body[0].get("message")
        return (str(message) if message else None), None
    if isinstance(body, Mapping):
        message = body.get("title") or body.get("message") or body.get("detail")
        if not message:  # the OAuth token endpoint: {"error": …, "error_description": …}
            message = body.get("error_description") or body.get("error")
            message = message if isinstance(message, str) else None
        errors = body.get("errors")
        if not message and isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            message = errors[0].get("message")  # a GraphQL answer's error list
        return (str(message) if message else None), (
            errors if isinstance(errors, Mapping) else None
        )
    return None, None


def retry_after_seconds(response: Response) -> float | None:
    """How long BigCommerce asked us to wait, from its own headers, in seconds."""
    headers = response.headers
    reset_ms = headers.get("X-Rate-Limit-Time-Reset-Ms")
    if reset_ms is not None:
        try:
            return max(0.0, float(reset_ms) / 1000.0)
        except ValueError:
            pass
    retry_after = headers.get("X-Retry-After") or headers.get("Retry-After")
    if retry_after is not None:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            pass
    return None


def error_from_response(response: Response) -> BigCommerceException:
    """The exception for a response with status 400 or more."""
    try:
        body = decode_json(response)
    except InvalidResponseError:
        body = None
    message, errors = _message_and_errors(body)
    if message is None and body is None and response.content.strip():
        # An HTML page or plain text from a proxy: say what it was.
        message = f"{error_class_for_status(response.status_code).default_message} Body: " + (
            body_excerpt(response.content)
        )
    cls = error_class_for_status(response.status_code)
    if cls is TooManyRequestsError:
        return TooManyRequestsError(
            message, errors=errors, response=response, retry_after=retry_after_seconds(response)
        )
    return cls(message, errors=errors, response=response)


def _no_body(response: Response) -> bool:
    """Whether the response has no body, and that is fine.

    204 and the answer to a DELETE may be empty; any other empty answer means
    something broke between BigCommerce and us.
    """
    if response.status_code == 204:
        return True
    if response.content.strip():
        return False
    if response.request is not None and response.request.method == "DELETE":
        return True
    raise InvalidResponseError(
        f"BigCommerce sent an empty body where JSON was expected (status {response.status_code})",
        response=response,
    )


def decode_v2(response: Response) -> Any:
    """A v2 body: JSON as is; ``None`` for 204 or an empty DELETE answer."""
    return None if _no_body(response) else response.json()


def decode_v3(response: Response) -> Any:
    """A v3 body unwrapped to its ``data``; ``None`` for 204 or an empty DELETE answer.

    A v3 JSON object without ``data`` is an error: it means something other
    than the API answered (a proxy, a maintenance page).
    """
    if _no_body(response):
        return None
    body = response.json()
    if isinstance(body, Mapping) and "data" in body:
        return body["data"]
    raise InvalidResponseError(
        f"BigCommerce sent a v3 response without 'data' (status {response.status_code}): "
        + body_excerpt(response.content),
        response=response,
    )


def expect_list(value: Any, response_hint: str) -> list[Any]:
    """Check that a decoded result is a JSON list (``None``, no body, is an empty one)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise InvalidResponseError(
        f"expected a JSON list from {response_hint}, got {type(value).__name__}"
    )


def expect_dict(value: Any, response_hint: str) -> dict[str, Any]:
    """Check that a decoded result is one JSON object, as the resource promised."""
    if isinstance(value, dict):
        return value
    raise InvalidResponseError(
        f"expected one JSON object from {response_hint}, got {type(value).__name__}"
    )
