"""Bad values that once made the fake store fail with a 500 (or answer wrongly)."""

from __future__ import annotations

from typing import Any

import pytest

from bigc.testing import FakeStore
from tests.testing.conftest import Caller

PRICES = "/v3/pricing/products"


@pytest.fixture
def store() -> FakeStore:
    return FakeStore.with_sample_data(products=2, customers=1, orders=1)


@pytest.mark.parametrize("field", ["product_id", "variant_id"])
@pytest.mark.parametrize("value", [1.0, True, "1", [1]])
def test_pricing_refuses_ids_that_are_not_integers(api: Caller, field: str, value: Any) -> None:
    item = {"product_id": 1, field: value}
    answer = api.post(PRICES, {"channel_id": 1, "currency_code": "USD", "items": [item]})
    assert answer.status == 422, answer.body
    assert answer.body["errors"] == {f"items.0.{field}": "expected integer"}


@pytest.mark.parametrize("value", ["abc", "nan", "1e999", ""])
@pytest.mark.parametrize("field", ["base_shipping_cost", "handling_cost_inc_tax"])
def test_v2_orders_refuse_money_that_is_not_a_number(api: Caller, field: str, value: str) -> None:
    before = api.get("/v2/orders/1").body
    answer = api.put("/v2/orders/1", {field: value})
    assert answer.status == 400, answer.body
    assert answer.body == [
        {"status": 400, "message": f"The field '{field}' must be a decimal amount."}
    ]
    assert api.get("/v2/orders/1").body == before
    assert api.put("/v2/orders/1", {field: "2.5"}).body[field] == "2.5000"
