"""Pagination rules for v2 pages, v3 offset pages and v3 cursors (no I/O).

The clients fetch; these functions say which query to send and what a page
means, so sync and async iterate exactly alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from bigc._config import check_count
from bigc._models import Response
from bigc._responses import decode_v2
from bigc._urls import params_dict
from bigc.exceptions import InvalidResponseError, body_excerpt

__all__ = [
    "MAX_PAGE_SIZE",
    "cursor_items",
    "page_params",
    "page_size_of",
    "pages_ahead",
    "v2_items",
    "v3_items",
]

MAX_PAGE_SIZE = 250
PAGINATION_KEYS = frozenset({"page", "limit", "after", "before"})


def page_size_of(page_size: int | None) -> int:
    """Check ``page_size``: default and cap 250 (BigCommerce's maximum)."""
    if page_size is None:
        return MAX_PAGE_SIZE
    return min(check_count(page_size, "page_size"), MAX_PAGE_SIZE)


def base_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of the caller's params, refusing the keys pagination owns."""
    params = params_dict(params)
    clash = sorted(PAGINATION_KEYS.intersection(params))
    if clash:
        raise ValueError(
            f"params must not contain {', '.join(clash)}: get_many sets pagination itself "
            "(use page_size to choose the page size)"
        )
    return params


def pages_ahead(concurrency: int) -> int:
    """How many answered pages of a v3 list may wait for the caller beyond the
    ``concurrency`` requests in flight.

    Answers that arrive together would otherwise hold the next requests back
    while the caller works through them. A quarter of ``concurrency``
    absorbs that (bench/, scenario 6: a fifth off the sync client's time
    above the floor) and keeps memory near ``concurrency`` bodies (a half or
    a whole was no faster and cost 2-7 MiB more in scenario 4).
    """
    return concurrency // 4


def page_params(params: Mapping[str, Any], limit: int, page: int) -> dict[str, Any]:
    return {**params, "limit": limit, "page": page}


def _list_of(value: Any, response: Response, what: str) -> list[Any]:
    if isinstance(value, list):
        return value
    raise InvalidResponseError(
        f"expected a list of {what}, got {type(value).__name__}: {body_excerpt(response.content)}",
        response=response,
    )


def v2_items(response: Response) -> list[Any]:
    """Items of a v2 page; a 204 (past the last page) has none."""
    body = decode_v2(response)
    return [] if body is None else _list_of(body, response, "v2 items")


def _v3_body(response: Response) -> Mapping[str, Any]:
    body = response.json()
    if not isinstance(body, Mapping) or "data" not in body:
        raise InvalidResponseError(
            "BigCommerce sent a v3 list without 'data': " + body_excerpt(response.content),
            response=response,
        )
    return body


def _meta(body: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    meta = body.get("meta")
    block = meta.get(key) if isinstance(meta, Mapping) else None
    return block if isinstance(block, Mapping) else None


def v3_items(response: Response) -> tuple[list[Any], int]:
    """Items of a v3 offset page and the total number of pages.

    A list answer without ``meta.pagination`` is one page.
    """
    body = _v3_body(response)
    items = _list_of(body["data"], response, "v3 items")
    pagination = _meta(body, "pagination")
    total_pages = pagination.get("total_pages") if pagination else None
    if isinstance(total_pages, bool) or not isinstance(total_pages, (int, float)):
        return items, 1
    if not math.isfinite(total_pages):
        raise InvalidResponseError(
            f"BigCommerce sent total_pages={total_pages!r}", response=response
        )
    return items, int(total_pages)


def cursor_items(response: Response) -> tuple[list[Any], str | None]:
    """Items of a cursor page and the cursor of the next page (``None`` at the end)."""
    body = _v3_body(response)
    items = _list_of(body["data"], response, "v3 items")
    cursor = _meta(body, "cursor_pagination")
    if not items or cursor is None:
        return items, None
    links = cursor.get("links")
    if isinstance(links, Mapping) and not links.get("next"):
        return items, None
    end_cursor = cursor.get("end_cursor")
    return items, str(end_cursor) if end_cursor else None
