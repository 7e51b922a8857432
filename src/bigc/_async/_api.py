"""Direct access to the v2 and v3 APIs: ``api.api_v2`` and ``api.api_v3``.

Written once for async; ``scripts/unasync.py`` generates the sync twin.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from bigc._config import check_concurrency
from bigc._models import Response
from bigc._options import CALL_KEYS, LIST_KEYS, check_options
from bigc._pagination import (
    base_params,
    cursor_items,
    page_params,
    page_size_of,
    pages_ahead,
    v2_items,
    v3_items,
)
from bigc._progress import ListProgress
from bigc._responses import decode_v2, decode_v3
from bigc._retry import check_retries
from bigc._urls import validate_path

from ._backend import Lookahead, ordered_map
from ._pages import AsyncPages, follow_cursors
from ._session import AsyncSession

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from bigc._options import CallOptions, ListOptions

__all__ = ["AsyncV2API", "AsyncV3API"]


class AsyncAPIVersion:
    version = ""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store_hash={self._session.config.store_hash!r}>"

    def _decode(self, response: Response) -> Any:
        raise NotImplementedError

    async def request_raw(
        self, method: str, path: str, *, data: Any = None, **options: Unpack[CallOptions]
    ) -> Response:
        """Send a request and return the whole :class:`~bigc.Response`.

        Use it when you need the status, the headers or the v3 ``meta``;
        error statuses still raise. The options are every resource method's
        (:class:`~bigc.CallOptions`).
        """
        check_options(options, CALL_KEYS, f"api_{self.version}.request")
        return await self._session.send(method, self.version, path, data=data, **options)

    async def request(
        self, method: str, path: str, *, data: Any = None, **options: Unpack[CallOptions]
    ) -> Any:
        """Send a request and return its decoded body (v3: the unwrapped ``data``)."""
        return self._decode(await self.request_raw(method, path, data=data, **options))

    async def get(self, path: str, **options: Unpack[CallOptions]) -> Any:
        return await self.request("GET", path, **options)

    async def post(self, path: str, *, data: Any = None, **options: Unpack[CallOptions]) -> Any:
        return await self.request("POST", path, data=data, **options)

    async def put(self, path: str, *, data: Any = None, **options: Unpack[CallOptions]) -> Any:
        return await self.request("PUT", path, data=data, **options)

    async def delete(self, path: str, *, data: Any = None, **options: Unpack[CallOptions]) -> Any:
        return await self.request("DELETE", path, data=data, **options)

    async def _get_page(
        self, path: str, params: Mapping[str, Any], options: _PageOptions
    ) -> Response:
        response = await self._session.send(
            "GET",
            self.version,
            path,
            params=params,
            headers=options.headers,
            timeout=options.timeout,
            retries=options.retries,
            retry_policy=options.retry_policy,
        )
        options.progress.seen(response)
        return response


class _PageOptions:
    """The per-call options of one ``get_many``, checked before the first request."""

    __slots__ = (
        "concurrency",
        "headers",
        "limit",
        "params",
        "progress",
        "retries",
        "retry_policy",
        "timeout",
    )

    def __init__(self, session: AsyncSession, path: str, options: ListOptions) -> None:
        check_options(options, LIST_KEYS, "get_many")
        validate_path(path)
        retries = options.get("retries")
        check_retries("GET", retries)
        self.limit = page_size_of(options.get("page_size"))
        self.progress = ListProgress(self.limit)
        self.params = base_params(options.get("params"))
        self.headers = options.get("headers")
        self.timeout = options.get("timeout")
        self.retries = retries
        self.retry_policy = options.get("retry_policy")
        concurrency = check_concurrency(options.get("concurrency"))
        self.concurrency = concurrency or session.config.concurrency


class AsyncV2API(AsyncAPIVersion):
    """Requests to ``/stores/{store_hash}/v2``; bodies are returned as sent."""

    version = "v2"

    def _decode(self, response: Response) -> Any:
        return decode_v2(response)

    def get_many(self, path: str, **options: Unpack[ListOptions]) -> AsyncPages[Any]:
        """Iterate over every item of a v2 list, page by page (``page``/``limit``).

        v2 answers do not say how many pages there are. The first page is read
        alone; when it is full, up to ``concurrency`` following pages are read
        ahead at once, which costs at most ``concurrency`` extra requests
        past the end (answered 204).
        """
        page = _PageOptions(self._session, path, options)
        return AsyncPages(self._iterate(path, page), page.progress)

    async def _iterate(self, path: str, options: _PageOptions) -> AsyncIterator[Any]:
        # Page requests only fetch; each page is decoded here, as its items are
        # wanted, so a sync list's threads never compete to decode (bench/).
        past_end = False  # a page answered 204: no page after it is asked for

        async def fetch(page: int) -> Response:
            nonlocal past_end
            params = page_params(options.params, options.limit, page)
            response = await self._get_page(path, params, options)
            past_end = past_end or response.status_code == 204  # checked without decoding
            return response

        def page_numbers() -> Iterator[int]:
            for page in itertools.count(2):
                if past_end:
                    return
                yield page

        items = v2_items(await fetch(1))
        for item in items:
            yield item
        if len(items) < options.limit:
            return
        pages = ordered_map(fetch, page_numbers(), options.concurrency)
        try:
            async for response in pages:
                self._session.check_open()  # a list stops when its client is closed
                items = v2_items(response)
                for item in items:
                    yield item
                if len(items) < options.limit:
                    return
        finally:
            await pages.aclose()


class AsyncV3API(AsyncAPIVersion):
    """Requests to ``/stores/{store_hash}/v3``; results are the unwrapped ``data``."""

    version = "v3"

    def _decode(self, response: Response) -> Any:
        return decode_v3(response)

    def get_many(
        self, path: str, *, cursor: bool = False, **options: Unpack[ListOptions]
    ) -> AsyncPages[Any]:
        """Iterate over every item of a v3 list.

        Offset lists read the first page, learn ``total_pages`` from
        ``meta.pagination`` and fetch the rest ``concurrency`` at a time,
        yielding items in order. With ``cursor=True`` the list is read
        with ``limit``/``after`` following ``meta.cursor_pagination``.
        """
        page = _PageOptions(self._session, path, options)
        if cursor:
            return AsyncPages(self._iterate_cursor(path, page), page.progress)
        return AsyncPages(self._iterate_offset(path, page), page.progress)

    async def _iterate_offset(self, path: str, options: _PageOptions) -> AsyncIterator[Any]:
        async def fetch(page: int) -> Response:  # decoded by the consumer, as in v2
            params = page_params(options.params, options.limit, page)
            return await self._get_page(path, params, options)

        items, total_pages = v3_items(await fetch(1))
        for item in items:
            yield item
        if total_pages <= 1:
            return
        # The last page is known, so nothing is fetched in vain: a few answered
        # pages may wait for the consumer beyond the requests in flight.
        # (v2 lists do not know their end: each page fetched ahead may be past it.)
        ahead = pages_ahead(options.concurrency)
        pages = ordered_map(fetch, range(2, total_pages + 1), options.concurrency, ahead)
        try:
            async for response in pages:
                self._session.check_open()
                for item in v3_items(response)[0]:
                    yield item
        finally:
            await pages.aclose()

    def _iterate_cursor(self, path: str, options: _PageOptions) -> AsyncIterator[Any]:
        """The next page is requested before this one's items are handed out
        (with ``concurrency`` 1, when they are all taken, as in every list)."""

        async def fetch(cursor: str | None) -> Response:
            after = {} if cursor is None else {"after": cursor}
            params = {**options.params, "limit": options.limit, **after}
            return await self._get_page(path, params, options)

        def read(response: Response) -> tuple[list[Any], str | None, Response]:
            self._session.check_open()  # a list stops when its client is closed
            return (*cursor_items(response), response)

        ahead = Lookahead(fetch, ahead=options.concurrency > 1)
        return follow_cursors(ahead, None, read)
