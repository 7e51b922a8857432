"""Products, variants, categories, brands and prices: state and the errors they answer."""

from __future__ import annotations

from tests.testing.conftest import Caller, new_product


def test_product_lifecycle(api: Caller) -> None:
    created = api.post("/v3/catalog/products", new_product("Mug", sku="MUG-1", sale_price=8.0))
    assert created.status == 200
    product = created.data
    assert product["id"] == 1
    assert product["calculated_price"] == 8.0
    assert product["custom_url"] == {"url": "/mug/", "is_customized": False}
    assert product["date_created"].endswith("+00:00")  # ISO 8601 on v3
    assert api.get("/v3/catalog/products/1").data == product

    updated = api.put("/v3/catalog/products/1", {"price": 12.5, "sale_price": 0})
    assert updated.data["price"] == 12.5 and updated.data["calculated_price"] == 12.5
    assert api.get("/v3/catalog/products").data[0]["price"] == 12.5

    assert api.delete("/v3/catalog/products/1").status == 204
    assert api.get("/v3/catalog/products/1").status == 404
    assert api.get("/v3/catalog/products/1/variants").status == 404


def test_unknown_ids_are_404_with_a_v3_body(api: Caller) -> None:
    for answer in (
        api.get("/v3/catalog/products/42"),
        api.put("/v3/catalog/products/42", {"price": 1}),
        api.delete("/v3/catalog/products/42"),
        api.get("/v3/catalog/products/abc"),
    ):
        assert answer.status == 404
        assert answer.body["status"] == 404 and answer.body["title"]


def test_missing_required_fields_are_422_naming_them(api: Caller) -> None:
    answer = api.post("/v3/catalog/products", {"name": "Half a product"})
    assert answer.status == 422
    assert set(answer.body["errors"]) == {"type", "weight", "price"}


def test_fields_of_the_wrong_type_are_422(api: Caller) -> None:
    answer = api.post("/v3/catalog/products", new_product(price="cheap"))
    assert answer.status == 422
    assert "price" in answer.body["errors"]
    assert api.post("/v3/catalog/products", new_product(is_visible=1)).status == 422


def test_duplicate_product_names_and_skus_are_409(api: Caller) -> None:
    api.post("/v3/catalog/products", new_product("Mug", sku="MUG"))
    assert api.post("/v3/catalog/products", new_product("MUG")).status == 409
    assert api.post("/v3/catalog/products", new_product("Cup", sku="MUG")).status == 409
    api.post("/v3/catalog/products", new_product("Cup"))
    assert api.put("/v3/catalog/products/2", {"name": "mug"}).status == 409
    assert api.put("/v3/catalog/products/1", {"name": "Mug"}).status == 200  # its own name


def test_variants(api: Caller) -> None:
    api.post("/v3/catalog/products", new_product("Shirt", sku="SHIRT"))
    base = api.get("/v3/catalog/products/1").data["base_variant_id"]
    red = api.post(
        "/v3/catalog/products/1/variants",
        {"sku": "SHIRT-RED", "price": 15.0, "option_values": [{"id": 1, "option_id": 1}]},
    )
    assert red.status == 200
    variant = red.data
    assert variant["product_id"] == 1 and variant["calculated_price"] == 15.0
    listed = api.get("/v3/catalog/products/1/variants").data
    assert [v["id"] for v in listed] == [base, variant["id"]]
    assert api.get("/v3/catalog/products/1/variants", **{"id:in": str(base)}).data[0]["id"] == base

    path = f"/v3/catalog/products/1/variants/{variant['id']}"
    assert api.put(path, {"inventory_level": 7}).data["inventory_level"] == 7
    assert api.get(path).data["inventory_level"] == 7
    assert (
        api.post(
            "/v3/catalog/products/1/variants", {"sku": "SHIRT-RED", "option_values": []}
        ).status
        == 409
    )
    assert api.post("/v3/catalog/products/1/variants", {"sku": "NO-OPTIONS"}).status == 422
    assert api.delete(f"/v3/catalog/products/1/variants/{base}").status == 422  # the base one
    assert api.delete(path).status == 204
    assert api.get(path).status == 404
    assert [v["id"] for v in api.get("/v3/catalog/products/1/variants").data] == [base]


def test_a_variant_belongs_to_its_product(api: Caller) -> None:
    api.post("/v3/catalog/products", new_product("One"))
    api.post("/v3/catalog/products", new_product("Two"))
    assert api.get("/v3/catalog/products/2/variants/1").status == 404


def test_products_can_be_created_with_variants(api: Caller) -> None:
    body = new_product("Hat", sku="HAT", variants=[{"sku": "HAT-S", "option_values": []}])
    assert api.post("/v3/catalog/products", body).status == 200
    skus = [v["sku"] for v in api.get("/v3/catalog/products/1/variants").data]
    assert skus == ["HAT", "HAT-S"]
    bad = new_product("Cap", variants=[{"sku": "HAT-S", "option_values": []}])
    assert api.post("/v3/catalog/products", bad).status == 409
    assert api.get("/v3/catalog/products", name="Cap").data == []  # nothing half-made


def test_batch_delete_products_needs_a_filter(api: Caller) -> None:
    for name in ("A", "B", "C"):
        api.post("/v3/catalog/products", new_product(name))
    assert api.delete("/v3/catalog/products").status == 422
    assert api.delete("/v3/catalog/products", **{"id:in": "1,3"}).status == 204
    assert [p["id"] for p in api.get("/v3/catalog/products").data] == [2]


def test_categories(api: Caller) -> None:
    top = api.post("/v3/catalog/categories", {"name": "Kitchen", "parent_id": 0}).data
    assert top["custom_url"]["url"] == "/kitchen/"
    child = api.post("/v3/catalog/categories", {"name": "Mugs", "parent_id": top["id"]})
    assert child.status == 200
    assert api.post("/v3/catalog/categories", {"name": "mugs", "parent_id": 1}).status == 409
    assert api.post("/v3/catalog/categories", {"name": "Mugs", "parent_id": 0}).status == 200
    assert api.post("/v3/catalog/categories", {"name": "Lost", "parent_id": 99}).status == 422
    assert api.post("/v3/catalog/categories", {"name": "No parent"}).status == 422
    assert api.put("/v3/catalog/categories/2", {"name": "Cups"}).data["name"] == "Cups"
    assert api.delete("/v3/catalog/categories", **{"id:in": "2,3"}).status == 204
    assert [c["id"] for c in api.get("/v3/catalog/categories").data] == [1]
    assert api.delete("/v3/catalog/categories/1").status == 204
    assert api.get("/v3/catalog/categories/1").status == 404


def test_brands(api: Caller) -> None:
    assert api.post("/v3/catalog/brands", {"name": "Acme"}).status == 200
    assert api.post("/v3/catalog/brands", {"name": "ACME"}).status == 409
    assert api.post("/v3/catalog/brands", {}).status == 422
    assert api.get("/v3/catalog/brands", name="Acme").data[0]["id"] == 1
    assert api.put("/v3/catalog/brands/1", {"page_title": "A"}).data["page_title"] == "A"
    assert api.delete("/v3/catalog/brands", name="Acme").status == 204
    assert api.get("/v3/catalog/brands").data == []


def test_prices(api: Caller) -> None:
    api.post("/v3/catalog/products", new_product("Mug", price=10.0, retail_price=12.0))
    api.post("/v3/catalog/products/1/variants", {"sku": "M2", "price": 9.0, "option_values": []})
    body = {
        "channel_id": 1,
        "currency_code": "USD",
        "items": [{"product_id": 1}, {"product_id": 1, "variant_id": 2}, {"product_id": 77}],
    }
    answer = api.post("/v3/pricing/products", body)
    assert answer.status == 200
    base, variant = answer.data  # the unknown product is left out
    assert base["price"]["as_entered"] == 10.0 and base["retail_price"]["as_entered"] == 12.0
    assert base["saved"]["as_entered"] == 2.0
    assert variant["variant_id"] == 2 and variant["calculated_price"]["tax_inclusive"] == 9.0
    assert api.post("/v3/pricing/products", {"items": []}).status == 422


def test_include_shows_what_the_product_was_created_with(api: Caller) -> None:
    body = new_product(
        "Vase",
        images=[{"image_url": "https://example.com/vase.jpg", "is_thumbnail": True}],
        custom_fields=[{"name": "Material", "value": "Glass"}],
    )
    api.post("/v3/catalog/products", body)
    shown = api.get("/v3/catalog/products/1", include="images,custom_fields,primary_image").data
    assert shown["images"][0]["image_url"] == "https://example.com/vase.jpg"
    assert shown["images"][0]["product_id"] == 1
    assert shown["custom_fields"] == [
        {"name": "Material", "value": "Glass", "id": 1, "product_id": 1}
    ]
    assert shown["primary_image"] == shown["images"][0]
    assert "images" not in api.get("/v3/catalog/products/1").data
