"""Every row of the endpoint table, through both clients, checked against the OpenAPI files.

The cases come from the table itself (``tests/endpoint_cases.py``): for each
operation the generated method is called with IDs and a body, and the request
that goes out (method, escaped path, query, body, headers) is compared with
what the row says and looked up in the official spec file of that operation:
the same operation must be hit, with documented query parameters and a body
of the documented type. A second part checks that the table covers every
operation of the REST management API's files, listing what is left out.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bigc import ENDPOINTS, AsyncBigCommerceAPI, BigCommerceAPI, Response, Timeout
from bigc._endpoints import LEFT_OUT, LIST_RESULTS, Endpoint
from tests.endpoint_cases import CASES, RowCase, case_of, sent_json
from tests.spec_index import SPECS_DIR, file_operation
from tests.support import AsyncTransport, SyncTransport, json_response, split
from tests.test_resources import PREFIX, TOKEN, Harness

EXCLUDED_FILES = {
    "tax_provider.yml",
    "shipping_provider.yml",
    "customer_login.yml",
    "current_customer.yml",
    "process_payments.yml",
}
HOSTILE = "../../v2/orders"
ESCAPED_HOSTILE = "..%2F..%2Fv2%2Forders"
TIMEOUT = 9

by_case = pytest.mark.parametrize("case", CASES, ids=[c.call for c in CASES])
by_flavor = pytest.mark.parametrize("flavor", ["sync", "async"])
ID_CASES = [c for c in CASES if c.row.args and c.row.kind in ("request", "either")]


# ---------------------------------------------------------------------------
# The request each method sends


@by_flavor
@by_case
async def test_sends_the_request_of_its_row(flavor: str, case: RowCase) -> None:
    harness = Harness(flavor, case.answer())
    returned = harness.method(case.call)(*case.positional, timeout=TIMEOUT)
    assert isinstance(returned, (Iterator, AsyncIterator)) == case.row.is_list
    result = await harness.resolve(returned)

    [request] = harness.requests
    method, path, query = split(request)
    assert (method, path, query) == (case.row.http_method, PREFIX + case.path, case.query)
    if case.row.body == "form":  # always a multipart form (tests/test_uploads.py reads them)
        assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    else:
        assert sent_json(request.body) == case.body
    assert request.headers["X-Auth-Token"] == TOKEN
    assert request.timeout == Timeout(connect=TIMEOUT, read=TIMEOUT)
    assert result == case.returns()


@by_case
def test_request_is_the_rows_operation_in_the_spec(case: RowCase) -> None:
    """The sent path hits exactly the row's operation, with documented query and body."""
    row = case.row
    operation = file_operation(row.spec_file, row.http_method, case.path)
    assert operation is not None, f"{row.http_method} {case.path} is not in {row.spec_file}"
    assert operation.template == f"/{row.api}{row.spec_path}", "another operation is hit"
    assert operation.spec.get("operationId", operation.template) == row.operation_id or (
        "operationId" not in operation.spec
    )
    query = set(case.query) - PAGING_NOT_DOCUMENTED.get(row.operation_id, set())
    operation.check_sent(query, case.body)


# Lists that document ``page`` but not ``limit``: the pages are the server's
# (``total_pages`` comes from its ``meta``), so a ``limit`` it ignored would skip
# or repeat nothing.
PAGING_NOT_DOCUMENTED: dict[str, set[str]] = {"getCategorySortOrders": {"limit"}}


@by_flavor
@pytest.mark.parametrize("case", ID_CASES, ids=[c.call for c in ID_CASES])
async def test_every_id_is_escaped(flavor: str, case: RowCase) -> None:
    """Each ID, replaced by a hostile one, fills exactly one segment of the path."""
    for position in range(len(case.row.args)):
        args = list(case.args)
        args[position] = HOSTILE
        hostile = RowCase(case.row, tuple(args), case.data)
        harness = Harness(flavor, hostile.answer())
        await harness.resolve(harness.method(case.call)(*hostile.positional))
        sent = split(harness.requests[0])[1].removeprefix(PREFIX).split("/")
        template = f"/{case.row.api}{case.row.path}".split("/")
        assert len(sent) == len(template), sent
        assert sent.count(ESCAPED_HOSTILE) == 1


@by_flavor
@pytest.mark.parametrize("case", ID_CASES, ids=[c.call for c in ID_CASES])
async def test_empty_ids_raise_before_any_request(flavor: str, case: RowCase) -> None:
    for position, name in enumerate(case.row.args):
        for bad in ("", " ", None):
            if bad is None and case.row.kind == "either":
                continue
            args = list(case.args)
            args[position] = bad
            harness = Harness(flavor, case.answer())
            with pytest.raises(ValueError, match=name):
                await harness.resolve(
                    harness.method(case.call)(*args, *case.positional[len(args) :])
                )
            assert harness.requests == []


# ---------------------------------------------------------------------------
# Options: declared once, checked at run time the same way


def _options_kind(row: Endpoint) -> str:
    if row.result in LIST_RESULTS:
        return "ListOptions"
    return "CallOptions" if row.retryable else "WriteOptions"


@by_case
def test_signature_is_the_same_sync_and_async(case: RowCase) -> None:
    sync_api = BigCommerceAPI("s", TOKEN, transport=SyncTransport())
    async_api = AsyncBigCommerceAPI("s", TOKEN, transport=AsyncTransport())
    group, name = case.row.group, case.row.method
    sync_sig = inspect.signature(getattr(getattr(sync_api, group), name))
    async_sig = inspect.signature(getattr(getattr(async_api, group), name))
    assert [(p.name, p.kind, p.default) for p in sync_sig.parameters.values()] == [
        (p.name, p.kind, p.default) for p in async_sig.parameters.values()
    ]
    options = list(sync_sig.parameters.values())[-1]
    assert str(options.annotation) == f"Unpack[{_options_kind(case.row)}]"


@by_flavor
@by_case
async def test_options_it_does_not_take_are_refused(flavor: str, case: RowCase) -> None:
    row = case.row
    refused: list[dict[str, Any]] = [{"retry": 1}, {"param": {}}]
    if not row.retryable:
        refused.append({"retries": 0})
    if not row.is_list:
        refused += [{"page_size": 10}, {"concurrency": 2}]
    for options in refused:
        harness = Harness(flavor, case.answer())
        with pytest.raises(TypeError, match=next(iter(options))):
            await harness.resolve(harness.method(case.call)(*case.positional, **options))
        assert harness.requests == []


@by_flavor
@by_case
async def test_headers_and_params_reach_the_request(flavor: str, case: RowCase) -> None:
    harness = Harness(flavor, case.answer())
    options: dict[str, Any] = {"headers": {"X-Trace": "t1"}, "params": {"channel_id": 2}}
    if case.row.retryable:
        options["retries"] = 0
    await harness.resolve(harness.method(case.call)(*case.positional, **options))
    [request] = harness.requests
    assert request.headers["X-Trace"] == "t1"
    assert split(request)[2]["channel_id"] == "2"


# ---------------------------------------------------------------------------
# Coverage: every management operation of the files is a row


def _management_operations() -> set[tuple[str, str, str]]:
    operations = set()
    for path in sorted(SPECS_DIR.iterdir()):
        name = path.name
        if not name.endswith((".yml", ".yaml")) or name in EXCLUDED_FILES:
            continue
        if ".sf." in name and name != "pricing.sf.yml":
            continue
        document = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for spec_path, item in document["paths"].items():
            for method in ("get", "post", "put", "delete", "patch"):
                if method in item:
                    operations.add((name, method.upper(), spec_path))
    return operations


def test_table_covers_every_management_operation() -> None:
    listed = {(r.spec_file, r.http_method, r.spec_path) for r in ENDPOINTS}
    in_files = _management_operations()
    assert in_files - listed == set(), "operations without a method"
    assert listed - in_files == set(), "rows for operations that are not in the files"
    assert len(in_files) > 600


def test_left_out_files_are_listed_with_a_reason() -> None:
    assert set(LEFT_OUT) == EXCLUDED_FILES
    assert all(len(reason) > 20 for reason in LEFT_OUT.values())
    shared = Path(__file__).resolve().parents[2] / "shared" / "specs" / "bigcommerce"
    if shared.is_dir():  # the official folder: nothing else is missing from tests/specs
        official = {p.name for p in shared.iterdir() if ".sf." not in p.name}
        copied = {p.name for p in SPECS_DIR.iterdir()}
        assert official - copied <= EXCLUDED_FILES


def test_every_method_of_every_group_is_a_row() -> None:
    api = BigCommerceAPI("s", TOKEN, transport=SyncTransport())
    groups = {row.group for row in ENDPOINTS}
    for group in groups:
        cls = type(getattr(api, group))
        generated = {
            n
            for n, member in inspect.getmembers(cls, callable)
            if not n.startswith("_") and member.__module__ == cls.__module__
        }
        assert generated == {r.method for r in ENDPOINTS if r.group == group}, group
    extras = type(api.webhooks_v3).__mro__[1]  # a hand-written mixin comes first
    assert {"create_or_update", "reactivate"} <= set(vars(extras))


def test_endpoints_are_read_only_records() -> None:
    row = ENDPOINTS[0]
    with pytest.raises(AttributeError):
        row.path = "/x"  # type: ignore[misc]
    assert isinstance(ENDPOINTS, tuple)
    assert len({(r.group, r.method) for r in ENDPOINTS}) == len(ENDPOINTS)


def test_cases_cover_the_table() -> None:
    assert [c.row for c in CASES] == list(ENDPOINTS)
    assert case_of(ENDPOINTS[0]).row is ENDPOINTS[0]
    assert json_response(200, {}).status_code == 200


# ---------------------------------------------------------------------------
# The spec's own answers decode into what each method returns


def _example(row: Endpoint) -> tuple[int, Any] | None:
    """The first success answer the spec shows for the row's operation, if any."""
    operation = file_operation(row.spec_file, row.http_method, case_of(row).path)
    assert operation is not None
    for status, response in sorted(operation.spec.get("responses", {}).items(), key=str):
        if not str(status).startswith("2"):
            continue
        response = operation.resolve(response)
        found = operation.json_example(response)
        if found is not None:
            return int(status), found
        return None
    return None


EXAMPLES = [(row, found) for row in ENDPOINTS if (found := _example(row)) is not None]

# Examples in the official files that contradict their own schema, and so what
# BigCommerce answers: left unchecked, each with the reason.
NO_ENVELOPE = "the example leaves out the `data` envelope its schema documents"
SPEC_EXAMPLE_FLAWS = {
    "customers_v3.create_address": NO_ENVELOPE,
    "customers_v3.create_addresses": NO_ENVELOPE,
    "customers_v3.get_address": NO_ENVELOPE,
    "customers_v3.update_address": NO_ENVELOPE,
    "customers_v3.update_addresses": NO_ENVELOPE,
    "customers_v3.get_settings": NO_ENVELOPE,
    "customers_v3.get_settings_channel": NO_ENVELOPE,
    "customers_v3.update_settings": NO_ENVELOPE,
    "customers_v3.update_settings_channel": NO_ENVELOPE,
    "products_v3.create": NO_ENVELOPE,
    "products_v3.update_many": NO_ENVELOPE,
    "products_v3.create_video": NO_ENVELOPE,
    "products_v3.get_video": NO_ENVELOPE,
    "products_v3.update_video": NO_ENVELOPE,
    "customers_v3.get": "the example's customers have no `id`, which every customer has",
    "products_v3.all_bulk_pricing_rules": (
        "the example shows one rule where the endpoint answers the product's list of rules"
    ),
}


@pytest.mark.parametrize(
    ("row", "example"), EXAMPLES, ids=[f"{r.group}.{r.method}" for r, _ in EXAMPLES]
)
async def test_spec_examples_decode_into_the_result(row: Endpoint, example: Any) -> None:
    call = f"{row.group}.{row.method}"
    if call in SPEC_EXAMPLE_FLAWS:
        pytest.skip(SPEC_EXAMPLE_FLAWS[call])
    status, body = example
    content = json.dumps(body, default=str).encode()  # YAML reads dates as datetimes
    answer = Response(status, {"Content-Type": "application/json"}, content)
    case = case_of(row)
    if row.kind == "find":  # look up the item the example holds
        case = RowCase(row, (body["data"][0]["id"],), None)
    harness = Harness("async", default=answer)
    returned = harness.method(case.call)(*case.positional)
    if row.is_list:
        async for item in returned:
            assert isinstance(item, dict), item
            break
        await returned.aclose()
        return
    result = await returned
    expected: Any = {
        "object": dict,
        "list": list,
        "optional_object": (dict, type(None)),
        "any": object,
    }[row.result]
    if row.kind in ("find", "batch_one"):
        expected = dict
    if row.kind in ("delete_ids", "delete_one"):
        expected = type(None)
    assert isinstance(result, expected), result


def test_groups_and_the_table_are_loaded_on_first_use() -> None:
    probe = (
        "import sys, bigc\n"
        "def loaded(): return sorted(m for m in sys.modules if '_sync.resources.' in m)\n"
        "print(loaded(), 'bigc._endpoint_table' in sys.modules)\n"
        "api = bigc.BigCommerceAPI('s', 't')\n"
        "first = api.brands_v3\n"
        "print(first is api.brands_v3, loaded())\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "[] False",  # import bigc reads neither the groups nor the table
        "True ['bigc._sync.resources._base', 'bigc._sync.resources.brands_v3']",
    ]
    api = BigCommerceAPI("s", TOKEN, transport=SyncTransport())
    with pytest.raises(AttributeError, match="brands_v4"):
        api.brands_v4  # type: ignore[attr-defined]  # noqa: B018
    assert api.with_options(timeout=3).brands_v3 is not api.brands_v3


@by_flavor
@pytest.mark.parametrize("version", ["api_v2", "api_v3"])
async def test_direct_calls_take_the_same_options(flavor: str, version: str) -> None:
    harness = Harness(flavor, default=json_response(200, {"data": {"id": 1}}))
    api = getattr(harness.api, version)
    await harness.resolve(api.put("/x/1", data={}, headers={"X-Trace": "t"}, retries=0))
    assert harness.requests[0].headers["X-Trace"] == "t"
    for call in (api.get, api.delete, api.request_raw):
        arguments = ("GET", "/x") if call == api.request_raw else ("/x",)
        with pytest.raises(TypeError, match="page_size"):
            await harness.resolve(call(*arguments, page_size=5))
    assert len(harness.requests) == 1
