"""The default async transport, on aiohttp (the ``bigc[async]`` extra).

Only imported when an async client is created without a transport of its own,
so that ``import bigc`` never pays for importing aiohttp.
"""

from __future__ import annotations

import asyncio

try:
    import aiohttp
    from yarl import URL
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError("the async client needs aiohttp: pip install 'bigc[async]'") from exc

from bigc._compression import decoded_response, with_accept_encoding
from bigc._models import Headers, Request, Response
from bigc.exceptions import BigCommerceNetworkError, ConnectError, RequestTimeoutError

__all__ = ["AiohttpTransport"]


class AiohttpTransport:
    """Sends requests over one pooled aiohttp session, created in the running loop."""

    def __init__(self, *, limit: int = 100) -> None:
        self._limit = limit
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        """The session of the running loop.

        A session belongs to the loop it was made in; a client reused under a
        new loop (a second ``asyncio.run``, a test per loop) gets a new one,
        and the old loop's connections go with that loop.
        """
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            if self._session is not None and not self._session.closed:
                self._session.detach()  # its loop is gone: nothing left to close there
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._limit),
                skip_auto_headers=("User-Agent",),
                auto_decompress=False,  # bigc._compression decodes, strictly
                # A list page is up to ~860 KB: reading it in 1 MiB rather than
                # 64 KiB pieces made list exports ~8 % faster (bench/, scenario 1).
                read_bufsize=2**20,
            )
            self._loop = loop
        return self._session

    async def send(self, request: Request) -> Response:
        limits = request.timeout
        timeout = aiohttp.ClientTimeout(
            total=limits.total, sock_connect=limits.connect, sock_read=limits.read
        )
        try:
            async with self._get_session().request(
                request.method,
                URL(request.url, encoded=True),
                data=request.body,
                headers=with_accept_encoding(request.headers),
                timeout=timeout,
                allow_redirects=False,
            ) as raw:
                content = await raw.read()
                headers = Headers(raw.headers.items())
        except aiohttp.ConnectionTimeoutError as exc:
            raise RequestTimeoutError(f"timed out connecting: {exc}", phase="connect") from exc
        except aiohttp.ServerTimeoutError as exc:
            raise RequestTimeoutError("timed out waiting for the response", phase="read") from exc
        except asyncio.TimeoutError as exc:
            raise RequestTimeoutError("the call's total timeout ran out", phase="total") from exc
        except aiohttp.ClientConnectorError as exc:
            raise ConnectError(f"could not connect: {exc}") from exc
        except (aiohttp.ClientError, OSError) as exc:
            # str(), never repr(): the repr of some aiohttp errors holds the request
            # headers, and so the access token.
            raise BigCommerceNetworkError(
                f"the exchange failed: {type(exc).__name__}: {exc}"
            ) from exc
        return decoded_response(raw.status, headers, content, request)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def __repr__(self) -> str:
        return "<AiohttpTransport>"
