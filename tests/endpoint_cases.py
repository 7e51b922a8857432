"""Request cases derived from the endpoint table, one per row, for any test to drive.

For a row of ``bigc.ENDPOINTS`` this says what to call the method with (IDs,
a body), what BigCommerce answers, and what must go out and come back. No
endpoint is restated here: every expectation follows from the row and from
BigCommerce's documented conventions (v3 envelope, paging parameters).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bigc import ENDPOINTS, Response, ServerSentEvent
from bigc._endpoints import Endpoint
from bigc._urls import build_path
from tests.support import json_response

PAGE_SIZE = 250
ITEM = {"id": 7, "name": "thing"}
CSV = "Domain,Old Path\nstore.example.com,/old,\n"  # what a text answer holds
OBJECT_BODY = {"name": "thing", "is_visible": True}
LIST_BODY = [{"id": 1, "name": "thing"}, {"id": 2, "name": "other"}]
BATCH_IDS = [11, 12]


def id_value(position: int) -> str:
    """A distinct ID per position, so that a swapped order shows."""
    return str(11 * (position + 1))


@dataclass(frozen=True)
class RowCase:
    row: Endpoint
    args: tuple[Any, ...]
    data: Any

    @property
    def call(self) -> str:
        return f"{self.row.group}.{self.row.method}"

    @property
    def positional(self) -> tuple[Any, ...]:
        return self.args if self.data is None else (*self.args, self.data)

    @property
    def path(self) -> str:
        """The path that must be sent, from the version on."""
        ids = self.args if self.row.kind in ("request", "either") else ()
        return f"/{self.row.api}" + build_path(self.row.path, *ids)

    @property
    def query(self) -> dict[str, str]:
        row = self.row
        if row.kind == "find" or row.kind == "delete_one":
            return {"id:in": str(self.args[0])}
        if row.kind == "delete_ids":
            return {"id:in": ",".join(str(i) for i in BATCH_IDS)}
        if row.result in ("offset_pages", "v2_pages"):
            return {"limit": str(PAGE_SIZE), "page": "1"}
        if row.result == "cursor_pages":
            return {"limit": str(PAGE_SIZE)}
        return {}

    @property
    def body(self) -> Any:
        """The JSON that must be sent (``None``: no body)."""
        if self.row.kind == "batch_one":
            extra = {self.row.detail: self.args[0]} if self.args else {}
            return [{**self.data, **extra}]
        return self.data

    def answer(self) -> Response:
        row = self.row
        if row.kind in ("delete_ids", "delete_one"):
            return Response(204, {}, b"")
        if row.result == "text":
            return Response(200, {"Content-Type": "text/csv; charset=utf-8"}, CSV.encode())
        if row.result == "events":
            stream = f": keep-alive\n\nevent: message\ndata: {json.dumps(ITEM)}\n\n"
            return Response(200, {"Content-Type": "text/event-stream"}, stream.encode())
        item = {**ITEM, "id": int(self.args[0])} if row.kind == "find" else ITEM
        many = row.is_list or row.result == "list" or row.kind in ("find", "batch_one")
        value: Any = [item] if many else item
        if row.api == "v2":
            return json_response(200, value)
        meta: dict[str, Any] = {}
        if row.result == "offset_pages":
            meta = {"pagination": {"total": 1, "count": 1, "per_page": PAGE_SIZE}}
            meta["pagination"].update(current_page=1, total_pages=1, links={})
        if row.result == "cursor_pages":
            meta = {"cursor_pagination": {"count": 1, "per_page": PAGE_SIZE, "links": {}}}
        if not row.envelope:
            return json_response(200, value)
        return json_response(200, {"data": value, "meta": meta})

    def returns(self) -> Any:
        row = self.row
        if row.kind in ("delete_ids", "delete_one"):
            return None
        if row.result == "text":
            return CSV
        if row.result == "events":
            return [ServerSentEvent(json.dumps(ITEM))]
        if row.kind == "find":
            return {**ITEM, "id": int(self.args[0])}
        if row.kind == "batch_one" or not (row.is_list or row.result == "list"):
            return ITEM
        return [ITEM]


def case_of(row: Endpoint) -> RowCase:
    if row.kind == "delete_ids":
        return RowCase(row, (BATCH_IDS,), None)
    args = tuple(id_value(i) for i in range(len(row.args)))
    if row.kind == "batch_one" or (row.kind == "request" and row.body != "none"):
        return RowCase(
            row, args, LIST_BODY if row.body == "list" and row.kind != "batch_one" else OBJECT_BODY
        )
    return RowCase(row, args, None)


CASES = [case_of(row) for row in ENDPOINTS]


def sent_json(body: bytes | None) -> Any:
    return None if body is None else json.loads(body)
