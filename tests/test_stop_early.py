"""Leaving a list early: closed with ``aclosing`` (or ``aclose()``; sync: ``closing`` or
dropping it), it leaves no read-ahead task or thread behind and sends nothing more
(README, "Stopping an async list early")."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from contextlib import aclosing
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, AsyncPages, BigCommerceAPI
from bigc.testing import FakeStore

LISTS = [
    "products_v3",  # v3 offset pages: fetched `concurrency` at a time
    "orders_v2",  # v2 pages: read ahead once the first page is full
    "customers_v3",  # cursor pages: the next one is requested before the items go out
]


def other_tasks() -> set[asyncio.Task[Any]]:
    """The tasks still running besides this test's own."""
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()}


async def take_until(items: AsyncPages[Any], count: int) -> list[Any]:
    taken = []
    async for item in items:
        taken.append(item)
        if len(taken) == count:
            break
    return taken


@pytest.mark.parametrize("group", LISTS)
@pytest.mark.parametrize("closing", ["aclosing", "aclose"])
async def test_an_async_list_left_early_leaves_no_task_behind(group: str, closing: str) -> None:
    # Each answer takes 20 ms: pages asked for ahead are still on their way at the break.
    store = FakeStore.with_sample_data(latency=0.02)
    async with AsyncBigCommerceAPI("store", "token", transport=store.async_transport()) as api:
        listing = getattr(api, group).all(page_size=10)
        if closing == "aclosing":
            async with aclosing(listing) as items:
                taken = await take_until(items, 15)  # into the second page
                assert other_tasks(), "the list reads ahead (else this test shows nothing)"
        else:
            try:
                taken = await take_until(listing, 15)
                assert other_tasks()
            finally:
                await listing.aclose()
        assert other_tasks() == set()
        assert [item["id"] for item in taken] == list(range(1, 16))
        sent = len(store.requests)
        await asyncio.sleep(0.05)
        assert len(store.requests) == sent  # nothing more goes out
        assert [item["id"] async for item in listing] == []  # a closed list is over


def page_threads(besides: set[threading.Thread]) -> set[threading.Thread]:
    """The live threads sync lists read ahead with (other than ``besides``)."""
    return {t for t in threading.enumerate() if t.name.startswith("bigc-")} - besides


@pytest.mark.parametrize("group", LISTS)
@pytest.mark.parametrize("closing", ["closing", "dropped"])
def test_a_sync_list_left_early_stops_its_threads(group: str, closing: str) -> None:
    store = FakeStore.with_sample_data(latency=0.02)
    earlier = page_threads(set())  # another test's, if any
    api = BigCommerceAPI("store", "token", transport=store.transport())
    listing = getattr(api, group).all(page_size=10)
    taken = []
    if closing == "closing":
        with contextlib.closing(listing) as items:
            for item in items:
                taken.append(item)
                if len(taken) == 15:
                    break
            assert page_threads(earlier), "the list reads ahead (else this test shows nothing)"
    else:
        for item in listing:
            taken.append(item)
            if len(taken) == 15:
                break
        assert page_threads(earlier)
        del listing, item  # the last references: CPython closes the list here
    assert page_threads(earlier) == set()
    assert [item["id"] for item in taken] == list(range(1, 16))
    sent = len(store.requests)
    time.sleep(0.05)
    assert len(store.requests) == sent
    api.close()
