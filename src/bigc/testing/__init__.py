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

import importlib
from typing import TYPE_CHECKING, Any

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

_HOMES = {
    "AsyncStoreTransport": "_transport",
    "FakeServer": "_server",
    "FakeStore": "_store",
    "FaultRule": "_faults",
    "Limits": "_limits",
    "RecordedRequest": "_log",
    "Reply": "_reply",
    "RequestLog": "_log",
    "StoreTransport": "_transport",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'bigc.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"bigc.testing.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
