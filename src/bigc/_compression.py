"""Compressed answers: which encodings to ask for, and strict decoding of each (no I/O).

BigCommerce compresses answers for clients that ask; a 250-product page
shrinks about sixfold with gzip, which on a real link is most of its transfer
time. urllib3 and aiohttp could decode bodies themselves, but both hand back
a gzip or brotli stream that stops early as a shorter body. Decoded here,
the same way for both clients, a body that is not a whole stream of what
its ``Content-Encoding`` says is an :class:`~bigc.exceptions.InvalidResponseError`.

Each body may inflate to at most ``MAX_DECODED_SIZE``: decoders stop there,
so a decompression bomb costs a few times that in memory, not gigabytes.

brotli (``br``) and zstd are asked for only when their decoders are installed
(the ``brotli`` 1.2 or later and, before Python 3.14, ``backports.zstd`` packages). gzip is
inflated by zlib-ng when it is installed (``bigc[speedups]``): the same
results and errors as the stdlib's ``gzip``, in a quarter of the time.
"""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable
from functools import partial
from typing import Any

from bigc._models import Headers, Request, Response
from bigc.exceptions import InvalidResponseError

__all__ = ["ACCEPT_ENCODING", "decoded_response", "with_accept_encoding"]

Decoder = Callable[[bytes, int], bytes]

# The most a body may inflate to. A page of 250 products is under 1 MB; a
# small compressed body that inflates to gigabytes (a decompression bomb,
# or a broken proxy) is refused at this size instead of filling memory.
MAX_DECODED_SIZE = 64 * 2**20


class TooLarge(Exception):
    """A body that inflates past ``MAX_DECODED_SIZE``."""


def _inflate(new: Callable[[], Any], data: bytes, limit: int, *, members: bool) -> bytes:
    """Undo a zlib- or zstd-style stream, refusing output past ``limit`` bytes.

    With ``members``, further streams may follow the first (a multi-member
    gzip body, several zstd frames); zero bytes padding the end are ignored,
    as ``gzip.decompress`` does.
    """
    pieces: list[bytes] = []
    while True:
        stream = new()
        piece = stream.decompress(data, limit + 1)
        limit -= len(piece)
        if limit < 0:
            raise TooLarge
        if not stream.eof:
            raise EOFError("the compressed body ends before its stream does")
        pieces.append(piece)
        data = stream.unused_data.lstrip(b"\0") if members else b""
        if not data:
            return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _gzip(zlib_module: Any, data: bytes, limit: int) -> bytes:
    """gzip, inflated by ``zlib_module`` (zlib, or zlib-ng's faster twin)."""
    gzip_wbits = 16 + zlib_module.MAX_WBITS
    return _inflate(lambda: zlib_module.decompressobj(gzip_wbits), data, limit, members=True)


def _deflate(data: bytes, limit: int) -> bytes:
    """HTTP's ``deflate`` is zlib-wrapped, but some servers send it raw."""
    try:
        return _inflate(zlib.decompressobj, data, limit, members=False)
    except zlib.error:
        return _inflate(lambda: zlib.decompressobj(-zlib.MAX_WBITS), data, limit, members=False)


def _brotli_decoder(brotli: Any) -> Decoder | None:
    """brotli's decoder, if it can stop at a size (brotli 1.2 and later)."""
    try:
        brotli.Decompressor().process(b"", output_buffer_limit=1)
    except TypeError:
        return None

    def decode(data: bytes, limit: int) -> bytes:
        decompressor = brotli.Decompressor()
        # The output may overshoot the limit by one buffer block, never more.
        content: bytes = decompressor.process(data, output_buffer_limit=limit + 1)
        if len(content) > limit:
            raise TooLarge
        if not decompressor.is_finished():
            raise EOFError("the compressed body ends before its stream does")
        return content

    return decode


def first_module(*names: str) -> Any:
    """The first of ``names`` that imports, or ``None``."""
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def _decoders() -> tuple[dict[str, Decoder], tuple[type[BaseException], ...]]:
    """The encodings this installation can decode, and the errors their decoders raise."""
    decoders: dict[str, Decoder] = {"gzip": partial(_gzip, zlib), "deflate": _deflate}
    errors: list[type[BaseException]] = [OSError, EOFError, zlib.error]
    zlib_ng = first_module("zlib_ng.zlib_ng")  # bigc[speedups]: inflates about 4x faster
    if zlib_ng is not None:
        decoders["gzip"] = partial(_gzip, zlib_ng)
        errors.append(zlib_ng.error)
    brotli = first_module("brotli")
    br = None if brotli is None else _brotli_decoder(brotli)
    if br is not None:
        decoders["br"] = br
        errors.append(brotli.error)
    zstd = first_module("compression.zstd", "backports.zstd")
    if zstd is not None:
        decoders["zstd"] = partial(_inflate, zstd.ZstdDecompressor, members=True)
        errors.append(zstd.ZstdError)
    return decoders, tuple(errors)


DECODERS, DECODE_ERRORS = _decoders()
ACCEPT_ENCODING = ", ".join(DECODERS)


def with_accept_encoding(headers: dict[str, str]) -> dict[str, str]:
    """``headers`` asking for every encoding we decode, unless the caller chose already."""
    if any(name.lower() == "accept-encoding" for name in headers):
        return headers
    return {**headers, "Accept-Encoding": ACCEPT_ENCODING}


def decoded_response(
    status: int,
    headers: Headers,
    content: bytes,
    request: Request | None,
    encoding: str | None = None,
) -> Response:
    """The response with its body decoded as its ``Content-Encoding`` says.

    Encodings are undone last-applied first; ``identity`` and no header leave
    the body as it is. ``encoding`` is every ``Content-Encoding`` line joined
    by commas (``headers`` keeps only the last line of a repeated header, and
    a proxy that compresses again may add a line rather than extend one).
    """
    encoding = headers.get("Content-Encoding") if encoding is None else encoding
    received = content  # what an error carries, however many encodings were undone
    if encoding and content:
        for name in reversed(encoding.lower().split(",")):
            name = name.strip()
            if name in ("", "identity"):
                continue
            decoder = DECODERS.get("gzip" if name == "x-gzip" else name)  # RFC 9110 8.4.1.3
            if decoder is None:
                raise InvalidResponseError(
                    f"BigCommerce sent a body in an encoding we did not ask for: {encoding!r}",
                    response=Response(status, headers, received, request),
                )
            try:
                content = decoder(content, MAX_DECODED_SIZE)
            except TooLarge:
                raise InvalidResponseError(
                    f"BigCommerce sent a {name} body that inflates past "
                    f"{MAX_DECODED_SIZE // 2**20} MiB (status {status}); refused",
                    response=Response(status, headers, received, request),
                ) from None
            except DECODE_ERRORS as exc:
                raise InvalidResponseError(
                    f"BigCommerce sent a broken {name} body (status {status}): {exc}",
                    response=Response(status, headers, received, request),
                ) from None
    return Response(status, headers, content, request)
