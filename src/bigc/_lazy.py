"""Names a package imports on first use (PEP 562), for ``bigc`` and ``bigc.testing``.

``import bigc`` must not load asyncio or the endpoint table, and the pytest
plugin imports ``bigc.testing`` in every pytest run: both packages list their
costly names here instead of importing them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    namespace: dict[str, Any], homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__``, given its ``globals()`` and
    ``{name: module that defines it}``.

    A name is imported the first time it is asked for and then kept in the
    package, so later lookups are plain attribute reads; ``dir()`` lists every
    name before its first use too (completion, ``help``).
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *homes})

    return __getattr__, __dir__
