"""The default async transport, on aiohttp (the ``bigc[async]`` extra).

Only imported when an async client is created without a transport of its own,
so that ``import bigc`` never pays for importing aiohttp.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

try:
    import aiohttp
    from yarl import URL
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError("the async client needs aiohttp: pip install 'bigc[async]'") from exc

from bigc._compression import decoded_response, with_accept_encoding
from bigc._models import Headers, Request, Response
from bigc.exceptions import BigCommerceNetworkError, ConnectError, RequestTimeoutError

__all__ = ["AiohttpTransport"]


async def _close_at_loop_end(session: aiohttp.ClientSession) -> AsyncGenerator[None, None]:
    """Waits at its ``yield`` until the loop shuts its async generators down
    (``asyncio.run`` does as it ends), then closes ``session`` in that loop."""
    try:
        yield
    finally:
        await session.close()


class AiohttpTransport:
    """Sends requests over one pooled aiohttp session, created in the running loop."""

    def __init__(self, *, limit: int = 100) -> None:
        self._limit = limit
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._loop_end: AsyncGenerator[None, None] | None = None

    async def _get_session(self) -> aiohttp.ClientSession:
        """The session of the running loop.

        A session belongs to the loop it was made in; a client reused under a
        new loop (a second ``asyncio.run``, a test per loop) gets a new one.
        Each session is closed, in its own loop, when that loop shuts down
        (``asyncio.run`` ends): after that no loop is left that could close its
        sockets, and they would leak.
        """
        if self._closed:
            raise RuntimeError("this transport is closed")
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            if self._session is not None and not self._session.closed:
                self._session.detach()  # a loop closed without shutting down: nothing to do
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._limit),
                skip_auto_headers=("User-Agent",),
                auto_decompress=False,  # bigc._compression decodes, strictly
                # A list page is up to ~860 KB: reading it in 1 MiB rather than
                # 64 KiB pieces made list exports ~8 % faster (bench/, scenario 1).
                read_bufsize=2**20,
            )
            # aiohttp sends a GET, PUT or DELETE a second time by itself when a
            # kept-alive connection drops. Only bigc's retry policy may repeat a
            # request: the first DELETE or PUT may have been carried out already.
            # There is no public switch (aiohttp issue 10790); this attribute is
            # what aiohttp's own tests use, and a test here fails if it stops working.
            self._session._retry_connection = False
            self._loop = loop
            self._loop_end = _close_at_loop_end(self._session)
            await anext(self._loop_end)
        return self._session

    async def send(self, request: Request) -> Response:
        limits = request.timeout
        timeout = aiohttp.ClientTimeout(
            total=limits.total, sock_connect=limits.connect, sock_read=limits.read
        )
        try:
            async with (await self._get_session()).request(
                request.method,
                URL(request.url, encoded=True),
                data=request.body,
                headers=with_accept_encoding(request.headers),
                timeout=timeout,
                allow_redirects=False,
            ) as raw:
                content = await raw.read()
                status, headers = raw.status, Headers(raw.headers.items())
                encoding = ",".join(raw.headers.getall("Content-Encoding", ()))
        except aiohttp.ConnectionTimeoutError as exc:
            raise RequestTimeoutError(f"timed out connecting: {exc}", phase="connect") from exc
        except aiohttp.ServerTimeoutError as exc:
            raise RequestTimeoutError("timed out waiting for the response", phase="read") from exc
        except asyncio.TimeoutError as exc:
            raise RequestTimeoutError("the call's total timeout ran out", phase="total") from exc
        except aiohttp.ClientConnectorError as exc:
            raise ConnectError(f"could not connect: {exc}") from exc
        except aiohttp.ClientResponseError as exc:
            # A malformed answer. The error keeps the request's headers, and so
            # the token, in its request_info: raised below, unchained, so that it
            # does not travel with ours. str(), never repr(), for the same reason.
            failure = f"the exchange failed: {type(exc).__name__}: {exc}"
        except (aiohttp.ClientError, OSError) as exc:
            raise BigCommerceNetworkError(
                f"the exchange failed: {type(exc).__name__}: {exc}"
            ) from exc
        else:
            return decoded_response(status, headers, content, request, encoding)
        raise BigCommerceNetworkError(failure)

    async def aclose(self) -> None:
        """Close the connections; a closed transport refuses to open new ones."""
        self._closed = True
        session, self._session = self._session, None
        loop_end, self._loop_end = self._loop_end, None
        if loop_end is not None and self._loop is asyncio.get_running_loop():
            # Its ``finally`` closes the session now; left suspended, it would be
            # finalised when collected, possibly by a loop already closing.
            await loop_end.aclose()
        if session is not None:
            await session.close()

    def __repr__(self) -> str:
        return "<AiohttpTransport>"
