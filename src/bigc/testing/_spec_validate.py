"""Request checks for the spec-driven operations, the way BigCommerce refuses a body.

A missing required field, a value of the wrong JSON type or one outside the
field's ``enum`` is refused with 422 (v3) or 400 (v2), naming the field, in
BigCommerce's error body (built by ``_http.error_reply``). Items of a batch
body are named by position: ``0.name``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bigc.testing._crud import check_required
from bigc.testing._http import Call
from bigc.testing._spec_routes import Operation

__all__ = ["checked_body", "json_type"]


def json_type(value: Any) -> str:
    """The JSON Schema type of a decoded JSON value (an int is also a number)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def checked_body(call: Call, op: Operation) -> list[Any]:
    """The request's items (one for an object body), each checked against the spec.

    An operation that takes no body gets an empty list; one whose body is
    optional and absent gets one empty item.
    """
    if op.body == "none":
        return []
    if op.body == "list":
        items = call.json_list() if call.body is not None or op.required else []
        for n, item in enumerate(items):
            if not _fits(item, (op.items,)):
                raise call.invalid(
                    f"Item {n} of the request body must be of type {op.items}.",
                    {str(n): f"expected {op.items}, got {json_type(item)}"},
                )
            if isinstance(item, dict):
                _check(call, op, item, f"{n}.")
        return items
    if call.body is None and not op.required:
        return [{}]
    body = call.json_object()
    _check(call, op, body, "")
    return [body]


def _check(call: Call, op: Operation, body: Mapping[str, Any], prefix: str) -> None:
    named = {f"{prefix}{k}": v for k, v in body.items()}
    check_required(call, named, tuple(f"{prefix}{name}" for name in op.required))
    for name, value in body.items():
        allowed = op.types.get(name)
        if allowed is not None and not _fits(value, allowed):
            raise call.invalid(
                f"The field '{prefix}{name}' must be of type {' or '.join(allowed)}.",
                {f"{prefix}{name}": f"expected {' or '.join(allowed)}, got {json_type(value)}"},
            )
        choices = op.enums.get(name)
        if choices is not None and value is not None and value not in choices:
            raise call.invalid(
                f"The field '{prefix}{name}' must be one of {', '.join(map(str, choices))}.",
                {f"{prefix}{name}": f"{value!r} is not an allowed value"},
            )


def _fits(value: Any, allowed: tuple[str, ...]) -> bool:
    kind = json_type(value)
    return kind in allowed or (kind == "integer" and "number" in allowed)
