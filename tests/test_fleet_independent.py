"""Independent processes (no shared state) reading one store with a small quota.

Issue 14's scenario: four processes, pages read twelve at a time, a quota of
10 per second. Each process reads the catalog over and over for a few
seconds. Before pacing spread the quota over the window, whoever was late at
a reset lost the window, again and again: this test read [0, 31, 11, 8] pages
(sync) and [16, 0, 0, 24] (async) with the code before. Now no 429 reaches a
caller and everyone gets a fair share.
(The spreading itself is tested exactly in ``test_ratelimit.py``.)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI
from bigc.exceptions import TooManyRequestsError
from bigc.testing import FakeServer, FakeStore

PROCESSES = 4
PRODUCTS = 40
PAGE_SIZE = 5
SECONDS = 5.0


def _read_until(kind: str, base_url: str, start: float, results: Any) -> None:
    """Read the catalog until ``start + SECONDS``; report pages read and 429s surfaced."""
    pages = [0]
    surfaced = 0

    def count(response: Any) -> None:
        if response.status_code == 200 and time.time() < end:
            pages[0] += 1

    end = start + SECONDS
    options: dict[str, Any] = {"base_url": base_url, "event_hooks": {"response": [count]}}
    time.sleep(max(0.0, start - time.time()))

    async def read_async() -> None:
        nonlocal surfaced
        async with AsyncBigCommerceAPI("abc", "token", **options) as api:
            while time.time() < end:
                try:
                    async for _ in api.api_v3.get_many("/catalog/products", page_size=PAGE_SIZE):
                        if time.time() >= end:
                            break
                except TooManyRequestsError:
                    surfaced += 1

    if kind == "async":
        asyncio.run(read_async())
    else:
        with BigCommerceAPI("abc", "token", **options) as api:
            while time.time() < end:
                try:
                    for _ in api.api_v3.get_many("/catalog/products", page_size=PAGE_SIZE):
                        if time.time() >= end:
                            break
                except TooManyRequestsError:
                    surfaced += 1
    results.put((pages[0], surfaced))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_independent_processes_share_a_small_quota_fairly(kind: str) -> None:
    store = FakeStore.with_sample_data(products=PRODUCTS, quota=10, window_ms=1000)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    with FakeServer(store) as server:
        start = time.time() + 2.0  # every process imported and waiting by then
        workers = [
            context.Process(target=_read_until, args=(kind, server.base_url, start, results))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(10)
    pages = [read for read, _ in outcomes]
    assert [surfaced for _, surfaced in outcomes] == [0] * PROCESSES
    # Nobody starves: the least served process got at least half the average.
    assert min(pages) >= 0.5 * sum(pages) / PROCESSES, pages
