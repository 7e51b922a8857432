"""bigc.types: the generated TypedDicts cover every operation and fit the spec's examples.

The shape checker here reads the generated modules themselves (their
annotations, as written) and tells whether a value fits a type: keys
declared (unless the schema allows others), required keys present, values
of the declared types all the way down. Every response example of the
official files is checked against the result type of its operation; the
examples BigCommerce's files get wrong are listed in ``WRONG_EXAMPLES`` with
the reason, and the list is kept exact (an entry that starts to pass fails).
"""

from __future__ import annotations

import datetime
import fnmatch
import importlib
import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, ForwardRef

import pytest
import yaml

from bigc.types import _index

ROOT = Path(__file__).resolve().parent.parent


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_types", ROOT / "scripts" / "gen_types.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_types", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = _load_generator()
SPECS_DIR: Path = gen.SPECS_DIR
needs_specs = pytest.mark.skipif(
    not SPECS_DIR.is_dir(), reason=f"the official OpenAPI files are not at {SPECS_DIR}"
)


@cache
def documents() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in gen.management_files(SPECS_DIR):
        with path.open(encoding="utf-8") as handle:
            found[path.name] = yaml.load(handle, Loader=gen.Loader)
    return found


# -- the shape checker ------------------------------------------------------

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
        assert is_typed_dict(target), head
        return self.fits_record(value, target, head, where)

    def fits_record(self, value: Any, target: Any, head: str, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__} is not a {head} object"]
        errors: list[str] = []
        fields = {key: parse(annotation_text(a)) for key, a in target.__annotations__.items()}
        for key, node in fields.items():
            required = target.__total__
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


# -- the index --------------------------------------------------------------


def spec_operations() -> Iterator[tuple[str, str, str, Mapping[str, Any]]]:
    for file, document in documents().items():
        for path, item in (document.get("paths") or {}).items():
            for method in gen.HTTP_METHODS:
                if isinstance(item.get(method), Mapping):
                    yield file, method.upper(), path, item[method]


@needs_specs
def test_every_management_operation_is_in_the_index() -> None:
    expected = {(file, method, path) for file, method, path, _ in spec_operations()}
    assert len(expected) > 600
    assert set(_index.ROUTES) == expected
    for file, method, path, operation in spec_operations():
        assert _index.ROUTES[(file, method, path)][0] == operation.get("operationId")


@needs_specs
def test_storefront_and_provider_files_are_left_out() -> None:
    files = {key[0] for key in _index.ROUTES}
    assert not any(f.endswith(".sf.yml") for f in files)
    assert not files & gen.EXCLUDED
    assert "orders.v2.oas2.yml" in files


def test_operations_are_keyed_by_operation_id_and_by_file() -> None:
    assert (
        _index.OPERATIONS["getProduct"] == _index.OPERATIONS["products_catalog.v3.yml#getProduct"]
    )
    body, params, result = _index.OPERATIONS["createProduct"]
    assert params == "bigc.types.products_catalog_v3.CreateProductParams"
    assert body == "bigc.types.products_catalog_v3.ProductBasePOST"
    assert result == "bigc.types.products_catalog_v3.ProductFull"
    # Two files name an operation getCustomers: only the qualified keys exist.
    assert "getCustomers" not in _index.OPERATIONS
    v2 = _index.OPERATIONS["customers.v2.yml#getCustomers"]
    v3 = _index.OPERATIONS["customers.v3.yml#getCustomers"]
    assert v2[2] == "bigc.types.customers_v2.CustomerFull"
    assert v3[2] is not None and v3[2].startswith("bigc.types.customers_v3.")


def test_every_name_in_the_index_exists() -> None:
    names = {n for row in _index.ROUTES.values() for n in row[1:] if n is not None}
    assert len(names) > 500
    for qualified in sorted(names | _index.OPEN):
        module_name, name = qualified.rsplit(".", 1)
        target = getattr(importlib.import_module(module_name), name)
        assert is_typed_dict(target) or isinstance(target, str), qualified


def test_list_results_are_their_items() -> None:
    """A list's result type is one item: v3 unwrapped from data, v2 as is."""
    assert _index.OPERATIONS["getProducts"][2] == "bigc.types.products_catalog_v3.GetProductsResult"
    assert _index.OPERATIONS["getOrders"][2] == "bigc.types.orders_v2.OrderResp"


# -- the package ------------------------------------------------------------


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_modules_import_without_typing_extensions() -> None:
    """Annotations stay strings: nothing beyond ``typing`` is needed at run time."""
    out = run_python(
        "import sys, importlib, pkgutil\n"
        "sys.modules['typing_extensions'] = None\n"
        "import bigc.types as t\n"
        "for m in pkgutil.iter_modules(t.__path__):\n"
        "    importlib.import_module('bigc.types.' + m.name)\n"
        "from bigc.types.products_catalog_v3 import ProductFull\n"
        "print(ProductFull(id=1, name='jar') == {'id': 1, 'name': 'jar'})\n"
    )
    assert out == "True\n"


def test_import_bigc_does_not_import_the_types() -> None:
    out = run_python(
        "import sys, bigc\nprint(sorted(m for m in sys.modules if 'types' in m and 'bigc' in m))"
    )
    assert out == "[]\n"


@needs_specs
def test_generated_package_is_up_to_date() -> None:
    present = {p.name: p.read_text(encoding="utf-8") for p in gen.TARGET.glob("*.py")}
    assert gen.generate(SPECS_DIR) == present


# -- the spec's examples ----------------------------------------------------


def response_examples() -> Iterator[tuple[str, str, Any]]:
    """(operation key, example name, unwrapped value) of every 2xx answer example.

    The example of the response the result type comes from (the first 2xx
    with a JSON schema); content keys that are no media type (the checkout
    files file examples under names such as ``Coupon Applied``) count too.
    """
    for file, method, path, operation in spec_operations():
        result = _index.ROUTES[(file, method, path)][3]
        if result is None:
            continue
        module = gen.SpecModule(file, documents()[file])
        found = module.success(operation)
        assert found is not None
        code, response, _ = found
        for kind, media in (response.get("content") or {}).items():
            if "json" not in kind and "/" in kind:
                continue
            for name, example in media_examples(module, media):
                for item in unwrap(module, example):
                    yield f"{file} {method} {path} {code} {kind} {name}", result, item


def media_examples(module: Any, media: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in media:
        yield "example", media["example"]
    for name, example in (media.get("examples") or {}).items():
        example = module.resolve(example)
        if isinstance(example, Mapping) and "value" in example:
            yield str(name), example["value"]
    schema = module.resolve(media.get("schema"))
    if isinstance(schema, Mapping) and "example" in schema:
        yield "schema example", schema["example"]


def as_json(value: Any) -> Any:
    """The example as JSON would carry it (YAML reads unquoted dates as datetimes)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    return value


def unwrap(module: Any, example: Any) -> list[Any]:
    """What bigc hands back for this answer: the items of a list, v3 ``data``."""
    example = as_json(example)
    if module.v3 and isinstance(example, Mapping) and "data" in example:
        example = example["data"]
    return example if isinstance(example, list) else [example]


# Examples in the official files that do not fit their own schemas, as
# fnmatch patterns over "file METHOD path status content example".
SETTINGS_EXTRAS = (
    "allow_global_logins and ask_shopper_for_tracking_consent_on_checkout are not in the schema"
)
MODIFIER_VALUE = "option_id is not in the modifier value schema"
MAP_PRICE = "map_price is not in the variant schema"
SURCHARGE = (
    "handling_fees.fixed_surcharge is a string where the method schema has a number, and"
    " a number where the zone schema has a string; one has both surcharges of a oneOf"
)
CHECKOUT_EXTRAS = (
    "line items carry coupons and addresses carry country (and one cart"
    " manual_discount_amount, one checkout staff_note): not in the checkout schema"
)
WRONG_EXAMPLES = {
    "carts.v3.yml DELETE /carts/{cartId}/items/{itemId} *": (
        "a physical item's parent_id is {} and it has options; the schema has neither"
    ),
    "category-trees_catalog.v3.yml GET /catalog/trees/{tree_id}/categories *": (
        "children are strings, not category nodes"
    ),
    "checkouts.v3.yml * /checkouts/{checkoutId} 200 *": CHECKOUT_EXTRAS,
    "checkouts.v3.yml * /checkouts/{checkoutId}/[bcd]* 200 *": CHECKOUT_EXTRAS,
    "checkouts.v3.yml * /checkouts/settings 200 application/json *": (
        "order_confirmation_sri_hash is not in the schema"
    ),
    "customers.v3.yml * /customers 200 *": (
        "shopper_profile_id and segment_ids are not in the schema"
    ),
    "customers.v3.yml PUT /customers/settings *": SETTINGS_EXTRAS,
    "customers.v3.yml * /customers/settings/channels/{channel_id} *": SETTINGS_EXTRAS,
    "customers.v3.yml * /customers/addresses 200 application/json application/json": (
        "one address with meta inside it instead of {data: [...], meta}"
    ),
    "orders.v2.oas2.yml GET /order_statuses*": "statuses carry order, not in the schema",
    "orders.v2.oas2.yml * /orders 200 *": (
        "orders carry credit_card_type and custom_status, not in the schema"
    ),
    "orders.v2.oas2.yml * /orders/{order_id} 200 *": (
        "orders carry credit_card_type and custom_status; one example has a key"
        " 'currency_code\"' (stray quote), another a list of fees where the schema has an object"
    ),
    "orders.v2.oas2.yml GET /orders/{order_id}/fees *": (
        "the fees come wrapped in {fees: [...]}; the schema is one fee"
    ),
    "orders.v2.oas2.yml GET /orders/{order_id}/products/{product_id} * Product with file upload": (
        "a product option has the key 'option id' (with a space)"
    ),
    "pages.v3.yml GET /content/pages/{pageId} * Link": "meta is inside data",
    "pages.v3.yml GET /content/pages/{pageId} * Raw": "content_type is not in the raw page schema",
    "product-modifiers_catalog.v3.yml POST /catalog/products/{product_id}/modifiers *": (
        "the schema nests the modifier in data.items; the example has it as data"
    ),
    "product-modifiers_catalog.v3.yml [PU]* /catalog/products/*/values 200 *": MODIFIER_VALUE,
    "product-modifiers_catalog.v3.yml [PU]* /catalog/products/*/{value_id} 200 *": MODIFIER_VALUE,
    "product-variants_catalog.v3.yml GET /catalog/products/{product_id}/variants 200 *": MAP_PRICE,
    "product-variants_catalog.v3.yml * /catalog/products/*/{variant_id} 200 *": MAP_PRICE,
    "product-variants_catalog.v3.yml POST /catalog/products/*/variants 200 * example-2": MAP_PRICE,
    "products_catalog.v3.yml * /catalog/products/{product_id}/images*": (
        "images carry image_file, which only the upload schema names"
    ),
    "products_catalog.v3.yml * /catalog/products 200 *": (
        "images carry image_file, which only the upload schema names"
    ),
    "products_catalog.v3.yml PUT /catalog/products/{product_id} 200 *": (
        "reviews_rating_sum is 3.2 (an integer in the schema), option_values is an object"
        " (a list in the schema), images carry image_file"
    ),
    "products_catalog.v3.yml * /catalog/products/{product_id}/reviews*": (
        "product_id is not in the review schema"
    ),
    "settings.v3.yml * /settings/email-statuses *": (
        "names emails (createaccount_email, ...) the schema does not"
    ),
    "shipping.v2.yml GET /shipping/zones 200 application/json Example 2*": SURCHARGE,
    "shipping.v2.yml * /shipping/zones/{zone_id}/methods*": SURCHARGE,
    "sites.v3.yml PUT /sites/{site_id}/certificate 200 Example *": (
        "an example filed as a media type, its value a string"
    ),
    "store_content.v2.yml GET /redirects 200 Response Schema *": (
        "an example filed as a media type, its value a string"
    ),
    "store_content.v2.yml [PU]* /blog/posts*": "id is not in the blog post response schema",
    "widgets.v3.yml * /content/[pw]*": (
        "widget templates carry channel_id and client_rerender, not in the schema"
    ),
}


@needs_specs
def test_response_examples_fit_the_result_types() -> None:
    """Every example fits, but for those the official files get wrong (listed, with why)."""
    checked: dict[str, bool] = {}
    for key, result, value in response_examples():
        shapes, name = shapes_of(result)
        checked[key] = checked.get(key, True) and not shapes.check(value, name)
    assert len(checked) > 350
    unexplained = [k for k, fits in checked.items() if not fits and not wrong_example(k)]
    assert unexplained == []
    for pattern in WRONG_EXAMPLES:
        matched = [k for k in checked if fnmatch.fnmatchcase(k, pattern)]
        assert matched, f"no example matches {pattern!r}"
        assert [k for k in matched if checked[k]] == [], f"examples of {pattern!r} fit now"


def wrong_example(key: str) -> bool:
    return any(fnmatch.fnmatchcase(key, pattern) for pattern in WRONG_EXAMPLES)
