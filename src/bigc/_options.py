"""The per-call options every resource method takes, declared once.

A method's signature says ``**options: Unpack[CallOptions]`` (or
``WriteOptions``/``ListOptions``), so an IDE completes them and mypy checks
them; :func:`check_options` refuses the rest at run time with the error
Python would give for an unknown keyword. ``Unpack`` is only named under
``TYPE_CHECKING``, so Python 3.10 needs no ``typing_extensions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from bigc._models import TimeoutTypes
from bigc._retry import RetryPolicy

__all__ = ["CallOptions", "ListOptions", "WriteOptions", "check_options"]


class WriteOptions(TypedDict, total=False):
    """Options of a call that writes and is never repeated (a POST): no ``retries``."""

    params: Mapping[str, Any] | None
    headers: Mapping[str, str] | None
    timeout: TimeoutTypes
    retry_policy: RetryPolicy | None


class CallOptions(WriteOptions, total=False):
    """Options of a call that may be retried: GET, PUT, DELETE and read-only POSTs."""

    retries: int | None


class ListOptions(CallOptions, total=False):
    """Options of a list method: how many items per page, how many pages at once."""

    page_size: int | None
    concurrency: int | None


WRITE_KEYS = frozenset(WriteOptions.__annotations__)
CALL_KEYS = WRITE_KEYS | {"retries"}
LIST_KEYS = CALL_KEYS | {"page_size", "concurrency"}


def check_options(options: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    """Refuse an option the method does not take, as Python refuses a keyword."""
    unknown = sorted(set(options) - allowed)
    if not unknown:
        return
    if unknown[0] == "retries":
        raise TypeError(
            f"{where}() got an unexpected keyword argument 'retries': it writes, and "
            "BigCommerce has no idempotency keys, so it is never repeated"
        )
    raise TypeError(f"{where}() got an unexpected keyword argument {unknown[0]!r}")
