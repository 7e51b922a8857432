"""Customers v3 batches, addresses, form-field values and customer groups v2."""

from __future__ import annotations

from tests.testing.conftest import Caller, new_customer

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "1 Main St",
    "city": "Austin",
    "state_or_province": "Texas",
    "postal_code": "78701",
    "country_code": "US",
}


def test_create_update_and_delete_in_batches(api: Caller) -> None:
    created = api.post(
        "/v3/customers", [new_customer("a@example.com"), new_customer("b@example.com")]
    )
    assert created.status == 200
    assert [c["id"] for c in created.data] == [1, 2]
    assert created.data[0]["date_created"].endswith("+00:00")

    updated = api.put("/v3/customers", [{"id": 2, "company": "Analytical Engines"}])
    assert updated.data[0]["company"] == "Analytical Engines"
    assert api.get("/v3/customers", **{"id:in": "2"}).data[0]["company"] == "Analytical Engines"

    assert api.delete("/v3/customers", **{"id:in": "1,2"}).status == 204
    assert api.get("/v3/customers").data == []


def test_more_than_ten_customers_is_413(api: Caller) -> None:
    eleven = [new_customer(f"c{n}@example.com") for n in range(11)]
    assert api.post("/v3/customers", eleven).status == 413
    assert api.post("/v3/customers", eleven[:10]).status == 200
    updates = [{"id": n, "notes": "x"} for n in range(1, 12)]
    assert api.put("/v3/customers", updates).status == 413


def test_a_batch_is_all_or_nothing(api: Caller) -> None:
    api.post("/v3/customers", [new_customer("taken@example.com")])
    batch = [new_customer("new@example.com"), new_customer("TAKEN@example.com")]
    assert api.post("/v3/customers", batch).status == 409
    twice = [new_customer("x@example.com"), new_customer("x@example.com")]
    assert api.post("/v3/customers", twice).status == 409
    missing = [new_customer("y@example.com"), {"email": "z@example.com"}]
    answer = api.post("/v3/customers", missing)
    assert answer.status == 422
    assert {"first_name", "last_name"} <= set(answer.body["errors"])
    assert [c["email"] for c in api.get("/v3/customers").data] == ["taken@example.com"]


def test_batch_body_must_be_a_list(api: Caller) -> None:
    assert api.post("/v3/customers", new_customer("a@example.com")).status == 422
    assert api.put("/v3/customers", [{"id": 99, "notes": "?"}]).status == 422
    assert api.delete("/v3/customers").status == 422  # id:in is required


def test_passwords_are_not_stored(api: Caller) -> None:
    body = new_customer("p@example.com", authentication={"new_password": "hunter2"})
    customer = api.post("/v3/customers", [body]).data[0]
    assert customer["authentication"] == {"force_password_reset": False}


def test_customer_addresses(api: Caller) -> None:
    api.post("/v3/customers", [new_customer("a@example.com", addresses=[ADDRESS])])
    customer = api.get("/v3/customers", include="addresses").data[0]
    assert customer["address_count"] == 1
    assert customer["addresses"][0]["country"] == "United States"

    added = api.post("/v3/customers/addresses", [{**ADDRESS, "customer_id": 1, "city": "Dallas"}])
    assert added.data[0]["id"] == 2
    assert api.post("/v3/customers/addresses", [{**ADDRESS, "customer_id": 9}]).status == 422
    assert api.post("/v3/customers/addresses", [{"customer_id": 1}]).status == 422

    assert (
        api.put("/v3/customers/addresses", [{"id": 2, "city": "Houston"}]).data[0]["city"]
        == "Houston"
    )
    listed = api.get("/v3/customers/addresses", **{"customer_id:in": "1"}).data
    assert [a["city"] for a in listed] == ["Austin", "Houston"]
    assert api.delete("/v3/customers/addresses", **{"id:in": "1"}).status == 204
    assert api.get("/v3/customers", include="addresses").data[0]["address_count"] == 1


def test_deleting_a_customer_deletes_its_addresses(api: Caller) -> None:
    api.post("/v3/customers", [new_customer("a@example.com", addresses=[ADDRESS])])
    api.delete("/v3/customers", **{"id:in": "1"})
    assert api.get("/v3/customers/addresses").data == []


def test_form_field_values(api: Caller) -> None:
    api.post("/v3/customers", [new_customer("a@example.com", addresses=[ADDRESS])])
    values = [
        {"name": "size", "value": "L", "customer_id": 1},
        {"name": "gate code", "value": "1234", "address_id": 1},
    ]
    assert api.put("/v3/customers/form-field-values", values).status == 200
    api.put("/v3/customers/form-field-values", [{"name": "size", "value": "XL", "customer_id": 1}])
    listed = api.get("/v3/customers/form-field-values").data
    assert listed == [
        {"name": "size", "value": "XL", "customer_id": 1},
        {"name": "gate code", "value": "1234", "address_id": 1},
    ]
    assert api.get("/v3/customers/form-field-values", customer_id=1).data == listed[:1]
    assert api.get("/v3/customers/form-field-values", field_name="gate code").data == listed[1:]
    included = api.get("/v3/customers", include="formfields").data[0]
    assert included["form_fields"] == listed[:1]
    both = [{"name": "x", "value": "y", "customer_id": 1, "address_id": 1}]
    assert api.put("/v3/customers/form-field-values", both).status == 422
    assert (
        api.put(
            "/v3/customers/form-field-values", [{"name": "x", "value": "y", "customer_id": 5}]
        ).status
        == 422
    )


def test_customer_groups_v2(api: Caller) -> None:
    created = api.post("/v2/customer_groups", {"name": "Wholesale"})
    assert created.status == 200
    assert created.body["id"] == 1 and "+0000" in created.body["date_created"]  # RFC 2822
    assert api.post("/v2/customer_groups", {"name": "wholesale"}).status == 409
    missing = api.post("/v2/customer_groups", {})
    assert missing.status == 400
    assert missing.body[0]["status"] == 400 and "name" in missing.body[0]["message"]
    assert api.get("/v2/customer_groups/count").body == {"count": 1}
    assert api.put("/v2/customer_groups/1", {"is_default": True}).body["is_default"] is True
    assert api.get("/v2/customer_groups", is_default="true").body[0]["id"] == 1
    assert api.get("/v2/customer_groups/2").status == 404
    assert api.get("/v2/customer_groups/2").body[0]["status"] == 404
    assert api.delete("/v2/customer_groups/1").status == 204
    assert api.get("/v2/customer_groups").status == 204
