"""pytest fixtures for code that uses bigc (registered as the ``bigc`` plugin).

- ``bigc_store``: a fresh, empty :class:`~bigc.testing.FakeStore` per test;
- ``bigc_client``: a ``BigCommerceAPI`` wired to that store in-process;
- ``bigc_async_client``: the ``AsyncBigCommerceAPI`` twin (needs pytest-asyncio,
  which ``bigc[testing]`` installs; works in its strict and auto modes).

The store and the clients are imported inside the fixtures so that loading
the plugin, which pytest does for every project that has bigc installed,
stays cheap (no aiohttp, no client, no store until a test asks for one).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from bigc import AsyncBigCommerceAPI, BigCommerceAPI
    from bigc.testing._store import FakeStore

try:
    from pytest_asyncio import fixture as _async_fixture
except ImportError:  # without pytest-asyncio the async fixture cannot run: say so
    _async_fixture = None  # type: ignore[assignment]

__all__ = ["bigc_async_client", "bigc_client", "bigc_store"]


@pytest.fixture
def bigc_store() -> FakeStore:
    """An empty fake store; fill it with ``bigc_store.api("POST", ...)`` or the client."""
    from bigc.testing._store import FakeStore

    return FakeStore()


@pytest.fixture
def bigc_client(bigc_store: FakeStore) -> Iterator[BigCommerceAPI]:
    """A sync client whose requests go straight to ``bigc_store``."""
    from bigc import BigCommerceAPI

    client = BigCommerceAPI("store", "token", transport=bigc_store.transport())
    try:
        yield client
    finally:
        client.close()


async def _async_client(bigc_store: FakeStore) -> AsyncIterator[AsyncBigCommerceAPI]:
    """An async client whose requests go straight to ``bigc_store``.

    pytest-asyncio runs it in the test's event loop. In its strict mode (the
    default) mark the test ``@pytest.mark.asyncio``, as every async test there.
    """
    from bigc import AsyncBigCommerceAPI

    client = AsyncBigCommerceAPI("store", "token", transport=bigc_store.async_transport())
    try:
        yield client
    finally:
        await client.aclose()


if _async_fixture is not None:
    bigc_async_client = _async_fixture(_async_client, name="bigc_async_client")
else:

    @pytest.fixture(name="bigc_async_client")
    def _needs_pytest_asyncio() -> None:
        pytest.fail("bigc_async_client needs pytest-asyncio: pip install 'bigc[testing]'")
