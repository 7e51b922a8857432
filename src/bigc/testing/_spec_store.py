"""The fake store's answer to every operation without hand-written behaviour.

Hand-written resources (products, orders, customers, carts, …) come first;
:meth:`SpecStore.fallback` hands the rest to stateful collections driven by
BigCommerce's OpenAPI files (see ``_spec_routes``):

- a created item gets the next ID and today's dates, starts as the spec's
  sample item with the request's fields laid over it, and can be fetched, listed (with the
  operation's pagination: v2 pages, v3 offset or cursor pages), filtered by
  the simple query filters the spec declares, updated and deleted;
- items under a parent (``/brands/{id}/metafields``) exist only while the
  parent does: the parent is looked up through the whole store, hand-written
  or not, and deleting a spec-driven parent drops its sub-collections;
- a collection nothing can add to (countries, store logs) holds the spec's
  example item; a singleton (store information, settings) answers its
  example and keeps what a PUT writes;
- answers are shaped as the spec declares (v3 ``data``/``meta``, v2 bare
  bodies, 204s) and request bodies are checked by ``_spec_validate``.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from bigc.testing._dates import iso, rfc2822, utcnow
from bigc.testing._http import ApiError, Call, json_reply
from bigc.testing._listing import (
    Field,
    Matches,
    by_key,
    has_filters,
    page_and_limit,
    select,
    v2_list,
    v3_cursor_list,
    v3_list,
)
from bigc.testing._redact import drop_secrets, is_secret
from bigc.testing._reply import Reply
from bigc.testing._routes import Handler, Router
from bigc.testing._spec_routes import Collection, Operation, spec_routes
from bigc.testing._spec_validate import checked_body, json_type
from bigc.testing._table import Record

__all__ = ["SpecStore"]

Found = tuple[dict[str, Handler], tuple[str, ...]]
_READS = frozenset({"GET", "HEAD"})
Items = dict[str, Record]  # by str(ID), in insertion (= ID) order


class SpecStore:
    """Stateful collections and singletons for every spec-driven operation.

    ``router`` holds the hand-written routes: they win wherever they serve a
    method at least as specifically, and parents are looked up through them.
    """

    def __init__(self, router: Router) -> None:
        self._routes = spec_routes()
        self._router = router
        self._items: dict[tuple[str, tuple[str, ...]], Items] = {}
        self._singletons: dict[tuple[str, tuple[str, ...]], Any] = {}
        self._next_ids: dict[str, int] = {}
        # The field naming an item's parent (a metafield's ``resource_id``), by collection.
        self._parent_fields = {
            c.parts: c.parent_field for c in self._routes.collections.values() if c.parent_field
        }

    def fallback(self, method: str, segments: list[str], found: Found | None) -> Found | None:
        """The hand-written route if it serves ``method`` here at least as specifically,
        else the spec-driven one (else ``found`` as it was: a 404 or 405)."""
        served = found is not None and method in found[0]
        # Where a hand-written route serves the method, only a more specific one can win.
        spec = self._routes.match(segments, len(found[1]) if found and served else 99)
        if spec is None:
            return found
        ops, args = spec
        if found is not None and method not in ops:
            return found
        return {m: partial(self._serve, op) for m, op in ops.items()}, args

    def serves(self, method: str, template: str) -> bool:
        """Whether this layer (not a hand-written route) answers ``method`` on a path
        template such as ``/v3/catalog/brands/{brand_id}/metafields``."""
        segments = ["1" if p.startswith("{") else p for p in template.strip("/").split("/")]
        return self._spec_operation(method, segments) is not None

    def _spec_operation(self, method: str, segments: list[str]) -> Operation | None:
        """The operation of this layer that answers ``method`` on ``segments``, if any."""
        found = self.fallback(method, segments, self._router.match(segments))
        handler = found[0].get(method) if found else None
        if isinstance(handler, partial) and handler.func == self._serve:
            op: Operation = handler.args[0]
            return op
        return None

    # -- one operation ----------------------------------------------------------------

    def _serve(self, op: Operation, call: Call) -> Reply:
        self._check_parent(call, op)
        items = checked_body(call, op)
        return _ROLES[op.role](self, op, call, items)

    def _list(self, op: Operation, call: Call, _: list[Record]) -> Reply:
        records = list(self._visible(op, call).values())
        matches = _filtered(op, call, records)
        render = partial(_render, op)
        if op.paging == "v2":
            return v2_list(call, matches, render)
        if op.paging == "offset":
            return v3_list(call, matches, render)
        if op.paging == "cursor" and all(isinstance(r.get("id"), int) for r in records):
            return v3_cursor_list(call, matches, render)
        if op.paging == "cursor":
            return v3_list(call, matches, render)
        return _answer(op, [render(r) for r in matches], call)

    def _get(self, op: Operation, call: Call, _: list[Record]) -> Reply:
        if op.answer == "list":  # part of a key (a variant's prices in every currency)
            return _answer(op, [_render(op, r) for r in self._matching(op, call)], call)
        return _answer(op, _render(op, self._find(op, call)))

    def _create(self, op: Operation, call: Call, items: list[Record]) -> Reply:
        if not items:
            raise call.invalid("The request body must name at least one item to create.")
        created = [self._insert(op, call, body if isinstance(body, dict) else {}) for body in items]
        if op.role == "create" and op.answer != "list":
            return _answer(op, _render(op, created[0]))
        return _answer(op, [_render(op, r) for r in created])

    def _update(self, op: Operation, call: Call, items: list[Record]) -> Reply:
        collection = op.collection
        if not collection.generates_ids and not self._matching(op, call):
            fields = collection.key_fields or (collection.id_key,)
            named = dict(zip(fields, call.args[-op.item_ids :], strict=True))
            self._upsert(op, call, named)  # the client names it: a PUT sets it
        record = self._find(op, call)
        _overlay(record, items[0] if items else {}, op.collection.id_key)
        _stamp(record, created=False)
        return _answer(op, _render(op, record))

    def _update_many(self, op: Operation, call: Call, items: list[Any]) -> Reply:
        """Update items by the IDs in the body: through the item's own route where one is
        hand-written, else here (creating missing ones where nothing else can)."""
        id_key = op.collection.id_key
        collection = self._visible(op, call)
        changed = []
        for n, body in enumerate(items):
            if not isinstance(body, dict):
                raise call.invalid(f"Item {n} of the request body must be an object.")
            item_id = op.collection.key_of(body)
            segments = [*call.path.strip("/").split("/"), item_id]
            found = self._router.match(segments)
            if found is not None and "PUT" in found[0]:
                changed.append(_data_of(found[0]["PUT"](_call(call, "PUT", segments, found, body))))
                continue
            record = collection.get(item_id)
            if record is None and op.collection.creatable and op.collection.generates_ids:
                raise call.invalid(
                    f"Item {n} names no existing item by its '{id_key}'.",
                    {f"{n}.{id_key}": "not found"},
                )
            if record is None:  # an upsert: items named by the client (assignments, prices…)
                record = self._upsert(op, call, body)
            _stamp(_overlay(record, body, id_key), created=False)
            changed.append(_render(op, record))
        return _answer(op, changed)

    def _delete(self, op: Operation, call: Call, _: list[Record]) -> Reply:
        record = self._find(op, call)
        self._remove(op, call, record)
        return _answer(op, _render(op, record))

    def _delete_many(self, op: Operation, call: Call, items: list[Record]) -> Reply:
        collection = self._visible(op, call)
        fields = {name: by_key(kind, name) for name, kind in op.filters.items()}
        if items or op.body == "list":
            wanted = {op.collection.key_of(i) if isinstance(i, dict) else str(i) for i in items}
            doomed = [r for k, r in collection.items() if k in wanted]
        elif fields and not has_filters(call, fields):
            raise call.invalid("At least one filter is required to delete in bulk.")
        else:
            doomed = list(select(call, list(collection.values()), fields))
        for record in doomed:
            self._remove(op, call, record)
        if isinstance(op.sample, dict):
            return _answer(op, [_render(op, r) for r in doomed])
        ids = [r.get(op.collection.id_key) for r in doomed]  # the IDs deleted, as declared
        numbers = isinstance(op.sample, int)
        return _answer(op, [int(str(i)) if numbers and str(i).isdigit() else i for i in ids])

    def _read(self, op: Operation, call: Call, _: list[Record]) -> Reply:
        value = self._singleton(op, call)
        listing = self._counted_list(op, call)
        if listing is not None:
            records = list(self._visible(listing, call).values())
            value = {**value, "count": len(_filtered(listing, call, records))}
        return _answer(op, value)

    def _counted_list(self, op: Operation, call: Call) -> Operation | None:
        """For ``GET …/count``, the spec-driven list it counts (else the sample answers)."""
        if not op.path.endswith("/count") or "count" not in (op.sample or {}):
            return None
        listing = self._spec_operation("GET", _segments(op.path, call.args)[:-1])
        return listing if listing is not None and listing.role == "list" else None

    def _write(self, op: Operation, call: Call, items: list[Record]) -> Reply:
        value = self._singleton(op, call)
        if isinstance(value, dict):
            _overlay(value, items[0] if items else {}, "")
        return _answer(op, _render(op, value) if isinstance(value, dict) else value)

    def _clear(self, op: Operation, call: Call, _: list[Record]) -> Reply:
        self._singletons.pop((op.collection.key, call.args), None)
        return _answer(op, copy.deepcopy(op.sample))

    def _action(self, op: Operation, call: Call, items: list[Record]) -> Reply:
        """A POST that creates nothing listable: its sample answer, with what was sent;
        where the answer is the parent itself (a checkout's fees answer the checkout),
        the parent as the store has it."""
        if op.answer == "list":
            return _answer(op, [_overlay(copy.deepcopy(op.sample), i, "") for i in items])
        parent = self._parent_like(op, call)
        if parent is not None:
            return _answer(op, parent)
        value = copy.deepcopy(op.sample)
        if isinstance(value, dict):
            _overlay(value, items[0] if items else {}, "")
        return _answer(op, value)

    # -- state ----------------------------------------------------------------------------

    def _collection(self, op: Operation, call: Call) -> Items:
        parent = call.args[: op.collection.key.count("{}")]
        key = (op.collection.key, parent)
        items = self._items.get(key)
        if items is None:
            items = {}
            if not op.collection.creatable and op.collection.sample:
                seed = copy.deepcopy(dict(op.collection.sample))
                items[op.collection.key_of(seed)] = seed
            if call.method not in _READS:  # a read adds nothing to a store served for days
                self._items[key] = items
        return items

    def _visible(self, op: Operation, call: Call) -> Items:
        """The items a read sees: the collection's own, and across parents every parent's."""
        own = self._collection(op, call)
        if not op.collection.parts:
            return own
        seen = dict(own)
        for (key, parent), items in list(self._items.items()):
            if key == op.collection.parts and self._exists(call, _parent_of(key, parent)):
                seen.update(items)  # a parent deleted by a hand-written route leaves them
        return seen

    def _matching(self, op: Operation, call: Call) -> list[Record]:
        """The items the path's last IDs name: one, or several for part of a key."""
        ids = call.args[len(call.args) - op.item_ids :]
        fields = (op.collection.key_fields or (op.collection.id_key,))[: len(ids)]
        items = self._visible(op, call)
        if len(fields) == len(op.collection.key_fields or fields):
            found = items.get("|".join(ids))
            return [] if found is None else [found]
        return [
            r
            for r in items.values()
            if all(str(r.get(f)) == i for f, i in zip(fields, ids, strict=True))
        ]

    def _find(self, op: Operation, call: Call) -> Record:
        found = self._matching(op, call)
        if not found:
            named = "/".join(call.args[len(call.args) - op.item_ids :])
            raise ApiError(404, f"The resource with id {named!r} was not found.")
        return found[0]

    def _upsert(self, op: Operation, call: Call, named: Mapping[str, Any]) -> Record:
        """A new item whose key the client gave (its fields are in ``named``)."""
        record = copy.deepcopy(dict(op.collection.sample))
        for name in op.collection.key_fields or (op.collection.id_key,):
            if named.get(name) is not None:  # else the example's (the default currency)
                record[name] = named[name]
        _stamp(record, created=True)
        self._collection(op, call)[op.collection.key_of(record)] = record
        return record

    def _insert(self, op: Operation, call: Call, body: Mapping[str, Any]) -> Record:
        collection, items = self._owner(op, call, body)
        record: Record = copy.deepcopy(dict(collection.sample))
        if isinstance(op.sample, dict):  # fields only the create answer shows (image_url)
            record.update(copy.deepcopy({k: v for k, v in op.sample.items() if k not in record}))
        _overlay(record, body, collection.id_key)
        if collection is op.collection:
            _name_parents(record, op, call.args, self._parent_fields.get(collection.key))
        named = body.get(collection.id_key)
        own = not collection.generates_ids and named not in (None, "")
        record[collection.id_key] = named if own else self._new_id(collection)
        _stamp(record, created=True)
        items[collection.key_of(record)] = record
        return record

    def _owner(
        self, op: Operation, call: Call, body: Mapping[str, Any]
    ) -> tuple[Collection, Items]:
        """Where a new item goes: across parents, into the collection of the parent the
        body names (which must exist, as for a create under it); else into this one."""
        field = op.collection.parent_field
        parent = body.get(field) if field else None
        under = self._routes.collections.get(op.collection.parts)
        if parent is None or under is None:
            return op.collection, self._collection(op, call)
        if not self._exists(call, _parent_of(under.key, (str(parent),))):
            raise call.invalid(
                f"The parent {parent!r} named by '{field}' does not exist.", {field: "not found"}
            )
        return under, self._items.setdefault((under.key, (str(parent),)), {})

    def _new_id(self, collection: Collection) -> Any:
        counter = collection.parts or collection.key  # one sequence across parents
        number = self._next_ids.get(counter, 1)
        self._next_ids[counter] = number + 1
        current = collection.sample.get(collection.id_key)
        if isinstance(current, int) and not isinstance(current, bool):
            return number
        if isinstance(current, str) and _is_uuid(current):
            return str(uuid.UUID(int=number, version=4))
        return str(number)

    def _remove(self, op: Operation, call: Call, record: Record) -> None:
        """Delete an item and every collection under it."""
        item_id = op.collection.key_of(record)
        parent = call.args[: op.collection.key.count("{}")]
        self._collection(op, call).pop(item_id, None)
        for key, items in self._items.items():
            if op.collection.parts and key[0] == op.collection.parts:
                items.pop(item_id, None)
        below = op.collection.key + "/{}/"
        owned = (*parent, item_id)
        for key in [
            k for k in self._items if k[0].startswith(below) and k[1][: len(owned)] == owned
        ]:
            del self._items[key]
        for key in [
            k for k in self._singletons if k[0].startswith(below) and k[1][: len(owned)] == owned
        ]:
            del self._singletons[key]

    def _singleton(self, op: Operation, call: Call) -> Any:
        key = (op.collection.key, call.args)
        if key not in self._singletons:
            read = self._routes.match(_segments(op.path, call.args))
            start = copy.deepcopy(read[0]["GET"].sample if read and "GET" in read[0] else op.sample)
            if call.method in _READS:
                return start
            self._singletons[key] = start
        return self._singletons[key]

    def _check_parent(self, call: Call, op: Operation) -> None:
        """404 unless each item the path goes through exists (checked through the store)."""
        template = op.path.strip("/").split("/")
        params = [n for n, part in enumerate(template) if part.startswith("{")]
        last_is_item = template[-1].startswith("{")
        for count, position in enumerate(params[: len(params) - last_is_item], start=1):
            segments = _segments("/".join(template[: position + 1]), call.args[:count])
            if not self._exists(call, segments):
                raise ApiError(404, f"The resource /{'/'.join(segments)} was not found.")

    def _parent_like(self, op: Operation, call: Call) -> Any:
        """The item the path is under, as GET shows it, if the answer has its shape."""
        template = op.path.strip("/").split("/")
        last = max((n for n, p in enumerate(template) if p.startswith("{")), default=-1)
        if last < 0 or not isinstance(op.sample, dict):
            return None
        segments = _segments("/".join(template[: last + 1]), call.args)
        found = self.fallback("GET", segments, self._router.match(segments))
        if found is None or "GET" not in found[0]:
            return None
        answer = _data_of(found[0]["GET"](_call(call, "GET", segments, found, None)))
        shared = len(answer.keys() & op.sample.keys()) if isinstance(answer, dict) else 0
        return answer if shared >= 3 and shared * 2 >= len(op.sample) else None

    def _exists(self, call: Call, segments: list[str]) -> bool:
        """Whether GET on ``segments`` finds something (True where nothing can tell)."""
        found = self.fallback("GET", segments, self._router.match(segments))
        if found is None or "GET" not in found[0]:
            return True
        try:
            return found[0]["GET"](_call(call, "GET", segments, found, None)).status < 400
        except ApiError:
            return False


def _call(call: Call, method: str, segments: list[str], found: Found, body: Any) -> Call:
    """A call to another route of the store, on behalf of ``call``."""
    return Call(method, call.api, "/" + "/".join(segments), {}, body, found[1], call.store_hash)


def _data_of(reply: Reply) -> Any:
    """What a hand-written route answered (raised again if it refused)."""
    answer = json.loads(reply.body) if reply.body else None
    if reply.status >= 400:
        error = answer if isinstance(answer, dict) else (answer or [{}])[0]
        raise ApiError(
            reply.status, error.get("title") or error.get("message"), error.get("errors")
        )
    return answer.get("data", answer) if isinstance(answer, dict) else answer


def _name_parents(
    record: Record, op: Operation, args: tuple[str, ...], parent_field: str | None
) -> None:
    """Set the fields named like the path's parameters (``product_id``), and the one
    naming the parent (``resource_id``), to the parents the item is created under,
    not the sample's."""
    keys = {op.collection.id_key, *op.collection.key_fields}
    names = re.findall(r"\{(\w+)\}", op.path)
    if parent_field and names:
        names[len(args) - 1] = parent_field
    for name, value in zip(names, args, strict=False):
        current = record.get(name)
        if name in keys or current is None:
            continue
        if isinstance(current, str):
            record[name] = value
        elif json_type(current) == "integer" and value.isascii() and value.isdigit():
            record[name] = int(value)


def _filtered(op: Operation, call: Call, records: list[Record]) -> Matches:
    """The items of a list operation that the query's filters keep."""
    fields: dict[str, Field] = {name: by_key(kind, name) for name, kind in op.filters.items()}
    return select(call, records, fields)


def _parent_of(key: str, args: tuple[str, ...]) -> list[str]:
    """The path of the item a collection (``/v3/catalog/brands/{}/metafields``) is under."""
    return _segments(key.rsplit("/{}", 1)[0] + "/{}", args)


def _segments(template: str, args: tuple[str, ...]) -> list[str]:
    values = iter(args)
    return [next(values) if p.startswith("{") else p for p in template.strip("/").split("/")]


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _overlay(record: Record, body: Mapping[str, Any], id_key: str) -> Record:
    """Lay the request's fields over a record, where the record has them with the same type.

    Objects are merged field by field, lists of objects item by item on the
    record's first item, so what is stored keeps the shape the spec answers with.
    """
    for name, value in body.items():
        if name == id_key or name not in record or is_secret(name):
            continue  # a password is taken, never kept (nor answered with)
        merged = _merge(record[name], value)
        if merged is not _SKIP:
            record[name] = merged
    return record


_SKIP = object()


def _merge(current: Any, value: Any) -> Any:
    if isinstance(current, dict):
        return _overlay(copy.deepcopy(current), value, "") if isinstance(value, dict) else _SKIP
    if isinstance(current, list):
        if not isinstance(value, list) or not current:
            return _SKIP
        merged = [_merge(current[0], item) for item in value]
        return _SKIP if any(m is _SKIP for m in merged) else merged
    if current is None:
        return _SKIP
    if isinstance(current, str):
        same = isinstance(value, str) and _shape(current) in ("text", _shape(value))
        return value if same else _SKIP
    kinds = {json_type(current), json_type(value)}
    return value if len(kinds) == 1 or kinds == {"integer", "number"} else _SKIP


_SHAPES = (
    ("date-time", re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")),
    ("date", re.compile(r"\d{4}-\d\d-\d\d$")),
    ("uri", re.compile(r"https?://")),
    ("email", re.compile(r"[^@\s]+@[^@\s]+$")),
)


def _shape(text: str) -> str:
    """What a string field holds (a date, a URL…), so a stored item keeps its format."""
    return next((name for name, pattern in _SHAPES if pattern.match(text)), "text")


_CREATED = ("date_created", "created_at")
_MODIFIED = ("date_modified", "updated_at", "date_updated")


def _stamp(record: Record, created: bool) -> None:
    """Set an item's creation and change dates to now, written as its example writes them
    (ISO 8601, or RFC 2822 on v2)."""
    now = utcnow()
    for name in (*_CREATED, *_MODIFIED) if created else _MODIFIED:
        current = record.get(name)
        if isinstance(current, str) and _shape(current) == "date-time":
            record[name] = iso(now)
        elif isinstance(current, str) and _RFC_2822.match(current):
            record[name] = rfc2822(now)


_RFC_2822 = re.compile(r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} ")


def _render(op: Operation, record: Record) -> Record:
    """An item as this operation shows it: its sample's fields, then the item's."""
    sample = op.sample if op.answer in ("object", "list") else None
    if isinstance(sample, dict) and sample.keys() - record.keys():
        record = {**sample, **record}
    shown: Record = drop_secrets(record)  # samples show passwords; BigCommerce's answers do not
    return shown


def _answer(op: Operation, data: Any, call: Call | None = None) -> Reply:
    """``data`` shaped as the operation declares: enveloped, bare or no body."""
    if op.status == 204 or (op.answer == "none" and not isinstance(data, dict)):
        return Reply(op.status)
    if op.answer == "none":  # a 200 the spec leaves empty: show what was written
        return json_reply(op.status, {"data": data, "meta": {}} if op.api == "v3" else data)
    if op.answer == "value" or (op.answer == "object" and isinstance(data, list)):
        data = copy.deepcopy(op.sample)  # what a batch answers (a transaction ID, say)
    elif op.answer == "list" and not isinstance(data, list):
        data = [data]  # a few single-item writes answer a list of one
    if op.answer == "text":
        return Reply(op.status, [("Content-Type", op.media)], str(data).encode())
    if not op.envelope:
        return json_reply(op.status, data)
    meta = dict(op.meta or {})
    if isinstance(data, list):
        _one_page(meta, len(data), call)
    return json_reply(op.status, {"data": data, "meta": meta})


def _one_page(meta: dict[str, Any], count: int, call: Call | None) -> None:
    """The paging blocks of an unpaged list: everything on one page, no next one."""
    per_page = max(count, page_and_limit(call)[1] if call else count, 1)
    if "pagination" in meta:
        meta["pagination"] = {
            "total": count,
            "count": count,
            "per_page": per_page,
            "current_page": 1,
            "total_pages": 1,
            "links": {"current": "?page=1"},
        }
    if "cursor_pagination" in meta:
        meta["cursor_pagination"] = {"count": count, "per_page": per_page, "links": {}}


_Role = Callable[[SpecStore, Operation, Call, list[Record]], Reply]
_ROLES: dict[str, _Role] = {
    "list": SpecStore._list,
    "get": SpecStore._get,
    "create": SpecStore._create,
    "create_many": SpecStore._create,
    "update": SpecStore._update,
    "update_many": SpecStore._update_many,
    "delete": SpecStore._delete,
    "delete_many": SpecStore._delete_many,
    "read": SpecStore._read,
    "write": SpecStore._write,
    "clear": SpecStore._clear,
    "action": SpecStore._action,
}
