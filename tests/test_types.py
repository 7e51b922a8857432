"""bigc.types: the generated TypedDicts cover every operation and fit the spec's examples.

Every response example of the official files is checked against the result
type of its operation, and every request example against its body type, by
the shape checker of tests/test_types_shapes.py; the examples BigCommerce's
files get wrong are listed (``WRONG_EXAMPLES``, ``WRONG_BODY_EXAMPLES``) with
the reason, and the lists are kept exact (an entry that starts to pass fails).
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
from typing import Any, get_origin

import pytest
import yaml

from bigc.types import _index
from tests.test_types_shapes import is_typed_dict, shapes_of

ROOT = Path(__file__).resolve().parent.parent


def _load_generator() -> Any:
    """scripts/gen_types.py (and gen_types_text.py beside it, which it imports)."""
    if str(ROOT / "scripts") not in sys.path:
        sys.path.append(str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("gen_types", ROOT / "scripts" / "gen_types.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_types", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = _load_generator()
writer: Any = importlib.import_module("gen_types_text")  # beside it; on the path now
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
        assert is_typed_dict(target) or isinstance(target, str) or get_origin(target), qualified


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
FEE_COST = "a fee has cost_exc_tax, not in the fee schemas"
PRODUCT_OPTION_VALUE = "a product option's value is a number; the schema says string"
OPTION_SELECTIONS = (
    "option_selections give option_value as text or objects and value as numbers or"
    " booleans; the schema says an integer and a string"
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
    assert_examples_fit(response_examples(), WRONG_EXAMPLES, at_least=350)


def body_examples() -> Iterator[tuple[str, str, Any]]:
    """(operation key, example name, value) of every JSON request body example."""
    for file, method, path, operation in spec_operations():
        body = _index.ROUTES[(file, method, path)][1]
        module = gen.SpecModule(file, documents()[file])
        request = module.resolve(operation.get("requestBody"))
        if body is None or not isinstance(request, Mapping):
            continue
        for kind, media in (request.get("content") or {}).items():
            if "json" in kind:
                for name, example in media_examples(module, media):
                    yield f"{file} {method} {path} {kind} {name}", body, as_json(example)


# Request examples that do not fit their own body schema; a body written as
# they are is an error under mypy.
WRONG_BODY_EXAMPLES = {
    "carts.v3.yml POST /carts application/json Cart with [dfv]*": OPTION_SELECTIONS,
    "carts.v3.yml POST /carts/{cartId}/items application/json Example 1": OPTION_SELECTIONS,
    "carts.v3.yml POST /carts application/json Custom item": (
        "a custom item has gift_wrapping, not in the schema"
    ),
    "carts.v3.yml POST /carts/{cartId}/redirect_urls *": (
        "query_params has keys (key_1, key_2) its schema does not name"
    ),
    "checkouts.v3.yml POST /checkouts/{checkoutId}/discounts *": (
        "version is not in the discount request schema"
    ),
    "marketing.v2.yml * /coupons* application/json schema example": (
        "the example of the coupon schema is a response (id, num_uses, date_created)"
    ),
    "orders.v2.oas2.yml PUT /orders/{order_id} * Adding an existing product to order": (
        PRODUCT_OPTION_VALUE
    ),
    "orders.v2.oas2.yml PUT /orders/{order_id} * Removing a product from an order": (
        PRODUCT_OPTION_VALUE
    ),
    "orders.v2.oas2.yml PUT /orders/{order_id} * [AU]* fee*": FEE_COST,
    "orders.v2.oas2.yml POST /orders * Create an order with fees *": FEE_COST,
    "orders.v3.yml PUT /orders/settings application/json schema example": (
        "the example is a literal {'$ref': ...}"
    ),
    "process_payments.yml POST /payments application/json Tokenized Card": (
        "iin, last_four_digits and expiration_month are numbers; the schema says strings"
    ),
    "product-modifiers_catalog.v3.yml POST /catalog/products/{product_id}/modifiers *": (
        "option values carry label and weight/purchasing_disabled adjusters the schema lacks"
    ),
    "products_catalog.v3.yml PUT /catalog/products *": (
        "images carry image_file, which only the upload schema names"
    ),
    "settings.v3.yml PUT /settings/email-statuses *": (
        "names emails (createaccount_email, ...) the schema does not"
    ),
    "shipping.v2.yml * /shipping/zones/{zone_id}/methods*": SURCHARGE,
    "store_content.v2.yml * /blog/posts* application/json schema example": (
        "preview_url, summary and published_date_iso8601 are not in the post schema"
    ),
}


@needs_specs
def test_request_examples_fit_the_body_types() -> None:
    assert_examples_fit(body_examples(), WRONG_BODY_EXAMPLES, at_least=120)


def assert_examples_fit(
    examples: Iterator[tuple[str, str, Any]], wrong: Mapping[str, str], at_least: int
) -> None:
    """Each example fits its type unless ``wrong`` lists it; each listed one fails."""
    checked: dict[str, bool] = {}
    for key, qualified, value in examples:
        shapes, name = shapes_of(qualified)
        checked[key] = checked.get(key, True) and not shapes.check(value, name)
    assert len(checked) >= at_least

    def listed(key: str) -> bool:
        return any(fnmatch.fnmatchcase(key, pattern) for pattern in wrong)

    assert [k for k, fits in checked.items() if not fits and not listed(k)] == []
    for pattern in wrong:
        matched = [k for k in checked if fnmatch.fnmatchcase(k, pattern)]
        assert matched, f"no example matches {pattern!r}"
        assert [k for k in matched if checked[k]] == [], f"examples of {pattern!r} fit now"


def test_no_annotation_is_split_over_joined_strings() -> None:
    """Pyright reads an implicitly joined annotation string as Unknown; none is written."""
    joined = re.compile(r'"\n\s+"')
    for path in sorted(gen.TARGET.glob("*.py")):
        assert not joined.search(path.read_text(encoding="utf-8")), path.name


class Names:
    """A stand-in for the module being generated: unique names only."""

    file = "x.yml"

    def __init__(self) -> None:
        self.defs: list[Any] = []
        self.taken: set[str] = set()

    unique = gen.SpecModule.unique  # the generator's own naming, on this stand-in


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ('Literal["a", "b"]', ["Short: TypeAlias = \"Literal['a', 'b']\""]),
        (
            "Literal[" + ", ".join(f'"value_{n}"' for n in range(12)) + "]",
            ["Short: TypeAlias = Literal[", '    "value_0",', '    "value_11",', "]"],
        ),
        (
            "Collection[Literal[" + ", ".join(f'"value_{n}"' for n in range(12)) + "]] | str",
            [
                "ShortValues: TypeAlias = Literal[",
                'Short: TypeAlias = "Collection[ShortValues] | str"',
            ],
        ),
        (
            " | ".join(f"SomeRatherLongTypedDictName{n}" for n in range(6)),
            ["ShortPart: TypeAlias = (", 'Short: TypeAlias = "ShortPart | ShortPart2"'],
        ),
        (
            "list[" + " | ".join(f"SomeRatherLongTypedDictName{n}" for n in range(4)) + "]",
            [
                'ShortItem: TypeAlias = "ShortItemPart | ShortItemPart2"',
                'Short: TypeAlias = "list[ShortItem]"',
            ],
        ),
    ],
)
def test_long_aliases_are_cut_into_aliases_that_fit(annotation: str, expected: list[str]) -> None:
    used: list[str] = []
    source = "\n".join(writer.alias_block(Names(), "Short", annotation, "Doc.", used))
    lines = source.splitlines()
    assert all(line in lines for line in expected), lines
    assert all(len(line) <= 100 for line in lines)
    compile(source, "aliases", "exec")  # one statement each, no string joined to another
    assert not re.search(r'"\n\s+"', source)


@needs_specs
def test_check_mode_fails_on_a_stale_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = {p.name: p.read_text(encoding="utf-8") for p in gen.TARGET.glob("*.py")}
    for name, text in fresh.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(gen, "TARGET", tmp_path)
    (tmp_path / "orders_v2.py").write_text(fresh["orders_v2.py"] + "# edited\n", encoding="utf-8")
    (tmp_path / "left_over.py").write_text("", encoding="utf-8")
    assert gen.main(["--check"]) == 1
    assert "left_over.py, orders_v2.py" in capsys.readouterr().out
    assert gen.main([]) == 0  # writes the package again, and removes what it no longer has
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.py")} == fresh
