"""How scripts/gen_types.py writes its modules: text already as ruff format writes it.

gen_types.py decides the types from the schemas; this side turns them into
source: docstrings from the spec's prose, TypedDicts in class or functional
form, aliases short enough for the line length, and the index.
"""

from __future__ import annotations

import json
import keyword
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

LINE = 100


class Namespace(Protocol):
    """What rendering needs of a module being generated."""

    file: str
    defs: list[TypedDictDef | AliasDef]

    def unique(self, name: str) -> str: ...


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
    """Whether ``key`` can be a field in the class form of a TypedDict.

    Not a keyword, no ``__name`` (Python would mangle it in a class body), and
    no name that the annotations use (a field ``str`` would shadow the type).
    """
    mangled = key.startswith("__") and not key.endswith("__")
    return (
        key.isidentifier()
        and key.isascii()
        and not keyword.iskeyword(key)
        and not mangled
        and key not in ANNOTATION_NAMES
    )


ANNOTATION_NAMES = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "Any", "Collection", "Literal"}
    | {"Required", "NotRequired", "TypedDict", "TypeAlias"}
)


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
    paragraph = re.sub(r"^\s*(?:[#>|]+|[*-])\s+", "", paragraph)  # a markdown marker
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
    """One key of a TypedDict."""

    key: str
    annotation: str
    required: bool
    doc: str | None


@dataclass
class TypedDictDef:
    """A TypedDict to write (``open``: its schema allows other keys)."""

    name: str
    doc: str
    fields: list[Field] = field(default_factory=list)
    open: bool = False
    bases: list[str] = field(default_factory=list)


@dataclass
class AliasDef:
    """A type alias to write."""

    name: str
    annotation: str
    doc: str


@dataclass
class OperationTypes:
    """One operation's row of the index: its body, params and result types."""

    file: str
    method: str
    path: str
    operation_id: str | None
    body: str | None
    params: str | None
    result: str | None


def quoted(annotation: str) -> str:
    """An annotation as a string literal (its Literal values in single quotes)."""
    return '"' + annotation.replace('"', "'") + '"'


def render_module(module: Namespace, title: str) -> str:
    """The source of one module, formatted as ruff format would."""
    body: list[str] = []
    used: list[str] = []
    for definition in in_definition_order(module.defs):
        if isinstance(definition, AliasDef):
            body += alias_block(
                module, definition.name, definition.annotation, definition.doc, used
            )
        else:
            body += typed_dict_block(module, definition, used)
    words = set(re.findall(r"\b\w+\b", " ".join(used)))
    has_alias = any(": TypeAlias = " in line for line in body)
    runtime = {"TypeAlias"} if has_alias else set()
    if any(line.endswith(": TypeAlias = Literal[") for line in body):
        runtime.add("Literal")  # a long Literal alias is evaluated when the module runs
    lines = [
        f'"""Types of BigCommerce\'s {clean_text(title)} API.',
        "",
        f"Generated by scripts/gen_types.py from ``{module.file}``: do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        f"from typing import {', '.join(['TYPE_CHECKING', *sorted(runtime), 'TypedDict'])}",
    ]
    checking = []
    if "Collection" in words:
        checking.append("    from collections.abc import Collection")
    names = sorted(words & {"Any", "Literal"} - runtime)
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


def typed_dict_block(module: Namespace, definition: TypedDictDef, used: list[str]) -> list[str]:
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
            doc = f"Type of ``{definition.name}[{f.key!r}]``."
            before += alias_block(module, name, annotation, doc, used)
            annotation = name
        used.append(text)
        rows.append((f, text))
    lines = list(before)
    lines += ["", ""]
    if classy:
        lines += class_header(definition, total)
        lines += docstring(definition.doc, "    ")
        if rows:
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


def class_header(definition: TypedDictDef, total: bool) -> list[str]:
    """``class Name(Base, total=False):``, split as ruff format splits a long one."""
    bases = [*(definition.bases or ["TypedDict"])]
    if definition.fields and not total:
        bases.append("total=False")
    line = f"class {definition.name}({', '.join(bases)}):"
    if len(line) <= LINE:
        return [line]
    if len(", ".join(bases)) + 4 <= LINE:
        return [f"class {definition.name}(", f"    {', '.join(bases)}", "):"]
    return [f"class {definition.name}(", *(f"    {b}," for b in bases), "):"]


def in_definition_order(defs: list[TypedDictDef | AliasDef]) -> list[TypedDictDef | AliasDef]:
    """The definitions in creation order, but each base class before its subclasses.

    Only bases are evaluated when the module runs; every annotation is a string.
    """
    by_name = {d.name: d for d in defs}
    ordered: list[TypedDictDef | AliasDef] = []
    placed: set[str] = set()

    def place(definition: TypedDictDef | AliasDef) -> None:
        if definition.name in placed:
            return
        placed.add(definition.name)
        if isinstance(definition, TypedDictDef):
            for base in definition.bases:
                place(by_name[base])
        ordered.append(definition)

    for definition in defs:
        place(definition)
    return ordered


def field_lines(key: str, text: str) -> list[str]:
    """A class-form field; one too long is split as ruff format splits it."""
    line = f"    {key}: {text}"
    if len(line) <= LINE:
        return [line]
    wrapper, bracket, inner = text.partition("[")
    if bracket and wrapper in ("Required", "NotRequired"):
        return [f"    {key}: {wrapper}[", f"        {inner[:-1]}", "    ]"]
    return [f"    {key}: (", f"        {text}", "    )"]


def alias_block(
    module: Namespace, name: str, annotation: str, doc: str, used: list[str]
) -> list[str]:
    """``name: TypeAlias = "annotation"``; a very long one leans on aliases of its parts.

    A long ``Literal`` becomes an alias evaluated at run time (it names no
    class), one value a line; a long union is cut in two. Type checkers do
    not read an annotation split into implicitly joined strings.
    """
    used.append(annotation)
    before: list[str] = []
    while len(quoted(annotation)) + 4 > LINE:
        literals = LITERAL.findall(annotation)
        if literals and max(literals, key=len) == annotation:
            values = [f"    {v}," for v in LITERAL_VALUE.findall(annotation[8:-1])]
            lines = [f"{name}: TypeAlias = Literal[", *values, "]"]
            return [*before, "", "", *lines, *docstring(doc, "")]
        if literals:
            longest = max(literals, key=len)
            part = module.unique(name + "Values")
            before += alias_block(module, part, longest, f"Values of ``{name}``.", used)
            annotation = annotation.replace(longest, part)
            continue
        generic = re.fullmatch(r"(\w+)\[(.*)\]", annotation)
        if generic and len(union_parts(annotation)) == 1:  # list[A | B]: alias A | B
            part = module.unique(name + "Item")
            before += alias_block(module, part, generic.group(2), f"Part of ``{name}``.", used)
            annotation = f"{generic.group(1)}[{part}]"
            continue
        parts = union_parts(annotation)
        if len(parts) < 2 or 2 * len(name) + 16 >= len(annotation):
            break  # one long name, or too short to gain from aliases: left as it is
        halves = [parts[: len(parts) // 2], parts[len(parts) // 2 :]]
        names = []
        for half in halves:
            part = module.unique(name + "Part")
            before += alias_block(module, part, " | ".join(half), f"Part of ``{name}``.", used)
            names.append(part)
        annotation = " | ".join(names)
    line = f"{name}: TypeAlias = {quoted(annotation)}"
    if len(line) > LINE:  # as ruff format writes it
        line = f"{name}: TypeAlias = (\n    {quoted(annotation)}\n)"
    return [*before, "", "", line, *docstring(doc, "")]


LITERAL = re.compile(r"Literal\[[^\[\]]*\]")
LITERAL_VALUE = re.compile(r'"[^"]*"|-?\d+|True|False')


def union_parts(annotation: str) -> list[str]:
    """``A | list[B | C] | D`` -> ``["A", "list[B | C]", "D"]``."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(annotation):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and annotation.startswith(" | ", i):
            parts.append(annotation[start:i])
            start = i + 3
    return [*parts, annotation[start:]]


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

At run time a TypedDict is a class, a type alias the text of its annotation
(``"list[ProductPost]"``), except a long ``Literal``, which is the Literal.
``OPEN`` names the TypedDicts whose schema allows keys it does not list.
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
