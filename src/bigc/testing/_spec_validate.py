"""Request checks for the spec-driven operations, the way BigCommerce refuses a body.

A missing required field, a value of the wrong JSON type, one outside the
field's ``enum`` or a malformed date or email, at any depth the table keeps,
is refused with 422 (v3) or 400 (v2), naming the field by its place in the
body (``line_items.0.quantity``; items of a batch by position: ``0.name``), in
BigCommerce's error body (built by ``_http.error_reply``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bigc.testing._crud import check_required
from bigc.testing._dates import parse_date
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
        _check(call, op.rule, items, "")
        return items
    if call.body is None and not op.required:
        return [{}]
    body = call.json_object()
    _check(call, op.rule, body, "")
    return [body]


def _check(call: Call, rule: Mapping[str, Any], value: Any, name: str) -> None:
    """Refuse ``value`` unless it fits ``rule``; ``name`` is its dotted place in the body."""
    allowed = rule.get("type")
    if allowed and not _fits(value, allowed):
        what = f"The field '{name}'" if name else "The request body"
        raise call.invalid(
            f"{what} must be of type {' or '.join(allowed)}.",
            {name or "body": f"expected {' or '.join(allowed)}, got {json_type(value)}"},
        )
    choices = rule.get("enum")
    if choices and value is not None and value not in choices:
        raise call.invalid(
            f"The field '{name}' must be one of {', '.join(map(str, choices))}.",
            {name: f"{value!r} is not an allowed value"},
        )
    shape = rule.get("format")
    if shape and isinstance(value, str) and not _FORMATS[shape](value):
        raise call.invalid(
            f"The field '{name}' must be a valid {shape}.", {name: f"{value!r} is not a {shape}"}
        )
    prefix = f"{name}." if name else ""
    if isinstance(value, dict):
        named = {f"{prefix}{k}": v for k, v in value.items()}
        check_required(call, named, tuple(f"{prefix}{r}" for r in rule.get("required", ())))
        fields = rule.get("properties", {})
        for key, item in value.items():
            if key in fields:
                _check(call, fields[key], item, f"{prefix}{key}")
    elif isinstance(value, list) and "items" in rule:
        for n, item in enumerate(value):
            _check(call, rule["items"], item, f"{prefix}{n}")


def _fits(value: Any, allowed: Sequence[str]) -> bool:
    kind = json_type(value)
    return kind in allowed or (kind == "integer" and "number" in allowed)


def _is_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


_FORMATS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_date,  # ISO 8601, RFC 2822 or a Unix timestamp, as BigCommerce reads
    "date": _is_date,
    "email": lambda text: re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) is not None,
}
