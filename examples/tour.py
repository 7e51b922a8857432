"""A short tour of bigc, the README's main job.

With ``BIGC_STORE_HASH`` and ``BIGC_ACCESS_TOKEN`` set it reads from that
store (and writes nothing). Otherwise it runs against bigc's built-in fake
store: lists products, turns a cart into an order through a checkout, fetches
the order, and prints every request that was sent.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from bigc import BigCommerceAPI, Response
from bigc.data import BigCommerceOrderStatus
from bigc.utils import parse_rfc2822_date

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "address1": "1 Main St",
    "city": "Austin",
    "state_or_province": "Texas",
    "postal_code": "78701",
    "country_code": "US",
}


def connect(sent: list[Response]) -> tuple[BigCommerceAPI, bool]:
    """A client for the configured store, or for a fake one; and whether it is real."""
    hooks: dict[str, Any] = {"response": [sent.append]}
    store_hash = os.environ.get("BIGC_STORE_HASH")
    token = os.environ.get("BIGC_ACCESS_TOKEN")
    if store_hash and token:
        return BigCommerceAPI(store_hash, token, event_hooks=hooks), True
    from bigc.testing import FakeStore

    store = FakeStore.with_sample_data(products=1200, customers=20, orders=30)
    api = BigCommerceAPI("demo", "demo-token", transport=store.transport(), event_hooks=hooks)
    return api, False


def show_products(api: BigCommerceAPI) -> None:
    print("First five visible products:")
    for product in itertools.islice(api.products_v3.all(params={"is_visible": True}), 5):
        print(f"  #{product['id']:<5} {product['name']:<40} {product['price']:>9.2f}")
    started = time.perf_counter()
    count = sum(1 for _ in api.products_v3.all())
    took = time.perf_counter() - started
    print(f"All {count} products read in {took * 1000:.0f} ms (pages fetched concurrently)")


def place_order(api: BigCommerceAPI) -> int:
    """Cart -> checkout -> order, the way a headless storefront does it."""
    product = next(api.products_v3.all(params={"type": "physical", "is_visible": True}))
    cart = api.carts_v3.create({"line_items": [{"product_id": product["id"], "quantity": 2}]})
    print(f"Cart {cart['id']} holds 2 x {product['name']}")
    api.checkouts_v3.add_billing_address(cart["id"], ADDRESS)
    item = cart["line_items"]["physical_items"][0]
    checkout = api.checkouts_v3.add_consignments(
        cart["id"], [{"address": ADDRESS, "line_items": [{"item_id": item["id"], "quantity": 2}]}]
    )
    consignment = checkout["consignments"][0]
    option = consignment["available_shipping_options"][0]
    api.checkouts_v3.update_consignment(
        cart["id"], consignment["id"], {"shipping_option_id": option["id"]}
    )
    order_id = int(api.checkouts_v3.create_order(cart["id"])["id"])
    print(f"Checkout became order {order_id} (shipping: {option['description']})")
    return order_id


def show_order(api: BigCommerceAPI, order_id: int) -> None:
    order = api.orders_v2.get(order_id)
    status = BigCommerceOrderStatus(order["status_id"]).name
    created = parse_rfc2822_date(order["date_created"])
    print(f"Order {order_id}: {status}, total {order['total_inc_tax']}, created {created:%Y-%m-%d}")
    for line in api.orders_v2.all_products(order_id):
        print(f"  {line['quantity']} x {line['name']}")


def show_requests(sent: list[Response]) -> None:
    print(f"\n{len(sent)} requests were sent:")
    for response in sent[:12]:
        request = response.request
        assert request is not None
        parts = urlsplit(request.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        print(f"  {request.method:<6} {target:<72} {response.status_code}")
    if len(sent) > 12:
        print(f"  ... and {len(sent) - 12} more")


def main() -> int:
    sent: list[Response] = []
    api, real = connect(sent)
    with api:
        print(f"Connected to {'store ' + api.config.store_hash if real else 'the fake store'}\n")
        show_products(api)
        if real:
            first = next(api.orders_v2.all(), None)
            if first is not None:
                show_order(api, first["id"])
        else:
            show_order(api, place_order(api))
        show_requests(sent)
        if api.rate_limit is not None:
            limit = api.rate_limit
            print(f"\nRate limit: {limit.left} of {limit.quota} requests left in this window")
    return 0


if __name__ == "__main__":
    sys.exit(main())
