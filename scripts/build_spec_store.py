"""Build the fake store's spec-driven operations (``src/bigc/testing/spec_operations.json``).

The fake store answers every REST management operation without hand-written
behaviour from this table (see ``bigc/testing/_spec_store.py``). One entry per
operation of the endpoint table, holding only what the store needs at run
time, so that ``pip install bigc[testing]`` works offline and loading costs a
``json.loads``:

- where it is (``method``, ``path`` with the ``/v2``/``/v3`` prefix) and the
  success ``status`` it answers with;
- the answer's shape: ``envelope`` (v3 ``data``/``meta``), ``answer``
  (``object``, ``list`` or ``none``), ``paging`` and a ``sample`` item (the
  spec's example where it is valid against the schema, else one built from
  the schema) with its ``meta``;
- the request: ``body`` kind, ``required`` fields, field ``types`` and
  ``enums`` (for 422/400 answers naming the field), and ``filters``: simple
  query parameters that filter a list, with their type.

Usage: ``python scripts/build_spec_store.py [--check] [SPECS_DIR]`` (default
``tests/specs``). Deterministic: the same files give the same table.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigc_source import use_source_tree

use_source_tree()

from build_endpoints import Spec  # noqa: E402

from bigc._endpoint_table import ENDPOINTS  # noqa: E402
from bigc._endpoints import Endpoint  # noqa: E402
from bigc._text import parse_events  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "src" / "bigc" / "testing" / "spec_operations.json"
DEFAULT_SPECS = ROOT / "tests" / "specs"
MAX_DEPTH = 7
JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean")
FORMATS = {
    "date-time": "2024-01-15T10:30:00+00:00",
    "date": "2024-01-15",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "jane@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
}
PATTERN_CANDIDATES = ("+15555550100", "example", "example-1", "EX1", "1", "#ffffff", "US")
CHECKED_FORMATS = ("date-time", "date", "email")  # what the store checks in a request
PAGING = {"offset_pages": "offset", "cursor_pages": "cursor", "v2_pages": "v2"}
FILTER_KINDS = {"integer": "int", "number": "num", "boolean": "bool", "string": "str"}
CONTROL = {"page", "limit", "after", "before", "include", "include_fields", "exclude_fields"}
CONTROL |= {"sort", "direction", "channel_id"}


def text_examples(doc: Document, media: Mapping[str, Any]) -> list[str]:
    """A text answer's examples, wherever the file puts them."""
    found = [media.get("example"), (media.get("schema") or {}).get("example")]
    found += [doc.resolve(named).get("value") for named in (media.get("examples") or {}).values()]
    return [example for example in found if isinstance(example, str)]


def text_sample(media: str, examples: list[str]) -> str:
    """What the fake store answers for a text operation: the file's examples.

    An event stream answers every example whose events all carry JSON, one
    after the other (a deployment's queued, in progress, complete): the files
    write some newlines as a literal backslash-n, and one example's data as
    ``{{...}``, which no client could read. None left: one empty JSON event.
    """
    if media != "text/event-stream":
        return examples[0] if examples else ""
    streams = []
    for example in examples:
        if "\n" not in example:
            example = example.replace("\\n", "\n")
        events = parse_events(example)
        if events and all(is_json(event.data) for event in events):
            streams.append(example)
    return "".join(streams) or "event: message\ndata: {}\n\n"


def is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


class Document(Spec):
    """One spec file (``$ref``s resolved as the endpoint table's builder does), and its
    schemas with every ``$ref`` inlined."""

    def inline(self, node: Any, refs: tuple[str, ...] = ()) -> Any:
        """The schema with every ``$ref`` inlined; a recursive one becomes ``{}``."""
        if isinstance(node, Mapping):
            if "$ref" in node:
                ref = node["$ref"]
                if ref in refs:  # recursive: one level is described, deeper is open
                    return {"type": "object"} if type_of(self.resolve(node)) == "object" else {}
                return self.inline(self.resolve(node), (*refs, ref))
            return {k: self.inline(v, refs) for k, v in node.items()}
        if isinstance(node, list):
            return [self.inline(v, refs) for v in node]
        return node


def valid(schema: Any, value: Any) -> bool:
    try:
        checker = OAS30Validator.FORMAT_CHECKER
        return bool(OAS30Validator(schema, format_checker=checker).is_valid(value))
    except Exception:  # a schema the validator cannot read proves nothing
        return False


def merged(schema: Mapping[str, Any]) -> dict[str, Any]:
    """An ``allOf`` folded into one schema (properties and required joined)."""
    result = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf", []):
        part = merged(part)
        for key, value in part.items():
            if key == "properties":
                result["properties"] = {**result.get("properties", {}), **value}
            elif key == "required":
                result["required"] = sorted({*result.get("required", []), *value})
            else:
                result.setdefault(key, value)
    return result


def rule(schema: Any, depth: int = 0) -> dict[str, Any]:
    """What a request body must be, compactly: ``type`` (JSON types), ``enum``,
    ``format`` (dates, emails), ``required`` and ``properties`` of an object,
    ``items`` of an array. Parts a
    client may not send (``readOnly``) and parts of a ``oneOf`` are left open."""
    schema = merged(schema)
    found: dict[str, Any] = {}
    kind = type_of(schema)
    if kind in JSON_TYPES and not any(k in schema for k in ("oneOf", "anyOf")):
        found["type"] = [kind, "null"] if schema.get("nullable") else [kind]
    if schema.get("enum") and kind in ("string", "integer"):
        found["enum"] = [v for v in schema["enum"] if v is not None]
    if kind == "string" and schema.get("format") in CHECKED_FORMATS:
        found["format"] = schema["format"]
    if depth >= MAX_DEPTH:
        return found
    if kind == "object":
        props = {
            name: merged(prop)
            for name, prop in sorted(schema.get("properties", {}).items())
            if not merged(prop).get("readOnly")
        }
        # A required name the schema never declares (a flaw in a few files) is not enforced.
        required = sorted(n for n in schema.get("required", []) if not props or n in props)
        if required:
            found["required"] = required
        rules = {name: rule(prop, depth + 1) for name, prop in props.items()}
        if any(rules.values()):
            found["properties"] = {name: r for name, r in rules.items() if r}
    if kind == "array" and schema.get("items"):
        items = rule(schema["items"], depth + 1)
        if items:
            found["items"] = items
    return found


def type_of(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def sample(schema: Any, depth: int = 0, required_only: bool = False) -> Any:
    """A value valid against ``schema``: its example if valid, else one built from it."""
    if not isinstance(schema, Mapping):
        return None
    schema = merged(schema)
    example = schema.get("example", schema.get("default"))
    if example is not None and valid(schema, example) and not required_only:
        return example
    if schema.get("enum"):
        return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
    choices = [*schema.get("oneOf", []), *schema.get("anyOf", [])]
    values = [sample(part, depth + 1, required_only) for part in choices]
    for value in values:
        if valid(schema, value):
            return value
    if values and type_of(schema) is None:  # no part can be told apart: a flaw of the file
        return values[0]
    kind = type_of(schema)
    if kind == "object":
        props = schema.get("properties", {})
        wanted = set(schema.get("required", []))
        if depth > MAX_DEPTH or required_only:
            props = {k: v for k, v in props.items() if k in wanted}
        return {k: sample(v, depth + 1) for k, v in sorted(props.items())}
    if kind == "array":
        count = (
            max(1, schema.get("minItems", 1)) if depth <= MAX_DEPTH else schema.get("minItems", 0)
        )
        return [sample(schema.get("items", {}), depth + 1) for _ in range(count)]
    return scalar(schema, kind)


def scalar(schema: Mapping[str, Any], kind: str | None) -> Any:
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1)
        high = schema.get("maximum", max(low, 1))
        value = max(low, min(1, high))
        if schema.get("exclusiveMinimum") is True and value == low:
            value += 1
        return int(value) if kind == "integer" else float(value)
    if kind == "string" or kind is None:
        text = FORMATS.get(schema.get("format", ""), "example")
        if "pattern" in schema:  # the first of a few common shapes that fits
            fits = [c for c in PATTERN_CANDIDATES if re.search(schema["pattern"], c)]
            text = fits[0] if fits else text
        length = schema.get("minLength", 0)
        limit = schema.get("maxLength")
        text = text.ljust(length, "x")
        return text[:limit] if limit else text
    return None


class Builder:
    def __init__(self, specs_dir: Path) -> None:
        self.specs_dir = specs_dir
        self.documents: dict[str, Document] = {}
        self.invalid: list[str] = []

    def document(self, name: str) -> Document:
        if name not in self.documents:
            self.documents[name] = Document(self.specs_dir / name)
        return self.documents[name]

    def entry(self, row: Endpoint) -> dict[str, Any]:
        doc = self.document(row.spec_file)
        item = doc.document["paths"][row.spec_path]
        op = item[row.http_method.lower()]
        params = [doc.resolve(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]
        status, schema, examples = self.success(doc, op)
        entry: dict[str, Any] = {
            "method": row.http_method,
            "path": f"/{row.api}{row.path}",
            "status": status,
            "body": row.body,
        }
        entry.update(self.answer(row, doc.inline(schema), examples))
        entry.update(self.request(doc, op, params))
        if entry.get("rule", {}).get("type") == ["array"]:
            entry["body"] = "list"  # the JSON body is a list, whatever other media say
        filters = self.filters(doc, params)
        if filters:
            entry["filters"] = filters
        return entry

    def success(self, doc: Document, op: Mapping[str, Any]) -> tuple[int, Any, list[Any]]:
        """The first success status, its schema (``None``: no body) and its examples."""
        responses = op.get("responses", {})
        codes = sorted(str(s) for s in responses if str(s).startswith("2"))
        if not codes:
            return 200, None, []
        code = codes[0]
        response = doc.resolve(responses.get(code) or responses.get(int(code)) or {})
        if "schema" in response:  # Swagger 2.0
            examples = list((response.get("examples") or {}).values())
            return int(code), response["schema"], examples
        for media_type, media in (response.get("content") or {}).items():
            if "json" in media_type and "schema" in media:
                examples = [media["example"]] if "example" in media else []
                for named in (media.get("examples") or {}).values():
                    named = doc.resolve(named)
                    if "value" in named:
                        examples.append(named["value"])
                return int(code), media["schema"], examples
        for media_type, media in (response.get("content") or {}).items():  # a CSV file, events
            return int(code), {"type": "string", "x-media": media_type}, text_examples(doc, media)
        return int(code), None, []

    def answer(self, row: Endpoint, schema: Any, examples: list[Any]) -> dict[str, Any]:
        if schema is None:
            return {"answer": "none"}
        if "x-media" in schema:
            media = schema["x-media"]
            return {"answer": "text", "media": media, "sample": text_sample(media, examples)}
        schema = merged(schema)
        props = schema.get("properties", {})
        envelope = row.api == "v3" and "data" in props and type_of(schema) == "object"
        body = next((e for e in examples if valid(schema, e) and self.full(e, envelope)), None)
        if body is None:
            body = sample(schema)
            if not valid(schema, body):
                self.invalid.append(f"{row.http_method} /{row.api}{row.path}")
        data_schema = merged(props["data"]) if envelope else schema
        data = body.get("data") if envelope and isinstance(body, Mapping) else body
        result: dict[str, Any] = {"envelope": envelope}
        if type_of(data_schema) == "array":
            item_schema = data_schema.get("items", {})
            result["answer"] = "list"
            result["sample"] = data[0] if isinstance(data, list) and data else sample(item_schema)
            result["paging"] = PAGING.get(row.result, "none")
        elif row.is_list and isinstance(data, Mapping):
            # The file declares one object where BigCommerce (and the client) read a list.
            result.update(answer="list", sample=data, paging=PAGING.get(row.result, "none"))
            result["declared"] = "object"
        elif type_of(data_schema) == "object" or isinstance(data, Mapping):
            result["answer"] = "object"
            result["sample"] = data
        else:
            result["answer"] = "value"
            result["sample"] = data
        if envelope:
            meta = body.get("meta") if isinstance(body, Mapping) else None
            result["meta"] = meta if isinstance(meta, Mapping) else {}
            if "meta" not in props and not meta:
                del result["meta"]
        return result

    @staticmethod
    def full(example: Any, envelope: bool) -> bool:
        """Whether an example shows the whole answer (some show only the ``data``)."""
        return not envelope or (isinstance(example, Mapping) and "data" in example)

    def request(self, doc: Document, op: Mapping[str, Any], params: list[Any]) -> dict[str, Any]:
        schema = next((p.get("schema") for p in params if p.get("in") == "body"), None)
        if schema is None and "requestBody" in op:
            content = doc.resolve(op["requestBody"]).get("content", {})
            schema = next(
                (m.get("schema") for t, m in content.items() if "json" in t or "form" in t), None
            )
        if schema is None:
            return {}
        schema = merged(doc.inline(schema))
        item = merged(schema.get("items", {})) if type_of(schema) == "array" else schema
        return {"rule": rule(schema), "example": sample(item, required_only=True)}

    def filters(self, doc: Document, params: list[Any]) -> dict[str, str]:
        found: dict[str, str] = {}
        for param in params:
            name = param.get("name", "")
            if param.get("in") != "query" or name in CONTROL:
                continue
            schema = merged(doc.inline(param.get("schema", param)))
            kind = type_of(schema)
            if kind == "array":
                kind = type_of(merged(schema.get("items", {})))
            field, _, op = name.partition(":")
            if kind in FILTER_KINDS and op in ("", "in", "not_in", "min", "max", "like"):
                found[field] = FILTER_KINDS[kind]
        return dict(sorted(found.items()))


def build(specs_dir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    builder = Builder(specs_dir)
    seen: set[tuple[str, str]] = set()
    entries = []
    for row in ENDPOINTS:
        key = (row.http_method, f"/{row.api}{row.path}")
        if key not in seen:
            seen.add(key)
            entries.append(builder.entry(row))
    entries.sort(key=lambda e: (e["path"], e["method"]))
    return entries, builder.invalid


def render(entries: list[dict[str, Any]]) -> str:
    lines = [json.dumps(e, sort_keys=True, separators=(",", ":")) for e in entries]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    entries, invalid = build(Path(args[0]) if args else DEFAULT_SPECS)
    text = render(entries)
    if check:
        if not TABLE.is_file() or TABLE.read_text(encoding="utf-8") != text:
            print(f"{TABLE.relative_to(ROOT)} is stale: run scripts/build_spec_store.py")
            return 1
        return 0
    TABLE.write_text(text, encoding="utf-8")
    print(f"{len(entries)} operations written to {TABLE.relative_to(ROOT)}")
    for name in invalid:
        print(f"  no valid sample answer: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
