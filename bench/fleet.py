"""Many worker processes, one store's quota: 429s, utilisation and fairness.

    .venv/bin/python bench/fleet.py            # 8 workers, quota 50 per 2 s, three ways
    .venv/bin/python bench/fleet.py --sweep    # also 2, 4, 8 independent workers, sync and async
    .venv/bin/python bench/fleet.py --alone    # only the single-process export below

Each worker process exports the fake store's catalog over and over
(``bench/fleet_worker.py``) for ``--duration`` seconds, all starting at once.
Three ways:

- ``before``: independent clients, the bigc of commit ``BASELINE`` (before the
  fleet work; extracted with ``git archive`` into a temporary folder);
- ``after``: independent clients of this tree (the quota spread over the window);
- ``redis``: this tree's clients sharing one ``RedisQuota`` (needs redis-server),
  sync workers, then async ones with ``AsyncRedisQuota``.

Reported: 429s the store sent, 429s that reached a caller, utilisation (200
answers / (quota x windows in the run)) and Jain's fairness index of the 200
answers per worker (1.0: all equal; 1/N: one worker got everything).

Then one process alone on a Standard store (150 requests per 30 s, 100 ms
per answer) exports 40 pages, 12 at a time, paced three ways: always spread
(``spread=True``, the default before adaptive pacing), adaptive (the
default) and never spread; it prints each time and the ratio to the first.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bigc.testing import FakeServer, FakeStore  # noqa: E402

BASELINE = "7e058ec8aa07310dc07ba02b8f214f2468b96b01"
WORKER = Path(__file__).resolve().parent / "fleet_worker.py"
PRODUCTS = 100


@dataclass(frozen=True)
class Run:
    mode: str
    kind: str
    workers: int
    sent_429: int
    surfaced_429: int
    errors: int
    utilisation: float
    fairness: float
    per_worker: list[int]

    def row(self) -> str:
        return (
            f"| {self.mode} | {self.kind} | {self.workers} | {self.sent_429} "
            f"| {self.surfaced_429} | {self.errors} | {self.utilisation:.0%} | {self.fairness:.2f} "
            f"| {' '.join(map(str, self.per_worker))} |"
        )


HEADER = (
    "| clients | kind | workers | 429s sent by the store | 429s surfaced | other errors "
    "| utilisation | Jain's fairness | 200s per worker |\n|---|---|---|---|---|---|---|---|---|"
)


def jain(values: list[int]) -> float:
    total = sum(values)
    squares = sum(v * v for v in values)
    return total * total / (len(values) * squares) if squares else 0.0


def extract_baseline(into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BASELINE, "src/bigc"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def run_fleet(args: argparse.Namespace, mode: str, kind: str, workers: int, src: Path) -> Run:
    import json

    store = FakeStore.with_sample_data(
        products=PRODUCTS, quota=args.quota, window_ms=args.window_ms
    )
    config = {
        "mode": mode,
        "kind": kind,
        "redis_url": args.redis_url,
        "duration": args.duration,
        "page_size": args.page_size,
    }
    with FakeServer(store) as server:
        config["base_url"] = server.base_url
        env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}
        procs = [
            subprocess.Popen(
                [sys.executable, str(WORKER), json.dumps(config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            for _ in range(workers)
        ]
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        start = time.time() + 0.2
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(f"{start}\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, _ = proc.communicate(timeout=args.duration + 120)
            results.append(json.loads(out.strip().splitlines()[-1]))
    ok = [r.get("http_200", 0) for r in results]
    windows = args.duration * 1000 / args.window_ms
    return Run(
        mode=mode,
        kind=kind,
        workers=workers,
        sent_429=sum(1 for request in store.requests if request.status == 429),
        surfaced_429=sum(r.get("surfaced_429", 0) for r in results),
        errors=sum(r.get("errors", 0) for r in results),
        utilisation=sum(ok) / (args.quota * windows),
        fairness=jain(ok),
        per_worker=ok,
    )


ALONE_QUOTA = 150
ALONE_WINDOW_MS = 30_000
ALONE_LATENCY = 0.1
ALONE_PAGES = 40
ALONE_PAGE_SIZE = 25
ALONE_CONCURRENCY = 12


def export_alone(spread: bool | None) -> tuple[float, int]:
    """Seconds to export the catalog alone on a fresh store, and requests sent."""
    from bigc import BigCommerceAPI
    from bigc.quota import LocalQuota

    store = FakeStore.with_sample_data(
        products=ALONE_PAGES * ALONE_PAGE_SIZE,
        quota=ALONE_QUOTA,
        window_ms=ALONE_WINDOW_MS,
        latency=ALONE_LATENCY,
    )
    with FakeServer(store) as server:
        api = BigCommerceAPI(
            "alone",
            "token",
            base_url=server.base_url,
            concurrency=ALONE_CONCURRENCY,
            quota=LocalQuota(spread=spread),
        )
        with api:
            started = time.perf_counter()
            read = sum(
                1 for _ in api.api_v3.get_many("/catalog/products", page_size=ALONE_PAGE_SIZE)
            )
            elapsed = time.perf_counter() - started
    assert read == ALONE_PAGES * ALONE_PAGE_SIZE, read
    return elapsed, len(store.requests)


def run_alone() -> None:
    print(
        f"\none process alone: {ALONE_PAGES} pages of {ALONE_PAGE_SIZE}, concurrency "
        f"{ALONE_CONCURRENCY}, quota {ALONE_QUOTA} per {ALONE_WINDOW_MS} ms, "
        f"{ALONE_LATENCY * 1000:.0f} ms per answer\n"
    )
    print("| pacing | requests | seconds | speed-up |\n|---|---|---|---|")
    baseline = 0.0
    for name, spread in (
        ("always spread (`spread=True`, the old default)", True),
        ("adaptive (the default)", None),
        ("never spread (`spread=False`)", False),
    ):
        elapsed, requests = export_alone(spread)
        baseline = baseline or elapsed
        print(f"| {name} | {requests} | {elapsed:.2f} | {baseline / elapsed:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--quota", type=int, default=50)
    parser.add_argument("--window-ms", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--page-size", type=int, default=10)
    parser.add_argument("--sweep", action="store_true", help="also 2, 4, 8 workers, sync+async")
    parser.add_argument("--alone", action="store_true", help="only the single-process export")
    args = parser.parse_args()
    if args.alone:
        run_alone()
        return
    from bigc.testing._redis_server import RedisServer

    redis_server = RedisServer()
    redis_server.start()
    args.redis_url = redis_server.url
    print(
        f"quota {args.quota} per {args.window_ms} ms, {args.duration:g} s per run, "
        f"pages of {args.page_size} of {PRODUCTS} products, default client settings\n"
    )
    runs: list[Run] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sources = {"before": extract_baseline(Path(tmp)), "after": ROOT / "src"}
            sources["redis"] = sources["after"]
            plan = [(mode, "sync", args.workers) for mode in ("before", "after", "redis")]
            plan.append(("redis", "async", args.workers))
            if args.sweep:
                plan += [
                    (mode, kind, n)
                    for kind in ("sync", "async")
                    for n in (2, 4, 8)
                    for mode in ("before", "after")
                ]
            print(HEADER)
            for mode, kind, workers in plan:
                redis_server.client().flushall()
                run = run_fleet(args, mode, kind, workers, sources[mode])
                runs.append(run)
                print(run.row(), flush=True)
    finally:
        redis_server.close()
    run_alone()


if __name__ == "__main__":
    main()
