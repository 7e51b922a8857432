"""Pacing under a quota and many threads/tasks sharing one client, over a real socket."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI, RetryPolicy
from bigc.testing import FakeServer, FakeStore
from tests.support import settled

# No 429 may be waited out: one reaching the client would raise at once.
NO_429_RETRIES = RetryPolicy(rate_limit_retries=0)


@pytest.fixture
def limited() -> Iterator[tuple[FakeStore, str]]:
    store = FakeStore.with_sample_data(products=300, quota=20, window_ms=400, access_token="TOKEN")
    with FakeServer(store) as server:
        yield store, server.base_url


def connections_left(server: FakeServer) -> int:
    """Open connections once the server has seen the client's hang-ups."""
    settled(lambda: server.open_connections == 0)
    return server.open_connections


def statuses(store: FakeStore) -> list[int | None]:
    return [r.status for r in store.requests]


class TestPacing:
    def test_sequential_loop_never_hits_429(self, limited: tuple[FakeStore, str]) -> None:
        store, base_url = limited
        with BigCommerceAPI("s", "TOKEN", base_url=base_url, retry_policy=NO_429_RETRIES) as api:
            products = [api.products_v3.get(n % 300 + 1) for n in range(50)]
            assert api.rate_limit is not None and api.rate_limit.quota == 20
        assert len(products) == 50
        assert len(store.requests) == 50 and 429 not in statuses(store)

    def test_concurrent_export_never_hits_429(self, limited: tuple[FakeStore, str]) -> None:
        store, base_url = limited
        with BigCommerceAPI(
            "s", "TOKEN", base_url=base_url, retry_policy=NO_429_RETRIES, concurrency=8
        ) as api:
            ids = [p["id"] for p in api.api_v3.get_many("/catalog/products", page_size=6)]
        assert ids == sorted(set(ids)) and len(ids) == 300
        assert len(store.requests) == 50 and 429 not in statuses(store)

    def test_async_burst_never_hits_429(self, limited: tuple[FakeStore, str]) -> None:
        store, base_url = limited

        async def burst() -> list[int]:
            async with AsyncBigCommerceAPI(
                "s", "TOKEN", base_url=base_url, retry_policy=NO_429_RETRIES
            ) as api:
                found = await asyncio.gather(*(api.products_v3.get(n) for n in range(1, 51)))
                return [p["id"] for p in found]

        assert asyncio.run(burst()) == list(range(1, 51))
        assert 429 not in statuses(store)


@pytest.fixture
def open_store() -> Iterator[tuple[FakeStore, FakeServer]]:
    store = FakeStore.with_sample_data(products=500, orders=100, access_token="TOKEN")
    with FakeServer(store) as server:
        yield store, server


class TestSharedClient:
    def test_32_threads(
        self, open_store: tuple[FakeStore, FakeServer], caplog: pytest.LogCaptureFixture
    ) -> None:
        store, server = open_store
        caplog.set_level(logging.DEBUG, logger="bigc")
        errors: list[BaseException] = []
        api = BigCommerceAPI("s", "TOKEN", base_url=server.base_url)

        def work(n: int) -> tuple[int, int, int]:
            product = api.products_v3.get(n + 1)
            order = api.orders_v2.get(n % 100 + 1)
            count = sum(1 for _ in api.api_v3.get_many("/catalog/products", page_size=100))
            return product["id"], order["id"], count

        try:
            with ThreadPoolExecutor(32) as pool:
                results = list(pool.map(work, range(128)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            api.close()
        assert errors == []
        assert results == [(n + 1, n % 100 + 1, 500) for n in range(128)]
        assert connections_left(server) == 0
        assert all(r.status == 200 for r in store.requests)
        assert "TOKEN" not in caplog.text
        assert settled(lambda: threading.active_count() < 10)  # page threads are gone

    def test_500_tasks(self, open_store: tuple[FakeStore, FakeServer]) -> None:
        store, server = open_store

        async def work(api: AsyncBigCommerceAPI, n: int) -> tuple[int, int]:
            product = await api.products_v3.get(n % 500 + 1)
            orders = [o async for o in api.orders_v2.all(params={"min_id": n % 100 + 1})]
            return product["id"], len(orders)

        async def run() -> list[tuple[int, int]]:
            async with AsyncBigCommerceAPI("s", "TOKEN", base_url=server.base_url) as api:
                return await asyncio.gather(*(work(api, n) for n in range(500)))

        results = asyncio.run(run())
        assert results == [(n % 500 + 1, 100 - n % 100) for n in range(500)]
        assert connections_left(server) == 0
        assert all(r.status in (200, 204) for r in store.requests)
