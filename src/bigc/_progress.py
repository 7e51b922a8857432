"""What a list knows about its own size, learnt from the first page it reads.

No I/O: the list's page requests report each answer here, and
:class:`~bigc.AsyncPages`/:class:`~bigc.Pages` show it to the user (a progress
bar's total, page boundaries).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bigc._models import Response
from bigc.exceptions import InvalidResponseError

__all__ = ["ListProgress"]


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class ListProgress:
    """``total`` (items in the whole list, when the store says) and ``per_page``.

    v3 offset lists say both in ``meta.pagination``; cursor lists say
    ``per_page``; v2 lists say neither (``per_page`` is then the page size
    asked for). The first answer decides. It is only kept when it arrives
    (page requests may run in other threads) and read by :meth:`learn` in
    the caller's, once the list has decoded it: no page is decoded twice.
    """

    __slots__ = ("_first", "limit", "per_page", "total")

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.total: int | None = None
        self.per_page: int | None = None
        self._first: Response | None = None

    def __repr__(self) -> str:
        return f"<ListProgress total={self.total} per_page={self.per_page}>"

    def seen(self, response: Response) -> None:
        """Keep a page's answer if it is the list's first."""
        if self._first is None and self.per_page is None:
            self._first = response

    def learn(self) -> None:
        """Read the list's size from the first answer, then let it go."""
        response, self._first = self._first, None
        if response is None or self.per_page is not None:
            return
        meta = _meta(response)
        pagination = meta.get("pagination")
        cursor = meta.get("cursor_pagination")
        if isinstance(pagination, Mapping):
            self.total = _count(pagination.get("total"))
            self.per_page = _count(pagination.get("per_page"))
        elif isinstance(cursor, Mapping):
            self.per_page = _count(cursor.get("per_page"))
        self.per_page = self.per_page or self.limit

    def finished(self, count: int) -> None:
        """A list read in one request: its size is what came."""
        self.total = count
        self.per_page = self.per_page or count or None


def _meta(response: Response) -> Mapping[str, Any]:
    if response.status_code != 200 or not response.content.strip():
        return {}
    try:
        body = response.json()
    except InvalidResponseError:
        return {}  # the page's own decoding raises the error that says what is wrong
    meta = body.get("meta") if isinstance(body, Mapping) else None
    return meta if isinstance(meta, Mapping) else {}
