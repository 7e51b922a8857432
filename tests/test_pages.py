"""Lists you can watch: ``total`` and ``pages()`` on every list, sync and async."""

from __future__ import annotations

from typing import Any

import pytest

from bigc._progress import ListProgress
from tests.support import json_response
from tests.test_resources import CASES, Case, Harness, items, page_server

by_flavor = pytest.mark.parametrize("flavor", ["sync", "async"])


def row(call: str, *args: Any) -> Case:
    return next(c for c in CASES if c.call == call and c.args[: len(args)] == args)


async def read_pages(harness: Harness, listing: Any) -> list[list[Any]]:
    pages = listing.pages()
    if harness.flavor == "sync":
        return list(pages)
    return [page async for page in pages]


@by_flavor
@pytest.mark.parametrize(
    ("call", "args", "total"),
    [
        ("products_v3.all", (), 601),  # v3 offset: meta.pagination.total
        ("customers_v3.all", (), None),  # cursor: no total
        ("orders_v2.all", (), None),  # v2: no total
        ("orders_v3.all_refunds", (101,), 601),  # one unpaged request: what came
    ],
)
async def test_pages_and_total(flavor: str, call: str, args: tuple[Any, ...], total: Any) -> None:
    case = row(call, *args)
    data = items(601)
    harness = Harness(flavor, default=page_server(case, data))
    listing = harness.method(call)(*args, page_size=250)
    assert listing.total is None and listing.count == 0  # nothing read yet
    assert harness.requests == []

    pages = await read_pages(harness, listing)

    assert listing.total == total
    assert [item for page in pages for item in page] == data  # each item once, in order
    if call == "orders_v3.all_refunds":
        assert [len(p) for p in pages] == [601]
    else:
        assert [len(p) for p in pages] == [250, 250, 101]
    assert listing.count == 601


@by_flavor
async def test_total_is_known_after_the_first_item(flavor: str) -> None:
    harness = Harness(flavor, default=page_server(row("products_v3.all"), items(600)))
    listing = harness.method("products_v3.all")()
    assert await harness.first_item(listing) == {"id": 1}
    assert listing.total == 600
    assert len(harness.requests) == 1
    await harness.close_iterator(listing)


@by_flavor
@pytest.mark.parametrize("version", ["api_v2", "api_v3"])
async def test_direct_lists_are_watchable_too(flavor: str, version: str) -> None:
    v2 = version == "api_v2"
    case = row("orders_v2.all" if v2 else "products_v3.all")
    harness = Harness(flavor, default=page_server(case, items(300)))
    listing = getattr(harness.api, version).get_many("/x", page_size=100)
    pages = await read_pages(harness, listing)
    assert [len(p) for p in pages] == [100, 100, 100]
    assert listing.total == (None if v2 else 300)


def test_progress_learns_from_the_first_answer_only() -> None:
    progress = ListProgress(limit=50)
    first = {"data": [], "meta": {"pagination": {"total": 9, "per_page": 5}}}
    progress.seen(json_response(200, first))
    progress.seen(json_response(200, {"data": [], "meta": {"pagination": {"total": 1}}}))
    assert (progress.total, progress.per_page) == (None, None)  # read in the caller's thread
    progress.learn()
    progress.seen(json_response(200, {"data": [], "meta": {"pagination": {"total": 2}}}))
    progress.learn()
    assert (progress.total, progress.per_page) == (9, 5)
    odd = ListProgress(limit=50)
    odd.seen(json_response(200, {"data": [], "meta": {"pagination": {"total": -1}}}))
    odd.learn()
    assert (odd.total, odd.per_page) == (None, 50)
    failed = ListProgress(limit=50)
    failed.seen(json_response(500, {"status": 500}))
    failed.learn()
    assert (failed.total, failed.per_page) == (None, 50)
    v2 = ListProgress(limit=250)
    v2.seen(json_response(200, [{"id": 1}]))
    v2.learn()
    assert (v2.total, v2.per_page) == (None, 250)


@by_flavor
async def test_an_empty_list_has_a_total_of_nothing(flavor: str) -> None:
    empty = {"data": [], "meta": {"pagination": {"total": 0, "per_page": 250, "total_pages": 0}}}
    harness = Harness(flavor, json_response(200, empty))
    listing = harness.method("products_v3.all")()
    assert await harness.resolve(listing) == []
    assert listing.total == 0
