"""Every Python example in the README runs, against the fake store.

The examples name a real store; the default transports are swapped for the
fake store's so that they run here exactly as written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bigc._async import _session as async_session
from bigc._sync import _session as sync_session
from bigc.exceptions import DoesNotExistError
from bigc.testing import FakeStore

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 8


def test_readme_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    store = FakeStore.with_sample_data(products=120, customers=10, orders=120)
    monkeypatch.setattr(sync_session, "default_transport", lambda config: store.transport())
    monkeypatch.setattr(async_session, "default_transport", lambda config: store.async_transport())
    namespace: dict[str, Any] = {"__name__": "readme"}
    for block in BLOCKS:
        if "def test_" in block:
            exec(block, namespace)
            tests = [v for k, v in namespace.items() if k.startswith("test_")]
            for test in tests:
                fresh = FakeStore()
                test(fresh, _bound_client(fresh))
            continue
        try:
            exec(block, namespace)
        except DoesNotExistError:
            # The seed's create_order('checkout_id') names a checkout that does not exist.
            assert "'checkout_id'" in block
    assert store.requests_to("GET", "/v2/orders/101")  # the examples reached the store


def _bound_client(store: FakeStore) -> Any:
    from bigc import BigCommerceAPI

    return BigCommerceAPI("store", "token", transport=store.transport())
