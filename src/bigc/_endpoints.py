"""The endpoint table's record type, and lookups over the table.

Every resource method is described by one :class:`Endpoint`: the generated
methods in ``bigc/_async/resources`` only name their row, and the helpers in
``resources/_base.py`` act on it. The rows themselves are data in
``_endpoint_table.py``, built from BigCommerce's OpenAPI files by
``scripts/build_endpoints.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["LEFT_OUT", "Endpoint", "endpoints_of"]

# Files of the REST management API left out, and why (the coverage test prints these).
LEFT_OUT: Mapping[str, str] = MappingProxyType(
    {
        "tax_provider.yml": "an API BigCommerce calls on a tax provider, not a store API",
        "shipping_provider.yml": "an API BigCommerce calls on a shipping provider, not a store API",
        "customer_login.yml": "a storefront JWT redirect, not a REST call with the access token",
        "current_customer.yml": "a storefront JWT endpoint, not a REST call with the access token",
        "process_payments.yml": (
            "payments.bigcommerce.com, authenticated with a one-off payment access token "
            "(get one with payment_access_tokens_v3.create), not the store API"
        ),
    }
)


class Endpoint(NamedTuple):
    """One operation of the REST management API, as a method of a resource group.

    - ``group``/``method``: where it is, ``api.<group>.<method>(...)``.
    - ``http_method``, ``api`` (``"v2"``/``"v3"``) and ``path``: the request;
      ``path`` is a template whose slots are the method's ID arguments.
    - ``args``: the method's positional ID arguments, in order.
    - ``body``: ``"none"``, ``"object"``, ``"list"``, ``"form"`` (always sent
      as a multipart form) or ``"multipart"`` (JSON, or a multipart form when
      it holds a file);
      ``body_required``: whether ``data`` must be given.
    - ``result``: ``"object"``, ``"list"``, ``"any"`` (whatever comes back;
      ``None`` for no body), ``"optional_object"``, ``"text"`` (a text file,
      as ``str``), ``"events"`` (an event stream, as a list of
      :class:`~bigc.ServerSentEvent`), or a list read lazily:
      ``"v2_pages"``, ``"offset_pages"``, ``"cursor_pages"``, ``"unpaged"``.
    - ``retryable``: whether ``retries=`` is allowed (never for a POST that
      writes); ``envelope``: whether a v3 answer's ``data`` is unwrapped.
    - ``kind``: ``"request"`` (one request), or one of the few behaviours
      that are not: ``"find"`` (an ``id:in`` lookup through a list),
      ``"batch_one"`` (a batch of one), ``"delete_ids"``/``"delete_one"``
      (a delete by ``id:in``), ``"either"`` (another row when the first ID
      is ``None``); ``detail`` is that kind's argument: the noun of a lookup,
      the key an ID goes under in a batch of one, the other row of ``either``,
      and for a request the key a bare string body goes under (``add_coupon``).
    - ``operation_id``, ``summary``, ``spec_file``, ``spec_path``: where the
      operation is in BigCommerce's OpenAPI files.

    A named tuple: read-only, and cheap to build (the table has ~670 rows and
    is read on ``import bigc``).
    """

    group: str
    method: str
    http_method: str
    api: str
    path: str
    args: tuple[str, ...]
    body: str
    result: str
    retryable: bool
    operation_id: str
    summary: str
    spec_file: str
    spec_path: str
    kind: str = "request"
    detail: str = ""
    envelope: bool = True
    body_required: bool = True

    @property
    def is_list(self) -> bool:
        """Whether the method returns a lazy iterator over every item."""
        return self.result in LIST_RESULTS

    def __repr__(self) -> str:
        return f"<Endpoint {self.group}.{self.method}: {self.http_method} /{self.api}{self.path}>"


LIST_RESULTS = frozenset({"v2_pages", "offset_pages", "cursor_pages", "unpaged"})


def _rows_of(group: str) -> Mapping[str, Endpoint]:
    """The rows of one group by method name (read-only)."""
    from bigc._endpoint_table import ENDPOINTS

    rows = {row.method: row for row in ENDPOINTS if row.group == group}
    if not rows:
        raise KeyError(f"no endpoints for group {group!r}")
    return MappingProxyType(rows)


# Cached by wrapping rather than with a decorator, so that scripts/mutation
# also mutates the lookup.
endpoints_of = cache(_rows_of)
