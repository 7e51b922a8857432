"""The clients through an in-process recorder: requests sent, answers read, errors raised.

Each test runs twice, through BigCommerceAPI and AsyncBigCommerceAPI (the
``driver`` fixture).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import Any

import pytest

import bigc
from bigc import Response, RetryPolicy, Timeout
from bigc.exceptions import (
    BigCommerceNetworkError,
    ConnectError,
    DoesNotExistError,
    InternalServerError,
    InvalidResponseError,
    RequestTimeoutError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
)
from tests.support import Driver, json_response, settled, split

FAST = RetryPolicy(backoff_base=0.001, backoff_cap=0.002)


def v3_page(ids: range, total_pages: int) -> Response:
    return json_response(
        200,
        {"data": [{"id": i} for i in ids], "meta": {"pagination": {"total_pages": total_pages}}},
    )


class TestDirectAccess:
    def test_get_sends_auth_and_decodes_v3(self, driver: Driver) -> None:
        transport = driver.transport(json_response(200, {"data": {"id": 77}, "meta": {}}))
        api = driver.client(transport)
        product = driver.call(api.api_v3.get("/products/77", params={"include": "videos"}))
        assert product == {"id": 77}
        request = transport.last
        assert request.url == "http://127.0.0.1:1/stores/STORE/v3/products/77?include=videos"
        assert request.headers["X-Auth-Token"] == "SECRET-TOKEN"
        assert request.headers["Accept"] == "application/json"
        assert request.body is None

    def test_post_sends_json(self, driver: Driver) -> None:
        transport = driver.transport(json_response(200, [{"id": 1}]))
        api = driver.client(transport)
        data = {"name": "Café", "tags": [1, 2]}
        assert driver.call(api.api_v2.post("/customer_groups", data=data)) == [{"id": 1}]
        assert transport.last.method == "POST"
        assert transport.last.headers["Content-Type"] == "application/json"
        assert json.loads(transport.last.body or b"") == data

    def test_extra_headers_and_methods(self, driver: Driver) -> None:
        transport = driver.transport(default=Response(204))
        api = driver.client(transport)
        assert driver.call(api.api_v3.delete("/hooks/1", headers={"X-Test": "1"})) is None
        assert driver.call(api.api_v2.request("put", "/orders/1", data={"a": 1})) is None
        assert [r.method for r in transport.requests] == ["DELETE", "PUT"]
        assert transport.requests[0].headers["X-Test"] == "1"

    def test_request_raw_gives_the_whole_response(self, driver: Driver) -> None:
        body = {"data": [], "meta": {"pagination": {"total": 0}}}
        transport = driver.transport(json_response(200, body, {"X-Custom": "yes"}))
        api = driver.client(transport)
        response = driver.call(api.api_v3.request_raw("GET", "/catalog/products"))
        assert response.status_code == 200
        assert response.headers["x-custom"] == "yes"
        assert response.json() == body
        assert response.request is not None
        assert (response.request.method, response.request.url) == ("GET", transport.last.url)
        assert response.request.headers["X-Auth-Token"] == "[redacted]"

    @pytest.mark.parametrize("path", ["/orders?page=1", "/orders#x"])
    def test_query_in_path_is_refused_before_sending(self, driver: Driver, path: str) -> None:
        transport = driver.transport()
        with pytest.raises(ValueError, match="path"):
            driver.call(driver.client(transport).api_v2.get(path))
        assert transport.requests == []

    def test_post_retries_are_refused(self, driver: Driver) -> None:
        api = driver.client(driver.transport())
        with pytest.raises(ValueError, match="POST"):
            driver.call(api.api_v3.post("/carts", data={}, retries=1))

    def test_unserialisable_body(self, driver: Driver) -> None:
        api = driver.client(driver.transport())
        with pytest.raises(TypeError, match="JSON"):
            driver.call(api.api_v3.post("/carts", data={"when": object()}))


class TestErrors:
    def test_error_status_raises_with_details(self, driver: Driver) -> None:
        body = {"status": 401, "title": "Token invalid", "type": "t"}
        api = driver.client(driver.transport(json_response(401, body)))
        with pytest.raises(UnauthorizedError) as info:
            driver.call(api.api_v3.get("/hooks"))
        exc = info.value
        assert (exc.status_code, exc.message) == (401, "Token invalid")
        assert exc.response is not None and json.loads(exc.response.content) == body

    def test_v2_not_found(self, driver: Driver) -> None:
        body = [{"status": 404, "message": "The requested resource was not found."}]
        api = driver.client(driver.transport(json_response(404, body)))
        with pytest.raises(DoesNotExistError, match="was not found"):
            driver.call(api.orders_v2.get(101))

    def test_v3_body_without_data(self, driver: Driver) -> None:
        api = driver.client(driver.transport(json_response(200, {"id": 1})))
        with pytest.raises(InvalidResponseError, match="without 'data'"):
            driver.call(api.products_v3.get(1))

    def test_empty_body_where_an_object_was_expected(self, driver: Driver) -> None:
        api = driver.client(driver.transport(Response(200, {}, b"")))
        with pytest.raises(InvalidResponseError, match="empty body where JSON was expected"):
            driver.call(api.orders_v2.get(1))


class TestRetries:
    def test_get_is_retried_on_server_errors(self, driver: Driver) -> None:
        transport = driver.transport(
            json_response(503), json_response(500), json_response(200, {"data": {"id": 1}})
        )
        api = driver.client(transport, retry_policy=FAST)
        assert driver.call(api.products_v3.get(1)) == {"id": 1}
        assert len(transport.requests) == 3

    def test_get_retries_from_the_seed(self, driver: Driver) -> None:
        transport = driver.transport(default=json_response(503))
        api = driver.client(transport, get_retries=2, retry_policy=FAST)
        with pytest.raises(ServiceUnavailableError):
            driver.call(api.products_v3.get(1))
        assert len(transport.requests) == 3
        with pytest.raises(ServiceUnavailableError):
            driver.call(api.customers_v3.get(1, retries=5))
        assert len(transport.requests) == 3 + 6

    def test_post_is_never_retried_after_a_server_error(self, driver: Driver) -> None:
        transport = driver.transport(default=json_response(500))
        api = driver.client(transport, retry_policy=FAST)
        with pytest.raises(InternalServerError):
            driver.call(api.checkouts_v3.create_order("abc"))
        assert len(transport.requests) == 1

    def test_post_is_never_retried_after_a_read_timeout(self, driver: Driver) -> None:
        transport = driver.transport(RequestTimeoutError(phase="read"))
        api = driver.client(transport, retry_policy=FAST)
        with pytest.raises(RequestTimeoutError):
            driver.call(api.carts_v3.create({"line_items": []}))
        assert len(transport.requests) == 1

    def test_post_is_retried_when_the_connection_never_opened(self, driver: Driver) -> None:
        transport = driver.transport(ConnectError(), json_response(200, {"data": {"id": "c"}}))
        api = driver.client(transport, retry_policy=FAST)
        assert driver.call(api.carts_v3.create({"line_items": []})) == {"id": "c"}
        assert len(transport.requests) == 2

    def test_429_is_waited_out_for_any_method(self, driver: Driver) -> None:
        limited = json_response(429, {}, {"X-Rate-Limit-Time-Reset-Ms": "1"})
        transport = driver.transport(limited, json_response(200, {"data": {"id": "c"}}))
        api = driver.client(transport, retry_policy=FAST)
        assert driver.call(api.carts_v3.create({"line_items": []})) == {"id": "c"}
        assert len(transport.requests) == 2

    def test_429_budget_runs_out(self, driver: Driver) -> None:
        limited = json_response(429, {}, {"X-Rate-Limit-Time-Reset-Ms": "2"})
        transport = driver.transport(default=limited)
        policy = RetryPolicy(rate_limit_retries=2)
        api = driver.client(transport, retry_policy=policy)
        with pytest.raises(TooManyRequestsError) as info:
            driver.call(api.products_v3.get(1))
        assert info.value.retry_after == 0.002
        assert len(transport.requests) == 3

    def test_network_errors_are_retried_for_get(self, driver: Driver) -> None:
        transport = driver.transport(
            BigCommerceNetworkError("reset"), json_response(200, {"data": {"id": 1}})
        )
        api = driver.client(transport, retry_policy=FAST)
        assert driver.call(api.products_v3.get(1)) == {"id": 1}

    def test_with_options_changes_one_call(self, driver: Driver) -> None:
        transport = driver.transport(default=json_response(503))
        api = driver.client(transport, retry_policy=FAST)
        with pytest.raises(ServiceUnavailableError):
            driver.call(api.with_options(get_retries=0).products_v3.get(1))
        assert len(transport.requests) == 1
        assert api.config.retry_policy.get_retries == 3


class TestTimeouts:
    def test_client_timeout_reaches_the_transport(self, driver: Driver) -> None:
        transport = driver.transport()
        api = driver.client(transport, timeout=7)
        driver.call(api.api_v3.get("/x"))
        assert transport.last.timeout == Timeout(connect=7, read=7)
        driver.call(api.checkouts_v3.create_order("c", timeout=16))
        assert transport.last.timeout == Timeout(connect=16, read=16)

    def test_limits_left_out_of_a_timeout_keep_the_defaults(self, driver: Driver) -> None:
        transport = driver.transport()
        api = driver.client(transport, timeout=Timeout(total=300))
        driver.call(api.api_v3.get("/x"))
        assert (transport.last.timeout.connect, transport.last.timeout.read) == (10, 60)
        driver.call(api.api_v3.get("/x", timeout=Timeout(read=5)))
        limits = transport.last.timeout
        assert (limits.connect, limits.read) == (10, 5) and limits.total is not None

    def test_default_timeout_is_finite(self, driver: Driver) -> None:
        transport = driver.transport()
        driver.call(driver.client(transport).api_v3.get("/x"))
        assert transport.last.timeout.read == 60 and transport.last.timeout.connect == 10

    def test_total_deadline_caps_each_attempt(self, driver: Driver) -> None:
        transport = driver.transport()
        api = driver.client(transport, timeout=Timeout(connect=5, read=30, total=2))
        driver.call(api.api_v3.get("/x"))
        timeout = transport.last.timeout
        assert timeout.read is not None and timeout.read <= 2
        assert timeout.connect is not None and timeout.connect <= 2

    def test_deadline_stops_retries(self, driver: Driver) -> None:
        transport = driver.transport(default=json_response(503))
        policy = RetryPolicy(backoff_base=5, get_retries=5)
        api = driver.client(transport, retry_policy=policy, timeout=Timeout(total=1))
        with pytest.raises(ServiceUnavailableError):
            driver.call(api.products_v3.get(1))
        assert len(transport.requests) == 1


class TestPagination:
    def test_v2_pages_until_a_short_page(self, driver: Driver) -> None:
        pages = [json_response(200, [{"id": i} for i in range(n * 2, n * 2 + 2)]) for n in range(3)]
        transport = driver.transport(*pages, json_response(200, [{"id": 6}]), default=Response(204))
        api = driver.client(transport, concurrency=1)
        items = driver.collect(api.api_v2.get_many("/orders", page_size=2, params={"a": 1}))
        assert [i["id"] for i in items] == list(range(7))
        assert [q for _, _, q in transport.calls()] == [
            {"a": "1", "limit": "2", "page": str(p)} for p in range(1, 5)
        ]

    def test_v2_stops_at_204(self, driver: Driver) -> None:
        transport = driver.transport(json_response(200, [{"id": 1}, {"id": 2}]), Response(204))
        api = driver.client(transport, concurrency=1)
        items = driver.collect(api.api_v2.get_many("/orders", page_size=2))
        assert len(items) == 2
        assert len(transport.requests) == 2

    def test_v3_offset_reads_every_page_once(self, driver: Driver) -> None:
        def answer(request: bigc.Request) -> Response:
            page = int(split(request)[2]["page"])
            return v3_page(range((page - 1) * 3, page * 3), total_pages=5)

        transport = driver.transport(default=answer)
        api = driver.client(transport, concurrency=3)
        items = driver.collect(api.api_v3.get_many("/catalog/products", page_size=3))
        assert [i["id"] for i in items] == list(range(15))
        pages = sorted(int(q["page"]) for _, _, q in transport.calls())
        assert pages == [1, 2, 3, 4, 5]

    def test_v3_without_pagination_meta_is_one_page(self, driver: Driver) -> None:
        transport = driver.transport(json_response(200, {"data": [{"id": 1}], "meta": {}}))
        api = driver.client(transport)
        assert driver.collect(api.api_v3.get_many("/catalog/brands")) == [{"id": 1}]
        assert len(transport.requests) == 1

    def test_cursor_pages(self, driver: Driver) -> None:
        def cursor_page(ids: list[int], after: str | None) -> Response:
            links = {"next": f"?after={after}"} if after else {}
            meta = {"cursor_pagination": {"end_cursor": after or "end", "links": links}}
            return json_response(200, {"data": [{"id": i} for i in ids], "meta": meta})

        transport = driver.transport(cursor_page([1, 2], "c1"), cursor_page([3], None))
        api = driver.client(transport)
        assert [c["id"] for c in driver.collect(api.customers_v3.all())] == [1, 2, 3]
        assert [q for _, _, q in transport.calls()] == [
            {"limit": "250"},
            {"limit": "250", "after": "c1"},
        ]

    def test_a_repeated_cursor_stops_the_list_after_the_items_before_it(
        self, driver: Driver
    ) -> None:
        def cursor_page(ids: list[int], end_cursor: str) -> Response:
            meta = {"cursor_pagination": {"end_cursor": end_cursor, "links": {"next": "?"}}}
            return json_response(200, {"data": [{"id": i} for i in ids], "meta": meta})

        transport = driver.transport(
            cursor_page([1], "c1"), cursor_page([2], "c2"), cursor_page([3], "c1")
        )
        api = driver.client(transport)
        seen: list[int] = []

        async def read_all() -> None:
            async for item in api.customers_v3.all():
                seen.append(item["id"])

        with pytest.raises(InvalidResponseError, match="repeated the cursor 'c1'") as caught:
            if driver.kind == "async":
                driver.call(read_all())
            else:
                for item in api.customers_v3.all():
                    seen.append(item["id"])
        assert seen == [1, 2]  # the looping page's items are not handed out
        assert caught.value.response is not None
        assert caught.value.response.json()["data"] == [{"id": 3}]
        assert len(transport.requests) == 3  # and no fourth request goes out

    def test_cursor_requests_the_next_page_before_handing_out_items(self, driver: Driver) -> None:
        def answer(request: bigc.Request) -> Response:
            after = int(split(request)[2].get("after", "0"))
            links = {"next": f"?after={after + 1}"} if after < 3 else {}
            meta = {"cursor_pagination": {"end_cursor": str(after + 1), "links": links}}
            return json_response(200, {"data": [{"id": after}], "meta": meta})

        transport = driver.transport(default=answer)
        api = driver.client(transport)
        iterator = api.customers_v3.all()

        async def first_item() -> Any:
            item = await iterator.__anext__()
            for _ in range(100):
                if len(transport.requests) == 2:
                    break
                await asyncio.sleep(0.01)
            return item

        if driver.kind == "async":
            assert driver.call(first_item()) == {"id": 0}
        else:
            assert next(iterator) == {"id": 0}
            settled(lambda: len(transport.requests) == 2)
        assert len(transport.requests) == 2  # page 2 is on its way while item 0 is used
        assert [c["id"] for c in driver.collect(iterator)] == [1, 2, 3]
        assert len(transport.requests) == 4

    @pytest.mark.parametrize("key", ["page", "limit", "after"])
    def test_pagination_keys_in_params_are_refused(self, driver: Driver, key: str) -> None:
        api = driver.client(driver.transport())
        with pytest.raises(ValueError, match=key):
            api.api_v3.get_many("/catalog/products", params={key: 1})

    def test_error_on_a_later_page_stops_the_iteration(self, driver: Driver) -> None:
        def answer(request: bigc.Request) -> Response:
            page = int(split(request)[2]["page"])
            if page == 3:
                return json_response(404, {"title": "gone"})
            return v3_page(range(page * 10, page * 10 + 1), total_pages=4)

        api = driver.client(driver.transport(default=answer), concurrency=2)
        seen: list[int] = []

        async def drain_async() -> None:
            async for item in api.products_v3.all():
                seen.append(item["id"])

        with pytest.raises(DoesNotExistError, match="gone"):
            if driver.kind == "async":
                driver.call(drain_async())
            else:
                seen.extend(item["id"] for item in api.products_v3.all())
        assert seen == [10, 20]


class TestSecrets:
    def test_token_never_shows(self, driver: Driver, caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.DEBUG, logger="bigc")
        transport = driver.transport(json_response(503), json_response(401, {"title": "bad token"}))
        api = driver.client(transport, retry_policy=FAST)
        with pytest.raises(UnauthorizedError) as info:
            driver.call(api.products_v3.get(1))
        texts = [
            repr(api),
            repr(api.config),
            repr(api.api_v3),
            repr(api.products_v3),
            str(info.value),
            repr(info.value),
            repr(transport.last),
            repr(info.value.response.headers if info.value.response else None),
            caplog.text,
        ]
        assert caplog.text  # requests and the retry were logged
        for text in texts:
            assert "SECRET-TOKEN" not in text

    def test_request_headers_repr_is_redacted(self) -> None:
        headers = bigc.Headers({"X-Auth-Token": "SECRET-TOKEN", "Accept": "x"})
        assert "SECRET-TOKEN" not in repr(headers)


class TestClient:
    def test_hooks_see_every_attempt(self, driver: Driver) -> None:
        seen: list[Any] = []
        transport = driver.transport(json_response(503), json_response(200, {"data": {}}))
        api = driver.client(
            transport,
            retry_policy=FAST,
            event_hooks={
                "request": [lambda r: seen.append(("request", r.method))],
                "response": [lambda r: seen.append(("response", r.status_code))],
            },
        )
        driver.call(api.products_v3.get(1))
        assert seen == [
            ("request", "GET"),
            ("response", 503),
            ("request", "GET"),
            ("response", 200),
        ]

    def test_rate_limit_state_is_readable(self, driver: Driver) -> None:
        headers = {
            "X-Rate-Limit-Requests-Left": "149",
            "X-Rate-Limit-Requests-Quota": "150",
            "X-Rate-Limit-Time-Reset-Ms": "29000",
            "X-Rate-Limit-Time-Window-Ms": "30000",
        }
        api = driver.client(driver.transport(json_response(200, {"data": {}}, headers)))
        assert api.rate_limit is None
        driver.call(api.products_v3.get(1))
        status: Any = api.rate_limit
        assert (status.left, status.quota) == (149, 150)

    @pytest.mark.parametrize("pace", [True, False])
    def test_pacing_holds_requests_back_unless_turned_off(self, driver: Driver, pace: bool) -> None:
        spent = {"X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "30000"}
        transport = driver.transport(default=json_response(200, {"data": {}}, spent))
        api = driver.client(transport, pace=pace)
        driver.call(api.products_v3.get(1))
        if pace:  # the window resets in 30 s, past this call's deadline: it never leaves
            with pytest.raises(TooManyRequestsError, match="rate-limit quota"):
                driver.call(api.products_v3.get(1, timeout=Timeout(total=1)))
            assert len(transport.requests) == 1
        else:
            driver.call(api.products_v3.get(1, timeout=Timeout(total=1)))
            assert len(transport.requests) == 2

    def test_close_leaves_a_given_transport_open(self, driver: Driver) -> None:
        transport = driver.transport()
        api = driver.client(transport)
        driver.call(api.aclose() if driver.kind == "async" else api.close())
        assert not transport.closed

    @pytest.mark.parametrize(
        ("args", "error", "match"),
        [
            (("", "t"), ValueError, "store_hash"),
            (("s", ""), ValueError, "access_token"),
            ((1, "t"), TypeError, "store_hash"),
            (("s", "my-secret\n"), ValueError, "access_token must be printable ASCII"),
            (("s", "my-secret\r\nX-Evil: 1"), ValueError, "access_token must be printable ASCII"),
        ],
    )
    def test_bad_constructor_arguments(
        self, args: tuple[Any, Any], error: type[Exception], match: str
    ) -> None:
        with pytest.raises(error, match=match) as caught:
            bigc.BigCommerceAPI(*args)
        assert "secret" not in str(caught.value)  # a token is never in the message

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"base_url": "ftp://x"}, "base_url"),
            ({"concurrency": 0}, "concurrency"),
            ({"get_retries": -1}, "retries"),
            ({"timeout": -1}, "timeout"),
        ],
    )
    def test_bad_options(self, kwargs: dict[str, Any], match: str) -> None:
        with pytest.raises(ValueError, match=match):
            bigc.BigCommerceAPI("s", "t", **kwargs)

    def test_context_managers(self) -> None:
        with bigc.BigCommerceAPI("s", "t") as api:
            assert api.products_v3 is not None


def test_import_does_not_load_aiohttp() -> None:
    import subprocess

    code = "import sys, bigc; bigc.BigCommerceAPI('s', 't'); print('aiohttp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


class TestReviewFindings:
    """Regressions found in review: each failed before its fix."""

    def test_a_failing_hook_gives_its_rate_limit_slot_back(self, driver: Driver) -> None:
        calls: list[int] = []

        def flaky_hook(request: bigc.Request) -> None:
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("metrics backend down")

        api = driver.client(driver.transport(), event_hooks={"request": [flaky_hook]})
        with pytest.raises(RuntimeError, match="metrics"):
            driver.call(api.products_v3.get(1))
        assert api._session.quota.limiter._in_flight == 0
        assert driver.call(api.products_v3.get(1)) == {}  # no wait for a lost slot

    def test_a_spent_deadline_gives_its_rate_limit_slot_back(self, driver: Driver) -> None:
        transport = driver.transport(default=json_response(500))
        policy = RetryPolicy(backoff_base=0.02, jitter=0)
        api = driver.client(transport, retry_policy=policy, timeout=Timeout(total=0.021))
        for _ in range(5):
            with pytest.raises((InternalServerError, RequestTimeoutError)):
                driver.call(api.products_v3.get(1))
        assert api._session.quota.limiter._in_flight == 0

    @pytest.mark.parametrize("bad", ["1,2", "999999,3"])
    def test_an_id_with_a_comma_cannot_widen_a_filter(self, driver: Driver, bad: str) -> None:
        transport = driver.transport()
        api = driver.client(transport)
        for call in (api.customers_v3.get, api.customers_v3.delete, api.orders_v3.get_refund):
            with pytest.raises(ValueError, match="comma"):
                driver.call(call(bad))
        assert transport.requests == []

    def test_a_lookup_returns_only_the_item_asked_for(self, driver: Driver) -> None:
        other = json_response(200, {"data": [{"id": 3}], "meta": {}})
        api = driver.client(driver.transport(other))
        with pytest.raises(DoesNotExistError, match="customer 5"):
            driver.call(api.customers_v3.get(5))

    @pytest.mark.parametrize(
        ("body", "call"),
        [
            (b'{"data": {"a": 1}}', lambda api: api.pricing_v3.get_pricing({})),
            (b'{"data": 5}', lambda api: api.customers_v3.create({"email": "a@b.c"})),
            (b"[" * 100_000 + b"]" * 100_000, lambda api: api.orders_v2.get(1)),
        ],
    )
    def test_malformed_answers_are_invalid_responses(
        self, driver: Driver, body: bytes, call: Any
    ) -> None:
        api = driver.client(driver.transport(Response(200, {}, body)))
        with pytest.raises(InvalidResponseError):
            driver.call(call(api))

    def test_infinite_total_pages(self, driver: Driver) -> None:
        body = b'{"data": [{"id": 1}], "meta": {"pagination": {"total_pages": 1e400}}}'
        api = driver.client(driver.transport(Response(200, {}, body)))
        with pytest.raises(InvalidResponseError, match="total_pages"):
            driver.collect(api.products_v3.all())

    def test_closing_a_list_abandons_the_retries_of_its_pages(self, driver: Driver) -> None:
        def answer(request: bigc.Request) -> Response:
            page = split(request)[2]["page"]
            if page == "3":
                return json_response(500, [{"status": 500, "message": "boom"}])
            return json_response(200, [{"id": f"{page}-{n}"} for n in range(50)])

        transport = driver.transport(default=answer)
        policy = RetryPolicy(get_retries=2, backoff_base=2, jitter=0)  # 2 s, then 4 s
        api = driver.client(transport, retry_policy=policy, concurrency=4)
        iterator = api.api_v2.get_many("/orders", page_size=50)

        async def first_page_async() -> None:
            for _ in range(51):  # into page 2: the read-ahead of pages 2-5 has started
                await iterator.__anext__()
            await iterator.aclose()

        if driver.kind == "async":
            driver.call(first_page_async())
        else:
            for _ in range(51):
                next(iterator)
            iterator.close()
        page_3 = [r for r in transport.requests if split(r)[2]["page"] == "3"]
        assert len(page_3) <= 1  # its retry was abandoned with the list, not waited for
