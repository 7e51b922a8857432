"""Local ``$ref`` pointers in an OpenAPI file, followed in one place.

The generators (``gen_types.py``, ``build_endpoints.py`` and through it
``build_spec_store.py``) and the tests' spec index (``tests/spec_index.py``)
all read BigCommerce's files this way, so they agree on what a pointer names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["resolve_ref"]


def resolve_ref(document: Mapping[str, Any], node: Any, file: str) -> Any:
    """Follow ``$ref`` pointers from ``node`` until a node that is not one.

    Only pointers into the same file (``#/...``, JSON-pointer escapes ``~0``
    and ``~1`` undone) are followed; any other, or a loop of them, raises
    ValueError naming ``file`` rather than give a wrong schema.
    """
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise ValueError(f"{file}: cannot follow $ref {ref!r}")
        seen.add(ref)
        node = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node
