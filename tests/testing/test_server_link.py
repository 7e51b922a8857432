"""The served store as a link: compressed answers when asked, and a bandwidth model."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator

import pytest
import urllib3

from bigc.testing import FakeServer, FakeStore, _encoding
from bigc.testing._encoding import choose_coding, encoders
from tests.testing.conftest import new_product

PRODUCTS = "/stores/abc123/v3/catalog/products"
HEADERS = {"X-Auth-Token": "t", "Accept": "application/json"}


@pytest.fixture
def store() -> FakeStore:
    return FakeStore.with_sample_data(products=100, customers=0, orders=0)


@pytest.fixture
def server(store: FakeStore) -> Iterator[FakeServer]:
    with FakeServer(store) as running:
        yield running


def fetch(server: FakeServer, path: str = PRODUCTS, **headers: str) -> urllib3.BaseHTTPResponse:
    return urllib3.request(
        "GET",
        server.base_url + path,
        headers={**HEADERS, **headers},
        decode_content=False,
        retries=False,
        timeout=30,
    )


@pytest.mark.parametrize("limit", [1, 250])  # a small answer, and one large enough for a thread
def test_gzip_when_the_client_asks(server: FakeServer, limit: int) -> None:
    plain = fetch(server, f"{PRODUCTS}?limit={limit}")
    packed = fetch(server, f"{PRODUCTS}?limit={limit}", **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)
    assert gzip.decompress(packed.data) == plain.data


def test_a_refused_coding_is_not_used(server: FakeServer) -> None:
    answer = fetch(server, **{"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in answer.headers


def test_empty_answers_are_not_compressed(server: FakeServer, store: FakeStore) -> None:
    created = store.api("POST", "/v3/catalog/products", new_product())["data"]
    answer = urllib3.request(
        "DELETE",
        server.base_url + PRODUCTS + f"/{created['id']}",
        headers={**HEADERS, "Accept-Encoding": "gzip"},
        retries=False,
    )
    assert answer.status == 204
    assert "Content-Encoding" not in answer.headers


def test_a_reply_with_its_own_coding_goes_out_as_it_is(
    server: FakeServer, store: FakeStore
) -> None:
    # How a test scripts a broken compressed answer for a client to choke on.
    store.fail(
        "GET",
        "/v3/catalog/products",
        status=200,
        body=b"not gzip",
        headers={"Content-Encoding": "gzip"},
    )
    answer = fetch(server, **{"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.data == b"not gzip"


def test_compression_can_be_turned_off(store: FakeStore) -> None:
    with FakeServer(store, compress=False) as server:
        answer = fetch(server, **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in answer.headers


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, None),
        ("", None),
        ("identity", None),
        ("gzip", "gzip"),
        ("GZIP;q=0.5", "gzip"),
        ("x-gzip", "gzip"),
        ("gzip;q=0", None),
        ("*", next(iter(encoders()))),
        ("*;q=0, gzip;q=0", None),
        ("gzip;q=nan", None),
        ("gzip;q=2", None),
        ("deflate", None),
    ],
)
def test_choosing_a_coding(accept: str | None, chosen: str | None) -> None:
    assert choose_coding(accept) == chosen


def test_the_best_installed_coding_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    # br and zstd are used only when their modules are installed; pretend they are.
    fake = {"br": bytes, "zstd": bytes, "gzip": bytes}
    monkeypatch.setattr(_encoding, "encoders", lambda: fake)
    assert choose_coding("gzip, br, zstd") == "br"
    assert choose_coding("gzip, zstd") == "zstd"
    assert choose_coding("br;q=0.5, gzip") == "gzip"
    assert choose_coding("*") == "br"


def test_bandwidth_paces_the_answer(store: FakeStore) -> None:
    # 1 Mbit/s is 125,000 bytes/s, so the page needs at least size / 125,000 s.
    # Only a lower bound is asserted: a loaded machine can only make it slower.
    path = PRODUCTS + "?limit=250"
    with FakeServer(store, bandwidth_mbps=1.0) as server:
        started = time.monotonic()
        answer = fetch(server, path)
        elapsed = time.monotonic() - started
    size = len(answer.data)
    assert size > 20_000
    assert answer.json()["meta"]["pagination"]["count"] == 100
    assert elapsed >= 0.9 * size / 125_000


def test_bandwidth_must_be_positive(store: FakeStore) -> None:
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="bandwidth_mbps"):
            FakeServer(store, bandwidth_mbps=bad)


def test_paced_answers_keep_their_framing(store: FakeStore) -> None:
    created = store.api("POST", "/v3/catalog/products", new_product())["data"]
    with FakeServer(store, bandwidth_mbps=100.0) as server:
        gone = urllib3.request(
            "DELETE", server.base_url + PRODUCTS + f"/{created['id']}", headers=HEADERS
        )
        assert (gone.status, gone.data) == (204, b"")
        store.truncate("GET", "/v3/catalog/products")
        with pytest.raises(urllib3.exceptions.ProtocolError):
            fetch(server)
        assert fetch(server).status == 200
