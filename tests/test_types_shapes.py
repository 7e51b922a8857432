"""A checker of values against the generated types, for the example tests.

It reads the generated modules themselves (their annotations, as written)
and tells whether a value fits a type: keys declared (unless the schema
allows others), required keys present, values of the declared types all the
way down. tests/test_types.py runs the spec's examples through it.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import Any, ForwardRef, Literal, get_args, get_origin

from bigc.types import _index

TARGET = Path(__file__).resolve().parent.parent / "src" / "bigc" / "types"
TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_]\w*)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<num>-?\d+)|(?P<op>[\[\],|]))"
)
# ("name", "list", [args]), ("union", None, [options]) or ("lit", value, [])
Node = tuple[str, Any, list[Any]]


def parse(text: str) -> Node:
    """A generated annotation (``NotRequired[list[Foo] | None]``) as a tree."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text.rstrip()):
        match = TOKEN.match(text, position)
        assert match, f"cannot parse annotation {text!r} at {position}"
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    node, rest = _union(tokens)
    assert not rest, f"trailing tokens in {text!r}: {rest}"
    return node


def _union(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    options = []
    node, tokens = _atom(tokens)
    options.append(node)
    while tokens and tokens[0] == ("op", "|"):
        node, tokens = _atom(tokens[1:])
        options.append(node)
    return (options[0] if len(options) == 1 else ("union", None, options)), tokens


def _atom(tokens: list[tuple[str, str]]) -> tuple[Node, list[tuple[str, str]]]:
    (kind, value), tokens = tokens[0], tokens[1:]
    if kind == "str":
        return ("lit", value[1:-1], []), tokens
    if kind == "num":
        return ("lit", int(value), []), tokens
    assert kind == "name", f"unexpected {value!r}"
    if value in ("True", "False"):
        return ("lit", value == "True", []), tokens
    args: list[Node] = []
    if tokens and tokens[0] == ("op", "["):
        tokens = tokens[1:]
        while True:
            arg, tokens = _union(tokens)
            args.append(arg)
            separator, tokens = tokens[0], tokens[1:]
            if separator == ("op", "]"):
                break
            assert separator == ("op", ","), f"unexpected {separator}"
    return ("name", value, args), tokens


def annotation_text(annotation: object) -> str:
    if isinstance(annotation, ForwardRef):
        return annotation.__forward_arg__
    assert isinstance(annotation, str), annotation
    return annotation


def is_typed_dict(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, dict) and hasattr(value, "__total__")


class Shapes:
    """Checks values against the types of one generated module."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.open = {
            name.rsplit(".", 1)[1]
            for name in _index.OPEN
            if name.rsplit(".", 1)[0] == module.__name__
        }

    def check(self, value: Any, name: str, where: str = "$") -> list[str]:
        return self.fits(value, ("name", name, []), where)

    def fits(self, value: Any, node: Node, where: str) -> list[str]:
        kind, head, args = node
        if kind == "lit":
            ok = value == head and type(value) is type(head)
            return [] if ok else [f"{where}: {value!r} is not {head!r}"]
        if kind == "union":
            failures = [self.fits(value, option, where) for option in args]
            if any(not f for f in failures):
                return []
            return min(failures, key=len)
        return self.fits_name(value, head, args, where)

    def fits_name(self, value: Any, head: str, args: list[Node], where: str) -> list[str]:
        simple: dict[str, tuple[type, ...]] = {
            "str": (str,),
            "int": (int,),
            "float": (int, float),
            "bool": (bool,),
            "bytes": (bytes,),
        }
        if head == "Any":
            return []
        if head == "None":
            return [] if value is None else [f"{where}: {value!r} is not None"]
        if head in simple:
            ok = isinstance(value, simple[head]) and (head == "bool" or not isinstance(value, bool))
            return [] if ok else [f"{where}: {value!r} is not {head}"]
        if head == "Literal":
            return self.fits(value, ("union", None, args), where)
        if head in ("list", "Collection"):
            if not isinstance(value, (list, tuple, set)):
                return [f"{where}: {type(value).__name__} is not a list"]
            return [
                e for i, item in enumerate(value) for e in self.fits(item, args[0], f"{where}[{i}]")
            ]
        if head == "dict":
            if not isinstance(value, dict):
                return [f"{where}: {type(value).__name__} is not an object"]
            return [e for k, v in value.items() for e in self.fits(v, args[1], f"{where}.{k}")]
        target = getattr(self.module, head)
        if isinstance(target, str):  # a type alias
            return self.fits(value, parse(target), where)
        if get_origin(target) is Literal:  # a long Literal, an alias made at run time
            options: list[Node] = [("lit", option, []) for option in get_args(target)]
            return self.fits(value, ("union", None, options), where)
        assert is_typed_dict(target), head
        return self.fits_record(value, target, head, where)

    def fits_record(self, value: Any, target: Any, head: str, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__} is not a {head} object"]
        errors: list[str] = []
        fields = {key: parse(annotation_text(a)) for key, a in target.__annotations__.items()}
        for key, node in fields.items():
            # By the totality of the class that declares the key (as Python keeps it),
            # unless the annotation says otherwise.
            required = key in target.__required_keys__
            if node[0] == "name" and node[1] in ("Required", "NotRequired"):
                required = node[1] == "Required"
                node = node[2][0]
            if key in value:
                errors += self.fits(value[key], node, f"{where}.{key}")
            elif required:
                errors.append(f"{where}: required key {key!r} of {head} missing")
        if head not in self.open:
            errors += [f"{where}: key {k!r} not in {head}" for k in value if k not in fields]
        return errors


def shapes_of(qualified: str) -> tuple[Shapes, str]:
    module_name, name = qualified.rsplit(".", 1)
    return Shapes(importlib.import_module(module_name)), name


def test_checker_tells_fitting_from_misfitting_values() -> None:
    shapes, name = shapes_of("bigc.types.products_catalog_v3.ProductFull")
    assert (
        shapes.check({"id": 1, "name": "jar", "price": 7, "custom_url": {"url": "/a/"}}, name) == []
    )
    assert shapes.check({"id": "1"}, name) == ["$.id: '1' is not int"]
    assert shapes.check({"prise": 1}, name) == ["$: key 'prise' not in ProductFull"]
    assert shapes.check({"type": "digitl"}, name)  # not one of the Literal values
    assert shapes.check({"custom_url": {"url": 5}}, name) == ["$.custom_url.url: 5 is not str"]
    body, post = shapes_of("bigc.types.products_catalog_v3.ProductBasePOST")
    missing = body.check({"name": "jar"}, post)
    assert "$: required key 'price' of ProductBasePOST missing" in missing


def test_the_checker_reads_every_generated_annotation() -> None:
    """So that the example checks can reach any type the package has."""
    known = {"Any", "None", "str", "int", "float", "bool", "bytes", "list", "dict"}
    known |= {"Collection", "Literal", "Required", "NotRequired", "True", "False"}
    count = 0
    for path in sorted(TARGET.glob("[!_]*.py")):
        module = importlib.import_module(f"bigc.types.{path.stem}")
        aliases = getattr(module, "__annotations__", {})  # X: TypeAlias = "..."
        for name, value in vars(module).items():
            texts = []
            if name in aliases and isinstance(value, str):
                texts = [value]
            elif is_typed_dict(value) and value.__module__ == module.__name__:
                texts = [annotation_text(a) for a in value.__annotations__.values()]
            for text in texts:
                names = set(re.findall(r"\b[A-Za-z_]\w*\b", re.sub(r"'[^']*'", "", text)))
                assert all(n in known or hasattr(module, n) for n in names), (path.stem, text)
                parse(text)
                count += 1
    assert count > 10_000
