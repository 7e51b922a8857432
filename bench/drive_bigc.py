"""Driver for this repository's bigc (sync and async), run from the project's venv.

``python bench/drive_bigc.py SCENARIO --url URL [--client sync|async] ...``
prints one JSON line; see ``benchlib.parse_args`` for the options. Clients are
created with default settings, pointed at the fake store with ``base_url``.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import benchlib
from benchlib import ACCESS_TOKEN, STORE_HASH, Recorder

from bigc import AsyncBigCommerceAPI, BigCommerceAPI, Request, Response, _json
from bigc.exceptions import BigCommerceException


class Counter:
    """Hooks counting requests sent and timing the responses that came back.

    The two differ when an iteration stops early: requests still in flight
    are abandoned (v2 read-ahead past the last page).
    """

    def __init__(self) -> None:
        self.sent = 0
        self.elapsed: list[float] = []

    def hooks(self) -> dict[str, list[Any]]:
        return {"request": [self.on_request], "response": [self.on_response]}

    def on_request(self, request: Request) -> None:
        self.sent += 1

    def on_response(self, response: Response) -> None:
        self.elapsed.append(response.elapsed)

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.sent,
            "responses": len(self.elapsed),
            "request_ms": statistics.median(self.elapsed) * 1000,
        }


def recorder_hooks(recorder: Recorder) -> dict[str, list[Any]]:
    def hook(response: Response) -> None:
        recorder.record(response.status_code, response.headers, response.elapsed)

    return {"response": [hook]}


def sync_client(url: str, hooks: dict[str, list[Any]] | None = None) -> BigCommerceAPI:
    return BigCommerceAPI(STORE_HASH, ACCESS_TOKEN, base_url=url, event_hooks=hooks)


def async_client(url: str, hooks: dict[str, list[Any]] | None = None) -> AsyncBigCommerceAPI:
    return AsyncBigCommerceAPI(STORE_HASH, ACCESS_TOKEN, base_url=url, event_hooks=hooks)


# -- sync --------------------------------------------------------------------


def sync_list(api: BigCommerceAPI, resource: str) -> Iterator[Any]:
    return api.products_v3.all() if resource == "products" else api.orders_v2.all()


def sync_export(args: Any) -> dict[str, Any]:
    clock = benchlib.Clock()
    items = 0
    counter = Counter()
    for _ in range(args.repeat):
        counter = Counter()
        with sync_client(args.url, counter.hooks()) as api:
            clock.start()
            items = benchlib.consume(sync_list(api, args.resource), args.drop)
            clock.stop()
    return {"times": clock.times, "cpu": clock.cpu, "items": items, **counter.summary()}


def sync_quota(args: Any) -> dict[str, Any]:
    recorder = Recorder()
    with (
        sync_client(args.url, recorder_hooks(recorder)) as api,
        benchlib.quota_run(BigCommerceException) as result,
    ):
        for _ in api.api_v3.get_many("/catalog/products", page_size=args.page_size):
            result["items"] += 1
    result["attempts"] = recorder.attempts
    return result


def sync_get(args: Any) -> dict[str, Any]:
    with sync_client(args.url) as api:
        if args.resource == "products":
            ids = [p["id"] for p in itertools.islice(api.products_v3.all(), 100)]
            get: Callable[..., Any] = api.products_v3.get
        else:
            ids = [o["id"] for o in itertools.islice(api.orders_v2.all(), 100)]
            get = api.orders_v2.get
        return benchlib.time_gets(get, ids, args)


def sync_memory(args: Any) -> dict[str, Any]:
    with sync_client(args.url) as api:
        base = benchlib.max_rss_kib()
        started = time.perf_counter()
        count = 0
        products = api.products_v3.all()
        for _ in products:
            count += 1
            if count == args.items:
                break
        elapsed = time.perf_counter() - started
        peak = benchlib.max_rss_kib()
    return {"base_kib": base, "peak_kib": peak, "items": count, "elapsed": elapsed}


# -- async -------------------------------------------------------------------


async def async_export(args: Any) -> dict[str, Any]:
    clock = benchlib.Clock()
    items = 0
    counter = Counter()
    for _ in range(args.repeat):
        counter = Counter()
        async with async_client(args.url, counter.hooks()) as api:
            clock.start()
            listing = api.products_v3.all() if args.resource == "products" else api.orders_v2.all()
            kept: list[Any] = []
            items = 0
            async for item in listing:
                items += 1
                if not args.drop:
                    kept.append(item)
            clock.stop()
    return {"times": clock.times, "cpu": clock.cpu, "items": items, **counter.summary()}


async def async_quota(args: Any) -> dict[str, Any]:
    recorder = Recorder()
    async with async_client(args.url, recorder_hooks(recorder)) as api:
        with benchlib.quota_run(BigCommerceException) as result:
            async for _ in api.api_v3.get_many("/catalog/products", page_size=args.page_size):
                result["items"] += 1
    result["attempts"] = recorder.attempts
    return result


async def async_get(args: Any) -> dict[str, Any]:
    async with async_client(args.url) as api:
        if args.resource == "products":
            listing: AsyncIterator[Any] = api.products_v3.all()
            get: Callable[..., Any] = api.products_v3.get
        else:
            listing = api.orders_v2.all()
            get = api.orders_v2.get
        ids: list[Any] = []
        async for item in listing:
            ids.append(item["id"])
            if len(ids) == 100:
                break
        await listing.aclose()  # type: ignore[attr-defined]
        cycle = itertools.cycle(ids)
        for _ in range(benchlib.WARMUP_REQUESTS):
            await get(next(cycle))
        cpu: list[float] = []
        wall: list[float] = []
        for _ in range(args.repeat):
            batch = [next(cycle) for _ in range(args.requests)]
            c0, w0 = time.process_time(), time.perf_counter()
            for object_id in batch:
                await get(object_id)
            cpu.append((time.process_time() - c0) / args.requests * 1e6)
            wall.append((time.perf_counter() - w0) / args.requests * 1e6)
    return {"cpu_us": cpu, "wall_us": wall}


async def async_memory(args: Any) -> dict[str, Any]:
    async with async_client(args.url) as api:
        base = benchlib.max_rss_kib()
        started = time.perf_counter()
        count = 0
        products = api.products_v3.all()
        async for _ in products:
            count += 1
            if count == args.items:
                break
        await products.aclose()
        elapsed = time.perf_counter() - started
        peak = benchlib.max_rss_kib()
    return {"base_kib": base, "peak_kib": peak, "items": count, "elapsed": elapsed}


SYNC = {"export": sync_export, "quota": sync_quota, "get": sync_get, "memory": sync_memory}
ASYNC = {"export": async_export, "quota": async_quota, "get": async_get, "memory": async_memory}


def main() -> int:
    args = benchlib.parse_args()
    if _json.use_speedups(args.json == "msgspec") != (args.json == "msgspec"):
        raise SystemExit("--json msgspec: msgspec is not installed (pip install 'bigc[speedups]')")
    if args.client == "sync":
        result = SYNC[args.scenario](args)
    else:
        result = asyncio.run(ASYNC[args.scenario](args))
    benchlib.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
