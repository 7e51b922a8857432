"""``python -m bigc.testing serve``: run the fake store as a loopback HTTP server.

Meant for tests in other processes and languages: the base URL is the first
line of stdout, so a parent process can start this with ``--port 0`` and read
where to connect. It serves until SIGINT or SIGTERM, then lets requests in
progress finish (up to ``--shutdown-timeout``) and exits 0. A port that
cannot be used is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypedDict

from bigc.testing._limits import Limits

if TYPE_CHECKING:
    from bigc.testing._server import Store

_KIB = 1024
# (flag, Limits field, the field's units per flag unit, help): one row per limit.
_LIMIT_FLAGS = (
    ("--max-body-kib", "max_body_bytes", _KIB, "larger request bodies get 413"),
    ("--max-header-kib", "max_header_bytes", _KIB, "larger request heads get 431"),
    ("--idle-timeout", "idle_timeout", 1, "seconds a connection may idle between requests"),
    ("--head-timeout", "head_timeout", 1, "seconds a request head may take"),
    ("--body-timeout", "body_timeout", 1, "seconds a request body may take"),
    ("--send-timeout", "send_timeout", 1, "seconds a client may take to read an answer"),
    ("--max-connections", "max_connections", 1, "connections open at once"),
    ("--shutdown-timeout", "shutdown_timeout", 1, "seconds a stop waits for requests"),
)


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535)")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bigc.testing")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a fake BigCommerce store over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=0, help="0 picks a free port (default)")
    serve.add_argument("--store-hash", help="accept only this store hash (default: any)")
    serve.add_argument("--access-token", help="accept only this token (default: any non-empty)")
    serve.add_argument("--sample-data", action="store_true", help="fill the store with samples")
    serve.add_argument("--products", type=int, help="sample products (implies --sample-data)")
    serve.add_argument("--customers", type=int, help="sample customers (implies --sample-data)")
    serve.add_argument("--orders", type=int, help="sample orders (implies --sample-data)")
    serve.add_argument("--seed", type=int, default=0, help="seed for sample data and jitter")
    serve.add_argument("--quota", type=int, help="requests per window before 429 (default: none)")
    serve.add_argument("--window-ms", type=int, default=30000, help="rate-limit window")
    link = serve.add_argument_group("the modelled network link")
    link.add_argument("--latency-ms", type=float, default=0.0, help="added to every answer")
    link.add_argument("--jitter-ms", type=float, default=0.0, help="random extra latency")
    link.add_argument(
        "--bandwidth-mbps",
        type=float,
        help="pace each connection's answers to this many megabits/s (default: unpaced)",
    )
    link.add_argument(
        "--no-compress",
        dest="compress",
        action="store_false",
        help="never compress answers (default: gzip/br/zstd when the client asks)",
    )
    limits = serve.add_argument_group("limits")
    defaults = Limits()
    for flag, field, unit, text in _LIMIT_FLAGS:
        default = getattr(defaults, field)
        limits.add_argument(
            flag,
            type=type(default),
            default=default // unit if unit > 1 else default,
            help=f"{text} (default: %(default)s)",
        )
    limits.add_argument(
        "--log-size", type=int, default=1000, help="requests kept in the log (default: %(default)s)"
    )
    limits.add_argument(
        "--log-body-kib",
        type=int,
        default=16,
        help="larger bodies are logged by size only (default: %(default)s)",
    )
    limits.add_argument(
        "--write-paths",
        type=int,
        default=10_000,
        help="paths whose write counts are kept, the last written (default: %(default)s)",
    )
    limits.add_argument(
        "--webhook-log-size",
        type=int,
        default=1000,
        help="webhook delivery attempts kept, and deliveries waiting (default: %(default)s)",
    )
    limits.add_argument(
        "--max-tokens",
        type=int,
        default=10_000,
        help="storefront tokens, and customer sessions, alive at once (default: %(default)s)",
    )
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
    log_size: int
    log_body_limit: int
    write_paths: int
    webhook_log_size: int
    max_tokens: int


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
        log_size=args.log_size,
        log_body_limit=args.log_body_kib * _KIB,
        write_paths=args.write_paths,
        webhook_log_size=args.webhook_log_size,
        max_tokens=args.max_tokens,
    )
    counts = _Counts()
    for name in ("products", "customers", "orders"):
        if getattr(args, name) is not None:
            counts[name] = getattr(args, name)
    if not (args.sample_data or counts):
        return FakeStore(**options)
    return FakeStore.with_sample_data(**counts, **options)


def _limits(args: argparse.Namespace) -> Limits:
    values = {
        field: getattr(args, flag[2:].replace("-", "_")) * unit
        for flag, field, unit, _ in _LIMIT_FLAGS
    }
    return Limits(**values)


# Files the process needs besides client sockets: the listener, stdio, modules.
_SPARE_FILES = 64


def _fit_open_files(limits: Limits) -> Limits:
    """Raise the soft open-files limit so that ``max_connections`` sockets fit
    (Unix); where the hard limit is lower, lower ``max_connections`` to fit it,
    so the cap (which closes idle connections) acts before ``accept`` fails."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return limits
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = limits.max_connections + _SPARE_FILES
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return limits
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft >= wanted:
        return limits
    fitting = max(1, soft - _SPARE_FILES)
    print(
        f"bigc.testing: --max-connections lowered to {fitting} (open-files limit {soft})",
        file=sys.stderr,
    )
    return replace(limits, max_connections=fitting)


async def _serve(args: argparse.Namespace, store: Store, limits: Limits) -> None:
    """Serve until SIGINT/SIGTERM, announcing the base URL on stdout first."""
    from bigc.testing._server import FakeServer

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not available on Windows; Ctrl-C then arrives as KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    server = FakeServer(
        store,
        args.host,
        args.port,
        limits=limits,
        bandwidth_mbps=args.bandwidth_mbps,
        compress=args.compress,
    )
    await server.start()
    try:
        print(server.base_url, flush=True)
        await stop.wait()
    finally:
        await server.stop(grace=limits.shutdown_timeout)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        limits = _limits(args)
        store = _build_store(args)
        if args.bandwidth_mbps is not None and not args.bandwidth_mbps > 0:
            raise ValueError("--bandwidth-mbps must be a positive number")
    except ValueError as exc:
        parser.error(str(exc))
    limits = _fit_open_files(limits)
    try:
        asyncio.run(_serve(args, store, limits))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        # Most often the port is taken: one line, no traceback.
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        print(f"bigc.testing: cannot serve on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
