"""Every operation's request, as a generated method sends it, validated by openapi-core.

For each row of the endpoint table the method is called with values that fit
the operation's own parameter schemas (a UUID where the path wants one, every
required query parameter and header), and with the spec's request example as
the body where it has one. The request that goes out is then validated
against that operation of the official file: path, query, headers, content
type and, where the body is the spec's own example, the body. A generic body
(no example in the file) is only required to be of the right media type.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest
from openapi_core.validation.request.exceptions import InvalidRequestBody

from bigc import ENDPOINTS, Request
from bigc._endpoints import Endpoint
from tests.endpoint_cases import RowCase, case_of
from tests.spec_index import Operation, file_operation, spec_document
from tests.test_resources import Harness

UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

# Request examples in the official files that their own schema refuses.
EXAMPLE_FLAWS = {
    "customers_v2.update_address": "the example has read-only and unknown fields",
    "page_widgets_v3.create": "the example's regions do not fit the regions schema",
    "pages_v3.create": "the example has fields the page schema does not allow",
    "products_v3.update_many": "the example's products have fields the schema does not allow",
    "redirects_v2.create": "the example sends a read-only id and a url",
    "redirects_v2.update": "the example's forward.ref is a string where an integer is due",
}


@cache
def openapi(file: str) -> OpenAPI:
    # The files are checked by their publisher; validating them again costs seconds.
    return OpenAPI.from_dict(dict(spec_document(file)), config=Config(spec_validator_cls=None))


def value_for(schema: Any, operation: Operation) -> Any:
    """A value that the schema of a parameter accepts."""
    schema = operation.resolve(schema or {})
    if "enum" in schema:
        return schema["enum"][0]
    if "example" in schema and not isinstance(schema["example"], dict):
        return schema["example"]
    kind, form = schema.get("type"), schema.get("format")
    if form == "uuid":
        return UUID
    if kind in ("integer", "number"):
        return 11
    if kind == "boolean":
        return True
    if kind == "array":
        return [value_for(schema.get("items"), operation)]
    if form == "date-time":
        return "2024-01-01T00:00:00Z"
    return "x11"


def request_example(operation: Operation) -> Any:
    """The spec's example of the JSON request body, if it shows one."""
    for param in operation._parameters():
        if param.get("in") == "body":
            return operation.resolve(param.get("schema", {})).get("example")
    return operation.json_example(operation.resolve(operation.spec.get("requestBody", {})))


def prepared(row: Endpoint) -> tuple[RowCase, dict[str, Any], bool]:
    """The call for a row (arguments, options) and whether its body is the spec's example."""
    case = case_of(row)
    operation = file_operation(row.spec_file, row.http_method, case.path)
    assert operation is not None
    params = list(operation._parameters())
    by_name = {p["name"]: p for p in params if p.get("in") == "path"}
    args = case.args
    if row.kind in ("request", "either") and row.args:
        names = re.findall(r"\{([^}]+)\}", row.spec_path)
        args = tuple(value_for(by_name[name].get("schema"), operation) for name in names)
    required = [p for p in params if p.get("required") and p.get("in") in ("query", "header")]
    filled = {"id:in"} if row.kind in ("find", "delete_ids", "delete_one") else set()
    query = {
        p["name"]: value_for(p.get("schema"), operation)
        for p in required
        if p["in"] == "query" and p["name"] not in filled
    }
    sent_anyway = {"accept", "content-type"}  # bigc sends these on every request
    headers = {
        p["name"]: str(value_for(p.get("schema"), operation))
        for p in required
        if p["in"] == "header" and p["name"].lower() not in sent_anyway
    }
    options = {k: v for k, v in (("params", query), ("headers", headers)) if v}
    example = request_example(operation) if row.kind == "request" and row.body != "form" else None
    if case.data is not None and isinstance(example, (dict, list)):
        data = json.loads(json.dumps(example, default=str))  # YAML reads dates as datetimes
        return RowCase(row, args, data), options, True
    return RowCase(row, args, case.data), options, False


def mock(request: Request) -> MockRequest:
    url = urlsplit(request.url)
    return MockRequest(
        "https://api.bigcommerce.com",
        request.method.lower(),
        url.path,
        args=dict(parse_qsl(url.query)),
        headers=dict(request.headers),
        data=request.body or b"",
        content_type=request.headers.get("Content-Type", "application/json"),
    )


@pytest.mark.filterwarnings("ignore:Use of allowEmptyValue:DeprecationWarning")
@pytest.mark.parametrize("row", ENDPOINTS, ids=[f"{r.group}.{r.method}" for r in ENDPOINTS])
async def test_the_request_is_valid_for_its_operation(row: Endpoint) -> None:
    case, options, from_example = prepared(row)
    harness = Harness("sync", case.answer())
    await harness.resolve(harness.method(case.call)(*case.positional, **options))
    [request] = harness.requests
    try:
        openapi(row.spec_file).validate_request(mock(request))
    except InvalidRequestBody:
        call = f"{row.group}.{row.method}"
        if from_example and call not in EXAMPLE_FLAWS:
            raise
        # A made-up body (or a flawed example): its media type passed, its fields need not.


def test_most_requests_are_validated_whole() -> None:
    examples = [row for row in ENDPOINTS if prepared(row)[2]]
    bodyless = [row for row in ENDPOINTS if row.body == "none" and row.kind == "request"]
    assert len(examples) + len(bodyless) > 450
    assert set(EXAMPLE_FLAWS) <= {f"{r.group}.{r.method}" for r in examples}
