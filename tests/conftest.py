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
