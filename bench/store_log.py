"""What keeping secrets out of the fake store's request log costs per request.

Each row sends one kind of request to ``FakeStore.handle`` in process (best of 5
batches), once as the store runs and once with the log's redaction replaced by
a pass-through (the baseline: the log before it redacted anything), and prints
the ratio. Bodies are realistic: a sample product (~3.4 KB, every field the
spec declares, no secret in it: the common case), a customer update with a
password, and the storefront ``login`` mutation.
Run: ``.venv/bin/python bench/store_log.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import bigc.testing._store as store_module
from bigc.testing import FakeStore
from bigc.testing._sample import Sample

CALLS = 2_000
HEADERS = {"X-Auth-Token": "token", "Content-Type": "application/json"}
PRODUCT = {k: v for k, v in Sample(0, 10, 1, 1).product(3).items() if k not in ("id", "sku")}


def per_call_us(send: Callable[[int], object]) -> float:
    batches = []
    for _ in range(5):
        started = time.perf_counter()
        for n in range(CALLS):
            send(n)
        batches.append((time.perf_counter() - started) / CALLS * 1e6)
    return min(batches)


def product_put(store: FakeStore) -> Callable[[int], object]:
    body = json.dumps({**PRODUCT, "name": "Bench product"}).encode()
    return lambda n: store.handle("PUT", "/stores/s/v3/catalog/products/1", HEADERS, body)


def customer_password(store: FakeStore) -> Callable[[int], object]:
    customer = {"email": "b@example.com", "first_name": "B", "last_name": "C"}
    store.api("POST", "/v3/customers", json=[customer])
    body = json.dumps([{"id": 1, "authentication": {"new_password": "pw-1234567"}}]).encode()
    return lambda n: store.handle("PUT", "/stores/s/v3/customers", HEADERS, body)


def storefront_login(store: FakeStore) -> Callable[[int], object]:
    customer = {"email": "l@example.com", "first_name": "L", "last_name": "M"}
    store.api(
        "POST",
        "/v3/customers",
        json=[{**customer, "authentication": {"new_password": "pw-1234567"}}],
    )
    token = store.api(
        "POST", "/v3/storefront/api-token", json={"channel_id": 1, "expires_at": 2**31}
    )
    bearer = {"Authorization": f"Bearer {token['data']['token']}"}
    query = 'mutation { login(email: "l@example.com", password: "pw-1234567") { result } }'
    body = json.dumps({"query": query}).encode()
    return lambda n: store.handle("POST", "/graphql", bearer, body)


def main() -> None:
    names = vars(store_module)  # the store's own reference to the function is swapped
    redact = names["redact_body"]
    print("| request | redacting (µs) | not redacting (µs) | ratio |")
    print("|---|---|---|---|")
    for name, make in (
        ("PUT product, 3.4 KB, no secret", product_put),
        ("PUT customer with new_password", customer_password),
        ("storefront login mutation", storefront_login),
    ):
        timings = []
        for redacting in (False, True):
            names["redact_body"] = redact if redacting else (lambda body, *a, **k: body)
            store = FakeStore.with_sample_data(products=5, customers=0, orders=0)
            send = make(store)
            send(0)
            timings.append(per_call_us(send))
        names["redact_body"] = redact
        off, on = timings
        print(f"| {name} | {on:.1f} | {off:.1f} | {on / off:.2f} |")


if __name__ == "__main__":
    main()
