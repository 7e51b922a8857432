"""Building request URLs: escaped path parameters, checked paths, encoded queries."""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter
from typing import Any
from urllib.parse import quote, urlencode

__all__ = ["build_path", "encode_query", "escape_id", "validate_path"]


def escape_id(value: object, name: str = "id") -> str:
    """Percent-encode one path parameter so it can only ever be one segment.

    ``escape_id('../../v2/orders')`` keeps the dots but encodes the slashes,
    so a hostile ID can never climb out of the resource it was meant for.
    """
    if value is None or isinstance(value, bool):
        raise ValueError(f"{name} must be a non-empty ID, got {value!r}")
    text = str(value)
    if not text.strip():
        raise ValueError(f"{name} must be a non-empty ID, got {value!r}")
    escaped = quote(text, safe="")
    if escaped in {".", ".."}:
        # A lone dot segment would be collapsed by URL normalisation.
        escaped = escaped.replace(".", "%2E")
    return escaped


def build_path(template: str, *ids: object) -> str:
    """Fill the slots of a path template with escaped IDs, in order.

    A slot is ``{}`` or named, ``{cart_id}``; the name is what the
    ``ValueError`` for an empty ID calls it (``{}`` is called ``id``).
    """
    parts = list(Formatter().parse(template))
    slots = [name for _, name, _, _ in parts if name is not None]
    if len(slots) != len(ids):
        raise TypeError(f"{template!r} has {len(slots)} ID slots, got {len(ids)} IDs")
    values = iter(ids)
    pieces: list[str] = []
    for literal, name, _, _ in parts:
        pieces.append(literal)
        if name is not None:
            pieces.append(escape_id(next(values), name or "id"))
    return "".join(pieces)


def validate_path(path: str) -> str:
    """Check a path given to ``api_v2``/``api_v3`` and return it with a leading slash."""
    if not isinstance(path, str):
        raise TypeError(f"path must be a str, not {type(path).__name__}")
    if "?" in path or "#" in path:
        raise ValueError(f"path must not contain '?' or '#' (use params for the query): {path!r}")
    if not path.strip("/"):
        raise ValueError(f"path must name a resource, got {path!r}")
    return path if path.startswith("/") else "/" + path


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (set, frozenset)):
        return ",".join(sorted(_query_value(v) for v in value))
    if isinstance(value, (list, tuple)):
        return ",".join(_query_value(v) for v in value)
    return str(value)


def encode_query(params: Mapping[str, Any] | None) -> str:
    """Encode query parameters the way BigCommerce expects.

    Lists, tuples and sets are comma-joined, booleans are ``true``/``false``,
    ``None`` values are left out and anything else goes through ``str()``.
    """
    if not params:
        return ""
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping, not {type(params).__name__}")
    pairs = [(str(k), _query_value(v)) for k, v in params.items() if v is not None]
    return urlencode(pairs, safe=",:[]")
