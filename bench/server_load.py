"""Load test for the fake store's loopback server (``bigc.testing._server``).

The server runs in a child process (so it has a core and a GIL of its own) and
is driven by 64 keep-alive connections, each with one request in flight, for a
bounded time. Rows:

- ``asyncio floor``: a bare asyncio protocol that answers every request head
  with a canned response and parses nothing: the ceiling for any asyncio
  server on this machine, and the baseline for the ratio column.
- ``aiohttp, canned reply``: aiohttp's low-level server with a handler that
  returns the same reply: what the HTTP library costs on its own.
- ``FakeServer + trivial store``: our server in front of a store that returns
  a fixed 2 KB JSON reply. The requirement is >= 2,000 req/s.
- ``FakeServer + FakeStore``: the real fake store with sample data, if
  ``bigc.testing._store`` exists.

Usage: ``python bench/server_load.py [--seconds 3] [--connections 64] [--wrk]
[--before REV]``. ``--wrk`` drives with ``wrk`` (if installed) instead of the
built-in asyncio client; wrk is C, so it leaves more of the CPU to the server.
``--before REV`` adds rows for ``FakeServer`` as it was at git revision REV
(e.g. the hand-written parser before the server moved to aiohttp), measured
in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bigc.testing._reply import Reply
    from bigc.testing._server import Store


class FakeServerLike(Protocol):
    """What the bench needs of a ``FakeServer``, whichever version."""

    port: int

    def __init__(self, store: Store) -> None: ...

    async def start(self) -> None: ...


SRC = Path(__file__).resolve().parents[1] / "src"
REQUIRED_RPS = 2000
TARGET = "/stores/abc123/v3/catalog/products?limit=1"
REQUEST = (
    f"GET {TARGET} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "X-Auth-Token: token\r\nAccept: application/json\r\n\r\n"
).encode()
BODY = json.dumps({"data": [{"id": i, "name": "x" * 40} for i in range(30)], "meta": {}}).encode()


# -- child process: the servers ---------------------------------------------


class _FloorProtocol(asyncio.Protocol):
    """Answers each request head with a canned response; parses nothing."""

    _RESPONSE = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY)
    )

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.buf = b""

    def data_received(self, data: bytes) -> None:
        self.buf += data
        count = self.buf.count(b"\r\n\r\n")
        if count:
            self.buf = self.buf[self.buf.rfind(b"\r\n\r\n") + 4 :]
            self.transport.write(self._RESPONSE * count)


class _TrivialStore:
    """Same answer to everything, so the row measures the server, not a store."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        return self.reply


def _server_class(server_file: str | None) -> type[FakeServerLike]:
    """``FakeServer`` from this checkout, or from an older copy of ``_server.py``."""
    if server_file is None:
        from bigc.testing._server import FakeServer

        return FakeServer
    import importlib.util

    spec = importlib.util.spec_from_file_location("bigc_server_before", server_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    server_class: type[FakeServerLike] = module.FakeServer
    return server_class


def _bare_aiohttp() -> Any:
    """aiohttp's low-level server answering the canned reply: what the library costs."""
    from aiohttp import web

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(body=BODY, content_type="application/json")

    return web.Server(handler, access_log=None)


async def _serve(kind: str, server_file: str | None) -> None:
    """Run one kind of server until stdin closes, printing its port first."""
    loop = asyncio.get_running_loop()
    if kind == "floor":
        server = await loop.create_server(_FloorProtocol, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
    elif kind == "aiohttp":
        server = await loop.create_server(_bare_aiohttp(), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
    else:
        from bigc.testing._reply import Reply

        store: Store
        if kind == "trivial":
            store = _TrivialStore(Reply(200, [("Content-Type", "application/json")], BODY))
        else:
            from bigc.testing._store import FakeStore

            store = FakeStore.with_sample_data(products=100, customers=100, orders=100)
        fake = _server_class(server_file)(store)
        await fake.start()
        port = fake.port
    print(port, flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # parent closes stdin to stop us


def _start_child(kind: str, server_file: str | None) -> tuple[subprocess.Popen[bytes], int]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    extra = ["--server-file", server_file] if server_file else []
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", kind, *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        raise RuntimeError(f"{kind} server failed to start")
    return proc, int(line)


def _stop_child(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- parent: the load -------------------------------------------------------


class _Client(asyncio.Protocol):
    """One keep-alive connection with one request in flight, counting answers."""

    def __init__(self, counter: list[int], deadline: float, done: asyncio.Future[None]) -> None:
        self.counter = counter
        self.deadline = deadline
        self.done = done
        self.buf = b""
        self.need = -1  # bytes of the current response; -1 until its head is in

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(REQUEST)

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if self.need < 0:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            match = re.search(rb"(?i)content-length: *(\d+)", self.buf[:end])
            if not self.buf.startswith(b"HTTP/1.1 200") or match is None:
                raise RuntimeError(f"bad response: {self.buf[:200]!r}")
            self.need = end + 4 + int(match.group(1))
        if len(self.buf) < self.need:
            return
        self.buf, self.need = self.buf[self.need :], -1
        self.counter[0] += 1
        if time.monotonic() < self.deadline:
            self.transport.write(REQUEST)
        else:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(None)


async def _drive(port: int, connections: int, seconds: float) -> float:
    loop = asyncio.get_running_loop()
    counter = [0]
    deadline = time.monotonic() + seconds
    done = [loop.create_future() for _ in range(connections)]
    started = time.monotonic()
    for future in done:
        await loop.create_connection(
            lambda f=future: _Client(counter, deadline, f),  # type: ignore[misc]
            "127.0.0.1",
            port,
        )
    await asyncio.gather(*done)
    return counter[0] / (time.monotonic() - started)


def _drive_wrk(port: int, connections: int, seconds: float) -> float:
    url = f"http://127.0.0.1:{port}{TARGET}"
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    command += ["-H", "X-Auth-Token: token", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None or "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk reported problems:\n{out}")
    return float(match.group(1))


def _cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used so far (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(
    kind: str, server_file: str | None, args: argparse.Namespace
) -> tuple[float, float | None]:
    """(requests per second, the server's CPU microseconds per request).

    CPU per request is the steadier number on a machine shared with other
    work: waiting for a core does not count.
    """
    proc, port = _start_child(kind, server_file)
    try:
        cpu_before = _cpu_seconds(proc.pid)
        started = time.monotonic()
        if args.wrk:
            rps = _drive_wrk(port, args.connections, args.seconds)
        else:
            rps = asyncio.run(_drive(port, args.connections, args.seconds))
        requests = rps * (time.monotonic() - started)
        cpu_after = _cpu_seconds(proc.pid)
    finally:
        _stop_child(proc)
    if cpu_before is None or cpu_after is None or not requests:
        return rps, None
    return rps, (cpu_after - cpu_before) / requests * 1e6


def _old_server_file(rev: str) -> str:
    """``src/bigc/testing/_server.py`` at git ``rev``, written to a temporary file."""
    source = subprocess.run(
        ["git", "show", f"{rev}:src/bigc/testing/_server.py"],
        cwd=SRC.parent,
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.NamedTemporaryFile("wb", suffix="_server_before.py", delete=False) as out:
        out.write(source)
    return out.name


def _has_fake_store() -> bool:
    return (SRC / "bigc" / "testing" / "_store.py").exists()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per row (max 10)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--wrk", action="store_true", help="drive with wrk instead of asyncio")
    parser.add_argument("--before", metavar="REV", help="also measure _server.py at git REV")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--server-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve, args.server_file))
        return 0
    args.seconds = min(args.seconds, 10.0)
    if args.wrk and shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")
    before = _old_server_file(args.before) if args.before else None
    rows: list[tuple[str, str, str | None]] = [
        ("asyncio floor (baseline)", "floor", None),
        ("aiohttp, canned reply", "aiohttp", None),
    ]
    if before:
        rows.append((f"{args.before} + trivial store", "trivial", before))
    rows.append(("FakeServer + trivial store", "trivial", None))
    if _has_fake_store():
        if before:
            rows.append((f"{args.before} + FakeStore", "fake", before))
        rows.append(("FakeServer + FakeStore", "fake", None))
    driver = "wrk -t2" if args.wrk else "asyncio client"
    print(f"{args.connections} keep-alive connections, {args.seconds:g} s per row, {driver}")
    print(f"{'server':<30} {'req/s':>10} {'ratio':>7} {'CPU us/req':>11}")
    baseline = 0.0
    ok = True
    for label, kind, server_file in rows:
        rps, cpu = _measure(kind, server_file, args)
        baseline = baseline or rps
        cpu_text = "n/a" if cpu is None else f"{cpu:,.0f}"
        print(f"{label:<30} {rps:>10,.0f} {rps / baseline:>7.2f} {cpu_text:>11}", flush=True)
        if kind == "trivial" and server_file is None:
            ok = rps >= REQUIRED_RPS
    print(f"requirement: FakeServer >= {REQUIRED_RPS:,} req/s: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
