"""Pacing under the store's quota: the core limiter, and how both clients drive it."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bigc import Request, Response, RetryPolicy, Timeout
from bigc._ratelimit import SHORT_WAIT, RateLimiter
from bigc.exceptions import TooManyRequestsError
from bigc.quota import AsyncLocalQuota, LocalQuota
from tests.support import Driver, json_response


def quota_headers(
    left: int, reset_ms: int, quota: int = 10, window_ms: int = 30000
) -> dict[str, str]:
    return {
        "X-Rate-Limit-Requests-Left": str(left),
        "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
        "X-Rate-Limit-Requests-Quota": str(quota),
        "X-Rate-Limit-Time-Window-Ms": str(window_ms),
    }


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class TestRateLimiter:
    def test_waits_for_the_reset_when_the_quota_is_spent(self) -> None:
        clock = Clock()
        limiter = RateLimiter(clock=clock)
        assert limiter.acquire() == 0
        limiter.release(quota_headers(left=1, reset_ms=3000))
        assert limiter.acquire() == 0
        assert limiter.acquire() == pytest.approx(3.0)  # one in flight, none left
        limiter.release(quota_headers(left=0, reset_ms=2500))
        assert limiter.acquire() == pytest.approx(2.5)
        clock.now += 2.5
        assert limiter.acquire() == 0  # a new window

    def test_spreads_what_is_left_evenly_until_the_reset(self) -> None:
        clock = Clock(0.0)
        limiter = RateLimiter(clock=clock)
        limiter.acquire()
        limiter.release(quota_headers(left=10, reset_ms=10000))
        sent: list[float] = []
        while clock.now < 10.0:
            wait = limiter.acquire()
            if wait == 0:
                sent.append(round(clock.now, 6))
                # Answered at once: the server counts it.
                reset_ms = round((10.0 - clock.now) * 1000)
                limiter.release(quota_headers(left=10 - len(sent), reset_ms=reset_ms))
            else:
                clock.now += wait + 1e-9
        # Ten requests, one a second, none in a burst at the start.
        assert sent == [pytest.approx(float(n)) for n in range(10)]

    def test_spread_false_lets_what_is_left_go_at_once(self) -> None:
        limiter = RateLimiter(spread=False, clock=Clock())
        limiter.acquire()
        limiter.release(quota_headers(left=3, reset_ms=10000))
        assert [limiter.acquire() for _ in range(4)] == [0, 0, 0, pytest.approx(10.0)]

    def test_the_new_window_is_spread_too(self) -> None:
        clock = Clock()
        limiter = RateLimiter(clock=clock)
        limiter.acquire()
        limiter.release(quota_headers(left=0, reset_ms=1000, quota=4, window_ms=2000))
        clock.now += 1.0
        assert limiter.acquire() == 0
        assert limiter.acquire() == pytest.approx(0.5)  # the whole quota again: 4 in 2 s

    def test_one_request_probes_before_the_first_answer(self) -> None:
        limiter = RateLimiter(clock=Clock())
        assert limiter.acquire() == 0
        assert limiter.acquire() == SHORT_WAIT
        limiter.release(quota_headers(left=5, reset_ms=1000))
        assert limiter.acquire() == 0

    def test_the_first_answer_wakes_the_waiters(self) -> None:
        limiter = RateLimiter(clock=Clock())
        woken: list[int] = []
        assert not limiter.add_waker(lambda: woken.append(0))  # nobody to wait for
        limiter.acquire()
        assert limiter.add_waker(lambda: woken.append(1))
        assert limiter.add_waker(lambda: woken.append(2))
        limiter.release(None)  # even a failed probe: the next one may go
        assert woken == [1, 2]
        assert limiter.acquire() == 0

    def test_answers_without_headers_turn_pacing_off(self) -> None:
        limiter = RateLimiter(clock=Clock())
        limiter.acquire()
        limiter.release({})
        assert all(limiter.acquire() == 0 for _ in range(100))

    def test_a_failed_probe_lets_the_next_one_go(self) -> None:
        limiter = RateLimiter(clock=Clock())
        limiter.acquire()
        limiter.release(None)
        assert limiter.acquire() == 0

    def test_status_is_readable(self) -> None:
        limiter = RateLimiter(clock=Clock(5.0))
        assert limiter.status is None
        limiter.acquire()
        limiter.release(quota_headers(left=7, reset_ms=1000, quota=150))
        status = limiter.status
        assert status is not None
        assert (status.quota, status.left, status.window, status.resets_in) == (150, 7, 30.0, 1.0)

    def test_disabled_never_waits(self) -> None:
        limiter = RateLimiter(enabled=False, clock=Clock())
        limiter.acquire()
        limiter.release(quota_headers(left=0, reset_ms=9000))
        assert limiter.acquire() == 0

    def test_out_of_order_answers_keep_the_lowest_count(self) -> None:
        limiter = RateLimiter(clock=Clock())
        limiter.acquire()
        limiter.acquire()
        limiter.release(quota_headers(left=1, reset_ms=1000))
        limiter.release(quota_headers(left=3, reset_ms=1000))
        assert limiter.status is not None and limiter.status.left == 1

    def test_a_late_answer_from_an_earlier_window_is_ignored(self) -> None:
        clock = Clock()
        limiter = RateLimiter(clock=clock)
        limiter.acquire()
        limiter.acquire()
        limiter.release(quota_headers(left=9, reset_ms=29000))  # the next window's
        limiter.release(quota_headers(left=0, reset_ms=100))  # the last one's, late
        assert limiter.status is not None and limiter.status.left == 9
        assert limiter.acquire() == 0

    def test_the_server_overrides_a_guessed_window(self) -> None:
        clock = Clock()
        limiter = RateLimiter(clock=clock)
        limiter.acquire()
        limiter.release(quota_headers(left=0, reset_ms=1000, window_ms=2000))
        clock.now += 1.5  # our clock says the window reset: we guess 10 left
        assert limiter.acquire() == 0
        limiter.release(quota_headers(left=0, reset_ms=300, window_ms=2000))  # others spent it
        assert limiter.acquire() == pytest.approx(0.3)

    def test_a_late_answer_of_a_window_that_ended_is_ignored(self) -> None:
        clock = Clock()
        limiter = RateLimiter(clock=clock)
        limiter.acquire()
        limiter.release(quota_headers(left=3, reset_ms=1000, window_ms=2000))
        limiter.acquire()
        clock.now += 1.0  # the window ends by our clock
        assert limiter.acquire() == 0
        limiter.release(quota_headers(left=0, reset_ms=0, window_ms=2000))  # the old one's
        assert limiter.status is not None and limiter.status.left == 3
        assert limiter.acquire() == pytest.approx(2.0 / 9)  # 10 (guessed), 1 in flight, 2 s

    def test_a_missing_quota_header_never_blocks_for_good(self) -> None:
        clock = Clock(0.0)
        limiter = RateLimiter(clock=clock)
        limiter.acquire()
        limiter.release({"X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "300"})
        assert limiter.acquire() == pytest.approx(0.3)
        clock.now = 0.3
        assert limiter.acquire() == 0  # one request goes to learn the new window

    @pytest.mark.parametrize("value", ["inf", "nan", "-inf", "x"])
    def test_unreadable_headers_are_ignored(self, value: str) -> None:
        limiter = RateLimiter(clock=Clock())
        limiter.acquire()
        limiter.release({"X-Rate-Limit-Requests-Left": value, "X-Rate-Limit-Time-Reset-Ms": "5"})
        assert limiter.status is None
        assert limiter.acquire() == 0


SPENT_FOR_AN_HOUR = quota_headers(left=0, reset_ms=3_600_000)


class TestPacingWaitsHaveACap:
    """Issue 8, item 8: a pacing wait counts like a 429's and is refused past the cap."""

    def test_max_total_wait_caps_a_pacing_wait(self, driver: Driver) -> None:
        transport = driver.transport(default=json_response(200, {"data": {}}, SPENT_FOR_AN_HOUR))
        api = driver.client(transport, retry_policy=RetryPolicy(max_total_wait=5))
        driver.call(api.products_v3.get(1))
        started = time.monotonic()
        with pytest.raises(TooManyRequestsError, match="max_total_wait") as caught:
            driver.call(api.products_v3.get(1))
        assert time.monotonic() - started < 2
        assert caught.value.retry_after == pytest.approx(3600, abs=1)
        assert len(transport.requests) == 1

    def test_the_total_timeout_caps_a_pacing_wait(self, driver: Driver) -> None:
        transport = driver.transport(default=json_response(200, {"data": {}}, SPENT_FOR_AN_HOUR))
        api = driver.client(transport)
        driver.call(api.products_v3.get(1))
        with pytest.raises(TooManyRequestsError) as caught:
            driver.call(api.products_v3.get(1, timeout=Timeout(total=10)))
        assert caught.value.retry_after == pytest.approx(3600, abs=1)
        assert len(transport.requests) == 1

    def test_a_wait_within_the_cap_is_waited(self, driver: Driver) -> None:
        spent = quota_headers(left=0, reset_ms=200)
        transport = driver.transport(json_response(200, {"data": {}}, spent))
        api = driver.client(transport, retry_policy=RetryPolicy(max_total_wait=5))
        driver.call(api.products_v3.get(1))
        started = time.monotonic()
        driver.call(api.products_v3.get(1))
        assert time.monotonic() - started >= 0.15
        assert len(transport.requests) == 2


class CountingLimiter(RateLimiter):
    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def acquire(self) -> float:
        self.asked += 1
        return super().acquire()


FIRST_ANSWER_AFTER = 0.5
WAITERS = 40


class SlowFirstAnswer:
    """Answers the first request after FIRST_ANSWER_AFTER seconds, the rest at once."""

    def __init__(self) -> None:
        self.sent = 0
        self._lock = threading.Lock()

    def delay(self) -> float:
        with self._lock:
            self.sent += 1
            return FIRST_ANSWER_AFTER if self.sent == 1 else 0.0

    def answer(self, request: Request) -> Response:
        headers = quota_headers(left=1_000_000, reset_ms=1000, quota=1_000_000)
        return Response(200, headers, b'{"data": {}}', request)

    def send(self, request: Request) -> Response:
        time.sleep(self.delay())
        return self.answer(request)

    def close(self) -> None:
        pass


class AsyncSlowFirstAnswer(SlowFirstAnswer):
    async def send(self, request: Request) -> Response:  # type: ignore[override]
        await asyncio.sleep(self.delay())
        return self.answer(request)

    async def aclose(self) -> None:
        pass


def test_requests_wait_for_the_first_answer_without_polling(driver: Driver) -> None:
    """Issue 8, item 9: until the first answer, waiters sleep on an event (they polled
    every 5 ms: 40 waiters asked 4,000 times in half a second)."""
    limiter = CountingLimiter()
    transport: Any
    if driver.kind == "async":
        transport = AsyncSlowFirstAnswer()
        api = driver.client(transport, quota=AsyncLocalQuota(limiter))

        async def all_at_once() -> None:
            await asyncio.gather(*(api.products_v3.get(1) for _ in range(WAITERS)))

        driver.call(all_at_once())
    else:
        transport = SlowFirstAnswer()
        api = driver.client(transport, quota=LocalQuota(limiter))
        with ThreadPoolExecutor(WAITERS) as pool:
            list(pool.map(lambda _: api.products_v3.get(1), range(WAITERS)))
    assert transport.sent == WAITERS
    # Each waiter asks once, sleeps until the answer, and asks once more (a few twice).
    assert limiter.asked <= 3 * WAITERS
