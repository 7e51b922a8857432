"""bigc: a client for the BigCommerce REST API (v2 and v3), sync and async.

>>> from bigc import BigCommerceAPI
>>> api = BigCommerceAPI("store_hash", "access_token")  # doctest: +SKIP
>>> api.orders_v2.get(101)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bigc import data, exceptions, utils
from bigc._config import ClientConfig
from bigc._models import AsyncTransport, Headers, Request, Response, Timeout, Transport
from bigc._ratelimit import RateLimitStatus
from bigc._retry import RetryPolicy
from bigc._sync._client import BigCommerceAPI
from bigc.exceptions import BigCommerceException

if TYPE_CHECKING:
    from bigc._async._client import AsyncBigCommerceAPI

__version__ = "2.0.0.dev0"


def __getattr__(name: str) -> Any:
    """``AsyncBigCommerceAPI`` on first use: a sync user never pays for importing asyncio."""
    if name == "AsyncBigCommerceAPI":
        from bigc._async._client import AsyncBigCommerceAPI

        globals()[name] = AsyncBigCommerceAPI
        return AsyncBigCommerceAPI
    raise AttributeError(f"module 'bigc' has no attribute {name!r}")


__all__ = [
    "AsyncBigCommerceAPI",
    "AsyncTransport",
    "BigCommerceAPI",
    "BigCommerceException",
    "ClientConfig",
    "Headers",
    "RateLimitStatus",
    "Request",
    "Response",
    "RetryPolicy",
    "Timeout",
    "Transport",
    "__version__",
    "data",
    "exceptions",
    "utils",
]
