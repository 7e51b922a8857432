"""Compressed answers: which encodings to ask for, and strict decoding of each (no I/O).

BigCommerce compresses answers for clients that ask; a 250-product page
shrinks about sixfold with gzip, which on a real link is most of its transfer
time. urllib3 and aiohttp could decode bodies themselves, but both hand back
a gzip or brotli stream that stops early as a shorter body. Decoded here,
the same way for both clients, a body that is not a whole stream of what
its ``Content-Encoding`` says is an :class:`~bigc.exceptions.InvalidResponseError`.

brotli (``br``) and zstd are asked for only when their decoders are installed
(the ``brotli`` and, before Python 3.14, ``backports.zstd`` packages). gzip is
inflated by zlib-ng when it is installed (``bigc[speedups]``): the same
results and errors as the stdlib's ``gzip``, in a quarter of the time.
"""

from __future__ import annotations

import gzip
import importlib
import zlib
from collections.abc import Callable
from typing import Any

from bigc._models import Headers, Request, Response
from bigc.exceptions import InvalidResponseError

__all__ = ["ACCEPT_ENCODING", "decoded_response", "with_accept_encoding"]

Decoder = Callable[[bytes], bytes]


def _deflate(data: bytes) -> bytes:
    """HTTP's ``deflate`` is zlib-wrapped, but some servers send it raw."""
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompress(data, -zlib.MAX_WBITS)


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
    decoders: dict[str, Decoder] = {"gzip": gzip.decompress, "deflate": _deflate}
    errors: list[type[BaseException]] = [OSError, EOFError, zlib.error]
    zlib_ng = first_module("zlib_ng.gzip_ng")  # bigc[speedups]: inflates about 4x faster
    if zlib_ng is not None:
        decoders["gzip"] = zlib_ng.decompress
        errors.append(first_module("zlib_ng.zlib_ng").error)
    brotli = first_module("brotli")
    if brotli is not None:
        decoders["br"] = brotli.decompress
        errors.append(brotli.error)
    zstd = first_module("compression.zstd", "backports.zstd")
    if zstd is not None:
        decoders["zstd"] = zstd.decompress
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
    status: int, headers: Headers, content: bytes, request: Request | None
) -> Response:
    """The response with its body decoded as its ``Content-Encoding`` says.

    Encodings are undone last-applied first; ``identity`` and no header leave
    the body as it is.
    """
    encoding = headers.get("Content-Encoding")
    if encoding and content:
        for name in reversed(encoding.lower().split(",")):
            name = name.strip()
            if name in ("", "identity"):
                continue
            decoder = DECODERS.get(name)
            if decoder is None:
                raise InvalidResponseError(
                    f"BigCommerce sent a body in an encoding we did not ask for: {encoding!r}",
                    response=Response(status, headers, content, request),
                )
            try:
                content = decoder(content)
            except DECODE_ERRORS as exc:
                raise InvalidResponseError(
                    f"BigCommerce sent a broken {name} body (status {status}): {exc}",
                    response=Response(status, headers, content, request),
                ) from None
    return Response(status, headers, content, request)
