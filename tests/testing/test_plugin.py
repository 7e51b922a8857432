"""The pytest plugin's fixtures, used the way a bigc user would use them."""

from __future__ import annotations

from bigc import AsyncBigCommerceAPI, BigCommerceAPI
from bigc.testing import FakeStore
from tests.testing.conftest import new_product


def test_each_test_gets_a_fresh_empty_store(bigc_store: FakeStore) -> None:
    assert isinstance(bigc_store, FakeStore)
    assert bigc_store.requests == []
    bigc_store.api("POST", "/v3/catalog/products", new_product())


def test_the_store_from_the_last_test_is_gone(bigc_store: FakeStore) -> None:
    assert bigc_store.api("GET", "/v3/catalog/products")["data"] == []


def test_the_sync_client_talks_to_the_store(
    bigc_client: BigCommerceAPI, bigc_store: FakeStore
) -> None:
    assert isinstance(bigc_client, BigCommerceAPI)
    bigc_store.api("POST", "/v3/catalog/products", new_product("Lamp"))
    assert bigc_client.api_v3.get("/catalog/products/1")["name"] == "Lamp"
    assert bigc_store.requests[-1].path == "/v3/catalog/products/1"


async def test_the_async_client_talks_to_the_store(
    bigc_async_client: AsyncBigCommerceAPI, bigc_store: FakeStore
) -> None:
    assert isinstance(bigc_async_client, AsyncBigCommerceAPI)
    bigc_store.api("POST", "/v3/catalog/products", new_product("Kettle"))
    found = await bigc_async_client.api_v3.get("/catalog/products/1")
    assert found["name"] == "Kettle"
