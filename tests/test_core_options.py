"""The per-call options a resource method takes (``bigc._options``), refused as Python would."""

from __future__ import annotations

import pytest

from bigc._options import CALL_KEYS, LIST_KEYS, WRITE_KEYS, check_options


def test_each_kind_of_method_takes_exactly_its_options() -> None:
    assert {"params", "headers", "timeout", "retry_policy"} == WRITE_KEYS
    assert WRITE_KEYS | {"retries"} == CALL_KEYS
    assert CALL_KEYS | {"page_size", "concurrency"} == LIST_KEYS


@pytest.mark.parametrize("allowed", [WRITE_KEYS, CALL_KEYS, LIST_KEYS])
def test_known_options_pass(allowed: frozenset[str]) -> None:
    check_options({}, allowed, "get")
    check_options(dict.fromkeys(allowed), allowed, "get")


def test_an_unknown_option_is_refused_like_a_keyword() -> None:
    with pytest.raises(TypeError) as caught:
        check_options({"page_size": 5}, CALL_KEYS, "products.get")
    assert str(caught.value) == "products.get() got an unexpected keyword argument 'page_size'"


def test_retries_on_a_write_says_why() -> None:
    with pytest.raises(TypeError) as caught:
        check_options({"retries": 3, "timeout": 1}, WRITE_KEYS, "products.create")
    assert str(caught.value) == (
        "products.create() got an unexpected keyword argument 'retries': it writes, and "
        "BigCommerce has no idempotency keys, so it is never repeated"
    )


@pytest.mark.parametrize(
    ("options", "named"),
    [({"zeta": 1, "retries": 1}, "retries"), ({"alpha": 1, "retries": 1, "beta": 2}, "alpha")],
)
def test_the_first_unknown_option_in_order_is_named(options: dict[str, int], named: str) -> None:
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{named}'"):
        check_options(options, WRITE_KEYS, "create")
