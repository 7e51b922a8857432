"""The loopback server: HTTP framing, keep-alive, pipelining, delays and faults.

A stand-in store drives the server here, so these tests depend only on the
``handle`` contract, not on what the real fake store answers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import select
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO, cast
from urllib.parse import parse_qs, urlsplit

import pytest
import urllib3

from bigc.testing._reply import Fault, Reply
from bigc.testing._server import FakeServer, Limits, _without_tracebacks
from tests.testing.served import cli_env, start_cli, stop_cli

# Generous bound so a broken server fails a test instead of hanging it.
SOCKET_TIMEOUT = 10.0


class StandInStore:
    """Answers by target: ``/<text>?status=&body=&size=&delay=&fault=``, ``/echo``, ``/boom``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, str], bytes]] = []
        self._seen: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        parts = urlsplit(target)
        self.calls.append((method, target, dict(headers), body))
        self.seen(parts.path).set()
        if parts.path == "/boom":
            raise RuntimeError("kaput")
        if parts.path == "/echo":
            return self._echo(method, target, headers, body)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if "size" in query:
            query["body"] = "x" * int(query["size"])
        return Reply(
            int(query.get("status", "200")),
            [("Content-Type", "text/plain"), ("X-Thing", "1")],
            query.get("body", parts.path.lstrip("/")).encode(),
            delay=float(query.get("delay", "0")),
            fault=cast("Fault | None", query.get("fault")),
        )

    def seen(self, path: str) -> threading.Event:
        """An event set once a request for ``path`` has reached the store."""
        with self._lock:
            return self._seen.setdefault(path, threading.Event())

    @staticmethod
    def _echo(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        echoed = {
            "method": method,
            "target": target,
            "token": headers.get("X-Auth-Token"),
            "token_lower": headers.get("x-auth-token"),
            "body": body.decode(),
        }
        return Reply(201, [("Content-Type", "application/json")], json.dumps(echoed).encode())


Response = tuple[int, dict[str, str], bytes]


def read_response(stream: BinaryIO, head_only: bool = False) -> Response:
    """Read one Content-Length-framed response; the test's own tiny HTTP parser."""
    status_line = stream.readline()
    assert status_line.startswith(b"HTTP/1.1 "), status_line
    headers: dict[str, str] = {}
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.lower()] = value.strip()
    length = 0 if head_only else int(headers.get("content-length", "0"))
    return int(status_line.split()[1]), headers, stream.read(length)


@pytest.fixture
def store() -> StandInStore:
    return StandInStore()


@pytest.fixture
def server(store: StandInStore) -> Iterator[FakeServer]:
    with FakeServer(store) as running:
        yield running


@pytest.fixture
def pool(server: FakeServer) -> Iterator[urllib3.HTTPConnectionPool]:
    with urllib3.HTTPConnectionPool(
        "127.0.0.1", server.port, maxsize=1, retries=False, timeout=SOCKET_TIMEOUT
    ) as connection_pool:
        yield connection_pool


def connect(server: FakeServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=SOCKET_TIMEOUT)


def recv_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def get(path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def test_base_url_names_the_loopback_port(server: FakeServer) -> None:
    assert server.port > 0
    assert server.base_url == f"http://127.0.0.1:{server.port}"


def test_exact_status_headers_and_body(server: FakeServer) -> None:
    with connect(server) as sock:
        sock.sendall(get("/hello", "Connection: close\r\n"))
        raw = recv_all(sock)
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"HTTP/1.1 200 OK"
    fields = {n.lower(): v for n, _, v in (line.partition(b": ") for line in lines[1:])}
    assert fields[b"content-type"] == b"text/plain"
    assert fields[b"x-thing"] == b"1"
    assert fields[b"content-length"] == b"5"
    assert fields[b"connection"] == b"close"
    assert body == b"hello"


def test_keep_alive_reuses_one_connection(pool: urllib3.HTTPConnectionPool) -> None:
    bodies = [pool.request("GET", f"/r{i}").data for i in range(5)]
    assert bodies == [b"r0", b"r1", b"r2", b"r3", b"r4"]
    assert pool.num_connections == 1
    assert pool.num_requests == 5


def test_store_gets_method_raw_target_headers_and_body(
    pool: urllib3.HTTPConnectionPool, store: StandInStore
) -> None:
    response = pool.request(
        "POST",
        "/echo?name=a%20b&x=%2F",
        body=b'{"a": 1}',
        headers={"X-Auth-Token": "tok"},
    )
    assert response.status == 201
    assert response.headers["Content-Length"] == str(len(response.data))
    assert json.loads(response.data) == {
        "method": "POST",
        "target": "/echo?name=a%20b&x=%2F",
        "token": "tok",
        "token_lower": "tok",
        "body": '{"a": 1}',
    }


def test_chunked_request_body_is_decoded(server: FakeServer, store: StandInStore) -> None:
    chunked = b"4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n"
    with connect(server) as sock, sock.makefile("rb") as stream:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        sock.sendall(chunked[:7])  # split mid-chunk: the server must wait for the rest
        sock.sendall(chunked[7:] + get("/after"))
        status, _, body = read_response(stream)
        assert status == 201
        assert json.loads(body)["body"] == "Wikipedia"
        assert read_response(stream)[2] == b"after"


def test_pipelined_requests_are_answered_in_order(server: FakeServer) -> None:
    # The first answer is delayed, so an out-of-order server would answer /b first.
    requests = get("/a?delay=0.2") + get("/b") + get("/c?status=404")
    with connect(server) as sock, sock.makefile("rb") as stream:
        sock.sendall(requests)
        answers = [read_response(stream) for _ in range(3)]
    assert [(status, body) for status, _, body in answers] == [
        (200, b"a"),
        (200, b"b"),
        (404, b"c"),
    ]


def test_delay_on_one_connection_does_not_hold_back_another(
    server: FakeServer, store: StandInStore
) -> None:
    # The slow answer is due long after any test ends; leaving the block hangs up on it.
    with connect(server) as slow, connect(server) as fast, fast.makefile("rb") as stream:
        slow.sendall(get("/slow?delay=60"))
        assert store.seen("/slow").wait(SOCKET_TIMEOUT)
        fast.sendall(get("/fast"))
        assert read_response(stream)[2] == b"fast"
        # The fast answer is complete while the slow one has not started to arrive.
        readable, _, _ = select.select([slow], [], [], 0)
        assert readable == []


def test_drop_fault_closes_without_an_answer(server: FakeServer) -> None:
    with connect(server) as sock:
        sock.sendall(get("/x?fault=drop"))
        assert recv_all(sock) == b""


def test_drop_fault_after_earlier_answers_keeps_them(server: FakeServer) -> None:
    with connect(server) as sock:
        sock.sendall(get("/first") + get("/x?fault=drop") + get("/never"))
        raw = recv_all(sock)
    assert raw.endswith(b"\r\n\r\nfirst")
    assert raw.count(b"HTTP/1.1") == 1


def test_drop_fault_seen_by_urllib3(pool: urllib3.HTTPConnectionPool) -> None:
    with pytest.raises(urllib3.exceptions.ProtocolError):
        pool.request("GET", "/x?fault=drop")


def test_truncate_fault_sends_a_short_body_then_closes(server: FakeServer) -> None:
    with connect(server) as sock:
        sock.sendall(get("/x?fault=truncate&body=0123456789"))
        raw = recv_all(sock)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"Content-Length: 10" in head.split(b"\r\n")
    assert body == b"01234"


def test_truncate_fault_seen_by_urllib3(pool: urllib3.HTTPConnectionPool) -> None:
    with pytest.raises(urllib3.exceptions.ProtocolError):
        pool.request("GET", "/x?fault=truncate&body=0123456789")


def test_truncate_of_an_empty_body_still_comes_up_short(server: FakeServer) -> None:
    with connect(server) as sock:
        sock.sendall(get("/x?fault=truncate&body="))
        raw = recv_all(sock)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"Content-Length: 1" in head.split(b"\r\n")
    assert body == b""


def test_delay_then_fault(server: FakeServer) -> None:
    with connect(server) as sock:
        sock.sendall(get("/x?delay=0.05&fault=drop"))
        assert recv_all(sock) == b""


def test_no_content_has_no_length_and_keeps_the_connection(server: FakeServer) -> None:
    with connect(server) as sock, sock.makefile("rb") as stream:
        sock.sendall(get("/gone?status=204") + get("/next"))
        status, headers, body = read_response(stream)
        assert (status, body) == (204, b"")
        assert "content-length" not in headers
        assert read_response(stream)[2] == b"next"


def test_head_announces_length_without_a_body(server: FakeServer) -> None:
    with connect(server) as sock, sock.makefile("rb") as stream:
        sock.sendall(b"HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n" + get("/next"))
        status, headers, body = read_response(stream, head_only=True)
        assert (status, headers["content-length"], body) == (200, "5", b"")
        assert read_response(stream)[2] == b"next"


def test_http_1_0_closes_unless_asked_to_keep_alive(server: FakeServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /old HTTP/1.0\r\n\r\n")
        raw = recv_all(sock)  # returns only once the server has closed
    assert raw.startswith(b"HTTP/1.0 200 OK\r\n")
    assert raw.endswith(b"\r\n\r\nold")


def test_malformed_request_gets_400_and_close(server: FakeServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        raw = recv_all(sock)
    assert raw.split(b" ", 2)[1] == b"400"
    error = json.loads(raw.partition(b"\r\n\r\n")[2])
    assert error["status"] == 400 and error["title"]


def test_a_kept_error_holds_no_traceback_along_its_chain() -> None:
    def fail() -> None:
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise RuntimeError("outer") from inner

    with pytest.raises(RuntimeError) as caught:
        fail()
    kept = _without_tracebacks(caught.value)
    assert kept is caught.value and kept.__traceback__ is None
    assert kept.__cause__ is not None and kept.__cause__.__traceback__ is None


def test_store_exception_becomes_500_and_is_kept(
    server: FakeServer, pool: urllib3.HTTPConnectionPool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="bigc.testing"):
        response = pool.request("GET", "/boom")
    assert response.status == 500
    assert json.loads(response.data)["title"] == "fake store raised RuntimeError: kaput"
    assert [str(e) for e in server.errors] == ["kaput"]
    assert pool.request("GET", "/fine").data == b"fine"  # the connection survives
    # Kept without the traceback, whose frames would hold the request's headers and body.
    assert server.errors[0].__traceback__ is None
    assert "Traceback" in caplog.text and "RuntimeError: kaput" in caplog.text


def test_client_disconnects_are_silent(
    server: FakeServer, pool: urllib3.HTTPConnectionPool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        with connect(server) as sock:  # hang up while the answer is delayed
            sock.sendall(get("/gone?delay=0.05"))
        with connect(server) as sock:  # hang up mid-request
            sock.sendall(b"POST /partial HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")
        with connect(server) as sock:  # reset instead of a clean close
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            sock.sendall(get("/reset?delay=0.05"))
        assert pool.request("GET", "/gone?delay=0.1").data == b"gone"
    assert caplog.records == []


def test_backpressure_from_a_client_that_does_not_read(server: FakeServer) -> None:
    # Many large answers to a client that sends everything before reading any:
    # the server must pause and resume, losing nothing.
    big = "x" * 200_000
    count = 128
    with connect(server) as sock, sock.makefile("rb") as stream:
        writer = threading.Thread(target=sock.sendall, args=(get("/b?size=200000") * count,))
        writer.start()
        bodies = [read_response(stream)[2] for _ in range(count)]
        writer.join()
    assert bodies == [big.encode()] * count


def test_expect_100_continue(server: FakeServer) -> None:
    with connect(server) as sock, sock.makefile("rb") as stream:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
        )
        assert stream.readline() == b"HTTP/1.1 100 Continue\r\n"
        assert stream.readline() == b"\r\n"
        sock.sendall(b"hi")
        status, _, body = read_response(stream)
    assert (status, json.loads(body)["body"]) == (201, "hi")


def test_exit_hangs_up_open_connections(store: StandInStore) -> None:
    with FakeServer(store) as running:
        sock = connect(running)
        sock.sendall(get("/x?delay=60"))
        assert store.seen("/x").wait(SOCKET_TIMEOUT)
    with sock:
        assert recv_all(sock) == b""


def test_exit_stops_listening(store: StandInStore) -> None:
    with FakeServer(store) as running:
        port = running.port
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT).close()


async def test_start_and_stop_inside_a_running_loop(store: StandInStore) -> None:
    server = FakeServer(store)
    await server.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(get("/slow?delay=0.05") + get("/fast"))
        first = await reader.readuntil(b"slow")
        second = await reader.readuntil(b"fast")
        assert first.startswith(b"HTTP/1.1 200 OK")
        assert second.startswith(b"HTTP/1.1 200 OK")
        writer.close()
    finally:
        await server.stop()
    assert server.errors == []


def test_cli_prints_base_url_first_and_serves() -> None:
    proc, base_url = start_cli()
    try:
        assert base_url.startswith("http://127.0.0.1:")
        response = urllib3.request(
            "GET",
            f"{base_url}/stores/abc123/v3/catalog/products",
            headers={"X-Auth-Token": "any-token", "Accept": "application/json"},
            retries=False,
            timeout=SOCKET_TIMEOUT,
        )
        assert response.status == 200
        assert "data" in response.json()
    finally:
        assert stop_cli(proc) == 0


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_cli_refuses_a_port_that_is_not_one(port: str) -> None:
    command = [sys.executable, "-m", "bigc.testing", "serve", "--port", port]
    done = subprocess.run(command, capture_output=True, env=cli_env(), timeout=60)
    assert done.returncode == 2
    assert b"--port" in done.stderr
    assert b"Traceback" not in done.stderr


def test_cli_fits_max_connections_to_the_open_files_limit() -> None:
    pytest.importorskip("resource")
    # The child lowers its own limit first (no preexec_fn: this process has threads).
    code = (
        "import resource, runpy, sys; "
        "resource.setrlimit(resource.RLIMIT_NOFILE, (200, 200)); "
        "sys.argv = ['bigc.testing', 'serve', '--max-connections', '1000']; "
        "runpy.run_module('bigc.testing', run_name='__main__', alter_sys=True)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env()
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        base_url = proc.stdout.readline().decode().strip()
        assert urllib3.request("GET", f"{base_url}/__bigc/health").status == 200
    finally:
        assert stop_cli(proc) == 0
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        if proc.stderr is not None:
            proc.stderr.close()
    assert stderr.splitlines() == [
        "bigc.testing: --max-connections lowered to 136 (open-files limit 200)"
    ]


def test_cli_port_in_use_is_one_line_and_exit_status_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "bigc.testing", "serve", "--port", str(port)]
        done = subprocess.run(command, capture_output=True, env=cli_env(), timeout=60)
    assert done.returncode == 1
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert lines == [f"bigc.testing: cannot serve on 127.0.0.1:{port}: Address already in use"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_stop_signals_let_a_request_in_progress_finish(signum: int) -> None:
    proc, base_url = start_cli("--products", "3")
    try:
        fault = {"kind": "delay", "method": "GET", "path": "/v3/catalog/products", "seconds": 1.0}
        scripted = urllib3.request("POST", f"{base_url}/__bigc/faults", json=fault, retries=False)
        assert scripted.status == 201
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(
                urllib3.request,
                "GET",
                f"{base_url}/stores/abc123/v3/catalog/products",
                headers={"X-Auth-Token": "t"},
                retries=False,
                timeout=SOCKET_TIMEOUT,
            )
            # The store logs a request when it takes it, before the delay.
            while not urllib3.request("GET", f"{base_url}/__bigc/requests").json()["requests"]:
                assert not answer.done()
            returncode = stop_cli(proc, signum)
            assert answer.result().status == 200
        assert returncode == 0
    finally:
        stop_cli(proc)


def test_a_full_server_closes_the_longest_idle_connection_for_a_newcomer(
    store: StandInStore,
) -> None:
    with (
        FakeServer(store, limits=Limits(max_connections=2)) as running,
        connect(running) as oldest,
        connect(running) as newer,
    ):
        for sock in (oldest, newer):  # both served once, then idle
            sock.sendall(get("/x"))
            assert read_response(sock.makefile("rb"))[0] == 200
        with connect(running) as newcomer, newcomer.makefile("rb") as stream:
            newcomer.sendall(get("/new"))
            assert read_response(stream)[2] == b"new"
        assert recv_all(oldest) == b"", "the longest-idle connection was closed"
        newer.sendall(get("/still"))
        assert read_response(newer.makefile("rb"))[2] == b"still"


def test_a_full_server_with_no_idle_connection_answers_503(store: StandInStore) -> None:
    with (
        FakeServer(store, limits=Limits(max_connections=1)) as running,
        connect(running) as busy,
    ):
        busy.sendall(get("/slow?delay=60"))
        assert store.seen("/slow").wait(SOCKET_TIMEOUT)
        with connect(running) as refused:
            raw = recv_all(refused)
    status_line, _, rest = raw.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 503 Service Unavailable"
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["status"] == 503


async def test_a_graceful_stop_lets_a_request_in_progress_finish(store: StandInStore) -> None:
    server = FakeServer(store)
    await server.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(get("/late?delay=0.2"))
    await writer.drain()
    while not store.seen("/late").is_set():
        await asyncio.sleep(0.01)
    await server.stop(grace=30)
    answer = await reader.read()
    writer.close()
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert answer.endswith(b"late")


@pytest.mark.parametrize(
    "field",
    [
        "max_body_bytes",
        "max_header_bytes",
        "max_connections",
        "idle_timeout",
        "head_timeout",
        "body_timeout",
        "send_timeout",
        "shutdown_timeout",
    ],
)
def test_limits_must_be_positive_numbers(field: str) -> None:
    bad_values: tuple[Any, ...] = (0, -1, True, "5", float("nan"), float("inf"))
    for bad in bad_values:
        with pytest.raises(ValueError, match=f"Limits.{field}"):
            Limits(**{field: bad})


def test_a_trickling_head_is_cut_off_while_an_idle_connection_stays(store: StandInStore) -> None:
    limits = Limits(idle_timeout=600, head_timeout=0.2)
    with (
        FakeServer(store, limits=limits) as running,
        connect(running) as idle,
        connect(running) as slow,
    ):
        slow.sendall(b"GET /never HTTP/1.1\r\nHost: x\r\n")
        closed = False
        for _ in range(int(SOCKET_TIMEOUT / 0.05)):
            try:
                slow.sendall(b"X")
            except OSError:
                closed = True
                break
            readable, _, _ = select.select([slow], [], [], 0.05)
            if readable:
                closed = True
                break
        assert closed, "the trickling head was not cut off"
        assert select.select([idle], [], [], 0)[0] == [], "the idle connection was closed"
        idle.sendall(get("/alive"))
        assert read_response(idle.makefile("rb"))[2] == b"alive"


def test_stopping_is_not_held_up_by_a_client_that_does_not_read(store: StandInStore) -> None:
    with FakeServer(store) as running, connect(running) as sock:
        sock.sendall(get("/big?size=5000000"))  # far more than the socket buffers hold
        assert store.seen("/big").wait(SOCKET_TIMEOUT)
        running.__exit__(None, None, None)  # must return although nothing was read
        assert running.open_connections == 0
