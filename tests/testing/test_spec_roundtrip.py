"""Every generated client method against the fake store, in-process and over HTTP.

Derived from the endpoint table, nothing hand-listed:

- each method is called once on items that exist (parents are created first
  with the spec's example bodies), in walking order (creates first, deletes
  last and deepest first), through the sync client in-process and through
  the async client over the loopback server; it must succeed and return what
  its row promises (a list, an object, …);
- each collection with create, get, list, update and delete methods makes a
  full round trip through the client: the created item is fetched by its ID,
  is in the list, shows an update, and is gone after the delete.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bigc import ENDPOINTS, AsyncBigCommerceAPI, BigCommerceAPI
from bigc._endpoints import Endpoint
from bigc.exceptions import BigCommerceException, DoesNotExistError
from bigc.testing import FakeStore
from bigc.testing._server import FakeServer
from bigc.testing._spec_routes import Operation
from tests.testing.spec_walk import Walk, in_walking_order, operation, sender

WHERE = ["in-process", "server"]
TEXT_NAMES = ("name", "title", "description", "label", "note", "notes", "message")
NOT_FREE_TEXT = ("url", "date", "time", "email", "destination", "code", "cost", "price", "total")


class Client:
    """One store, a client for it (sync in-process or async over the server) and a walk
    that finds IDs of items that exist, through the store itself."""

    def __init__(self, where: str) -> None:
        self.store = FakeStore.with_sample_data(products=3, customers=3, orders=3, seed=3)
        self.walk = Walk(sender(self.store))
        self.server: FakeServer | None = None
        self.api: Any
        if where == "server":
            self.server = FakeServer(self.store).__enter__()
            self.api = AsyncBigCommerceAPI("abc", "t", base_url=self.server.base_url)
        else:
            self.api = BigCommerceAPI("abc", "t", transport=self.store.transport())

    async def call(self, row: Endpoint, *args: Any, **options: Any) -> Any:
        method = getattr(getattr(self.api, row.group), row.method)
        result = method(*args, **options)
        if isinstance(result, AsyncIterator):
            return [item async for item in result]
        if isinstance(result, Iterator):
            return list(result)
        return await result if inspect.isawaitable(result) else result

    def arguments(self, row: Endpoint) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
        """The method's positional arguments and options for items that exist, or None."""
        path = self.walk.concrete(row.api, row.path)
        if path is None:
            return None
        ids: tuple[Any, ...] = tuple(_typed(p) for p in _ids_in(row.path, path))
        if row.kind in ("find", "delete_one", "delete_ids", "batch_one") and row.args:
            found = self.walk.item_in(row.api, path)
            if found is None:
                return None
            ids = ([_typed(found)],) if row.kind == "delete_ids" else (_typed(found),)
        data = self.walk.body(row, path)
        if row.kind == "batch_one" and isinstance(data, list):
            data = data[0]
        takes_data = row.kind == "batch_one" or (row.kind == "request" and row.body != "none")
        query = (
            dict(parse_qsl(self.walk.query(row, path).lstrip("?"))) if row.kind == "request" else {}
        )
        return ((*ids, data) if takes_data else ids), ({"params": query} if query else {})

    async def close(self) -> None:
        if isinstance(self.api, AsyncBigCommerceAPI):
            await self.api.aclose()
        else:
            self.api.close()
        if self.server is not None:
            self.server.__exit__(None, None, None)


def _ids_in(template: str, path: str) -> list[str]:
    parts = zip(template.strip("/").split("/"), path.strip("/").split("/"), strict=True)
    return [value for part, value in parts if part.startswith("{")]


def _typed(value: str) -> int | str:
    return int(value) if value.isdigit() else value


@pytest.fixture(scope="module", params=WHERE)
def client(request: pytest.FixtureRequest) -> Iterator[Client]:
    made = Client(request.param)
    yield made
    import asyncio

    asyncio.run(made.close())


def _returns(row: Endpoint, result: Any) -> bool:
    """Whether a result has the shape the row promises."""
    if row.is_list or row.result == "list":
        return isinstance(result, list)
    if row.result == "object":
        return isinstance(result, dict)
    if row.result == "optional_object":
        return result is None or isinstance(result, dict)
    return True


ROWS = in_walking_order(ENDPOINTS)


# Hand-written flows whose steps need the IDs of earlier steps (a checkout's
# consignment, an order's shipping address): their own tests walk them end to end
# (tests/testing/test_checkout.py, test_orders.py). Here each must come back either
# answered or refused by the store with a BigCommerce error.
FLOWS = {
    "carts_v3": ("update_line_item", "delete_line_item"),
    "checkouts_v3": (
        "add_consignments",
        "add_discounts",
        "create_order",
        "update_billing_address",
        "update_consignment",
        "delete_consignment",
        "delete_coupon",
    ),
    "orders_v2": ("create_shipment", "get_product", "get_shipment", "update_shipment"),
    "orders_v2 ": ("delete_shipment",),
    "orders_v3": ("get_refund", "get_refund_by_id", "create_refund"),
}


def _in_flow(row: Endpoint) -> bool:
    return any(row.method in names for group, names in FLOWS.items() if group.strip() == row.group)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.group}.{r.method}" for r in ROWS])
async def test_every_method_answers(client: Client, row: Endpoint) -> None:
    if operation(row).answer == "text":
        pytest.xfail("the answer is not JSON (a CSV file, an event stream); the client reads JSON")
    if operation(row).body == "list" and row.body != "list":
        pytest.xfail("the spec's JSON body is a list; the endpoint table sends an object")
    arguments = client.arguments(row)
    assert arguments is not None, "no item to call it on"
    args, options = arguments
    try:
        result = await client.call(row, *args, **options)
    except BigCommerceException as error:
        if not _in_flow(row):
            raise
        assert error.status_code in (400, 404, 409, 422) and str(error)
        return
    assert _returns(row, result), result
    if row.http_method == "POST" and isinstance(result, dict) and "id" in result:
        client.walk.ids[row.api, client.walk.concrete(row.api, row.path) or ""] = str(result["id"])


# -- full round trips -------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """The five methods of one collection, and a text field an update may change."""

    create: Endpoint
    get: Endpoint
    all: Endpoint
    update: Endpoint
    delete: Endpoint

    @property
    def name(self) -> str:
        return f"{self.create.group}.{self.create.method}"

    @property
    def echo_field(self) -> str | None:
        """A plain text field the update takes and the item shows, if there is one
        (names first; not a URL, date, code or amount kept as text)."""
        op: Operation = operation(self.update)
        texts = [
            name
            for name, types in op.types.items()
            if types == ("string",)
            and name not in op.enums
            and isinstance(op.collection.sample.get(name), str)
            and not any(word in name for word in NOT_FREE_TEXT)
        ]
        return min(texts, key=lambda n: (n not in TEXT_NAMES, n), default=None)


def _collections() -> list[Collection]:
    plain = [r for r in ENDPOINTS if r.kind == "request"]

    def find(method: str, path: str, is_list: bool = False) -> Endpoint | None:
        return next(
            (
                r
                for r in plain
                if r.http_method == method and r.path == path and r.is_list == is_list
            ),
            None,
        )

    found = []
    for create in plain:
        if create.http_method != "POST" or create.body != "object":
            continue
        items = [r.path for r in plain if r.path.rsplit("/", 1)[0] == create.path]
        item = next((p for p in items if p.rsplit("/", 1)[1].startswith("{")), None)
        if item is None:
            continue
        parts = (find("GET", item), find("GET", create.path, True), find("PUT", item))
        delete = find("DELETE", item)
        if all(parts) and delete is not None and not _in_flow(create):
            get, listed, update = parts
            assert get and listed and update
            found.append(Collection(create, get, listed, update, delete))
    return found


COLLECTIONS = _collections()


def test_round_trips_cover_many_collections() -> None:
    assert len(COLLECTIONS) > 40


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("collection", COLLECTIONS, ids=[c.name for c in COLLECTIONS])
async def test_round_trip(where: str, collection: Collection) -> None:
    client = Client(where)
    try:
        await _round_trip(client, collection)
    finally:
        await client.close()


async def _round_trip(client: Client, collection: Collection) -> None:
    arguments = client.arguments(collection.create)
    assert arguments is not None
    args, _ = arguments
    parents, body = args[:-1], args[-1]
    created = await client.call(collection.create, *parents, body)
    if isinstance(created, list):
        [created] = created
    id_key = operation(collection.get).collection.id_key
    item_id = created[id_key]

    fetched = await client.call(collection.get, *parents, item_id)
    fetched = fetched[0] if isinstance(fetched, list) else fetched
    assert fetched[id_key] == item_id
    listed = await client.call(collection.all, *parents)
    assert [i[id_key] for i in listed].count(item_id) == 1

    field = collection.echo_field
    update_body = dict(operation(collection.update).example or {})
    if field is not None:
        update_body[field] = "changed by bigc"
    await client.call(collection.update, *parents, item_id, update_body)
    fetched = await client.call(collection.get, *parents, item_id)
    fetched = fetched[0] if isinstance(fetched, list) else fetched
    if field is not None:
        assert fetched[field] == "changed by bigc"

    await client.call(collection.delete, *parents, item_id)
    assert item_id not in [i[id_key] for i in await client.call(collection.all, *parents)]
    try:
        gone = await client.call(collection.get, *parents, item_id)
    except DoesNotExistError:
        return
    assert gone["is_deleted"] is True  # a v2 order is archived: it can still be fetched
