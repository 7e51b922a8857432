"""Every generated client method against the fake store, in-process and over HTTP.

Derived from the endpoint table:

- each method is called once on items that exist (parents are created first
  with the spec's example bodies), in walking order (creates first, deletes
  last and deepest first), through the sync client in-process and through
  the async client over the loopback server; it must succeed and return what
  its row promises (a list, an object, …);
- each collection with create, get, list, update and delete methods makes a
  full round trip through the client: the created item is fetched by its ID,
  is in the list, shows an update, and is gone after the delete.

Hand-listed are only the steps of the hand-written checkout and order flows
(``FLOWS``), which need IDs that earlier steps return: the two flow tests at
the end run each of them in order.
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
        self.ran: set[str] = set()  # "group.method" of each method called
        self.api: Any
        if where == "server":
            self.server = FakeServer(self.store).__enter__()
            self.api = AsyncBigCommerceAPI("abc", "t", base_url=self.server.base_url)
        else:
            self.api = BigCommerceAPI("abc", "t", transport=self.store.transport())

    async def call(self, row: Endpoint, *args: Any, **options: Any) -> Any:
        return await self.run(f"{row.group}.{row.method}", *args, **options)

    async def run(self, name: str, *args: Any, **options: Any) -> Any:
        """``run("carts_v3.create", data)``: the method's value, a list read to the end."""
        self.ran.add(name)
        group, method_name = name.split(".")
        result = getattr(getattr(self.api, group), method_name)(*args, **options)
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
    if row.result == "text":
        return isinstance(result, str) and result != ""
    if row.result == "events":  # BigCommerce's events carry JSON objects
        return bool(result) and all(isinstance(e.json(), dict) for e in result)
    return True


ROWS = in_walking_order(ENDPOINTS)


# Hand-written flows whose steps need the IDs of earlier steps (a checkout's
# consignment, an order's shipping address): the walk below cannot find those, so
# there each must come back either answered or refused with a BigCommerce error;
# test_checkout_flow and test_order_flow make every one of them succeed in order.
FLOWS = {
    "carts_v3.update_line_item",
    "carts_v3.delete_line_item",
    "checkouts_v3.add_consignments",
    "checkouts_v3.add_discounts",
    "checkouts_v3.create_order",
    "checkouts_v3.update_billing_address",
    "checkouts_v3.update_consignment",
    "checkouts_v3.delete_consignment",
    "checkouts_v3.delete_coupon",
    "orders_v2.create_shipment",
    "orders_v2.get_product",
    "orders_v2.get_shipment",
    "orders_v2.update_shipment",
    "orders_v2.delete_shipment",
    "orders_v3.get_refund",
    "orders_v3.get_refund_by_id",
    "orders_v3.create_refund",
    "storefront_tokens_v3.delete_api_token",  # needs a token, sent in Sf-Api-Token
}


def _in_flow(row: Endpoint) -> bool:
    return f"{row.group}.{row.method}" in FLOWS


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.group}.{r.method}" for r in ROWS])
async def test_every_method_answers(client: Client, row: Endpoint) -> None:
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


# -- hand-written flows, step by step --------------------------------------------------

SHIP_TO = {
    "email": "ada@example.com",
    "country_code": "US",
    "state_or_province": "Texas",
    "postal_code": "78701",
}


@pytest.mark.parametrize("where", WHERE)
async def test_checkout_flow(where: str) -> None:
    """Every method of FLOWS for carts and checkouts, each on what the one before made."""
    client = Client(where)
    try:
        run = client.run
        cart = await run("carts_v3.create", {"line_items": [{"product_id": 1, "quantity": 3}]})
        cart_id = cart["id"]
        mug = cart["line_items"]["physical_items"][0]["id"]
        line = {"line_item": {"product_id": 1, "quantity": 2}}
        updated = await run("carts_v3.update_line_item", cart_id, mug, line)
        assert updated["line_items"]["physical_items"][0]["quantity"] == 2
        extra = await run(
            "carts_v3.add_line_items", cart_id, {"line_items": [{"product_id": 2, "quantity": 1}]}
        )
        other = next(i["id"] for i in extra["line_items"]["physical_items"] if i["id"] != mug)
        await run("carts_v3.delete_line_item", cart_id, other)

        billing = {**SHIP_TO, "first_name": "Ada", "last_name": "L", "address1": "1 Main"}
        checkout = await run("checkouts_v3.add_billing_address", cart_id, billing)
        address_id = checkout["billing_address"]["id"]
        checkout = await run(
            "checkouts_v3.update_billing_address",
            cart_id,
            address_id,
            {**billing, "city": "Austin"},
        )
        assert checkout["billing_address"]["city"] == "Austin"
        to_ship = [{"address": SHIP_TO, "line_items": [{"item_id": mug, "quantity": 2}]}]
        checkout = await run("checkouts_v3.add_consignments", cart_id, to_ship)
        consignment = checkout["consignments"][0]
        option = consignment["available_shipping_options"][0]["id"]
        picked = {"shipping_option_id": option}
        await run("checkouts_v3.update_consignment", cart_id, consignment["id"], picked)
        await run("checkouts_v3.add_coupon", cart_id, {"coupon_code": "SAVE10"})
        checkout = await run("checkouts_v3.delete_coupon", cart_id, "SAVE10")
        assert checkout["coupons"] == []
        discounts = {"cart": {"discounts": [{"discounted_amount": 1}]}}
        checkout = await run("checkouts_v3.add_discounts", cart_id, discounts)
        assert checkout["cart"]["discount_amount"] == 1.0
        order = await run("checkouts_v3.create_order", cart_id)
        assert (await run("orders_v2.get", order["id"]))["cart_id"] == cart_id

        spare = await run("checkouts_v3.add_consignments", cart_id, to_ship)
        await run("checkouts_v3.delete_consignment", cart_id, spare["consignments"][-1]["id"])
        assert {f for f in FLOWS if f.startswith(("carts", "checkouts"))} <= client.ran
    finally:
        await client.close()


@pytest.mark.parametrize("where", WHERE)
async def test_order_flow(where: str) -> None:
    """Every method of FLOWS for orders: an order's products, shipments and refunds."""
    client = Client(where)
    try:
        run = client.run
        line = (await run("orders_v2.all_products", 1))[0]
        assert (await run("orders_v2.get_product", 1, line["id"]))["id"] == line["id"]
        address = (await run("orders_v2.all_shipping_addresses", 1))[0]
        items = [{"order_product_id": line["id"], "quantity": 1}]
        body = {"order_address_id": address["id"], "items": items}
        shipment = await run("orders_v2.create_shipment", 1, body)
        assert (await run("orders_v2.get_shipment", 1, shipment["id"]))["id"] == shipment["id"]
        changed = await run(
            "orders_v2.update_shipment", 1, shipment["id"], {"tracking_number": "1Z"}
        )
        assert changed["tracking_number"] == "1Z"
        await run("orders_v2.delete_shipment", 1, shipment["id"])

        wanted = {"items": [{"item_type": "PRODUCT", "item_id": line["id"], "quantity": 1}]}
        quote = await run("orders_v3.get_refund_quote", 1, wanted)
        payment = {"provider_id": "custom", "amount": quote["total_refund_amount"], "offline": True}
        refund = await run("orders_v3.create_refund", 1, {**wanted, "payments": [payment]})
        assert (await run("orders_v3.get_refund", refund["id"]))["id"] == refund["id"]
        assert (await run("orders_v3.get_refund_by_id", refund["id"]))["id"] == refund["id"]
        assert {f for f in FLOWS if f.startswith("orders")} <= client.ran
    finally:
        await client.close()
