"""The JSON decoder's choice: msgspec when it can be imported, chosen at the first body."""

from __future__ import annotations

import sys

import pytest

from bigc import _json


@pytest.fixture
def first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """``bigc._json`` as just imported: no decoder chosen yet (the decoder in use is
    put back after the test)."""
    monkeypatch.setattr(_json, "loads", _json._first_loads)


def test_the_first_body_chooses_msgspec_and_is_decoded(first_use: None) -> None:
    assert _json.loads(b'{"id": 1}') == {"id": 1}
    assert _json.loads not in (_json._first_loads, _json._stdlib_loads)
    assert _json.loads(b"[1, 2]") == [1, 2]


def test_without_msgspec_the_first_body_chooses_json(
    first_use: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec raises ImportError
    assert _json.loads(b'{"id": 1}') == {"id": 1}
    assert _json.loads is _json._stdlib_loads


def test_asking_for_msgspec_without_it_says_it_is_not_in_use(
    first_use: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)
    assert _json.use_speedups(True) is False
    assert _json.loads is _json._stdlib_loads
