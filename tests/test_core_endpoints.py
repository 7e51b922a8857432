"""Lookups over the endpoint table (``bigc._endpoints``)."""

from __future__ import annotations

import pytest

from bigc._endpoint_table import ENDPOINTS
from bigc._endpoints import Endpoint, endpoints_of


@pytest.fixture(autouse=True)
def look_up_afresh() -> None:
    """Each test looks its groups up itself, not an earlier test's cached rows."""
    endpoints_of.cache_clear()


def test_a_group_has_every_row_of_its_own_and_no_other() -> None:
    rows = endpoints_of("products_v3")
    expected = {row.method: row for row in ENDPOINTS if row.group == "products_v3"}
    assert dict(rows) == expected
    assert "all" in rows
    assert all(row.group == "products_v3" for row in rows.values())


def test_the_rows_are_read_only_and_looked_up_once() -> None:
    rows = endpoints_of("orders_v2")
    with pytest.raises(TypeError):
        rows["x"] = rows["all"]  # type: ignore[index]
    assert endpoints_of("orders_v2") is rows


def test_an_unknown_group_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError) as caught:
        endpoints_of("no_such_group")
    assert caught.value.args == ("no endpoints for group 'no_such_group'",)


def test_a_row_says_whether_it_lists_and_where_it_goes() -> None:
    row = endpoints_of("products_v3")["all"]
    assert row.is_list
    assert not endpoints_of("products_v3")["get"].is_list
    assert repr(row) == f"<Endpoint products_v3.all: GET /v3{row.path}>"
    assert row.path == "/catalog/products"
    defaults = Endpoint(
        "g", "m", "GET", "v3", "/x", (), "none", "object", True, "op", "s", "f", "p"
    )
    assert (defaults.kind, defaults.detail, defaults.envelope, defaults.body_required) == (
        "request",
        "",
        True,
        True,
    )
