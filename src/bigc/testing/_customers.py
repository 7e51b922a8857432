"""Customers v3 (batch writes, cursor pages), their addresses and form-field values,
and customer groups v2.

The v3 customer endpoints write in batches: ``POST``/``PUT`` take a JSON array
of at most 10 customers (more answers 413) and ``DELETE`` takes ``id:in``. A
batch is checked as a whole before anything is written, so a 409 or 422 leaves
the store unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import partial
from typing import Any

from bigc.testing._crud import Crud, Kind, accept, check_required, stamp
from bigc.testing._http import ApiError, Call, is_ascii_int, json_reply, no_content
from bigc.testing._listing import Field, by_key, fields_of, select, v3_cursor_list, v3_list
from bigc.testing._order_records import country_name
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["CustomerGroups", "Customers"]

MAX_CUSTOMER_BATCH = 10


def customer_template() -> Record:
    return {
        "id": 0,
        "email": "",
        "first_name": "",
        "last_name": "",
        "company": "",
        "phone": "",
        "registration_ip_address": "",
        "notes": "",
        "tax_exempt_category": "",
        "customer_group_id": 0,
        "date_created": "",
        "date_modified": "",
        "address_count": 0,
        "attribute_count": 0,
        "authentication": {"force_password_reset": False},
        "accepts_product_review_abandoned_cart_emails": False,
        "store_credit_amounts": [{"amount": 0.0}],
        "origin_channel_id": 1,
        "channel_ids": [1],
    }


def address_template() -> Record:
    return {
        "id": 0,
        "customer_id": 0,
        "first_name": "",
        "last_name": "",
        "company": "",
        "address1": "",
        "address2": "",
        "city": "",
        "state_or_province": "",
        "postal_code": "",
        "country_code": "",
        "country": "",
        "phone": "",
        "address_type": "residential",
    }


def group_template() -> Record:
    return {
        "id": 0,
        "name": "",
        "is_default": False,
        "category_access": {"type": "all"},
        "discount_rules": [],
        "date_created": "",
        "date_modified": "",
        "is_group_for_guests": False,
    }


CUSTOMER = Kind(
    "customer",
    customer_template,
    required=("email", "first_name", "last_name"),
    readonly=frozenset({"id", "date_created", "date_modified", "address_count", "attribute_count"}),
)
ADDRESS = Kind(
    "address",
    address_template,
    required=(
        "first_name",
        "last_name",
        "address1",
        "city",
        "country_code",
        "customer_id",
        "state_or_province",
        "postal_code",
    ),
    readonly=frozenset({"id", "country"}),
)
_NESTED_ADDRESS_REQUIRED = ("first_name", "last_name", "address1", "city", "country_code")


def _digest(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def _authentication(item: dict[str, Any], existing: Record | None) -> Record:
    """What a customer record shows of ``authentication``: BigCommerce takes a
    ``new_password`` but never answers with it."""
    sent = _dict(item.get("authentication"))
    before = _dict((existing or {}).get("authentication"))
    reset = sent.get("force_password_reset", before.get("force_password_reset", False))
    return {"force_password_reset": bool(reset)}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _full_name(record: Record) -> str:
    return f"{record['first_name']} {record['last_name']}"


CUSTOMER_FIELDS: dict[str, Field] = {
    **fields_of(
        id="int",
        email="str",
        company="str",
        phone="str",
        customer_group_id="int",
        registration_ip_address="str",
        date_created="date",
        date_modified="date",
    ),
    "name": Field("str", _full_name),
}
ADDRESS_FIELDS: dict[str, Field] = {
    **fields_of(id="int", customer_id="int", company="str"),
    "name": Field("str", _full_name),
}
FORM_VALUE_FIELDS = {
    **fields_of(customer_id="int", address_id="int"),
    "field_name": by_key("str", "name"),
}


def batch(call: Call, limit: int | None = None) -> list[dict[str, Any]]:
    """The items of a batch body: a JSON array of objects, at most ``limit`` of them."""
    items = call.json_list()
    if limit is not None and len(items) > limit:
        raise ApiError(413, f"At most {limit} items may be sent in one request, got {len(items)}.")
    if not items or not all(isinstance(item, dict) for item in items):
        raise call.invalid("The request body must be a non-empty array of objects.")
    return items


def targets(
    call: Call, table: Table, items: list[dict[str, Any]], noun: str
) -> list[tuple[Record, dict[str, Any]]]:
    """The stored record each batch item names by ``id``; an unknown one is 422."""
    found = []
    for n, item in enumerate(items):
        record = table.get(item["id"]) if isinstance(item.get("id"), int) else None
        if record is None:
            raise call.invalid(
                f"{noun} {item.get('id')!r} was not found.", {f"[{n}].id": "not found"}
            )
        found.append((record, item))
    return found


def required_ids(call: Call) -> list[int]:
    """The ``id:in`` list a batch delete needs."""
    raw = call.query.get("id:in", "")
    ids = [part for part in raw.split(",") if part]
    if not ids or not all(is_ascii_int(part) for part in ids):
        raise call.invalid("The id:in query parameter is required.", {"id:in": "required"})
    return [int(part) for part in ids]


class Customers(Crud):
    """``/v3/customers``, ``/v3/customers/addresses`` and ``/v3/customers/form-field-values``."""

    def __init__(self) -> None:
        super().__init__(Table(unique="email"), CUSTOMER, CUSTOMER_FIELDS)
        self.addresses = Table()
        self.form_values = Table()
        self._address_ids: dict[int, list[int]] = {}
        self._passwords: dict[int, str] = {}  # digests of authentication.new_password

    def routes(self, base: str = "/v3/customers", *, batch_delete: bool = True) -> list[Route]:
        return [
            ("GET", base, self.get_many),
            ("POST", base, self.create_many),
            ("PUT", base, self.update_many),
            ("DELETE", base, self.delete_ids),
            ("GET", base + "/addresses", self.list_addresses),
            ("POST", base + "/addresses", self.create_addresses),
            ("PUT", base + "/addresses", self.update_addresses),
            ("DELETE", base + "/addresses", self.delete_addresses),
            ("POST", base + "/validate-credentials", self.validate_credentials),
            ("GET", base + "/form-field-values", self.list_form_values),
            ("PUT", base + "/form-field-values", self.upsert_form_values),
        ]

    # -- customers ------------------------------------------------------------------

    def get_many(self, call: Call) -> Reply:
        matches = select(call, self.table, self.fields)
        return v3_cursor_list(call, matches, partial(self.render, call))

    def render(self, call: Call, record: Record) -> Record:
        shown = {**record, "address_count": len(self.addresses_of(record["id"]))}
        for name in call.query.get("include", "").split(","):
            if name == "addresses":
                shown["addresses"] = [
                    self.render_address(call, a) for a in self.addresses_of(record["id"])
                ]
            elif name == "formfields":
                shown["form_fields"] = self._form_values_of("customer_id", record["id"])
            elif name == "attributes":
                shown["attributes"] = []
        return shown

    def create_many(self, call: Call) -> Reply:
        items = batch(call, MAX_CUSTOMER_BATCH)
        self._check_batch_emails(items)
        checked = [self._checked_new(call, item) for item in items]
        created = [self._insert_customer(call, body, changes) for body, changes in checked]
        return self._many(call, created)

    def update_many(self, call: Call) -> Reply:
        items = batch(call, MAX_CUSTOMER_BATCH)
        self._check_batch_emails(items)
        plans = []
        for record, item in targets(call, self.table, items, "Customer"):
            changes = accept(call, item, self.kind)
            self.check_unique(call, changes, record["id"])
            if "authentication" in item:
                changes["authentication"] = _authentication(item, record)
            plans.append((record, changes, item))
        for record, changes, item in plans:
            self.table.update(record, changes)
            self._set_password(record["id"], item)
            stamp(record, "iso", created=False)
        return self._many(call, [record for record, _, _ in plans])

    def delete_ids(self, call: Call) -> Reply:
        for customer_id in required_ids(call):
            if self.table.delete(customer_id) is not None:
                self._passwords.pop(customer_id, None)
                for address_id in self._address_ids.pop(customer_id, []):
                    self.addresses.delete(address_id)
        return no_content()

    def _many(self, call: Call, records: list[Record]) -> Reply:
        return json_reply(200, {"data": [self.render(call, r) for r in records], "meta": {}})

    @staticmethod
    def _check_batch_emails(items: list[dict[str, Any]]) -> None:
        seen: set[str] = set()
        for item in items:
            email = str(item.get("email", "")).casefold()
            if email and email in seen:
                raise ApiError(409, f"The email {item['email']!r} appears twice in the batch.")
            seen.add(email)

    def _checked_new(self, call: Call, item: dict[str, Any]) -> tuple[dict[str, Any], Record]:
        check_required(call, item, self.kind.required)
        changes = accept(call, item, self.kind)
        self.check_unique(call, changes, None)
        for address in call.objects(item, "addresses"):
            check_required(call, address, _NESTED_ADDRESS_REQUIRED)
        call.objects(item, "form_fields")
        changes["authentication"] = _authentication(item, None)
        return item, changes

    def _insert_customer(self, call: Call, body: dict[str, Any], changes: Record) -> Record:
        record = self.seed(changes)
        self._set_password(record["id"], body)
        stamp(record, "iso", created=True)
        for address in body.get("addresses") or []:
            self._insert_address(call, {**address, "customer_id": record["id"]})
        for value in body.get("form_fields") or []:
            self._upsert_form_value({**value, "customer_id": record["id"]})
        return record

    def _set_password(self, customer_id: int, item: dict[str, Any]) -> None:
        """Keep a digest of ``authentication.new_password``, never the password."""
        password = _dict(item.get("authentication")).get("new_password")
        if isinstance(password, str) and password:
            self._passwords[customer_id] = _digest(password)

    def validate_credentials(self, call: Call) -> Reply:
        """``POST /v3/customers/validate-credentials``: valid only for the password the
        customer was given (a sample customer has none)."""
        body = call.json_object()
        check_required(call, body, ("email", "password"))
        customer_id = self.table.owner_of(body["email"])
        password = body["password"]
        valid = (
            customer_id is not None
            and isinstance(password, str)
            and self.check_password(customer_id, password)
        )
        return json_reply(200, {"is_valid": valid, "customer_id": customer_id if valid else None})

    def check_password(self, customer_id: int, password: str) -> bool:
        """Whether ``password`` is the one the customer was created with (storefront login)."""
        stored = self._passwords.get(customer_id)
        return stored is not None and hmac.compare_digest(stored, _digest(password))

    # -- addresses --------------------------------------------------------------------

    def addresses_of(self, customer_id: int) -> list[Record]:
        found = (self.addresses.get(i) for i in self._address_ids.get(customer_id, ()))
        return [a for a in found if a is not None]

    def render_address(self, call: Call, record: Record) -> Record:
        if "formfields" not in call.query.get("include", ""):
            return record
        return {**record, "form_fields": self._form_values_of("address_id", record["id"])}

    def list_addresses(self, call: Call) -> Reply:
        matches = select(call, self.addresses, ADDRESS_FIELDS)
        return v3_list(call, matches, partial(self.render_address, call))

    def create_addresses(self, call: Call) -> Reply:
        items = batch(call)
        for item in items:
            check_required(call, item, ADDRESS.required)
            accept(call, item, ADDRESS)
            if item["customer_id"] not in self.table:
                raise call.invalid(
                    f"Customer {item['customer_id']} was not found.", {"customer_id": "not found"}
                )
        created = [self._insert_address(call, item) for item in items]
        return json_reply(200, {"data": created, "meta": {}})

    def update_addresses(self, call: Call) -> Reply:
        items = batch(call)
        plans = [
            (r, accept(call, i, ADDRESS))
            for r, i in targets(call, self.addresses, items, "Address")
        ]
        for record, changes in plans:
            changes.pop("customer_id", None)
            self.addresses.update(record, changes)
            record["country"] = country_name(record["country_code"])
        return json_reply(200, {"data": [record for record, _ in plans], "meta": {}})

    def delete_addresses(self, call: Call) -> Reply:
        for address_id in required_ids(call):
            address = self.addresses.delete(address_id)
            if address is not None:
                self._address_ids[address["customer_id"]].remove(address_id)
        return no_content()

    def _insert_address(self, call: Call, body: dict[str, Any]) -> Record:
        changes = accept(call, body, ADDRESS)
        record = {**address_template(), **changes, "id": self.addresses.new_id()}
        record["country"] = country_name(record["country_code"])
        self._address_ids.setdefault(record["customer_id"], []).append(record["id"])
        for value in body.get("form_fields") or []:
            self._upsert_form_value({**value, "address_id": record["id"]})
        return self.addresses.put(record)

    # -- form-field values -------------------------------------------------------------

    def list_form_values(self, call: Call) -> Reply:
        matches = select(call, self.form_values, FORM_VALUE_FIELDS)
        return v3_list(call, matches, _public_form_value)

    def upsert_form_values(self, call: Call) -> Reply:
        items = batch(call)
        for n, item in enumerate(items):
            owners = [key for key in ("customer_id", "address_id") if key in item]
            if len(owners) != 1 or "name" not in item or "value" not in item:
                raise call.invalid(
                    "Each form-field value needs name, value and one of customer_id or address_id.",
                    {f"[{n}]": "invalid form-field value"},
                )
            table = self.table if owners[0] == "customer_id" else self.addresses
            if item[owners[0]] not in table:
                raise call.invalid(
                    f"{owners[0]} {item[owners[0]]} was not found.", {f"[{n}]": "not found"}
                )
        saved = [self._upsert_form_value(item) for item in items]
        return json_reply(200, {"data": [_public_form_value(v) for v in saved], "meta": {}})

    def _upsert_form_value(self, item: dict[str, Any]) -> Record:
        owner = "customer_id" if "customer_id" in item else "address_id"
        for record in self.form_values:
            if record.get(owner) == item[owner] and record["name"] == item["name"]:
                record["value"] = item["value"]
                return record
        record = {"id": self.form_values.new_id(), "name": item["name"], "value": item["value"]}
        record[owner] = item[owner]
        return self.form_values.put(record)

    def _form_values_of(self, owner: str, owner_id: int) -> list[Record]:
        return [_public_form_value(v) for v in self.form_values if v.get(owner) == owner_id]


def _public_form_value(record: Record) -> Record:
    """A stored form-field value without its internal id (the API has none)."""
    return {k: v for k, v in record.items() if k != "id"}


class CustomerGroups(Crud):
    """``/v2/customer_groups`` (and ``/count``)."""

    def __init__(self) -> None:
        super().__init__(
            Table(unique="name"),
            Kind("customer group", group_template, required=("name",), dates="rfc2822"),
            fields_of(
                id="int",
                name="str",
                is_default="bool",
                date_created="date",
                date_modified="date",
                is_group_for_guests="bool",
            ),
        )

    def routes(
        self, base: str = "/v2/customer_groups", *, batch_delete: bool = False
    ) -> list[Route]:
        return [("GET", base + "/count", self.count), *super().routes(base)]

    def count(self, call: Call) -> Reply:
        return json_reply(200, {"count": len(self.table)})
