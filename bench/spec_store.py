"""What the fake store's spec-driven layer costs (``bigc.testing._spec_store``).

Rows, each measured in this run:

- loading the operations table in a fresh process (``spec_routes()``: read the
  packaged JSON, build the routes), the first time and cached;
- ``store.handle()`` per request for hand-written endpoints, with the spec
  layer in place and with it bypassed (the baseline: the store as it was
  before it), so the ratio column shows what the fallback adds to them;
- the same for spec-driven endpoints (no baseline: without the layer they
  are 404s).

Usage: ``python bench/spec_store.py [--requests 20000]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
HEADERS = {"X-Auth-Token": "t"}
HAND_WRITTEN = [
    ("GET", "/stores/abc/v3/catalog/products?limit=1"),
    ("GET", "/stores/abc/v3/catalog/products/7"),
    ("GET", "/stores/abc/v2/orders/3"),
]
SPEC_DRIVEN = [
    ("GET", "/stores/abc/v3/catalog/brands/1/metafields"),
    ("GET", "/stores/abc/v2/store"),
    ("GET", "/stores/abc/v3/pricelists/1"),
]
LOAD_SCRIPT = """
import time
import bigc.testing
started = time.perf_counter()
from bigc.testing._spec_routes import spec_routes
spec_routes()
first = time.perf_counter() - started
started = time.perf_counter()
spec_routes()
print(first, time.perf_counter() - started)
"""


def load_times(runs: int) -> tuple[float, float]:
    """Median (first load, cached load) in seconds, each in a fresh interpreter."""
    firsts, cached = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(SRC)},
        ).stdout.split()
        firsts.append(float(out[0]))
        cached.append(float(out[1]))
    return statistics.median(firsts), statistics.median(cached)


def per_request(store: Any, targets: list[tuple[str, str]], requests: int) -> float:
    """Microseconds per ``handle()`` call, cycling through ``targets``."""
    for method, target in targets:
        reply = store.handle(method, target, HEADERS, b"")
        assert reply.status == 200, (target, reply.status, reply.body[:200])
    started = time.perf_counter()
    for n in range(requests):
        method, target = targets[n % len(targets)]
        store.handle(method, target, HEADERS, b"")
    return (time.perf_counter() - started) / requests * 1e6


def bypassed(store: Any) -> Any:
    """The same store with the spec layer out of the way (hand-written routes only)."""
    passthrough: Callable[..., Any] = lambda method, segments, found: found  # noqa: E731
    store._spec.fallback = passthrough
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(SRC))
    from bigc.testing import FakeStore

    def store() -> Any:
        made = FakeStore.with_sample_data(products=20, customers=5, orders=5)
        made.api("POST", "/v3/pricelists", json={"name": "Bench"})
        return made

    first, cached = load_times(args.runs)
    print(f"table load, fresh process: {first * 1000:.1f} ms (cached: {cached * 1e6:.1f} µs)")
    started = time.perf_counter()
    for _ in range(100):
        FakeStore()
    print(f"FakeStore(): {(time.perf_counter() - started) * 10:.2f} ms each\n")

    rows = [
        (
            "hand-written, store as before",
            per_request(bypassed(store()), HAND_WRITTEN, args.requests),
        ),
        ("hand-written, with spec layer", per_request(store(), HAND_WRITTEN, args.requests)),
        ("spec-driven", per_request(store(), SPEC_DRIVEN, args.requests)),
    ]
    baseline = rows[0][1]
    print(f"{'store.handle() per request':34} {'µs':>8} {'ratio':>7}")
    for name, micros in rows:
        print(f"{name:34} {micros:8.1f} {micros / baseline:7.2f}")


if __name__ == "__main__":
    main()
