"""Edges found by trying the clients as an attacker and as a new user would.

Each test runs through both clients (the ``driver`` fixture or a ``kind``
parameter) and fails without the fix it guards.
"""

from __future__ import annotations

import asyncio
import copy
import math
import pickle
import socket
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import pytest

import bigc
from bigc import AsyncBigCommerceAPI, BigCommerceAPI, Request, RetryPolicy, Timeout
from bigc.exceptions import (
    BigCommerceException,
    BigCommerceNetworkError,
    ConnectError,
    DoesNotExistError,
    RequestTimeoutError,
)
from bigc.testing import FakeServer, FakeStore
from tests.support import Driver, RawServer, json_response

FAST = RetryPolicy(backoff_base=0.001, backoff_cap=0.002)
TOKEN = "SECRET-TOKEN"


def close(driver: Driver, api: Any) -> None:
    driver.call(api.aclose() if driver.kind == "async" else api.close())


# ---------------------------------------------------------------------------
# Headers


def test_json_headers_go_with_every_request(driver: Driver) -> None:
    """bigc 1.1.0 sends both on every request, and BigCommerce's reference requires them."""
    transport = driver.transport(default=json_response(200, {"data": {}}))
    api = driver.client(transport)
    driver.call(api.api_v2.get("/orders/1"))
    driver.call(api.api_v3.post("/checkouts/k/orders"))  # a POST without a body
    driver.call(api.api_v3.delete("/hooks/1"))
    for request in transport.requests:
        assert request.headers["Accept"] == "application/json"
        assert request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_json_headers_reach_the_wire(kind: str) -> None:
    """Neither HTTP stack drops a Content-Type that has no body to describe."""
    with RawServer(lambda conn, head: conn.sendall(ANSWER)) as server:
        get_through(kind, server.base_url, "/catalog/products")
    lines = {line.lower() for line in server.heads[0].split(b"\r\n")}
    assert {b"accept: application/json", b"content-type: application/json"} <= lines


# ---------------------------------------------------------------------------
# 1. A malformed token


@pytest.mark.parametrize(
    "token",
    [
        "Zq9Secret\n",  # read from a file with its newline: refused, not stripped
        "Zq9Secret\r\nX-Evil: 1",
        "Zq9Secr€t",  # outside latin-1
        "Zq9Secrét",  # latin-1, but not what a token is made of
        " Zq9Secret",
        "Zq9Secret ",
        "Zq9\x00Secret",
        "Zq9\x7fSecret",
    ],
)
@pytest.mark.parametrize("cls", [BigCommerceAPI, AsyncBigCommerceAPI])
def test_a_malformed_token_is_refused_without_showing_it(cls: type[Any], token: str) -> None:
    with pytest.raises(ValueError, match="access_token") as info:
        cls("store", token)
    assert "Zq9" not in str(info.value)


# ---------------------------------------------------------------------------
# 2. No hidden re-sends: only bigc's retry policy repeats a request


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("method", ["DELETE", "PUT"])
def test_a_dropped_keep_alive_connection_is_not_re_sent(kind: str, method: str) -> None:
    """The server carries the write out, then drops the kept-alive connection."""
    store = FakeStore.with_sample_data(products=3, customers=0, orders=0)
    path = "/catalog/products/1"
    body = {"name": "Renamed"} if method == "PUT" else None

    async def run_async(base_url: str) -> None:
        async with AsyncBigCommerceAPI("s", TOKEN, base_url=base_url) as api:
            await api.api_v3.get(path)  # opens the connection that will be reused
            await api.api_v3.request(method, path, data=body, retries=0)

    with FakeServer(store) as server:
        store.drop(method, "/v3" + path, applied=True)
        with pytest.raises(BigCommerceNetworkError) as info:
            if kind == "async":
                asyncio.run(run_async(server.base_url))
            else:
                with BigCommerceAPI("s", TOKEN, base_url=server.base_url) as api:
                    api.api_v3.get(path)
                    api.api_v3.request(method, path, data=body, retries=0)
    assert not isinstance(info.value, DoesNotExistError)
    assert len(store.requests_to(method, "/v3" + path)) == 1


# ---------------------------------------------------------------------------
# A raw server for what the fake store cannot do: trickle an answer's head,
# show the exact request line that arrived.


ANSWER = b'HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"data": {}}'


def get_through(kind: str, base_url: str, path: str, timeout: Timeout | None = None) -> Any:
    async def run() -> Any:
        async with AsyncBigCommerceAPI("s", TOKEN, base_url=base_url) as api:
            return await api.api_v3.get(path, timeout=timeout, retries=0)

    if kind == "async":
        return asyncio.run(run())
    with BigCommerceAPI("s", TOKEN, base_url=base_url) as api:
        return api.api_v3.get(path, timeout=timeout, retries=0)


# ---------------------------------------------------------------------------
# 3. Timeout(total=) bounds every phase, a trickling head too


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_total_timeout_holds_while_the_head_trickles_in(kind: str) -> None:
    """A deadline, not a speed: the answer takes 8 s to trickle in, total is 0.5 s.

    Without the watchdog the sync client read the whole head (and only then
    noticed the deadline had passed); the bound below leaves room for a
    loaded machine and still fails by seconds.
    """
    stop = threading.Event()

    def trickle(conn: socket.socket, head: bytes) -> None:
        for byte in ANSWER:  # one byte per 100 ms: about 8 s
            if stop.wait(0.1):
                return
            conn.sendall(bytes([byte]))

    with RawServer(trickle) as server:
        timeout = Timeout(connect=1, read=1, total=0.5)  # each byte comes well within `read`
        started = time.monotonic()
        try:
            with pytest.raises(RequestTimeoutError) as info:
                get_through(kind, server.base_url, "/catalog/products", timeout)
        finally:
            stop.set()
    assert time.monotonic() - started < 4
    assert info.value.phase == "total"


# ---------------------------------------------------------------------------
# 4. A closed client refuses requests, and a list in progress stops


def test_a_closed_client_refuses_requests(driver: Driver) -> None:
    transport = driver.transport(default=json_response(200, {"data": {}}))
    api = driver.client(transport)
    view = api.with_options(timeout=3)
    close(driver, api)
    for client in (api, view):
        with pytest.raises(RuntimeError, match="closed"):
            driver.call(client.api_v3.get("/catalog/products/1"))
    assert transport.requests == []


def test_a_call_waiting_to_retry_stops_when_its_client_is_closed(driver: Driver) -> None:
    api: Any = None
    closing: list[Any] = []

    def fail_and_close(request: Request) -> Any:
        if driver.kind == "async":
            closing.append(asyncio.ensure_future(api.aclose()))  # runs during the wait
        else:
            api.close()
        return json_response(503)

    transport = driver.transport(fail_and_close)
    api = driver.client(transport, retry_policy=FAST)
    with pytest.raises(RuntimeError, match="closed"):
        driver.call(api.api_v3.get("/catalog/products/1", retries=3))
    assert len(transport.requests) == 1


def test_closing_a_view_leaves_its_client_open(driver: Driver) -> None:
    transport = driver.transport(default=json_response(200, {"data": {}}))
    api = driver.client(transport)
    close(driver, api.with_options(timeout=3))
    driver.call(api.api_v3.get("/catalog/products/1"))
    assert len(transport.requests) == 1


def test_a_list_stops_when_its_client_is_closed(driver: Driver) -> None:
    def page(n: int) -> Any:
        items = [{"id": 10 * n + i} for i in range(3)]
        return json_response(200, {"data": items, "meta": {"pagination": {"total_pages": 5}}})

    transport = driver.transport(*[page(n) for n in range(1, 6)])
    api = driver.client(transport, concurrency=4)
    seen: list[int] = []

    async def consume_async() -> None:
        async for item in api.api_v3.get_many("/catalog/products"):
            seen.append(item["id"])
            if len(seen) == 4:
                await api.aclose()

    with pytest.raises(RuntimeError, match="closed"):
        if driver.kind == "async":
            driver.call(consume_async())
        else:
            for item in api.api_v3.get_many("/catalog/products"):
                seen.append(item["id"])
                if len(seen) == 4:  # the first item of page 2; pages 3-5 are read ahead
                    api.close()
    assert seen == [10, 11, 12, 20, 21, 22]  # page 2 is handed out in full, then it stops


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_the_default_transports_stay_closed(kind: str) -> None:
    """No new pool or aiohttp session behind a closed client's back."""
    store = FakeStore.with_sample_data(products=2, customers=0, orders=0)

    async def run_async(base_url: str) -> None:
        api = AsyncBigCommerceAPI("s", TOKEN, base_url=base_url)
        await api.products_v3.get(1)
        await api.aclose()
        with pytest.raises(RuntimeError, match="closed"):
            await api.products_v3.get(1)
        transport = api._session.transport
        with pytest.raises(RuntimeError, match="closed"):
            await transport.send(Request("GET", base_url + "/stores/s/v3/catalog/products", {}))

    with FakeServer(store) as server:
        if kind == "async":
            asyncio.run(run_async(server.base_url))
        else:
            api = BigCommerceAPI("s", TOKEN, base_url=server.base_url)
            api.products_v3.get(1)
            api.close()
            with pytest.raises(RuntimeError, match="closed"):
                api.products_v3.get(1)
            with pytest.raises(RuntimeError, match="closed"):
                api._session.transport.send(
                    Request("GET", server.base_url + "/stores/s/v3/catalog/products", {})
                )
    assert len(store.requests) == 1


# ---------------------------------------------------------------------------
# 5. Direct-access paths


@pytest.mark.parametrize(
    "path",
    [
        "/../../otherstore/v3/catalog/products",
        "/catalog/./products",
        "/catalog/products/..",
        "/catalog/%2e%2E/x",
        "/catalog/..;/x",  # read as .. by servers that drop ;params
        "/catalog/..%3B/x",
        "/catalog/..\\..\\x",  # read as ../.. by servers that take \\ for /
        "/catalog/a%5C..%5Cx",
        "/catalog/products\t",
        "/catalog/pro\r\nducts",
        "/catalog/\x00products",
        "/catalog/\x7fproducts",
    ],
)
def test_dot_segments_and_control_characters_are_refused(driver: Driver, path: str) -> None:
    transport = driver.transport()
    api = driver.client(transport)
    with pytest.raises(ValueError, match="path"):
        driver.call(api.api_v3.get(path))
    with pytest.raises(ValueError, match="path"):
        driver.collect(api.api_v2.get_many(path))
    assert transport.requests == []


@pytest.mark.parametrize("bad", [".", ".."])
def test_dot_ids_are_refused(driver: Driver, bad: str) -> None:
    transport = driver.transport()
    api = driver.client(transport)
    with pytest.raises(ValueError, match=r"'\.{1,2}'"):
        driver.call(api.products_v3.get(bad))
    assert transport.requests == []


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/catalog/products/my product", "/catalog/products/my%20product"),
        ("/catalog/products/Café", "/catalog/products/Caf%C3%A9"),
        ("/catalog/a%2Fb", "/catalog/a%2Fb"),  # an escape already made stays as it is
        ("/catalog/100%", "/catalog/100%25"),
        ("/catalog/a\\b", "/catalog/a%5Cb"),
        ("catalog/x:y@z", "/catalog/x:y@z"),
    ],
)
def test_both_clients_put_the_same_bytes_on_the_wire(path: str, target: str) -> None:
    with RawServer(lambda conn, head: conn.sendall(ANSWER)) as server:
        for kind in ("sync", "async"):
            get_through(kind, server.base_url, path)
    lines = [head.split(b"\r\n")[0].decode() for head in server.heads]
    assert lines == [f"GET /stores/s/v3{target} HTTP/1.1"] * 2


# ---------------------------------------------------------------------------
# 6. The token stays with the transport


def _locals_hold(frame_locals: dict[str, Any], token: str) -> list[str]:
    """Names of the locals whose repr, or whose items' repr, shows ``token``."""
    found = []
    for name, value in frame_locals.items():
        texts = [repr(value)]
        if isinstance(value, dict):
            texts += [repr(v) for v in value.values()]
        if any(token in text for text in texts):
            found.append(name)
    return found


def _bigc_frames(tb: TracebackType | None) -> Iterator[tuple[str, dict[str, Any]]]:
    while tb is not None:
        code = tb.tb_frame.f_code
        if "/bigc/" in code.co_filename and "transport" not in code.co_filename:
            yield code.co_name, tb.tb_frame.f_locals
        tb = tb.tb_next


@pytest.mark.parametrize(
    "answer",
    [json_response(404, {"status": 404, "title": "Nope"}), BigCommerceNetworkError("reset")],
    ids=["status", "network"],
)
def test_the_token_travels_with_no_error(driver: Driver, answer: Any) -> None:
    seen: list[Any] = []
    transport = driver.transport(answer)
    api = driver.client(transport, event_hooks={"request": [seen.append]})
    with pytest.raises(BigCommerceException) as info:
        driver.call(api.api_v3.put("/catalog/products/1", data={"a": 1}))
    exc = info.value
    assert transport.last.headers["X-Auth-Token"] == TOKEN  # the transport sees it
    assert exc.request is not None
    assert (exc.request.method, exc.request.url) == ("PUT", transport.last.url)
    for request in (exc.request, seen[0], exc.response and exc.response.request):
        if request:
            assert request.headers["X-Auth-Token"] == "[redacted]"
    assert TOKEN.encode() not in pickle.dumps(exc)
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc) and str(copy) == str(exc)
    assert [
        (name, held)
        for name, frame in _bigc_frames(exc.__traceback__)
        if (held := _locals_hold(frame, TOKEN))
    ] == []


def test_a_malformed_answer_leaves_no_token_in_the_error_chain() -> None:
    """aiohttp's ClientResponseError keeps the request headers in request_info."""
    bad = b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}"
    with (
        RawServer(lambda conn, head: conn.sendall(bad)) as server,
        pytest.raises(BigCommerceNetworkError) as info,
    ):
        get_through("async", server.base_url, "/x")
    chain: list[BaseException] = []
    error: BaseException | None = info.value
    while error is not None and len(chain) < 10:
        chain.append(error)
        error = error.__cause__ or error.__context__
    for error in chain:
        assert TOKEN not in repr(vars(error)) and TOKEN not in repr(error.args)
        assert TOKEN not in repr(getattr(error, "request_info", ""))


def test_a_pickled_request_never_holds_the_token() -> None:
    request = Request("GET", "https://x/y", {"X-Auth-Token": TOKEN, "Accept": "a"})
    assert TOKEN.encode() not in pickle.dumps(request)
    assert pickle.loads(pickle.dumps(request)).headers == {
        "X-Auth-Token": "[redacted]",
        "Accept": "a",
    }
    assert request.headers["X-Auth-Token"] == TOKEN  # the original is untouched
    for copied in (copy.copy(request), copy.deepcopy(request)):  # a transport may copy it
        assert copied.headers == request.headers and copied.headers is not request.headers


# ---------------------------------------------------------------------------
# 7. Timeouts of nan or inf


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e12, 1e308])
def test_non_finite_timeouts_are_refused(driver: Driver, value: float) -> None:
    for build in (
        lambda: Timeout(connect=value),
        lambda: Timeout(read=value),
        lambda: Timeout(total=value),
        lambda: driver.client(driver.transport(), timeout=value),
    ):
        with pytest.raises(ValueError, match="timeout"):
            build()
    transport = driver.transport()
    with pytest.raises(ValueError, match="timeout"):
        driver.call(driver.client(transport).api_v3.get("/x", timeout=value))
    assert transport.requests == []


@pytest.mark.parametrize("name", ["backoff_base", "backoff_cap", "max_total_wait"])
def test_non_finite_retry_numbers_are_refused(name: str) -> None:
    options: dict[str, Any]
    for value in (math.nan, math.inf, 1e12):
        options = {name: value}
        with pytest.raises(ValueError, match=name):
            RetryPolicy(**options)


# ---------------------------------------------------------------------------
# 9. Smaller ones


@pytest.mark.parametrize(
    ("base_url", "shown"),
    [
        ("https://user:hunter2@api.example.com", False),
        ("https://:hunter2@api.example.com", False),
        ("https://api.example.com/?hunter2=1", True),
        ("https://api.example.com/#hunter2", True),
        ("https://api.example.com/a b", False),
        ("https:///path", True),
        ("http://127.0.0.1:99999", True),
        # A typo before the password, a query after one: it was echoed.
        ("htps://user:hunter2@api.example.com", False),
        ("https:/user:hunter2@api.example.com", False),
        ("https://api.example.com:1?x=hunter2@y", False),
        ("https://user:hunter2@[::1", False),  # and "Invalid IPv6 URL" named no argument
    ],
)
def test_a_base_url_that_would_be_misread_is_refused(
    driver: Driver, base_url: str, shown: bool
) -> None:
    with pytest.raises(ValueError, match="base_url") as info:
        driver.client(driver.transport(), base_url=base_url)
    if not shown:
        assert "hunter2" not in str(info.value)


@pytest.mark.parametrize("base_url", ["HTTPS://api.example.com", "Https://api.example.com/"])
def test_a_base_url_scheme_in_capitals_is_taken(driver: Driver, base_url: str) -> None:
    transport = driver.transport(default=json_response(200, {"data": {}}))
    api = driver.client(transport, base_url=base_url)
    driver.call(api.api_v3.get("/x"))
    assert transport.last.url == "https://api.example.com/stores/STORE/v3/x"


@pytest.mark.parametrize("bad", [b"1", 1.0, math.nan, {"id": 1}, [1], True, False])
def test_ids_must_be_int_or_str(driver: Driver, bad: object) -> None:
    transport = driver.transport()
    api = driver.client(transport)
    with pytest.raises(TypeError, match=type(bad).__name__):
        driver.call(api.products_v3.get(bad))
    assert transport.requests == []


def test_enum_ids_give_their_value(driver: Driver) -> None:
    from bigc.data import BigCommerceOrderStatus

    transport = driver.transport(default=json_response(200, {}))
    api = driver.client(transport)
    driver.call(api.orders_v2.get(BigCommerceOrderStatus.SHIPPED))
    assert transport.last.url.endswith("/v2/orders/2")


@pytest.mark.parametrize("method", ["ПОСТ", "GET ", "G-T", "", "ǴET"])
def test_method_names_are_ascii_letters(driver: Driver, method: str) -> None:
    transport = driver.transport()
    with pytest.raises(ValueError, match="method"):
        driver.call(driver.client(transport).api_v3.request(method, "/x"))
    assert transport.requests == []


@pytest.mark.parametrize(
    "hooks",
    [{"request": 5}, {"response": print}, {"request": [5]}, {"request": "abc"}, ["request"]],
)
def test_event_hooks_are_checked(driver: Driver, hooks: Any) -> None:
    with pytest.raises(TypeError, match="event_hooks"):
        driver.client(driver.transport(), event_hooks=hooks)


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_in_a_body_are_refused(driver: Driver, number: float) -> None:
    transport = driver.transport()
    api = driver.client(transport)
    with pytest.raises(ValueError, match="NaN"):
        driver.call(api.api_v3.post("/catalog/products", data={"price": [number]}))
    assert transport.requests == []


@pytest.mark.parametrize(
    "headers",
    [
        {"X-A": "a\r\nX-Injected: 1"},
        {"X-A": "a\nb"},
        {"X-A": "a\x00"},
        {"X-A": "€"},
        {"X A": "1"},
        {"X-A:": "1"},
        {"": "1"},
    ],
)
def test_per_call_headers_cannot_split_the_request(driver: Driver, headers: dict[str, str]) -> None:
    transport = driver.transport()
    with pytest.raises(ValueError, match="header"):
        driver.call(driver.client(transport).api_v3.get("/x", headers=headers))
    assert transport.requests == []


def test_get_retries_names_itself(driver: Driver) -> None:
    with pytest.raises(TypeError, match="get_retries"):
        driver.client(driver.transport(), get_retries="3")
    with pytest.raises(TypeError, match="get_retries"):
        driver.client(driver.transport()).with_options(get_retries="3")


# ---------------------------------------------------------------------------
# As a new user would: retry counts exactly as the README says


@pytest.mark.parametrize(
    ("method", "options", "failure", "attempts"),
    [
        ("GET", {}, ConnectError, 4),  # max(connect_retries=2, get_retries=3) + 1
        ("GET", {"retries": 5}, ConnectError, 6),
        ("GET", {"retries": 0}, ConnectError, 3),  # connect_retries=2 + 1
        ("POST", {}, ConnectError, 3),
        ("DELETE", {}, ConnectError, 3),
        ("GET", {}, BigCommerceNetworkError, 4),  # get_retries + 1
        ("GET", {"retries": 0}, BigCommerceNetworkError, 1),
        ("POST", {}, BigCommerceNetworkError, 1),
        ("PUT", {"retries": 2}, BigCommerceNetworkError, 3),
    ],
)
def test_attempt_counts(
    driver: Driver, method: str, options: dict[str, Any], failure: type[Exception], attempts: int
) -> None:
    transport = driver.transport(default=failure("down"))  # type: ignore[arg-type]
    api = driver.client(transport, retry_policy=FAST)
    with pytest.raises(failure):
        driver.call(api.api_v3.request(method, "/x", **options))
    assert len(transport.requests) == attempts


def test_mixed_failures_share_one_budget(driver: Driver) -> None:
    """Connect failures and dropped connections never add up past the larger budget."""
    answers = [ConnectError("a"), BigCommerceNetworkError("b"), ConnectError("c")] * 3
    transport = driver.transport(*answers)
    api = driver.client(transport, retry_policy=FAST)
    with pytest.raises(BigCommerceNetworkError):
        driver.call(api.api_v3.get("/x"))
    assert len(transport.requests) == 4


# ---------------------------------------------------------------------------
# As a new user would: request IDs, and the request a network error was sending


def test_request_id_on_errors_and_responses(driver: Driver) -> None:
    transport = driver.transport(
        json_response(200, {"data": {}}, {"X-Request-ID": "r-1"}),
        json_response(404, {"title": "Gone"}, {"X-Request-Id": "r-2"}),
        json_response(200, {"data": {}}),
    )
    api = driver.client(transport)
    assert driver.call(api.api_v3.request_raw("GET", "/a")).request_id == "r-1"
    with pytest.raises(DoesNotExistError) as info:
        driver.call(api.api_v3.get("/b"))
    assert info.value.request_id == "r-2"
    assert driver.call(api.api_v3.request_raw("GET", "/c")).request_id is None


def test_a_network_error_carries_its_request(driver: Driver) -> None:
    transport = driver.transport(ConnectError("refused"))
    api = driver.client(transport)
    with pytest.raises(ConnectError) as info:
        driver.call(
            api.api_v3.post("/carts", data={"a": 1}, retry_policy=RetryPolicy(connect_retries=0))
        )
    request = info.value.request
    assert request is not None and request.method == "POST"
    assert request.url.endswith("/v3/carts") and request.json() == {"a": 1}
    assert info.value.request_id is None


def test_the_public_names_are_documented() -> None:
    assert bigc.Response.request_id.__doc__ and BigCommerceException.request_id.__doc__


# ---------------------------------------------------------------------------
# bigc 1.1.0's exception surface, for code that builds or inspects errors itself

STATUS_CODES_1_1_0 = {  # recorded from bigc 1.1.0's exceptions.py
    "BadRequestError": 400,
    "UnauthorizedError": 401,
    "ForbiddenError": 403,
    "DoesNotExistError": 404,
    "ConflictError": 409,
    "EntityTooLargeError": 413,
    "InvalidDataError": 422,
    "LockedError": 423,
    "TooManyRequestsError": 429,
    "InternalServerError": 500,
    "BadGatewayError": 502,
    "ServiceUnavailableError": 503,
    "GatewayTimeoutError": 504,
    "InsufficientStorageError": 507,
}


@pytest.mark.parametrize(("name", "status"), STATUS_CODES_1_1_0.items())
def test_the_1_1_0_exception_surface(name: str, status: int) -> None:
    import bigc.exceptions as errors

    cls = getattr(errors, name)
    assert (status, cls.default_message) == (cls.STATUS_CODE, cls.DEFAULT_MESSAGE)
    assert BigCommerceException.get_exc_class_for_status_code(status) is cls
    built = cls("message", status, None, {"field": "wrong"})  # 1.1.0's positional order
    assert (built.message, built.status_code, built.response) == ("message", status, None)
    assert built.errors == {"field": "wrong"}


def test_a_client_side_timeout_stands_for_no_status() -> None:
    assert RequestTimeoutError.STATUS_CODE is None and RequestTimeoutError().status_code is None
    assert BigCommerceNetworkError.STATUS_CODE is None
