"""What the endpoint table costs: a generated method against a direct call, and import time.

A generated method checks its options, looks its row up and builds the
escaped path before it sends; a direct ``api_v3.get`` only sends. Both run
here over an in-process transport that answers at once, so only client CPU
is measured (best of 5 batches of 20,000 calls), with the ratio. Then what
``import bigc`` takes and what the first use of a group adds (it imports that
group's module and reads the table), each in fresh interpreters (median of 5).
Run: ``.venv/bin/python bench/table_overhead.py``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from bigc import BigCommerceAPI, Request, Response

BODY = json.dumps({"data": {"id": 7, "name": "Mug"}, "meta": {}}).encode()
CALLS = 20_000


class Instant:
    """A transport that answers every request at once with one product."""

    def send(self, request: Request) -> Response:
        return Response(200, {"Content-Type": "application/json"}, BODY, request)

    def close(self) -> None:
        pass


def per_call_us(call: Callable[[], object]) -> float:
    for _ in range(2_000):
        call()
    batches = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(CALLS):
            call()
        batches.append((time.perf_counter() - started) / CALLS * 1e6)
    return min(batches)


def fresh_ms(code: str) -> float:
    probe = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout)
        for _ in range(5)
    ]
    return statistics.median(runs) * 1000


def main() -> None:
    api = BigCommerceAPI("store", "token", transport=Instant(), pace=False)
    direct = per_call_us(lambda: api.api_v3.get("/catalog/products/7"))
    generated = per_call_us(lambda: api.products_v3.get(7))
    imported = fresh_ms("import bigc")
    first_use = fresh_ms("import bigc; bigc.BigCommerceAPI('s', 't').products_v3") - imported
    print("| measure | value | ratio |")
    print("|---|---|---|")
    print(f"| `api_v3.get` (baseline), per call | {direct:.1f} µs | 1.00 |")
    print(f"| `products_v3.get`, per call | {generated:.1f} µs | {generated / direct:.2f} |")
    print(f"| `import bigc` | {imported:.0f} ms | |")
    print(f"| first client and first group | {first_use:.0f} ms | |")


if __name__ == "__main__":
    main()
