"""scripts/spec_refs.py: the one reader of ``$ref`` pointers (generators and tests/spec_index)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPTS = str(Path(__file__).resolve().parent.parent / "scripts")
if SCRIPTS not in sys.path:
    sys.path.append(SCRIPTS)
from spec_refs import resolve_ref  # noqa: E402

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Product": {"type": "object"},
            "Alias": {"$ref": "#/components/schemas/Product"},
            "Loop": {"$ref": "#/components/schemas/Loop2"},
            "Loop2": {"$ref": "#/components/schemas/Loop"},
        }
    },
    "paths": {"/catalog/products/{id}": {"get": {"summary": "one product"}}},
    "odd~name": {"x": 1},
}


def test_a_chain_of_pointers_is_followed_to_its_end() -> None:
    assert resolve_ref(DOCUMENT, {"$ref": "#/components/schemas/Alias"}, "f.yml") == {
        "type": "object"
    }


def test_json_pointer_escapes_are_undone() -> None:
    get = resolve_ref(DOCUMENT, {"$ref": "#/paths/~1catalog~1products~1{id}/get"}, "f.yml")
    assert get == {"summary": "one product"}
    assert resolve_ref(DOCUMENT, {"$ref": "#/odd~0name"}, "f.yml") == {"x": 1}


def test_a_node_that_is_no_pointer_comes_back_as_it_is() -> None:
    node = {"type": "string"}
    assert resolve_ref(DOCUMENT, node, "f.yml") is node
    assert resolve_ref(DOCUMENT, [1], "f.yml") == [1]


@pytest.mark.parametrize(
    "ref", ["#/components/schemas/Loop", "other.yml#/components/schemas/Product", "#", 5]
)
def test_a_loop_or_a_pointer_outside_the_file_is_an_error_naming_it(ref: Any) -> None:
    with pytest.raises(ValueError, match=r"^f\.yml: cannot follow \$ref "):
        resolve_ref(DOCUMENT, {"$ref": ref}, "f.yml")
