"""Walk every operation of the endpoint table against a fake store.

:class:`Walk` finds real IDs for a path's parameters the way a user would:
it creates the parent item with the spec's example body (or lists the
parent collection and takes the first item), so every operation is called on
something that exists. :func:`check_answer` validates an answer against the
operation's response schema in the official OpenAPI file, with openapi-core.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from bigc._endpoint_table import ENDPOINTS
from bigc._endpoints import Endpoint
from bigc.testing._spec_routes import Operation, spec_routes
from tests.spec_index import SPECS_DIR

HOST = "https://api.bigcommerce.com"
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Deletes last, deepest paths first, so parents outlive what is under them.
ORDER = {"POST": 0, "GET": 1, "PUT": 2, "PATCH": 2, "DELETE": 3}


def rows() -> list[Endpoint]:
    """One row per HTTP operation (several methods may share one), in walking order."""
    unique = {(r.http_method, r.api, r.path): r for r in reversed(ENDPOINTS)}
    return sorted(
        unique.values(),
        key=lambda r: (
            ORDER[r.http_method] == 3,
            -r.path.count("/") if r.http_method == "DELETE" else r.path.count("/"),
            r.path,
            ORDER[r.http_method],
        ),
    )


def operation(row: Endpoint) -> Operation:
    """The spec-driven table's entry for a row."""
    return _operations()[(row.http_method, f"/{row.api}{row.path}")]


@cache
def _operations() -> dict[tuple[str, str], Operation]:
    return {(op.method, op.path): op for op in spec_routes().operations}


@cache
def openapi(name: str) -> OpenAPI:
    with (SPECS_DIR / name).open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=Loader)
    # The files are checked by their publisher; validating them again costs seconds.
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))


def check_answer(row: Endpoint, path: str, status: int, body: bytes) -> None:
    """Raise unless ``body`` is what the spec declares for ``status`` of this operation."""
    request = MockRequest(HOST, row.http_method.lower(), f"/stores/abc/{row.api}{path}")
    if status == 204:
        assert body == b""
        return
    openapi(row.spec_file).validate_response(request, MockResponse(body, status_code=status))


@dataclass
class Sent:
    row: Endpoint
    path: str  # after /vN
    status: int
    body: bytes


Send = Callable[[str, str, Any], tuple[int, bytes]]


class Walk:
    """Calls every operation once, on items that exist; ``send(method, /vN/path, body)``."""

    def __init__(self, send: Send, skip: Callable[[Endpoint], bool] = lambda row: False) -> None:
        self.send = send
        self.skip = skip
        self.ids: dict[str, str] = {}  # concrete collection path -> an item's ID

    def run(self) -> Iterator[Sent]:
        for row in rows():
            path = self.concrete(row.api, row.path) if not self.skip(row) else None
            if path is None:
                continue
            status, body = self.send(row.http_method, f"/{row.api}{path}", self.body(row, path))
            yield Sent(row, path, status, body)

    def body(self, row: Endpoint, path: str) -> Any:
        """The spec's example body; a batch update names an item that exists."""
        if row.body == "none":
            return None
        op = operation(row)
        example = op.example
        if op.role in ("update_many", "delete_many") and isinstance(example, dict):
            item_id = self.item_in(row.api, path)
            if item_id is not None:
                example = {**example, op.collection.id_key: _typed(item_id)}
        return [example] if row.body == "list" and isinstance(example, dict) else example

    def concrete(self, api: str, template: str) -> str | None:
        """``template`` with each parameter replaced by the ID of an existing item."""
        built = ""
        for part in template.strip("/").split("/"):
            if part.startswith("{"):
                item_id = self.item_in(api, built)
                if item_id is None:
                    return None
                built += f"/{item_id}"
            else:
                built += f"/{part}"
        return built

    def item_in(self, api: str, collection: str) -> str | None:
        if collection in self.ids:
            return self.ids[collection]
        template = _template_of(api, collection)
        found = self._created(api, collection, template) or self._listed(api, collection)
        if found is not None:
            self.ids[collection] = found
        return found

    def _created(self, api: str, collection: str, template: str | None) -> str | None:
        rows_here = [r for r in ENDPOINTS if r.http_method == "POST" and r.path == template]
        for row in rows_here:
            if row.body == "list" or row.api != api:
                continue
            status, body = self.send("POST", f"/{api}{collection}", self.body(row, collection))
            if status < 300:
                return _first_id(json.loads(body))
        return None

    def _listed(self, api: str, collection: str) -> str | None:
        status, body = self.send("GET", f"/{api}{collection}", None)
        return _first_id(json.loads(body)) if status == 200 and body else None


def _template_of(api: str, concrete: str) -> str | None:
    """The endpoint-table path template whose shape the concrete path has."""
    parts = concrete.strip("/").split("/")
    for row in ENDPOINTS:
        template = row.path.strip("/").split("/")
        if row.api == api and len(template) == len(parts):
            if all(t.startswith("{") or t == p for t, p in zip(template, parts, strict=True)):
                return row.path
    return None


def _first_id(answer: Any) -> str | None:
    data = answer.get("data", answer) if isinstance(answer, dict) else answer
    if isinstance(data, list):
        data = data[0] if data else None
    if not isinstance(data, dict):
        return None
    for key in ("id", "uuid", "code", "name"):
        if data.get(key) not in (None, ""):
            return str(data[key])
    return None


def _typed(item_id: str) -> int | str:
    return int(item_id) if item_id.isdigit() else item_id
