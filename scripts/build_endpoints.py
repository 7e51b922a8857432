"""Build the endpoint table (``src/bigc/_endpoint_table.py``) from BigCommerce's OpenAPI files.

One row per operation of the REST management API: its group and method name,
request shape, result shape and spec location. Names follow the seed's
style: a group per resource (``brands_v3``), verbs ``all``/``get``/
``create``/``update``/``delete`` (``*_many`` for batches) for the group's own
resource, and the verb plus the sub-resource's noun for the rest
(``all_images``, ``get_image``). Hand-made choices are in
``scripts/endpoint_names.py``; the seed's special rows (``id:in`` lookups,
batches of one) in ``scripts/endpoint_specials.py``.

Usage: ``python scripts/build_endpoints.py [--check] [SPECS_DIR]`` (default
``tests/specs``, copies of the official files). Deterministic: the same files give the same
table, byte for byte.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigc_source import use_source_tree

use_source_tree()

from endpoint_names import (  # noqa: E402
    ENVELOPED,
    FILE_GROUPS,
    GROUP_BASES,
    INCLUDED_STOREFRONT_FILES,
    METHOD_NAMES,
    PARAM_NAMES,
    PATH_GROUPS,
    READ_ONLY_POSTS,
    RESULTS,
)
from endpoint_specials import SPECIALS  # noqa: E402
from spec_refs import resolve_ref  # noqa: E402

from bigc._endpoints import LEFT_OUT, Endpoint  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "src" / "bigc" / "_endpoint_table.py"
DEFAULT_SPECS = ROOT / "tests" / "specs"
UNCOUNTED = ("settings", "analytics", "information", "status", "statuses")
PLAIN = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
HTTP_METHODS = ("get", "post", "put", "delete", "patch")
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def in_scope(name: str) -> bool:
    """Whether a spec file belongs to the REST management API this table covers."""
    if name in LEFT_OUT:
        return False
    return ".sf." not in name or name in INCLUDED_STOREFRONT_FILES


def snake(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


def singular(word: str) -> str:
    if word.endswith(UNCOUNTED):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "uses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class Spec:
    """One spec file: resolves ``$ref``s and answers questions about an operation."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        with path.open(encoding="utf-8") as handle:
            self.document: Mapping[str, Any] = yaml.load(handle, Loader=Loader)
        if "swagger" in self.document:
            base = str(self.document.get("basePath", ""))
        else:
            base = str(self.document["servers"][0]["url"])
        self.api = "v2" if base.rstrip("/").endswith("/v2") else "v3"

    def resolve(self, node: Any) -> Any:
        return resolve_ref(self.document, node, self.name)

    def operations(self) -> Iterator[tuple[str, str, Mapping[str, Any], Mapping[str, Any]]]:
        for spec_path, item in self.document.get("paths", {}).items():
            for method in HTTP_METHODS:
                if isinstance(item.get(method), Mapping):
                    yield spec_path, method, item[method], item

    def parameters(self, op: Mapping[str, Any], item: Mapping[str, Any]) -> list[Any]:
        return [self.resolve(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]

    def types(self, schema: Any, depth: int = 0) -> set[str]:
        """The JSON types a schema allows (``object``, ``array``...)."""
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping) or depth > 8:
            return set()
        found: set[str] = set()
        if isinstance(schema.get("type"), str):
            found.add(schema["type"])
        elif "properties" in schema:
            found.add("object")
        elif "items" in schema:
            found.add("array")
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key, []):
                found |= self.types(part, depth + 1)
        return found

    def properties(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping) or depth > 8:
            return {}
        found = dict(schema.get("properties", {}))
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key, []):
                found.update(self.properties(part, depth + 1))
        return found

    def body(self, op: Mapping[str, Any], item: Mapping[str, Any]) -> str:
        params = [p for p in self.parameters(op, item) if p.get("in") in ("body", "formData")]
        if params:
            if all(p.get("in") == "formData" for p in params):
                return "form"
            return "list" if "array" in self.types(params[0].get("schema", {})) else "object"
        if "requestBody" not in op:
            return "none"
        content = self.resolve(op["requestBody"]).get("content", {})
        forms = [
            m.get("schema", {}) for kind, m in content.items() if kind.startswith("multipart/")
        ]
        json_too = any("json" in kind for kind in content)
        if forms and not json_too:
            return "form"
        if forms and any(self.has_file(form) for form in forms):
            return "multipart"
        media = [m for kind, m in content.items() if "json" in kind] or list(content.values())
        types = set().union(*(self.types(m.get("schema", {})) for m in media))
        return "list" if types == {"array"} else "object"

    def has_file(self, schema: Any) -> bool:
        """Whether a form's schema has a file field (``format: binary``, or named ``*file``)."""
        props = self.properties(schema).items()
        return any(
            self.resolve(p).get("format") == "binary" or name.lower().endswith("file")
            for name, p in props
        )

    def body_required(self, op: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
        for param in self.parameters(op, item):
            if param.get("in") == "body":
                return bool(param.get("required"))
        if any(p.get("in") == "formData" and p.get("required") for p in self.parameters(op, item)):
            return True
        return bool(self.resolve(op.get("requestBody", {})).get("required"))

    def text_media(self, op: Mapping[str, Any]) -> str | None:
        """The media type of the first success answer when it is text, not JSON."""
        responses = op.get("responses", {})
        for status in sorted(str(s) for s in responses):
            if status.startswith("2"):
                response = self.resolve(responses.get(status) or responses.get(int(status)))
                kinds = list(response.get("content") or {})
                if kinds and not any("json" in kind for kind in kinds):
                    return str(kinds[0])
                return None
        return None

    def success(self, op: Mapping[str, Any]) -> tuple[str, Any] | None:
        """The first success status and its JSON schema (``None``: no body)."""
        responses = op.get("responses", {})
        for status in sorted(str(s) for s in responses):
            if status.startswith("2"):
                response = self.resolve(responses.get(status) or responses.get(int(status)))
                if "schema" in response:  # Swagger 2.0
                    return status, response["schema"]
                content = response.get("content") or {}
                for kind, media in content.items():
                    if "json" in kind and "schema" in media:
                        return status, media["schema"]
                return status, None
        return None


@dataclass
class Draft:
    """An operation on its way to becoming a row."""

    spec: Spec
    spec_path: str
    http: str
    op: Mapping[str, Any]
    item: Mapping[str, Any]
    group: str = ""
    base: str = ""

    @property
    def operation_id(self) -> str:
        return str(self.op.get("operationId") or f"{self.http}:{self.spec_path}")

    @property
    def query(self) -> set[str]:
        params = self.spec.parameters(self.op, self.item)
        return {p["name"] for p in params if p.get("in") == "query"}


def group_of(file: str, spec_path: str) -> tuple[str, str]:
    """The group of a path and the prefix that chose it ("" for the file's default)."""
    best = ("", "")
    for name, prefix, group in PATH_GROUPS:
        if name == file and spec_path.startswith(prefix) and len(prefix) > len(best[1]):
            best = (group, prefix)
    return best if best[0] else (FILE_GROUPS[file], "")


def segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def common_base(paths: list[str]) -> str:
    """The longest literal prefix (ending before a parameter) of all paths."""
    split = [segments(p) for p in paths]
    prefix: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1 or is_param(parts[0]):
            break
        prefix.append(parts[0])
    return "/" + "/".join(prefix)


def param_names(spec_path: str) -> list[tuple[str, str]]:
    """(name in the spec, our snake-case name) of each path parameter."""
    names = []
    previous = ""
    for segment in segments(spec_path):
        if is_param(segment):
            raw = segment[1:-1]
            ours = snake(raw)
            if ours in ("id", "uuid") and previous:
                ours = f"{singular(snake(previous))}_{ours}"
            names.append((raw, ours))
        else:
            previous = segment
    return names


def result_of(draft: Draft) -> tuple[str, bool]:
    """The result kind, and whether the spec shows v3's ``data`` envelope.

    A GET whose ``data`` is a list, or whose ``meta`` is a page's, is a list.
    It is read page by page only with the paging parameters the spec
    documents (``page``: offset pages; ``after``: cursor pages), otherwise in
    one request: sending undocumented ``page`` numbers to an endpoint that
    ignores them would repeat its items. ``RESULTS`` overrides the rule where
    the spec is known to be wrong.
    """
    override = RESULTS.get((draft.group, draft.operation_id))
    spec, http = draft.spec, draft.http
    media = spec.text_media(draft.op)
    if media is not None and override is None:  # a CSV file, an event stream
        return ("events" if media == "text/event-stream" else "text", False)
    success = spec.success(draft.op)
    if success is None or success[1] is None:
        return (override or "any", True)
    schema = success[1]
    meta: dict[str, Any] = {}
    if spec.api == "v3":
        props = spec.properties(schema)
        if "data" not in props:
            return (override or "any", False)
        types = spec.types(props["data"])
        meta = spec.properties(props.get("meta", {}))
    else:
        types = spec.types(schema)
    if override:
        return (override, True)
    query = draft.query
    paged_meta = "pagination" in meta or "cursor_pagination" in meta
    if types == {"array"} or (http == "get" and paged_meta and types != {"object"}):
        if http != "get":
            return ("list", True)
        if spec.api == "v2":
            return ("v2_pages" if "page" in query else "unpaged", True)
        if "after" in query and "page" in query:  # both documented: the answer's meta says
            return ("cursor_pages" if "cursor_pagination" in meta else "offset_pages", True)
        if "after" in query:
            return ("cursor_pages", True)
        if "page" in query:
            return ("offset_pages", True)
        return ("unpaged", True)
    if http == "delete":
        return ("optional_object" if types == {"object"} else "any", True)
    if types == {"object"}:
        return ("object", True)
    return ("any", True)


def method_name(draft: Draft, body: str, result: str) -> str:
    key = (draft.group, draft.operation_id)
    if key in METHOD_NAMES:
        return METHOD_NAMES[key]
    rest = draft.spec_path
    if draft.base and (rest == draft.base or rest.startswith(draft.base + "/")):
        rest = rest[len(draft.base) :]
    parts = segments(rest)
    item = bool(parts) and is_param(parts[-1])
    nouns = [snake(s) for s in parts if not is_param(s)]
    http = draft.http
    many = body == "list" or (http == "delete" and not item) or result.endswith("pages")
    many = many or result == "unpaged"
    if http == "get":
        verb = "all" if result in ("offset_pages", "cursor_pages", "v2_pages", "unpaged") else "get"
        many = verb == "all"
    elif http == "post":
        verb = "create"
    elif http in ("put", "patch"):
        verb = "update"
    else:
        verb = "delete"
    if not nouns:
        return f"{verb}_many" if many and verb not in ("all", "get") else verb
    *lead, last = nouns
    last = last if many else singular(last)
    return "_".join([verb, *[singular(n) for n in lead], last])


def drafts(specs_dir: Path) -> list[Draft]:
    found: list[Draft] = []
    for path in sorted(specs_dir.iterdir()):
        if not path.name.endswith((".yml", ".yaml")) or not in_scope(path.name):
            continue
        if path.name not in FILE_GROUPS:
            raise SystemExit(f"{path.name}: new spec file; name its group in endpoint_names.py")
        spec = Spec(path)
        for spec_path, http, op, item in spec.operations():
            group, _ = group_of(path.name, spec_path)
            found.append(Draft(spec, spec_path, http, op, item, group))
    by_group: dict[str, list[Draft]] = {}
    for draft in found:
        by_group.setdefault(draft.group, []).append(draft)
    prefixes = {group: prefix for _, prefix, group in PATH_GROUPS}
    for group, members in by_group.items():
        base = GROUP_BASES.get(group) or prefixes.get(group)
        base = base or common_base([d.spec_path for d in members])
        for draft in members:
            draft.base = base
    return found


def row_of(draft: Draft) -> Endpoint:
    body = draft.spec.body(draft.op, draft.item)
    result, envelope = result_of(draft)
    method = method_name(draft, body, result)
    names = param_names(draft.spec_path)
    ours = PARAM_NAMES.get((draft.group, method)) or tuple(n for _, n in names)
    path = draft.spec_path
    for (raw, _), name in zip(names, ours, strict=True):
        path = path.replace("{" + raw + "}", "{" + name + "}", 1)
    retryable = draft.http != "post" or draft.operation_id in READ_ONLY_POSTS
    summary = " ".join(str(draft.op.get("summary") or "").split()).translate(PLAIN)
    return Endpoint(
        group=draft.group,
        method=method,
        http_method=draft.http.upper(),
        api=draft.spec.api,
        path=path,
        args=tuple(ours),
        body=body,
        result=result,
        retryable=retryable,
        operation_id=draft.operation_id,
        summary=summary,
        spec_file=draft.spec.name,
        spec_path=draft.spec_path,
        envelope=envelope or (draft.group, draft.operation_id) in ENVELOPED,
        body_required=body != "none" and draft.spec.body_required(draft.op, draft.item),
    )


SPECIAL_SUMMARIES = {
    "find": "One item by ID, looked up through the list's id:in filter",
    "batch_one": "{}: a batch of one, returning the one item",
    "delete_ids": "{}, by id:in (IDs, or params={{'id:in': [...]}})",
    "delete_one": "{}: one item, by id:in",
    "either": "{} (without an ID: every order's)",
}


def _separate(rows: list[Endpoint], bases: dict[str, str]) -> list[Endpoint]:
    """Tell apart a sub-resource of one item and the same sub-resource of all items.

    ``all_metafields(product_id)`` reads one product's metafields;
    ``/catalog/products/metafields`` (every product's) becomes
    ``all_product_metafields()``: the group's noun goes after the verb.
    """
    taken: dict[tuple[str, str], list[Endpoint]] = {}
    for row in rows:
        taken.setdefault((row.group, row.method), []).append(row)
    out = []
    for row in rows:
        rivals = taken[(row.group, row.method)]
        if len(rivals) == 2 and len(row.args) < max(len(r.args) for r in rivals):
            noun = singular(snake(segments(bases[row.group])[-1]))
            verb, _, rest = row.method.partition("_")
            row = row._replace(method=f"{verb}_{noun}_{rest}" if rest else f"{verb}_{noun}")
        out.append(row)
    return out


def build(specs_dir: Path) -> list[Endpoint]:
    found = drafts(specs_dir)
    rows = _separate([row_of(d) for d in found], {d.group: d.base for d in found})
    by_op = {(r.group, r.operation_id): r for r in rows}
    unknown = [key for key in METHOD_NAMES if key not in by_op]
    if unknown:
        raise SystemExit(f"METHOD_NAMES names operations that do not exist: {unknown}")
    named = {(r.group, r.method): i for i, r in enumerate(rows)}
    for special in SPECIALS:
        base = by_op[(special.group, special.operation_id)]
        row = base._replace(
            method=special.method,
            summary=SPECIAL_SUMMARIES.get(special.kind, "{}").format(base.summary),
            args=special.args,
            kind=special.kind,
            detail=special.detail,
            result=special.result or base.result,
            body=special.body or base.body,
            retryable=base.retryable if special.retryable is None else special.retryable,
        )
        if (special.group, special.method) in named:  # a plain row that becomes special
            rows[named[(special.group, special.method)]] = row
        else:
            rows.append(row)
    rows.sort(key=lambda r: (r.group, r.method))
    seen: dict[tuple[str, str], Endpoint] = {}
    for row in rows:
        key = (row.group, row.method)
        if key in seen:
            other = seen[key]
            raise SystemExit(
                f"{row.group}.{row.method} names two operations: "
                f"{other.operation_id} ({other.http_method} {other.spec_path}) and "
                f"{row.operation_id} ({row.http_method} {row.spec_path}); "
                "name one in endpoint_names.METHOD_NAMES"
            )
        seen[key] = row
    return rows


def _literal(value: object) -> str:
    if isinstance(value, tuple):
        inner = ", ".join(_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    text = repr(value)
    if isinstance(value, str) and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def _wrapped(text: str, indent: str, width: int = 99) -> list[str]:
    """A string literal split into pieces that fit on lines of ``width``."""
    pieces: list[str] = []
    room = width - len(indent) - 3
    while len(text) > room:
        cut = text.rfind(" ", 0, room)
        cut = room if cut <= 0 else cut + 1
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return [indent + _literal(p) for p in pieces]


def render(rows: list[Endpoint]) -> str:
    fields = [f for f in Endpoint._fields if f != "summary"]
    defaults = {"kind": "request", "detail": "", "envelope": True, "body_required": True}
    out = [
        '"""The endpoint table: one row per operation of the REST management API.',
        "",
        "Generated by scripts/build_endpoints.py from BigCommerce's OpenAPI files and",
        "scripts/endpoint_names.py; do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from bigc._endpoints import Endpoint",
        "",
        '__all__ = ["ENDPOINTS"]',
        "",
        "# fmt: off",
        "ENDPOINTS: tuple[Endpoint, ...] = (",
    ]
    for row in rows:
        out.append("    Endpoint(")
        for name in fields:
            value = getattr(row, name)
            if name in defaults and value == defaults[name]:
                continue
            out.append(f"        {name}={_literal(value)},")
        one = f"        summary={_literal(row.summary)},"
        if len(one) <= 100:
            out.append(one)
        else:
            out.append("        summary=(")
            out.extend(_wrapped(row.summary, "            "))
            out.append("        ),")
        out.append("    ),")
    out += [")", "# fmt: on", ""]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    specs_dir = Path(args[0]) if args else DEFAULT_SPECS
    text = render(build(specs_dir))
    if check:
        if TABLE.read_text() != text:
            print(f"{TABLE.relative_to(ROOT)} is stale: run python scripts/build_endpoints.py")
            return 1
        print("endpoint table is up to date")
        return 0
    TABLE.write_text(text)
    print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
