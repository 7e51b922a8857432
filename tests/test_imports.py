"""What ``import bigc`` costs: checked in a fresh interpreter, where nothing is loaded yet."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running ``code``."""
    listing = "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    script = f"{code}\nimport sys\n{listing}"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_import_bigc_loads_neither_asyncio_nor_aiohttp() -> None:
    loaded = loaded_after("import bigc")
    assert "bigc" in loaded
    assert not loaded & {"asyncio", "aiohttp", "yarl", "multidict"}


def test_a_sync_client_loads_urllib3_at_its_first_request() -> None:
    created = loaded_after(
        "from bigc import BigCommerceAPI\n"
        "api = BigCommerceAPI('s', 't')\n"
        "api.products_v3\n"
        "api.close()"
    )
    assert not created & {"asyncio", "aiohttp", "urllib3", "concurrent"}
    used = loaded_after(
        "from bigc import BigCommerceAPI\n"
        "from bigc.exceptions import ConnectError\n"
        "api = BigCommerceAPI('s', 't', base_url='http://127.0.0.1:1', get_retries=0)\n"
        "try:\n    api.products_v3.get(1)\nexcept ConnectError:\n    pass\n"
        "else:\n    raise SystemExit('no ConnectError')\n"
        "assert repr(api._session.transport) == '<Urllib3Transport>'\n"
        "api.close()"
    )
    assert "urllib3" in used
    assert not used & {"asyncio", "aiohttp"}


def test_the_async_client_is_there_on_first_use() -> None:
    loaded = loaded_after(
        "import bigc\nfrom bigc import AsyncBigCommerceAPI\n"
        "assert bigc.AsyncBigCommerceAPI is AsyncBigCommerceAPI\n"
        "assert 'AsyncBigCommerceAPI' in bigc.__all__"
    )
    assert "asyncio" in loaded


def test_an_unknown_name_is_an_attribute_error() -> None:
    loaded_after(
        "import bigc\n"
        "try:\n    bigc.NoSuchThing\nexcept AttributeError as exc:\n"
        "    assert str(exc) == \"module 'bigc' has no attribute 'NoSuchThing'\"\n"
        "else:\n    raise SystemExit('no error')"
    )


def test_dir_lists_the_async_names_before_their_first_use() -> None:
    loaded = loaded_after(
        "import bigc\n"
        "names = dir(bigc)\n"
        "assert {'AsyncBigCommerceAPI', 'AsyncStorefrontGraphQL'} <= set(names), names\n"
        "assert set(bigc.__all__) <= set(names)\n"
        "assert names == sorted(names)"
    )
    assert "asyncio" not in loaded  # listing a name does not import it


def test_bigc_testing_lists_each_name_once_before_and_after_its_first_use() -> None:
    loaded = loaded_after(
        "import bigc.testing as t\n"
        "before = dir(t)\n"
        "assert set(t.__all__) <= set(before), before\n"
        "t.FakeStore, t.RequestLog\n"
        "after = dir(t)\n"
        "assert after == sorted(set(after)), after  # a loaded name is not listed twice\n"
        "assert set(before) <= set(after)\n"
        "try:\n    t.NoSuchThing\nexcept AttributeError as exc:\n"
        "    assert str(exc) == \"module 'bigc.testing' has no attribute 'NoSuchThing'\"\n"
        "else:\n    raise SystemExit('no error')"
    )
    assert "aiohttp" not in loaded  # listing FakeServer does not import it
