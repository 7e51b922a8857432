"""The spec-driven operations: read once per process from ``spec_operations.json``.

``scripts/build_spec_store.py`` writes that file from BigCommerce's OpenAPI
files (it ships inside the package, so the fake store needs no spec files at
run time). Here each entry becomes an :class:`Operation` with the ``role`` it
plays in a stateful collection, decided from the operations around it:

- a path ending in a parameter is an item: ``get``, ``update``, ``delete``
  (a POST there is an ``action``);
- a path ending in a word is a collection or a singleton: ``list``,
  ``create``, ``create_many``, ``update_many``, ``delete_many``, or, where
  nothing is listed, ``read``/``write``/``clear`` of one object, or an
  ``action`` (a POST that creates nothing anyone can list or fetch).

Items of ``/v3/catalog/brands/{brand_id}/metafields`` live in the collection
``/v3/catalog/brands/{}/metafields``, keyed by the parent's ID.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Collection", "Operation", "SpecRoutes", "spec_routes"]

TABLE_FILE = "spec_operations.json"


@dataclass(frozen=True)
class Collection:
    """What the items of one collection look like: ``sample`` is a new item's start."""

    key: str  # "/v3/catalog/brands/{}/metafields"
    sample: Mapping[str, Any]
    id_key: str
    creatable: bool  # False: seeded with the sample, since nothing can add to it
    # A collection across parents (``/catalog/brands/metafields``) shows the items of
    # every parent (``parts``: ``/catalog/brands/{}/metafields``); an item created
    # here goes under the parent its ``parent_field`` names.
    parts: str = ""
    parent_field: str = ""
    # Items addressed by more than one ID (``/records/{variant_id}/{currency_code}``):
    # the fields that name one, in path order. Empty: ``id_key`` alone.
    key_fields: tuple[str, ...] = ()

    @property
    def generates_ids(self) -> bool:
        """Whether the store makes up new items' IDs (else the client names them)."""
        return self.id_key in ("id", "uuid") and not self.key_fields

    def key_of(self, item: Mapping[str, Any]) -> str:
        """The key an item is kept under: its ID, or its key fields joined."""
        return "|".join(str(item.get(f)) for f in self.key_fields or (self.id_key,))


@dataclass(frozen=True)
class Operation:
    """One operation as the table describes it (see ``scripts/build_spec_store.py``)."""

    method: str
    path: str
    status: int
    role: str
    collection: Collection
    api: str
    body: str = "none"
    answer: str = "none"
    envelope: bool = False
    sample: Any = None
    meta: Mapping[str, Any] | None = None
    paging: str = "none"
    rule: Mapping[str, Any] = field(default_factory=dict)  # what the body must be
    filters: Mapping[str, str] = field(default_factory=dict)
    example: Any = None
    media: str = "application/json"
    declared: str = ""  # "object": the file declares one object for what is a list

    @property
    def item_ids(self) -> int:
        """How many of the path's arguments name the item (not its parents)."""
        return trailing(template_of(self.path))

    @property
    def item_rule(self) -> Mapping[str, Any]:
        """The rule of the body's object: the body itself, or an item of a list body."""
        return self.rule.get("items", {}) if self.body == "list" else self.rule

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(self.item_rule.get("required", ()))

    @property
    def types(self) -> dict[str, tuple[str, ...]]:
        """The JSON types of the body object's fields, where the spec says."""
        props = self.item_rule.get("properties", {})
        return {name: tuple(r["type"]) for name, r in props.items() if "type" in r}

    @property
    def enums(self) -> dict[str, tuple[Any, ...]]:
        props = self.item_rule.get("properties", {})
        return {name: tuple(r["enum"]) for name, r in props.items() if "enum" in r}


Template = tuple[str | None, ...]  # None marks a parameter


def template_of(path: str) -> Template:
    return tuple(None if p.startswith("{") else p for p in path.strip("/").split("/"))


def collection_key(template: Template) -> str:
    """The collection a path's items live in: the item path without its IDs at the end."""
    while template[-1] is None:
        template = template[:-1]
    return "/" + "/".join("{}" if p is None else p for p in template)


def trailing(template: Template) -> int:
    """How many IDs end a path: 0 for a collection, 1 for an item, 2 for ``/{a}/{b}``."""
    count = 0
    while count < len(template) and template[-1 - count] is None:
        count += 1
    return count


class SpecRoutes:
    """Every spec-driven operation, found by path segments in a few comparisons."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        by_path: dict[str, dict[str, dict[str, Any]]] = {}
        for entry in entries:
            by_path.setdefault(entry["path"], {})[entry["method"]] = entry
        self.collections = _collections(by_path)
        templates = {path: template_of(path) for path in by_path}
        parents = {t[:-1] for t in templates.values() if t[-1] is None}  # paths with items
        self.operations: list[Operation] = []
        self._index: dict[tuple[int, str, str], list[tuple[int, Template, dict[str, Operation]]]]
        self._index = {}
        self._static: dict[Template, dict[str, Operation]] = {}
        for path, methods in by_path.items():
            template = templates[path]
            read = methods.get("GET", {}).get("answer")  # "list", "object" (a singleton)…
            ops = {
                method: _operation(entry, _role(method, template, entry, read, parents), self)
                for method, entry in methods.items()
            }
            self.operations.extend(ops.values())
            if None not in template:  # a path of words only: found by a dict lookup
                self._static[template] = ops
                continue
            bucket = self._index.setdefault(_bucket(template), [])
            bucket.append((template.count(None), template, ops))
        for bucket in self._index.values():  # a word beats a parameter
            bucket.sort(key=lambda item: item[0])

    def match(
        self, segments: list[str], fewer_than: int = 99
    ) -> tuple[dict[str, Operation], tuple[str, ...]] | None:
        """The operations by method at this path and its arguments, or None.

        ``fewer_than``: only templates with fewer parameters count (a route found
        elsewhere with that many already fits as specifically).
        """
        if fewer_than < 1:
            return None
        static = self._static.get(tuple(segments))
        if static is not None:
            return static, ()
        if len(segments) < 2 or fewer_than < 2:
            return None
        key = (len(segments), segments[0], segments[1])
        for params, template, ops in self._index.get(key, ()):
            if params >= fewer_than:
                return None
            args: list[str] = []
            for want, got in zip(template, segments, strict=True):
                if want is None:
                    args.append(got)
                elif want != got:
                    break
            else:
                return ops, tuple(args)
        return None


def _bucket(template: Template) -> tuple[int, str, str]:
    return (len(template), template[0] or "", template[1] or "")


def _collections(by_path: Mapping[str, Mapping[str, dict[str, Any]]]) -> dict[str, Collection]:
    """Each collection's item sample (what GET of an item shows, else what a list shows)."""
    samples: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    creatable: set[str] = set()
    params: dict[str, list[str]] = {}  # collection -> its items' path parameters
    parents: dict[str, str] = {}  # collection -> the name of its parent's path parameter
    for path, methods in by_path.items():
        template = template_of(path)
        key = collection_key(template)
        names = [p.strip("{}") for p in path.strip("/").split("/")]
        ids = trailing(template)
        if ids and len(names[-ids:]) >= len(params.get(key, ())):
            params[key] = names[-ids:]
        inside = template[: len(template) - ids]
        if None in inside:  # the last parent's parameter: "product_id"
            parents[key] = names[max(n for n, part in enumerate(inside) if part is None)]
        for method, entry in methods.items():
            sample = entry.get("sample")
            if not isinstance(sample, Mapping):
                continue
            if method == "GET" and template[-1] is None:
                samples.setdefault(key, []).append((0, sample))
            elif method == "GET" and entry.get("answer") == "list":
                samples.setdefault(key, []).append((1, sample))
            elif method == "POST" and template[-1] is not None:
                samples.setdefault(key, []).append((2, sample))
                creatable.add(key)
    result = {}
    for key, found in samples.items():
        sample = min(found, key=lambda item: item[0])[1]
        names = params.get(key, [])
        id_key = _id_key(sample, names[0] if names else None, key in creatable)
        fields = tuple(_field_for(sample, name) for name in names) if len(names) > 1 else ()
        result[key] = Collection(key, sample, id_key, key in creatable, key_fields=fields)
    for key, parent in parents.items():
        across, per_parent = result.get(key.replace("/{}/", "/", 1)), result.get(key)
        if across is None or per_parent is None or key.count("{}") != 1:
            continue
        if per_parent.sample.keys() - across.sample.keys():
            continue  # items of another shape (a tree's categories): kept apart
        field = next((n for n in (parent, "resource_id") if n in across.sample), "")
        result[across.key] = replace(across, parts=key, parent_field=field)
    return result


def _field_for(sample: Mapping[str, Any], param: str) -> str:
    """The item field a path parameter names: itself, or without ``_code``/``_id``."""
    for name in (param, param.removesuffix("_code"), param.removesuffix("_id")):
        if name in sample:
            return name
    return param


def _id_key(sample: Mapping[str, Any], param: str | None, creatable: bool) -> str:
    """The field an item's path parameter names: ``id`` where items have one, else the
    parameter's name (``{variant_id}`` is ``variant_id``), else ``uuid``/``code``.
    Items that are neither created nor have a path of their own (assignments) are
    told apart by the first ``…_id`` field they have."""
    if "id" in sample:  # a ``product_id`` field names another thing than the item
        return "id"
    if param is not None and param in sample and param != "name":
        return param
    for name in ("uuid", "code"):
        if name in sample:
            return name
    if param is None and not creatable:
        return next((k for k in sample if k.endswith(("_id", "_uuid"))), "id")
    return "id"


def _role(
    method: str,
    template: Template,
    entry: Mapping[str, Any],
    read: str | None,
    parents: set[Template],
) -> str:
    """What an operation does to the store, from its method, path and neighbours
    (``read``: what a GET on the same path answers)."""
    listed = read == "list"
    if template[-1] is None:
        return {"GET": "get", "PUT": "update", "PATCH": "update", "DELETE": "delete"}.get(
            method, "action"
        )
    has_items = template in parents
    many = entry.get("body") == "list"
    if method == "GET":
        return "list" if entry.get("answer") == "list" else "read"
    if method == "POST":
        if many and entry.get("answer") == "list":
            return "create_many"
        if listed or has_items:
            return "create"
        return "write" if read == "object" else "action"  # sets what the GET shows
    if method in ("PUT", "PATCH"):
        collection = listed or has_items
        return "update_many" if collection and (many or entry.get("answer") == "list") else "write"
    return "delete_many" if listed or has_items else "clear"


# Items that nothing creates and that carry no ID (an email template by its name, a
# channel's settings) exist at every path, each kept like a singleton.
_AS_SINGLETON = {"get": "read", "update": "write", "delete": "clear"}


def _operation(entry: Mapping[str, Any], role: str, routes: SpecRoutes) -> Operation:
    template = template_of(entry["path"])
    key = collection_key(template)
    sample = entry.get("sample")
    collection = routes.collections.get(key) or Collection(
        key, sample if isinstance(sample, Mapping) else {}, "id", False
    )
    if not collection.creatable and collection.id_key not in collection.sample:
        role = _AS_SINGLETON.get(role, role)
        collection = Collection(entry["path"], collection.sample, collection.id_key, False)
    return Operation(
        method=entry["method"],
        path=entry["path"],
        status=entry["status"],
        role=role,
        collection=collection,
        api=template[0] or "v3",
        body=entry.get("body", "none"),
        answer=entry.get("answer", "none"),
        envelope=entry.get("envelope", False),
        sample=sample,
        meta=entry.get("meta"),
        paging=entry.get("paging", "none"),
        rule=entry.get("rule", {}),
        filters={k: v for k, v in entry.get("filters", {}).items() if k in collection.sample},
        example=entry.get("example"),
        media=entry.get("media", "application/json"),
        declared=entry.get("declared", ""),
    )


@cache
def spec_routes() -> SpecRoutes:
    """The operations, parsed once per process."""
    text = resources.files("bigc.testing").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return SpecRoutes(json.loads(text))
