"""Lists keep ``concurrency`` page requests in flight while the caller works on a page,
never run further ahead than that (a v3 offset list, whose end is known, lets
a few answered pages more wait for the caller), decode each page where
its items are taken (a sync list's page threads only fetch), and give every
item once, in order."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import threading
import time
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI, Request, Response
from bigc._pagination import pages_ahead
from bigc._ratelimit import RateLimiter
from bigc.exceptions import DoesNotExistError
from bigc.quota import LocalQuota
from tests.support import Driver, SyncTransport, json_response, settled, split

PAGES = 12
CONCURRENCY = 4


class TracedResponse(Response):
    """A response that notes the thread its body is decoded in.

    ``json()`` decodes once and keeps the result; a later call (a list's
    ``total`` reads the first page's ``meta``) decodes nothing, so only the
    first call is noted.
    """

    decoded_in: list[str]
    decoded = False

    def json(self) -> Any:
        if not self.decoded:
            self.decoded = True
            self.decoded_in.append(threading.current_thread().name)
        return super().json()


class PagedStore:
    """Answers a v2 or v3 list of one item per page; pages from 3 on wait for ``open``."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.sent: list[int] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.decoded_in: list[str] = []
        self.lock = threading.Lock()

    def page(self, request: Request) -> Response:
        page = int(split(request)[2]["page"])
        if self.version == "v2":
            body: Any = [{"id": page}] if page <= PAGES else None
        else:
            body = {"data": [{"id": page}], "meta": {"pagination": {"total_pages": PAGES}}}
        response = TracedResponse(
            200 if body else 204, {}, json.dumps(body).encode() if body else b""
        )
        response.decoded_in = self.decoded_in
        return response

    def start(self, request: Request) -> int:
        page = int(split(request)[2]["page"])
        with self.lock:
            self.sent.append(page)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        return page

    def done(self) -> None:
        with self.lock:
            self.in_flight -= 1


class SyncPagedStore(PagedStore):
    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.open = threading.Event()

    def send(self, request: Request) -> Response:
        try:
            if self.start(request) >= 3:
                self.open.wait(5)
                time.sleep(0.01)  # requests overlap, so the in-flight count means something
            return self.page(request)
        finally:
            self.done()

    def close(self) -> None:
        pass


class AsyncPagedStore(PagedStore):
    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.open = asyncio.Event()

    async def send(self, request: Request) -> Response:
        try:
            if self.start(request) >= 3:
                await asyncio.wait_for(self.open.wait(), 5)
                await asyncio.sleep(0.01)
            return self.page(request)
        finally:
            self.done()

    async def aclose(self) -> None:
        pass


def api_of(version: str, client: Any) -> Any:
    return client.api_v2 if version == "v2" else client.api_v3


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_sync_list_keeps_the_pipe_full(version: str) -> None:
    store = SyncPagedStore(version)
    api = BigCommerceAPI("s", "t", transport=store, concurrency=CONCURRENCY)
    items = api_of(version, api).get_many("/things", page_size=1)
    assert [next(items), next(items)] == [{"id": 1}, {"id": 2}]
    # The caller holds page 2: pages 3 to 6 are all on their way, and no more.
    assert settled(lambda: store.in_flight == CONCURRENCY)
    assert sorted(store.sent) == [1, 2, 3, 4, 5, 6]
    store.open.set()
    rest = list(items)
    assert [item["id"] for item in rest] == list(range(3, PAGES + 1))
    # Every page was decoded by the caller's thread, none by a page thread.
    assert set(store.decoded_in) == {threading.current_thread().name}
    assert len(store.decoded_in) == PAGES


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_async_list_keeps_the_pipe_full(version: str) -> None:
    async def run() -> None:
        store = AsyncPagedStore(version)
        async with AsyncBigCommerceAPI("s", "t", transport=store, concurrency=CONCURRENCY) as api:
            items = api_of(version, api).get_many("/things", page_size=1)
            assert [await anext(items), await anext(items)] == [{"id": 1}, {"id": 2}]
            for _ in range(20):
                await asyncio.sleep(0)
            assert store.in_flight == CONCURRENCY
            assert sorted(store.sent) == [1, 2, 3, 4, 5, 6]
            store.open.set()
            rest = [item["id"] async for item in items]
            assert rest == list(range(3, PAGES + 1))

    asyncio.run(run())


# While the caller holds page 2 and the store answers at once: a v3 list fetches
# pages 3-7 (4 in flight, then one more waiting), a v2 list pages 3-6 only.
AHEAD = pages_ahead(CONCURRENCY)
HELD_AHEAD = {
    "v2": list(range(1, 3 + CONCURRENCY)),
    "v3": list(range(1, 3 + CONCURRENCY + AHEAD)),
}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_sync_list_starts_a_request_as_soon_as_one_is_answered(version: str) -> None:
    store = SyncPagedStore(version)
    store.open.set()
    api = BigCommerceAPI("s", "t", transport=store, concurrency=CONCURRENCY)
    items = api_of(version, api).get_many("/things", page_size=1)
    assert [next(items), next(items)] == [{"id": 1}, {"id": 2}]
    assert settled(lambda: sorted(store.sent) == HELD_AHEAD[version] and not store.in_flight)
    time.sleep(0.05)
    assert sorted(store.sent) == HELD_AHEAD[version]  # and no further
    assert store.most_in_flight == CONCURRENCY
    assert [item["id"] for item in items] == list(range(3, PAGES + 1))
    assert sorted(store.sent)[:PAGES] == list(range(1, PAGES + 1))
    assert store.most_in_flight == CONCURRENCY


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_async_list_starts_a_request_as_soon_as_one_is_answered(version: str) -> None:
    async def run() -> None:
        store = AsyncPagedStore(version)
        store.open.set()
        async with AsyncBigCommerceAPI("s", "t", transport=store, concurrency=CONCURRENCY) as api:
            items = api_of(version, api).get_many("/things", page_size=1)
            assert [await anext(items), await anext(items)] == [{"id": 1}, {"id": 2}]
            await asyncio.sleep(0.1)
            assert sorted(store.sent) == HELD_AHEAD[version] and not store.in_flight
            assert store.most_in_flight == CONCURRENCY
            assert [item["id"] async for item in items] == list(range(3, PAGES + 1))
            assert sorted(store.sent)[:PAGES] == list(range(1, PAGES + 1))
            assert store.most_in_flight == CONCURRENCY

    asyncio.run(run())


@pytest.mark.parametrize(("concurrency", "waiting"), [(2, 0), (3, 0), (4, 1), (5, 1), (8, 2)])
def test_how_many_answered_pages_of_a_v3_list_wait(concurrency: int, waiting: int) -> None:
    """The README's numbers: a quarter of ``concurrency`` answered pages wait for
    the caller, none below 4 (a request then goes out when a page is taken)."""

    async def run() -> None:
        store = AsyncPagedStore("v3")
        store.open.set()
        async with AsyncBigCommerceAPI("s", "t", transport=store, concurrency=concurrency) as api:
            items = api.api_v3.get_many("/things", page_size=1)
            assert [await anext(items), await anext(items)] == [{"id": 1}, {"id": 2}]
            await asyncio.sleep(0.1)
            assert sorted(store.sent) == list(range(1, 3 + concurrency + waiting))
            assert store.most_in_flight == concurrency
            await items.aclose()

    assert pages_ahead(concurrency) == waiting
    asyncio.run(run())


def test_async_list_sends_the_next_requests_before_handing_out_ready_pages() -> None:
    """Awaiting a finished page gives the event loop no turn: the list gives it one,
    so requests started while the caller works through ready pages go out at once."""

    async def run() -> None:
        store = AsyncPagedStore("v3")
        store.open.set()
        async with AsyncBigCommerceAPI("s", "t", transport=store, concurrency=CONCURRENCY) as api:
            items = api.api_v3.get_many("/things", page_size=1)
            assert [await anext(items), await anext(items)] == [{"id": 1}, {"id": 2}]
            await asyncio.sleep(0.1)  # pages 3-7 are answered and wait
            assert len(store.sent) == 2 + CONCURRENCY + AHEAD
            # Taken without the caller awaiting anything else: each take lets
            # a request go out, the one that frees its place.
            for taken in range(1, 1 + CONCURRENCY):  # pages 3-6; pages 8-11 go out
                assert await anext(items) == {"id": 2 + taken}
                assert len(store.sent) == 2 + CONCURRENCY + AHEAD + taken
            await items.aclose()

    asyncio.run(run())


class CursorStore:
    """Answers a cursor list of one item per page; notes which pages were asked for."""

    def __init__(self) -> None:
        self.asked: list[str | None] = []
        self.decoded_in: list[str] = []

    def send(self, request: Request) -> Response:
        after = split(request)[2].get("after")
        self.asked.append(after)
        page = 1 if after is None else int(after) + 1
        last = page == PAGES
        cursor = {"end_cursor": str(page), "links": {} if last else {"next": f"?after={page}"}}
        body = {"data": [{"id": page}], "meta": {"cursor_pagination": cursor}}
        response = TracedResponse(200, {}, json.dumps(body).encode())
        response.decoded_in = self.decoded_in
        return response

    def close(self) -> None:
        pass


def test_sync_cursor_list_asks_for_the_next_page_first_and_decodes_in_the_caller() -> None:
    store = CursorStore()
    api = BigCommerceAPI("s", "t", transport=store)
    items = api.api_v3.get_many("/customers", page_size=1, cursor=True)
    assert next(items) == {"id": 1}
    # Page 2 was asked for before page 1's item was handed out.
    assert settled(lambda: store.asked[:2] == [None, "1"])
    assert [item["id"] for item in items] == list(range(2, PAGES + 1))
    assert store.asked == [None, *map(str, range(1, PAGES))]
    assert set(store.decoded_in) == {threading.current_thread().name}


def test_a_cursor_list_with_concurrency_1_asks_for_each_page_when_its_items_are_wanted() -> None:
    """As every list with ``concurrency`` 1: one page after the other, nothing ahead."""
    asked_in: list[str] = []

    class ThreadNotingStore(CursorStore):
        def send(self, request: Request) -> Response:
            asked_in.append(threading.current_thread().name)
            return super().send(request)

    store = ThreadNotingStore()
    api = BigCommerceAPI("s", "t", transport=store, concurrency=1)
    items = api.api_v3.get_many("/customers", page_size=1, cursor=True)
    for page in range(1, PAGES + 1):
        assert next(items) == {"id": page}
        assert len(store.asked) == page  # the next page is asked for with its first item
    assert list(items) == []
    # In the caller's thread, when it asked: no thread read a page ahead.
    assert asked_in == [threading.current_thread().name] * PAGES


def test_an_async_cursor_list_with_concurrency_1_asks_for_each_page_when_wanted() -> None:
    class AsyncCursorStore(CursorStore):
        async def send(self, request: Request) -> Response:  # type: ignore[override]
            await asyncio.sleep(0)
            return super().send(request)

        async def aclose(self) -> None:
            pass

    async def run() -> None:
        store = AsyncCursorStore()
        async with AsyncBigCommerceAPI("s", "t", transport=store) as api:
            items = api.api_v3.get_many("/customers", page_size=1, cursor=True, concurrency=1)
            for page in range(1, PAGES + 1):
                assert await anext(items) == {"id": page}
                for _ in range(5):
                    await asyncio.sleep(0)
                assert len(store.asked) == page
            assert [item async for item in items] == []

    asyncio.run(run())


class ShortEndStore:
    """A v2 list of two items per page whose page ``PAGES`` is short; notes every page sent."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def page(self, request: Request) -> Response:
        page = int(split(request)[2]["page"])
        self.sent.append(page)
        if page > PAGES:
            return Response(204, {}, b"")
        return Response(200, {}, json.dumps([{"id": page}] * (1 if page == PAGES else 2)).encode())

    def send(self, request: Request) -> Response:
        return self.page(request)

    def close(self) -> None:
        pass


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_v2_list_costs_at_most_concurrency_requests_past_its_end(concurrency: int) -> None:
    """The README's bound, with a consumer slower than the network (the worst case)."""
    store = ShortEndStore()
    api = BigCommerceAPI("s", "t", transport=store, concurrency=concurrency)
    items = api.api_v2.get_many("/things", page_size=2)
    taken = []
    for item in items:
        time.sleep(0.005)  # the page threads get ahead as far as they may
        taken.append(item["id"])
    assert len(taken) == 2 * PAGES - 1 and sorted(set(taken)) == list(range(1, PAGES + 1))
    assert sorted(store.sent)[:PAGES] == list(range(1, PAGES + 1))
    past_end = [page for page in store.sent if page > PAGES]
    assert len(past_end) <= (0 if concurrency == 1 else concurrency)


@pytest.mark.parametrize("driver", ["sync", "async"], indirect=True)
@pytest.mark.parametrize("concurrency", [1, 2, 4])
def test_a_v2_list_ending_on_a_full_page_gets_at_most_concurrency_204s(
    driver: Driver, concurrency: int
) -> None:
    """A list whose last page is full learns its end from a 204: once one has
    come, no further page is asked for (the async list gives its new requests
    a turn before handing out a page, so it asked for one more)."""

    def answer(request: Request) -> Response:
        page = int(split(request)[2]["page"])
        if page > PAGES:
            return Response(204, {}, b"")
        return json_response(200, [{"id": page}])

    transport = driver.transport(default=answer)
    api = driver.client(transport, concurrency=concurrency)
    taken = driver.collect(api.api_v2.get_many("/things", page_size=1))
    assert [item["id"] for item in taken] == list(range(1, PAGES + 1))
    past_end = [page for _, _, query in transport.calls() if (page := int(query["page"])) > PAGES]
    assert PAGES + 1 in past_end and len(past_end) <= concurrency


QUOTA_HEADERS = {
    "X-Rate-Limit-Requests-Left": "100",
    "X-Rate-Limit-Requests-Quota": "100",
    "X-Rate-Limit-Time-Reset-Ms": "1000",
    "X-Rate-Limit-Time-Window-Ms": "1000",
}


def test_closing_a_sync_list_ends_a_page_waiting_for_a_rate_limit_probe() -> None:
    """A page thread waiting for the answer to a new window's probe (another
    request of the client) stops when its list is closed, and sends nothing:
    the README promises rate-limit waits are dropped at once."""
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    sent: list[int] = []
    page_3_seen = threading.Event()

    def send(request: Request) -> Response:
        page = int(split(request)[2]["page"])
        sent.append(page)
        body = {"data": [{"id": page}], "meta": {"pagination": {"total_pages": 4}}}
        return Response(200, QUOTA_HEADERS, json.dumps(body).encode())

    def answered(response: Response) -> None:
        page = split(response.request)[2]["page"] if response.request else ""
        if page == "3":
            page_3_seen.set()
        elif page == "2":  # pages 2 and 3 are in: the window resets, a probe goes out
            assert page_3_seen.wait(5)
            now[0] = 5.0
            assert limiter.acquire() == 0  # the probe, in flight until released below

    transport = SyncTransport(default=send)
    api = BigCommerceAPI(
        "s",
        "t",
        transport=transport,
        quota=LocalQuota(limiter),
        concurrency=2,
        event_hooks={"response": [answered]},
    )
    items = api.api_v3.get_many("/things", page_size=1)
    assert [next(items), next(items)] == [{"id": 1}, {"id": 2}]
    assert settled(lambda: bool(limiter._wakers))  # page 4 waits for the probe's answer
    closing = threading.Event()

    def answer_the_probe_once_nobody_waits() -> None:
        closing.wait(5)
        settled(lambda: not limiter._wakers)
        now[0] = 5.5  # past the new window's grace: a request may go at once
        limiter.release(QUOTA_HEADERS)

    prober = threading.Thread(target=answer_the_probe_once_nobody_waits)
    prober.start()
    closing.set()
    items.close()
    prober.join()
    assert sent == [1, 2, 3]  # page 4 was dropped with the list, not sent after it


class SlowPages:
    """A v3 list of ``PAGES`` one-item pages answered after a short wait; page 6 is
    missing when ``failing``. Notes the requests sent and those still in flight."""

    def __init__(self, failing: bool) -> None:
        self.failing = failing
        self.sent: list[int] = []
        self.in_flight = 0

    def answer(self, page: int) -> Response:
        if self.failing and page == 6:
            return json_response(404, {"status": 404, "title": "gone"})
        return json_response(
            200, {"data": [{"id": page}], "meta": {"pagination": {"total_pages": PAGES}}}
        )


class SyncSlowPages(SlowPages):
    def send(self, request: Request) -> Response:
        page = int(split(request)[2]["page"])
        self.sent.append(page)
        self.in_flight += 1
        try:
            time.sleep(0.002)
            return self.answer(page)
        finally:
            self.in_flight -= 1

    def close(self) -> None:
        pass


class AsyncSlowPages(SlowPages):
    """Pages from 7 on are answered only after 5 s: they are still on the wire
    when the list stops, and must be cancelled rather than waited for."""

    def __init__(self, failing: bool) -> None:
        super().__init__(failing)
        self.cancelled = 0

    async def send(self, request: Request) -> Response:
        page = int(split(request)[2]["page"])
        self.sent.append(page)
        self.in_flight += 1
        try:
            await asyncio.sleep(0.002 if page < 7 else 5)
            return self.answer(page)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1

    async def aclose(self) -> None:
        pass


STOPS = ["break", "error", "dropped"]


@pytest.mark.parametrize("stop", STOPS)
def test_a_sync_list_that_stops_leaves_no_request_or_thread_behind(stop: str) -> None:
    store = SyncSlowPages(failing=stop == "error")
    api = BigCommerceAPI("s", "t", transport=store, concurrency=5)  # a page may wait
    items = api.api_v3.get_many("/things", page_size=1)
    taken: list[int] = []
    with contextlib.suppress(DoesNotExistError):
        for item in items:
            taken.append(item["id"])
            if stop != "error" and len(taken) == 4:
                break
    if stop == "dropped":
        del items
        gc.collect()
    else:
        items.close()
    assert taken == [1, 2, 3, 4] if stop != "error" else [1, 2, 3, 4, 5]
    sent = list(store.sent)
    assert store.in_flight == 0
    assert [t for t in threading.enumerate() if t.name.startswith("bigc")] == []
    assert store.sent == sent  # nothing goes out afterwards


@pytest.mark.parametrize("stop", [*STOPS, "cancelled"])
def test_an_async_list_that_stops_leaves_no_request_or_task_behind(stop: str) -> None:
    async def run() -> None:
        store = AsyncSlowPages(failing=stop == "error")
        async with AsyncBigCommerceAPI("s", "t", transport=store, concurrency=5) as api:
            items = api.api_v3.get_many("/things", page_size=1)
            taken: list[int] = []

            async def consume() -> None:
                with contextlib.suppress(DoesNotExistError):
                    async for item in items:
                        taken.append(item["id"])
                        if stop in ("break", "dropped") and len(taken) == 4:
                            break

            consumer = asyncio.ensure_future(consume())
            if stop == "cancelled":  # while it waits for page 7
                while len(taken) < 6:
                    await asyncio.sleep(0.001)
                consumer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await consumer
            if stop == "dropped":
                del items
                gc.collect()
            else:
                await items.aclose()
            for _ in range(10):  # a dropped generator is closed by a task of the loop
                await asyncio.sleep(0)
            assert taken == {"error": [1, 2, 3, 4, 5], "cancelled": [1, 2, 3, 4, 5, 6]}.get(
                stop, [1, 2, 3, 4]
            )
            sent = list(store.sent)
            assert store.in_flight == 0 and store.cancelled == len([p for p in sent if p >= 7])
            assert asyncio.all_tasks() == {asyncio.current_task()}
            await asyncio.sleep(0.01)
            assert store.sent == sent

    asyncio.run(run())
