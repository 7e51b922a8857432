"""v3 offset pages, v2 pages with the 204 at the end, v3 cursor pages, page sizes."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from bigc.testing import FakeStore
from tests.testing.conftest import Caller, new_customer


@pytest.fixture(scope="module")
def big() -> Caller:
    return Caller(FakeStore.with_sample_data(products=1000, customers=120, orders=600))


def test_v3_pages_yield_every_product_exactly_once(big: Caller) -> None:
    seen: list[int] = []
    query: dict[str, str] = {"limit": "50"}
    pages = 0
    while True:
        answer = big.get("/v3/catalog/products", **query)
        pagination = answer.body["meta"]["pagination"]
        seen += [p["id"] for p in answer.data]
        pages += 1
        assert pagination["total"] == 1000
        assert pagination["total_pages"] == 20
        assert pagination["count"] == len(answer.data)
        assert pagination["current_page"] == pages
        if "next" not in pagination["links"]:
            break
        query = dict(parse_qsl(pagination["links"]["next"].lstrip("?")))
    assert pages == 20
    assert seen == list(range(1, 1001))


def test_v3_links_keep_the_filters(big: Caller) -> None:
    answer = big.get("/v3/catalog/products", is_visible="true", limit=10, page=2)
    links = answer.body["meta"]["pagination"]["links"]
    assert links["current"] == "?is_visible=true&limit=10&page=2"
    assert links["previous"] == "?is_visible=true&limit=10&page=1"
    assert links["next"] == "?is_visible=true&limit=10&page=3"


def test_v3_page_past_the_end_is_empty(big: Caller) -> None:
    answer = big.get("/v3/catalog/products", limit=250, page=5)
    assert answer.status == 200
    assert answer.data == []
    assert "next" not in answer.body["meta"]["pagination"]["links"]


def test_v3_empty_list_has_zero_pages(api: Caller) -> None:
    pagination = api.get("/v3/catalog/brands").body["meta"]["pagination"]
    assert (pagination["total"], pagination["total_pages"], pagination["count"]) == (0, 0, 0)


def test_v3_limit_of_250_is_allowed_and_251_is_refused(big: Caller) -> None:
    assert len(big.get("/v3/catalog/products", limit=250).data) == 250
    refused = big.get("/v3/catalog/products", limit=251)
    assert refused.status == 422
    assert refused.body["status"] == 422
    assert "limit" in refused.body["errors"]


@pytest.mark.parametrize("query", [{"page": "0"}, {"limit": "abc"}, {"limit": "-1"}])
def test_bad_page_parameters(big: Caller, query: dict[str, str]) -> None:
    assert big.get("/v3/catalog/products", **query).status == 422
    assert big.get("/v2/orders", **query).status == 400


def test_v2_pages_yield_every_order_exactly_once_then_204(big: Caller) -> None:
    seen: list[int] = []
    page = 1
    while True:
        answer = big.get("/v2/orders", limit=250, page=page)
        if answer.status == 204:
            assert answer.reply.body == b""
            break
        assert answer.status == 200
        assert isinstance(answer.body, list)
        seen += [order["id"] for order in answer.body]
        page += 1
    assert page == 4  # 250 + 250 + 100, then 204
    assert seen == list(range(1, 601))


def test_v2_default_page_size_is_50(big: Caller) -> None:
    assert len(big.get("/v2/orders").body) == 50


def test_v2_limit_above_250_is_clamped(big: Caller) -> None:
    answer = big.get("/v2/orders", limit=1000)
    assert answer.status == 200
    assert len(answer.body) == 250


def test_v2_empty_list_is_204(api: Caller) -> None:
    answer = api.get("/v2/orders")
    assert (answer.status, answer.reply.body) == (204, b"")


def test_cursor_pages_yield_every_customer_exactly_once(big: Caller) -> None:
    first = big.get("/v3/customers", limit=50)
    assert first.body["meta"]["pagination"]["total"] == 120  # the first page has both
    seen = [c["id"] for c in first.data]
    cursor = first.body["meta"]["cursor_pagination"]
    pages = 1
    while "next" in cursor["links"]:
        answer = big.get("/v3/customers", limit=50, after=cursor["end_cursor"])
        assert "pagination" not in answer.body["meta"]
        cursor = answer.body["meta"]["cursor_pagination"]
        assert cursor["count"] == len(answer.data) and cursor["per_page"] == 50
        assert cursor["start_cursor"] and cursor["end_cursor"]
        seen += [c["id"] for c in answer.data]
        pages += 1
    assert pages == 3
    assert seen == list(range(1, 121))


def test_cursor_next_link_is_a_usable_query(big: Caller) -> None:
    first = big.get("/v3/customers", limit=40)
    query = dict(parse_qsl(first.body["meta"]["cursor_pagination"]["links"]["next"].lstrip("?")))
    assert [c["id"] for c in big.get("/v3/customers", **query).data] == list(range(41, 81))


def test_cursor_before_goes_back_one_page(big: Caller) -> None:
    second = big.get(
        "/v3/customers",
        limit=30,
        after=big.get("/v3/customers", limit=30).body["meta"]["cursor_pagination"]["end_cursor"],
    )
    start = second.body["meta"]["cursor_pagination"]["start_cursor"]
    back = big.get("/v3/customers", limit=30, before=start)
    assert [c["id"] for c in back.data] == list(range(1, 31))
    assert "previous" not in back.body["meta"]["cursor_pagination"]["links"]


def test_cursor_survives_deleting_the_record_it_points_at(api: Caller) -> None:
    api.post("/v3/customers", [new_customer(f"c{n}@example.com") for n in range(6)])
    first = api.get("/v3/customers", limit=3)
    end = first.body["meta"]["cursor_pagination"]["end_cursor"]
    assert api.delete("/v3/customers", **{"id:in": "3"}).status == 204
    assert [c["id"] for c in api.get("/v3/customers", limit=3, after=end).data] == [4, 5, 6]


def test_a_bad_cursor_is_422(big: Caller) -> None:
    assert big.get("/v3/customers", after="not-a-cursor!").status == 422
