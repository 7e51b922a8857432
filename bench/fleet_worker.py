"""One worker of ``bench/fleet.py``: exports the catalog over and over until told to stop.

Reads its settings as JSON from argv[1], prints ``ready`` once bigc is
imported, waits for the start time (a line on stdin, ``time.time()``), runs
until ``start + duration`` and prints one JSON line: requests answered 200
and 429 within the run, and the 429s that reached the caller. The bigc it
imports is whatever ``PYTHONPATH`` points at (the baseline or this tree).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

STORE_HASH = "fleetstore"


class Tally:
    """Answers counted by a response hook, from any thread, until ``end``."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.end = float("inf")
        self._lock = threading.Lock()

    def on_response(self, response: Any) -> None:
        if time.time() > self.end:
            return
        with self._lock:
            self.counts[f"http_{response.status_code}"] += 1

    def add(self, name: str) -> None:
        with self._lock:
            self.counts[name] += 1


def client_options(config: dict[str, Any], tally: Tally) -> dict[str, Any]:
    options: dict[str, Any] = {
        "base_url": config["base_url"],
        "event_hooks": {"response": [tally.on_response]},
    }
    if config["mode"] == "redis":
        import redis
        import redis.asyncio

        from bigc.quota import AsyncRedisQuota, RedisQuota

        if config["kind"] == "async":
            client = redis.asyncio.Redis.from_url(config["redis_url"], socket_timeout=2)
            options["quota"] = AsyncRedisQuota(client, STORE_HASH)
        else:
            options["quota"] = RedisQuota(
                redis.Redis.from_url(config["redis_url"], socket_timeout=2), STORE_HASH
            )
    return options


@contextlib.contextmanager
def counted_failures(tally: Tally) -> Iterator[None]:
    """One export that failed is counted (a 429 that reached the caller apart)."""
    from bigc.exceptions import BigCommerceException, TooManyRequestsError

    try:
        yield
    except TooManyRequestsError:
        tally.add("surfaced_429")
    except BigCommerceException:
        tally.add("errors")


def export_sync(api: Any, config: dict[str, Any], tally: Tally) -> None:
    while time.time() < tally.end:
        with counted_failures(tally):
            for _ in api.api_v3.get_many("/catalog/products", page_size=config["page_size"]):
                if time.time() >= tally.end:
                    break
    api.close()


async def export_async(api: Any, config: dict[str, Any], tally: Tally) -> None:
    while time.time() < tally.end:
        with counted_failures(tally):
            pages = api.api_v3.get_many("/catalog/products", page_size=config["page_size"])
            async for _ in pages:
                if time.time() >= tally.end:
                    break
    await api.aclose()


def main() -> None:
    config = json.loads(sys.argv[1])
    from bigc import AsyncBigCommerceAPI, BigCommerceAPI

    # Everything is imported and built before the start, nothing during the run.
    tally = Tally()
    cls = AsyncBigCommerceAPI if config["kind"] == "async" else BigCommerceAPI
    api = cls(STORE_HASH, "token", **client_options(config, tally))
    print("ready", flush=True)
    start = float(sys.stdin.readline())
    tally.end = start + config["duration"]
    time.sleep(max(0.0, start - time.time()))
    if config["kind"] == "async":
        asyncio.run(export_async(api, config, tally))
    else:
        export_sync(api, config, tally)
    print(json.dumps(dict(tally.counts)), flush=True)


if __name__ == "__main__":
    main()
