"""The JSON fast path: msgspec and the stdlib give the same results and the same errors."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest

from bigc import Response, _json
from bigc._pagination import v3_items
from bigc._responses import decode_v2, error_from_response
from bigc.exceptions import InvalidResponseError
from bigc.testing._sample import Sample

pytestmark = pytest.mark.usefixtures("json_decoder")

# Bodies on which a fast decoder could differ from json (or fail where json succeeds).
TRICKY_BODIES = [
    b'{"price": NaN}',
    b"[Infinity, -Infinity]",
    b"1e400",
    b"[9223372036854775807, 9223372036854775808, -9223372036854775809]",
    b'{"id": 123456789012345678901234567890}',
    b"18446744073709551616",
    b'{"a": 1, "a": 2}',
    b'"\\ud800 lone surrogate"',
    b'\xef\xbb\xbf{"bom": true}',
    '{"utf16": "é"}'.encode("utf-16"),
    b'{"sku": "1234567890123456789012"}',  # a long digit run inside a string
    b'{"price": 12345678901234567890.5}',
    b'{"name": "Caf\xc3\xa9 \\u00e9", "x": -0.0, "y": 1.5e-7}',
]


@pytest.mark.parametrize("body", TRICKY_BODIES)
def test_same_result_as_json(body: bytes) -> None:
    result = Response(200, {}, body).json()
    expected = json.loads(body)
    assert repr(result) == repr(expected)  # repr: NaN != NaN, and 1 == 1.0


def test_big_integers_stay_exact() -> None:
    body = Response(200, {}, b'{"id": 123456789012345678901234567890, "n": -9223372036854775809}')
    assert body.json() == {"id": 123456789012345678901234567890, "n": -9223372036854775809}
    assert isinstance(body.json()["id"], int)


def test_nan_and_infinity_are_floats() -> None:
    value = Response(200, {}, b"[NaN, Infinity, -Infinity]").json()
    assert math.isnan(value[0]) and value[1:] == [math.inf, -math.inf]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b'{"name": "\xff\xfe"}', "invalid JSON"),  # invalid UTF-8
        (b'{"id": 1', "invalid JSON"),
        (b'{"id": 1} trailing', "invalid JSON"),
        (b"{'id': 1}", "invalid JSON"),
        (b"<html><body>Bad gateway</body></html>", "an HTML page"),
        (b"[" * 100_000, "invalid JSON"),  # nesting too deep for either decoder
    ],
)
def test_bad_bodies_are_invalid_response_errors(body: bytes, kind: str) -> None:
    expected = f"BigCommerce sent {kind} instead of JSON"
    with pytest.raises(InvalidResponseError, match=expected) as info:
        decode_v2(Response(200, {}, body))
    assert info.value.status_code == 200


def test_error_bodies_map_the_same() -> None:
    body = b'{"status": 422, "title": "Invalid", "errors": {"price": "NaN"}, "n": NaN}'
    error = error_from_response(Response(422, {}, body))
    assert error.status_code == 422 and "Invalid" in str(error)
    assert error.errors == {"price": "NaN"}


def test_a_realistic_page_decodes_alike() -> None:
    sample = Sample(seed=7, products=250, customers=0, orders=0)
    page: dict[str, Any] = {
        "data": [{"id": i, **sample.product(i)} for i in range(1, 251)],
        "meta": {"pagination": {"total": 250, "total_pages": 1}},
    }
    body = json.dumps(page).encode()
    items, total_pages = v3_items(Response(200, {}, body))
    assert items == page["data"] and total_pages == 1


def test_the_decoder_in_use(json_decoder: str) -> None:
    uses_msgspec = _json.loads is not _json._stdlib_loads
    assert uses_msgspec == (json_decoder == "msgspec")


def test_floats_round_the_same() -> None:
    rng = random.Random(5)
    values = [rng.uniform(-1e6, 1e6) for _ in range(500)]
    values += [rng.random() * 10.0**exponent for exponent in range(-300, 300, 7)]
    texts = [f"{rng.randrange(10**9)}.{rng.randrange(10**12)}e{rng.randrange(-300, 300)}"]
    body = ("[" + ", ".join([json.dumps(values)[1:-1], *texts]) + "]").encode()
    assert Response(200, {}, body).json() == json.loads(body)
