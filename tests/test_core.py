"""The I/O-free core: URLs, queries, error mapping, retry decisions, pacing, pages."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timezone

import pytest

from bigc import Response, RetryPolicy, Timeout
from bigc._config import ClientConfig
from bigc._pagination import cursor_items, page_size_of, v2_items, v3_items
from bigc._responses import decode_v2, decode_v3, error_from_response
from bigc._retry import RetryState, check_retries
from bigc._urls import build_path, encode_query, escape_id, validate_path
from bigc.data import BigCommerceOrderStatus
from bigc.exceptions import (
    BadGatewayError,
    BigCommerceClientError,
    BigCommerceNetworkError,
    BigCommerceServerError,
    ConnectError,
    DoesNotExistError,
    GatewayTimeoutError,
    InvalidDataError,
    InvalidResponseError,
    RequestTimeoutError,
    TooManyRequestsError,
)
from bigc.utils import parse_rfc2822_date
from tests.support import json_response


class TestPaths:
    def test_hostile_id_stays_one_segment(self) -> None:
        assert build_path("/carts/{}", "../../v2/orders") == "/carts/..%2F..%2Fv2%2Forders"

    @pytest.mark.parametrize("value", ["..", "."])
    def test_dot_segment_ids_are_refused(self, value: str) -> None:
        with pytest.raises(ValueError, match="order_id"):
            escape_id(value, "order_id")

    @pytest.mark.parametrize("value", [None, "", "  "])
    def test_empty_ids_are_refused(self, value: object) -> None:
        with pytest.raises(ValueError, match="order_id"):
            escape_id(value, "order_id")

    def test_ids_of_any_type_are_text(self) -> None:
        assert build_path("/a/{}/b/{}", 5, "x y") == "/a/5/b/x%20y"

    @pytest.mark.parametrize("path", ["/orders?page=2", "/orders#top"])
    def test_query_or_fragment_in_path_is_refused(self, path: str) -> None:
        with pytest.raises(ValueError, match="params"):
            validate_path(path)

    def test_leading_slash_is_added(self) -> None:
        assert validate_path("orders/1") == "/orders/1"

    def test_url_escapes_the_store_hash(self) -> None:
        config = ClientConfig.create("a/b", "t", base_url="http://127.0.0.1:1/")
        assert config.url("v3", "/x") == "http://127.0.0.1:1/stores/a%2Fb/v3/x"


class TestQuery:
    def test_values_are_encoded_as_bigcommerce_expects(self) -> None:
        query = encode_query(
            {"id:in": [1, 2, 3], "t": (4, 5), "s": {"b", "a"}, "yes": True, "no": False, "n": 7}
        )
        assert query == "id:in=1,2,3&t=4,5&s=a,b&yes=true&no=false&n=7"

    def test_none_values_are_left_out(self) -> None:
        assert encode_query({"a": None, "b": 1}) == "b=1"

    def test_reserved_characters_are_escaped(self) -> None:
        assert encode_query({"name": "a&b=c d"}) == "name=a%26b%3Dc+d"

    @pytest.mark.parametrize("value", [b"SKU-1", [1, b"2"], {"a": 1}, [1, None]])
    def test_values_str_would_garble_are_refused(self, value: object) -> None:
        # bytes (a value read from Redis) went out as b'SKU-1': a filter matching nothing.
        with pytest.raises(TypeError, match=r"params\['sku'\]"):
            encode_query({"sku": value})

    def test_not_a_mapping(self) -> None:
        with pytest.raises(TypeError, match="params"):
            encode_query([("a", 1)])  # type: ignore[arg-type]


class TestErrors:
    def test_v3_error_body(self) -> None:
        body = {"status": 422, "title": "Bad name", "type": "x", "errors": {"name": "too long"}}
        exc = error_from_response(json_response(422, body))
        assert type(exc) is InvalidDataError
        assert (exc.status_code, exc.message, exc.errors) == (422, "Bad name", {"name": "too long"})
        assert str(exc) == "422: Bad name"

    def test_v2_error_body(self) -> None:
        exc = error_from_response(json_response(404, [{"status": 404, "message": "Nope"}]))
        assert type(exc) is DoesNotExistError
        assert exc.message == "Nope"

    @pytest.mark.parametrize(
        ("status", "cls"),
        [(418, BigCommerceClientError), (599, BigCommerceServerError), (502, BadGatewayError)],
    )
    def test_status_classes(self, status: int, cls: type[Exception]) -> None:
        assert type(error_from_response(json_response(status))) is cls

    def test_html_page_from_a_proxy(self) -> None:
        page = Response(
            502, {"Content-Type": "text/html"}, b"<html><body>Bad gateway</body></html>"
        )
        exc = error_from_response(page)
        assert type(exc) is BadGatewayError
        assert "Bad gateway" in exc.message
        assert exc.response is page

    def test_429_carries_the_wait(self) -> None:
        exc = error_from_response(json_response(429, {}, {"X-Rate-Limit-Time-Reset-Ms": "1500"}))
        assert isinstance(exc, TooManyRequestsError)
        assert exc.retry_after == 1.5

    def test_timeout_is_a_gateway_timeout_and_a_network_error(self) -> None:
        exc = RequestTimeoutError(phase="connect")
        assert isinstance(exc, GatewayTimeoutError)
        assert isinstance(exc, BigCommerceNetworkError)
        assert exc.status_code is None and exc.phase == "connect"


@pytest.mark.usefixtures("json_decoder")
class TestDecoding:
    def test_v3_is_unwrapped(self) -> None:
        assert decode_v3(json_response(200, {"data": {"id": 1}, "meta": {}})) == {"id": 1}

    def test_v3_without_data(self) -> None:
        with pytest.raises(InvalidResponseError, match="without 'data'"):
            decode_v3(json_response(200, {"id": 1}))

    def test_invalid_json(self) -> None:
        with pytest.raises(InvalidResponseError, match="invalid JSON") as info:
            decode_v2(Response(200, {}, b'{"id": 1'))
        assert info.value.status_code == 200
        assert info.value.excerpt == '{"id": 1'

    def test_204_is_none(self) -> None:
        assert decode_v2(Response(204)) is None
        assert decode_v3(Response(204)) is None


class TestRetryState:
    policy = RetryPolicy(backoff_base=1.0, backoff_cap=4.0, jitter=0.0, get_retries=3)

    def test_get_backs_off_exponentially_up_to_the_cap(self) -> None:
        state = RetryState(self.policy, "GET", 4)
        delays = [state.after_response(json_response(503), None) for _ in range(5)]
        assert delays == [1.0, 2.0, 4.0, 4.0, None]

    def test_post_is_not_retried_after_a_server_error_or_timeout(self) -> None:
        state = RetryState(self.policy, "POST", None)
        assert state.after_response(json_response(500), None) is None
        assert state.after_error(RequestTimeoutError(phase="read"), None) is None
        assert state.after_error(BigCommerceNetworkError(), None) is None

    def test_post_is_retried_when_the_request_never_left(self) -> None:
        state = RetryState(self.policy, "POST", None)
        assert state.after_error(ConnectError(), None) == 1.0
        assert state.after_error(RequestTimeoutError(phase="connect"), None) == 2.0
        assert state.after_error(ConnectError(), None) is None

    def test_429_waits_what_bigcommerce_says(self) -> None:
        state = RetryState(self.policy, "POST", None)
        delay = state.after_response(json_response(429, {}, {"X-Retry-After": "2"}), None)
        assert delay is not None and 2.0 <= delay <= 2.2

    def test_429_budget(self) -> None:
        state = RetryState(RetryPolicy(rate_limit_retries=1, jitter=0), "GET", 0)
        assert state.after_response(json_response(429), None) == 0.5
        assert state.after_response(json_response(429), None) is None

    def test_deadline_and_total_wait_stop_retries(self) -> None:
        state = RetryState(self.policy, "GET", None)
        assert state.after_response(json_response(503), remaining=0.5) is None
        capped = RetryState(RetryPolicy(max_total_wait=1.5, jitter=0, backoff_base=1), "GET", 5)
        assert capped.after_response(json_response(503), None) == 1.0
        assert capped.after_response(json_response(503), None) is None

    def test_put_and_delete_retry_only_when_asked(self) -> None:
        assert RetryState(self.policy, "PUT", None).after_response(json_response(503), None) is None
        assert RetryState(self.policy, "DELETE", 1).after_response(json_response(503), None) == 1.0

    def test_client_errors_are_final(self) -> None:
        state = RetryState(self.policy, "GET", 3)
        assert state.after_response(json_response(404), None) is None

    def test_jitter_stays_below_the_delay(self) -> None:
        policy = RetryPolicy(backoff_base=1.0, jitter=0.5)
        rng = random.Random(1)
        assert all(0.5 <= policy.backoff(0, rng) <= 1.0 for _ in range(100))

    @pytest.mark.parametrize("retries", [1, 5])
    def test_post_retries_are_refused(self, retries: int) -> None:
        with pytest.raises(ValueError, match="POST"):
            check_retries("POST", retries)

    def test_bad_retries(self) -> None:
        with pytest.raises(ValueError, match="retries"):
            check_retries("GET", -1)
        with pytest.raises(TypeError, match="retries"):
            check_retries("GET", "2")  # type: ignore[arg-type]

    def test_bad_policy(self) -> None:
        with pytest.raises(ValueError, match="get_retries"):
            RetryPolicy(get_retries=-1)


class TestPages:
    def test_page_size(self) -> None:
        assert page_size_of(None) == 250
        assert page_size_of(1000) == 250
        with pytest.raises(ValueError, match="page_size"):
            page_size_of(0)

    def test_v2(self) -> None:
        assert v2_items(Response(204)) == []
        with pytest.raises(InvalidResponseError, match="empty body"):
            v2_items(Response(200, {}, b""))
        assert v2_items(json_response(200, [{"id": 1}])) == [{"id": 1}]
        with pytest.raises(InvalidResponseError):
            v2_items(json_response(200, {"id": 1}))

    def test_v3_offset(self) -> None:
        body = {"data": [{"id": 1}], "meta": {"pagination": {"total_pages": 3}}}
        assert v3_items(json_response(200, body)) == ([{"id": 1}], 3)
        assert v3_items(json_response(200, {"data": [], "meta": {}})) == ([], 1)

    def test_cursor(self) -> None:
        more: dict[str, object] = {"end_cursor": "abc", "links": {"next": "?after=abc"}}
        last: dict[str, object] = {"end_cursor": "abc", "links": {}}
        assert cursor_items(json_response(200, page([1], more))) == ([{"id": 1}], "abc")
        assert cursor_items(json_response(200, page([1], last))) == ([{"id": 1}], None)
        assert cursor_items(json_response(200, page([], more))) == ([], None)


def page(ids: list[int], cursor: Mapping[str, object]) -> dict[str, object]:
    return {"data": [{"id": i} for i in ids], "meta": {"cursor_pagination": cursor}}


class TestTimeout:
    def test_one_number_sets_connect_and_read(self) -> None:
        assert Timeout.of(7) == Timeout(connect=7, read=7)

    @pytest.mark.parametrize("value", [0, -1])
    def test_must_be_positive(self, value: float) -> None:
        with pytest.raises(ValueError, match="timeout"):
            Timeout.of(value)

    def test_must_be_a_number(self) -> None:
        with pytest.raises(TypeError, match="timeout"):
            Timeout.of("7")  # type: ignore[arg-type]


class TestExtras:
    def test_rfc2822(self) -> None:
        parsed = parse_rfc2822_date("Tue, 20 Nov 2012 18:30:00 -0200")
        assert parsed == datetime(2012, 11, 20, 20, 30, tzinfo=timezone.utc)
        assert parsed.tzinfo is timezone.utc

    @pytest.mark.parametrize("value", ["", "yesterday", "2012-11-20T00:00:00Z"])
    def test_rfc2822_garbage(self, value: str) -> None:
        with pytest.raises(ValueError, match="RFC 2822"):
            parse_rfc2822_date(value)

    def test_order_statuses(self) -> None:
        assert int(BigCommerceOrderStatus.INCOMPLETE) == 0
        assert BigCommerceOrderStatus(11) is BigCommerceOrderStatus.AWAITING_FULFILLMENT
        assert int(BigCommerceOrderStatus.PARTIALLY_REFUNDED) == 14
        assert len(BigCommerceOrderStatus) == 15
