"""Retry decisions, counted exactly: how many attempts each path gets, and when a wait is refused.

``RetryState`` returns a delay per retry and ``None`` to give up, so the list of
delays up to the first ``None`` is the exact number of retries a call makes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from bigc import Response, RetryPolicy
from bigc._models import MAX_TIMEOUT
from bigc._retry import RetryState, check_retries
from bigc.exceptions import (
    BigCommerceException,
    BigCommerceNetworkError,
    ConnectError,
    RequestTimeoutError,
)
from tests.support import json_response

# Delays of 1, 2, 4, 4, … seconds: each retry is told apart by its delay.
POLICY = RetryPolicy(
    backoff_base=1.0, backoff_cap=4.0, jitter=0.0, get_retries=3, connect_retries=2
)


def delays(next_delay: Callable[[], float | None], limit: int = 20) -> list[float]:
    """The delays returned until the first ``None`` (the retries a call makes)."""
    found: list[float] = []
    for _ in range(limit):
        delay = next_delay()
        if delay is None:
            return found
        found.append(delay)
    raise AssertionError(f"still retrying after {limit} failures: {found}")


def after_error(
    state: RetryState, exc: BigCommerceException, remaining: float | None = None
) -> Callable[[], float | None]:
    return lambda: state.after_error(exc, remaining)


def after_status(
    state: RetryState, status: int, headers: dict[str, str] | None = None
) -> Callable[[], float | None]:
    return lambda: state.after_response(json_response(status, {}, headers), None)


class TestAttempts:
    @pytest.mark.parametrize("status", [500, 502, 503, 504])
    def test_a_get_retries_each_server_error_get_retries_times(self, status: int) -> None:
        assert delays(after_status(RetryState(POLICY, "GET", None), status)) == [1.0, 2.0, 4.0]

    @pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501, 505, 507])
    def test_other_statuses_are_never_retried(self, status: int) -> None:
        assert delays(after_status(RetryState(POLICY, "GET", 5), status)) == []

    @pytest.mark.parametrize("retries", [0, 1, 2, 5])
    def test_retries_per_call_replace_get_retries(self, retries: int) -> None:
        state = RetryState(POLICY, "GET", retries)
        assert len(delays(after_status(state, 503))) == retries

    @pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
    def test_other_methods_retry_only_when_asked(self, method: str) -> None:
        assert RetryState(POLICY, method, None).retries == 0
        assert delays(after_status(RetryState(POLICY, method, None), 503)) == []
        assert delays(after_status(RetryState(POLICY, method, 2), 503)) == [1.0, 2.0]

    def test_a_get_without_retries_takes_them_from_the_policy(self) -> None:
        assert RetryState(POLICY, "GET", None).retries == 3
        assert RetryState(POLICY, "GET", 0).retries == 0

    @pytest.mark.parametrize(
        "exc", [BigCommerceNetworkError(), RequestTimeoutError(phase="read")], ids=repr
    )
    def test_a_network_error_counts_against_retries(self, exc: BigCommerceException) -> None:
        assert delays(after_error(RetryState(POLICY, "GET", None), exc)) == [1.0, 2.0, 4.0]
        assert delays(after_error(RetryState(POLICY, "GET", 1), exc)) == [1.0]
        assert delays(after_error(RetryState(POLICY, "GET", 0), exc)) == []
        assert delays(after_error(RetryState(POLICY, "PUT", None), exc)) == []

    @pytest.mark.parametrize(
        "exc", [ConnectError(), RequestTimeoutError(phase="connect")], ids=repr
    )
    def test_a_connect_failure_gets_the_larger_budget(self, exc: BigCommerceException) -> None:
        # connect_retries=2; retries above it raise the budget, below it do not lower it.
        assert delays(after_error(RetryState(POLICY, "GET", 0), exc)) == [1.0, 2.0]
        assert delays(after_error(RetryState(POLICY, "GET", None), exc)) == [1.0, 2.0, 4.0]
        assert delays(after_error(RetryState(POLICY, "GET", 4), exc)) == [1.0, 2.0, 4.0, 4.0]
        assert delays(after_error(RetryState(POLICY, "PUT", None), exc)) == [1.0, 2.0]
        assert delays(after_error(RetryState(POLICY, "POST", None), exc)) == [1.0, 2.0]

    def test_a_post_gets_no_retry_after_it_may_have_been_processed(self) -> None:
        state = RetryState(POLICY, "POST", 0)
        assert state.after_error(RequestTimeoutError(phase="read"), None) is None
        assert state.after_error(BigCommerceNetworkError(), None) is None
        assert state.after_response(json_response(503), None) is None
        # …and those refusals spent nothing: the connect budget is whole.
        assert delays(after_error(state, ConnectError())) == [1.0, 2.0]

    def test_a_post_is_never_repeated_once_sent_whatever_its_budget(self) -> None:
        # check_retries refuses retries > 0 for POST; RetryState holds the line on its own too.
        state = RetryState(POLICY, "POST", 3)
        assert state.after_response(json_response(503), None) is None
        assert state.after_error(BigCommerceNetworkError(), None) is None
        assert state.after_error(RequestTimeoutError(phase="read"), None) is None
        assert state.after_error(ConnectError(), None) == 1.0

    def test_every_failure_spends_one_shared_budget(self) -> None:
        state = RetryState(POLICY, "GET", 3)
        assert state.after_error(ConnectError(), None) == 1.0
        assert state.after_response(json_response(502), None) == 2.0
        assert state.after_error(BigCommerceNetworkError(), None) == 4.0
        assert state.after_response(json_response(503), None) is None
        assert state.after_error(BigCommerceNetworkError(), None) is None
        assert state.after_error(ConnectError(), None) is None

    def test_connect_failures_do_not_raise_the_budget_of_other_errors(self) -> None:
        state = RetryState(POLICY, "GET", 1)
        assert state.after_error(ConnectError(), None) == 1.0
        assert state.after_error(ConnectError(), None) == 2.0
        assert state.after_response(json_response(503), None) is None


class TestRateLimited:
    policy = RetryPolicy(backoff_base=1.0, backoff_cap=4.0, jitter=0.0, rate_limit_retries=3)

    @pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
    def test_each_method_waits_out_rate_limit_retries_429s(self, method: str) -> None:
        state = RetryState(self.policy, method, 0)
        assert delays(after_status(state, 429)) == [1.0, 2.0, 4.0]

    def test_no_429_is_waited_out_with_a_budget_of_zero(self) -> None:
        state = RetryState(RetryPolicy(rate_limit_retries=0), "GET", None)
        assert delays(after_status(state, 429)) == []

    def test_429s_and_other_failures_have_budgets_of_their_own(self) -> None:
        state = RetryState(self.policy, "GET", 1)
        assert state.after_response(json_response(429), None) == 1.0
        assert state.after_response(json_response(503), None) == 1.0
        assert state.after_response(json_response(429), None) == 2.0
        assert state.after_response(json_response(503), None) is None
        assert state.after_response(json_response(429), None) == 4.0
        assert state.after_response(json_response(429), None) is None

    @pytest.mark.parametrize(
        ("headers", "wait"),
        [
            ({"X-Rate-Limit-Time-Reset-Ms": "3000"}, 3.0),
            ({"X-Retry-After": "2"}, 2.0),
            ({"Retry-After": "5"}, 5.0),
            ({"X-Rate-Limit-Time-Reset-Ms": "0"}, 0.0),
        ],
    )
    def test_the_wait_is_what_bigcommerce_asked_plus_at_most_5_percent(
        self, headers: dict[str, str], wait: float
    ) -> None:
        found = [
            RetryState(self.policy, "GET", 0).after_response(json_response(429, {}, headers), None)
            for _ in range(300)
        ]
        assert all(d is not None and wait <= d <= wait + 0.05 + wait * 0.05 for d in found)
        # Spread over the whole range, so that waiting threads do not all return at once.
        assert max(d for d in found if d is not None) > wait + 0.04 + wait * 0.04

    def test_asked_waits_count_against_the_429_budget(self) -> None:
        state = RetryState(self.policy, "GET", 0)
        assert len(delays(after_status(state, 429, {"X-Retry-After": "0"}))) == 3


class TestDeadlines:
    """A retry is refused when its sleep would reach the call's deadline (``Timeout.total``)."""

    @pytest.mark.parametrize(
        "fail",
        [
            lambda s, r: s.after_response(json_response(503), r),
            lambda s, r: s.after_response(json_response(429), r),
            lambda s, r: s.after_response(json_response(429, {}, {"X-Retry-After": "1"}), r),
            lambda s, r: s.after_error(BigCommerceNetworkError(), r),
            lambda s, r: s.after_error(ConnectError(), r),
            lambda s, r: s.after_error(RequestTimeoutError(phase="connect"), r),
        ],
        ids=["503", "429", "429-retry-after", "network", "connect", "connect-timeout"],
    )
    def test_each_retry_path_stops_at_the_deadline(
        self, fail: Callable[[RetryState, float | None], float | None]
    ) -> None:
        # The first delay is 1 s (plus up to 0.1 s of jitter after a Retry-After).
        assert fail(RetryState(POLICY, "GET", 3), 1.0) is None
        assert fail(RetryState(POLICY, "GET", 3), 0.5) is None
        delay = fail(RetryState(POLICY, "GET", 3), 1.2)
        assert delay is not None and 1.0 <= delay < 1.2
        delay = fail(RetryState(POLICY, "GET", 3), None)
        assert delay is not None and 1.0 <= delay < 1.2

    def test_a_refused_sleep_is_not_counted_as_waited(self) -> None:
        state = RetryState(RetryPolicy(jitter=0, backoff_base=1, max_total_wait=3), "GET", 5)
        assert state.after_response(json_response(503), 0.5) is None
        assert state.after_response(json_response(503), None) == 2.0
        assert state.after_response(json_response(503), None) is None


class TestMaxTotalWait:
    def test_it_caps_the_sum_of_the_delays_not_each_delay(self) -> None:
        policy = RetryPolicy(jitter=0, backoff_base=1, backoff_cap=1, max_total_wait=2.5)
        assert delays(after_status(RetryState(policy, "GET", 10), 503)) == [1.0, 1.0]
        assert delays(after_error(RetryState(policy, "GET", 10), ConnectError())) == [1.0, 1.0]
        assert delays(after_status(RetryState(policy, "GET", 0), 429)) == [1.0, 1.0]

    def test_a_delay_that_reaches_it_exactly_is_allowed(self) -> None:
        policy = RetryPolicy(jitter=0, backoff_base=1, backoff_cap=1, max_total_wait=2.0)
        assert delays(after_status(RetryState(policy, "GET", 10), 503)) == [1.0, 1.0]

    def test_zero_allows_only_zero_delays(self) -> None:
        policy = RetryPolicy(backoff_base=0, max_total_wait=0)
        assert delays(after_status(RetryState(policy, "GET", 2), 503)) == [0.0, 0.0]
        policy = RetryPolicy(backoff_base=0.1, max_total_wait=0)
        assert delays(after_status(RetryState(policy, "GET", 2), 503)) == []


class TestBackoff:
    def test_exponential_from_the_base_up_to_the_cap(self) -> None:
        policy = RetryPolicy(backoff_base=0.5, backoff_cap=3.0, jitter=0)
        assert [policy.backoff(n) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]

    def test_jitter_takes_off_up_to_its_share_of_the_delay(self) -> None:
        policy = RetryPolicy(backoff_base=2.0, jitter=0.25)
        draws = random.Random(5)
        expected = [2.0 * (1 - 0.25 * draws.random()) for _ in range(50)]
        rng = random.Random(5)
        assert [policy.backoff(0, rng) for _ in range(50)] == expected
        assert all(1.5 <= d <= 2.0 for d in expected)

    def test_without_a_generator_the_module_one_is_used(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(random, "random", lambda: 1.0)
        assert RetryPolicy(backoff_base=2.0, jitter=0.5).backoff(0) == 1.0

    def test_full_jitter_can_take_the_whole_delay(self) -> None:
        class Top(random.Random):
            def random(self) -> float:
                return 1.0

        assert RetryPolicy(backoff_base=2.0, jitter=1.0).backoff(1, Top()) == 0.0


def policy_with(name: str, value: object) -> RetryPolicy:
    options: dict[str, Any] = {name: value}
    return RetryPolicy(**options)


class TestPolicyValidation:
    @pytest.mark.parametrize("name", ["get_retries", "connect_retries", "rate_limit_retries"])
    def test_counts_from_zero(self, name: str) -> None:
        assert getattr(policy_with(name, 0), name) == 0
        for bad in (-1, 1.0, True, "2", None):
            with pytest.raises(
                ValueError, match=rf"^RetryPolicy\.{name} must be an int >= 0, got {bad!r}$"
            ):
                policy_with(name, bad)

    @pytest.mark.parametrize("name", ["backoff_base", "backoff_cap", "max_total_wait"])
    def test_seconds_from_zero_to_the_largest_timeout(self, name: str) -> None:
        for good in (0, 0.0, 1, MAX_TIMEOUT):
            assert getattr(policy_with(name, good), name) == good
        for bad in (-0.001, MAX_TIMEOUT * 1.001, float("nan"), float("inf"), True, "1", None):
            with pytest.raises(
                ValueError,
                match=rf"^RetryPolicy\.{name} must be a number from 0 to 1e\+09, got ",
            ):
                policy_with(name, bad)

    def test_jitter_from_zero_to_one(self) -> None:
        for good in (0, 0.0, 0.5, 1, 1.0):
            assert RetryPolicy(jitter=good).jitter == good
        for bad in (-0.001, 1.001, 2, float("nan")):
            with pytest.raises(
                ValueError, match=rf"^RetryPolicy\.jitter must be between 0 and 1, got {bad!r}$"
            ):
                RetryPolicy(jitter=bad)


class TestCheckRetries:
    @pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "POST"])
    def test_zero_and_none_are_always_allowed(self, method: str) -> None:
        check_retries(method, 0)
        check_retries(method, None)

    def test_a_post_may_not_retry_even_once(self) -> None:
        with pytest.raises(ValueError) as caught:
            check_retries("POST", 1)
        assert str(caught.value) == (
            "retries must be 0 for POST: BigCommerce has no idempotency keys, so a repeated "
            "POST can create a second object (bigc still retries a POST that never reached "
            "the server and a POST answered with 429)"
        )
        check_retries("PUT", 1)

    def test_the_message_names_the_option(self) -> None:
        with pytest.raises(ValueError, match=r"^get_retries must be 0 or greater, got -1$"):
            check_retries("GET", -1, "get_retries")
        with pytest.raises(TypeError, match=r"^get_retries must be an int, not True$"):
            check_retries("GET", True, "get_retries")
        with pytest.raises(TypeError, match=r"^retries must be an int, not 1\.0$"):
            check_retries("GET", 1.0)  # type: ignore[arg-type]


def test_a_response_is_read_for_its_status_only() -> None:
    # after_response needs no request or body: a bare Response is enough.
    assert RetryState(POLICY, "GET", 1).after_response(Response(503), None) == 1.0


class TestQuotaWaits:
    """Sleeps for the store's quota share ``max_total_wait`` with the retry sleeps."""

    policy = RetryPolicy(jitter=0, backoff_base=1, backoff_cap=1, max_total_wait=10)

    def test_the_allowance_is_what_is_left_of_max_total_wait(self) -> None:
        state = RetryState(self.policy, "GET", 3)
        assert state.wait_allowance(None) == 10
        assert state.after_response(json_response(503), None) == 1.0
        assert state.wait_allowance(None) == 9
        state.note_wait(2.5)
        assert state.wait_allowance(None) == 6.5

    def test_the_deadline_lowers_the_allowance_but_never_raises_it(self) -> None:
        state = RetryState(self.policy, "GET", 3)
        assert state.wait_allowance(4.0) == 4.0
        assert state.wait_allowance(10.0) == 10
        assert state.wait_allowance(60.0) == 10

    def test_quota_waits_count_against_the_retry_sleeps(self) -> None:
        state = RetryState(self.policy, "GET", 3)
        state.note_wait(8.5)
        state.note_wait(0.5)
        assert state.after_response(json_response(503), None) == 1.0
        assert state.after_response(json_response(503), None) is None
        assert state.wait_allowance(None) == 0
