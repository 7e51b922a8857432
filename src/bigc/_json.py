"""Decoding JSON bodies: orjson when installed (``bigc[speedups]``), else the stdlib.

Both paths give the same result for every body, and fail for the same bodies.
orjson decodes a realistic product page about twice as fast as ``json`` (bench/),
but it disagrees with ``json`` on a few inputs: it refuses NaN, Infinity,
``1e400``, lone surrogates and a UTF-8 BOM, which ``json`` accepts, and it turns
integers beyond 64 bits into floats, silently. So a body orjson refuses, and a
body with a run of 19 or more digits (the only place such an integer can
hide), is decoded by ``json``, which has the last word.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["loads", "use_orjson"]

# Digits map to "0", everything else to a space: a long integer is a run of zeros.
_DIGITS_TO_ZERO = bytes(0x30 if 0x30 <= c <= 0x39 else 0x20 for c in range(256))
_LONG_DIGIT_RUN = b"0" * 19  # 2**63 has 19 digits; orjson keeps integers below it exact


def _stdlib_loads(content: bytes) -> Any:
    return json.loads(content)


def _orjson_loads_of(orjson_loads: Callable[[bytes], Any], error: type[Exception]) -> Any:
    def loads(content: bytes) -> Any:
        if content.translate(_DIGITS_TO_ZERO).find(_LONG_DIGIT_RUN) < 0:
            try:
                return orjson_loads(content)
            except error:
                pass  # a body only json accepts (NaN, a BOM…), or bad JSON: json decides
        return json.loads(content)

    return loads


def use_orjson(enabled: bool) -> bool:
    """Choose the decoder; ``True`` only takes effect when orjson is installed.

    Returns whether orjson is now in use. The tests call it to run the JSON
    tests both ways; users need not: orjson is used whenever it is installed.
    """
    global loads
    if enabled:
        try:
            import orjson
        except ImportError:
            enabled = False
        else:
            loads = _orjson_loads_of(orjson.loads, orjson.JSONDecodeError)
    if not enabled:
        loads = _stdlib_loads
    return enabled


def _first_loads(content: bytes) -> Any:
    """Choose the decoder at the first body, so that ``import bigc`` never imports orjson."""
    use_orjson(True)
    return loads(content)


loads: Callable[[bytes], Any] = _first_loads
"""Decode a JSON body (bytes); raises ValueError (or RecursionError) on bad JSON."""
