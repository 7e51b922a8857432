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


@pytest.fixture(params=["msgspec", "stdlib"])
def json_decoder(request: pytest.FixtureRequest) -> Iterator[str]:
    """The test once with msgspec decoding bodies (the speedups extra) and once with json."""
    from bigc import _json

    assert _json.use_speedups(request.param == "msgspec") == (request.param == "msgspec")
    yield str(request.param)
    _json.use_speedups(True)
