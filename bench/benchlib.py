"""Helpers shared by the suite and every driver.

Standard library only: the drivers for the published baselines import this
module from their own virtual environments, where bigc 2 is not installed.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import itertools
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

STORE_HASH = "benchstore"
ACCESS_TOKEN = "benchtoken"
# The baselines hard-code the production API; the drivers rewrite this prefix.
PRODUCTION = "https://api.bigcommerce.com"
# Requests made before the measured part of the per-request scenario.
WARMUP_REQUESTS = 50


def redirect(url: str, base_url: str) -> str:
    """Point a production API URL at the fake store."""
    if not url.startswith(PRODUCTION):
        raise ValueError(f"not a BigCommerce API URL: {url!r}")
    return base_url + url[len(PRODUCTION) :]


def max_rss_kib() -> int:
    """Peak resident set size of this process so far, in KiB (Linux units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def emit(result: Mapping[str, Any]) -> None:
    """Print the driver's result as one JSON line on stdout."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line every driver understands."""
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["export", "quota", "get", "memory"])
    parser.add_argument("--url", required=True, help="the fake store's base URL")
    parser.add_argument("--client", default="sync", choices=["sync", "async"])
    parser.add_argument("--resource", default="products", choices=["products", "orders"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--page-size", type=int, help="quota scenario only")
    parser.add_argument("--requests", type=int, default=2000, help="get scenario")
    parser.add_argument("--items", type=int, default=0, help="memory scenario: stop after")
    parser.add_argument(
        "--drop",
        action="store_true",
        help="export: count the items and drop them, rather than keep them all in a list",
    )
    parser.add_argument(
        "--json", default="msgspec", choices=["msgspec", "stdlib"], help="bigc 2 only: decoder"
    )
    return parser.parse_args(argv)


class Recorder:
    """Every HTTP response a client received: when, status, and the window reset."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.attempts: list[tuple[float, int, int | None]] = []
        self.elapsed: list[float] = []

    def record(self, status: int, headers: Mapping[str, str], elapsed: float) -> None:
        """One response: its status, headers, and seconds from sending to its head."""
        reset = headers.get("X-Rate-Limit-Time-Reset-Ms")
        self.attempts.append(
            (time.monotonic() - self.start, status, None if reset is None else int(float(reset)))
        )
        self.elapsed.append(elapsed)

    def clear(self) -> None:
        self.attempts.clear()
        self.elapsed.clear()


def consume(items: Iterable[Any], drop: bool) -> int:
    """How many items an export gave: kept in a list, as ``list(...)`` does, or dropped."""
    if drop:
        return sum(1 for _ in items)
    return len(list(items))


class Clock:
    """Wall and CPU time (``time.process_time()``: all threads, user + system) of runs."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.cpu: list[float] = []

    def start(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def stop(self) -> None:
        self.times.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)


def error_name(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__name__}"


def time_gets(
    get: Callable[[Any], Any], ids: Sequence[Any], args: argparse.Namespace
) -> dict[str, Any]:
    """Client CPU and wall time per ``get(id)``: warm-up, then ``args.repeat`` batches."""
    cycle = itertools.cycle(ids)
    for _ in range(WARMUP_REQUESTS):
        get(next(cycle))
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(args.repeat):
        batch = [next(cycle) for _ in range(args.requests)]
        c0, w0 = time.process_time(), time.perf_counter()
        for object_id in batch:
            get(object_id)
        cpu.append((time.process_time() - c0) / args.requests * 1e6)
        wall.append((time.perf_counter() - w0) / args.requests * 1e6)
    return {"cpu_us": cpu, "wall_us": wall}


def record_requests_responses(recorder: Recorder) -> None:
    """Make every ``requests`` session report its responses to ``recorder`` (baselines)."""
    requests = importlib.import_module("requests")
    original = requests.Session.request

    def request(self: Any, *args: Any, **kwargs: Any) -> Any:
        response = original(self, *args, **kwargs)
        recorder.record(response.status_code, response.headers, response.elapsed.total_seconds())
        return response

    requests.Session.request = request


def export_result(clock: Clock, items: int, recorder: Recorder) -> dict[str, Any]:
    """What a driver reports for an export: run times, items, requests, median request time."""
    return {
        "times": clock.times,
        "cpu": clock.cpu,
        "items": items,
        "requests": len(recorder.attempts),
        "request_ms": statistics.median(recorder.elapsed) * 1000,
    }


def export_through_requests(
    client: Callable[[], Any], listing: Callable[[Any], Iterable[Any]], args: argparse.Namespace
) -> dict[str, Any]:
    """The export scenario of a ``requests``-based baseline: ``args.repeat`` timed
    reads of ``listing(client())``, each on a new client, every request counted."""
    recorder = Recorder()
    record_requests_responses(recorder)
    clock = Clock()
    items = 0
    for _ in range(args.repeat):
        recorder.clear()
        api = client()
        clock.start()
        try:
            items = consume(listing(api), args.drop)
        except Exception as exc:  # e.g. a v2-only package asked for v3 products
            return {
                "error": f"{error_name(exc)}: {str(exc)[:120]}",
                "requests": len(recorder.attempts),
            }
        clock.stop()
    return export_result(clock, items, recorder)


@contextlib.contextmanager
def quota_run(errors: type[BaseException]) -> Iterator[dict[str, Any]]:
    """The quota scenario's report, filled while the ``with`` body reads a list
    and counts its ``items``: the error of type ``errors`` that stopped the
    list, if any, and the time the read took."""
    result: dict[str, Any] = {"error": None, "items": 0}
    started = time.perf_counter()
    try:
        yield result
    except errors as exc:
        result["error"] = error_name(exc)
        result["error_status"] = getattr(exc, "status_code", None)
    result["elapsed"] = time.perf_counter() - started
