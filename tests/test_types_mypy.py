"""bigc.types under mypy: a misspelt body field is an error, result keys are known.

One mypy run (``mypy.api``) checks a sample module that uses the generated
types the way a user would, and a module generated from a small spec that has
every schema feature the generator handles (``$ref``, recursion, ``allOf``,
``oneOf``, nullable, enums, maps, keys that are no identifiers, required
keys). Each line marked ``# E: code`` must give exactly that error, and no
other line may give one; ``# N: text`` marks a ``reveal_type`` whose note must
contain the text.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from mypy import api

from tests.test_types import gen

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Synthetic"},
    "servers": [{"url": "https://api.bigcommerce.com/stores/{store_hash}/v3"}],
    "paths": {
        "/things": {
            "get": {
                "operationId": "getThings",
                "parameters": [
                    {"$ref": "#/components/parameters/IdIn"},
                    {"name": "from", "in": "query", "required": True, "schema": {"type": "string"}},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                    {
                        "name": "tags",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}, "nullable": True},
                    },
                ],
                "responses": {"200": {"$ref": "#/components/responses/ThingList"}},
            },
            "post": {
                "operationId": "createThings",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/ThingPost"},
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {
                                            "allOf": [
                                                {"$ref": "#/components/schemas/Thing"},
                                                {
                                                    "type": "object",
                                                    "properties": {"extra": {"type": "boolean"}},
                                                },
                                            ]
                                        }
                                    },
                                }
                            }
                        },
                    }
                },
            },
        },
        "/things/{id}": {
            "delete": {"operationId": "deleteThing", "responses": {"204": {"description": ""}}},
        },
    },
    "components": {
        "parameters": {
            "IdIn": {
                "name": "id:in",
                "in": "query",
                "schema": {"type": "array", "items": {"type": "integer"}},
            }
        },
        "responses": {
            "ThingList": {
                "description": "",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "data": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Thing"},
                                },
                                "meta": {"type": "object", "additionalProperties": True},
                            },
                        }
                    }
                },
            }
        },
        "schemas": {
            "Thing": {
                "type": "object",
                "description": "A thing.",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "description": "Its ID."},
                    "name": {"type": "string", "nullable": True},
                    "kind": {"type": "string", "enum": ["a", "b"]},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                    "size": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "dims": {"type": "object", "properties": {"w": {"type": "number"}}},
                    "weird": {"$ref": "#/components/schemas/weird_Keys"},
                    "shape": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Circle"},
                            {"$ref": "#/components/schemas/Square"},
                        ]
                    },
                },
            },
            "Shadowing": {
                "type": "object",
                "properties": {"str": {"type": "integer"}, "name": {"type": "string"}},
            },
            "Circle": {
                "type": "object",
                "required": ["kind", "r"],
                "properties": {
                    "kind": {"type": "string", "enum": ["circle"]},
                    "r": {"type": "number"},
                },
            },
            "Square": {
                "type": "object",
                "required": ["kind", "side"],
                "properties": {
                    "kind": {"type": "string", "enum": ["square"]},
                    "side": {"type": "number"},
                },
            },
            "ThingPost": {
                "allOf": [{"$ref": "#/components/schemas/ThingBase"}, {"required": ["name"]}]
            },
            "ThingBase": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "note": {"type": "object", "properties": {"text": {"type": "string"}}},
                },
            },
            "weird_Keys": {
                "type": "object",
                "required": ["class"],
                "properties": {
                    "class": {"type": "string"},
                    "date:min": {"type": "string"},
                    "__private": {"type": "string"},  # a class body would mangle it
                },
            },
        },
    },
}

SYNTHETIC_USE = """
from synthetic_v3 import CreateThingsBody, CreateThingsResult, GetThingsParams, Thing, WeirdKeys

def show(thing: Thing, made: CreateThingsResult) -> None:
    reveal_type(thing["children"])  # N: list[TypedDict(synthetic_v3.Thing, {'id': int
    reveal_type(thing["name"])  # N: "str | None"
    reveal_type(thing["size"])  # N: "int | str"
    reveal_type(made["extra"])  # N: "bool"
    reveal_type(thing["dims"]["w"])  # N: "float"

ok: Thing = {"id": 1, "name": None, "children": [{"id": 2, "kind": "b"}], "labels": {"a": "b"}}
no_id: Thing = {"name": "x"}  # E: typeddict-item
nested_no_id: Thing = {"id": 1, "children": [{"name": "x"}]}  # E: typeddict-item
bad_kind: Thing = {"id": 1, "kind": "c"}  # E: typeddict-item
bad_size: Thing = {"id": 1, "size": 1.5}  # E: typeddict-item
bad_label: Thing = {"id": 1, "labels": {"a": 1}}  # E: dict-item
circle: Thing = {"id": 1, "shape": {"kind": "circle", "r": 1}}
both: Thing = {"id": 1, "shape": {"kind": "square", "r": 1, "side": 2}}
radius: Thing = {"id": 1, "shape": {"kind": "circle", "radius": 1}}  # E: typeddict-unknown-key
no_kind: Thing = {"id": 1, "shape": {"r": 1}}  # E: typeddict-item
oval: Thing = {"id": 1, "shape": {"kind": "oval"}}  # E: typeddict-item
body: CreateThingsBody = [{"name": "x"}]
body_no_name: CreateThingsBody = [{}]  # E: typeddict-item
weird: WeirdKeys = {"class": "x", "date:min": "2024-01-01", "__private": "y"}
weird_missing: WeirdKeys = {"date:min": "2024-01-01"}  # E: typeddict-item
params: GetThingsParams = {"from": "x", "id:in": [1, 2]}
params_text: GetThingsParams = {"from": "x", "id:in": "1,2"}
params_no_from: GetThingsParams = {"id:in": [1]}  # E: typeddict-item
params_bad: GetThingsParams = {"from": "x", "id:in": ["a"]}  # E: list-item
"""

REAL_USE = """
from bigc.types.products_catalog_v3 import GetProductsParams, ProductBasePOST, ProductFull
from bigc.types.orders_v2 import OrderResp

def show(product: ProductFull, order: OrderResp) -> None:
    reveal_type(product["price"])  # N: "float"
    reveal_type(product)  # N: 'inventory_level'?: int
    reveal_type(product["custom_url"]["url"])  # N: "str"
    product["prise"]  # E: typeddict-item
    order["billing_address"]["first_nme"]  # E: typeddict-item

body: ProductBasePOST = {"name": "Jar", "type": "physical", "weight": 1, "price": 7.95}
typo: ProductBasePOST = {  # E: typeddict-unknown-key
    "name": "Jar", "type": "physical", "weight": 1, "price": 7, "prise": 7
}
missing: ProductBasePOST = {"name": "Jar", "type": "physical", "weight": 1}  # E: typeddict-item
bad: ProductBasePOST = {"name": "", "type": "phisicl", "weight": 1, "price": 0}  # E: typeddict-item
params: GetProductsParams = {"id:in": [1, 2], "is_visible": True, "include_fields": "name"}
bad_params: GetProductsParams = {"id:in": [1], "is_visble": True}  # E: typeddict-unknown-key
"""

MARK = re.compile(r"#\s*([EN]): (.*)$")


def expectations(path: Path) -> tuple[set[tuple[int, str]], dict[int, str]]:
    errors: set[tuple[int, str]] = set()
    notes: dict[int, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = MARK.search(line)
        if match and match.group(1) == "E":
            errors.add((number, match.group(2).strip()))
        elif match:
            notes[number] = match.group(2).strip()
    return errors, notes


def test_generated_types_under_mypy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = gen.SpecModule("synthetic.v3.yml", SPEC)
    module.build()
    (tmp_path / "synthetic_v3.py").write_text(gen.render_module(module, "Synthetic"))
    uses = {"synthetic_use.py": SYNTHETIC_USE, "real_use.py": REAL_USE}
    for name, text in uses.items():
        (tmp_path / name).write_text("from __future__ import annotations\n" + text)
    monkeypatch.setenv("MYPYPATH", str(tmp_path))
    out, err, _ = api.run(
        [
            *(str(tmp_path / name) for name in uses),
            "--strict",
            "--python-version=3.10",
            "--show-error-codes",
            "--no-error-summary",
            "--hide-error-context",
            f"--cache-dir={tmp_path / 'cache'}",
        ]
    )
    assert err == ""
    for name in uses:
        expected_errors, expected_notes = expectations(tmp_path / name)
        errors: set[tuple[int, str]] = set()
        notes: dict[int, str] = {}
        for line in out.splitlines():
            match = re.match(
                rf".*{re.escape(name)}:(\d+): (error|note): (.*?)(?:  \[(.+)\])?$", line
            )
            if not match:
                continue
            number = int(match.group(1))
            if match.group(2) == "error":
                errors.add((number, match.group(4) or ""))
            else:
                notes[number] = match.group(3)
        assert errors == expected_errors, out
        for number, text in expected_notes.items():
            assert text in notes.get(number, ""), (number, text, notes.get(number))


def test_the_index_of_a_generated_module() -> None:
    """Bodies, params and results of the synthetic spec, as the index records them."""
    module = gen.SpecModule("synthetic.v3.yml", SPEC)
    module.build()
    rows = {(op.method, op.path): op for op in module.operations}
    listed = rows[("GET", "/things")]
    assert (listed.operation_id, listed.body) == ("getThings", None)
    assert listed.params == "bigc.types.synthetic_v3.GetThingsParams"
    assert listed.result == "bigc.types.synthetic_v3.Thing"  # the item of data
    made = rows[("POST", "/things")]
    assert made.body == "bigc.types.synthetic_v3.CreateThingsBody"
    assert made.result == "bigc.types.synthetic_v3.CreateThingsResult"
    gone = rows[("DELETE", "/things/{id}")]
    assert (gone.body, gone.params, gone.result) == (None, None, None)
    source = gen.render_module(module, "Synthetic")
    assert 'CreateThingsBody: TypeAlias = "list[ThingPost]"' in source
    assert (
        textwrap.dedent("""
        WeirdKeys = TypedDict(
            "WeirdKeys",
            {
                "class": "Required[str]",
                "date:min": "str",
                "__private": "str",
            },
            total=False,
        )""")
        in source
    )
    assert '        "tags": "Collection[str] | str | None",\n' in source
    # A field "str" in a class body would shadow the type of "name".
    assert 'Shadowing = TypedDict(\n    "Shadowing",\n    {\n        "str": "int",\n' in source
    assert "class Thing(TypedDict, total=False):\n" in source
    assert "    id: Required[int]\n" in source
    assert "    children: list[Thing]\n" in source
    # An allOf that adds keys to a named object subclasses it ...
    assert "class CreateThingsResult(Thing, total=False):\n" in source
    # ... unless it makes a key required that the object leaves optional: then
    # the keys are merged, and an inline object they reach twice is one type.
    post = source.split("class ThingPost(TypedDict, total=False):\n", 1)[1].split("\n\n\n")[0]
    assert "    name: Required[str]\n" in post
    assert source.count("class ThingPostNote(") == 1
    assert "    note: ThingBaseNote\n" in source  # named after its own path
    assert 'ThingBaseNote: TypeAlias = "ThingPostNote"\n' in source


def test_a_swagger_2_file() -> None:
    """Swagger 2.0: definitions, ``in: body`` parameters, query types on the parameter."""
    document = {
        "swagger": "2.0",
        "basePath": "/stores/{store_hash}/v2",
        "paths": {
            "/orders": {
                "post": {
                    "operationId": "createOrder",
                    "parameters": [
                        {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Order"}},
                        {"name": "status_id", "in": "query", "type": "integer", "required": True},
                        {
                            "name": "ids",
                            "in": "query",
                            "type": "array",
                            "items": {"type": "integer"},
                        },
                    ],
                    "responses": {"201": {"schema": {"$ref": "#/definitions/Order"}}},
                },
                "get": {
                    "operationId": "getOrders",
                    "responses": {
                        "200": {
                            "schema": {"type": "array", "items": {"$ref": "#/definitions/Order"}}
                        }
                    },
                },
            }
        },
        "definitions": {
            "Order": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "data": {"type": "string", "x-nullable": True},
                },
            }
        },
    }
    module = gen.SpecModule("orders.v2.oas2.yml", document)
    module.build()
    assert module.module == "orders_v2"
    rows = {(op.method, op.path): op for op in module.operations}
    made = rows[("POST", "/orders")]
    assert made.body == made.result == "bigc.types.orders_v2.Order"
    assert made.params == "bigc.types.orders_v2.CreateOrderParams"
    # v2: a list is its items, and a "data" key is no envelope.
    assert rows[("GET", "/orders")].result == "bigc.types.orders_v2.Order"
    source = gen.render_module(module, "Orders")
    assert "    data: str | None\n" in source
    assert "    status_id: Required[int]\n" in source
    assert "    ids: Collection[int] | str\n" in source
