"""Independent processes (no shared state) reading lists from one store with a small quota.

Issue 14's scenario: four processes, twelve v2 pages in flight each, a quota of
10 per second, the later processes starting into a window the others spent.
Every process must read every item: no 429 reaches a caller, nobody starves.
(The spreading itself is tested exactly in ``test_ratelimit.py``.)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI
from bigc.testing import FakeServer, FakeStore

PROCESSES = 4
ORDERS = 40
PAGE_SIZE = 5  # 8 pages per process; v2 lists read up to 12 pages ahead
STAGGER = 0.3


def _read_list(kind: str, base_url: str, results: Any) -> None:
    try:
        if kind == "async":

            async def read() -> int:
                async with AsyncBigCommerceAPI("abc", "token", base_url=base_url) as api:
                    pages = api.api_v2.get_many("/orders", page_size=PAGE_SIZE)
                    return len([item async for item in pages])

            results.put(asyncio.run(read()))
        else:
            with BigCommerceAPI("abc", "token", base_url=base_url) as api:
                pages = api.api_v2.get_many("/orders", page_size=PAGE_SIZE)
                results.put(len(list(pages)))
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_independent_processes_share_a_small_quota_without_surfacing_429s(kind: str) -> None:
    store = FakeStore.with_sample_data(orders=ORDERS, quota=10, window_ms=1000)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    with FakeServer(store) as server:
        workers = [
            context.Process(target=_read_list, args=(kind, server.base_url, results))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
            time.sleep(STAGGER)  # latecomers find the window spent by the others
        outcomes = [results.get(timeout=90) for _ in workers]
        for worker in workers:
            worker.join(10)
    # Every process read every item: nobody starved, no 429 reached a caller.
    assert outcomes == [ORDERS] * PROCESSES
