"""Test helpers: a fake BigCommerce store, in-process transports and a pytest plugin.

>>> from bigc.testing import FakeStore
>>> store = FakeStore.with_sample_data(products=20)
>>> target = "/stores/abc/v3/catalog/products?limit=5"
>>> reply = store.handle("GET", target, {"X-Auth-Token": "t"}, b"")
>>> reply.status
200

Use ``store.transport()`` / ``store.async_transport()`` as a client's
transport, or serve the store over HTTP on a loopback port with
``FakeServer(store)`` or ``python -m bigc.testing serve``.

Names are imported on first use: the pytest plugin imports this package in
every pytest run of every project that installs bigc, and ``FakeServer``
needs aiohttp, which in-process use never does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bigc._lazy import lazy_names

if TYPE_CHECKING:
    from bigc.testing._faults import FaultRule
    from bigc.testing._limits import Limits
    from bigc.testing._log import RecordedRequest, RequestLog
    from bigc.testing._reply import Reply
    from bigc.testing._server import FakeServer
    from bigc.testing._store import FakeStore
    from bigc.testing._transport import AsyncStoreTransport, StoreTransport

__all__ = [
    "AsyncStoreTransport",
    "FakeServer",
    "FakeStore",
    "FaultRule",
    "Limits",
    "RecordedRequest",
    "Reply",
    "RequestLog",
    "StoreTransport",
]

__getattr__, __dir__ = lazy_names(
    globals(),
    {
        "AsyncStoreTransport": "bigc.testing._transport",
        "FakeServer": "bigc.testing._server",
        "FakeStore": "bigc.testing._store",
        "FaultRule": "bigc.testing._faults",
        "Limits": "bigc.testing._limits",
        "RecordedRequest": "bigc.testing._log",
        "Reply": "bigc.testing._reply",
        "RequestLog": "bigc.testing._log",
        "StoreTransport": "bigc.testing._transport",
    },
)
