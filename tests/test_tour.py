"""The README's main job (examples/tour.py) runs against the fake store."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

TOUR = Path(__file__).resolve().parent.parent / "examples" / "tour.py"


def test_tour_runs_against_the_fake_store(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BIGC_STORE_HASH", raising=False)
    monkeypatch.delenv("BIGC_ACCESS_TOKEN", raising=False)
    tour = runpy.run_path(str(TOUR))
    assert tour["main"]() == 0
    out = capsys.readouterr().out
    assert "All 1200 products read" in out
    assert "Checkout became order" in out
    assert "POST   /stores/demo/v3/checkouts/" in out
    assert "demo-token" not in out
