"""RedisQuota / AsyncRedisQuota against a real redis-server started for these tests.

Without a ``redis-server`` binary these tests skip, except under ``CI=true``
where they fail: CI must run them (``.ci/run`` installs Debian's package).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI, Timeout
from bigc.quota import AsyncRedisQuota, RedisQuota
from bigc.testing import FakeServer, FakeStore
from bigc.testing._redis_server import RedisServer
from tests.support import Driver, json_response, settled

if os.environ.get("CI") == "true":
    import redis  # CI runs these tests: a missing redis-py is an error there
else:
    redis = pytest.importorskip("redis", reason="redis-py is missing (pip install bigc[redis])")

STORE = "abc123"


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the Redis tests")
        pytest.skip(reason)
    server = RedisServer(binary)
    server.start()
    yield server
    server.close()


@pytest.fixture
def r(redis_server: RedisServer) -> Iterator[Any]:
    if redis_server.process is None:
        redis_server.start()
    client = redis_server.client()
    client.flushall()
    yield client
    client.close()


def headers(left: int, reset_ms: int, quota: int = 10, window_ms: int = 2000) -> dict[str, str]:
    return {
        "X-Rate-Limit-Requests-Left": str(left),
        "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
        "X-Rate-Limit-Requests-Quota": str(quota),
        "X-Rate-Limit-Time-Window-Ms": str(window_ms),
    }


def state(r: Any, store: str = STORE) -> dict[str, str]:
    raw = r.hgetall(f"bigc:quota:{{{store}}}:state")
    return {k.decode(): v.decode() for k, v in raw.items()}


def leases(r: Any, store: str = STORE) -> int:
    count: int = r.zcard(f"bigc:quota:{{{store}}}:leases")
    return count


def again(quota: RedisQuota) -> float:
    """Ask Redis now, as if the wait this process was given had passed."""
    quota._ask_after = 0.0
    return quota.acquire()


class TestScripts:
    def test_one_request_probes_then_the_answer_is_shared(self, r: Any) -> None:
        one, two = RedisQuota(r, STORE), RedisQuota(r, STORE)
        assert one.acquire() == 0
        assert two.acquire() > 0  # nothing known yet: the first request goes alone
        one.release(headers(left=5, reset_ms=1500))
        assert state(r)["left"] == "5"
        assert RedisQuota(r, STORE).acquire() == 0
        assert leases(r) == 1

    def test_a_spent_window_waits_for_its_reset_then_a_new_one_opens(self, r: Any) -> None:
        quota = RedisQuota(r, STORE)
        quota.acquire()
        quota.release(headers(left=0, reset_ms=300))
        wait = quota.acquire()
        assert 0.2 < wait <= 0.3
        time.sleep(wait + 0.01)
        assert quota.acquire() == 0  # the window reset: the whole quota again
        assert state(r)["left"] == "10"
        assert state(r)["guessed"] == "1"

    def test_what_is_left_is_spread_over_the_window(self, r: Any) -> None:
        quota = RedisQuota(r, STORE)
        quota.acquire()
        quota.release(headers(left=4, reset_ms=2000))
        assert quota.acquire() == 0
        assert quota.acquire() == pytest.approx(0.5, abs=0.03)  # 2 s / 4 left

    def test_same_window_answers_keep_the_lowest_count(self, r: Any) -> None:
        quota = RedisQuota(r, STORE)
        quota.acquire()
        quota.release(headers(left=9, reset_ms=1800))
        quota.acquire()
        quota.acquire()
        quota.release(headers(left=3, reset_ms=1700))
        quota.release(headers(left=6, reset_ms=1750))  # overtaken on the way
        assert state(r)["left"] == "3"

    def test_a_later_window_arriving_first_is_kept(self, r: Any) -> None:
        quota = RedisQuota(r, STORE)
        quota.acquire()
        quota.release(headers(left=5, reset_ms=1000))
        quota.acquire()
        quota.acquire()
        quota.release(headers(left=9, reset_ms=1990))  # the next window's answer came first
        quota.release(headers(left=0, reset_ms=5))  # the old window's, late
        assert state(r)["left"] == "9"
        assert quota.acquire() == pytest.approx(0.2, abs=0.03)  # 2 s / 9 left, one lease

    def test_the_server_overrides_a_guessed_window(self, r: Any) -> None:
        quota = RedisQuota(r, STORE)
        quota.acquire()
        quota.release(headers(left=0, reset_ms=100))
        time.sleep(0.12)
        assert quota.acquire() == 0  # guessed: a new window with the whole quota
        quota.release(headers(left=0, reset_ms=1500))  # other apps spent it
        assert 1.3 < quota.acquire() <= 1.5

    def test_a_garbled_reset_blocks_the_fleet_no_longer_than_a_window(self, r: Any) -> None:
        quota = RedisQuota(r, STORE)
        quota.acquire()
        quota.release(headers(left=0, reset_ms=10**20, window_ms=2000))
        assert 1.9 < again(quota) <= 2.0  # was the whole day the state is kept

    def test_processes_take_turns_in_the_order_they_asked(self, r: Any) -> None:
        first, second, third = (RedisQuota(r, STORE) for _ in range(3))
        first.acquire()
        first.release(headers(left=10, reset_ms=2000))
        assert first.acquire() == 0  # the next slot comes in 2 s / 10 = 0.2 s
        assert 0.15 < second.acquire() <= 0.2
        assert 0.15 < third.acquire() <= 0.2
        time.sleep(0.21)
        assert third.acquire() == pytest.approx(0.01)  # second asked first: its turn
        assert second.acquire() == 0
        time.sleep(0.011)
        assert 0.15 < third.acquire() <= 0.2  # and then third's, one slot later

    def test_a_waiter_that_never_comes_back_loses_its_turn(self, r: Any) -> None:
        first, gone, patient = (RedisQuota(r, STORE) for _ in range(3))
        first.acquire()
        first.release(headers(left=10, reset_ms=2000))
        first.acquire()
        assert gone.acquire() > 0  # and it never asks again
        time.sleep(0.21)
        assert patient.acquire() == pytest.approx(0.01)
        time.sleep(0.2)  # past the grace after gone's wait
        assert patient.acquire() == 0

    def test_one_request_per_process_asks_redis(
        self, r: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        quota = RedisQuota(r, STORE)
        quota.acquire()
        quota.release(headers(left=10, reset_ms=2000))
        assert quota.acquire() == 0
        script = quota._acquire
        asked: list[int] = []

        def counting(**kwargs: Any) -> Any:
            asked.append(1)
            return script(**kwargs)

        monkeypatch.setattr(quota, "_acquire", counting)
        waits = [quota.acquire() for _ in range(5)]
        # Redis said when the next slot comes; the others wait for it without asking.
        assert len(asked) == 1
        assert all(0.15 < wait <= 0.2 for wait in waits)

    def test_a_forked_worker_waits_in_line_under_its_own_name(
        self, r: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        quota = RedisQuota(r, STORE)  # made before the fork, as a Celery app's module would
        parent = quota._process_id()
        assert quota._process_id() == parent
        monkeypatch.setattr(os, "getpid", lambda: -1)  # in the forked child
        assert quota._process_id() not in ("", parent)

    def test_a_forked_worker_gives_back_its_own_lease(
        self, r: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        quota = RedisQuota(r, STORE)
        quota.acquire()
        quota.release(headers(left=1000, reset_ms=2000))
        assert again(quota) == 0  # the parent's request, in flight at the fork
        (parents,) = r.zrange(f"bigc:quota:{{{STORE}}}:leases", 0, -1)
        quota._asking = True  # and another of its threads was asking Redis
        monkeypatch.setattr(os, "getpid", lambda: -1)  # in the forked child
        time.sleep(0.01)
        assert again(quota) == 0
        quota.release(headers(left=998, reset_ms=1990))
        # The child's lease is gone, not the parent's (which was still running).
        assert r.zrange(f"bigc:quota:{{{STORE}}}:leases", 0, -1) == [parents]

    def test_two_stores_are_kept_apart(self, r: Any) -> None:
        spent, other = RedisQuota(r, "store-a"), RedisQuota(r, "store-b")
        spent.acquire()
        spent.release(headers(left=0, reset_ms=5000, window_ms=5000))
        assert spent.acquire() > 4
        assert other.acquire() == 0
        assert state(r, "store-a")["left"] == "0"
        assert state(r, "store-b") == {}
        assert (leases(r, "store-a"), leases(r, "store-b")) == (0, 1)

    def test_a_lease_expires_when_its_owner_never_returns(self, r: Any) -> None:
        lost, survivor = RedisQuota(r, STORE, lease=0.3), RedisQuota(r, STORE)
        lost.acquire()
        lost.release(headers(left=1, reset_ms=100, quota=1, window_ms=2000))
        assert lost.acquire() == 0  # and its process dies: no release
        time.sleep(0.15)
        assert survivor.acquire() > 1  # a new window, its one slot still in flight
        time.sleep(0.2)
        assert again(survivor) == 0  # the lease expired: the slot is free again
        assert leases(r) == 1

    def test_the_scripts_are_loaded_again_after_a_flush(self, r: Any) -> None:
        quota = RedisQuota(r, STORE)
        assert quota.acquire() == 0
        r.script_flush()
        quota.release(headers(left=3, reset_ms=1000))
        assert state(r)["left"] == "3"
        assert quota.acquire() == 0
        assert quota.using_redis and leases(r) == 1


def test_an_async_acquire_cancelled_after_redis_granted_gives_the_lease_back(
    r: Any, redis_server: RedisServer
) -> None:
    """A list's read-ahead task cancelled while Redis's answer is on its way:
    the lease Redis granted would be held by nobody until it expired."""

    async def run() -> None:
        client = redis_server.async_client()
        quota = AsyncRedisQuota(client, STORE)
        granted = asyncio.Event()
        real = quota._acquire

        async def slow_answer(**kwargs: Any) -> Any:
            answer = await real(**kwargs)  # Redis has run the script: the lease is taken
            granted.set()
            await asyncio.sleep(0.2)  # the answer still on its way back
            return answer

        quota._acquire = slow_answer  # type: ignore[assignment]
        asking = asyncio.ensure_future(quota.acquire())
        await granted.wait()
        assert leases(r) == 1
        asking.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asking
        for _ in range(100):
            if leases(r) == 0:
                break
            await asyncio.sleep(0.01)
        assert leases(r) == 0
        assert not quota._leases  # and this process does not count it as its own
        await client.aclose()

    asyncio.run(run())


class TestClients:
    def test_a_client_paces_through_redis(self, r: Any, redis_server: RedisServer) -> None:
        spent = headers(left=0, reset_ms=4000)
        for kind in ("sync", "async"):
            r.flushall()
            driver = Driver(kind)
            try:
                redis_client = r if kind == "sync" else redis_server.async_client()
                cls = RedisQuota if kind == "sync" else AsyncRedisQuota
                transport = driver.transport(default=json_response(200, {"data": {}}, spent))
                api = driver.client(transport, quota=cls(redis_client, "STORE"))
                driver.call(api.products_v3.get(1))
                assert api.rate_limit.left == 0
                assert state(r, "STORE")["left"] == "0"
                # Another process's client sees the spent quota at once.
                other = driver.client(transport, quota=cls(redis_client, "STORE"))
                with pytest.raises(Exception, match="rate-limit quota"):
                    driver.call(other.products_v3.get(1, timeout=Timeout(total=1)))
                assert len(transport.requests) == 1
                assert leases(r, "STORE") == 0
                if kind == "async":
                    driver.call(redis_client.aclose())
            finally:
                driver.close()

    @pytest.mark.parametrize("kind", ["sync", "async"])
    def test_a_redis_client_that_could_wait_forever_is_refused(
        self, kind: str, redis_server: RedisServer
    ) -> None:
        # Without a socket_timeout, a Redis that accepts but never answers holds
        # every call past its Timeout: refused when the quota is made.
        if kind == "sync":
            with pytest.raises(ValueError, match="socket_timeout"):
                RedisQuota(redis.Redis.from_url(redis_server.url), STORE)
        else:
            with pytest.raises(ValueError, match="socket_timeout"):
                AsyncRedisQuota(redis.asyncio.Redis.from_url(redis_server.url), STORE)

    @pytest.mark.parametrize(
        ("prefix", "error"), [(b"app", TypeError), (None, TypeError), ("", ValueError)]
    )
    def test_a_prefix_that_is_not_text_is_refused(
        self, r: Any, prefix: Any, error: type[Exception]
    ) -> None:
        with pytest.raises(error, match="prefix"):
            RedisQuota(r, STORE, prefix=prefix)  # b"app" keyed "b'app':{abc123}:state"

    def test_a_redis_url_instead_of_a_client_is_refused(self) -> None:
        url: Any = "redis://:hunter2@127.0.0.1:6379/0"
        for cls in (RedisQuota, AsyncRedisQuota):
            with pytest.raises(TypeError, match="redis must be a redis-py client, not str") as info:
                cls(url, STORE)  # was AttributeError: 'str' has no attribute 'register_script'
            assert "hunter2" not in str(info.value)

    def test_a_quota_of_the_other_kind_is_refused(self, r: Any, redis_server: RedisServer) -> None:
        # Both have the protocol's names; the mix failed at the first call instead
        # ("'<=' not supported between 'coroutine' and 'int'", "can't await float").
        # (mypy sees it; untyped code did not.)
        async_quota: Any = AsyncRedisQuota(redis_server.async_client(), "STORE")
        sync_quota: Any = RedisQuota(r, "STORE")
        with pytest.raises(TypeError, match="quota must be a"):
            BigCommerceAPI("STORE", "t", quota=async_quota)
        with pytest.raises(TypeError, match="quota must be an AsyncQuota"):
            AsyncBigCommerceAPI("STORE", "t", quota=sync_quota)

    def test_a_quota_for_another_store_is_refused(self, r: Any) -> None:
        with pytest.raises(ValueError, match="another store"):
            BigCommerceAPI("STORE", "t", quota=RedisQuota(r, "OTHER"))
        with pytest.raises(ValueError, match="pace=False"):
            BigCommerceAPI("STORE", "t", quota=RedisQuota(r, "STORE"), pace=False)

    # redis-py drops the connection of the closed loop without closing it.
    @pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
    @pytest.mark.filterwarnings("ignore::ResourceWarning")
    def test_an_async_client_outlives_its_event_loop(
        self, r: Any, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A client and its quota reused by a second ``asyncio.run`` (a Celery task each):
        redis.asyncio fails under the new loop, the calls do not."""
        caplog.set_level(logging.ERROR, logger="bigc")  # a kept record would keep the error
        ok = headers(left=9, reset_ms=1000)
        transport: Any = Driver("async").transport(default=json_response(200, {"data": {}}, ok))
        quota = AsyncRedisQuota(redis_server.async_client(), "STORE")
        api = AsyncBigCommerceAPI("STORE", "t", transport=transport, quota=quota)

        async def task(api: Any, redis_to_close: Any) -> None:
            await api.products_v3.get(1)
            if redis_to_close is not None:
                await redis_to_close.aclose()

        for n in range(3):
            # The second raised RuntimeError: Event loop is closed.
            asyncio.run(task(api, quota.redis if n == 2 else None))
        assert len(transport.requests) == 3
        del api, quota
        gc.collect()  # the connections of the closed loops warn here, not in another test

    @pytest.mark.parametrize("kind", ["sync", "async"])
    def test_redis_restarted_mid_run(
        self,
        kind: str,
        r: Any,
        redis_server: RedisServer,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """Calls go on while Redis is down (local pacing, one warning), then share again."""
        ok = headers(left=500, reset_ms=1000, quota=500)
        driver = Driver(kind)
        redis_client = r if kind == "sync" else redis_server.async_client()
        cls = RedisQuota if kind == "sync" else AsyncRedisQuota
        quota: Any = cls(redis_client, "STORE", retry_redis_after=0.3)
        transport = driver.transport(default=json_response(200, {"data": {}}, ok))
        api = driver.client(transport, quota=quota)
        try:
            with caplog.at_level(logging.INFO, logger="bigc"):
                driver.call(api.products_v3.get(1))
                assert quota.using_redis and state(r, "STORE")["left"] == "500"
                redis_server.stop()
                for _ in range(5):
                    driver.call(api.products_v3.get(1))
                assert not quota.using_redis
                warnings = [rec for rec in caplog.records if rec.levelno == logging.WARNING]
                assert len(warnings) == 1 and "Redis is unreachable" in warnings[0].message
                redis_server.start()
                time.sleep(0.35)
                driver.call(api.products_v3.get(1))
                driver.call(api.products_v3.get(1))
                assert quota.using_redis
                assert state(r, "STORE")["left"] == "500"  # the fresh Redis learned again
                assert len(transport.requests) == 8
                assert any("Redis is back" in rec.message for rec in caplog.records)
        finally:
            if redis_server.process is None:
                redis_server.start()
            if kind == "async":
                driver.call(redis_client.aclose())
            driver.close()


# -- many processes ------------------------------------------------------------------

FLEET_QUOTA = 10
FLEET_WINDOW_MS = 1000
PRODUCTS_PER_WORKER = 8


def _fleet_worker(kind: str, redis_url: str, base_url: str, results: Any) -> None:
    """Reads the whole catalog a product per page: 1 page, then 7 at once."""

    async def read_async() -> int:
        client = redis.asyncio.Redis.from_url(redis_url, socket_timeout=2)
        quota = AsyncRedisQuota(client, STORE)
        async with AsyncBigCommerceAPI(STORE, "token", base_url=base_url, quota=quota) as api:
            pages = api.api_v3.get_many("/catalog/products", page_size=1)
            items = [item async for item in pages]
        await client.aclose()
        return len(items)

    try:
        if kind == "async":
            results.put(asyncio.run(read_async()))
        else:
            quota = RedisQuota(redis.Redis.from_url(redis_url, socket_timeout=2), STORE)
            with BigCommerceAPI(STORE, "token", base_url=base_url, quota=quota) as api:
                results.put(len(list(api.api_v3.get_many("/catalog/products", page_size=1))))
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


def test_many_processes_never_exceed_the_quota(redis_server: RedisServer, r: Any) -> None:
    """Two sync and two async processes, 32 requests, a quota of 10 per second: the
    store never has to refuse one."""
    store = FakeStore.with_sample_data(
        products=PRODUCTS_PER_WORKER, quota=FLEET_QUOTA, window_ms=FLEET_WINDOW_MS
    )
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    with FakeServer(store) as server:
        workers = [
            context.Process(
                target=_fleet_worker, args=(kind, redis_server.url, server.base_url, results)
            )
            for kind in ("sync", "async", "sync", "async")
        ]
        for worker in workers:
            worker.start()
        done = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(10)
    assert done == [PRODUCTS_PER_WORKER] * len(workers)
    statuses = [request.status for request in store.requests]
    assert len(statuses) == PRODUCTS_PER_WORKER * len(workers)
    assert statuses.count(429) == 0
    assert leases(r) == 0


def _hang_forever(sock: socket.socket, stop: threading.Event) -> None:
    connections = []
    sock.settimeout(0.1)
    while not stop.is_set():
        try:
            connections.append(sock.accept()[0])  # accepted, never answered
        except TimeoutError:
            continue
    for connection in connections:
        connection.close()


def _doomed_worker(redis_url: str, base_url: str) -> None:
    quota = RedisQuota(redis.Redis.from_url(redis_url, socket_timeout=2), STORE, lease=0.5)
    api = BigCommerceAPI(STORE, "token", base_url=base_url, quota=quota)
    api.products_v3.get(1)  # never answered: the process is killed meanwhile


def test_a_worker_killed_mid_request_gives_its_slot_back(redis_server: RedisServer, r: Any) -> None:
    quota = RedisQuota(r, STORE)
    quota.acquire()
    quota.release(headers(left=1, reset_ms=1000, quota=1, window_ms=1000))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    stop = threading.Event()
    silent = threading.Thread(target=_hang_forever, args=(sock, stop))
    silent.start()
    context = multiprocessing.get_context("spawn")
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    worker = context.Process(target=_doomed_worker, args=(redis_server.url, base_url))
    try:
        worker.start()
        assert settled(lambda: leases(r) == 1, 30)  # its request is on the wire
        assert quota.acquire() > 0  # the only slot is the worker's
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(10)
        # Leaked, the slot would stay taken in every later window; its lease expires.
        deadline = time.monotonic() + 5
        while quota.acquire() > 0:
            assert time.monotonic() < deadline, "the killed worker's slot never came back"
            time.sleep(0.01)
        assert leases(r) == 1
    finally:
        if worker.is_alive():
            worker.kill()
        stop.set()
        silent.join()
        sock.close()


def test_async_quota_is_shared_with_sync_processes(redis_server: RedisServer, r: Any) -> None:
    async def spend() -> None:
        client = redis_server.async_client()
        quota = AsyncRedisQuota(client, STORE)
        assert await quota.acquire() == 0
        await quota.release(headers(left=0, reset_ms=3000, window_ms=3000))
        await client.aclose()

    asyncio.run(spend())
    assert RedisQuota(r, STORE).acquire() > 2
