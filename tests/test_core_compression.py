"""Compressed answers at their edges: raw deflate, encodings lists, the caller's own header."""

from __future__ import annotations

import gzip
import sys
import types
import zlib
from collections.abc import Callable

import pytest

from bigc import Request, _compression
from bigc._compression import (
    ACCEPT_ENCODING,
    DECODERS,
    TooLarge,
    _brotli_decoder,
    _decoders,
    decoded_response,
    first_module,
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


# The streaming decoders at their edges: the size limit, a stream that ends
# early, what may follow a stream, and which modules decode what.

EARLY_END = "the compressed body ends before its stream does"


def test_a_body_that_ends_early_says_so() -> None:
    with pytest.raises(InvalidResponseError) as caught:
        answer("gzip", gzip.compress(BODY)[:-4])
    assert caught.value.message == f"BigCommerce sent a broken gzip body (status 200): {EARLY_END}"


def brotli_decoder() -> Callable[[bytes, int], bytes]:
    """A decoder made afresh (DECODERS' own was made on import)."""
    decode = _brotli_decoder(pytest.importorskip("brotli"))
    assert decode is not None
    return decode


def test_a_brotli_body_that_ends_early_says_so() -> None:
    brotli = pytest.importorskip("brotli")
    with pytest.raises(InvalidResponseError) as caught:
        answer("br", brotli.compress(BODY * 20)[:-2])
    assert caught.value.message == f"BigCommerce sent a broken br body (status 200): {EARLY_END}"
    with pytest.raises(EOFError) as ended:
        brotli_decoder()(brotli.compress(BODY * 20)[:-2], 1000)
    assert str(ended.value) == EARLY_END


def test_a_brotli_body_may_fill_the_limit_exactly() -> None:
    brotli = pytest.importorskip("brotli")
    for decode in (DECODERS["br"], brotli_decoder()):
        assert decode(brotli.compress(BODY), len(BODY)) == BODY
        with pytest.raises(TooLarge):
            decode(brotli.compress(BODY), len(BODY) - 1)


def test_a_zlib_stream_labelled_gzip_is_broken() -> None:
    with pytest.raises(InvalidResponseError, match="broken gzip body"):
        answer("gzip", zlib.compress(BODY))


def test_a_gzip_member_followed_by_other_bytes_is_broken() -> None:
    # Zero bytes after a member are padding; anything else starts a member that must be whole.
    assert answer("gzip", gzip.compress(BODY) + b"\0\0") == BODY
    with pytest.raises(InvalidResponseError, match="broken gzip body"):
        answer("gzip", gzip.compress(BODY) + b"XX")


@pytest.mark.parametrize("pack", [zlib.compress, raw_deflate])
def test_deflate_reads_one_stream_and_ignores_what_follows(pack: Callable[[bytes], bytes]) -> None:
    # As zlib.decompress does: deflate has no members, so nothing after the stream is read.
    assert answer("deflate", pack(BODY) + b"junk") == BODY


def test_a_refused_bomb_carries_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_compression, "MAX_DECODED_SIZE", 4 * 2**20)
    bomb = gzip.compress(b"\0" * (4 * 2**20 + 1))
    with pytest.raises(InvalidResponseError) as caught:
        answer("gzip", bomb)
    assert caught.value.message == (
        "BigCommerce sent a gzip body that inflates past 4 MiB (status 200); refused"
    )
    assert caught.value.response is not None
    assert caught.value.response.request is REQUEST
    assert caught.value.response.content == bomb


def test_first_module_picks_the_first_that_imports() -> None:
    assert first_module("bigc_no_such_module", "zlib", "gzip") is zlib
    assert first_module("bigc_no_such_module") is None


def test_zlib_ng_inflates_gzip_when_installed() -> None:
    zlib_ng = pytest.importorskip("zlib_ng.zlib_ng")
    decoders, errors = _decoders()
    assert decoders["gzip"].args == (zlib_ng,)  # type: ignore[attr-defined]
    assert decoders["gzip"](gzip.compress(BODY), len(BODY)) == BODY
    assert zlib_ng.error in errors


def test_every_installed_decoder_is_used_with_its_errors() -> None:
    brotli = pytest.importorskip("brotli")
    zlib_ng = pytest.importorskip("zlib_ng.zlib_ng")
    zstd = pytest.importorskip("backports.zstd")
    decoders, errors = _decoders()
    assert list(decoders) == ["gzip", "deflate", "br", "zstd"]
    assert errors == (OSError, EOFError, zlib.error, zlib_ng.error, brotli.error, zstd.ZstdError)


def test_the_standard_librarys_zstd_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    zstd = pytest.importorskip("backports.zstd")

    class StdlibZstdError(Exception):
        pass

    stdlib = types.ModuleType("compression.zstd")
    stdlib.ZstdDecompressor = zstd.ZstdDecompressor  # type: ignore[attr-defined]
    stdlib.ZstdError = StdlibZstdError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "compression", types.ModuleType("compression"))
    monkeypatch.setitem(sys.modules, "compression.zstd", stdlib)
    decoders, errors = _decoders()
    assert errors[-1] is StdlibZstdError
    assert decoders["zstd"](zstd.compress(BODY), len(BODY)) == BODY
