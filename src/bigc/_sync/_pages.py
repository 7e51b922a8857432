# Generated from bigc/_async/_pages.py by scripts/unasync.py: edit that file instead.
"""``Pages``: the lazy iterator every list returns, which also tells its size.

Written once for async; ``scripts/unasync.py`` generates ``Pages``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from bigc._progress import ListProgress

__all__ = ["Pages"]

T = TypeVar("T")


class Pages(Iterator[T]):
    """Every item of a list, lazily; ``total`` and ``pages()`` for progress bars.

    - ``total``: the number of items in the whole list once the first page is
      read, when the store says it (v3 offset lists, and lists read in one
      request); ``None`` before that and for v2 and cursor lists.
    - ``pages()``: the items page by page, as lists, for one update of a
      progress bar per request.
    - ``count``: how many items were handed out so far.

    Closing it, or dropping it, stops the page requests.
    """

    def __init__(self, items: Iterator[T], progress: ListProgress) -> None:
        self._items = items
        self._progress = progress
        self.count = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} total={self.total} count={self.count}>"

    @property
    def total(self) -> int | None:
        self._progress.learn()
        return self._progress.total

    def __iter__(self) -> Pages[T]:
        return self

    def __next__(self) -> T:
        try:
            item = self._items.__next__()
        finally:
            if self.count == 0:  # the first page is in (or the list ended)
                self._progress.learn()
        self.count += 1
        return item

    def pages(self) -> Iterator[list[T]]:
        """The remaining items in lists of one page each (the store's page size)."""
        page: list[T] = []
        for item in self:
            page.append(item)
            if len(page) == self._progress.per_page:
                yield page
                page = []
        if page:
            yield page

    def close(self) -> None:
        close = getattr(self._items, "close", None)  # a generator's; other iterators hold nothing
        if close is not None:
            close()
