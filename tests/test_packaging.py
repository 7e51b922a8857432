"""What a release is made of: one version, a license, and an sdist without a broken test suite."""

from __future__ import annotations

import sys
from importlib.metadata import metadata
from pathlib import Path

import bigc

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_has_one_source() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    if tomllib is not None:
        project = tomllib.loads(text)["project"]
        assert "version" not in project and "version" in project["dynamic"]
        dynamic = tomllib.loads(text)["tool"]["setuptools"]["dynamic"]
        assert dynamic["version"] == {"attr": "bigc.__version__"}
    assert metadata("bigc")["Version"] == bigc.__version__


def test_the_license_is_mit_and_shipped() -> None:
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert metadata("bigc")["License-Expression"] == "MIT"


def test_the_project_links_to_its_home() -> None:
    urls = metadata("bigc").get_all("Project-URL") or []
    assert any(url.startswith("Source, https://") for url in urls)


def test_the_sdist_leaves_the_tests_out() -> None:
    """They need the whole repository (OpenAPI copies, examples/, scripts/)."""
    assert "prune tests" in (ROOT / "MANIFEST.in").read_text().splitlines()
