"""Filtering, sorting and the three kinds of pages BigCommerce returns.

One implementation serves every list endpoint:

- filters come from the query (``name``, ``id:in``, ``price:min``, v2's
  ``min_id`` / ``max_date_modified`` …) and are checked against the fields a
  resource declares filterable; unknown parameters are ignored, as BigCommerce
  does;
- v3 offset pages: ``{"data": [...], "meta": {"pagination": {...}}}``;
- v3 cursor pages (customers): ``meta.cursor_pagination`` with ``after`` / ``before``;
- v2 pages: a bare JSON array, and **204 with an empty body** past the last page.

Page size: default 50. A ``limit`` above 250 is refused on v3 with 422 and a
v3 error body; on v2 it is clamped to 250 (the legacy API silently caps it).
"""

from __future__ import annotations

import base64
import binascii
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from bigc.testing._dates import parse_date
from bigc.testing._http import ApiError, Call, is_ascii_int, json_reply, no_content
from bigc.testing._reply import Reply
from bigc.testing._table import Record, Table

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Field",
    "Matches",
    "Render",
    "by_key",
    "fields_of",
    "has_filters",
    "select",
    "shape",
    "v2_list",
    "v3_cursor_list",
    "v3_list",
    "v3_one",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 250
# Query parameters that steer a list rather than filter it.
_CONTROL = frozenset(
    {"page", "limit", "include", "include_fields", "exclude_fields", "sort", "direction"}
    | {"after", "before"}
)
_OPS = frozenset({"in", "not_in", "min", "max", "greater", "less", "like", "not"})

Matches = Table | list[Record]
Render = Callable[[Record], Record]


@dataclass(frozen=True)
class Field:
    """A filterable field: how to read it from a record and what type it holds."""

    kind: str  # "int", "num", "bool", "str", "date" or "ints" (a list of ids)
    get: Callable[[Record], Any]


def by_key(kind: str, key: str) -> Field:
    """A field read from ``record[key]`` (``a.b`` reads a nested dict)."""
    if "." in key:
        outer, inner = key.split(".", 1)
        return Field(kind, lambda r: (r.get(outer) or {}).get(inner))
    return Field(kind, lambda r: r.get(key))


def fields_of(**kinds: str) -> dict[str, Field]:
    """Filterable fields read straight from the record: ``fields_of(id="int", name="str")``."""
    return {name: by_key(kind, name) for name, kind in kinds.items()}


def select(
    call: Call,
    source: Matches,
    fields: Mapping[str, Field],
    hidden: Set[int] = frozenset(),
) -> Matches:
    """The records of ``source`` that pass the call's filters, sorted as asked.

    Returns a table itself when nothing narrows it, so a lazy table is only
    built page by page; ``id:in`` and an exact match on a table's unique field
    are looked up rather than scanned. ``hidden`` ids (archived orders) are
    left out of every list.
    """
    filters = list(_filters(call, fields))
    matches: Matches = source
    looked_up = _lookup(call, source, filters)
    if looked_up is not None:
        matches, filters = looked_up
    tests = [_test(call, name, op, raw, fields) for name, op, raw in filters]
    if hidden:
        tests.append(lambda r: r["id"] not in hidden)
    if tests:
        matches = [r for r in matches if all(t(r) for t in tests)]
    ordered = _sorted(call, matches, fields)
    return matches if ordered is None else ordered


Filter = tuple[str, str, str]  # (field, op, raw value)


def _lookup(
    call: Call, source: Matches, filters: list[Filter]
) -> tuple[list[Record], list[Filter]] | None:
    """Candidates found by id (``id:in``, ``id``) or unique value, and the filters left."""
    if not isinstance(source, Table):
        return None
    for n, (name, op, raw) in enumerate(filters):
        rest = filters[:n] + filters[n + 1 :]
        if name == "id" and op in ("", "in"):
            wanted = sorted({_coerce(call, "int", v, "id") for v in raw.split(",") if v})
            return [r for r in map(source.get, wanted) if r is not None], rest
        if name == source.unique and op == "":
            owner = source.owner_of(raw)
            found = source.get(owner) if owner is not None else None
            return ([found] if found is not None else []), filters
    return None


def has_filters(call: Call, fields: Mapping[str, Field]) -> bool:
    """Whether the call filters on a field the resource knows (bulk deletes need one)."""
    return next(iter(_filters(call, fields)), None) is not None


def page_and_limit(call: Call) -> tuple[int, int]:
    page = _positive(call, "page", 1)
    limit = _positive(call, "limit", DEFAULT_LIMIT)
    if limit > MAX_LIMIT:
        if call.api == "v3":
            raise ApiError(
                422,
                f"The limit parameter must be at most {MAX_LIMIT}.",
                {"limit": f"must be less than or equal to {MAX_LIMIT}"},
            )
        limit = MAX_LIMIT
    return page, limit


def shape(call: Call, record: Record, render: Render | None = None) -> Record:
    """A record as sent: rendered, then trimmed by ``include_fields`` / ``exclude_fields``."""
    data = render(record) if render is not None else record
    only = call.query.get("include_fields")
    if only:
        wanted = set(only.split(",")) | {"id"}
        return {k: v for k, v in data.items() if k in wanted}
    drop = call.query.get("exclude_fields")
    if drop:
        unwanted = set(drop.split(",")) - {"id"}
        return {k: v for k, v in data.items() if k not in unwanted}
    return data


def v3_one(call: Call, record: Record, render: Render | None = None, status: int = 200) -> Reply:
    return json_reply(status, {"data": shape(call, record, render), "meta": {}})


def v3_list(call: Call, matches: Matches, render: Render | None = None) -> Reply:
    page, limit = page_and_limit(call)
    items = _window(matches, (page - 1) * limit, page * limit)
    total = len(matches)
    total_pages = math.ceil(total / limit)
    links = {"current": _link(call, limit=limit, page=page)}
    if page > 1:
        links["previous"] = _link(call, limit=limit, page=page - 1)
    if page < total_pages:
        links["next"] = _link(call, limit=limit, page=page + 1)
    pagination = {
        "total": total,
        "count": len(items),
        "per_page": limit,
        "current_page": page,
        "total_pages": total_pages,
        "links": links,
        "too_many": False,
    }
    data = [shape(call, r, render) for r in items]
    return json_reply(200, {"data": data, "meta": {"pagination": pagination}})


def v2_list(call: Call, matches: Matches, render: Render | None = None) -> Reply:
    page, limit = page_and_limit(call)
    items = _window(matches, (page - 1) * limit, page * limit)
    if not items:
        return no_content()
    return json_reply(200, [render(r) if render else r for r in items])


def v3_cursor_list(call: Call, matches: Matches, render: Render | None = None) -> Reply:
    """A cursor page. The first page (no ``after`` / ``before``) also carries the
    offset ``pagination`` block, so a client may start either way.

    Cursors are opaque to clients; here they encode the record id, and the
    records are in id order, so ``after`` resumes exactly where a page ended.
    """
    _, limit = page_and_limit(call)
    after, before = call.query.get("after"), call.query.get("before")
    if after is not None:
        start = _position(call, matches, after, past=True)
        stop = start + limit
    elif before is not None:
        stop = _position(call, matches, before, past=False)
        start = max(0, stop - limit)
    else:
        start, stop = 0, limit
    total = len(matches)
    items = _window(matches, start, stop)
    cursors = {
        "count": len(items),
        "per_page": limit,
        "start_cursor": _encode_cursor(items[0]["id"]) if items else "",
        "end_cursor": _encode_cursor(items[-1]["id"]) if items else "",
        "links": _cursor_links(call, limit, items, more_before=start > 0, more_after=stop < total),
    }
    meta: dict[str, Any] = {"cursor_pagination": cursors}
    if after is None and before is None:
        meta["pagination"] = {
            "total": total,
            "count": len(items),
            "per_page": limit,
            "current_page": 1,
            "total_pages": math.ceil(total / limit),
            "links": {"current": _link(call, limit=limit, page=1)},
        }
    data = [shape(call, r, render) for r in items]
    return json_reply(200, {"data": data, "meta": meta})


def _cursor_links(
    call: Call, limit: int, items: list[Record], more_before: bool, more_after: bool
) -> dict[str, str]:
    links = {"current": _link(call, limit=limit)}
    if items and more_before:
        links["previous"] = _link(call, limit=limit, before=_encode_cursor(items[0]["id"]))
    if items and more_after:
        links["next"] = _link(call, limit=limit, after=_encode_cursor(items[-1]["id"]))
    return links


def _encode_cursor(record_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{record_id}".encode()).decode().rstrip("=")


def _decode_cursor(call: Call, cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix == "id" and is_ascii_int(number):
            return int(number)
    except (binascii.Error, UnicodeDecodeError):
        pass
    raise ApiError(422, "The cursor is not valid.", {"after": "invalid cursor"})


def _position(call: Call, matches: Matches, cursor: str, past: bool) -> int:
    """Where a cursor points: just past its record (``after``) or at it (``before``).

    In id order this works even when that record has since been deleted.
    """
    ids, cursor_id = _ids(matches), _decode_cursor(call, cursor)
    if "sort" not in call.query:
        return bisect_right(ids, cursor_id) if past else bisect_left(ids, cursor_id)
    if cursor_id in ids:
        return ids.index(cursor_id) + past
    raise ApiError(422, "The cursor no longer points into this list.", {"cursor": "stale"})


def _ids(matches: Matches) -> list[int]:
    if isinstance(matches, Table):
        return matches.ids()
    return [r["id"] for r in matches]


def _window(matches: Matches, start: int, stop: int) -> list[Record]:
    stop = min(stop, len(matches))  # a page far past the end is simply empty
    start = min(start, stop)
    if isinstance(matches, Table):
        return matches.window(start, stop)
    return matches[start:stop]


def _link(call: Call, **control: Any) -> str:
    kept = {k: v for k, v in call.query.items() if k not in ("page", "limit", "after", "before")}
    return "?" + urlencode({**kept, **control}, safe=",:")


def _positive(call: Call, name: str, default: int) -> int:
    raw = call.query.get(name)
    if raw is None or raw == "":
        return default
    if not is_ascii_int(raw) or int(raw) < 1:
        raise call.invalid(f"The {name} parameter must be a positive integer.", {name: raw})
    return int(raw)


def _filters(call: Call, fields: Mapping[str, Field]) -> Iterable[tuple[str, str, str]]:
    """(field, op, raw value) for each filtering parameter the resource knows."""
    for param, raw in call.query.items():
        if param in _CONTROL:
            continue
        name, _, op = param.partition(":")
        if not op and name not in fields and name[:4] in ("min_", "max_"):
            name, op = name[4:], name[:3]  # v2: min_id, max_date_modified …
        if name in fields and (not op or op in _OPS):
            yield name, op, raw


def _test(
    call: Call, name: str, op: str, raw: str, fields: Mapping[str, Field]
) -> Callable[[Record], bool]:
    field = fields[name]
    get, kind = field.get, field.kind
    if kind == "ints":  # a list field (a product's categories): match any member
        members = {_coerce(call, "int", v, name) for v in raw.split(",") if v}
        if op == "not_in":
            return lambda r: not members.intersection(get(r) or ())
        return lambda r: bool(members.intersection(get(r) or ()))
    if op in ("in", "not_in"):
        values = {_coerce(call, kind, v, name) for v in raw.split(",") if v}
        if op == "in":
            return lambda r: _value(kind, get(r)) in values
        return lambda r: _value(kind, get(r)) not in values
    if op == "like":
        needle = raw.casefold()
        return lambda r: needle in str(get(r) or "").casefold()
    wanted = _coerce(call, kind, raw, name)
    compare = _COMPARE[op]
    return lambda r: _safe(compare, _value(kind, get(r)), wanted)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "": lambda a, b: a == b,
    "not": lambda a, b: a != b,
    "min": lambda a, b: a >= b,
    "max": lambda a, b: a <= b,
    "greater": lambda a, b: a > b,
    "less": lambda a, b: a < b,
}


def _safe(compare: Callable[[Any, Any], bool], a: Any, b: Any) -> bool:
    try:
        return a is not None and compare(a, b)
    except TypeError:
        return False


def _coerce(call: Call, kind: str, raw: str, name: str) -> Any:
    """A query value as the field's type; a value that is not one is a bad request."""
    try:
        if kind in ("int", "num") and not raw.isascii():
            raise ValueError(raw)  # int() and float() also read "٣" and "²"
        if kind == "int":
            return int(raw)
        if kind == "num":
            return float(raw)
        if kind == "bool":
            return {"1": True, "true": True, "0": False, "false": False}[raw.lower()]
        if kind == "date":
            return parse_date(raw)
        return raw.casefold()
    except (ValueError, KeyError):
        raise call.invalid(f"The filter {name!r} has an invalid value.", {name: raw}) from None


def _value(kind: str, value: Any) -> Any:
    """A record's value, normalised the way :func:`_coerce` normalises query values."""
    if value is None:
        return None
    if kind == "date":
        return value if isinstance(value, datetime) else _parse_or_none(str(value))
    if kind == "num":
        return float(value)
    if kind == "str":
        return str(value).casefold()
    return value


def _parse_or_none(text: str) -> datetime | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _sorted(
    call: Call, matches: Iterable[Record], fields: Mapping[str, Field]
) -> list[Record] | None:
    """Sorted by ``sort`` (v3 ``sort=name&direction=desc``, v2 ``sort=date_created:desc``)."""
    sort = call.query.get("sort")
    if not sort:
        return None
    name, _, direction = sort.partition(":")
    direction = direction or call.query.get("direction", "asc")
    if name not in fields:
        return None
    field = fields[name]

    def key(record: Record) -> tuple[bool, Any]:
        value = _value(field.kind, field.get(record))
        return (True, 0) if value is None else (False, value)

    return sorted(matches, key=key, reverse=direction.lower() == "desc")
