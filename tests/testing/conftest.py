"""Helpers for the fake store's tests: call ``handle()`` as a client would."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest

from bigc.testing import FakeStore
from bigc.testing._reply import Reply

TOKEN = {"X-Auth-Token": "secret-token", "Accept": "application/json"}


@dataclass
class Answer:
    """A reply, decoded."""

    status: int
    headers: dict[str, str]
    body: Any
    reply: Reply

    @property
    def data(self) -> Any:
        assert isinstance(self.body, dict), self.body
        return self.body["data"]


class Caller:
    """Sends requests to a store through ``handle()`` with a valid token."""

    def __init__(self, store: FakeStore, store_hash: str = "abc123") -> None:
        self.store = store
        self.store_hash = store_hash

    def __call__(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        **query: Any,
    ) -> Answer:
        target = f"/stores/{self.store_hash}{path}"
        if query:
            target += "?" + urlencode(query, safe=",:")
        body = b"" if json_body is None else json.dumps(json_body).encode()
        reply = self.store.handle(method, target, TOKEN if headers is None else headers, body)
        decoded = json.loads(reply.body) if reply.body else None
        return Answer(reply.status, dict(reply.headers), decoded, reply)

    def get(self, path: str, **query: Any) -> Answer:
        return self(method="GET", path=path, **query)

    def post(self, path: str, json_body: Any, **query: Any) -> Answer:
        return self("POST", path, json_body, **query)

    def put(self, path: str, json_body: Any, **query: Any) -> Answer:
        return self("PUT", path, json_body, **query)

    def delete(self, path: str, **query: Any) -> Answer:
        return self(method="DELETE", path=path, **query)


def new_product(name: str = "Mug", **fields: Any) -> dict[str, Any]:
    return {"name": name, "type": "physical", "weight": 1, "price": 10.0, **fields}


def new_customer(email: str, **fields: Any) -> dict[str, Any]:
    return {"email": email, "first_name": "Ada", "last_name": "Lovelace", **fields}


BILLING = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "street_1": "1 Main St",
    "city": "Austin",
    "state": "Texas",
    "zip": "78701",
    "country": "United States",
    "country_iso2": "US",
    "email": "ada@example.com",
}


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def api(store: FakeStore) -> Caller:
    return Caller(store)
