"""The spec-driven layer of the fake store: state, checks, lists, and its place behind
the hand-written routes."""

from __future__ import annotations

import json
import time

import pytest

from bigc import ENDPOINTS, BigCommerceAPI
from bigc.exceptions import InvalidDataError
from bigc.testing import FakeStore
from bigc.testing._dates import parse_date, utcnow
from bigc.testing._spec_routes import TABLE_FILE, SpecRoutes
from tests.testing.conftest import Caller
from tests.testing.spec_walk import Walk, sender

METAFIELD = {"key": "k", "value": "v", "namespace": "ns", "permission_set": "app_only"}


@pytest.fixture
def store() -> FakeStore:
    return FakeStore.with_sample_data(products=3, customers=2, orders=2)


def price_list(api: Caller, name: str) -> int:
    answer = api.post("/v3/pricelists", {"name": name, "active": True})
    assert answer.status == 200, answer.body
    item_id: int = answer.data["id"]
    return item_id


# -- state ------------------------------------------------------------------------------


def test_a_created_item_can_be_fetched_listed_updated_and_deleted(api: Caller) -> None:
    first, second = price_list(api, "Wholesale"), price_list(api, "Retail")
    assert second == first + 1
    assert api.get(f"/v3/pricelists/{first}").data["name"] == "Wholesale"
    assert [p["id"] for p in api.get("/v3/pricelists").data] == [first, second]

    updated = api.put(f"/v3/pricelists/{first}", {"name": "Trade"})
    assert updated.status == 200 and updated.data["name"] == "Trade"
    assert api.get(f"/v3/pricelists/{first}").data["name"] == "Trade"

    assert api.delete(f"/v3/pricelists/{first}").status == 204
    assert api.get(f"/v3/pricelists/{first}").status == 404
    assert [p["id"] for p in api.get("/v3/pricelists").data] == [second]


def test_an_answer_has_the_shape_of_the_spec_example_with_what_was_sent(api: Caller) -> None:
    created = api.post("/v3/catalog/brands/1/metafields", METAFIELD).data
    assert {k: created[k] for k in METAFIELD} == METAFIELD
    assert {"id", "date_created", "resource_type"} <= created.keys()


def test_a_value_that_would_break_the_answers_shape_is_not_stored(api: Caller) -> None:
    """Only fields the item shows, with a value of the same kind, are laid over it."""
    body = {"name": "Wholesale", "date_created": "yesterday", "color": "red"}
    created = api.post("/v3/pricelists", body).data
    assert parse_date(created["date_created"]) and "color" not in created


def test_a_created_item_has_the_dates_of_now_as_its_example_writes_them(api: Caller) -> None:
    before = utcnow()
    created = api.post("/v3/pricelists", {"name": "Wholesale", "active": True}).data
    assert parse_date(created["date_created"]) >= before  # ISO 8601, as in the example
    coupon = {"name": "Ten", "code": "TEN", "type": "per_item_discount", "amount": "1"}
    v2 = api.post("/v2/coupons", {**coupon, "applies_to": {}}).body
    assert parse_date(v2["date_created"]) >= before and v2["date_created"].endswith("+0000")


def test_sub_resources_need_their_parent(api: Caller) -> None:
    """The parent is looked up through the whole store: brands are hand-written."""
    missing = api.post("/v3/catalog/brands/999/metafields", METAFIELD)
    assert missing.status == 404
    assert missing.body["title"] == "The resource /v3/catalog/brands/999 was not found."
    assert api.get("/v3/catalog/brands/999/metafields").status == 404


def test_deleting_a_parent_deletes_what_is_under_it(api: Caller) -> None:
    parent = price_list(api, "Wholesale")
    records = f"/v3/pricelists/{parent}/records"
    assert api.put(records, [{"variant_id": 1, "currency": "usd", "price": 5}]).status == 200
    assert [r["variant_id"] for r in api.get(records).data] == [1]

    assert api.delete(f"/v3/pricelists/{parent}").status == 204
    assert api.get(records).status == 404
    # Under a parent made again, nothing from the old one shows.
    again = price_list(api, "Wholesale again")
    assert api.get(f"/v3/pricelists/{again}/records").data == []


def test_items_named_by_two_ids(api: Caller) -> None:
    """Price records are one per variant and currency: ``/records/{variant_id}/{currency}``."""
    records = f"/v3/pricelists/{price_list(api, 'Wholesale')}/records"
    prices = [
        {"variant_id": 1, "currency": "usd", "price": 5},
        {"variant_id": 1, "currency": "eur", "price": 4},
        {"variant_id": 2, "currency": "usd", "price": 9},
    ]
    assert api.put(records, prices).status == 200
    assert api.get(f"{records}/1/eur").data["price"] == 4
    assert sorted(r["currency"] for r in api.get(f"{records}/1").data) == ["eur", "usd"]
    assert api.put(f"{records}/1/eur", {"price": 3.5}).data["price"] == 3.5
    assert api.put(f"{records}/2/eur", {"price": 8}).status == 200  # a PUT sets a new one
    assert len(api.get(records).data) == 4
    assert api.delete(f"{records}/1/eur").status == 204
    assert api.get(f"{records}/1/eur").status == 404
    assert [r["currency"] for r in api.get(f"{records}/1").data] == ["usd"]


def test_items_under_a_hand_written_parent_go_when_it_goes(api: Caller) -> None:
    api.post("/v3/catalog/brands/1/metafields", METAFIELD)
    assert len(api.get("/v3/catalog/brands/1/metafields").data) == 1
    assert api.delete("/v3/catalog/brands/1").status == 204
    assert api.get("/v3/catalog/brands/1/metafields").status == 404


def test_a_list_across_parents_shows_every_parents_items(api: Caller) -> None:
    """``/catalog/brands/metafields`` and ``/catalog/brands/{id}/metafields`` hold the
    same items: a batch create goes under the brand its ``resource_id`` names."""
    first = api.post("/v3/catalog/brands/1/metafields", METAFIELD).data
    [second] = api.post("/v3/catalog/brands/metafields", [{**METAFIELD, "resource_id": 2}]).data
    assert second["id"] == first["id"] + 1  # one ID sequence
    across = api.get("/v3/catalog/brands/metafields").data
    assert [m["id"] for m in across] == [first["id"], second["id"]]
    assert [m["id"] for m in api.get("/v3/catalog/brands/2/metafields").data] == [second["id"]]

    nobody = api.post("/v3/catalog/brands/metafields", [{**METAFIELD, "resource_id": 999}])
    assert nobody.status == 422 and nobody.body["errors"] == {"resource_id": "not found"}

    assert api("DELETE", "/v3/catalog/brands/metafields", [second["id"]]).status == 200
    assert api.get("/v3/catalog/brands/2/metafields").data == []


def test_a_collection_nothing_adds_to_holds_the_spec_example(api: Caller) -> None:
    countries = api.get("/v2/countries")
    assert countries.status == 200
    [country] = countries.body
    assert api.get(f"/v2/countries/{country['id']}").body == country


def test_a_singleton_answers_its_example_and_keeps_what_is_written(api: Caller) -> None:
    store = api.get("/v2/store").body
    assert store["name"] and store["domain"]

    locale = "/v3/settings/store/locale"
    before = api.get(locale).data
    written = api.put(locale, {**before, "default_shopper_language": "fr"})
    assert written.status == 200 and written.data["default_shopper_language"] == "fr"
    assert api.get(locale).data == {**before, "default_shopper_language": "fr"}


def test_a_post_sets_what_a_get_on_the_same_path_shows(api: Caller) -> None:
    """``/channels/{id}/site`` is one object per channel: a POST sets it."""
    channel = api.post("/v3/channels", {"name": "POS", "platform": "custom", "type": "pos"})
    site = f"/v3/channels/{channel.data['id']}/site"
    set_site = api.post(site, {"url": "https://shop.example.com", "channel_id": 1})
    assert set_site.status == 200
    assert api.get(site).data["url"] == "https://shop.example.com"
    assert api.get("/v3/channels/999/site").status == 404


def test_an_action_that_answers_its_parent_answers_the_real_one(api: Caller) -> None:
    """``POST /checkouts/{id}/fees`` answers the checkout: the hand-written one."""
    cart = api.post("/v3/carts", {"line_items": [{"product_id": 1, "quantity": 1}]}).data
    fee = {"type": "custom_fee", "name": "Gift wrap", "display_name": "Wrap", "cost": 2}
    answer = api.post(f"/v3/checkouts/{cart['id']}/fees", {"fees": [{**fee, "source": "app"}]})
    assert answer.status == 200
    assert answer.data["id"] == cart["id"] == answer.data["cart"]["id"]


def test_stores_do_not_share_state(store: FakeStore) -> None:
    price_list(Caller(store), "Mine")
    assert Caller(FakeStore()).get("/v3/pricelists").data == []


def test_store_api_helper_reaches_spec_driven_endpoints(store: FakeStore) -> None:
    created = store.api("POST", "/v3/pricelists", json={"name": "Set up"})["data"]
    assert store.api("GET", f"/v3/pricelists/{created['id']}")["data"]["name"] == "Set up"


# -- request checks ------------------------------------------------------------------


def test_a_missing_required_field_is_a_422_naming_it(api: Caller) -> None:
    answer = api.post("/v3/catalog/brands/1/metafields", {"key": "k"})
    assert answer.status == 422
    assert answer.body["title"] == "The required field 'namespace' was not supplied."
    assert set(answer.body["errors"]) == {"namespace", "permission_set", "value"}
    assert api.get("/v3/catalog/brands/1/metafields").data == []


def test_a_wrong_type_is_a_422_naming_the_field(api: Caller) -> None:
    answer = api.post("/v3/pricelists", {"name": "x", "active": "yes"})
    assert answer.status == 422
    assert answer.body["errors"] == {"active": "expected boolean, got string"}


def test_a_value_outside_the_enum_is_a_422(api: Caller) -> None:
    answer = api.post("/v3/catalog/brands/1/metafields", {**METAFIELD, "permission_set": "all"})
    assert answer.status == 422 and "permission_set" in answer.body["errors"]


def test_nested_fields_are_checked_and_named_by_their_place(api: Caller) -> None:
    option = {"display_name": "Size", "type": "dropdown", "option_values": [{"label": "S"}]}
    answer = api.post("/v3/catalog/products/1/options", option)
    assert answer.status == 422
    assert answer.body["errors"] == {
        "option_values.0.sort_order": "option_values.0.sort_order is required"
    }
    option["option_values"] = [{"label": 5, "sort_order": 0}]
    wrong = api.post("/v3/catalog/products/1/options", option)
    assert wrong.body["errors"] == {"option_values.0.label": "expected string, got integer"}
    option["option_values"] = [{"label": "S", "sort_order": 0}]
    assert api.post("/v3/catalog/products/1/options", option).status == 200


def test_a_malformed_date_is_a_422(api: Caller) -> None:
    review = {"title": "Good", "date_reviewed": "last week"}
    answer = api.post("/v3/catalog/products/1/reviews", review)
    assert answer.status == 422
    assert answer.body["errors"] == {"date_reviewed": "'last week' is not a date-time"}
    review["date_reviewed"] = "2024-05-01T10:00:00+00:00"
    assert api.post("/v3/catalog/products/1/reviews", review).status == 200


def test_uploads_come_as_forms(store: FakeStore) -> None:
    """The client sends uploads as multipart forms; the store reads their fields (a
    theme's ``file`` is required) and refuses a body that is no form."""
    api = BigCommerceAPI("abc", "t", transport=store.transport())
    image = api.brands_v3.create_image(1, {"image_file": ("logo.png", b"\x89PNG")})
    assert image["image_url"]
    theme = api.themes_v3.create({"file": ("theme.zip", b"PK")})
    assert theme is not None
    with pytest.raises(InvalidDataError) as refused:
        api.themes_v3.create({"name": "no file"})
    assert refused.value.errors == {"file": "file is required"}
    form = {"Content-Type": "multipart/form-data; boundary=b", "X-Auth-Token": "t"}
    broken = store.handle("POST", "/stores/abc/v3/catalog/brands/1/image", form, b"not a form")
    assert broken.status == 400


def test_v2_refuses_with_400_and_a_bare_list(api: Caller) -> None:
    answer = api.post("/v2/coupons", {"name": "Ten off"})
    assert answer.status == 400
    assert answer.body == [
        {"status": 400, "message": "The required field 'amount' was not supplied."}
    ]


def test_a_batch_item_is_named_by_its_position(api: Caller) -> None:
    answer = api.post("/v3/customers/attributes", [{"name": "a", "type": "string"}, {"name": "b"}])
    assert answer.status == 422
    assert answer.body["errors"] == {"1.type": "1.type is required"}
    assert api.get("/v3/customers/attributes").data == []


def test_a_body_of_the_wrong_kind_is_refused(api: Caller) -> None:
    assert api.post("/v3/customers/attributes", {"name": "a", "type": "string"}).status == 422
    assert api.post("/v3/pricelists", [{"name": "x"}]).status == 422


def test_an_unknown_path_is_bigcommerces_404(api: Caller) -> None:
    answer = api.get("/v3/no/such/thing")
    assert answer.status == 404
    assert answer.body["title"] == "The route /v3/no/such/thing was not found."
    assert api.get("/v2/no_such_thing").body[0]["status"] == 404


def test_a_method_the_path_does_not_have_is_a_405(api: Caller) -> None:
    assert api.post("/v2/countries/1", {}).status == 405


def test_a_spec_driven_path_answers_only_its_own_api_version(api: Caller) -> None:
    assert api.get("/v2/pricelists").status == 404


# -- lists ---------------------------------------------------------------------------


def test_declared_filters_filter(api: Caller) -> None:
    ids = [price_list(api, name) for name in ("Alpha", "Beta", "Gamma")]
    assert [p["id"] for p in api.get("/v3/pricelists", name="Beta").data] == [ids[1]]
    in_filter = api.get("/v3/pricelists", **{"id:in": f"{ids[0]},{ids[2]}"}).data
    assert [p["id"] for p in in_filter] == [ids[0], ids[2]]
    assert api.get("/v3/pricelists", **{"id:in": "x"}).status == 422


def test_v2_pages_end_with_204(api: Caller) -> None:
    for n in range(3):
        body = {"name": f"C{n}", "code": f"C{n}", "type": "per_item_discount"}
        assert api.post("/v2/coupons", {**body, "amount": "1", "applies_to": {}}).status == 201
    assert [c["name"] for c in api.get("/v2/coupons", limit=2, page=2).body] == ["C2"]
    past = api.get("/v2/coupons", limit=2, page=3)
    assert past.status == 204 and past.body is None


def test_v3_offset_pages_carry_meta_pagination(api: Caller) -> None:
    for n in range(3):
        api.post("/v3/catalog/brands/1/metafields", {**METAFIELD, "key": f"k{n}"})
    page = api.get("/v3/catalog/brands/1/metafields", limit=2, page=2)
    assert [m["key"] for m in page.data] == ["k2"]
    pagination = page.body["meta"]["pagination"]
    assert (pagination["total"], pagination["current_page"], pagination["total_pages"]) == (3, 2, 2)


def test_v3_cursor_pages_follow_the_spec(api: Caller) -> None:
    ids = [price_list(api, f"P{n}") for n in range(3)]
    first = api.get("/v3/pricelists", limit=2)
    assert [p["id"] for p in first.data] == ids[:2]
    after = first.body["meta"]["cursor_pagination"]["end_cursor"]
    rest = api.get("/v3/pricelists", limit=2, after=after)
    assert [p["id"] for p in rest.data] == ids[2:]
    assert "next" not in rest.body["meta"]["cursor_pagination"]["links"]


def test_bulk_delete_needs_a_filter(api: Caller) -> None:
    ids = [price_list(api, name) for name in ("Alpha", "Beta")]
    assert api.delete("/v3/pricelists").status == 422
    assert api.delete("/v3/pricelists", **{"id:in": str(ids[0])}).status == 204
    assert [p["id"] for p in api.get("/v3/pricelists").data] == [ids[1]]


def test_batch_updates_go_through_hand_written_items(api: Caller) -> None:
    """``PUT /v3/catalog/products`` is spec-driven; each product is the hand-written one."""
    answer = api.put("/v3/catalog/products", [{"id": 1, "name": "Renamed"}])
    assert answer.status == 200, answer.body
    assert api.get("/v3/catalog/products/1").data["name"] == "Renamed"
    refused = api.put("/v3/catalog/products", [{"id": 999, "name": "Nobody"}])
    assert refused.status == 404


# -- behind the hand-written routes ----------------------------------------------------


def test_hand_written_routes_keep_their_behaviour(store: FakeStore) -> None:
    served = {(m, t) for m, t in store._router.templates()}
    assert ("GET", "/v3/catalog/products/{id}") in served
    api = Caller(store)
    assert api.get("/v3/catalog/products/1").data["id"] == 1
    # Brand names are unique: a rule of the hand-written brands, not of the spec layer.
    assert api.post("/v3/catalog/brands", {"name": "Acme"}).status == 409


def test_a_word_beats_a_hand_written_parameter(api: Caller) -> None:
    """``/v3/catalog/products/metafields`` is not product "metafields"."""
    answer = api.get("/v3/catalog/products/metafields")
    assert answer.status == 200 and answer.data == []


def test_rate_limits_faults_and_the_log_cover_spec_driven_endpoints() -> None:
    store = FakeStore(quota=2, window_ms=60_000)
    api = Caller(store)
    store.fail("GET", "/v3/pricelists", status=503)
    assert api.get("/v3/pricelists").status == 503  # refused before the quota is counted
    assert api.get("/v3/pricelists").headers["X-Rate-Limit-Requests-Left"] == "1"
    assert api.get("/v3/pricelists").headers["X-Rate-Limit-Requests-Left"] == "0"
    assert api.get("/v3/pricelists").status == 429
    statuses = [r.status for r in store.requests_to("GET", "/v3/pricelists")]
    assert statuses == [503, 200, 200, 429]


# -- the table ---------------------------------------------------------------------------


def test_the_table_ships_in_the_package_and_loads_quickly() -> None:
    from importlib import resources

    text = resources.files("bigc.testing").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    entries = json.loads(text)
    assert len(entries) > 600
    routes = SpecRoutes(entries)
    assert {op.role for op in routes.operations} >= {"list", "create", "get", "update", "delete"}
    started = time.perf_counter()
    SpecRoutes(entries)
    # Not a timing assertion on the test machine: a bound far above the ~50 ms it
    # costs, so that an accidental quadratic build shows.
    assert time.perf_counter() - started < 5


# -- robustness ---------------------------------------------------------------------------

BAD_BODIES = [None, [], {}, "x", 5, [1], [None], [{"id": None}], {"id": [1]}, {"name": {"x": 1}}]
BAD_QUERIES = ["", "?id:in=abc", "?limit=0", "?page=-1", "?after=zzz", "?is_visible=maybe"]


def test_no_malformed_request_breaks_a_spec_driven_operation(store: FakeStore) -> None:
    """Every spec-driven operation answers bad bodies and queries with a 4xx, never a 5xx
    or an exception (the store is a server people run)."""
    walk = Walk(sender(store))
    headers = {"X-Auth-Token": "t", "Content-Type": "application/json"}
    tried = 0
    for row in ENDPOINTS:
        path = walk.concrete(row.api, row.path)
        if path is None or not store._spec.serves(row.http_method, f"/{row.api}{row.path}"):
            continue
        for body in BAD_BODIES:
            for query in BAD_QUERIES:
                raw = b"" if body is None else json.dumps(body).encode()
                target = f"/stores/abc/{row.api}{path}{query}"
                reply = store.handle(row.http_method, target, headers, raw)
                assert reply.status < 500, (row.http_method, target, body, reply.body)
                tried += 1
    assert tried > 30_000
