"""Driver for the official ``bigcommerce`` 0.23.4, run from ``bench/.venvs/bigcommerce-0.23.4``.

That package builds ``https://`` + host + path; ``OAuthConnection.full_path``
is wrapped at runtime so that the URL it builds is rewritten to the fake
store. It only speaks v2 resources (``Products`` is v2 ``/products``), so
for products the driver reports what happens when it tries.
"""

from __future__ import annotations

import importlib
import itertools
import sys
from typing import Any

import benchlib
from benchlib import ACCESS_TOKEN, STORE_HASH


def redirect_package(base_url: str) -> None:
    connection = importlib.import_module("bigcommerce.connection")
    cls = connection.OAuthConnection
    original = cls.full_path

    def full_path(self: Any, url: str) -> str:
        return benchlib.redirect(original(self, url), base_url)

    cls.full_path = full_path


def client() -> Any:
    api = importlib.import_module("bigcommerce.api")
    return api.BigcommerceApi(client_id="bench", store_hash=STORE_HASH, access_token=ACCESS_TOKEN)


def resource(api: Any, name: str) -> Any:
    return api.Products if name == "products" else api.Orders


def export(args: Any) -> dict[str, Any]:
    return benchlib.export_through_requests(
        client, lambda api: resource(api, args.resource).iterall(), args
    )


def get(args: Any) -> dict[str, Any]:
    api = client()
    orders = resource(api, args.resource)
    try:
        ids = [o["id"] for o in itertools.islice(orders.iterall(), 100)]
    except Exception as exc:
        return {"error": f"{benchlib.error_name(exc)}: {str(exc)[:120]}"}
    return benchlib.time_gets(orders.get, ids, args)


SCENARIOS = {"export": export, "get": get}


def main() -> int:
    args = benchlib.parse_args()
    redirect_package(args.url)
    if args.scenario not in SCENARIOS:
        benchlib.emit({"error": f"scenario {args.scenario!r} not driven for this package"})
        return 0
    benchlib.emit(SCENARIOS[args.scenario](args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
