"""Compressed answers through real sockets: what both clients ask for and how they decode."""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import sys
import threading
import tracemalloc
import types
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bigc import (
    AsyncBigCommerceAPI,
    BigCommerceAPI,
    Headers,
    Request,
    Response,
    Timeout,
    _compression,
)
from bigc._compression import ACCEPT_ENCODING, _decoders
from bigc._urllib3_transport import Urllib3Transport
from bigc.exceptions import InvalidResponseError
from tests.test_transports import send as send_with

brotli = pytest.importorskip("brotli")
zstd = pytest.importorskip("compression.zstd" if sys.version_info >= (3, 14) else "backports.zstd")

BODY = json.dumps({"data": {"id": 7, "description": "<p>" + "Solid oak. " * 400 + "</p>"}})
RAW = BODY.encode()
GZIP = gzip.compress(RAW)

# path -> (Content-Encoding, body on the wire)
ANSWERS: dict[str, tuple[str, bytes]] = {
    "/gzip": ("gzip", GZIP),
    "/two-gzip-members": ("gzip", gzip.compress(RAW[:100]) + gzip.compress(RAW[100:])),
    "/deflate": ("deflate", zlib.compress(RAW)),
    "/br": ("br", brotli.compress(RAW)),
    "/zstd": ("zstd", zstd.compress(RAW)),
    "/identity": ("identity", RAW),
    "/gzip-then-br": ("gzip, br", brotli.compress(GZIP)),
    "/gzip-in-two-header-lines": ("gzip|gzip", gzip.compress(GZIP)),  # | : one more line
    "/not-gzip": ("gzip", b"<html>502 Bad Gateway</html>"),
    "/gzip-cut-in-half": ("gzip", GZIP[: len(GZIP) // 2]),
    "/gzip-without-trailer": ("gzip", GZIP[:-8]),
    "/gzip-bad-checksum": ("gzip", GZIP[:-8] + b"\0\0\0\0" + GZIP[-4:]),
    "/br-cut": ("br", brotli.compress(RAW)[:40]),
    "/zstd-cut": ("zstd", zstd.compress(RAW)[:40]),
    "/unasked": ("compress", b"\x1f\x9d..."),
    "/error-gzip": ("gzip", gzip.compress(b'{"status": 404, "title": "Product not found"}')),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen_accept_encoding: list[str | None]

    def do_GET(self) -> None:
        self.seen_accept_encoding.append(self.headers.get("Accept-Encoding"))
        path = self.path.split("/v3")[-1] if "/v3" in self.path else self.path
        path = path.replace("/catalog/products/1", "/gzip")
        encoding, body = ANSWERS[path]
        self.send_response(404 if path.startswith("/error") else 200)
        self.send_header("Content-Type", "application/json")
        for line in encoding.split("|"):
            self.send_header("Content-Encoding", line)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str | None]]]:
    class RecordingHandler(Handler):
        seen_accept_encoding: list[str | None] = []  # noqa: RUF012 - this server's own

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", RecordingHandler.seen_accept_encoding
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def send(kind: str, url: str) -> Response:
    """One GET through the default transport of ``kind``, as in test_transports."""
    request = Request("GET", url, {"X-Auth-Token": "t"}, None, Timeout(connect=2, read=5))
    return send_with(kind, request)


KINDS = ["sync", "async"]


@pytest.fixture(autouse=True, params=["zlib-ng", "stdlib gzip"])
def gzip_decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test once with zlib-ng inflating gzip (bigc[speedups]) and once with the stdlib."""
    if request.param == "stdlib gzip":
        with monkeypatch.context() as blocked:
            blocked.setitem(sys.modules, "zlib_ng.zlib_ng", None)
            decoders, errors = _decoders()
        assert gzip_inflater(decoders) is zlib
        monkeypatch.setattr(_compression, "DECODERS", decoders)
        monkeypatch.setattr(_compression, "DECODE_ERRORS", errors)
    else:
        assert gzip_inflater(_compression.DECODERS) is not zlib
    return str(request.param)


def gzip_inflater(decoders: dict[str, _compression.Decoder]) -> object:
    """The zlib module (the stdlib's or zlib-ng's) that ``decoders`` inflate gzip with."""
    decoder = decoders["gzip"]
    assert isinstance(decoder, functools.partial)
    return decoder.args[0]


@pytest.mark.parametrize("kind", KINDS)
def test_asks_for_every_encoding_it_decodes(
    kind: str, server: tuple[str, list[str | None]]
) -> None:
    base, seen = server
    send(kind, base + "/gzip")
    assert seen == ["gzip, deflate, br, zstd"]
    assert ACCEPT_ENCODING == "gzip, deflate, br, zstd"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "path",
    [
        "/gzip",
        "/two-gzip-members",
        "/deflate",
        "/br",
        "/zstd",
        "/identity",
        "/gzip-then-br",
        "/gzip-in-two-header-lines",
    ],
)
def test_decodes(kind: str, path: str, server: tuple[str, list[str | None]]) -> None:
    response = send(kind, server[0] + path)
    assert response.content == RAW
    assert response.json()["data"]["id"] == 7


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/not-gzip", "broken gzip body"),
        ("/gzip-cut-in-half", "broken gzip body"),
        ("/gzip-without-trailer", "broken gzip body"),
        ("/gzip-bad-checksum", "broken gzip body"),
        ("/br-cut", "broken br body"),
        ("/zstd-cut", "broken zstd body"),
        ("/unasked", "encoding we did not ask for"),
    ],
)
def test_a_broken_body_is_an_invalid_response_error(
    kind: str, path: str, what: str, server: tuple[str, list[str | None]]
) -> None:
    with pytest.raises(InvalidResponseError, match=what) as info:
        send(kind, server[0] + path)
    assert info.value.status_code == 200
    assert info.value.response is not None
    assert info.value.response.content == ANSWERS[path][1]  # the body as it came


@pytest.mark.parametrize("kind", KINDS)
def test_the_clients_read_compressed_answers_and_errors(
    kind: str, server: tuple[str, list[str | None]]
) -> None:
    base = server[0]

    async def run_async() -> object:
        async with AsyncBigCommerceAPI("s", "t", base_url=base) as api:
            return await api.products_v3.get(1)

    def run() -> object:
        if kind == "sync":
            with BigCommerceAPI("s", "t", base_url=base) as api:
                return api.products_v3.get(1)
        return asyncio.run(run_async())

    assert run() == {"id": 7, "description": json.loads(BODY)["data"]["description"]}


def test_the_caller_may_choose_the_encodings(server: tuple[str, list[str | None]]) -> None:
    base, seen = server
    transport = Urllib3Transport()
    try:
        headers = {"accept-encoding": "gzip"}
        response = transport.send(Request("GET", base + "/gzip", headers, None, Timeout(2, 5)))
    finally:
        transport.close()
    assert seen == ["gzip"] and response.content == RAW


def test_without_brotli_and_zstd_only_gzip_and_deflate(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("brotli", "compression.zstd", "backports.zstd", "zlib_ng.zlib_ng"):
        monkeypatch.setitem(sys.modules, name, None)  # an import of it now fails
    decoders, _ = _decoders()
    assert list(decoders) == ["gzip", "deflate"]
    assert gzip_inflater(decoders) is zlib


def compressed(encoding: str, raw: bytes) -> bytes:
    """``raw`` compressed as ``encoding`` says (several: applied left to right)."""
    compressors = {
        "gzip": lambda data: gzip.compress(data, 6),
        "deflate": zlib.compress,
        "br": lambda data: brotli.compress(data, quality=1),
        "zstd": zstd.compress,
    }
    for name in encoding.split(", "):
        raw = compressors[name](raw)
    return raw


BOMB_ENCODINGS = ["gzip", "gzip, gzip", "deflate", "br", "zstd", "gzip, br"]


@functools.cache
def bomb_of(encoding: str) -> bytes:
    """A small body that inflates to one byte more than a body may."""
    return compressed(encoding, b"\0" * (_compression.MAX_DECODED_SIZE + 1))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("encoding", BOMB_ENCODINGS)
def test_a_decompression_bomb_is_refused(
    kind: str, encoding: str, server: tuple[str, list[str | None]]
) -> None:
    """A small body that inflates past the limit (64 MiB) is refused, not inflated."""
    bomb = bomb_of(encoding)
    assert len(bomb) < 200_000
    ANSWERS["/bomb"] = (encoding, bomb)
    try:
        with pytest.raises(InvalidResponseError, match="inflates past 64 MiB") as info:
            send(kind, server[0] + "/bomb")
    finally:
        del ANSWERS["/bomb"]
    assert info.value.status_code == 200
    assert info.value.response is not None and info.value.response.content == bomb


@pytest.mark.parametrize("encoding", BOMB_ENCODINGS)
def test_a_body_may_inflate_up_to_the_limit_and_not_past_it(
    encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_compression, "MAX_DECODED_SIZE", 10_000)
    headers = Headers({"Content-Encoding": encoding})
    whole = _compression.decoded_response(
        200, headers, compressed(encoding, (RAW * 3)[:10_000]), None
    )
    assert whole.content == (RAW * 3)[:10_000]
    with pytest.raises(InvalidResponseError, match="inflates past"):
        _compression.decoded_response(200, headers, compressed(encoding, (RAW * 3)[:10_001]), None)


@pytest.mark.parametrize("encoding", ["gzip", "zstd", "br"])
def test_refusing_a_bomb_takes_memory_of_the_limit_not_of_the_bomb(
    encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 2**20
    monkeypatch.setattr(_compression, "MAX_DECODED_SIZE", limit)
    bomb = compressed(encoding, b"\0" * (64 * limit))
    headers = Headers({"Content-Encoding": encoding})
    tracemalloc.start()
    try:
        with pytest.raises(InvalidResponseError, match="inflates past"):
            _compression.decoded_response(200, headers, bomb, None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * limit


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", GZIP + b"\0" * 16),  # zero padding after the member, as gzip allows
        ("gzip", gzip.compress(RAW[:5]) + gzip.compress(RAW[5:]) + gzip.compress(b"")),
        ("zstd", zstd.compress(RAW[:5]) + zstd.compress(RAW[5:])),  # two frames
        ("GZIP , Identity", GZIP),
        ("x-gzip", GZIP),  # gzip's old name, which RFC 9110 says to accept
    ],
    ids=["zero-padding", "three-members", "two-frames", "case-and-spaces", "x-gzip"],
)
def test_members_frames_and_padding(encoding: str, body: bytes) -> None:
    response = _compression.decoded_response(
        200, Headers({"Content-Encoding": encoding}), body, None
    )
    assert response.content == RAW


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", GZIP + b"garbage"),
        ("zstd", zstd.compress(RAW) + b"garbage"),
        ("br", brotli.compress(RAW) + b"garbage"),
        ("gzip, gzip", GZIP),  # said twice, applied once
    ],
    ids=["gzip", "zstd", "br", "gzip-said-twice"],
)
def test_trailing_garbage_is_a_broken_body(encoding: str, body: bytes) -> None:
    with pytest.raises(InvalidResponseError, match="broken"):
        _compression.decoded_response(200, Headers({"Content-Encoding": encoding}), body, None)


def test_a_brotli_that_cannot_stop_at_a_size_is_not_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class OldDecompressor:  # brotli before 1.2: process() takes no output limit
        def process(self, data: bytes) -> bytes:
            return b""

    old_brotli = types.ModuleType("brotli")
    old_brotli.Decompressor = OldDecompressor  # type: ignore[attr-defined]
    old_brotli.error = Exception  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "brotli", old_brotli)
    decoders, _ = _decoders()
    assert "br" not in decoders and "zstd" in decoders
