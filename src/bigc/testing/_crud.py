"""Generic create/read/update/delete over one :class:`Table`, for v2 and v3.

Every simple resource (brands, categories, currencies, customer groups,
webhooks, …) is a :class:`Crud` with a :class:`Kind`: a template record that
names every field with its default (and so its type), the required fields
and which fields a client may not write. Validation, duplicates, dates and
the v2/v3 envelopes are handled here once; resources override
:meth:`Crud.prepare` / :meth:`Crud.render` for what is special about them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bigc.testing._dates import iso, rfc2822, utcnow
from bigc.testing._http import ApiError, Call, json_reply, no_content
from bigc.testing._listing import Field, has_filters, select, v2_list, v3_list, v3_one
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["Crud", "Kind", "accept", "check_required", "money_strings", "stamp"]

_TYPES: dict[type, tuple[type, ...]] = {
    bool: (bool,),
    int: (int,),
    float: (int, float),
    str: (str,),
    list: (list,),
    dict: (dict,),
}


@dataclass(frozen=True)
class Kind:
    """What a record of one kind looks like and what a client must or may send."""

    noun: str
    template: Callable[[], Record]
    required: tuple[str, ...] = ()
    readonly: frozenset[str] = field(default_factory=lambda: frozenset({"id"}))
    dates: str = "iso"  # how date_created/date_modified are written: "iso" or "rfc2822"


def check_required(call: Call, body: Mapping[str, Any], required: tuple[str, ...]) -> None:
    missing = [name for name in required if body.get(name) in (None, "")]
    if missing:
        raise call.invalid(
            f"The required field '{missing[0]}' was not supplied.",
            {name: f"{name} is required" for name in missing},
        )


def accept(call: Call, body: Mapping[str, Any], kind: Kind) -> Record:
    """The writable, known fields of ``body``, checked against the template's types."""
    template = kind.template()
    accepted: Record = {}
    for name, value in body.items():
        if name in kind.readonly or name not in template:
            continue
        default = template[name]
        allowed = _TYPES.get(type(default))  # None for nullable fields: anything goes
        wrong_bool = isinstance(value, bool) and type(default) in (int, float)
        if allowed and (not isinstance(value, allowed) or wrong_bool):
            raise call.invalid(
                f"The field '{name}' must be of type {type(default).__name__}.",
                {name: f"expected {type(default).__name__}, got {type(value).__name__}"},
            )
        accepted[name] = value
    return accepted


def money_strings(
    body: Mapping[str, Any], names: frozenset[str], write: Callable[[float], str]
) -> dict[str, Any]:
    """``body`` with numbers in the ``names`` fields written as strings (v2 money, rates)."""
    return {
        k: write(v) if k in names and isinstance(v, (int, float)) and not isinstance(v, bool) else v
        for k, v in body.items()
    }


def stamp(record: Record, dates: str, created: bool) -> None:
    """Set ``date_modified`` (and ``date_created`` when ``created``) if the record has them."""
    now = utcnow()
    text = iso(now) if dates == "iso" else rfc2822(now)
    if "date_modified" in record:
        record["date_modified"] = text
    if created and "date_created" in record:
        record["date_created"] = text


class Crud:
    """The standard endpoints of one resource: list, create, get, update, delete."""

    def __init__(
        self,
        table: Table,
        kind: Kind,
        fields: Mapping[str, Field],
    ) -> None:
        self.table = table
        self.kind = kind
        self.fields = fields
        self.hidden: set[int] = set()  # ids that lists leave out (archived orders)

    # -- hooks for resources ---------------------------------------------------

    def normalize(self, body: Mapping[str, Any]) -> Mapping[str, Any]:
        """Rewrite a request body before it is checked (numbers sent for v2 money strings)."""
        return body

    def prepare(self, call: Call, changes: Record, existing: Record | None) -> None:
        """Check or complete ``changes`` before they are stored (raise ApiError to refuse)."""

    def render(self, call: Call, record: Record) -> Record:
        """The record as the API shows it (derived fields, ``include``)."""
        return record

    # -- operations --------------------------------------------------------------

    def routes(self, base: str, *, batch_delete: bool = False) -> list[Route]:
        routes: list[Route] = [
            ("GET", base, self.get_many),
            ("POST", base, self.create),
            ("GET", base + "/{id}", self.get),
            ("PUT", base + "/{id}", self.update),
            ("DELETE", base + "/{id}", self.delete),
        ]
        if batch_delete:
            routes.append(("DELETE", base, self.delete_many))
        return routes

    def get_many(self, call: Call) -> Reply:
        matches = select(call, self.table, self.fields, self.hidden)
        render = partial(self.render, call)
        if call.api == "v2":
            return v2_list(call, matches, render)
        return v3_list(call, matches, render)

    def get(self, call: Call) -> Reply:
        return self.one(call, self.find(call, call.int_arg(-1)))

    def create(self, call: Call) -> Reply:
        return self.one(call, self.insert(call, call.json_object()))

    def update(self, call: Call) -> Reply:
        record = self.find(call, call.int_arg(-1))
        return self.one(call, self.change(call, record, call.json_object()))

    def delete(self, call: Call) -> Reply:
        self.remove(call, call.int_arg(-1))
        return no_content()

    def delete_many(self, call: Call) -> Reply:
        """``DELETE /things?id:in=…``; BigCommerce refuses it without a filter."""
        if not has_filters(call, self.fields):
            raise call.invalid("At least one filter is required to delete in bulk.")
        for record in list(select(call, self.table, self.fields, self.hidden)):
            self.remove(call, record["id"])
        return no_content()

    # -- building blocks -----------------------------------------------------------

    def seed(self, values: Record) -> Record:
        """Store a record as given (sample data, defaults), with a new id; no checks."""
        return self.table.put({**self.kind.template(), **values, "id": self.table.new_id()})

    def one(self, call: Call, record: Record, status: int = 200) -> Reply:
        if call.api == "v2":
            return json_reply(status, self.render(call, record))
        return v3_one(call, record, partial(self.render, call), status)

    def find(self, call: Call, record_id: int) -> Record:
        record = self.table.get(record_id)
        if record is None:
            raise ApiError(404, f"The {self.kind.noun} with id {record_id} was not found.")
        return record

    def insert(self, call: Call, body: Mapping[str, Any]) -> Record:
        body = self.normalize(body)
        check_required(call, body, self.kind.required)
        changes = accept(call, body, self.kind)
        self.check_unique(call, changes, None)
        self.prepare(call, changes, None)
        record = self.seed(changes)
        stamp(record, self.kind.dates, created=True)
        return record

    def change(self, call: Call, record: Record, body: Mapping[str, Any]) -> Record:
        changes = accept(call, self.normalize(body), self.kind)
        self.check_unique(call, changes, record["id"])
        self.prepare(call, changes, record)
        self.table.update(record, changes)
        stamp(record, self.kind.dates, created=False)
        return record

    def remove(self, call: Call, record_id: int) -> Record:
        record = self.find(call, record_id)
        self.table.delete(record_id)
        return record

    def check_unique(self, call: Call, changes: Record, own_id: int | None) -> None:
        unique = self.table.unique
        if unique is None or changes.get(unique) is None:
            return
        owner = self.table.owner_of(changes[unique])
        if owner is not None and owner != own_id:
            raise ApiError(
                409,
                f"A {self.kind.noun} with {unique} {changes[unique]!r} already exists.",
                {unique: f"{unique} must be unique"},
            )
