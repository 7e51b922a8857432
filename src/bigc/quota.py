"""Quotas a client can pace with: ``quota=`` on ``BigCommerceAPI`` / ``AsyncBigCommerceAPI``.

Without ``quota=`` a client paces its own requests (``LocalQuota``). Processes
that share a store share its quota through Redis with ``RedisQuota``
(``redis.Redis``) or ``AsyncRedisQuota`` (``redis.asyncio.Redis``); install
``bigc[redis]``. Importing this module does not import redis.
"""

from bigc._async._quota import AsyncLocalQuota, AsyncQuota
from bigc._async._redis_quota import AsyncRedisQuota
from bigc._sync._quota import LocalQuota, Quota
from bigc._sync._redis_quota import RedisQuota

__all__ = [
    "AsyncLocalQuota",
    "AsyncQuota",
    "AsyncRedisQuota",
    "LocalQuota",
    "Quota",
    "RedisQuota",
]
