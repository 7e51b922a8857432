"""Every Python example in the README runs as written, each on its own.

Each block runs in a fresh namespace against a served sample-data store (what
``python -m bigc.testing serve --sample-data`` serves), with one change: the
``base_url`` of that server is added to every client it creates, as a reader
trying the examples would add it (a storefront's address, which the served
store also answers at ``/graphql``, becomes that server's address).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bigc import BigCommerceAPI
from bigc.testing import FakeServer, FakeStore

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
CLIENTS = {"BigCommerceAPI", "AsyncBigCommerceAPI"}
STOREFRONTS = {"StorefrontGraphQL", "AsyncStorefrontGraphQL"}


def with_base_url(block: str, base_url: str) -> ast.Module:
    """``block`` with ``base_url=`` added to every client it creates."""
    tree = ast.parse(block)
    for node in ast.walk(tree):
        name = getattr(node.func, "id", None) if isinstance(node, ast.Call) else None
        if isinstance(node, ast.Call) and name in CLIENTS:
            assert not any(k.arg == "base_url" for k in node.keywords), "already set"
            node.keywords.append(ast.keyword("base_url", ast.Constant(base_url)))
        if isinstance(node, ast.Call) and name in STOREFRONTS:
            node.args[0] = ast.Constant(base_url)  # the storefront's address
    return ast.fix_missing_locations(tree)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeStore, str]]:
    store = FakeStore.with_sample_data()  # the defaults of `serve --sample-data`
    with FakeServer(store) as server:
        yield store, server.base_url


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 10


def test_the_direct_access_example_uses_bigcommerces_path() -> None:
    assert "'/catalog/products/77'" in README.read_text()
    assert "get('/products/77'" not in README.read_text()


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{n}" for n in range(len(BLOCKS))])
def test_each_readme_example_runs_on_its_own(block: str, served: tuple[FakeStore, str]) -> None:
    store, base_url = served
    before = len(store.requests)
    namespace: dict[str, Any] = {"__name__": "readme"}
    exec(compile(with_base_url(block, base_url), "README.md", "exec"), namespace)
    tests = [v for k, v in namespace.items() if k.startswith("test_") and callable(v)]
    for test in tests:  # the pytest plugin's example: run it with its fixtures
        fresh = FakeStore()
        test(fresh, BigCommerceAPI("store", "token", transport=fresh.transport()))
    if tests or "transport=" in block or "FakeServer(" in block:
        return  # it brings its own store
    sent = store.requests[before:]
    assert sent, "the example reached the served store"
    if "except" not in block:
        assert [r for r in sent if r.status is None or r.status >= 400] == []
