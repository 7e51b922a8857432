"""The official BigCommerce OpenAPI files, indexed per resource group, for tests.

``spec_operation("orders_v2", "GET", "/v2/orders/101/shipments/8")`` finds the
operation a request would hit in the spec file of that resource group, or
``None`` when the spec has no such method at that path. Paths are matched
the way OpenAPI says: a template segment ``{name}`` matches one non-empty
segment, and a literal path wins over a templated one (``/carts/settings``
is never ``/carts/{cartId}``). The version prefix (``/v2`` or ``/v3``) comes
from each file's ``servers`` URL, or ``basePath`` for a Swagger 2.0 file.

The files are read from ``$BIGC_SPECS_DIR``, by default
``tests/specs`` (copies of the official files); each one once.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

# The generators' reader of $ref pointers, so the tests read the files as they do.
_SCRIPTS = str(Path(__file__).resolve().parent.parent / "scripts")
if _SCRIPTS not in sys.path:
    sys.path.append(_SCRIPTS)
from spec_refs import resolve_ref  # noqa: E402

__all__ = [
    "GROUP_FILES",
    "SPECS_DIR",
    "Operation",
    "file_operation",
    "spec_document",
    "spec_has",
    "spec_operation",
]

SPECS_DIR = Path(
    os.environ.get(
        "BIGC_SPECS_DIR",
        Path(__file__).resolve().parent / "specs",
    )
)

GROUP_FILES: Mapping[str, tuple[str, ...]] = {
    "carts_v3": ("carts.v3.yml",),
    "categories_v3": ("categories_catalog.v3.yml",),
    "checkouts_v3": ("checkouts.v3.yml",),
    "currencies_v2": ("currencies.v2.yml",),
    "customer_groups_v2": ("customers.v2.yml",),
    "customers_v3": ("customers.v3.yml",),
    "orders_v2": ("orders.v2.oas2.yml",),
    "orders_v3": ("orders.v3.yml",),
    "pricing_v3": ("pricing.sf.yml",),
    "product_variants_v3": ("product-variants_catalog.v3.yml",),
    "products_v3": ("products_catalog.v3.yml",),
    "webhooks_v3": ("webhooks.v3.yml",),
}

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})
STORE_PREFIX = re.compile(r"^/stores/\{[^/}]+\}")
TEMPLATE_PARAM = re.compile(r"\{[^/}]+\}")
TEMPLATE_SPLIT = re.compile(r"(\{[^/}]+\})")

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Operation:
    """One operation of a spec file: what a test may check a request against."""

    file: str
    method: str
    template: str  # with the version prefix: "/v3/carts/{cartId}"
    spec: Mapping[str, Any]
    path_item: Mapping[str, Any]
    document: Mapping[str, Any]

    def resolve(self, node: Any) -> Any:
        """Follow local ``$ref`` pointers until a node that is not one."""
        return resolve_ref(self.document, node, self.file)

    def _parameters(self) -> Iterator[Mapping[str, Any]]:
        for raw in [*self.path_item.get("parameters", []), *self.spec.get("parameters", [])]:
            yield self.resolve(raw)

    @property
    def query_names(self) -> frozenset[str]:
        """The query parameters the spec documents for this operation."""
        return frozenset(p["name"] for p in self._parameters() if p.get("in") == "query")

    @property
    def body_types(self) -> frozenset[str] | None:
        """JSON types the request body may have (``array``, ``object``…).

        ``None`` when the operation takes no body at all; an empty set when it
        takes one whose type the spec leaves open.
        """
        body_params = [p for p in self._parameters() if p.get("in") == "body"]  # Swagger 2.0
        if body_params:
            schemas = [body_params[0].get("schema", {})]
        elif "requestBody" in self.spec:
            content = self.resolve(self.spec["requestBody"]).get("content", {})
            schemas = [media.get("schema", {}) for media in content.values()]
        else:
            return None
        return frozenset(t for schema in schemas for t in self._json_types(schema))

    @property
    def body_required(self) -> bool:
        """Whether the spec says a request body must be sent."""
        for param in self._parameters():
            if param.get("in") == "body":
                return bool(param.get("required"))
        return bool(self.resolve(self.spec.get("requestBody", {})).get("required"))

    def json_example(self, holder: Mapping[str, Any]) -> Any:
        """The example of a request body or a response: its JSON media's, or ``None``."""
        examples = holder.get("examples", {})  # Swagger 2.0 responses: by media type
        if "application/json" in examples:
            return examples["application/json"]
        for kind, media in holder.get("content", {}).items():
            if "json" not in kind:
                continue
            if "example" in media:
                return media["example"]
            for example in media.get("examples", {}).values():
                value = self.resolve(example).get("value")
                if value is not None:
                    return value
            return self.resolve(media.get("schema", {})).get("example")
        return None

    def check_sent(self, query: set[str], body: Any) -> None:
        """Assert that a request with these query keys and JSON body fits the operation."""
        unknown = query - self.query_names
        assert not unknown, f"query {sorted(unknown)} not documented for {self.template}"
        body_types = self.body_types
        if body is None:
            assert not self.body_required, f"{self.template} requires a body"
            return
        assert body_types is not None, f"{self.template} takes no body"
        sent = "array" if isinstance(body, list) else "object"
        assert not body_types or sent in body_types, (sent, body_types)

    def _json_types(self, schema: Any) -> Iterator[str]:
        schema = self.resolve(schema)
        if isinstance(schema.get("type"), str):
            yield schema["type"]
        elif "properties" in schema:
            yield "object"
        elif "items" in schema:
            yield "array"
        for part in [*schema.get("allOf", []), *schema.get("anyOf", []), *schema.get("oneOf", [])]:
            yield from self._json_types(part)


@dataclass(frozen=True)
class _Template:
    template: str
    pattern: re.Pattern[str]
    specificity: tuple[bool, ...]  # True where a segment is templated: fewer wins
    file: str
    path_item: Mapping[str, Any]
    document: Mapping[str, Any]


def _version_prefix(document: Mapping[str, Any], file: str) -> str:
    if "swagger" in document:
        base = str(document.get("basePath", ""))
    else:
        servers = document.get("servers") or []
        if not servers:
            raise ValueError(f"{file}: no servers URL, so no /v2 or /v3 prefix")
        base = urlsplit(str(servers[0]["url"])).path
    prefix = STORE_PREFIX.sub("", base.rstrip("/"))
    if prefix not in {"/v2", "/v3"}:
        raise ValueError(f"{file}: unexpected API base {base!r}")
    return prefix


def _compile(template: str) -> tuple[re.Pattern[str], tuple[bool, ...]]:
    """A regex matching the concrete paths of ``template``, and its specificity."""
    segments = template.strip("/").split("/")
    regex = "/".join(
        "".join(
            "[^/]+" if TEMPLATE_PARAM.fullmatch(piece) else re.escape(piece)
            for piece in TEMPLATE_SPLIT.split(segment)
            if piece
        )
        for segment in segments
    )
    return re.compile("/" + regex), tuple("{" in segment for segment in segments)


@cache
def _load(file: str) -> tuple[_Template, ...]:
    path = SPECS_DIR / file
    if not path.is_file():
        raise FileNotFoundError(
            f"BigCommerce spec {path} not found; set BIGC_SPECS_DIR to the folder of the "
            "official OpenAPI files"
        )
    with path.open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=Loader)
    prefix = _version_prefix(document, file)
    templates = []
    for spec_path, item in document["paths"].items():
        template = prefix + spec_path
        pattern, specificity = _compile(template)
        templates.append(_Template(template, pattern, specificity, file, item, document))
    return tuple(templates)


def spec_document(file: str) -> Mapping[str, Any]:
    """The whole parsed spec file (read once)."""
    templates = _load(file)
    return templates[0].document if templates else {}


@cache
def _group_templates(group: str) -> tuple[_Template, ...]:
    try:
        files = GROUP_FILES[group]
    except KeyError:
        raise KeyError(f"no spec file is mapped for resource group {group!r}") from None
    return tuple(t for file in files for t in _load(file))


def spec_operation(group: str, method: str, path: str) -> Operation | None:
    """The operation ``METHOD path`` hits in ``group``'s spec, or ``None``.

    ``path`` is the concrete request path from the version on, as sent
    (percent-escapes kept): ``/v3/catalog/products/5/variants/7``.
    """
    return _match(_group_templates(group), method, path)


def file_operation(file: str, method: str, path: str) -> Operation | None:
    """The operation ``METHOD path`` hits in one spec file, or ``None``."""
    return _match(_load(file), method, path)


def _match(templates: tuple[_Template, ...], method: str, path: str) -> Operation | None:
    matches = [t for t in templates if t.pattern.fullmatch(path)]
    if not matches:
        return None
    best = min(matches, key=lambda t: t.specificity)
    spec = best.path_item.get(method.lower())
    if method.lower() not in HTTP_METHODS or not isinstance(spec, Mapping):
        return None
    return Operation(best.file, method.upper(), best.template, spec, best.path_item, best.document)


def spec_has(group: str, method: str, path: str) -> bool:
    """Whether ``METHOD path`` exists in the spec of resource group ``group``."""
    return spec_operation(group, method, path) is not None
