"""A list's size as learnt from its first answer (``bigc._progress``), case by case."""

from __future__ import annotations

from typing import Any

import pytest

from bigc import Response
from bigc._progress import ListProgress
from tests.support import json_response


def learnt(response: Response, limit: int | None = 50) -> tuple[int | None, int | None]:
    progress = ListProgress(limit=limit)
    progress.seen(response)
    progress.learn()
    return progress.total, progress.per_page


def offset_page(total: Any, per_page: Any) -> Response:
    return json_response(
        200, {"data": [], "meta": {"pagination": {"total": total, "per_page": per_page}}}
    )


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        (0, 0),
        (7, 7),
        (-1, None),
        (True, None),
        (False, None),
        ("7", None),
        (7.0, None),
        (None, None),
    ],
)
def test_only_a_whole_count_of_zero_or_more_is_kept(value: Any, kept: int | None) -> None:
    assert learnt(offset_page(value, 20), limit=None) == (kept, 20)
    assert learnt(offset_page(3, value), limit=None) == (3, kept or None)


def test_a_cursor_list_says_its_page_size_but_no_total() -> None:
    body = {"data": [], "meta": {"cursor_pagination": {"per_page": 25, "total": 9}}}
    assert learnt(json_response(200, body)) == (None, 25)


def test_offset_pagination_is_read_before_cursor_pagination() -> None:
    both = {"pagination": {"total": 4, "per_page": 2}, "cursor_pagination": {"per_page": 30}}
    assert learnt(json_response(200, {"data": [], "meta": both})) == (4, 2)
    odd = {"pagination": [], "cursor_pagination": {"per_page": 30}}  # not a mapping
    assert learnt(json_response(200, {"data": [], "meta": odd})) == (None, 30)


def test_a_page_size_of_zero_falls_back_to_the_limit() -> None:
    assert learnt(offset_page(5, 0), limit=40) == (5, 40)


@pytest.mark.parametrize(
    "response",
    [
        json_response(201, {"data": [], "meta": {"pagination": {"total": 5, "per_page": 5}}}),
        Response(200, {}, b"  \n"),
        json_response(200, [{"meta": {"pagination": {"total": 5}}}]),
        json_response(200, {"data": [], "meta": [1]}),
        json_response(200, {"data": []}),
    ],
)
def test_an_answer_without_meta_says_nothing_but_the_limit(response: Response) -> None:
    assert learnt(response, limit=50) == (None, 50)
    assert learnt(response, limit=None) == (None, None)


def test_nothing_seen_learns_nothing() -> None:
    progress = ListProgress(limit=10)
    progress.learn()
    assert (progress.total, progress.per_page) == (None, None)


def test_once_the_size_is_known_later_answers_are_not_kept() -> None:
    progress = ListProgress()
    progress.seen(offset_page(9, 3))
    progress.learn()
    progress.seen(offset_page(1, 1))
    assert (progress.total, progress.per_page) == (9, 3)
    progress.learn()  # nothing kept since: still what the first answer said
    assert (progress.total, progress.per_page) == (9, 3)


def test_a_second_learn_without_a_new_answer_changes_nothing() -> None:
    progress = ListProgress(limit=8)
    progress.seen(json_response(200, [{"id": 1}]))  # v2: says nothing
    progress.learn()
    assert progress.per_page == 8
    progress.seen(offset_page(9, 3))  # per_page known: not kept
    progress.learn()
    assert (progress.total, progress.per_page) == (None, 8)


@pytest.mark.parametrize(("count", "per_page"), [(12, 12), (0, None)])
def test_a_list_read_in_one_request_is_as_long_as_what_came(
    count: int, per_page: int | None
) -> None:
    progress = ListProgress()
    progress.finished(count)
    assert (progress.total, progress.per_page) == (count, per_page)


def test_finished_keeps_a_page_size_already_known() -> None:
    progress = ListProgress(limit=250)
    progress.seen(json_response(200, [{"id": 1}]))
    progress.learn()
    progress.finished(3)
    assert (progress.total, progress.per_page) == (3, 250)


def test_repr_shows_what_is_known() -> None:
    progress = ListProgress()
    assert repr(progress) == "<ListProgress total=None per_page=None>"
    progress.seen(offset_page(9, 3))
    progress.learn()
    assert repr(progress) == "<ListProgress total=9 per_page=3>"


def test_a_first_page_that_is_not_json_leaves_the_size_unknown() -> None:
    # The list's own decoding reports the bad page; asking for its size must not.
    assert learnt(Response(200, {"Content-Type": "application/json"}, b"<html>oops")) == (
        None,
        50,
    )
