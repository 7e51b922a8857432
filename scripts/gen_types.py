"""Generate ``src/bigc/types`` (TypedDicts) from BigCommerce's OpenAPI files.

One module per management-API spec file (``products_catalog.v3.yml`` ->
``bigc.types.products_catalog_v3``) holds a TypedDict or type alias for every
schema of the file, and for every operation its body, query parameters and
result; ``bigc.types._index`` maps each operation to those names (its
docstring is the contract the resource generator relies on).

This file reads the schemas and decides the types; gen_types_text.py writes
them. The output is written already formatted (ruff format leaves it
unchanged), so it does not depend on a formatter's version; ``--check`` fails when the
committed files differ from what the specs give (the test command runs it).
Annotations are never evaluated at run time (``from __future__ import
annotations``, string values in the functional TypedDict form and in
aliases), so the modules import on Python 3.10 without typing_extensions.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from gen_types_text import (
    AliasDef,
    Field,
    OperationTypes,
    TypedDictDef,
    first_sentence,
    is_field_name,
    literal,
    pascal,
    render_index,
    render_init,
    render_module,
    union_parts,
)
from spec_refs import resolve_ref

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "bigc" / "types"
SPECS_DIR = Path(
    os.environ.get("BIGC_TYPES_SPECS_DIR", ROOT.parent / "shared" / "specs" / "bigcommerce")
)
PACKAGE = "bigc.types"
# Out of scope (issue 11): storefront files, APIs BigCommerce calls on the app,
# and the customer-login / current-customer JWT documents.
EXCLUDED = frozenset(
    {"tax_provider.yml", "shipping_provider.yml", "customer_login.yml", "current_customer.yml"}
)
HTTP_METHODS = ("get", "put", "post", "patch", "delete")
LITERAL_MAX = 40  # more enum values than this read better as the plain type
STRUCTURAL = frozenset(
    {"properties", "items", "type", "enum", "oneOf", "anyOf", "allOf", "additionalProperties"}
)
# Names the modules import; a schema named like one gets a suffix.
RESERVED = frozenset(
    {"Any", "Collection", "Literal", "NotRequired", "Required", "TypeAlias", "TypedDict"}
    | {"TYPE_CHECKING", "None", "True", "False"}
)

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
JSON = dict[str, Any]


def management_files(specs_dir: Path) -> list[Path]:
    """The spec files of the management API, in name order."""
    files = [*specs_dir.glob("*.yml"), *specs_dir.glob("*.yaml")]
    return sorted(
        (f for f in files if not f.name.endswith(".sf.yml") and f.name not in EXCLUDED),
        key=lambda f: f.name,
    )


def shape(schema: Mapping[str, Any]) -> str:
    """A schema as text: equal texts are copies (the files repeat inline objects)."""
    return json.dumps(schema, sort_keys=True, default=str)


def module_name(file_name: str) -> str:
    """``products_catalog.v3.yml`` -> ``products_catalog_v3``."""
    stem = re.sub(r"\.(ya?ml)$", "", file_name).replace(".oas2", "")
    return re.sub(r"\W", "_", stem)


class SpecModule:
    """The types of one spec file: schemas first, then operations, in file order."""

    def __init__(self, file_name: str, document: JSON) -> None:
        self.file = file_name
        self.module = module_name(file_name)
        self.document = document
        self.defs: list[TypedDictDef | AliasDef] = []
        self.taken: set[str] = set(RESERVED)
        self.ref_names: dict[str, str] = {}
        self.reserved: dict[str, str] = {}
        # Types of inline objects and unions by their text: one reached twice (two
        # allOf merges) or written twice in the file is one type.
        self.inline: dict[str, str] = {}
        self.building: set[str] = set()  # schemas being defined (no base class yet)
        self.open_names: set[str] = set()  # TypedDicts whose schema allows other keys
        self.operations: list[OperationTypes] = []
        self.swagger2 = "swagger" in document
        servers = document.get("servers") or [{}]
        base = str(servers[0].get("url", document.get("basePath", "")))
        self.v3 = base.rstrip("/").endswith("/v3")

    # -- names --------------------------------------------------------------

    def unique(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self.taken:
            candidate, n = f"{name}{n}", n + 1
        self.taken.add(candidate)
        return candidate

    def qualified(self, name: str | None) -> str | None:
        return None if name is None else f"{PACKAGE}.{self.module}.{name}"

    # -- schemas ------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        return resolve_ref(self.document, node, self.file)

    def schema_refs(self) -> Iterator[tuple[str, str]]:
        if self.swagger2:
            for key in self.document.get("definitions") or {}:
                yield f"#/definitions/{key}", key
        else:
            for key in (self.document.get("components") or {}).get("schemas") or {}:
                yield f"#/components/schemas/{key}", key

    def named(self, ref: str) -> str:
        """The type of a schema under ``components/schemas`` (made once, by name)."""
        if ref in self.ref_names:
            return self.ref_names[ref]
        name = self.reserved.get(ref) or self.unique(pascal(ref.rsplit("/", 1)[1]))
        self.ref_names[ref] = name
        target = self.resolve({"$ref": ref})
        origin = ref.rsplit("/", 1)[1]
        self.building.add(ref)
        self.define(target, name, f"The ``{origin}`` schema.")
        self.building.discard(ref)
        return name

    def define(self, schema: Any, name: str, origin: str) -> None:
        """Emit ``name`` as a TypedDict when ``schema`` is an object, else an alias."""
        merged = self.merge(schema) if isinstance(schema, Mapping) else schema
        doc = self.describe(merged) or origin
        if self.record(schema, name, doc):
            return
        alias = AliasDef(name, "Any", doc)
        self.defs.append(alias)
        alias.annotation = self.annotation(schema, name)

    def record(self, schema: Any, name: str, doc: str) -> bool:
        """Emit ``name`` as the TypedDict of an object schema; False when it is none."""
        inherited = self.inheritance(schema)
        if inherited is not None:
            bases, own = inherited
            self.typed_dict(own, name, doc, bases)
            return True
        record = self.as_record(schema)
        if record is None:
            return False
        self.typed_dict(record, name, doc)
        return True

    def inheritance(self, schema: Any) -> tuple[list[str], JSON] | None:
        """(bases, own keys) when an allOf extends named objects: ``X(ProductFull)``.

        None when the parts clash (a key in two parts, or the allOf requiring
        a key its base leaves optional): then the keys are merged into one.
        """
        if not isinstance(schema, Mapping) or not schema.get("allOf"):
            return None
        parts = schema["allOf"]
        refs = [
            p["$ref"] for p in parts if isinstance(p, Mapping) and p.get("$ref") in self.reserved
        ]
        records = [self.as_record(self.resolve({"$ref": ref})) for ref in refs]
        if not refs or len(set(refs)) < len(refs) or self.building & set(refs):
            return None
        rest = [p for p in parts if not (isinstance(p, Mapping) and p.get("$ref") in refs)]
        own = self.merge({**schema, "allOf": rest})
        inherited: dict[str, bool] = {}  # key -> required by its base
        for record in records:
            if record is None:
                return None
            for key in record["properties"]:
                if key in inherited:
                    return None
                inherited[key] = key in (record.get("required") or [])
        properties = own.get("properties") or {}
        required = own.get("required") or []
        if (
            own.get("oneOf")
            or own.get("anyOf")
            or inherited.keys() & properties.keys()
            or not all(is_field_name(str(k)) for k in properties)
            or any(k in inherited and not inherited[k] for k in required)
        ):
            return None
        bases = [self.named(ref) for ref in refs]
        return bases, {**own, "properties": properties, "required": required}

    def describe(self, schema: Any) -> str | None:
        if not isinstance(schema, Mapping):
            return None
        title = schema.get("title")
        if isinstance(title, str) and " " not in title.strip():
            title = None  # a schema name such as bulkPricingRule_Full says nothing more
        return first_sentence(schema.get("description")) or first_sentence(title)

    @staticmethod
    def is_record(schema: Mapping[str, Any]) -> bool:
        return bool(schema.get("properties")) and not (schema.get("oneOf") or schema.get("anyOf"))

    def members(self, schema: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        """The resolved parts of an ``allOf``, flattened, and the schema's own keys."""
        own = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema.get("allOf") or []:
            resolved = self.resolve(part)
            if isinstance(resolved, Mapping):
                if "allOf" in resolved:
                    yield from self.members(resolved)
                else:
                    yield resolved
        yield own

    def merge(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """One schema for an ``allOf``: properties and required keys of every part."""
        if "allOf" not in schema:
            return schema
        merged: dict[str, Any] = {}
        properties: dict[str, Any] = {}
        required: list[str] = []
        for part in self.members(schema):
            for key, value in part.items():
                if key == "properties" and isinstance(value, Mapping):
                    properties.update(value)
                elif key == "required" and isinstance(value, list):
                    required += [k for k in value if k not in required]
                else:
                    merged.setdefault(key, value)
        if properties:
            merged["properties"] = properties
            merged["type"] = "object"
        if required:
            merged["required"] = required
        return merged

    def sole_ref(self, schema: Mapping[str, Any]) -> str | None:
        """The ``$ref`` an ``allOf`` only decorates (adds a description to), if any."""
        parts = [*schema["allOf"], {k: v for k, v in schema.items() if k != "allOf"}]
        structural = [p for p in parts if "$ref" in p or STRUCTURAL & p.keys()]
        if len(structural) == 1 and "$ref" in structural[0]:
            ref = structural[0]["$ref"]
            return ref if isinstance(ref, str) else None
        return None

    def annotation(self, schema: Any, hint: str) -> str:
        """The annotation for ``schema``; nested objects become TypedDicts named ``hint``."""
        if not isinstance(schema, Mapping):
            return "Any"
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref in self.reserved:
                return self.named(ref)
            return self.annotation(self.resolve(schema), hint)
        nullable = schema.get("nullable") is True or schema.get("x-nullable") is True
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
        if "allOf" in schema:
            ref = self.sole_ref(schema)
            if ref is not None and ref in self.reserved:
                text = self.named(ref)
                merged = self.merge(schema)
                nullable = nullable or merged.get("nullable") is True
            else:
                text = self.all_of(schema, hint)
        else:
            text = self.plain(schema, hint)
        if nullable and text != "Any" and not text.endswith("| None"):
            text += " | None"
        return text

    def all_of(self, schema: Mapping[str, Any], hint: str) -> str:
        """An allOf written in place: a TypedDict named ``hint`` when it is an object."""
        merged = self.merge(schema)
        if shape(schema) not in self.inline and not (
            self.inheritance(schema) or self.as_record(schema)
        ):
            return self.plain(merged, hint)
        doc = self.describe(merged) or f"The ``{hint}`` object."
        return self.once(schema, hint, doc, lambda name: self.record(schema, name, doc))

    def plain(self, schema: Mapping[str, Any], hint: str) -> str:
        variants = schema.get("oneOf") or schema.get("anyOf")
        if variants:
            return self.union(schema, variants, hint)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            text = self.enum(enum)
            if text:
                return text
        types = schema.get("type")
        kind = next((t for t in types if t != "null"), None) if isinstance(types, list) else types
        if kind == "array" or "items" in schema:
            return f"list[{self.annotation(schema.get('items'), hint + 'Item')}]"
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            if schema.get("properties"):
                return self.inline_record(schema, hint)
            extra = schema.get("additionalProperties")
            if isinstance(extra, Mapping) and extra:
                return f"dict[str, {self.annotation(extra, hint + 'Value')}]"
            return "dict[str, Any]"
        return {
            "string": "bytes" if schema.get("format") == "binary" else "str",
            "integer": "int",
            "number": "float",
            "boolean": "bool",
        }.get(str(kind), "Any")

    def inline_record(
        self, schema: Mapping[str, Any], hint: str, record: Mapping[str, Any] | None = None
    ) -> str:
        """The TypedDict of an object written in place (``record``: as combined from it)."""
        made = record or schema
        doc = self.describe(made) or f"The ``{hint}`` object."
        return self.once(schema, hint, doc, lambda name: self.typed_dict(made, name, doc))

    def once(
        self, schema: Mapping[str, Any], hint: str, doc: str, make: Callable[[str], Any]
    ) -> str:
        """``hint``, made by ``make`` the first time; an alias for a copy of the schema.

        The files repeat objects in place (every webhook's ``data``); one
        TypedDict serves them all, and each place keeps a name of its own.
        """
        name = self.unique(hint)
        same = self.inline.get(shape(schema))
        if same is not None:
            self.defs.append(AliasDef(name, same, doc))
            return name
        self.inline[shape(schema)] = name
        make(name)
        return name

    def enum(self, values: list[Any]) -> str | None:
        kept = [v for v in values if v is not None]
        if not kept or len(kept) > LITERAL_MAX:
            return None
        if not all(isinstance(v, (str, int)) and not re.search(r"[\\'\"]", str(v)) for v in kept):
            return None
        unique = list(dict.fromkeys(kept))
        if all(isinstance(v, bool) for v in unique) and len(unique) == 2:
            return "bool | None" if None in values else "bool"
        text = f"Literal[{', '.join(literal(v) for v in unique)}]"
        return text + " | None" if None in values else text

    def union(self, schema: Mapping[str, Any], variants: list[Any], hint: str) -> str:
        """A oneOf/anyOf: one TypedDict with the keys of all parts when they are objects.

        JSON schemas are open, so an object may fit several parts at once (a
        cart line item with a variant and modifier selections, although the
        file says oneOf); a union of closed TypedDicts would reject it. Keys
        that no part names are still errors. Lists of objects likewise become
        a list of the combined object; other parts make a ``Union``.
        """
        if len(self.distinct(variants)) == 1:
            return self.annotation(variants[0], hint)
        if shape(schema) in self.inline:
            return self.inline[shape(schema)]
        record = self.as_record(schema)
        if record is not None:
            return self.inline_record(schema, hint, record)
        parts = [self.merge(p) if isinstance(p, Mapping) else p for p in self.distinct(variants)]
        if all(isinstance(p, Mapping) and p.get("type") == "array" for p in parts):
            items = {"anyOf": [p.get("items") for p in parts]}
            text = f"list[{self.annotation(items, hint + 'Item')}]"
            self.inline[shape(schema)] = text
            return text
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator")}
        has_base = bool(base.get("properties"))
        texts: list[str] = []
        for i, variant in enumerate(variants):
            resolved = self.resolve(variant) if isinstance(variant, Mapping) else variant
            title = resolved.get("title") if isinstance(resolved, Mapping) else None
            part_hint = hint + (pascal(title) if isinstance(title, str) else f"Variant{i + 1}")
            if has_base:
                text = self.annotation({"allOf": [base, variant]}, part_hint)
            else:
                text = self.annotation(variant, part_hint)
            if text not in texts:
                texts.append(text)
        if "Any" in texts:
            return "Any"
        if "str" in texts:  # str already admits its Literal values
            texts = [t for t in texts if not re.fullmatch(r'Literal\[("[^"]*"(, )?)+\]', t)]
        if all(re.fullmatch(r"Literal\[[^|]*\]", t) for t in texts):
            return f"Literal[{', '.join(t[8:-1] for t in texts)}]"
        return " | ".join(texts)

    def distinct(self, variants: list[Any]) -> list[Any]:
        """The parts of a oneOf/anyOf, resolved, each once."""
        parts = [self.resolve(v) if isinstance(v, Mapping) else v for v in variants]
        return [p for i, p in enumerate(parts) if all(p is not q for q in parts[:i])]

    def as_record(self, schema: Any) -> Mapping[str, Any] | None:
        """The object schema a TypedDict is made of (allOf merged, oneOf combined), if any."""
        if not isinstance(schema, Mapping):
            return None
        merged = self.merge(schema)
        if self.is_record(merged):
            return merged
        variants = merged.get("oneOf") or merged.get("anyOf") or []
        parts = [self.merge(p) if isinstance(p, Mapping) else p for p in self.distinct(variants)]
        if len(parts) > 1 and all(isinstance(p, Mapping) and self.is_record(p) for p in parts):
            return self.combine(merged, parts)
        return None

    @staticmethod
    def combine(schema: Mapping[str, Any], parts: list[Mapping[str, Any]]) -> JSON:
        """One object schema for a oneOf/anyOf: every part's keys, required if all require them."""
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator")}
        found: dict[str, list[Any]] = {k: [v] for k, v in (base.get("properties") or {}).items()}
        for part in parts:
            for key, value in part["properties"].items():
                seen = found.setdefault(key, [])
                if all(value != other for other in seen):
                    seen.append(value)
        # A key the parts type differently (a discriminator) is any of those types.
        properties = {k: v[0] if len(v) == 1 else {"anyOf": v} for k, v in found.items()}
        required = set.intersection(*(set(p.get("required") or []) for p in parts))
        required |= set(base.get("required") or [])
        return {
            **base,
            "type": "object",
            "properties": properties,
            "required": [k for k in properties if k in required],
        }

    def typed_dict(
        self, schema: Mapping[str, Any], name: str, doc: str, bases: list[str] | None = None
    ) -> str:
        extra = schema.get("additionalProperties")
        bases = bases or []
        # additionalProperties {} or true: any other key (so for a subclass of such)
        is_open = extra not in (None, False) or bool(self.open_names & set(bases))
        definition = TypedDictDef(name, doc, open=is_open, bases=bases)
        if is_open:
            self.open_names.add(name)
        self.defs.append(definition)
        required = set(schema.get("required") or [])
        for key, prop in (schema.get("properties") or {}).items():
            annotation = self.annotation(prop, name + pascal(str(key)))
            # (of a $ref: the description written next to it, if any)
            text = self.describe(prop)
            definition.fields.append(Field(str(key), annotation, key in required, text))
        return name

    # -- operations ---------------------------------------------------------

    def build(self) -> None:
        for ref, key in self.schema_refs():
            self.reserved[ref] = self.unique(pascal(key))
        for ref, _ in self.schema_refs():
            self.named(ref)
        for path, item in (self.document.get("paths") or {}).items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if isinstance(operation, Mapping):
                    self.operation(path, method, item, operation)

    def operation(
        self, path: str, method: str, item: Mapping[str, Any], operation: Mapping[str, Any]
    ) -> None:
        operation_id = operation.get("operationId")
        stem = pascal(operation_id or f"{method}_{path}")
        params = self.query_params(item, operation, stem)
        body = self.body(item, operation, stem)
        result = self.result(operation, stem)
        self.operations.append(
            OperationTypes(
                self.file,
                method.upper(),
                path,
                operation_id,
                self.qualified(body),
                self.qualified(params),
                self.qualified(result),
            )
        )

    def parameters(self, item: Mapping[str, Any], operation: Mapping[str, Any]) -> list[JSON]:
        """Path-level parameters overridden by the operation's, by (name, in)."""
        found: dict[tuple[str, str], JSON] = {}
        for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            parameter = self.resolve(raw)
            if isinstance(parameter, Mapping) and "name" in parameter:
                found[(parameter["name"], parameter.get("in", ""))] = dict(parameter)
        return list(found.values())

    def query_params(
        self, item: Mapping[str, Any], operation: Mapping[str, Any], stem: str
    ) -> str | None:
        query = [p for p in self.parameters(item, operation) if p.get("in") == "query"]
        if not query:
            return None
        name = self.unique(stem + "Params")
        operation_id = operation.get("operationId") or stem
        definition = TypedDictDef(name, f"Query parameters of ``{operation_id}``.")
        self.defs.append(definition)
        for parameter in query:
            key = str(parameter["name"])
            schema = parameter.get("schema", parameter)
            if "$ref" in schema and self.resolve(schema).get("type") == "array":
                schema = self.resolve(schema)  # so that a ready string passes too
            annotation = self.annotation(schema, name + pascal(key))
            listed = re.fullmatch(r"list\[(.*)\]( \| None)?", annotation)
            if listed and len(union_parts(annotation)) == (2 if listed.group(2) else 1):
                # bigc joins any collection with commas; a ready string passes as is.
                annotation = f"Collection[{listed.group(1)}] | str{listed.group(2) or ''}"
            definition.fields.append(
                Field(
                    key,
                    annotation,
                    parameter.get("required") is True,
                    first_sentence(parameter.get("description")),
                )
            )
        return name

    def body(self, item: Mapping[str, Any], operation: Mapping[str, Any], stem: str) -> str | None:
        schema = None
        if self.swagger2:
            for parameter in self.parameters(item, operation):
                if parameter.get("in") == "body":
                    schema = parameter.get("schema")
        else:
            request = self.resolve(operation.get("requestBody"))
            if isinstance(request, Mapping):
                schema = self.media_schema(request.get("content") or {}, body=True)
        if schema is None:
            return None
        return self.named_annotation(schema, stem + "Body", operation, "Body of")

    def media_schema(self, content: Mapping[str, Any], body: bool = False) -> Any:
        """The JSON schema of a body or answer (a multipart form for uploads)."""
        kinds = ["application/json", *(k for k in content if "json" in k)]
        if body:
            kinds.append("multipart/form-data")
        for kind in kinds:
            media = content.get(kind)
            if isinstance(media, Mapping) and isinstance(media.get("schema"), Mapping):
                return media["schema"]
        return None

    def result(self, operation: Mapping[str, Any], stem: str) -> str | None:
        """The type of what bigc returns: v3 answers unwrapped, lists as their items."""
        found = self.success(operation)
        if found is None:
            return None
        return self.named_annotation(
            self.payload(found[2]), stem + "Result", operation, "Result of"
        )

    def success(self, operation: Mapping[str, Any]) -> tuple[str, JSON, JSON] | None:
        """(status, response, schema) of the first 2xx answer with a JSON schema."""
        responses = operation.get("responses") or {}
        for code in sorted(responses, key=str):
            response = self.resolve(responses[code])
            if not str(code).startswith("2") or not isinstance(response, Mapping):
                continue
            if self.swagger2:
                schema = response.get("schema")
            else:
                schema = self.media_schema(response.get("content") or {})
            if isinstance(schema, Mapping):
                return str(code), dict(response), dict(schema)
        return None

    def payload(self, schema: Any) -> Any:
        """What bigc hands back for a response schema: v3 ``data``, list items.

        A v3 answer that is one of several shapes gives one of their ``data``.
        """
        resolved = self.resolve(schema)
        if not isinstance(resolved, Mapping):
            return schema
        merged = self.merge(resolved)
        variants = merged.get("oneOf") or merged.get("anyOf")
        if self.v3 and variants and not merged.get("properties"):
            shapes = [
                self.payload(v) for v in variants if self.has_data(self.merge(self.resolve(v)))
            ]
            if shapes:
                return shapes[0] if len(shapes) == 1 else {"anyOf": shapes}
        if self.has_data(merged):
            schema = merged["properties"]["data"]
            resolved = self.resolve(schema)
            merged = self.merge(resolved) if isinstance(resolved, Mapping) else resolved
        if isinstance(merged, Mapping) and (merged.get("type") == "array" or "items" in merged):
            return merged.get("items")
        return schema

    def has_data(self, schema: Any) -> bool:
        """Whether bigc unwraps this answer (a v3 object with ``data``)."""
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        return self.v3 and "data" in (properties or {})

    def named_annotation(
        self, schema: Any, hint: str, operation: Mapping[str, Any], role: str
    ) -> str | None:
        """A name for the type of ``schema``: its own or an alias called ``hint``."""
        if not isinstance(schema, Mapping):
            return None
        doc = f"{role} ``{operation.get('operationId') or hint}``."
        if "$ref" not in schema and (self.inheritance(schema) or self.as_record(schema)):
            return self.once(schema, hint, doc, lambda name: self.record(schema, name, doc))
        name = self.unique(hint)
        alias = AliasDef(name, "Any", doc)
        index = len(self.defs)
        self.defs.append(alias)
        text = self.annotation(schema, hint)
        if text == "Any":
            self.defs.pop(index)
            self.taken.discard(name)
            return None
        if text in self.taken and text not in RESERVED:
            self.defs.pop(index)
            self.taken.discard(name)
            return text
        alias.annotation = text
        return name


def generate(specs_dir: Path) -> dict[str, str]:
    """Every file of the package: name -> source."""
    files = management_files(specs_dir)
    if not files:
        raise SystemExit(f"no spec files in {specs_dir}")
    out: dict[str, str] = {}
    operations: list[OperationTypes] = []
    open_types: list[str] = []
    names: list[tuple[str, str]] = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=Loader)
        module = SpecModule(path.name, document)
        module.build()
        title = str((document.get("info") or {}).get("title") or path.name)
        out[f"{module.module}.py"] = render_module(module, title)
        operations += module.operations
        open_types += [
            f"{PACKAGE}.{module.module}.{d.name}"
            for d in module.defs
            if isinstance(d, TypedDictDef) and d.open
        ]
        names.append((module.module, path.name))
    out["_index.py"] = render_index(operations, open_types)
    out["__init__.py"] = render_init(names)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if src/bigc/types is stale")
    parser.add_argument("--specs", type=Path, default=SPECS_DIR, help="the OpenAPI files")
    args = parser.parse_args(argv)
    wanted = generate(args.specs)
    present = {p.name: p.read_text(encoding="utf-8") for p in TARGET.glob("*.py")}
    if args.check:
        stale = sorted(n for n in wanted.keys() | present.keys() if wanted.get(n) != present.get(n))
        if stale:
            print(f"src/bigc/types is stale ({', '.join(stale[:5])}...): run scripts/gen_types.py")
            return 1
        return 0
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in present.keys() - wanted.keys():
        (TARGET / name).unlink()
    for name, text in wanted.items():
        if present.get(name) != text:
            (TARGET / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
