from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import Driver


@pytest.fixture(params=["sync", "async"])
def driver(request: pytest.FixtureRequest) -> Iterator[Driver]:
    """The same test once through BigCommerceAPI and once through AsyncBigCommerceAPI."""
    driver = Driver(request.param)
    yield driver
    driver.close()


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries back off with real sleeps; record them instead."""
    slept: list[float] = []

    def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("bigc._sync._session.sleep", fake_sleep)
    monkeypatch.setattr("bigc._async._session.sleep", fake_async_sleep)
    return slept


@pytest.fixture(params=["msgspec", "stdlib"])
def json_decoder(request: pytest.FixtureRequest) -> Iterator[str]:
    """The test once with msgspec decoding bodies (the speedups extra) and once with json."""
    from bigc import _json

    assert _json.use_speedups(request.param == "msgspec") == (request.param == "msgspec")
    yield str(request.param)
    _json.use_speedups(True)
