"""The served store against hostile clients, over raw sockets.

One ``python -m bigc.testing serve`` process (small limits, so the tests are
quick) takes every attack; after each, a normal client must still be served
and the server's resident memory (read from ``/proc``) must stay within a
generous bound of what it was at the start. Nothing here asserts how fast
anything happens: waits have generous upper bounds that only a hung server
reaches.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.testing.served import PATIENCE, start_cli, stop_cli

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads memory use from /proc"
)

PRODUCTS = "/stores/abc123/v3/catalog/products"
AUTH = "Host: test\r\nX-Auth-Token: token\r\n"
# Memory a server may gain over the whole module: far below what the attacks
# would cost a server that buffered them (hundreds of MB).
RSS_MARGIN_KB = 80 * 1024
MAX_CONNECTIONS = 200


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    port: int
    baseline_kb: int

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS line")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def open_fds(self) -> int:
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def connections(self) -> int:
        """Open connections as the server counts them (this call's own included)."""
        with self.connect() as sock:
            sock.sendall(f"GET /__bigc/health HTTP/1.1\r\n{AUTH}\r\n".encode())
            count: int = json.loads(read_answer(sock)[2])["connections"]
        return count

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=PATIENCE)

    def assert_healthy(self) -> None:
        """A normal client is answered, and memory stayed within the margin."""
        with self.connect() as sock:
            sock.sendall(f"GET {PRODUCTS}?limit=5 HTTP/1.1\r\n{AUTH}\r\n".encode())
            status, _, body = read_answer(sock)
        assert status == 200
        assert len(json.loads(body)["data"]) == 5
        assert self.rss_kb() < self.baseline_kb + RSS_MARGIN_KB
        assert self.proc.poll() is None


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    proc, base_url = start_cli(
        "--products=200",
        "--customers=0",
        "--orders=0",
        "--idle-timeout=2",
        "--head-timeout=1",
        "--body-timeout=1",
        "--send-timeout=1",
        f"--max-connections={MAX_CONNECTIONS}",
        "--max-body-kib=256",
        "--log-size=100",
        "--log-body-kib=4",
    )
    try:
        server = Served(proc, int(base_url.rsplit(":", 1)[1]), 0)
        server.baseline_kb = server.rss_kb()
        server.assert_healthy()
        server.baseline_kb = max(server.baseline_kb, server.rss_kb())
        yield server
    finally:
        stop_cli(proc)


def read_answer(
    sock: socket.socket, buf: bytearray | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One Content-Length-framed answer (the tests' own tiny parser).

    Bytes past the answer (pipelined answers) stay in ``buf`` for the next call.
    """
    buf = bytearray() if buf is None else buf
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        assert chunk, f"closed before an answer: {bytes(buf)!r}"
        buf += chunk
    end = buf.index(b"\r\n\r\n")
    lines = buf[:end].decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(buf) < end + 4 + length:
        chunk = sock.recv(65536)
        assert chunk, "closed mid-body"
        buf += chunk
    body = bytes(buf[end + 4 : end + 4 + length])
    del buf[: end + 4 + length]
    return int(lines[0].split()[1]), headers, body


def answer_to(served: Served, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    with served.connect() as sock:
        sock.sendall(raw)
        return read_answer(sock)


def wait_closed(sock: socket.socket) -> bool:
    """Whether the server closes ``sock`` (reading and discarding) within PATIENCE."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], 1.0)
        if readable:
            try:
                if not sock.recv(65536):
                    return True
            except ConnectionError:
                return True
    return False


def post(path: str, body: bytes, extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\n{AUTH}Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{extra}\r\n"
    ).encode() + body


def assert_bigcommerce_error(status: int, body: bytes, expected: int) -> None:
    assert status == expected
    error = json.loads(body)
    assert error["status"] == expected
    assert isinstance(error["title"], str) and error["title"]


@pytest.mark.parametrize("size", [b"-6", b"0x2", b"0_2", b"+2", b"2 2", b"\xd9\xa3"])
def test_bad_chunk_sizes_are_refused(served: Served, size: bytes) -> None:
    head = f"POST {PRODUCTS} HTTP/1.1\r\n{AUTH}Transfer-Encoding: chunked\r\n\r\n".encode()
    with served.connect() as sock:
        sock.sendall(head + size + b"\r\nabcdef\r\n0\r\n\r\n")
        status, _, body = read_answer(sock)
        assert_bigcommerce_error(status, body, 400)
        assert wait_closed(sock)
    served.assert_healthy()


@pytest.mark.parametrize(
    "value", ["\u00b2", "\u0663", "-1", "1e3", "0x10", "+5", "5, 6", "99999999999999999999999"]
)
def test_bad_content_lengths_are_refused(served: Served, value: str) -> None:
    head = f"POST {PRODUCTS} HTTP/1.1\r\n{AUTH}Content-Length: {value}\r\n\r\n"
    status, _, body = answer_to(served, head.encode() + b"{}")
    assert 400 <= status < 500
    assert json.loads(body)["status"] == status
    served.assert_healthy()


def test_a_trickled_chunked_body_costs_little(served: Served) -> None:
    # One byte per chunk, each in its own send: the old parser re-read the
    # whole buffer per chunk (quadratic). CPU is read from /proc, with a
    # margin a hundred times what a linear parser needs.
    payload = json.dumps({"name": "x" * 20_000}).encode()
    head = f"PUT {PRODUCTS}/1 HTTP/1.1\r\n{AUTH}Transfer-Encoding: chunked\r\n\r\n".encode()
    cpu_before = served.cpu_seconds()
    with served.connect() as sock:
        sock.sendall(head)
        for start in range(0, len(payload), 1):
            sock.sendall(b"1\r\n" + payload[start : start + 1] + b"\r\n")
            if start == len(payload) // 2:
                served.assert_healthy()  # others are served while it trickles
        sock.sendall(b"0\r\n\r\n")
        status, _, _ = read_answer(sock)
    assert status == 200
    assert served.cpu_seconds() - cpu_before < 20
    served.assert_healthy()


def test_a_thousand_idle_connections_do_not_lock_others_out(served: Served) -> None:
    idle = [served.connect() for _ in range(1100)]
    try:
        served.assert_healthy()
        # The server holds at most its connection limit, however many are opened.
        assert served.open_fds() < MAX_CONNECTIONS + 50
    finally:
        for sock in idle:
            sock.close()


def test_idle_connections_are_closed(served: Served) -> None:
    with served.connect() as sock:
        assert wait_closed(sock)


def test_slowloris_heads_are_cut_off(served: Served) -> None:
    # Each connection sends a head one byte at a time, never finishing it.
    socks = [served.connect() for _ in range(50)]
    for sock in socks:
        sock.sendall(f"GET {PRODUCTS} HTTP/1.1\r\n{AUTH}X-Slow: ".encode())
    served.assert_healthy()  # while they trickle
    open_ones = set(socks)
    deadline = time.monotonic() + PATIENCE
    try:
        while open_ones and time.monotonic() < deadline:
            for sock in list(open_ones):
                try:
                    sock.sendall(b"a")
                except OSError:
                    open_ones.discard(sock)
            readable, _, _ = select.select(list(open_ones), [], [], 0.2)
            for sock in readable:
                with contextlib.suppress(OSError):
                    sock.recv(65536)
                open_ones.discard(sock)
        assert not open_ones, f"{len(open_ones)} slow heads still open"
        served.assert_healthy()
    finally:
        for sock in socks:
            sock.close()


def test_a_slow_body_gets_408(served: Served) -> None:
    with served.connect() as sock:
        sock.sendall(post(PRODUCTS, b'{"name": "x"}')[:-5])  # the body never completes
        status, _, body = read_answer(sock)
    assert_bigcommerce_error(status, body, 408)
    served.assert_healthy()


@pytest.mark.parametrize("path", [PRODUCTS, "/stores/abc123/v2/orders"])
def test_a_body_over_the_limit_gets_413_before_it_is_sent(served: Served, path: str) -> None:
    head = f"POST {path} HTTP/1.1\r\n{AUTH}Content-Length: 60000000\r\n\r\n"
    status, _, body = answer_to(served, head.encode())
    assert status == 413
    error = json.loads(body)
    if "/v2/" in path:  # v2 errors are a list of {status, message}
        assert error[0]["status"] == 413 and error[0]["message"]
    else:
        assert error["status"] == 413 and error["title"]
    served.assert_healthy()


def test_a_chunked_body_over_the_limit_gets_413(served: Served) -> None:
    head = f"POST {PRODUCTS} HTTP/1.1\r\n{AUTH}Transfer-Encoding: chunked\r\n\r\n".encode()
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    with served.connect() as sock:
        sock.sendall(head)
        try:
            for _ in range(100):  # 6.4 MB, far over the 256 KiB limit
                sock.sendall(chunk)
        except OSError:
            pass  # the server may hang up before we are done sending
        status, _, body = read_answer(sock)
    assert_bigcommerce_error(status, body, 413)
    served.assert_healthy()


def test_deep_json_gets_400(served: Served) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    status, _, body = answer_to(served, post(PRODUCTS, deep))
    assert_bigcommerce_error(status, body, 400)
    served.assert_healthy()


@pytest.mark.parametrize(
    "payload", [b'{"name": ', b'{"name": "x", "price": NaN}', b'{"price": -Infinity}', b"\xff"]
)
def test_malformed_json_gets_400(served: Served, payload: bytes) -> None:
    status, _, body = answer_to(served, post(PRODUCTS, payload))
    assert_bigcommerce_error(status, body, 400)


@pytest.mark.parametrize(
    "query",
    [
        "page=100000000000000000000",
        "page=%C2%B2",
        "limit=99999999999999999999",
        "page=-1",
        "page=1e9",
    ],
)
def test_absurd_paging_gets_a_4xx_or_an_empty_page(served: Served, query: str) -> None:
    target = f"{PRODUCTS}?{query}".encode()
    status, _, body = answer_to(served, b"GET " + target + f" HTTP/1.1\r\n{AUTH}\r\n".encode())
    answer = json.loads(body)
    if status == 200:
        assert answer["data"] == []
    else:
        assert_bigcommerce_error(status, body, 422)


@pytest.mark.parametrize("method", [b"FOO", b"\xd0\x9f\xd0\x9e\xd0\xa1\xd0\xa2", b"G\x00T"])
def test_unknown_methods_get_a_4xx(served: Served, method: bytes) -> None:
    status, _, body = answer_to(served, method + f" {PRODUCTS} HTTP/1.1\r\n{AUTH}\r\n".encode())
    assert 400 <= status < 500
    assert json.loads(body)["status"] == status


def test_a_head_over_the_limit_is_refused(served: Served) -> None:
    many = "".join(f"X-Filler-{i}: {'a' * 1000}\r\n" for i in range(60))
    status, _, body = answer_to(served, f"GET {PRODUCTS} HTTP/1.1\r\n{AUTH}{many}\r\n".encode())
    assert_bigcommerce_error(status, body, 431)
    served.assert_healthy()


def test_twenty_thousand_requests_keep_memory_flat(served: Served) -> None:
    """GETs and PUTs with 6 KB bodies, pipelined on a few connections; the log is a ring."""
    body = json.dumps({"description": "d" * 6000}).encode()
    put = post(f"{PRODUCTS}/3", body).replace(b"POST", b"PUT", 1)
    get = f"GET {PRODUCTS}?limit=2 HTTP/1.1\r\n{AUTH}\r\n".encode()
    batch = (put + get) * 50

    def run(rounds: int) -> None:
        buf = bytearray()
        with served.connect() as sock:
            for _ in range(rounds):
                sock.sendall(batch)
                for _ in range(100):
                    assert read_answer(sock, buf)[0] == 200

    run(20)  # 2,000 requests to warm up
    warm = served.rss_kb()
    with ThreadPoolExecutor(4) as pool:  # 18,000 more, on four connections
        for done in [pool.submit(run, 45) for _ in range(4)]:
            done.result()
    assert served.rss_kb() < warm + 20 * 1024
    served.assert_healthy()


@pytest.mark.parametrize(
    "target",
    [
        f"{PRODUCTS}/%C2%B2",
        f"{PRODUCTS}/{'9' * 5000}",
        "/stores/abc123/v3/customers?after=aWQ6wrI",  # the cursor "id:²"
        "/stores/abc123/v2/orders?min_date_created=99999999999999999999",
        f"{PRODUCTS}?id:in=%D9%A3",
    ],
)
def test_odd_numbers_in_paths_and_filters_get_a_4xx(served: Served, target: str) -> None:
    status, _, body = answer_to(served, f"GET {target} HTTP/1.1\r\n{AUTH}\r\n".encode())
    assert 400 <= status < 500
    error = json.loads(body)
    assert (error[0] if isinstance(error, list) else error)["status"] == status


def test_a_client_that_pipelines_without_reading_is_held_back(served: Served) -> None:
    # 40 MB of pipelined GETs, never reading an answer: the server must stop
    # reading (back-pressure) rather than queue the requests or the answers.
    request = f"GET {PRODUCTS}?limit=5 HTTP/1.1\r\n{AUTH}\r\n".encode()
    batch = request * 1000
    with served.connect() as sock:
        sock.settimeout(3)
        try:
            for _ in range(40_000_000 // len(batch)):
                sock.sendall(batch)
        except (TimeoutError, ConnectionError):
            pass  # the server stopped reading, or hung up: what should happen
        assert served.rss_kb() < served.baseline_kb + RSS_MARGIN_KB
    served.assert_healthy()


def test_a_client_that_never_reads_its_answers_is_hung_up_on(served: Served) -> None:
    # 100 pages of 250 products each, asked for and never read: the answers
    # must not pile up in the server, which hangs up once one does not drain.
    request = f"GET {PRODUCTS}?limit=250 HTTP/1.1\r\n{AUTH}\r\n".encode()
    with served.connect() as sock:
        sock.sendall(request * 100)
        deadline = time.monotonic() + PATIENCE
        while served.connections() > 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert served.connections() == 1, "the non-reading client is still connected"
        assert served.rss_kb() < served.baseline_kb + RSS_MARGIN_KB
    served.assert_healthy()
