"""The quota's arithmetic, exactly: reports, windows, waits, spreading, wakers, Redis arguments."""

from __future__ import annotations

import pytest

from bigc._ratelimit import (
    SHORT_WAIT,
    QuotaReport,
    RateLimiter,
    RateLimitStatus,
    parse_report,
    same_window_tolerance,
)
from bigc._redis_scripts import KEEP_MS, release_args


def report(
    left: object, reset_ms: object, quota: object = None, window_ms: object = None
) -> dict[str, str]:
    headers = {"X-Rate-Limit-Requests-Left": str(left), "X-Rate-Limit-Time-Reset-Ms": str(reset_ms)}
    if quota is not None:
        headers["X-Rate-Limit-Requests-Quota"] = str(quota)
    if window_ms is not None:
        headers["X-Rate-Limit-Time-Window-Ms"] = str(window_ms)
    return headers


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def answered(clock: Clock, headers: dict[str, str], *, spread: bool = False) -> RateLimiter:
    """A limiter that has had its first answer, with nothing in flight."""
    limiter = RateLimiter(clock=clock, spread=spread)
    assert limiter.acquire() == 0
    limiter.release(headers)
    return limiter


def slots(limiter: RateLimiter, most: int = 50) -> int:
    """How many requests may go now, one after the other without answers."""
    for taken in range(most):
        if limiter.acquire() != 0:
            return taken
    return most


class TestReports:
    def test_every_field(self) -> None:
        assert parse_report(report(7, 1500, 150, 30000)) == QuotaReport(
            left=7, reset_ms=1500, quota=150, window_ms=30000
        )

    def test_quota_and_window_may_be_missing(self) -> None:
        assert parse_report(report(7, 1500)) == QuotaReport(7, 1500, None, None)

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            report(7, "x"),
            {"X-Rate-Limit-Requests-Left": "7"},
            {"X-Rate-Limit-Time-Reset-Ms": "5"},
        ],
    )
    def test_without_left_and_reset_there_is_no_report(self, headers: dict[str, str]) -> None:
        assert parse_report(headers) is None

    @pytest.mark.parametrize(
        ("window_ms", "reset_ms"), [(None, 1500), (0, 1500), (1, 1), (1000, 1000), (2000, 1500)]
    )
    def test_a_reset_is_cut_to_a_window_given(self, window_ms: int | None, reset_ms: int) -> None:
        parsed = parse_report(report(5, 1500, 10, window_ms))
        assert parsed is not None and parsed.reset_ms == reset_ms

    def test_negative_counts_are_zero_and_decimals_are_cut(self) -> None:
        assert parse_report(report(-3, -10, "12.9", "nan")) == QuotaReport(0, 0, 12, None)
        assert parse_report(report("4.7", "999.9")) == QuotaReport(4, 999, None, None)

    @pytest.mark.parametrize(
        ("window", "tolerance"), [(1.0, 0.1), (2.0, 0.2), (5.0, 0.5), (30.0, 0.5)]
    )
    def test_reports_of_one_window_differ_by_a_tenth_of_it_at_most_half_a_second(
        self, window: float, tolerance: float
    ) -> None:
        assert same_window_tolerance(window) == pytest.approx(tolerance)


class TestStatus:
    def test_every_field_of_the_latest_report(self) -> None:
        clock = Clock(42.0)
        limiter = answered(clock, report(7, 1500, 150, 30000))
        assert limiter.status == RateLimitStatus(
            quota=150, left=7, window=30.0, resets_in=1.5, observed_at=42.0
        )
        clock.now = 43.0
        limiter.observe(report(5, 500, 150, 30000))
        assert limiter.status == RateLimitStatus(150, 5, 30.0, 0.5, 43.0)

    def test_without_window_or_quota_headers(self) -> None:
        limiter = answered(Clock(0.0), report(7, 1500))
        assert limiter.status == RateLimitStatus(
            quota=7, left=7, window=1.5, resets_in=1.5, observed_at=0.0
        )

    def test_the_quota_is_never_below_what_is_left(self) -> None:
        limiter = answered(Clock(0.0), report(9, 1500, 5))
        assert limiter.status is not None and limiter.status.quota == 9

    def test_a_later_report_without_quota_keeps_the_known_quota(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(9, 1000, 150))
        clock.now = 2.0  # a new window
        limiter.observe(report(3, 29000))
        assert limiter.status is not None and limiter.status.quota == 150


class TestWindows:
    def test_a_spent_window_waits_for_its_reset(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(0, 2000, 10, 30000))
        assert limiter.acquire() == pytest.approx(2.0)
        clock.now = 1.5
        assert limiter.acquire() == pytest.approx(0.5)

    def test_a_wait_is_never_below_a_millisecond(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(0, 1000, 10, 30000))
        clock.now = 0.9999
        assert limiter.acquire() == 0.001

    def test_at_the_reset_the_whole_quota_is_assumed_for_one_window(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(0, 1000, 3, 30000), spread=True)
        clock.now = 1.0
        assert limiter.acquire() == 0
        assert limiter.acquire() == pytest.approx(10.0)  # 30 s spread over 3 requests

    def test_with_no_quota_known_one_request_learns_the_new_window(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(0, 1000), spread=True)
        assert limiter.status is not None and limiter.status.quota == 0
        clock.now = 1.0
        assert limiter.acquire() == 0
        assert limiter.acquire() == pytest.approx(1.0)  # the window is the reset time

    def test_a_released_slot_is_one_slot(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(2, 5000, 10, 30000))
        assert slots(limiter) == 2
        limiter.release(None)
        assert slots(limiter) == 1

    def test_a_release_without_headers_changes_no_count(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(3, 5000, 10, 30000))
        limiter.acquire()
        limiter.release(None)
        assert limiter.status is not None and limiter.status.left == 3
        assert slots(limiter) == 3


class TestOutOfOrder:
    def test_answers_of_one_window_keep_the_lowest_count(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(4, 10000, 10, 30000))
        clock.now = 1.0
        limiter.observe(report(6, 9400, 10, 30000))  # 0.4 s off: the same window
        assert limiter.status is not None and limiter.status.left == 4
        assert slots(limiter) == 4

    def test_an_answer_at_the_edge_of_the_tolerance_is_of_the_same_window(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(2, 10000, 10, 30000))  # tolerance 0.5 s
        limiter.observe(report(6, 10500, 10, 30000))
        assert limiter.status is not None and limiter.status.left == 2

    def test_an_answer_of_a_later_window_replaces_the_count(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(1, 10000, 10, 30000))
        clock.now = 1.0
        limiter.observe(report(6, 9600, 10, 30000))  # 0.6 s later than the known reset
        assert limiter.status is not None and limiter.status.left == 6
        assert slots(limiter) == 6

    def test_an_answer_of_an_earlier_window_is_ignored(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(5, 10000, 10, 30000))
        limiter.observe(report(0, 9600, 10, 30000))  # within tolerance: same window, lower
        assert limiter.status is not None and limiter.status.left == 0
        limiter.observe(report(9, 9000, 10, 30000))  # a full second early: an older window
        assert limiter.status.left == 0

    def test_the_tolerance_follows_a_short_window(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(5, 1000, 10, 2000))  # tolerance 0.2 s
        limiter.observe(report(8, 1250, 10, 2000))  # 0.25 s later: a new window
        assert limiter.status is not None and limiter.status.left == 8
        limiter.observe(report(9, 1080, 10, 2000))  # 0.17 s earlier: the same window
        assert (limiter.status.left, limiter.status.resets_in) == (8, 1.08)
        limiter.observe(report(9, 850, 10, 2000))  # 0.23 s earlier: an older window
        assert (limiter.status.left, limiter.status.resets_in) == (8, 1.08)

    def test_after_a_guessed_reset_a_late_answer_of_the_old_window_is_ignored(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(0, 1000, 5, 30000), spread=True)
        before = limiter.status
        clock.now = 1.0
        assert limiter.acquire() == 0  # the new window, guessed
        limiter.observe(report(0, 0, 5, 30000))  # the old window's last answer, late
        assert limiter.status == before
        limiter.release(report(3, 29000, 5, 30000))  # the new window, reported
        assert limiter.status is not None and limiter.status.left == 3


class TestProbe:
    """At a guessed reset one request asks the store; the others wait for its answer."""

    def limiter(self, clock: Clock) -> RateLimiter:
        limiter = answered(clock, report(5, 1000, 5, 1000))
        assert limiter.acquire() == 0  # a request of the old window, still on its way
        clock.now = 1.05  # the old window is over by our clock
        assert limiter.acquire() == 0  # the new window's probe
        assert limiter.acquire() == SHORT_WAIT
        return limiter

    def test_an_old_windows_late_answer_does_not_end_the_wait(self) -> None:
        clock = Clock(0.0)
        limiter = self.limiter(clock)
        limiter.release(report(4, 0, 5, 1000))  # the old request's answer (its window)
        assert limiter.acquire() == SHORT_WAIT  # no second probe
        limiter.release(report(4, 1000, 5, 1000))  # the probe's: the new window
        assert slots(limiter) == 4

    def test_an_answer_without_a_report_ends_it(self) -> None:
        clock = Clock(0.0)
        limiter = self.limiter(clock)
        limiter.release(None)  # perhaps the probe's, lost: another may ask
        assert limiter.acquire() == 0


class TestSpreading:
    def test_what_is_left_is_spread_evenly_until_the_reset(self) -> None:
        clock = Clock(0.0)
        limiter = answered(clock, report(4, 8000, 10, 30000), spread=True)
        assert limiter.acquire() == 0
        assert limiter.acquire() == pytest.approx(2.0)  # 8 s over 4 requests
        clock.now = 2.0
        assert limiter.acquire() == 0
        assert limiter.acquire() == pytest.approx(2.0)  # 6 s over the 3 not in flight

    def test_spread_false_lets_everything_go(self) -> None:
        assert slots(answered(Clock(0.0), report(4, 8000, 10, 30000))) == 4


class TestFirstAnswer:
    def test_until_then_one_request_goes_and_the_rest_re_check(self) -> None:
        limiter = RateLimiter(clock=Clock(0.0))
        assert limiter.acquire() == 0
        assert limiter.acquire() == SHORT_WAIT
        limiter.release(report(5, 1000, 10, 30000))
        assert limiter.acquire() == 0

    def test_a_disabled_limiter_never_waits(self) -> None:
        limiter = RateLimiter(enabled=False, clock=Clock(0.0))
        assert [limiter.acquire() for _ in range(3)] == [0, 0, 0]
        limiter.release(report(0, 9000, 10, 30000))
        assert limiter.acquire() == 0

    def test_wakers_are_called_once_by_the_first_answer(self) -> None:
        limiter = RateLimiter(clock=Clock(0.0))
        calls: list[str] = []
        assert limiter.add_waker(lambda: calls.append("early")) is False  # nobody in flight
        limiter.acquire()
        assert limiter.add_waker(lambda: calls.append("a")) is True

        def removed() -> None:
            calls.append("removed")

        assert limiter.add_waker(removed) is True
        limiter.remove_waker(removed)
        limiter.remove_waker(removed)  # a second time is harmless
        limiter.release(None)
        assert calls == ["a"]
        limiter.acquire()
        limiter.release(report(5, 1000))
        assert calls == ["a"]
        assert limiter.add_waker(lambda: calls.append("late")) is False


class TestRedisArguments:
    def test_a_report(self) -> None:
        assert release_args("lease-1", report(7, 1500, 150, 30000)) == [
            "lease-1",
            1,
            7,
            1500,
            150,
            30000,
            KEEP_MS,
        ]
        assert release_args("l", report(7, 1500)) == ["l", 1, 7, 1500, "", "", KEEP_MS]

    def test_an_answer_without_a_report_and_no_answer(self) -> None:
        assert release_args("l", {}) == ["l", 1, "", "", "", "", KEEP_MS]
        assert release_args("l", None) == ["l", 0, "", "", "", "", KEEP_MS]
        assert KEEP_MS == 86_400_000


class TestContention:
    """With ``spread=None``, spreading turns on when the store counts requests of others."""

    def limiter(self, clock: Clock) -> RateLimiter:
        limiter = RateLimiter(clock=clock)
        assert limiter.acquire() == 0
        limiter.release(report(9, 10000, 10, 30000))  # one used: ours
        assert not limiter.contended
        return limiter

    def test_a_lost_answer_counts_as_one_of_ours(self) -> None:
        clock = Clock(0.0)
        limiter = self.limiter(clock)
        limiter.acquire()
        limiter.release(None)  # lost; the store may have counted it
        limiter.acquire()
        limiter.release(report(7, 9900, 10, 30000))  # three used: all ours
        assert not limiter.contended
        limiter.acquire()
        limiter.release(report(5, 9800, 10, 30000))  # five used, four ours
        assert limiter.contended

    def test_an_answer_from_an_older_window_is_not_lost(self) -> None:
        clock = Clock(0.0)
        limiter = self.limiter(clock)
        limiter.acquire()
        limiter.acquire()
        limiter.release(report(9, 9000, 10, 30000))  # an older window's: ignored, not lost
        limiter.release(report(7, 10000, 10, 30000))  # three used, two ours
        assert limiter.contended

    @pytest.mark.parametrize(
        ("first_reset_ms", "left_after_429"),
        [
            # A 40 s window; two used, both ours: only the 429 says others spend it.
            (40000, 8),
            # A 2 s window known, then a 429 resetting in 40 s, one used in its
            # window: the 429's own reset sets how long.
            (2000, 9),
        ],
    )
    def test_a_429_spreads_for_the_longer_of_the_window_and_its_reset(
        self, first_reset_ms: int, left_after_429: int
    ) -> None:
        clock = Clock(0.0)
        limiter = RateLimiter(clock=clock)
        limiter.acquire()
        limiter.release(report(9, first_reset_ms, 10))
        limiter.acquire()
        limiter.release({**report(left_after_429, 40000, 10), "X-Retry-After": "40"})
        clock.now = 39.99
        assert limiter.contended
        clock.now = 40.0
        assert not limiter.contended

    def test_an_answer_observed_for_a_slot_taken_elsewhere_ends_the_first_wait(self) -> None:
        limiter = RateLimiter(clock=Clock(0.0))
        assert limiter.acquire() == 0
        limiter.observe(report(5, 10000, 10, 30000))
        assert limiter.acquire() == 0
