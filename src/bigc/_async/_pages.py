"""``AsyncPages``: the lazy iterator every list returns, which also tells its size;
and ``follow_cursors``, the reading of lists whose pages each name the next.

Written once for async; ``scripts/unasync.py`` generates ``Pages``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from bigc._models import Response
from bigc._progress import ListProgress
from bigc.exceptions import InvalidResponseError

from ._backend import Lookahead

__all__ = ["AsyncPages", "follow_cursors"]

T = TypeVar("T")
P = TypeVar("P")


class AsyncPages(AsyncIterator[T]):
    """Every item of a list, lazily; ``total`` and ``pages()`` for progress bars.

    - ``total``: the number of items in the whole list once the first page is
      read, when the store says it (v3 offset lists, and lists read in one
      request); ``None`` before that and for v2 and cursor lists.
    - ``pages()``: the items page by page, as lists, for one update of a
      progress bar per request.
    - ``count``: how many items were handed out so far.

    Closing it (``aclose()``), or dropping it, stops the page requests.
    """

    def __init__(self, items: AsyncIterator[T], progress: ListProgress) -> None:
        self._items = items
        self._progress = progress
        self.count = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} total={self.total} count={self.count}>"

    @property
    def total(self) -> int | None:
        self._progress.learn()
        return self._progress.total

    def __aiter__(self) -> AsyncPages[T]:
        return self

    async def __anext__(self) -> T:
        try:
            item = await self._items.__anext__()
        finally:
            if self.count == 0:  # the first page is in (or the list ended)
                self._progress.learn()
        self.count += 1
        return item

    async def pages(self) -> AsyncIterator[list[T]]:
        """The remaining items in lists of one page each (the store's page size)."""
        page: list[T] = []
        async for item in self:
            page.append(item)
            if len(page) == self._progress.per_page:
                yield page
                page = []
        if page:
            yield page

    async def aclose(self) -> None:
        """Stop the list here, with the requests it reads ahead.

        Leaving a loop early does not stop them: they go on until the list
        is garbage-collected. Closing a list read to the end does nothing.
        """
        close = getattr(self._items, "aclose", None)  # a generator's; other iterators hold nothing
        if close is not None:
            await close()


async def follow_cursors(
    ahead: Lookahead[str | None, P],
    first: str | None,
    read: Callable[[P], tuple[list[T], str | None, Response | None]],
) -> AsyncIterator[T]:
    """The items of the pages from cursor ``first`` on, fetched by ``ahead``;
    ``read`` gives a page's items, the next page's cursor (``None`` at the end)
    and its response.

    REST cursor lists and GraphQL connections both read this way. Each page
    names the next, so pages come one at a time, but the next is requested
    before this one's items are handed out (a read is safe to send ahead):
    the caller's work on them overlaps the round trip. A cursor that comes
    back twice raises :class:`~bigc.exceptions.InvalidResponseError` rather
    than loop or hand out an item twice.
    """
    ahead.start(first)
    seen: set[str] = set()
    try:
        while True:
            items, cursor, response = read(await ahead.result())
            if cursor is not None:
                if cursor in seen:
                    raise InvalidResponseError(
                        f"BigCommerce repeated the cursor {cursor!r}; stopping to avoid a loop",
                        response=response,
                    )
                seen.add(cursor)
                ahead.start(cursor)
            for item in items:
                yield item
            if cursor is None:
                return
    finally:
        await ahead.aclose()
