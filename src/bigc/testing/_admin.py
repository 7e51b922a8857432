"""The served store's admin endpoints under ``/__bigc/``, for tests in any language.

============================  ==========================================================
``GET /__bigc/health``        200 ``{"status": "ok", "connections": n}``, for supervisors
``GET /__bigc/requests``      the request log (``?method=&path=`` filter it as
                              ``store.requests_to`` does), write counts, ``dropped``
``DELETE /__bigc/requests``   forget the log and write counts (204)
``POST /__bigc/faults``       script a fault: ``{"kind": "fail", "method": "POST",
                              "path": "/v3/catalog/products", ...}`` (201, the rule)
``DELETE /__bigc/faults``     forget every scripted fault (204)
============================  ==========================================================

A fault's other fields are the keyword arguments of the store method of the
same name (``times``, ``status``, ``body``, ``headers``, ``applied``,
``seconds``, ``with_headers``, ``reset_ms``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl

from bigc.testing._http import ApiError, error_reply, json_reply, no_content
from bigc.testing._log import RecordedRequest
from bigc.testing._reply import Reply

__all__ = ["ADMIN_PREFIX", "admin_reply"]

ADMIN_PREFIX = "/__bigc/"
_FAULT_KINDS = ("fail", "rate_limit", "delay", "drop", "truncate")
_RULE_FIELDS = ("kind", "method", "path", "times", "applied", "status", "seconds", "hits")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_seconds(value: object) -> bool:
    return (_is_int(value) or isinstance(value, float)) and 0 <= value < 86_400  # type: ignore[operator]


def _is_str_map(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


# Which JSON values each fault field takes (the store's methods trust Python callers).
_OPTION_TYPES: dict[str, Callable[[object], bool]] = {
    "method": lambda v: isinstance(v, str),
    "path": lambda v: isinstance(v, str),
    "times": lambda v: v is None or _is_int(v),
    "status": lambda v: _is_int(v) and 100 <= v <= 599,  # type: ignore[operator]
    "reset_ms": lambda v: _is_int(v) and v >= 0,  # type: ignore[operator]
    "seconds": _is_seconds,
    "applied": lambda v: isinstance(v, bool),
    "with_headers": lambda v: isinstance(v, bool),
    "headers": _is_str_map,
    "body": lambda v: True,
}


@runtime_checkable
class _AdminStore(Protocol):
    """What the admin endpoints need from a store (``FakeStore`` has it all)."""

    writes: Counter[str]

    @property
    def requests(self) -> Sequence[RecordedRequest]: ...

    def requests_to(self, method: str = "*", path: str = "*") -> list[RecordedRequest]: ...

    def clear_log(self) -> None: ...

    def clear_faults(self) -> None: ...


def admin_reply(
    store: object, method: str, target: str, body: bytes, health: Mapping[str, Any]
) -> Reply:
    """Answer one ``/__bigc/…`` request; ``health`` is the server's own state.
    Errors have BigCommerce's v3 shape."""
    path, _, query = target.partition("?")
    try:
        if path == "/__bigc/health":
            _allow(method, "GET")
            return json_reply(200, dict(health))
        if not isinstance(store, _AdminStore):
            raise ApiError(404, "This store has no admin endpoints.")
        if path == "/__bigc/requests":
            return _requests(store, method, dict(parse_qsl(query)))
        if path == "/__bigc/faults":
            return _faults(store, method, body)
        raise ApiError(404, f"The route {path} was not found.")
    except ApiError as error:
        return error_reply("v3", error)


def _allow(method: str, *allowed: str) -> None:
    if method not in allowed:
        raise ApiError(405, f"{method} is not allowed here; use {' or '.join(allowed)}.")


def _requests(store: _AdminStore, method: str, query: dict[str, str]) -> Reply:
    _allow(method, "GET", "DELETE")
    if method == "DELETE":
        store.clear_log()
        return no_content()
    found = store.requests_to(query.get("method", "*"), query.get("path", "*"))
    return json_reply(
        200,
        {
            "requests": [r.summary() for r in found],
            "writes": dict(store.writes),
            "dropped": getattr(store.requests, "dropped", 0),
        },
    )


def _faults(store: _AdminStore, method: str, body: bytes) -> Reply:
    _allow(method, "POST", "DELETE")
    if method == "DELETE":
        store.clear_faults()
        return no_content()
    try:
        spec = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiError(400, "The request body is not valid JSON.") from None
    if not isinstance(spec, dict):
        raise ApiError(422, "A fault is a JSON object.")
    options = dict(spec)
    kind = options.pop("kind", None)
    if kind not in _FAULT_KINDS:
        raise ApiError(422, f"kind must be one of {', '.join(_FAULT_KINDS)}.", {"kind": "invalid"})
    options.setdefault("method", "*")
    options.setdefault("path", "*")
    for name, value in options.items():
        if name not in _OPTION_TYPES:
            raise ApiError(422, f"Unknown fault field {name!r}.", {name: "unknown"})
        if not _OPTION_TYPES[name](value):
            raise ApiError(422, f"The fault field {name!r} has a wrong type.", {name: "invalid"})
    script: Callable[..., Any] = getattr(store, kind)
    try:
        rule = script(options.pop("method"), options.pop("path"), **options)
    except (TypeError, ValueError) as exc:
        raise ApiError(422, f"The fault cannot be scripted: {exc}") from None
    return json_reply(201, {name: getattr(rule, name) for name in _RULE_FIELDS})
