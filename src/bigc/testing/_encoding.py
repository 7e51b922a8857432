"""Compressed answers, as api.bigcommerce.com sends to clients that ask.

gzip always; ``br`` when the ``brotli`` (or ``brotlicffi``) module is
installed and ``zstd`` when ``compression.zstd`` (Python 3.14) or
``backports.zstd`` / ``zstandard`` is, since a client can only be tested
against codings whose encoders exist here. No I/O: the server asks which
coding to use and gets the compressed bytes back.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Callable
from functools import cache
from typing import Any

from bigc._compression import first_module

__all__ = ["choose_coding", "encode"]

Encoder = Callable[[bytes], bytes]

# gzip level 6 is what nginx and most CDNs use; tests see realistic ratios.
_GZIP_LEVEL = 6
_BROTLI_QUALITY = 5


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, _GZIP_LEVEL, mtime=0)


@cache
def encoders() -> dict[str, Encoder]:
    """The codings this process can produce, most preferred first."""
    found: dict[str, Encoder] = {}
    brotli: Any = first_module("brotli", "brotlicffi")
    if brotli is not None:
        # Quality 5, as CDNs use for dynamic answers: brotli's default (11) takes
        # about a second for one 250-product page.
        found["br"] = functools.partial(brotli.compress, quality=_BROTLI_QUALITY)
    zstd = first_module("compression.zstd", "backports.zstd", "zstandard")
    if zstd is not None:
        found["zstd"] = zstd.compress
    found["gzip"] = _gzip
    return found


def choose_coding(accept_encoding: str | None) -> str | None:
    """The coding to answer with for this ``Accept-Encoding``, or None for identity.

    Highest q-value wins; ties go to the order of :func:`encoders`. ``q=0``
    refuses a coding, ``*`` stands for any coding not named.
    """
    if not accept_encoding:
        return None
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        weights[name.strip().lower()] = _q_value(params)
    wildcard = weights.get("*", 0.0)
    best, best_q = None, 0.0
    for coding in encoders():
        q = weights.get(coding, wildcard)
        if coding == "gzip" and "x-gzip" in weights:
            q = max(q, weights["x-gzip"])
        if q > best_q:
            best, best_q = coding, q
    return best


def _q_value(params: str) -> float:
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def encode(coding: str, data: bytes) -> bytes:
    """``data`` compressed with ``coding`` (one :func:`choose_coding` returned)."""
    return encoders()[coding](data)
