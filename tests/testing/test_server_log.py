"""The store's request log is a bounded ring; write counts stay exact."""

from __future__ import annotations

import json

import pytest

from bigc._models import Headers
from bigc.testing import FakeStore, RecordedRequest, RequestLog
from bigc.testing._log import Ring
from tests.testing.conftest import Caller, new_product


def test_the_log_keeps_the_last_n_requests_and_counts_every_write() -> None:
    store = FakeStore(log_size=3)
    api = Caller(store)
    for n in range(5):
        api.post("/v3/catalog/products", new_product(f"P{n}"))
    assert len(store.requests) == 3
    assert [r.json["name"] for r in store.requests] == ["P2", "P3", "P4"]
    assert store.requests.dropped == 2
    assert store.writes["POST /v3/catalog/products"] == 5
    assert store.requests[-1].json["name"] == "P4"
    assert [r.json["name"] for r in store.requests[:2]] == ["P2", "P3"]


def test_large_bodies_are_logged_by_size_only() -> None:
    store = FakeStore(log_body_limit=100)
    api = Caller(store)
    big = new_product("Big", description="x" * 500)
    api.post("/v3/catalog/products", big)
    api.post("/v3/catalog/products", new_product("Small"))
    large, small = store.requests
    assert (large.json, large.body, large.body_kept) == (None, b"", False)
    assert large.body_size == len(json.dumps(big))
    assert (small.json["name"], small.body_kept) == ("Small", True)
    assert store.writes["POST /v3/catalog/products"] == 2


def test_appending_a_record_keeps_the_bounds() -> None:
    log = RequestLog(size=2, body_limit=4)
    for n in range(3):
        log.append(RecordedRequest("POST", f"/p{n}", {}, b"[1,2,3]", Headers(), 200, body_size=7))
    assert [r.path for r in log] == ["/p1", "/p2"]
    assert log.dropped == 1
    assert (log[0].body, log[0].body_kept, log[0].body_size) == (b"", False, 7)


def test_the_log_reads_like_a_list() -> None:
    store = FakeStore()
    assert store.requests == []
    Caller(store).get("/v3/catalog/products")
    assert store.requests == [store.requests[0]]
    assert store.requests != []
    assert list(reversed(store.requests)) == list(store.requests)
    store.clear_log()
    assert store.requests == [] and store.requests.dropped == 0


def test_a_body_that_is_not_json_reads_as_none() -> None:
    store = FakeStore()
    store.handle("POST", "/stores/a/v3/catalog/products", {"X-Auth-Token": "t"}, b"{")
    assert store.requests[-1].json is None
    assert store.requests[-1].body == b"{"


@pytest.mark.parametrize(("size", "limit"), [(0, 10), (-1, 10), (5, -1)])
def test_bad_log_sizes_are_refused(size: int, limit: int) -> None:
    with pytest.raises(ValueError, match=r"log size|body_limit"):
        RequestLog(size, limit)


def test_a_ring_can_be_read_while_it_is_written() -> None:
    ring = Ring[int](5)
    for n in range(5):
        ring.append(n)
    seen = []
    for item in ring:  # the webhook worker may append meanwhile
        ring.append(item + 10)
        seen.append(item)
    assert seen == [0, 1, 2, 3, 4] and list(ring) == [10, 11, 12, 13, 14]
