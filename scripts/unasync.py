"""Generate the sync client (``src/bigc/_sync``) from the async one (``src/bigc/_async``).

The async code is the one definition of every endpoint. This script rewrites
its tokens (``async def`` -> ``def``, ``await x`` -> ``x``, ``AsyncFoo`` ->
``Foo``, ``aclose`` -> ``close``, ...) and formats the result with ruff.
``_backend.py`` differs by nature (threads vs tasks) and is written by hand
on both sides. ``python scripts/unasync.py --check`` fails when the committed
sync code is stale; the test command runs it.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "bigc" / "_async"
TARGET = ROOT / "src" / "bigc" / "_sync"
HAND_WRITTEN = {"_backend.py"}
HEADER = "# Generated from bigc/_async/{name} by scripts/unasync.py: edit that file instead.\n"

NAMES = {
    "aclose": "close",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "StopAsyncIteration": "StopIteration",
    "_async": "_sync",
}
ASYNC_NAME = re.compile(r"\bAsync([A-Z]\w*)")
TEXT_WORDS = re.compile(r"\b(aclose|_async|async with|async for|await )")
DROPPED = {"async", "await"}


# The text parts of an f-string: their own token type from Python 3.12 on.
FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", -1)


def _rename(name: str) -> str:
    return NAMES.get(name) or ASYNC_NAME.sub(r"\1", name)


def _retext(text: str) -> str:
    """Names inside strings and comments (docstrings mention classes)."""
    text = ASYNC_NAME.sub(r"\1", text)
    words = {"aclose": "close", "_async": "_sync", "async with": "with", "async for": "for"}
    return TEXT_WORDS.sub(lambda m: words.get(m.group(1), ""), text)


def unasync_source(source: str) -> str:
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0] - 1] + position[1]

    out: list[str] = []
    cursor = 0
    skip_space = False
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        begin, end = offset(token.start), offset(token.end)
        gap = source[cursor:begin]
        out.append("" if skip_space and not gap.strip() else gap)
        skip_space = False
        cursor = end
        if token.type == tokenize.NAME and token.string in DROPPED:
            skip_space = True
            continue
        if token.type == tokenize.NAME:
            out.append(_rename(token.string))
        elif token.type in (tokenize.STRING, tokenize.COMMENT):
            out.append(_retext(token.string))
        elif token.type == FSTRING_MIDDLE:  # Python 3.12+ splits f-strings into parts
            out.append(_retext(source[begin:end]))
        else:
            out.append(source[begin:end])
    out.append(source[cursor:])
    return "".join(out)


def generate(target: Path) -> list[Path]:
    written = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if relative.name in HAND_WRITTEN:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = unasync_source(path.read_text())
        destination.write_text(HEADER.format(name=relative.as_posix()) + text)
        written.append(destination)
    ruff = [sys.executable, "-m", "ruff"]
    files = [str(p) for p in written]
    config = ["--config", str(ROOT / "pyproject.toml")]
    fixes = ["--fix", "--unsafe-fixes", "--select", "I,F401,UP028,RUF022"]
    subprocess.run([*ruff, "check", "-q", *config, *fixes, *files], check=False)
    subprocess.run([*ruff, "format", "-q", *config, *files], check=True)
    return written


def main() -> int:
    if "--check" not in sys.argv[1:]:
        for path in generate(TARGET):
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        stale = []
        for path in generate(fresh):
            committed = TARGET / path.relative_to(fresh)
            if not committed.exists() or committed.read_text() != path.read_text():
                stale.append(str(committed.relative_to(ROOT)))
    if stale:
        print("stale generated sync code (run python scripts/unasync.py):", *stale, sep="\n  ")
        return 1
    print("sync code is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
