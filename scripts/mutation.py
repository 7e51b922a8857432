"""Mutation testing of the I/O-free core with mutmut, one module at a time.

Each module is mutated in a fresh scratch copy of the repository
(``.mutation/<module>/``, kept after the run for ``mutmut show``/``browse``) with
only the tests that exercise it, so that a run stays short.
Mutants listed in ``scripts/mutation-equivalents.txt`` (each with the reason it
cannot be killed) are left out of the score; every other survivor counts against it.

Usage: scripts/mutation [MODULE ...]   (names as in MODULES, e.g. ``_retry``; default all)
Exits 1 when a module scores below MODULE_TARGET or all of them below TOTAL_TARGET.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
EQUIVALENTS = ROOT / "scripts" / "mutation-equivalents.txt"
MODULE_TARGET = 85.0
TOTAL_TARGET = 90.0

# The core's unit tests, plus the client tests (in-process transports) for the
# modules the clients drive. Left out for speed: the fault matrix and the load
# test (real sockets, seconds per mutant), the fake store's tests and server,
# the README, tour, spec and packaging tests; none of them checks a core
# decision that these do not.
CORE_TESTS = [
    "tests/test_core.py",
    "tests/test_core_config.py",
    "tests/test_core_pagination.py",
    "tests/test_core_ratelimit.py",
    "tests/test_core_responses.py",
    "tests/test_core_retry.py",
    "tests/test_core_urls.py",
    "tests/test_edges.py",
]

# Module (under src/bigc) -> the tests that run against its mutants.
MODULES: dict[str, list[str]] = {
    "_urls": CORE_TESTS,
    "_retry": [*CORE_TESTS, "tests/test_client.py"],
    "_config": [*CORE_TESTS, "tests/test_client.py"],
    "_responses": [*CORE_TESTS, "tests/test_client.py"],
    "_pagination": [*CORE_TESTS, "tests/test_client.py"],
    "_ratelimit": [*CORE_TESTS, "tests/test_ratelimit.py", "tests/test_client.py"],
    "_redis_scripts": CORE_TESTS,
    "_json": [*CORE_TESTS, "tests/test_core_json.py", "tests/test_json.py"],
    "_compression": [*CORE_TESTS, "tests/test_core_compression.py", "tests/test_compression.py"],
    "apps/_jwt": ["tests/test_apps_jwt.py", "tests/test_core_jwt.py"],
    "apps/_webhooks": ["tests/test_apps_webhooks.py", "tests/test_core_webhooks.py"],
    "_endpoints": ["tests/test_core_endpoints.py", "tests/test_resources.py"],
    "_options": ["tests/test_core_options.py", "tests/test_resources.py"],
    "_graphql": ["tests/test_core_graphql.py", "tests/test_graphql_documents.py"],
    "_multipart": ["tests/test_core_multipart.py", "tests/test_uploads.py"],
    "_progress": ["tests/test_core_progress.py", "tests/test_pages.py"],
    "_text": ["tests/test_core_text.py", "tests/test_text_answers.py"],
}

KILLED = {"killed", "timeout", "caught by type check"}


@dataclass
class Score:
    module: str
    killed: int
    survivors: list[str]
    equivalent: int

    @property
    def counted(self) -> int:
        return self.killed + len(self.survivors)

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / self.counted if self.counted else 100.0


@dataclass(frozen=True)
class Equivalent:
    change: str  # the mutant's added line(s), so that a renumbered mutant is not excused
    reason: str


def load_equivalents() -> dict[str, Equivalent]:
    """Mutant name -> what it changes and why that cannot be told apart.

    Lines: ``name | added line | reason``; ``#`` starts a comment.
    """
    equivalents: dict[str, Equivalent] = {}
    for number, line in enumerate(EQUIVALENTS.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split(" | ", 2)]
        if len(parts) != 3 or not all(parts):
            sys.exit(f"{EQUIVALENTS.name}:{number}: expected 'name | added line | reason'")
        equivalents[parts[0]] = Equivalent(parts[1], parts[2])
    return equivalents


def prepare(module: str) -> Path:
    """A scratch copy of src/ and the tests, configured to mutate ``module`` only."""
    work = WORK / module.replace("/", ".")
    # Afresh every run: mutmut's cache keeps a mutant's old result when only the
    # tests changed, so a new test would not count until its function changed.
    shutil.rmtree(work, ignore_errors=True)
    for folder in ("src", "tests"):
        shutil.copytree(ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__"))
    # The tests read the spec files with the generators' $ref reader.
    (work / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "spec_refs.py", work / "scripts" / "spec_refs.py")
    tests = sorted(
        str(path.relative_to(ROOT)) for pattern in MODULES[module] for path in ROOT.glob(pattern)
    )
    config = (ROOT / "pyproject.toml").read_text()
    config += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f'only_mutate = ["src/bigc/{module}.py"]\n'
        f"pytest_add_cli_args_test_selection = {tests!r}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]\n'
        'also_copy = ["scripts"]\n'
        "use_git_change_detection = false\n"
    ).replace("'", '"')
    (work / "pyproject.toml").write_text(config)
    return work


# mutmut stops with this when no selected test runs the module: every mutant survives.
NO_TESTS = "could not find any test case for any mutant"


def mutmut(work: Path, *args: str) -> str:
    command = ["nice", "-n", "15", sys.executable, "-m", "mutmut", *args]
    result = subprocess.run(command, cwd=work, capture_output=True, text=True)
    if result.returncode != 0 and NO_TESTS not in result.stdout:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        sys.exit(f"mutmut {' '.join(args)} failed in {work} (exit {result.returncode})")
    return result.stdout


def change_of(work: Path, name: str) -> str:
    """The lines a mutant adds (the lines it removes when it adds none), on one line."""
    diff = [line for line in mutmut(work, "show", name).splitlines() if changed_line(line)]
    lines = [line for line in diff if line.startswith("+")] or diff
    return " / ".join(line[1:].strip() for line in lines)


def measure(module: str, jobs: int, equivalents: dict[str, Equivalent]) -> Score:
    work = prepare(module)
    mutmut(work, "run", "--max-children", str(jobs))
    score = Score(module, 0, [], 0)
    listed = {name for name in equivalents if name.startswith(f"bigc.{module.replace('/', '.')}.")}
    for line in mutmut(work, "results", "--all", "true").splitlines():
        match = re.fullmatch(r"\s*(\S+): (.+)", line)
        if not match:
            continue
        name, status = match.groups()
        if status in KILLED:
            score.killed += 1
            continue
        listed.discard(name)
        if name in equivalents:
            change = change_of(work, name)
            if change == equivalents[name].change:
                score.equivalent += 1
                continue
            print(f"stale entry in {EQUIVALENTS.name}: {name} now changes: {change}")
        score.survivors.append(f"{name}: {status}")
    for name in sorted(listed):
        # Its function changed (mutant numbers moved) or a test now kills it: re-check the list.
        print(f"stale entry in {EQUIVALENTS.name}: {name} is killed or gone")
    return score


def changed_line(line: str) -> bool:
    """A removed or added line of a diff (not its ``---``/``+++`` file names)."""
    return line[:1] in "-+" and line[:3] not in ("---", "+++") and line != ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--show", action="store_true", help="print each survivor's diff")
    options = parser.parse_args()
    unknown = set(options.modules) - set(MODULES)
    if unknown:
        parser.error(f"unknown modules {sorted(unknown)}; choose from {', '.join(MODULES)}")
    equivalents = load_equivalents()
    scores = [measure(module, options.jobs, equivalents) for module in options.modules or MODULES]
    print(f"{'module':<16} {'killed':>7} {'survived':>9} {'equivalent':>11} {'score':>7}")
    for score in scores:
        print(
            f"{score.module:<16} {score.killed:>7} {len(score.survivors):>9} "
            f"{score.equivalent:>11} {score.percent:>6.1f}%"
        )
    killed = sum(s.killed for s in scores)
    counted = sum(s.counted for s in scores)
    total = 100.0 * killed / counted if counted else 100.0
    print(f"{'total':<16} {killed:>7} {counted - killed:>9} {'':>11} {total:>6.1f}%")
    for score in scores:
        for survivor in score.survivors:
            print(f"survived: {survivor}")
            if options.show:
                work = WORK / score.module.replace("/", ".")
                diff = mutmut(work, "show", survivor.split(":")[0]).splitlines()
                print("\n".join(f"    {line}" for line in diff if changed_line(line)))
    low = [s.module for s in scores if s.percent < MODULE_TARGET]
    if low or total < TOTAL_TARGET:
        print(
            f"below target ({MODULE_TARGET:.0f}% per module, {TOTAL_TARGET:.0f}% in all): "
            + (", ".join(low) or "total")
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
