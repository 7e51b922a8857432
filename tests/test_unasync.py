"""scripts/unasync.py writes the same sync code on every supported Python."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "unasync.py"


def _unasync() -> ModuleType:
    spec = importlib.util.spec_from_file_location("unasync_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_names_inside_f_strings_are_renamed() -> None:
    # Python 3.12+ tokenizes f-string text as FSTRING_MIDDLE, not STRING.
    source = 'x = f"an AsyncQuota, not {value!r} {{AsyncFoo}}"\n'
    expected = 'x = f"an Quota, not {value!r} {{Foo}}"\n'
    assert _unasync().unasync_source(source) == expected


def test_async_syntax_becomes_sync() -> None:
    source = "async def f(c: AsyncClient) -> None:\n    async with c:\n        await c.aclose()\n"
    expected = "def f(c: Client) -> None:\n    with c:\n        c.close()\n"
    assert _unasync().unasync_source(source) == expected
