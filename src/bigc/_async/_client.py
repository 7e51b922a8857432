"""``AsyncBigCommerceAPI``: the client and its resource groups.

Written once for async; ``scripts/unasync.py`` generates ``BigCommerceAPI``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bigc._config import DEFAULT_BASE_URL, ClientConfig
from bigc._models import AsyncTransport, TimeoutTypes
from bigc._ratelimit import RateLimitStatus
from bigc._retry import RetryPolicy

from ._api import AsyncV2API, AsyncV3API
from ._graphql import AsyncGraphQL
from ._quota import AsyncQuota
from ._session import AsyncClosable, AsyncSession
from .resources import AsyncResourceGroups

__all__ = ["AsyncBigCommerceAPI"]


def _check_quota(quota: AsyncQuota | None, pace: bool, store_hash: str) -> AsyncQuota | None:
    if quota is None:
        return None
    # The protocol checks names only: the sync and async quotas share them.
    same_kind = inspect.iscoroutinefunction(
        getattr(quota, "acquire", None)
    ) == inspect.iscoroutinefunction(AsyncQuota.acquire)
    if not isinstance(quota, AsyncQuota) or not same_kind:
        raise TypeError(f"quota must be an AsyncQuota (such as AsyncRedisQuota), not {quota!r}")
    if not pace:
        raise ValueError("pace=False turns pacing off: pass no quota with it")
    if getattr(quota, "store_hash", store_hash) != store_hash:
        raise ValueError(f"quota is for another store ({quota!r}), not {store_hash!r}")
    return quota


class AsyncBigCommerceAPI(AsyncClosable, AsyncResourceGroups):
    """A client for one BigCommerce store.

    Safe to share between tasks; requests share one connection pool and one
    view of the store's rate limit. Close it with ``aclose()`` or use it as
    a context manager.
    """

    def __init__(
        self,
        store_hash: str,
        access_token: str,
        *,
        timeout: TimeoutTypes = None,
        get_retries: int | None = None,
        base_url: str = DEFAULT_BASE_URL,
        transport: AsyncTransport | None = None,
        retry_policy: RetryPolicy | None = None,
        concurrency: int | None = None,
        pace: bool = True,
        event_hooks: Mapping[str, Sequence[Callable[[Any], Any]]] | None = None,
        quota: AsyncQuota | None = None,
    ) -> None:
        config = ClientConfig.create(
            store_hash,
            access_token,
            timeout=timeout,
            get_retries=get_retries,
            retry_policy=retry_policy,
            base_url=base_url,
            concurrency=concurrency,
            pace=pace,
            event_hooks=event_hooks,
        )
        self._bind(AsyncSession(config, transport, _check_quota(quota, pace, store_hash)))

    def _bind(self, session: AsyncSession) -> None:
        self._session = session
        self.api_v2 = AsyncV2API(session)
        self.api_v3 = AsyncV3API(session)
        self.graphql = AsyncGraphQL(session)

    def with_options(
        self,
        *,
        timeout: TimeoutTypes = None,
        get_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        concurrency: int | None = None,
    ) -> AsyncBigCommerceAPI:
        """A view of this client with other defaults, sharing its connections and quota.

        ``api.with_options(retry_policy=RetryPolicy(rate_limit_retries=0)).products_v3.get(1)``
        changes the policy for that one call.
        """
        session = self._session
        config = session.config.with_options(
            timeout=timeout,
            get_retries=get_retries,
            retry_policy=retry_policy,
            concurrency=concurrency,
        )
        clone = object.__new__(type(self))
        clone._bind(AsyncSession(config, session.transport, session.quota, parent=session))
        return clone

    @property
    def config(self) -> ClientConfig:
        """The settings in force (the token is not in its ``repr``)."""
        return self._session.config

    @property
    def rate_limit(self) -> RateLimitStatus | None:
        """The store's quota as of the latest response, ``None`` before any."""
        return self._session.quota.status

    def __repr__(self) -> str:
        return f"<{type(self).__name__} store_hash={self.config.store_hash!r}>"
