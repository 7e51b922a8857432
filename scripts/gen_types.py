"""Generate ``src/bigc/types`` (TypedDicts) from BigCommerce's OpenAPI files.

One module per management-API spec file (``products_catalog.v3.yml`` ->
``bigc.types.products_catalog_v3``) holds a TypedDict or type alias for every
schema of the file, and for every operation its body, query parameters and
result; ``bigc.types._index`` maps each operation to those names (its
docstring is the contract the resource generator relies on).

The output is written already formatted (ruff format leaves it unchanged), so
it does not depend on a formatter's version; ``--check`` fails when the
committed files differ from what the specs give (the test command runs it).
Annotations are never evaluated at run time (``from __future__ import
annotations``, string values in the functional TypedDict form and in
aliases), so the modules import on Python 3.10 without typing_extensions.
"""

from __future__ import annotations

import argparse
import json
import keyword
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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
LINE = 100
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


def module_name(file_name: str) -> str:
    """``products_catalog.v3.yml`` -> ``products_catalog_v3``."""
    stem = re.sub(r"\.(ya?ml)$", "", file_name).replace(".oas2", "")
    return re.sub(r"\W", "_", stem)


def pascal(text: str) -> str:
    """``product_Full`` -> ``ProductFull``; ``id:in`` -> ``IdIn``."""
    parts = re.split(r"[^0-9A-Za-z]+", text)
    name = "".join(p[:1].upper() + p[1:] for p in parts if p)
    if not name:
        name = "Unnamed"
    if name[0].isdigit():
        name = "T" + name
    return name


def is_field_name(key: str) -> bool:
    """Whether ``key`` can be a field in the class form of a TypedDict."""
    return key.isidentifier() and key.isascii() and not keyword.iskeyword(key)


def clean_text(text: str) -> str:
    """Plain ASCII prose for docstrings: no markdown links, quotes or escapes."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text).replace("**", "")
    for a, b in {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"}.items():
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.replace("\\", "/").replace('"""', "'''")
    return " ".join(text.split())


def first_sentence(text: str | None, limit: int = 240) -> str | None:
    """The first sentence of a description (a docstring's summary)."""
    if not isinstance(text, str):
        return None
    paragraph = next((p for p in re.split(r"\n\s*\n", text) if p.strip()), "")
    if paragraph.lstrip().startswith(("#", ">", "|", "*", "-", "`")):
        paragraph = paragraph.lstrip("#>|*-` \t")
    cleaned = clean_text(paragraph)
    match = re.match(r"(.+?[.!?])(\s|$)", cleaned)
    sentence = match.group(1) if match else cleaned
    if len(sentence) > limit:
        sentence = sentence[: limit - 3].rsplit(" ", 1)[0] + "..."
    sentence = sentence.strip().rstrip('"').strip()
    return sentence or None


def docstring(text: str, indent: str) -> list[str]:
    """A docstring as ruff format writes it, wrapped to the line length."""
    if len(indent) + len(text) + 6 <= LINE:
        return [f'{indent}"""{text}"""']
    # Narrower than the line so that a wrapped text never fits on one line.
    lines = textwrap.wrap(text, width=LINE - len(indent) - 6, break_on_hyphens=False)
    lines = lines or [text]
    first, *rest = lines
    return [f'{indent}"""{first}', *(f"{indent}{line}" for line in rest), f'{indent}"""']


def literal(value: object) -> str:
    """A value inside ``Literal[...]`` written in a string annotation."""
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


@dataclass
class Field:
    key: str
    annotation: str
    required: bool
    doc: str | None


@dataclass
class TypedDictDef:
    name: str
    doc: str
    fields: list[Field] = field(default_factory=list)
    open: bool = False


@dataclass
class AliasDef:
    name: str
    annotation: str
    doc: str


@dataclass
class OperationTypes:
    file: str
    method: str
    path: str
    operation_id: str | None
    body: str | None
    params: str | None
    result: str | None


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
        # Inline objects by identity (the schema kept alive so that ids stay unique):
        # an object reached twice (through two allOf merges) is one TypedDict.
        self.inline: dict[int, tuple[Mapping[str, Any], str]] = {}
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
        seen: set[str] = set()
        while isinstance(node, Mapping) and "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                raise ValueError(f"{self.file}: cannot follow $ref {ref!r}")
            seen.add(ref)
            node = self.document
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

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
        self.define(target, name, f"The ``{origin}`` schema.")
        return name

    def define(self, schema: Any, name: str, origin: str) -> None:
        """Emit ``name`` as a TypedDict when ``schema`` is an object, else an alias."""
        merged = self.merge(schema) if isinstance(schema, Mapping) else schema
        doc = self.describe(merged) or origin
        if isinstance(merged, Mapping) and self.is_record(merged):
            self.typed_dict(merged, name, doc, reserved=True)
            return
        alias = AliasDef(name, "Any", doc)
        self.defs.append(alias)
        alias.annotation = self.annotation(schema, name)

    def describe(self, schema: Any) -> str | None:
        if not isinstance(schema, Mapping):
            return None
        return first_sentence(schema.get("description")) or first_sentence(schema.get("title"))

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
                text = self.plain(self.merge(schema), hint)
        else:
            text = self.plain(schema, hint)
        if nullable and text != "Any" and not text.endswith("| None"):
            text += " | None"
        return text

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

    def inline_record(self, schema: Mapping[str, Any], hint: str) -> str:
        if id(schema) not in self.inline:
            doc = self.describe(schema) or f"The ``{hint}`` object."
            name = self.unique(hint)
            self.inline[id(schema)] = (schema, name)
            self.typed_dict(schema, name, doc)
        return self.inline[id(schema)][1]

    def enum(self, values: list[Any]) -> str | None:
        kept = [v for v in values if v is not None]
        if not kept or len(kept) > LITERAL_MAX:
            return None
        if not all(isinstance(v, (str, int)) and not re.search(r"[\\'\"]", str(v)) for v in kept):
            return None
        unique = list(dict.fromkeys(kept))
        text = f"Literal[{', '.join(literal(v) for v in unique)}]"
        return text + " | None" if None in values else text

    def union(self, schema: Mapping[str, Any], variants: list[Any], hint: str) -> str:
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
        return " | ".join(texts)

    def typed_dict(
        self, schema: Mapping[str, Any], name: str, doc: str, reserved: bool = False
    ) -> str:
        extra = schema.get("additionalProperties")
        definition = TypedDictDef(name, doc, open=extra not in (None, False, {}))
        self.defs.append(definition)
        required = set(schema.get("required") or [])
        for key, prop in (schema.get("properties") or {}).items():
            annotation = self.annotation(prop, name + pascal(str(key)))
            text = prop.get("description") if isinstance(prop, Mapping) else None
            if text is None and isinstance(prop, Mapping) and "$ref" not in prop:
                text = prop.get("title")
            definition.fields.append(
                Field(str(key), annotation, key in required, first_sentence(text))
            )
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
            if annotation.startswith("list["):
                # bigc joins any collection with commas; a ready string passes as is.
                annotation = f"Collection[{annotation[5:-1]}] | str"
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
        resolved = self.resolve(schema)
        if (
            isinstance(resolved, Mapping)
            and "$ref" not in schema
            and self.is_record(self.merge(resolved))
        ):
            doc = f"{role} ``{operation.get('operationId') or hint}``."
            return self.typed_dict(self.merge(resolved), self.unique(hint), doc)
        name = self.unique(hint)
        alias = AliasDef(name, "Any", f"{role} ``{operation.get('operationId') or hint}``.")
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


# -- writing ----------------------------------------------------------------


def quoted(annotation: str) -> str:
    """An annotation as a string literal (its Literal values in single quotes)."""
    return '"' + annotation.replace('"', "'") + '"'


def render_module(module: SpecModule, title: str) -> str:
    """The source of one module, formatted as ruff format would."""
    body: list[str] = []
    used: list[str] = []
    for definition in module.defs:
        if isinstance(definition, AliasDef):
            body += alias_block(definition.name, definition.annotation, definition.doc)
            used.append(definition.annotation)
        else:
            body += typed_dict_block(module, definition, used)
    words = set(re.findall(r"\b\w+\b", " ".join(used)))
    has_alias = any(line.startswith(("", " ")) and ": TypeAlias = " in line for line in body)
    lines = [
        f'"""Types of BigCommerce\'s {clean_text(title)} API.',
        "",
        f"Generated by scripts/gen_types.py from ``{module.file}``: do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        f"from typing import TYPE_CHECKING, {'TypeAlias, ' if has_alias else ''}TypedDict",
    ]
    checking = []
    if "Collection" in words:
        checking.append("    from collections.abc import Collection")
    names = sorted(words & {"Any", "Literal"})
    if names:
        checking.append(f"    from typing import {', '.join(names)}")
    extensions = sorted(words & {"NotRequired", "Required"})
    if extensions:
        if checking:
            checking.append("")
        checking.append(f"    from typing_extensions import {', '.join(extensions)}")
    if checking:
        lines += ["", "if TYPE_CHECKING:", *checking]
    else:
        lines[-1] = lines[-1].replace("TYPE_CHECKING, ", "")
    return "\n".join(lines + body) + "\n"


def typed_dict_block(module: SpecModule, definition: TypedDictDef, used: list[str]) -> list[str]:
    """A TypedDict (class form, or functional when a key is no identifier).

    An annotation too long for one line moves into an alias of its own (ruff
    would otherwise split it over lines in its own way).
    """
    fields = definition.fields
    total = sum(f.required for f in fields) * 2 > len(fields)
    classy = all(is_field_name(f.key) for f in fields)
    before: list[str] = []
    rows: list[tuple[Field, str]] = []
    for f in fields:
        annotation = f.annotation
        for attempt in range(2):
            text = annotation
            if f.required != total:
                text = f"{'Required' if f.required else 'NotRequired'}[{annotation}]"
            if classy:
                line = f"    {f.key}: {text}"
            else:
                line = f"        {json.dumps(f.key)}: {quoted(text)},"
            if len(line) <= LINE or attempt:
                break
            name = module.unique(definition.name + pascal(f.key))
            before += alias_block(name, annotation, f"Type of ``{definition.name}[{f.key!r}]``.")
            used.append(annotation)
            annotation = name
        used.append(text)
        rows.append((f, text))
    lines = list(before)
    lines += ["", ""]
    if classy:
        bases = f"TypedDict{'' if total else ', total=False'}"
        header = f"class {definition.name}({bases}):"
        if len(header) > LINE:
            header = f"class {definition.name}(\n    {bases}\n):"
        lines.append(header)
        lines += docstring(definition.doc, "    ")
        lines.append("")
        for f, text in rows:
            lines += field_lines(f.key, text)
            if f.doc:
                lines += docstring(f.doc, "    ")
        return lines
    lines += [f"{definition.name} = TypedDict(", f'    "{definition.name}",', "    {"]
    lines += [f"        {json.dumps(f.key)}: {quoted(text)}," for f, text in rows]
    lines.append("    },")
    if not total:
        lines.append("    total=False,")
    lines.append(")")
    lines += docstring(definition.doc, "")
    return lines


def field_lines(key: str, text: str) -> list[str]:
    """A class-form field; one too long is split as ruff format splits it."""
    line = f"    {key}: {text}"
    if len(line) <= LINE:
        return [line]
    wrapper, bracket, inner = text.partition("[")
    if bracket and wrapper in ("Required", "NotRequired"):
        return [f"    {key}: {wrapper}[", f"        {inner[:-1]}", "    ]"]
    return [f"    {key}: (", f"        {text}", "    )"]


def alias_block(name: str, annotation: str, doc: str) -> list[str]:
    """``name: TypeAlias = "annotation"``; a long one as implicitly joined pieces."""
    line = f"{name}: TypeAlias = {quoted(annotation)}"
    if len(line) <= LINE:
        return ["", "", line, *docstring(doc, "")]
    pieces: list[str] = []
    for token in re.split(r"(?<=, )|(?<= \| )", annotation):
        if pieces and len(pieces[-1]) + len(token) + 6 <= LINE:
            pieces[-1] += token
        else:
            pieces.append(token)
    return [
        "",
        "",
        f"{name}: TypeAlias = (",
        *(f"    {quoted(piece)}" for piece in pieces),
        ")",
        *docstring(doc, ""),
    ]


def render_index(operations: list[OperationTypes], open_types: list[str]) -> str:
    lines = [INDEX_DOC.strip("\n"), "", *INDEX_HEAD.strip("\n").splitlines()]
    lines.append("_ROWS: tuple[_Row, ...] = (")
    for op in operations:
        lines.append("    (")
        for value in (op.file, op.method, op.path, op.operation_id, op.body, op.params, op.result):
            lines.append(f"        {'None' if value is None else json.dumps(value)},")
        lines.append("    ),")
    lines.append(")")
    lines.append("")
    lines.append("OPEN: frozenset[str] = frozenset(")
    lines.append("    {")
    for name in open_types:
        lines.append(f"        {json.dumps(name)},")
    lines.append("    }")
    lines.append(")")
    lines.append('"""TypedDicts whose schema allows keys it does not name."""')
    lines += INDEX_CODE.strip("\n").splitlines()
    return "\n".join(lines) + "\n"


INDEX_DOC = '''
"""Which generated types belong to which operation of the OpenAPI files.

Generated by scripts/gen_types.py: do not edit.

``ROUTES[(file, METHOD, path)]`` is ``(operationId, body, params, result)``
for every operation of every management-API spec file: ``file`` is the spec
file's name (``"products_catalog.v3.yml"``), ``METHOD`` is upper case and
``path`` is the template exactly as the file writes it, relative to the
file's server URL (so without the ``/stores/{store_hash}/v3`` or ``/v2``
prefix: ``"/catalog/products/{product_id}"``).

``OPERATIONS[operationId]`` is ``(body, params, result)``. An operationId
that more than one file uses (``getCustomers`` in ``customers.v2.yml`` and
``customers.v3.yml``) is only keyed as ``"file#operationId"``
(``"customers.v3.yml#getCustomers"``); every other one also under that key.

Each type is the fully qualified name of a TypedDict or type alias in
``bigc.types`` (``"bigc.types.products_catalog_v3.ProductFull"``), or
``None`` when the spec gives nothing usable:

- body: the JSON request body (a multipart form for uploads); an alias of
  ``list[...]`` for batch bodies.
- params: the query parameters (header and path parameters are left out).
- result: what bigc returns: a v3 answer unwrapped from its ``data``, and
  for a list (v2 or v3) the type of one item.
"""
'''

INDEX_HEAD = '''
from __future__ import annotations

from typing import TypeAlias

_Row: TypeAlias = "tuple[str, str, str, str | None, str | None, str | None, str | None]"
"""(file, METHOD, path, operationId, body type, query-parameters type, result type)."""

'''

INDEX_CODE = '''

ROUTES: dict[tuple[str, str, str], tuple[str | None, str | None, str | None, str | None]] = {
    (file, method, path): (operation_id, body, params, result)
    for file, method, path, operation_id, body, params, result in _ROWS
}
"""(file, METHOD, path) -> (operationId, body, params, result)."""


def _operations() -> dict[str, tuple[str | None, str | None, str | None]]:
    counts: dict[str, int] = {}
    for row in _ROWS:
        if row[3] is not None:
            counts[row[3]] = counts.get(row[3], 0) + 1
    found: dict[str, tuple[str | None, str | None, str | None]] = {}
    for file, _, _, operation_id, body, params, result in _ROWS:
        if operation_id is not None:
            found[f"{file}#{operation_id}"] = (body, params, result)
            if counts[operation_id] == 1:
                found[operation_id] = (body, params, result)
    return found


OPERATIONS: dict[str, tuple[str | None, str | None, str | None]] = _operations()
"""operationId (or "file#operationId") -> (body, params, result)."""
'''


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


def render_init(names: list[tuple[str, str]]) -> str:
    lines = [
        '"""TypedDicts for the bodies, query parameters and results of BigCommerce\'s REST API.',
        "",
        "Generated by scripts/gen_types.py from the official OpenAPI files: do not edit.",
        "Results stay plain dicts at run time; these types are for IDEs and type checkers.",
        "``import bigc`` does not import this package. One module per spec file:",
        "",
    ]
    lines += [f"- ``{module}``: ``{file}``" for module, file in names]
    lines.append('"""')
    return "\n".join(lines) + "\n"


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
