"""Building request URLs: escaped path parameters, checked paths, encoded queries."""

from __future__ import annotations

import re
from collections.abc import Mapping
from string import Formatter
from typing import Any
from urllib.parse import quote, unquote, urlencode

__all__ = ["build_path", "encode_query", "escape_id", "params_dict", "validate_path"]


def escape_id(value: object, name: str = "id") -> str:
    """Percent-encode one path parameter so it can only ever be one segment.

    ``escape_id('../../v2/orders')`` keeps the dots but encodes the slashes,
    so a hostile ID can never climb out of the resource it was meant for.
    Only ``int`` and ``str`` are IDs: anything else (bytes, floats, dicts,
    ``True``) would reach the path through ``str()`` as something else.
    """
    if value is None:
        raise ValueError(f"{name} must be a non-empty ID, got None")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{name} must be an int or a str, not {type(value).__name__}")
    # An IntEnum or (str, Enum) member gives its value, not its name.
    text = str(int(value)) if isinstance(value, int) else str.__str__(value)
    if not text.strip():
        raise ValueError(f"{name} must be a non-empty ID, got {value!r}")
    if text in {".", ".."}:
        # Even encoded, a dot segment may be collapsed by URL normalisation.
        raise ValueError(f"{name} must not be {text!r}")
    return quote(text, safe="")


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


# Characters a path keeps as they are (RFC 3986 pchar and "/"); "%" stays when
# it starts an escape, so that an already-escaped path is not escaped twice.
_PATH_SAFE = "/!$&'()*+,;=:@-._~%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _is_dot_segment(segment: str) -> bool:
    """Whether some server could read ``segment`` as ``.`` or ``..``: also written
    ``%2e``, followed by ``;params`` (``..;``) or next to a backslash (``..\\``)."""
    parts = unquote(segment).split("\\")
    return any(part.split(";", 1)[0] in {".", ".."} for part in parts)


def validate_path(path: str) -> str:
    """Check a path given to ``api_v2``/``api_v3`` and return it escaped, with a leading slash.

    Dot segments (``..``, also as ``%2e%2e``) would climb out of the store's
    API, and control characters would be stripped or split the request line
    by some HTTP stack: both are refused. Everything else is percent-encoded
    here, once, so that both clients send the same bytes.
    """
    if not isinstance(path, str):
        raise TypeError(f"path must be a str, not {type(path).__name__}")
    if "?" in path or "#" in path:
        raise ValueError(f"path must not contain '?' or '#' (use params for the query): {path!r}")
    if _CONTROL.search(path):
        raise ValueError(f"path must not contain control characters: {path!r}")
    if not path.strip("/"):
        raise ValueError(f"path must name a resource, got {path!r}")
    if any(_is_dot_segment(segment) for segment in path.split("/")):
        raise ValueError(f"path must not contain '.' or '..' segments: {path!r}")
    escaped = _LONE_PERCENT.sub("%25", quote(path, safe=_PATH_SAFE))
    return escaped if escaped.startswith("/") else "/" + escaped


def _query_value(value: Any, name: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (set, frozenset)):
        return ",".join(sorted(_query_value(v, name) for v in value))
    if isinstance(value, (list, tuple)):
        return ",".join(_query_value(v, name) for v in value)
    if value is None or isinstance(value, (bytes, bytearray, memoryview, Mapping)):
        # str() would send "None", "b'SKU-1'" or "{...}": a filter matching nothing.
        raise TypeError(
            f"params[{name!r}] must be a str, number, bool or a list of them, "
            f"not {type(value).__name__}"
        )
    return str(value)


def params_dict(params: object) -> dict[str, Any]:
    """A copy of a caller's ``params`` to add to; a TypeError naming it if it is no mapping
    (a query string given as ``'a=b'`` must not fail somewhere deeper)."""
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping, not {type(params).__name__}")
    return dict(params)


def encode_query(params: Mapping[str, Any] | None) -> str:
    """Encode query parameters the way BigCommerce expects.

    Lists, tuples and sets are comma-joined, booleans are ``true``/``false``,
    ``None`` values are left out and anything else but bytes and mappings
    goes through ``str()``.
    """
    if not params:
        return ""
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping, not {type(params).__name__}")
    pairs = [(str(k), _query_value(v, str(k))) for k, v in params.items() if v is not None]
    return urlencode(pairs, safe=",:[]")
