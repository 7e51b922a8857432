"""bigc: a client for the BigCommerce REST API (v2 and v3), sync and async.

>>> from bigc import BigCommerceAPI
>>> api = BigCommerceAPI("store_hash", "access_token")  # doctest: +SKIP
>>> api.orders_v2.get(101)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bigc import data, exceptions, utils
from bigc._config import ClientConfig
from bigc._endpoints import Endpoint
from bigc._graphql import GraphQLResult
from bigc._lazy import lazy_names
from bigc._models import AsyncTransport, Headers, Request, Response, Timeout, Transport
from bigc._options import CallOptions, ListOptions, WriteOptions
from bigc._ratelimit import RateLimitStatus
from bigc._retry import RetryPolicy
from bigc._sync._client import BigCommerceAPI
from bigc._sync._graphql import StorefrontGraphQL
from bigc._sync._pages import Pages
from bigc.exceptions import BigCommerceException

if TYPE_CHECKING:
    from bigc._async._client import AsyncBigCommerceAPI
    from bigc._async._graphql import AsyncStorefrontGraphQL
    from bigc._async._pages import AsyncPages
    from bigc._endpoint_table import ENDPOINTS
    from bigc._text import ServerSentEvent

__version__ = "2.0.0.dev0"


# The async names, imported on first use: a sync user never pays for asyncio;
# and the endpoint table (~670 rows), read when it is first asked for.
_ASYNC_NAMES = {
    "AsyncBigCommerceAPI": "bigc._async._client",
    "AsyncPages": "bigc._async._pages",
    "AsyncStorefrontGraphQL": "bigc._async._graphql",
    "ENDPOINTS": "bigc._endpoint_table",
    "ServerSentEvent": "bigc._text",
}


__getattr__, __dir__ = lazy_names(globals(), _ASYNC_NAMES)

__all__ = [
    "ENDPOINTS",
    "AsyncBigCommerceAPI",
    "AsyncPages",
    "AsyncStorefrontGraphQL",
    "AsyncTransport",
    "BigCommerceAPI",
    "BigCommerceException",
    "CallOptions",
    "ClientConfig",
    "Endpoint",
    "GraphQLResult",
    "Headers",
    "ListOptions",
    "Pages",
    "RateLimitStatus",
    "Request",
    "Response",
    "RetryPolicy",
    "ServerSentEvent",
    "StorefrontGraphQL",
    "Timeout",
    "Transport",
    "WriteOptions",
    "__version__",
    "data",
    "exceptions",
    "utils",
]
