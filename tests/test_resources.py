"""Every method of every resource group, sync and async, checked against the OpenAPI files.

``CASES`` is the table: one row per call with example arguments and the exact
request it must send (method, path, query, JSON body) plus the kind of answer
BigCommerce gives. Each row runs through ``BigCommerceAPI`` and
``AsyncBigCommerceAPI`` over an in-process recorder; the request is compared
with the row and looked up in the official spec of that resource group.
``test_table_covers_every_method`` fails when a group grows a method the table
does not list.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pytest

import bigc
from bigc import AsyncBigCommerceAPI, BigCommerceAPI, Request, Response, Timeout
from bigc.exceptions import DoesNotExistError, InternalServerError
from tests.seed_110 import SEED_METHODS
from tests.spec_index import GROUP_FILES, spec_operation
from tests.support import AsyncTransport, Recorder, SyncTransport, json_response, split

STORE = "STORE"
TOKEN = "secret-token-0123456789"
BASE = "https://api.bigcommerce.com"
PREFIX = f"/stores/{STORE}"
TIMEOUT = 9
PAGE_SIZE = 250
HOSTILE = "../../v2/orders"
ESCAPED_HOSTILE = "..%2F..%2Fv2%2Forders"

ITEM = {"id": 7, "name": "thing"}
OTHER = {"id": 8, "name": "other thing"}


class Reply(Enum):
    """What BigCommerce answers a call with, and so what the method returns."""

    OBJECT = "one object"  # v3 {"data": ITEM}, v2 ITEM -> ITEM
    LIST = "a list"  # {"data": [ITEM, OTHER]} -> [ITEM, OTHER]
    FIRST = "a list of one"  # {"data": [ITEM]} -> ITEM (id:in lookups, batch of one)
    PAGES = "offset or v2 pages"  # one short page -> iterator of [ITEM]
    CURSOR = "cursor pages"  # one last page -> iterator of [ITEM]
    UNPAGED = "one unpaged list"  # {"data": [ITEM], "meta": {}} -> iterator of [ITEM]
    EMPTY = "204 No Content"  # -> None


@dataclass(frozen=True)
class Case:
    """One call of the table and the request it must send."""

    call: str  # "group.method"
    args: tuple[Any, ...]
    http: str
    path: str  # from the version on: "/v3/carts/c1"
    reply: Reply
    query: dict[str, str] = field(default_factory=dict)  # paging keys are added
    body: Any = None  # the JSON sent; None: no body at all
    params: dict[str, Any] | None = None

    @property
    def group(self) -> str:
        return self.call.split(".")[0]

    @property
    def name(self) -> str:
        return self.call.split(".")[1]

    @property
    def v2(self) -> bool:
        return self.path.startswith("/v2/")

    @property
    def is_list(self) -> bool:
        """Whether the method returns a lazy iterator over pages."""
        return self.reply in (Reply.PAGES, Reply.CURSOR, Reply.UNPAGED)

    @property
    def expected_query(self) -> dict[str, str]:
        paging = {
            Reply.PAGES: {"limit": str(PAGE_SIZE), "page": "1"},
            Reply.CURSOR: {"limit": str(PAGE_SIZE)},
        }
        return {**self.query, **paging.get(self.reply, {})}

    @property
    def kwargs(self) -> dict[str, Any]:
        return {} if self.params is None else {"params": self.params}

    def answer(self) -> Response:
        if self.reply is Reply.EMPTY:
            return Response(204, {}, b"")
        if self.v2:
            return json_response(200, [ITEM] if self.reply is Reply.PAGES else ITEM)
        meta: dict[str, Any] = {}
        if self.reply is Reply.PAGES:
            meta = {"pagination": {"total": 1, "count": 1, "per_page": PAGE_SIZE}}
            meta["pagination"].update(current_page=1, total_pages=1, links={})
        if self.reply is Reply.CURSOR:
            meta = {"cursor_pagination": {"count": 1, "per_page": PAGE_SIZE, "links": {}}}
        data = {Reply.OBJECT: ITEM, Reply.LIST: [ITEM, OTHER]}.get(self.reply, [ITEM])
        return json_response(200, {"data": data, "meta": meta})

    def returns(self) -> Any:
        return {
            Reply.OBJECT: ITEM,
            Reply.LIST: [ITEM, OTHER],
            Reply.FIRST: ITEM,
            Reply.PAGES: [ITEM],
            Reply.CURSOR: [ITEM],
            Reply.UNPAGED: [ITEM],
            Reply.EMPTY: None,
        }[self.reply]


def case(
    call: str,
    *args: Any,
    sends: str,
    reply: Reply = Reply.OBJECT,
    query: dict[str, str] | None = None,
    body: Any = None,
    params: dict[str, Any] | None = None,
) -> Case:
    """A row: ``call(*args, params=params)`` sends ``sends`` ("GET /v3/x") with query and body."""
    http, path = sends.split(" ")
    return Case(call, args, http, path, reply, query or {}, body, params)


PAGES, CURSOR, FIRST, LIST, EMPTY = Reply.PAGES, Reply.CURSOR, Reply.FIRST, Reply.LIST, Reply.EMPTY
UNPAGED = Reply.UNPAGED

CART = {"line_items": [{"quantity": 2, "product_id": 77}], "channel_id": 1}
LINE_ITEM = {"line_item": {"quantity": 3, "product_id": 77}}
ADDRESS = {"first_name": "Ann", "email": "ann@example.com", "country_code": "US"}
CONSIGNMENT = {"address": ADDRESS, "line_items": [{"item_id": "i9", "quantity": 1}]}
DISCOUNTS = {"cart": {"discounts": [{"discounted_amount": 5, "name": "manual"}]}}
CATEGORY = {"name": "Shirts", "parent_id": 0}
PRODUCT = {"name": "Shirt", "type": "physical", "weight": 1, "price": 9.5}
VARIANT = {"sku": "SHIRT-R", "option_values": [{"option_id": 3, "id": 4}]}
CUSTOMER = {"email": "ann@example.com", "first_name": "Ann", "last_name": "Lee"}
CUSTOMER_ADDRESS = {"customer_id": 11, "address1": "1 Main St", "city": "Austin", **ADDRESS}
FORM_FIELD = {"name": "Shoe size", "value": "9"}
ORDER = {"customer_id": 0, "billing_address": ADDRESS, "products": [{"product_id": 77}]}
SHIPMENT = {"order_address_id": 6, "tracking_number": "1Z", "items": [{"order_product_id": 5}]}
REFUND = {"items": [{"item_type": "PRODUCT", "item_id": 5, "quantity": 1}]}
PRICING = {"channel_id": 1, "currency_code": "USD", "items": [{"product_id": 77}]}
HOOK = {"scope": "store/order/*", "destination": "https://example.com/hook", "is_active": True}

# params as passed, and the query they must become
CART_INCLUDE = {"include": ["redirect_urls", "line_items.physical_items.options"]}
CART_INCLUDE_Q = {"include": "redirect_urls,line_items.physical_items.options"}
SHIPPING = {"include": "consignments.available_shipping_options"}
CATEGORY_FILTER = {"id:in": {3, 1, 2}, "is_visible": True}
CATEGORY_FILTER_Q = {"id:in": "1,2,3", "is_visible": "true"}
GROUP_FILTER = {"name:like": "VIP", "is_default": False}
GROUP_FILTER_Q = {"name:like": "VIP", "is_default": "false"}
EMAILS = {"email:in": ("a@x.com", "b@x.com")}
EMAILS_Q = {"email:in": "a@x.com,b@x.com"}
PRODUCT_FILTER = {"include": ["variants", "images"], "is_visible": True}
PRODUCT_FILTER_Q = {"include": "variants,images", "is_visible": "true"}

# fmt: off
CASES: list[Case] = [
    # carts_v3: /v3/carts
    case("carts_v3.get", "c1", params=CART_INCLUDE,
         sends="GET /v3/carts/c1", query=CART_INCLUDE_Q),
    case("carts_v3.create", CART, params=CART_INCLUDE,
         sends="POST /v3/carts", query=CART_INCLUDE_Q, body=CART),
    case("carts_v3.update", "c1", {"customer_id": 5},
         sends="PUT /v3/carts/c1", body={"customer_id": 5}),
    case("carts_v3.delete", "c1",
         sends="DELETE /v3/carts/c1", reply=EMPTY),
    case("carts_v3.add_line_items", "c1", CART,
         sends="POST /v3/carts/c1/items", body=CART),
    case("carts_v3.update_line_item", "c1", "i9", LINE_ITEM,
         sends="PUT /v3/carts/c1/items/i9", body=LINE_ITEM),
    case("carts_v3.delete_line_item", "c1", "i9",
         sends="DELETE /v3/carts/c1/items/i9"),
    case("carts_v3.create_redirect_url", "c1",
         sends="POST /v3/carts/c1/redirect_urls"),
    # categories_v3: /v3/catalog/categories
    case("categories_v3.all", params=CATEGORY_FILTER,
         sends="GET /v3/catalog/categories", reply=PAGES, query=CATEGORY_FILTER_Q),
    case("categories_v3.get", 3,
         sends="GET /v3/catalog/categories/3"),
    case("categories_v3.create", CATEGORY,
         sends="POST /v3/catalog/categories", body=CATEGORY),
    case("categories_v3.update", 3, CATEGORY,
         sends="PUT /v3/catalog/categories/3", body=CATEGORY),
    case("categories_v3.delete", 3,
         sends="DELETE /v3/catalog/categories/3", reply=EMPTY),
    # checkouts_v3: /v3/checkouts/{checkout_id}
    case("checkouts_v3.get", "k1", params=SHIPPING,
         sends="GET /v3/checkouts/k1", query=SHIPPING),
    case("checkouts_v3.update", "k1", {"customer_message": "hi"},
         sends="PUT /v3/checkouts/k1", body={"customer_message": "hi"}),
    case("checkouts_v3.add_billing_address", "k1", ADDRESS,
         sends="POST /v3/checkouts/k1/billing-address", body=ADDRESS),
    case("checkouts_v3.update_billing_address", "k1", "b2", ADDRESS,
         sends="PUT /v3/checkouts/k1/billing-address/b2", body=ADDRESS),
    case("checkouts_v3.add_consignments", "k1", [CONSIGNMENT], params=SHIPPING,
         sends="POST /v3/checkouts/k1/consignments", query=SHIPPING, body=[CONSIGNMENT]),
    case("checkouts_v3.update_consignment", "k1", "s3", CONSIGNMENT, params=SHIPPING,
         sends="PUT /v3/checkouts/k1/consignments/s3", query=SHIPPING, body=CONSIGNMENT),
    case("checkouts_v3.delete_consignment", "k1", "s3",
         sends="DELETE /v3/checkouts/k1/consignments/s3"),
    case("checkouts_v3.add_coupon", "k1", "SAVE10",
         sends="POST /v3/checkouts/k1/coupons", body={"coupon_code": "SAVE10"}),
    case("checkouts_v3.delete_coupon", "k1", "SAVE10",
         sends="DELETE /v3/checkouts/k1/coupons/SAVE10"),
    case("checkouts_v3.add_discounts", "k1", DISCOUNTS,
         sends="POST /v3/checkouts/k1/discounts", body=DISCOUNTS),
    case("checkouts_v3.create_order", "k1",
         sends="POST /v3/checkouts/k1/orders"),
    # currencies_v2: /v2/currencies
    case("currencies_v2.all",
         sends="GET /v2/currencies", reply=PAGES),
    case("currencies_v2.get", 2,
         sends="GET /v2/currencies/2"),
    # customer_groups_v2: /v2/customer_groups
    case("customer_groups_v2.all", params=GROUP_FILTER,
         sends="GET /v2/customer_groups", reply=PAGES, query=GROUP_FILTER_Q),
    case("customer_groups_v2.get", 4,
         sends="GET /v2/customer_groups/4"),
    case("customer_groups_v2.create", {"name": "VIP"},
         sends="POST /v2/customer_groups", body={"name": "VIP"}),
    case("customer_groups_v2.update", 4, {"name": "VIP"},
         sends="PUT /v2/customer_groups/4", body={"name": "VIP"}),
    case("customer_groups_v2.delete", 4,
         sends="DELETE /v2/customer_groups/4", reply=EMPTY),
    # customers_v3: list and batch endpoints; the single-item forms wrap them
    case("customers_v3.all", params=EMAILS,
         sends="GET /v3/customers", reply=CURSOR, query=EMAILS_Q),
    case("customers_v3.get", 7, params={"include": ["addresses"]},
         sends="GET /v3/customers", reply=FIRST, query={"include": "addresses", "id:in": "7"}),
    case("customers_v3.create_many", [CUSTOMER, CUSTOMER],
         sends="POST /v3/customers", reply=LIST, body=[CUSTOMER, CUSTOMER]),
    case("customers_v3.create", CUSTOMER,
         sends="POST /v3/customers", reply=FIRST, body=[CUSTOMER]),
    case("customers_v3.update_many", [{"id": 11, "notes": "x"}],
         sends="PUT /v3/customers", reply=LIST, body=[{"id": 11, "notes": "x"}]),
    case("customers_v3.update", 11, {"notes": "x"},
         sends="PUT /v3/customers", reply=FIRST, body=[{"notes": "x", "id": 11}]),
    case("customers_v3.delete_many", [11, 12],
         sends="DELETE /v3/customers", reply=EMPTY, query={"id:in": "11,12"}),
    case("customers_v3.delete", 11,
         sends="DELETE /v3/customers", reply=EMPTY, query={"id:in": "11"}),
    case("customers_v3.update_form_fields", [{**FORM_FIELD, "customer_id": 11}],
         sends="PUT /v3/customers/form-field-values", reply=LIST,
         body=[{**FORM_FIELD, "customer_id": 11}]),
    case("customers_v3.update_form_field", 11, FORM_FIELD,
         sends="PUT /v3/customers/form-field-values", reply=FIRST,
         body=[{**FORM_FIELD, "customer_id": 11}]),
    case("customers_v3.all_addresses", params={"customer_id:in": [11]},
         sends="GET /v3/customers/addresses", reply=PAGES, query={"customer_id:in": "11"}),
    case("customers_v3.get_address", 7,
         sends="GET /v3/customers/addresses", reply=FIRST, query={"id:in": "7"}),
    case("customers_v3.create_addresses", [CUSTOMER_ADDRESS],
         sends="POST /v3/customers/addresses", reply=LIST, body=[CUSTOMER_ADDRESS]),
    case("customers_v3.create_address", CUSTOMER_ADDRESS,
         sends="POST /v3/customers/addresses", reply=FIRST, body=[CUSTOMER_ADDRESS]),
    case("customers_v3.update_addresses", [{"id": 21, "city": "Waco"}],
         sends="PUT /v3/customers/addresses", reply=LIST, body=[{"id": 21, "city": "Waco"}]),
    case("customers_v3.update_address", 21, {"city": "Waco"},
         sends="PUT /v3/customers/addresses", reply=FIRST, body=[{"city": "Waco", "id": 21}]),
    case("customers_v3.delete_addresses", [21, 22],
         sends="DELETE /v3/customers/addresses", reply=EMPTY, query={"id:in": "21,22"}),
    case("customers_v3.delete_address", 21,
         sends="DELETE /v3/customers/addresses", reply=EMPTY, query={"id:in": "21"}),
    # orders_v2: /v2/orders and its sub-resources
    case("orders_v2.all", params={"customer_id": 1, "status_id": 11},
         sends="GET /v2/orders", reply=PAGES, query={"customer_id": "1", "status_id": "11"}),
    case("orders_v2.get", 101, params={"include": ["consignments"]},
         sends="GET /v2/orders/101", query={"include": "consignments"}),
    case("orders_v2.create", ORDER,
         sends="POST /v2/orders", body=ORDER),
    case("orders_v2.update", 101, {"status_id": 2},
         sends="PUT /v2/orders/101", body={"status_id": 2}),
    case("orders_v2.archive", 101,
         sends="DELETE /v2/orders/101", reply=EMPTY),
    case("orders_v2.delete", 101,
         sends="DELETE /v2/orders/101", reply=EMPTY),
    case("orders_v2.all_products", 101,
         sends="GET /v2/orders/101/products", reply=PAGES),
    case("orders_v2.get_product", 101, 5,
         sends="GET /v2/orders/101/products/5"),
    case("orders_v2.all_shipping_addresses", 101,
         sends="GET /v2/orders/101/shipping_addresses", reply=PAGES),
    case("orders_v2.get_shipping_address", 101, 6,
         sends="GET /v2/orders/101/shipping_addresses/6"),
    case("orders_v2.update_shipping_address", 101, 6, ADDRESS,
         sends="PUT /v2/orders/101/shipping_addresses/6", body=ADDRESS),
    case("orders_v2.all_shipments", 101,
         sends="GET /v2/orders/101/shipments", reply=PAGES),
    case("orders_v2.get_shipment", 101, 8,
         sends="GET /v2/orders/101/shipments/8"),
    case("orders_v2.create_shipment", 101, SHIPMENT,
         sends="POST /v2/orders/101/shipments", body=SHIPMENT),
    case("orders_v2.update_shipment", 101, 8, SHIPMENT,
         sends="PUT /v2/orders/101/shipments/8", body=SHIPMENT),
    case("orders_v2.delete_shipment", 101, 8,
         sends="DELETE /v2/orders/101/shipments/8", reply=EMPTY),
    case("orders_v2.all_coupons", 101,
         sends="GET /v2/orders/101/coupons", reply=PAGES),
    # orders_v3: refunds
    case("orders_v3.get_refund_quote", 101, REFUND,
         sends="POST /v3/orders/101/payment_actions/refund_quotes", body=REFUND),
    case("orders_v3.create_refund", 101, REFUND,
         sends="POST /v3/orders/101/payment_actions/refunds", body=REFUND),
    case("orders_v3.all_refunds", params={"order_id:in": [101, 102]},
         sends="GET /v3/orders/payment_actions/refunds", reply=PAGES,
         query={"order_id:in": "101,102"}),
    case("orders_v3.all_refunds", 101,
         sends="GET /v3/orders/101/payment_actions/refunds", reply=UNPAGED),
    case("orders_v3.get_refund", 7,
         sends="GET /v3/orders/payment_actions/refunds", reply=FIRST, query={"id:in": "7"}),
    # pricing_v3
    case("pricing_v3.get_pricing", PRICING,
         sends="POST /v3/pricing/products", reply=LIST, body=PRICING),
    # product_variants_v3: /v3/catalog/products/{product_id}/variants
    case("product_variants_v3.all", 77, params={"include_fields": ("sku", "price")},
         sends="GET /v3/catalog/products/77/variants", reply=PAGES,
         query={"include_fields": "sku,price"}),
    case("product_variants_v3.get", 77, 9,
         sends="GET /v3/catalog/products/77/variants/9"),
    case("product_variants_v3.create", 77, VARIANT,
         sends="POST /v3/catalog/products/77/variants", body=VARIANT),
    case("product_variants_v3.update", 77, 9, VARIANT,
         sends="PUT /v3/catalog/products/77/variants/9", body=VARIANT),
    case("product_variants_v3.delete", 77, 9,
         sends="DELETE /v3/catalog/products/77/variants/9", reply=EMPTY),
    # products_v3: /v3/catalog/products
    case("products_v3.all", params=PRODUCT_FILTER,
         sends="GET /v3/catalog/products", reply=PAGES, query=PRODUCT_FILTER_Q),
    case("products_v3.get", 77, params={"include": "videos"},
         sends="GET /v3/catalog/products/77", query={"include": "videos"}),
    case("products_v3.create", PRODUCT,
         sends="POST /v3/catalog/products", body=PRODUCT),
    case("products_v3.update", 77, PRODUCT,
         sends="PUT /v3/catalog/products/77", body=PRODUCT),
    case("products_v3.delete", 77,
         sends="DELETE /v3/catalog/products/77", reply=EMPTY),
    # webhooks_v3: /v3/hooks (a delete answers with the deleted hook)
    case("webhooks_v3.all", params={"is_active": False},
         sends="GET /v3/hooks", reply=PAGES, query={"is_active": "false"}),
    case("webhooks_v3.get", 15,
         sends="GET /v3/hooks/15"),
    case("webhooks_v3.create", HOOK,
         sends="POST /v3/hooks", body=HOOK),
    case("webhooks_v3.update", 15, HOOK,
         sends="PUT /v3/hooks/15", body=HOOK),
    case("webhooks_v3.delete", 15,
         sends="DELETE /v3/hooks/15"),
    case("webhooks_v3.reactivate", 15,
         sends="PUT /v3/hooks/15", body={"is_active": True}),
]
# fmt: on


def _ids(cases: list[Case]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for row in cases:
        seen[row.call] = seen.get(row.call, 0) + 1
        ids.append(row.call if seen[row.call] == 1 else f"{row.call}#{seen[row.call]}")
    return ids


LISTS = [row for row in CASES if row.is_list]
LOOKUPS = ["customers_v3.get", "customers_v3.get_address", "orders_v3.get_refund"]
FLAVORS = ["sync", "async"]

by_case = pytest.mark.parametrize("row", CASES, ids=_ids(CASES))
by_list = pytest.mark.parametrize("row", LISTS, ids=_ids(LISTS))
by_flavor = pytest.mark.parametrize("flavor", FLAVORS)


# ---------------------------------------------------------------------------
# Driving both clients with one test body


class Harness:
    """A sync or an async client over a recorder, driven the same way from async tests."""

    def __init__(self, flavor: str, *answers: Response, default: Any = None, **options: Any):
        self.flavor = flavor
        self.transport: Recorder
        if flavor == "sync":
            self.transport = SyncTransport(*answers, default=default)
            self.api: Any = BigCommerceAPI(STORE, TOKEN, transport=self.transport, **options)
        else:
            self.transport = AsyncTransport(*answers, default=default)
            self.api = AsyncBigCommerceAPI(STORE, TOKEN, transport=self.transport, **options)

    @property
    def requests(self) -> list[Request]:
        return self.transport.requests

    def method(self, call: str) -> Callable[..., Any]:
        group, name = call.split(".")
        method: Callable[..., Any] = getattr(getattr(self.api, group), name)
        return method

    async def resolve(self, result: Any) -> Any:
        """The value of a call: awaited, and an iterator read to the end."""
        if isinstance(result, AsyncIterator):
            assert self.flavor == "async"
            return [item async for item in result]
        if isinstance(result, Iterator):
            assert self.flavor == "sync"
            return list(result)
        return await result if inspect.isawaitable(result) else result

    async def call(self, call: str, *args: Any, **kwargs: Any) -> Any:
        return await self.resolve(self.method(call)(*args, **kwargs))

    async def run(self, row: Case, args: tuple[Any, ...] | None = None) -> Any:
        args = row.args if args is None else args
        return await self.call(row.call, *args, **row.kwargs, timeout=TIMEOUT)

    async def first_item(self, iterator: Any) -> Any:
        if self.flavor == "sync":
            return next(iterator)
        return await anext(iterator)

    async def close_iterator(self, iterator: Any) -> None:
        if self.flavor == "sync":
            iterator.close()
        else:
            await iterator.aclose()


def sent_json(request: Request) -> Any:
    return None if request.body is None else json.loads(request.body)


def version_path(request: Request) -> str:
    """The request path from the version on, ``/stores/{store_hash}`` dropped."""
    path = split(request)[1]
    assert path.startswith("/stores/"), request.url
    return "/" + path.split("/", 3)[3]


def id_positions(row: Case) -> list[tuple[int, inspect.Parameter]]:
    """The positional arguments of ``row`` that are IDs (their names end in ``_id``)."""
    group_cls = type(getattr(_PROBE, row.group))
    params = list(inspect.signature(getattr(group_cls, row.name)).parameters.values())[1:]
    return [(i, p) for i, p in enumerate(params[: len(row.args)]) if p.name.endswith("_id")]


_PROBE = BigCommerceAPI(STORE, TOKEN, transport=SyncTransport())


# ---------------------------------------------------------------------------
# 1. The table: exact request, and the request exists in the official spec


@by_flavor
@by_case
async def test_sends_the_exact_request(flavor: str, row: Case) -> None:
    harness = Harness(flavor, row.answer())
    before = copy.deepcopy((row.args, row.params))

    returned = harness.method(row.call)(*row.args, **row.kwargs, timeout=TIMEOUT)
    assert isinstance(returned, (Iterator, AsyncIterator)) == row.is_list
    result = await harness.resolve(returned)

    [request] = harness.requests
    method, path, query = split(request)
    assert (method, path, query) == (row.http, PREFIX + row.path, row.expected_query)
    assert sent_json(request) == row.body
    assert request.headers["X-Auth-Token"] == TOKEN
    assert request.headers["Content-Type"] == "application/json"  # bodyless too, as 1.1.0
    assert request.timeout == Timeout(connect=TIMEOUT, read=TIMEOUT)
    assert result == row.returns()
    assert (row.args, row.params) == before, "the caller's arguments were changed"


# List endpoints the spec documents without paging (``meta`` is empty): the
# client's ``limit``/``page`` are ignored there and the answer is one page.
@by_case
def test_request_is_in_the_official_spec(row: Case) -> None:
    operation = spec_operation(row.group, row.http, row.path)
    files = ", ".join(GROUP_FILES[row.group])
    assert operation is not None, f"{row.http} {row.path} is not in {files}"
    operation.check_sent(set(row.expected_query), row.body)


@pytest.mark.parametrize("client_cls", [BigCommerceAPI, AsyncBigCommerceAPI])
def test_table_covers_every_seed_method(client_cls: type[Any]) -> None:
    """Every method of the seed's 12 groups (bigc 1.1.0's) has an exact request row here."""
    api = client_cls(STORE, TOKEN, transport=SyncTransport())
    for group in GROUP_FILES:
        cls = type(getattr(api, group))
        public = {name for name, _ in inspect.getmembers(cls, callable) if not name.startswith("_")}
        seed = {name for g, name in SEED_METHODS if g == group}
        tested = {row.name for row in CASES if row.group == group}
        assert seed <= public, f"{group}: missing {seed - public}"
        assert seed <= tested <= public, f"{group}: untested {seed - tested}"


@by_case
def test_signature_options(row: Case) -> None:
    """Sync == async; ``retries`` everywhere but on POSTs that write; options are keywords."""
    api = AsyncBigCommerceAPI(STORE, TOKEN, transport=AsyncTransport())
    sync_sig = inspect.signature(getattr(getattr(_PROBE, row.group), row.name))
    async_sig = inspect.signature(getattr(getattr(api, row.group), row.name))
    shape = [(p.name, p.kind, p.default) for p in sync_sig.parameters.values()]
    assert shape == [(p.name, p.kind, p.default) for p in async_sig.parameters.values()]
    options = list(sync_sig.parameters.values())[-1]
    assert (options.name, options.kind) == ("options", inspect.Parameter.VAR_KEYWORD)
    read_only = row.call in ("orders_v3.get_refund_quote", "pricing_v3.get_pricing")
    expected = "WriteOptions" if row.http == "POST" and not read_only else "CallOptions"
    expected = "ListOptions" if row.is_list else expected
    assert str(options.annotation) == f"Unpack[{expected}]"


# ---------------------------------------------------------------------------
# 2. Return values


@by_flavor
@pytest.mark.parametrize("call", LOOKUPS)
async def test_lookup_of_a_missing_item_raises(flavor: str, call: str) -> None:
    harness = Harness(flavor, json_response(200, {"data": [], "meta": {}}))
    with pytest.raises(DoesNotExistError):
        await harness.call(call, 404404)
    [request] = harness.requests
    assert split(request)[2] == {"id:in": "404404"}


@by_flavor
async def test_v3_delete_line_item_of_the_last_item_returns_none(flavor: str) -> None:
    harness = Harness(flavor, Response(204, {}, b""))
    assert await harness.call("carts_v3.delete_line_item", "c1", "i9") is None


def items(count: int) -> list[dict[str, int]]:
    return [{"id": i} for i in range(1, count + 1)]


def page_server(row: Case, data: list[dict[str, int]]) -> Callable[[Request], Response]:
    """Answers a list endpoint from ``data``, the way BigCommerce pages that endpoint."""

    def answer(request: Request) -> Response:
        query = split(request)[2]
        if row.reply is Reply.UNPAGED:
            return json_response(200, {"data": data, "meta": {}})
        limit = int(query["limit"])
        if row.reply is Reply.CURSOR:
            start = int(query.get("after", 0))
            chunk, end = data[start : start + limit], start + limit
            links = {"next": f"?limit={limit}&after={end}"} if end < len(data) else {}
            meta = {"count": len(chunk), "per_page": limit, "start_cursor": str(start)}
            meta.update(end_cursor=str(end), links=links)
            return json_response(200, {"data": chunk, "meta": {"cursor_pagination": meta}})
        page = int(query["page"])
        chunk = data[(page - 1) * limit : page * limit]
        if row.v2:
            return json_response(200, chunk) if chunk else Response(204, {}, b"")
        total_pages = max(1, -(-len(data) // limit))
        pagination = {"total": len(data), "count": len(chunk), "per_page": limit}
        pagination.update(current_page=page, total_pages=total_pages)
        return json_response(200, {"data": chunk, "meta": {"pagination": pagination}})

    return answer


@by_flavor
@by_list
@pytest.mark.parametrize("count", [500, 601])
async def test_lists_read_every_page_once(flavor: str, row: Case, count: int) -> None:
    """Several pages, every item once and in order; v2 ends at a 204 or a short page."""
    data = items(count)
    harness = Harness(flavor, default=page_server(row, data))

    assert await harness.run(row) == data

    seen = [split(request) for request in harness.requests]
    assert {(method, path) for method, path, _ in seen} == {(row.http, PREFIX + row.path)}
    if row.reply is Reply.UNPAGED:
        assert [query for *_, query in seen] == [row.expected_query]  # one request, no paging
        return
    constant = {k: v for k, v in row.expected_query.items() if k != "page"}
    for *_, query in seen:
        assert {k: v for k, v in query.items() if k not in {"page", "after"}} == constant
    full_pages, rest = divmod(count, PAGE_SIZE)
    needed = full_pages + (rest > 0)  # the pages holding items
    if row.reply is Reply.CURSOR:
        assert [query.get("after") for *_, query in seen] == [None, "250", "500"][:needed]
        return
    pages = sorted(int(query["page"]) for *_, query in seen)
    assert pages == list(range(1, len(pages) + 1)), "a page was read twice or skipped"
    if row.v2:
        # v2 says nothing of the total: a short page or a 204 past the end stops
        # it; pages read ahead past the end are answered 204 and add nothing.
        assert len(pages) >= needed + (rest == 0)
    else:
        assert len(pages) == needed, "v3 reads exactly meta.pagination.total_pages pages"


@by_flavor
@by_list
async def test_lists_are_lazy(flavor: str, row: Case) -> None:
    harness = Harness(flavor, default=page_server(row, items(600)))
    iterator = harness.method(row.call)(*row.args, **row.kwargs)
    assert harness.requests == [], "a list method sent a request before being iterated"
    assert await harness.first_item(iterator) == {"id": 1}
    assert len(harness.requests) == 1
    await harness.close_iterator(iterator)


@by_flavor
@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ([3, 1, 2], "3,1,2"),
        ((3, 1), "3,1"),
        ({2, 1}, "1,2"),
        (frozenset({"b", "a"}), "a,b"),
        (True, "true"),
        (False, "false"),
        (5, "5"),
        ("a b&c", "a b&c"),
    ],
)
async def test_query_values(flavor: str, value: Any, sent: str) -> None:
    harness = Harness(flavor, json_response(200, {"data": ITEM}))
    await harness.call("products_v3.get", 77, params={"x": value})
    assert split(harness.requests[0])[2] == {"x": sent}


# ---------------------------------------------------------------------------
# 3. Safety: path parameters, retries of POST, direct-access paths

ID_CASES = [row for row in CASES if id_positions(row)]


@by_flavor
@pytest.mark.parametrize(
    ("call", "args", "url"),
    [
        ("carts_v3.get", (HOSTILE,), f"/v3/carts/{ESCAPED_HOSTILE}"),
        ("orders_v2.get_shipment", (HOSTILE, 8), f"/v2/orders/{ESCAPED_HOSTILE}/shipments/8"),
        ("checkouts_v3.delete_coupon", ("k1", "A/B?C#D"), "/v3/checkouts/k1/coupons/A%2FB%3FC%23D"),
        ("customer_groups_v2.get", ("4 5",), "/v2/customer_groups/4%205"),
    ],
)
async def test_hostile_ids_stay_one_segment(flavor: str, call: str, args: Any, url: str) -> None:
    harness = Harness(flavor, json_response(200, {"data": ITEM} if "/v3/" in url else ITEM))
    await harness.call(call, *args)
    assert harness.requests[0].url == BASE + PREFIX + url


@by_flavor
@pytest.mark.parametrize("row", ID_CASES, ids=_ids(ID_CASES))
async def test_every_id_is_escaped(flavor: str, row: Case) -> None:
    """Each ID argument of each method, replaced by a hostile one, fills one segment."""
    for position, _ in id_positions(row):
        harness = Harness(flavor, row.answer())
        args = list(row.args)
        args[position] = HOSTILE
        # A lookup by id:in finds no item of that ID in the canned answer.
        with contextlib.suppress(DoesNotExistError) if row.call in LOOKUPS else nullcontext():
            await harness.run(row, tuple(args))
        path = split(harness.requests[0])[1].removeprefix(PREFIX).split("/")
        expected = row.path.split("/")
        assert len(path) == len(expected), harness.requests[0].url
        assert all(
            got in (want, ESCAPED_HOSTILE) for got, want in zip(path, expected, strict=True)
        ), path


@by_flavor
@pytest.mark.parametrize("row", ID_CASES, ids=_ids(ID_CASES))
async def test_empty_ids_raise_before_any_request(flavor: str, row: Case) -> None:
    for position, parameter in id_positions(row):
        for bad in ("", "  ", None):
            if bad is None and parameter.default is None:
                continue  # orders_v3.all_refunds(None): every order's refunds
            harness = Harness(flavor, row.answer())
            args = list(row.args)
            args[position] = bad
            with pytest.raises(ValueError, match=parameter.name):
                await harness.run(row, tuple(args))
            assert harness.requests == [], f"{row.call} sent a request with ID {bad!r}"


@by_flavor
@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("customers_v3.delete_many", ([],)),
        ("customers_v3.delete_many", ([11, None],)),
        ("customers_v3.delete_addresses", ([21, ""],)),
        ("customers_v3.update_many", ({"id": 11},)),  # one dict, not a list of them
        ("customers_v3.create_many", ("ann@example.com",)),
    ],
)
async def test_bad_batches_raise_before_any_request(flavor: str, call: str, args: Any) -> None:
    harness = Harness(flavor)
    with pytest.raises((ValueError, TypeError)):
        await harness.call(call, *args)
    assert harness.requests == []


@by_flavor
@pytest.mark.parametrize("version", ["api_v2", "api_v3"])
async def test_post_cannot_be_retried(flavor: str, version: str) -> None:
    harness = Harness(flavor)
    api = getattr(harness.api, version)
    sends: list[Callable[[], Any]] = [
        lambda: api.post("/carts", data={}, retries=1),
        lambda: api.request("POST", "/carts", data={}, retries=1),
        lambda: api.request("post", "/carts", data={}, retries=3),
    ]
    for send in sends:
        with pytest.raises(ValueError, match="POST"):
            await harness.resolve(send())
    assert harness.requests == []
    await harness.resolve(api.post("/carts", data={}, retries=0))
    assert len(harness.requests) == 1


@by_flavor
@pytest.mark.parametrize("version", ["api_v2", "api_v3"])
@pytest.mark.parametrize("path", ["/orders?status_id=1", "/orders/101#top", "orders?"])
async def test_direct_paths_must_not_carry_a_query(flavor: str, version: str, path: str) -> None:
    harness = Harness(flavor)
    api = getattr(harness.api, version)
    sends: list[Callable[[], Any]] = [
        lambda: api.get(path),
        lambda: api.delete(path),
        lambda: api.get_many(path),
    ]
    for send in sends:
        with pytest.raises(ValueError, match="params"):
            await harness.resolve(send())
    assert harness.requests == []


# ---------------------------------------------------------------------------
# 4. The seed README, as written (plus transport=), sync and async


ORDER_101 = {"id": 101, "customer_id": 1, "status_id": 11}


def test_seed_readme_sync(no_sleep: list[float]) -> None:
    from bigc import BigCommerceAPI

    transport = SyncTransport(
        json_response(200, ORDER_101),
        json_response(200, [ORDER_101]),
    )
    store_hash = "000000000"
    access_token = "0000000000000000000000000000000"
    bigcommerce = BigCommerceAPI(store_hash, access_token, transport=transport)
    order = bigcommerce.orders_v2.get(101)
    list_of_orders = list(bigcommerce.orders_v2.all(params={"customer_id": 1}))
    assert order == ORDER_101
    assert list_of_orders == [ORDER_101]

    bigcommerce = BigCommerceAPI("store_hash", "access_token", timeout=7, transport=transport)
    transport.answers.extend([json_response(200, {"data": {"id": 5001}})])
    assert bigcommerce.checkouts_v3.create_order("checkout_id", timeout=16) == {"id": 5001}

    bigcommerce = BigCommerceAPI("store_hash", "access_token", get_retries=2, transport=transport)
    server_error = json_response(500, {"status": 500, "title": "Internal Server Error"})
    transport.answers.extend([server_error] * 5 + [json_response(200, {"data": [{"id": 1}]})])
    assert bigcommerce.customers_v3.get(1, retries=5) == {"id": 1}

    bigcommerce = BigCommerceAPI("store_hash", "access_token", transport=transport)
    transport.answers.extend([json_response(200, {"data": {"id": 77}}), json_response(200, [])])
    product = bigcommerce.api_v3.get("/products/77", params={"include": "videos"})
    order_messages = list(bigcommerce.api_v2.get_many("/orders/101/messages"))
    assert product == {"id": 77}
    assert order_messages == []

    check_seed_requests(transport, no_sleep)


async def test_seed_readme_async(no_sleep: list[float]) -> None:
    from bigc import AsyncBigCommerceAPI

    transport = AsyncTransport(
        json_response(200, ORDER_101),
        json_response(200, [ORDER_101]),
    )
    store_hash = "000000000"
    access_token = "0000000000000000000000000000000"
    bigcommerce = AsyncBigCommerceAPI(store_hash, access_token, transport=transport)
    order = await bigcommerce.orders_v2.get(101)
    list_of_orders = [o async for o in bigcommerce.orders_v2.all(params={"customer_id": 1})]
    assert order == ORDER_101
    assert list_of_orders == [ORDER_101]

    bigcommerce = AsyncBigCommerceAPI("store_hash", "access_token", timeout=7, transport=transport)
    transport.answers.extend([json_response(200, {"data": {"id": 5001}})])
    assert await bigcommerce.checkouts_v3.create_order("checkout_id", timeout=16) == {"id": 5001}

    bigcommerce = AsyncBigCommerceAPI(
        "store_hash", "access_token", get_retries=2, transport=transport
    )
    server_error = json_response(500, {"status": 500, "title": "Internal Server Error"})
    transport.answers.extend([server_error] * 5 + [json_response(200, {"data": [{"id": 1}]})])
    assert await bigcommerce.customers_v3.get(1, retries=5) == {"id": 1}

    bigcommerce = AsyncBigCommerceAPI("store_hash", "access_token", transport=transport)
    transport.answers.extend([json_response(200, {"data": {"id": 77}}), json_response(200, [])])
    product = await bigcommerce.api_v3.get("/products/77", params={"include": "videos"})
    order_messages = [m async for m in bigcommerce.api_v2.get_many("/orders/101/messages")]
    assert product == {"id": 77}
    assert order_messages == []

    check_seed_requests(transport, no_sleep)


def check_seed_requests(transport: Recorder, slept: list[float]) -> None:
    """What the README calls sent; the spec knows every resource call among them."""
    order_query = {"customer_id": "1", "limit": "250", "page": "1"}
    assert transport.calls() == [
        ("GET", "/stores/000000000/v2/orders/101", {}),
        ("GET", "/stores/000000000/v2/orders", order_query),
        ("POST", "/stores/store_hash/v3/checkouts/checkout_id/orders", {}),
        *[("GET", "/stores/store_hash/v3/customers", {"id:in": "1"})] * 6,
        ("GET", "/stores/store_hash/v3/products/77", {"include": "videos"}),
        ("GET", "/stores/store_hash/v2/orders/101/messages", {"limit": "250", "page": "1"}),
    ]
    assert transport.requests[0].headers["X-Auth-Token"] == "0000000000000000000000000000000"
    assert transport.requests[2].timeout == Timeout(connect=16, read=16)
    assert transport.requests[2].body is None
    assert len(slept) == 5, "retries=5 must override get_retries=2"
    # /v3/products/77 is the README's own direct-call example, not a path of the spec.
    groups = ["orders_v2"] * 2 + ["checkouts_v3"] + ["customers_v3"] * 6 + [None, "orders_v2"]
    for request, group in zip(transport.requests, groups, strict=True):
        assert group is None or spec_operation(group, request.method, version_path(request))


@by_flavor
async def test_seed_readme_errors(flavor: str) -> None:
    """404 raises DoesNotExistError with BigCommerce's message; 500s are server errors."""
    missing = json_response(
        404, [{"status": 404, "message": "The requested resource was not found."}]
    )
    harness = Harness(flavor, missing, json_response(500, {"status": 500, "title": "Boom"}))
    with pytest.raises(bigc.exceptions.BigCommerceException) as info:
        await harness.call("orders_v2.get", 101)
    assert isinstance(info.value, DoesNotExistError)
    assert info.value.message == "The requested resource was not found."
    with pytest.raises(InternalServerError) as server:
        await harness.call("carts_v3.create", CART)
    assert server.value.message == "Boom"
    assert len(harness.requests) == 2, "a POST answered 500 must not be repeated"
