"""``python -m bigc.testing serve``: run the fake store as a loopback HTTP server.

Meant for tests in other processes and languages: the base URL is the first
line of stdout, so a parent process can start this with ``--port 0`` and read
where to connect. It serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from typing import TypedDict

from bigc.testing._server import FakeServer, Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bigc.testing")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a fake BigCommerce store over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    serve.add_argument("--store-hash", help="accept only this store hash (default: any)")
    serve.add_argument("--access-token", help="accept only this token (default: any non-empty)")
    serve.add_argument("--sample-data", action="store_true", help="fill the store with samples")
    serve.add_argument("--products", type=int, help="sample products (implies --sample-data)")
    serve.add_argument("--customers", type=int, help="sample customers (implies --sample-data)")
    serve.add_argument("--orders", type=int, help="sample orders (implies --sample-data)")
    serve.add_argument("--seed", type=int, default=0, help="seed for sample data and jitter")
    serve.add_argument("--latency-ms", type=float, default=0.0, help="added to every answer")
    serve.add_argument("--jitter-ms", type=float, default=0.0, help="random extra latency")
    serve.add_argument("--quota", type=int, help="requests per window before 429 (default: none)")
    serve.add_argument("--window-ms", type=int, default=30000, help="rate-limit window")
    return parser


class _Counts(TypedDict, total=False):
    products: int
    customers: int
    orders: int


class _Options(TypedDict):
    store_hash: str | None
    access_token: str | None
    quota: int | None
    window_ms: int
    latency: float
    jitter: float
    seed: int


def _build_store(args: argparse.Namespace) -> Store:
    # Imported here so that `--help` and argument errors stay instant.
    from bigc.testing._store import FakeStore

    options = _Options(
        store_hash=args.store_hash,
        access_token=args.access_token,
        quota=args.quota,
        window_ms=args.window_ms,
        latency=args.latency_ms / 1000,
        jitter=args.jitter_ms / 1000,
        seed=args.seed,
    )
    counts = _Counts()
    for name in ("products", "customers", "orders"):
        if getattr(args, name) is not None:
            counts[name] = getattr(args, name)
    if not (args.sample_data or counts):
        return FakeStore(**options)
    return FakeStore.with_sample_data(**counts, **options)


async def _serve(store: Store, host: str, port: int) -> None:
    """Serve until SIGINT/SIGTERM, announcing the base URL on stdout first."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not available on Windows; Ctrl-C then arrives as KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    async with FakeServer(store, host, port) as server:
        print(server.base_url, flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    store = _build_store(args)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(store, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
