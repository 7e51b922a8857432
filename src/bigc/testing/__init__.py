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
"""

from bigc.testing._faults import FaultRule
from bigc.testing._log import RecordedRequest
from bigc.testing._reply import Reply
from bigc.testing._server import FakeServer
from bigc.testing._store import FakeStore
from bigc.testing._transport import AsyncStoreTransport, StoreTransport

__all__ = [
    "AsyncStoreTransport",
    "FakeServer",
    "FakeStore",
    "FaultRule",
    "RecordedRequest",
    "Reply",
    "StoreTransport",
]
