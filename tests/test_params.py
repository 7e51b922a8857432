"""``params`` that is not a mapping is refused by name, before any request, on every
path a method takes (a lookup through ``id:in``, a delete, a list, a plain call)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_resources import Harness

CALLS = [
    ("customers_v3.get", (1,)),
    ("customers_v3.delete", (1,)),
    ("customers_v3.delete_many", ([1, 2],)),
    ("customers_v3.all", ()),
    ("orders_v2.get", (1,)),
]


@pytest.mark.parametrize("flavor", ["sync", "async"])
@pytest.mark.parametrize(("call", "args"), CALLS, ids=[c for c, _ in CALLS])
@pytest.mark.parametrize("params", ["include=addresses", [("include", "addresses")]])
async def test_params_must_be_a_mapping(flavor: str, call: str, args: Any, params: Any) -> None:
    harness = Harness(flavor)
    with pytest.raises(TypeError, match=f"^params must be a mapping, not {type(params).__name__}$"):
        await harness.call(call, *args, params=params)
    assert harness.requests == []
