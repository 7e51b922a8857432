"""Driver for the published ``bigc`` 1.1.0, run from ``bench/.venvs/bigc-1.1.0``.

That package hard-codes ``https://api.bigcommerce.com``; its URL-building
methods are wrapped at runtime so that the URL they build is rewritten to the
fake store (one string replacement per request). Nothing else is changed.
The package is imported with ``importlib`` so that mypy, which sees this
repository's ``bigc``, treats it as untyped.
"""

from __future__ import annotations

import importlib
import itertools
import sys
import time
from typing import Any

import benchlib
from benchlib import ACCESS_TOKEN, STORE_HASH, Recorder


def redirect_package(base_url: str) -> None:
    api_client = importlib.import_module("bigc.api_client")
    for cls in (api_client.BigCommerceV2APIClient, api_client.BigCommerceV3APIClient):
        original = cls._prepare_url

        def prepare_url(self: Any, path: str, _original: Any = original) -> str:
            return benchlib.redirect(_original(self, path), base_url)

        cls._prepare_url = prepare_url


def client() -> Any:
    return importlib.import_module("bigc").BigCommerceAPI(STORE_HASH, ACCESS_TOKEN)


def listing(api: Any, resource: str) -> Any:
    return api.products_v3.all() if resource == "products" else api.orders_v2.all()


def export(args: Any) -> dict[str, Any]:
    return benchlib.export_through_requests(client, lambda api: listing(api, args.resource), args)


def quota(args: Any) -> dict[str, Any]:
    recorder = Recorder()
    benchlib.record_requests_responses(recorder)
    exceptions = importlib.import_module("bigc.exceptions")
    api = client()
    with benchlib.quota_run(exceptions.BigCommerceException) as result:
        for _ in api.api_v3.get_many("/catalog/products", page_size=args.page_size):
            result["items"] += 1
    result["attempts"] = recorder.attempts
    return result


def get(args: Any) -> dict[str, Any]:
    api = client()
    if args.resource == "products":
        ids = [p["id"] for p in itertools.islice(api.products_v3.all(), 100)]
        fetch = api.products_v3.get
    else:
        ids = [o["id"] for o in itertools.islice(api.orders_v2.all(), 100)]
        fetch = api.orders_v2.get
    return benchlib.time_gets(fetch, ids, args)


def memory(args: Any) -> dict[str, Any]:
    api = client()
    base = benchlib.max_rss_kib()
    started = time.perf_counter()
    count = 0
    for _ in api.products_v3.all():
        count += 1
        if count == args.items:
            break
    elapsed = time.perf_counter() - started
    return {
        "base_kib": base,
        "peak_kib": benchlib.max_rss_kib(),
        "items": count,
        "elapsed": elapsed,
    }


SCENARIOS = {"export": export, "quota": quota, "get": get, "memory": memory}


def main() -> int:
    args = benchlib.parse_args()
    redirect_package(args.url)
    benchlib.emit(SCENARIOS[args.scenario](args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
