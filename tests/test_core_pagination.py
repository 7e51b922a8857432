"""What a page means: sizes, the keys pagination owns, v2 pages, v3 offset pages, cursors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bigc import Response
from bigc._pagination import (
    MAX_PAGE_SIZE,
    base_params,
    cursor_items,
    page_params,
    page_size_of,
    pages_ahead,
    v2_items,
    v3_items,
)
from bigc.exceptions import InvalidResponseError


def page(body: Any, status: int = 200) -> Response:
    return Response(status, {}, b"" if body is None else json.dumps(body).encode())


@pytest.mark.parametrize(
    ("concurrency", "ahead"), [(1, 0), (3, 0), (4, 1), (7, 1), (8, 2), (12, 3), (100, 25)]
)
def test_a_quarter_of_concurrency_may_wait_answered(concurrency: int, ahead: int) -> None:
    assert pages_ahead(concurrency) == ahead


class TestPageSize:
    @pytest.mark.parametrize(
        ("given", "used"),
        [(None, 250), (1, 1), (2, 2), (249, 249), (250, 250), (251, 250), (10**6, 250)],
    )
    def test_from_one_up_to_bigcommerces_maximum(self, given: int | None, used: int) -> None:
        assert MAX_PAGE_SIZE == 250
        assert page_size_of(given) == used

    @pytest.mark.parametrize("given", [0, -1])
    def test_below_one_is_refused(self, given: int) -> None:
        with pytest.raises(ValueError, match=rf"^page_size must be at least 1, got {given}$"):
            page_size_of(given)

    @pytest.mark.parametrize("given", [True, 2.0, "50"])
    def test_other_types_are_refused(self, given: object) -> None:
        with pytest.raises(TypeError, match=rf"^page_size must be an int, not {given!r}$"):
            page_size_of(given)  # type: ignore[arg-type]


class TestParams:
    def test_the_callers_params_are_copied(self) -> None:
        given = {"status_id": 11}
        params = base_params(given)
        assert params == given and params is not given
        assert base_params(None) == {}

    @pytest.mark.parametrize(
        ("params", "named"),
        [
            ({"page": 2}, "page"),
            ({"limit": 5, "x": 1}, "limit"),
            ({"after": "c"}, "after"),
            ({"before": "c"}, "before"),
            ({"page": 1, "limit": 2, "after": 3, "before": 4}, "after, before, limit, page"),
        ],
    )
    def test_the_keys_pagination_sets_are_refused(self, params: dict[str, Any], named: str) -> None:
        with pytest.raises(
            ValueError,
            match=rf"^params must not contain {named}: get_many sets pagination itself "
            r"\(use page_size to choose the page size\)$",
        ):
            base_params(params)

    def test_a_page_query_adds_limit_and_page(self) -> None:
        params = {"status_id": 11}
        assert page_params(params, 50, 3) == {"status_id": 11, "limit": 50, "page": 3}
        assert params == {"status_id": 11}


class TestV2:
    def test_items_and_the_empty_page_after_the_last(self) -> None:
        assert v2_items(page([{"id": 1}, {"id": 2}])) == [{"id": 1}, {"id": 2}]
        assert v2_items(page(None, 204)) == []

    def test_a_page_that_is_not_a_list_is_an_error(self) -> None:
        response = page({"id": 1})
        with pytest.raises(InvalidResponseError) as caught:
            v2_items(response)
        assert caught.value.message == 'expected a list of v2 items, got dict: {"id": 1}'
        assert caught.value.response is response


class TestV3Offset:
    def test_items_and_total_pages(self) -> None:
        body = {"data": [1, 2], "meta": {"pagination": {"total_pages": 7, "current_page": 1}}}
        assert v3_items(page(body)) == ([1, 2], 7)

    @pytest.mark.parametrize(
        "meta",
        [
            None,
            {},
            {"pagination": None},
            {"pagination": {}},
            {"pagination": []},
            {"pagination": {"total_pages": None}},
            {"pagination": {"total_pages": "7"}},
            {"pagination": {"total_pages": True}},
            ["pagination"],
        ],
    )
    def test_without_a_page_count_the_answer_is_one_page(self, meta: Any) -> None:
        body: dict[str, Any] = {"data": [1]}
        if meta is not None:
            body["meta"] = meta
        assert v3_items(page(body)) == ([1], 1)

    def test_a_float_page_count_is_whole(self) -> None:
        assert v3_items(page({"data": [], "meta": {"pagination": {"total_pages": 3.0}}})) == ([], 3)

    @pytest.mark.parametrize("value", ["Infinity", "NaN", "-Infinity"])
    def test_a_page_count_that_is_not_finite_is_an_error(self, value: str) -> None:
        content = b'{"data": [], "meta": {"pagination": {"total_pages": %s}}}' % value.encode()
        response = Response(200, {}, content)
        with pytest.raises(InvalidResponseError) as caught:
            v3_items(response)
        assert caught.value.message == f"BigCommerce sent total_pages={float(value)!r}"
        assert caught.value.response is response

    @pytest.mark.parametrize("read", [v3_items, cursor_items])
    @pytest.mark.parametrize("body", [{"meta": {}}, {"items": []}, [1, 2], "data", None])
    def test_a_list_answer_without_data_is_an_error(self, read: Any, body: Any) -> None:
        response = page(body) if body is not None else Response(200, {}, b"null")
        with pytest.raises(InvalidResponseError) as caught:
            read(response)
        assert caught.value.message.startswith("BigCommerce sent a v3 list without 'data': ")
        assert caught.value.response is response

    @pytest.mark.parametrize("read", [v3_items, cursor_items])
    def test_data_that_is_not_a_list_is_an_error(self, read: Any) -> None:
        response = page({"data": {"id": 1}})
        with pytest.raises(
            InvalidResponseError, match=r"^200: expected a list of v3 items, got dict: "
        ):
            read(response)


class TestCursor:
    def cursor(self, data: list[Any], **cursor: Any) -> Response:
        return page({"data": data, "meta": {"cursor_pagination": cursor}})

    def test_the_next_cursor_is_the_end_cursor(self) -> None:
        response = self.cursor([1], end_cursor="abc", links={"next": "?after=abc"})
        assert cursor_items(response) == ([1], "abc")

    def test_without_links_the_end_cursor_is_followed(self) -> None:
        assert cursor_items(self.cursor([1], end_cursor="abc")) == ([1], "abc")
        assert cursor_items(self.cursor([1], end_cursor=17)) == ([1], "17")

    @pytest.mark.parametrize("links", [{}, {"next": None}, {"next": ""}])
    def test_no_next_link_is_the_end(self, links: dict[str, Any]) -> None:
        assert cursor_items(self.cursor([1], end_cursor="abc", links=links)) == ([1], None)

    def test_an_empty_page_is_the_end(self) -> None:
        response = self.cursor([], end_cursor="abc", links={"next": "?after=abc"})
        assert cursor_items(response) == ([], None)

    @pytest.mark.parametrize("end_cursor", [None, ""])
    def test_no_end_cursor_is_the_end(self, end_cursor: Any) -> None:
        response = self.cursor([1], end_cursor=end_cursor, links={"next": "?after=x"})
        assert cursor_items(response) == ([1], None)

    @pytest.mark.parametrize(
        "meta", [{}, {"pagination": {"total_pages": 3}}, {"cursor_pagination": "x"}]
    )
    def test_without_cursor_pagination_the_answer_is_one_page(self, meta: Any) -> None:
        assert cursor_items(page({"data": [1, 2], "meta": meta})) == ([1, 2], None)
