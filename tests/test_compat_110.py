"""Every call that bigc 1.1.0 accepts binds and sends the same request here, sync and async.

``tests/seed_110.py`` records 1.1.0's resource signatures (by
``scripts/record_bigc110.py``). Each is called on both clients in two shapes:
the required arguments by position with every keyword-only option 1.1.0 had,
and every argument by its 1.1.0 keyword name. The request that goes out must
be the one the endpoint table says (``tests/endpoint_cases.py``).
"""

from __future__ import annotations

from typing import Any

import pytest

from bigc import ENDPOINTS, Response
from bigc._endpoints import Endpoint
from bigc.exceptions import InternalServerError
from tests.endpoint_cases import BATCH_IDS, LIST_BODY, OBJECT_BODY, RowCase, id_value, sent_json
from tests.seed_110 import SIGNATURES
from tests.support import json_response, split
from tests.test_resources import PREFIX, Harness

ROWS = {(row.group, row.method): row for row in ENDPOINTS}
SHAPES = sorted(SIGNATURES)
by_flavor = pytest.mark.parametrize("flavor", ["sync", "async"])
by_shape = pytest.mark.parametrize("key", SHAPES, ids=[f"{g}.{m}" for g, m in SHAPES])


def values(row: Endpoint, names: tuple[str, ...]) -> dict[str, Any]:
    """An argument for each 1.1.0 parameter name."""
    out: dict[str, Any] = {}
    ids = 0
    for name in names:
        if name == "data":
            out[name] = LIST_BODY if row.body == "list" and row.kind != "batch_one" else OBJECT_BODY
        else:
            out[name] = id_value(ids)
            ids += 1
    return out


def expected(row: Endpoint, given: dict[str, Any]) -> RowCase:
    args = tuple(v for k, v in given.items() if k != "data")
    if row.kind == "either" and not args:  # all_refunds(): every order's
        row = ROWS[(row.group, row.detail)]
    return RowCase(row, args, given.get("data"))


def options_110(keywords: tuple[str, ...], row: Endpoint) -> dict[str, Any]:
    options: dict[str, Any] = {"timeout": 5}
    if "params" in keywords:
        options["params"] = {"id:in": BATCH_IDS} if row.kind == "delete_ids" else {"x": "1"}
    if "retries" in keywords:
        options["retries"] = 1
    return options


async def check(harness: Harness, case: RowCase, extra_query: dict[str, str]) -> None:
    [request] = harness.requests
    method, path, query = split(request)
    assert (method, path) == (case.row.http_method, PREFIX + case.path)
    assert query == {**case.query, **extra_query}
    assert sent_json(request.body) == case.body


@by_flavor
@by_shape
async def test_positional_shape_with_every_110_option(flavor: str, key: tuple[str, str]) -> None:
    row = ROWS[key]
    positional, required, keywords = SIGNATURES[key]
    given = values(row, positional[:required])
    options = options_110(keywords, row)
    case = expected(row, given)
    harness = Harness(flavor, case.answer())
    await harness.call(f"{row.group}.{row.method}", *given.values(), **options)
    params = options.get("params", {})
    await check(harness, case, {} if row.kind == "delete_ids" else params)
    assert harness.requests[0].timeout.read == 5


@by_flavor
@by_shape
async def test_every_argument_by_its_110_name(flavor: str, key: tuple[str, str]) -> None:
    row = ROWS[key]
    positional = SIGNATURES[key][0]
    given = values(row, positional)
    if row.kind == "delete_ids":  # 1.1.0 took the filter in params only
        given = {}
    case = expected(row, given)
    harness = Harness(flavor, case.answer())
    extra = {"params": {"id:in": BATCH_IDS}} if row.kind == "delete_ids" else {}
    await harness.call(f"{row.group}.{row.method}", **given, **extra)
    await check(harness, case, {})


def test_every_110_method_and_option_exists() -> None:
    for key, (positional, _, keywords) in SIGNATURES.items():
        row = ROWS[key]
        ours = [*row.args, *(["data"] if row.body != "none" or row.kind == "batch_one" else [])]
        if row.kind == "delete_ids":
            ours = []
        assert list(positional) == ours[: len(positional)], key
        if "retries" in keywords:
            assert row.retryable, f"{key}: 1.1.0 took retries="


# ---------------------------------------------------------------------------
# The breaks issue 8 names, one by one


@by_flavor
async def test_add_coupon_takes_the_body_or_the_code(flavor: str) -> None:
    checkout = json_response(200, {"data": {"id": "k1"}})
    harness = Harness(flavor, checkout, checkout)
    await harness.call("checkouts_v3.add_coupon", "k1", {"coupon_code": "X"})
    await harness.call("checkouts_v3.add_coupon", "k1", "Y")
    bodies = [sent_json(r.body) for r in harness.requests]
    assert bodies == [{"coupon_code": "X"}, {"coupon_code": "Y"}]


@by_flavor
@pytest.mark.parametrize("call", ["customers_v3.delete_many", "customers_v3.delete_addresses"])
async def test_delete_many_takes_ids_or_params(flavor: str, call: str) -> None:
    harness = Harness(flavor, default=Response(204, {}, b""))
    await harness.call(call, [1, 2])
    await harness.call(call, params={"id:in": [3, 4]})
    await harness.call(call, params={"id:in": "5,6"})
    assert [split(r)[2] for r in harness.requests] == [
        {"id:in": "1,2"},
        {"id:in": "3,4"},
        {"id:in": "5,6"},
    ]
    refusals: list[dict[str, Any]] = [
        {},
        {"params": {}},
        {"params": {"id:in": []}},
        {"params": {"name": "x"}},
    ]
    for refused in refusals:
        with pytest.raises(ValueError, match=r"filter|must not be empty"):
            await harness.call(call, **refused)
    with pytest.raises(ValueError, match="once"):
        await harness.call(call, [1], params={"id:in": [2]})
    assert len(harness.requests) == 3


@by_flavor
@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("orders_v3.get_refund_quote", (101, {"items": []})),
        ("pricing_v3.get_pricing", ({"channel_id": 1, "items": []},)),
    ],
)
async def test_read_only_posts_are_retried_like_a_get(
    flavor: str, call: str, args: tuple[Any, ...], no_sleep: list[float]
) -> None:
    error = json_response(500, {"status": 500, "title": "Boom"})
    ok = json_response(200, {"data": [] if "pricing" in call else {"id": 1}})
    harness = Harness(flavor, error, ok, error, error, error, ok, error)
    await harness.call(call, *args, retries=1)
    assert len(harness.requests) == 2
    await harness.call(call, *args)  # no retries=: the client's get_retries (3)
    assert len(harness.requests) == 2 + 4
    with pytest.raises(InternalServerError):
        await harness.call(call, *args, retries=0)


@by_flavor
@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("checkouts_v3.delete_consignment", ("k1", "c1")),
        ("checkouts_v3.delete_coupon", ("k1", "X")),
        ("carts_v3.delete_line_item", ("c1", "i1")),
    ],
)
async def test_a_delete_answered_204_returns_none(
    flavor: str, call: str, args: tuple[str, ...]
) -> None:
    harness = Harness(flavor, Response(204, {}, b""))
    assert await harness.call(call, *args) is None


LIST_ROWS = [row for row in ENDPOINTS if row.is_list and row.result != "unpaged"]


@by_flavor
@pytest.mark.parametrize("row", LIST_ROWS, ids=[f"{r.group}.{r.method}" for r in LIST_ROWS])
async def test_every_list_takes_page_size_and_concurrency(flavor: str, row: Endpoint) -> None:
    case = expected(row, values(row, row.args))
    harness = Harness(flavor, case.answer())
    await harness.call(f"{row.group}.{row.method}", *case.args, page_size=40, concurrency=2)
    assert split(harness.requests[0])[2]["limit"] == "40"
