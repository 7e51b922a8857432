"""The request loop shared by every call of one client: pace, send, retry, raise.

Written once for async; ``scripts/unasync.py`` generates the sync twin in
``bigc/_sync``. Every decision is taken by the I/O-free core (``_retry``,
``_ratelimit``, ``_responses``); this loop only sends, sleeps and logs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, TypeVar

from bigc._config import ClientConfig, encode_body
from bigc._models import AsyncTransport, Request, Response, Timeout, TimeoutTypes
from bigc._ratelimit import SHORT_WAIT, RateLimiter
from bigc._responses import error_from_response
from bigc._retry import RetryPolicy, RetryState, check_retries
from bigc.exceptions import BigCommerceNetworkError, RequestTimeoutError, TooManyRequestsError

from ._backend import default_transport, sleep
from ._quota import AsyncLocalQuota, AsyncQuota

__all__ = ["AsyncClosable", "AsyncSession"]

logger = logging.getLogger("bigc")


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else deadline - time.monotonic()


def _attempt_timeout(limits: Timeout, remaining: float | None) -> Timeout:
    """This attempt's limits: connect and read shortened, and ``total`` set to the
    time left, so that the call's deadline holds."""
    if remaining is None:
        return limits
    if remaining <= 0:
        raise RequestTimeoutError("the call's total timeout ran out", phase="total")

    def cap(value: float | None) -> float:
        return remaining if value is None else min(value, remaining)

    return Timeout(connect=cap(limits.connect), read=cap(limits.read), total=remaining)


class AsyncSession:
    """One client's transport, settings and rate-limit state."""

    def __init__(
        self,
        config: ClientConfig,
        transport: AsyncTransport | None = None,
        quota: AsyncQuota | None = None,
        parent: AsyncSession | None = None,
    ) -> None:
        self.config = config
        self.owns_transport = transport is None
        self.transport: AsyncTransport = transport or default_transport(config)
        self.quota: AsyncQuota = quota or AsyncLocalQuota(RateLimiter(enabled=config.pace))
        self.parent = parent
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether this session, or the client it is a view of, was closed."""
        return self._closed or (self.parent is not None and self.parent.closed)

    def check_open(self) -> None:
        """Refuse to work for a closed client, rather than quietly reopen connections."""
        if self.closed:
            raise RuntimeError("this bigc client is closed; create a new one to send requests")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store_hash={self.config.store_hash!r}>"

    async def send(
        self,
        method: str,
        version: str,
        path: str,
        *,
        data: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        url: str | None = None,
        retry_as: str | None = None,
    ) -> Response:
        """Send one call, retrying as the policy allows; raise for an error status.

        ``url`` stands for ``version`` and ``path`` outside the REST tree
        (GraphQL); ``retry_as`` names the method whose retry rules apply: a
        GraphQL query goes out as a POST but is as safe to repeat as a GET.
        """
        self.check_open()
        if not isinstance(method, str) or not (method.isascii() and method.isalpha()):
            raise ValueError(f"method must be an HTTP method name (ASCII letters), got {method!r}")
        method = method.upper()
        retry_as = retry_as or method
        check_retries(retry_as, retries)
        limits = (
            self.config.timeout
            if timeout is None
            else Timeout.of(timeout).over(self.config.timeout)
        )
        # The headers go straight into the Request: no local of this frame holds
        # the token where a traceback's locals could show it.
        request = Request(
            method,
            url or self.config.url(version, path, params),
            self.config.headers(headers),
            encode_body(data),
            limits,
        )
        url = request.url
        state = RetryState(retry_policy or self.config.retry_policy, retry_as, retries)
        deadline = None if limits.total is None else time.monotonic() + limits.total
        while True:
            await self._wait_for_quota(deadline, state)
            try:
                response = await self._exchange(request, limits, deadline)
            except BigCommerceNetworkError as exc:
                delay = state.after_error(exc, _remaining(deadline))
                if delay is None:
                    raise
                logger.debug("retrying %s %s in %.2fs after %s", method, url, delay, exc)
                await sleep(delay)
                continue
            if response.status_code < 400:
                return response
            delay = state.after_response(response, _remaining(deadline))
            if delay is None:
                raise error_from_response(response)
            logger.debug(
                "retrying %s %s in %.2fs after status %d", method, url, delay, response.status_code
            )
            await sleep(delay)

    async def _wait_for_quota(self, deadline: float | None, state: RetryState) -> None:
        """Take a slot of the store's quota, sleeping while the quota says so.

        The sleeps count against the call's limits like a 429's: a wait that
        would pass ``max_total_wait`` or the deadline raises at once instead
        (short re-checks are shortened to fit until nothing is left).
        """
        while True:
            wait = await self.quota.acquire()
            if wait <= 0:
                return
            allowed = state.wait_allowance(_remaining(deadline))
            if wait > allowed and (wait > SHORT_WAIT or allowed <= 0):
                raise TooManyRequestsError(
                    f"the store's rate-limit quota frees a slot in {wait:.2f}s, later than this "
                    "call may wait (RetryPolicy.max_total_wait or Timeout.total)",
                    retry_after=wait,
                )
            logger.debug("rate limit: waiting %.2fs for the store's quota", wait)
            started = time.monotonic()
            await self.quota.wait(min(wait, allowed))
            state.note_wait(time.monotonic() - started)

    async def _exchange(
        self, request: Request, limits: Timeout, deadline: float | None
    ) -> Response:
        """One attempt through the transport, with hooks and logging.

        It holds the rate-limit slot taken for it and gives it back whatever
        happens: a spent deadline and hooks that raise included.
        """
        response: Response | None = None
        try:
            self.check_open()
            request.timeout = _attempt_timeout(limits, _remaining(deadline))
            # Hooks, responses and errors get a copy with the token masked:
            # only the transport sees the token.
            seen = request.redacted()
            for request_hook in self.config.event_hooks.request:
                request_hook(seen)
            started = time.perf_counter()
            response = await self.transport.send(request)
        except BigCommerceNetworkError as exc:
            logger.debug("%s %s failed: %s", request.method, request.url, exc)
            self.check_open()  # closed while in flight: say so rather than retry
            exc.request = request.redacted()
            raise
        finally:
            await self.quota.release(None if response is None else response.headers)
        response.elapsed = time.perf_counter() - started
        response.request = seen
        logger.debug(
            "%s %s -> %d in %.1f ms",
            request.method,
            request.url,
            response.status_code,
            response.elapsed * 1000,
        )
        for response_hook in self.config.event_hooks.response:
            response_hook(response)
        return response

    async def aclose(self) -> None:
        """Refuse further requests, and close the transport if this session created it."""
        self._closed = True
        if self.owns_transport:
            await self.transport.aclose()


_Closable = TypeVar("_Closable", bound="AsyncClosable")


class AsyncClosable:
    """``aclose()`` and ``async with`` for a client over a session: the REST client
    and the Storefront GraphQL client close the same way."""

    _session: AsyncSession

    async def aclose(self) -> None:
        """Close the connections (a transport passed in stays open).

        A closed client refuses every later request with ``RuntimeError``,
        and a list being read stops at its next page. Closing a view (made by
        ``with_options``, ``as_customer`` or ``impersonating``) closes only that view.
        """
        await self._session.aclose()

    async def __aenter__(self: _Closable) -> _Closable:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
