"""Compressed answers at their edges: raw deflate, encodings lists, the caller's own header."""

from __future__ import annotations

import gzip
import zlib

import pytest

from bigc import Request
from bigc._compression import (
    ACCEPT_ENCODING,
    decoded_response,
    with_accept_encoding,
)
from bigc._models import Headers
from bigc.exceptions import InvalidResponseError

BODY = b'{"data": [1, 2, 3]}'
REQUEST = Request("GET", "https://api.bigcommerce.com/stores/abc/v3/x", {})


def answer(encoding: str, content: bytes) -> bytes:
    response = decoded_response(200, Headers({"Content-Encoding": encoding}), content, REQUEST)
    assert response.request is REQUEST
    return response.content


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def test_deflate_wrapped_or_raw() -> None:
    assert answer("deflate", zlib.compress(BODY)) == BODY
    assert answer("deflate", raw_deflate(BODY)) == BODY


@pytest.mark.parametrize(
    "encoding", ["gzip,", ", gzip", "gzip, identity", "identity, gzip", "GZIP"]
)
def test_empty_and_identity_entries_are_skipped(encoding: str) -> None:
    assert answer(encoding, gzip.compress(BODY)) == BODY


def test_encodings_are_undone_last_applied_first() -> None:
    assert answer("deflate, gzip", gzip.compress(zlib.compress(BODY))) == BODY


def test_no_encoding_and_an_empty_body_are_left_as_they_are() -> None:
    assert decoded_response(200, Headers({}), BODY, REQUEST).content == BODY
    assert answer("gzip", b"") == b""


@pytest.mark.parametrize(
    ("encoding", "content", "message"),
    [
        ("compress", b"x", "BigCommerce sent a body in an encoding we did not ask for: 'compress'"),
        ("gzip", gzip.compress(BODY)[:-4], "BigCommerce sent a broken gzip body (status 200): "),
    ],
)
def test_a_body_that_cannot_be_decoded_is_an_error_with_the_request(
    encoding: str, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidResponseError) as caught:
        answer(encoding, content)
    assert caught.value.message.startswith(message)
    assert caught.value.response is not None
    assert caught.value.response.request is REQUEST
    assert caught.value.response.content == content


def test_the_callers_accept_encoding_is_kept() -> None:
    for name in ("Accept-Encoding", "accept-encoding", "ACCEPT-ENCODING"):
        headers = {name: "identity", "X-A": "1"}
        assert with_accept_encoding(headers) == headers


def test_otherwise_every_decodable_encoding_is_asked_for() -> None:
    assert with_accept_encoding({"X-A": "1"}) == {"X-A": "1", "Accept-Encoding": ACCEPT_ENCODING}
    assert ACCEPT_ENCODING.split(", ")[:2] == ["gzip", "deflate"]
