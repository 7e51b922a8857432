"""What telling a GraphQL query from a mutation costs: bigc's lexer against graphql-core.

bigc reads every GraphQL document it sends to decide whether a retry is safe.
This script measures that reading (``bigc._graphql.operation_kind``) against
the baseline of parsing with graphql-core (``parse`` + ``get_operation_ast``),
per document (the first reading: bigc caches the answer per document, so a
paginated query is read once), on a small query and on a README-sized one,
and what importing graphql-core would add to ``import bigc``. It prints one table
with the ratios. Run: ``.venv/bin/python bench/graphql_detect.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import timeit

from graphql import get_operation_ast, parse

from bigc._graphql import _operations, operation_kind

SMALL = "query One($id: Int!) { site { product(entityId: $id) { name } } }"
LARGE = """
# A product page: prices, variants and categories
fragment Money on Money { value currencyCode }
query Product($id: Int!, $after: String) {
  site {
    product(entityId: $id) {
      entityId name sku
      prices { price { ...Money } salePrice { ...Money } retailPrice { ...Money } }
      variants(first: 50, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { entityId sku prices { price { ...Money } } inventoryLevel } }
      }
      categories(first: 10) { edges { node { entityId name description } } }
    }
  }
}
mutation Rename($id: Int!, $name: String = "a \\"quoted\\" name") {
  updateProduct(input: {productId: $id, name: $name}) { product { name } }
}
"""


def uncached(document: str, name: str | None) -> str | None:
    """A first reading: the per-document cache emptied."""
    _operations.cache_clear()
    return operation_kind(document, name)


def per_call_us(call: object, number: int) -> float:
    timer = timeit.Timer(call)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=5, number=number)) / number * 1e6


def extra_import_ms(module: str, runs: int = 5) -> float:
    """What importing ``module`` adds to a process that has imported bigc."""
    code = (
        "import time, bigc; t = time.perf_counter(); "
        f"import {module}; print(time.perf_counter() - t)"
    )
    run = [sys.executable, "-c", code]
    return statistics.median(float(subprocess.check_output(run, text=True)) for _ in range(runs))


def main() -> None:
    rows = []
    for label, document, name in (("small query", SMALL, None), ("large, 2 ops", LARGE, "Product")):
        ours = per_call_us(lambda d=document, n=name: uncached(d, n), 2000)
        theirs = per_call_us(lambda d=document, n=name: get_operation_ast(parse(d), n), 2000)
        rows.append((f"read {label} (µs)", ours, theirs))
    print("| measure | bigc lexer | graphql-core | ratio |")
    print("|---|---:|---:|---:|")
    for label, ours, theirs in rows:
        print(f"| {label} | {ours:.1f} | {theirs:.1f} | {theirs / ours:.1f}x |")
    # bigc._graphql is part of bigc, so it adds nothing to a process that imports bigc.
    print(f"\ngraphql-core would add {extra_import_ms('graphql') * 1000:.0f} ms to `import bigc`")


if __name__ == "__main__":
    main()
