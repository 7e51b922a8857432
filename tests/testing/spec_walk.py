"""Walk every operation of the endpoint table against a fake store.

:class:`Walk` finds real IDs for a path's parameters the way a user would:
it creates the parent item with the spec's example body (or lists the
parent collection and takes the first item), so every operation is called on
something that exists. :func:`check_answer` validates an answer against the
operation's response schema in the official OpenAPI file, with openapi-core.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from bigc._endpoint_table import ENDPOINTS
from bigc._endpoints import Endpoint
from bigc._multipart import EncodedBody, multipart_body
from bigc.testing import FakeStore
from bigc.testing._spec_routes import Operation, spec_routes
from tests.spec_index import SPECS_DIR

HOST = "https://api.bigcommerce.com"
HEADERS = {"X-Auth-Token": "t", "Content-Type": "application/json"}
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Hand-written resources are stricter than their spec's required fields.
BODIES = {
    "POST /v3/carts": {"line_items": [{"product_id": 1, "quantity": 1}]},
    "POST /v2/customer_groups": {"name": "Wholesale"},
    "PUT /v3/carts/{cart_id}": {"customer_id": 1},
    "POST /v3/catalog/products/{product_id}/variants": {"sku": "SKU-NEW", "option_values": []},
    "POST /v3/checkouts/{checkout_id}/coupons": {"coupon_code": "SAVE10"},
    "POST /v3/storefront/api-token": {"channel_id": 1, "expires_at": 4102444800},
    "POST /v3/storefront/api-token-customer-impersonation": {
        "channel_id": 1,
        "expires_at": 4102444800,
    },
    "POST /v3/storefront/api-token-private": {
        "channel_id": 1,
        "expires_at": 4102444800,
        "scopes": ["Unauthenticated"],
    },
    # A redirect needs its target (the spec marks only from_path and site_id required).
    "PUT /v3/storefront/redirects": {
        "from_path": "/old-url/",
        "site_id": 1,
        "to": {"type": "url", "url": "/new-url/"},
    },
    "POST /v2/orders": {
        "billing_address": {"first_name": "Jane", "email": "jane@example.com"},
        "products": [{"product_id": 1, "quantity": 1}],
    },
}
# Collections whose items are another collection's: a cart's checkout has the cart's ID.
ALIASES = {("v3", "/checkouts"): "/carts"}
Send = Callable[[str, str, Any], tuple[int, bytes, str]]  # (method, /vN/path, body)
# Deletes last, deepest paths first, so parents outlive what is under them.
ORDER = {"POST": 0, "GET": 1, "PUT": 2, "PATCH": 2, "DELETE": 3}


def in_walking_order(rows: Iterable[Endpoint]) -> list[Endpoint]:
    """Creates first, then reads and updates, shallow paths first; deletes last, deepest first."""
    return sorted(
        rows,
        key=lambda r: (
            ORDER[r.http_method] == 3,
            -r.path.count("/") if r.http_method == "DELETE" else r.path.count("/"),
            r.path,
            ORDER[r.http_method],
        ),
    )


def rows() -> list[Endpoint]:
    """One row per HTTP operation (several methods may share one), in walking order."""
    return in_walking_order({(r.http_method, r.api, r.path): r for r in ENDPOINTS}.values())


def sender(store: FakeStore) -> Send:
    """``Send`` straight to a store's ``handle()``."""

    def send(method: str, path: str, body: object) -> tuple[int, bytes, str]:
        headers = HEADERS
        if isinstance(body, EncodedBody):  # a form (an upload, a redirect import)
            headers = {**HEADERS, "Content-Type": body.content_type}
            raw = body.content
        else:
            raw = b"" if body is None else json.dumps(body).encode()
        reply = store.handle(method, f"/stores/abc{path}", headers, raw)
        media = dict(reply.headers).get("Content-Type", "application/json")
        return reply.status, reply.body, media

    return send


def hand_written(store: FakeStore, row: Endpoint) -> bool:
    """Whether the store serves a row with a hand-written route."""
    return not store._spec.serves(row.http_method, f"/{row.api}{row.path}")


def operation(row: Endpoint) -> Operation:
    """The spec-driven table's entry for a row."""
    return _operations()[(row.http_method, f"/{row.api}{row.path}")]


@cache
def _operations() -> dict[tuple[str, str], Operation]:
    return {(op.method, op.path): op for op in spec_routes().operations}


@cache
def openapi(name: str) -> OpenAPI:
    with (SPECS_DIR / name).open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=Loader)
    # The files are checked by their publisher; validating them again costs seconds.
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))


def check_answer(sent: Sent) -> None:
    """Raise unless the answer is what the spec declares for its status and operation."""
    row = sent.row
    path, _, query = sent.path.partition("?")
    args = dict(parse_qsl(query))
    request = MockRequest(HOST, row.http_method.lower(), f"/stores/abc/{row.api}{path}", args=args)
    if sent.status == 204:
        assert sent.body == b""
        return
    # openapi-core reads text media (CSV, event streams) as given: pass it text.
    body: Any = sent.body if "json" in sent.content_type else sent.body.decode()
    answer = MockResponse(body, status_code=sent.status, content_type=sent.content_type)
    openapi(row.spec_file).validate_response(request, answer)


@dataclass
class Sent:
    row: Endpoint
    path: str  # after /vN, with the query
    status: int
    body: bytes
    content_type: str


class Walk:
    """Calls every operation once, on items that exist; ``send(method, /vN/path, body)``."""

    def __init__(self, send: Send, skip: Callable[[Endpoint], bool] = lambda row: False) -> None:
        self.send = send
        self.skip = skip
        self.ids: dict[tuple[str, str], str] = {}  # (api, concrete collection path) -> an ID
        self.made = 0

    def run(self) -> Iterator[Sent]:
        for row in rows():
            path = self.concrete(row.api, row.path) if not self.skip(row) else None
            if path is None:
                continue
            data = self.sent_body(row, path)
            path += self.query(row, path)
            status, body, media = self.send(row.http_method, f"/{row.api}{path}", data)
            yield Sent(row, path, status, body, media)

    def query(self, row: Endpoint, path: str) -> str:
        """A bulk delete names what to delete by a filter (BigCommerce refuses it without)."""
        op = operation(row)
        if op.role != "delete_many" or op.body == "list" or not op.filters:
            return ""
        status, body, _ = self.send("GET", f"/{row.api}{path}", None)
        answer = json.loads(body) if status == 200 and body else {}
        items = answer.get("data", answer) if isinstance(answer, dict) else answer
        item = items[0] if isinstance(items, list) and items else {}
        for name in op.filters:
            if isinstance(item, dict) and item.get(name) not in (None, ""):
                return f"?{name}:in={item[name]}" if name == "id" else f"?{name}={item[name]}"
        # Nothing left to delete (the item went before): name the one created earlier.
        known = self.ids.get((row.api, path), "1")
        return f"?id:in={known}" if "id" in op.filters else f"?{next(iter(op.filters))}={known}"

    def body(self, row: Endpoint, path: str) -> Any:
        """The spec's example body; a batch update names an item that exists."""
        op = operation(row)
        if op.body == "none":
            return None
        example = BODIES.get(f"{row.http_method} /{row.api}{row.path}", op.example)
        if op.role in ("update_many", "delete_many") and isinstance(example, dict):
            item_id = self.item_in(row.api, path)
            if item_id is not None:
                id_key = op.collection.id_key
                typed = item_id if op.types.get(id_key) == ("string",) else _typed(item_id)
                example = {**example, id_key: typed}
        field = op.collection.parent_field
        if field and isinstance(example, dict):  # across parents: name one that exists
            parents = op.collection.parts.split("/{}", 1)[0].removeprefix(f"/{row.api}")
            parent = self.item_in(row.api, parents)
            if parent is not None:
                example = {**example, field: _typed(parent)}
        example = self.fresh(example)
        return [example] if op.body == "list" and not isinstance(example, list) else example

    def sent_body(self, row: Endpoint, path: str) -> Any:
        """The body as sent: a form where the row takes one (as the client sends it)."""
        data = self.body(row, path)
        return multipart_body(data) if row.body == "form" and isinstance(data, dict) else data

    def fresh(self, value: Any) -> Any:
        """The example with names and emails made unique (stores refuse duplicates)."""
        if isinstance(value, list):
            return [self.fresh(v) for v in value]
        if not isinstance(value, dict):
            return value
        self.made += 1
        unique = {
            "email": f"user{self.made}@example.com",
            "name": f"{value.get('name')} {self.made}",
            "sku": f"SKU-{self.made}",
        }
        return {
            k: unique[k] if k in unique and isinstance(v, str) else self.fresh(v)
            for k, v in value.items()
        }

    def concrete(self, api: str, template: str) -> str | None:
        """``template`` with each parameter replaced by the ID of an existing item."""
        built = ""
        for part in template.strip("/").split("/"):
            if part.startswith("{"):
                item_id = self.item_in(api, built)
                if item_id is None:
                    return None
                built += f"/{item_id}"
            else:
                built += f"/{part}"
        return built

    def item_in(self, api: str, collection: str) -> str | None:
        if (api, collection) in self.ids:
            return self.ids[api, collection]
        if (api, collection) in ALIASES:
            return self.item_in(api, ALIASES[api, collection])
        template = _template_of(api, collection)
        found = (
            self._created(api, collection, template)
            or self._listed(api, collection)
            or _seeded(api, collection)
            or "1"  # items that exist at any ID (settings per channel, say)
        )
        if found is not None:
            self.ids[api, collection] = found
        return found

    def _created(self, api: str, collection: str, template: str | None) -> str | None:
        rows_here = [r for r in ENDPOINTS if r.http_method == "POST" and r.path == template]
        for row in rows_here:
            if row.api != api:
                continue
            status, body, _ = self.send(
                "POST", f"/{api}{collection}", self.sent_body(row, collection)
            )
            if status < 300:
                return _first_id(json.loads(body), operation(row).collection.id_key)
        return None

    def _listed(self, api: str, collection: str) -> str | None:
        status, body, _ = self.send("GET", f"/{api}{collection}", None)
        if status != 200 or not body:
            return None
        found = _operations().get(("GET", f"/{api}{_template_of(api, collection)}"))
        field = found.collection.id_key if found else "id"
        if found and found.item_ids < len(found.collection.key_fields):  # part of a key
            field = found.collection.key_fields[found.item_ids]  # the next part: a currency
        return _first_id(json.loads(body), field)


def _template_of(api: str, concrete: str) -> str | None:
    """The endpoint-table path template whose shape the concrete path has."""
    parts = concrete.strip("/").split("/")
    for row in ENDPOINTS:
        template = row.path.strip("/").split("/")
        if (
            row.api == api
            and len(template) == len(parts)
            and all(t.startswith("{") or t == p for t, p in zip(template, parts, strict=True))
        ):
            return row.path
    return None


def _first_id(answer: Any, id_key: str) -> str | None:
    data = answer.get("data", answer) if isinstance(answer, dict) else answer
    if isinstance(data, list):
        data = data[0] if data else None
    if not isinstance(data, dict):
        return None
    for key in (id_key, "id", "uuid", "code", "name"):
        if data.get(key) not in (None, ""):
            return str(data[key])
    return None


def _seeded(api: str, collection: str) -> str | None:
    """The ID of the spec's example item, which a collection nobody can add to holds."""
    match = spec_routes().match([api, *f"{collection}/{{id}}".strip("/").split("/")])
    ops = match[0] if match else {}
    if "GET" not in ops:
        return None
    items = ops["GET"].collection
    value = items.sample.get(items.id_key)
    return None if value in (None, "") else str(value)


def _typed(item_id: str) -> int | str:
    return int(item_id) if item_id.isdigit() else item_id
