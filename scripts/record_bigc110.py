"""Record the resource method signatures of the published bigc 1.1.0 into tests/seed_110.py.

bigc 2 must accept every call that 1.1.0 accepts. This reads the installed (or
unpacked) 1.1.0 package's source, so that its dependencies need not be
installed, and writes the table that ``tests/test_compat_110.py`` binds
against both clients::

    pip download bigc==1.1.0 --no-deps -d /tmp/bigc110
    python -m zipfile -e /tmp/bigc110/bigc-1.1.0-py3-none-any.whl /tmp/bigc110/ex
    python scripts/record_bigc110.py /tmp/bigc110/ex/bigc
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "seed_110.py"


def groups(package: Path) -> dict[str, str]:
    """Client attribute (``products_v3``) of each resource class, from ``api.py``."""
    found = {}
    for node in ast.walk(ast.parse((package / "api.py").read_text())):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Attribute):
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
                found[value.func.id] = node.target.attr
    return found


def signatures(package: Path) -> list[tuple[str, str, tuple[str, ...], int, tuple[str, ...]]]:
    by_class = groups(package)
    rows = []
    for path in sorted((package / "resources").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.ClassDef) or node.name not in by_class:
                continue
            for item in node.body:
                if not isinstance(item, ast.FunctionDef) or item.name.startswith("_"):
                    continue
                args = item.args
                positional = tuple(a.arg for a in args.args[1:])
                required = len(positional) - len(args.defaults)
                keywords = tuple(a.arg for a in args.kwonlyargs)
                rows.append((by_class[node.name], item.name, positional, required, keywords))
    return sorted(rows)


def render(rows: list[tuple[str, str, tuple[str, ...], int, tuple[str, ...]]]) -> str:
    lines = [
        '"""The resource methods of bigc 1.1.0: recorded by scripts/record_bigc110.py."""',
        "",
        "from __future__ import annotations",
        "",
        "# (group, method): (positional parameters, how many are required, keyword-only options)",
        "# fmt: off",
        "SIGNATURES: dict[tuple[str, str], tuple[tuple[str, ...], int, tuple[str, ...]]] = {",
    ]
    for group, method, positional, required, keywords in rows:
        lines.append(f"    ({group!r}, {method!r}):")
        lines.append(f"        ({positional!r}, {required}, {keywords!r}),")
    lines += ["}", "# fmt: on", "", "SEED_METHODS = frozenset(SIGNATURES)", ""]
    return "\n".join(lines).replace("'", '"')


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    OUT.write_text(render(signatures(Path(argv[0]))))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
