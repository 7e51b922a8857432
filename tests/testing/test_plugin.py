"""The pytest plugin's fixtures, used the way a bigc user would use them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import bigc
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


USER_TESTS = """
import pytest


@pytest.mark.asyncio
async def test_async_client(bigc_async_client, bigc_store):
    bigc_store.api("POST", "/v3/catalog/categories", json={"name": "Mugs", "parent_id": 0})
    names = [c["name"] async for c in bigc_async_client.categories_v3.all()]
    assert names == ["Mugs"]


def test_sync_client(bigc_client, bigc_store):
    bigc_store.api("POST", "/v3/catalog/categories", json={"name": "Cups", "parent_id": 0})
    assert [c["name"] for c in bigc_client.categories_v3.all()] == ["Cups"]
"""


def _run_pytest(project: Path, ini: str) -> subprocess.CompletedProcess[str]:
    (project / "pytest.ini").write_text(ini)
    (project / "test_user.py").write_text(USER_TESTS)
    # The plugin comes in through bigc's pytest11 entry point, as for a user.
    src = str(Path(bigc.__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=path)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "ini",
    [
        "[pytest]\nasyncio_default_fixture_loop_scope = function\n",  # strict, the default
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n",
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
    ],
)
def test_a_user_project_needs_no_settings_of_ours(tmp_path: Path, ini: str) -> None:
    done = _run_pytest(tmp_path, ini)
    assert "2 passed" in done.stdout, done.stdout + done.stderr


def test_loading_the_plugin_is_cheap() -> None:
    # pytest loads it in every run of every project that installs bigc.
    code = (
        "import sys, bigc.testing.pytest_plugin, bigc.testing; "
        "print(sorted(m for m in sys.modules if m.startswith(('aiohttp', 'bigc.testing.'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['bigc.testing.pytest_plugin']"


def test_the_server_is_imported_on_first_use() -> None:
    code = "import sys, bigc.testing as t; t.FakeServer; print('aiohttp' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
