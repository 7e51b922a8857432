"""The store's front door: the URL prefix, auth, store hash, routing, bodies."""

from __future__ import annotations

import pytest

from bigc.testing import FakeStore
from tests.testing.conftest import Caller, new_product


def test_missing_token_is_401_with_a_v3_error_body(api: Caller) -> None:
    answer = api("GET", "/v3/catalog/products", headers={})
    assert answer.status == 401
    assert answer.body["status"] == 401
    assert answer.body["title"]
    assert answer.body["type"].startswith("https://")
    assert answer.body["errors"] == {}


def test_missing_token_on_v2_is_401_with_a_v2_error_body(api: Caller) -> None:
    answer = api("GET", "/v2/orders", headers={"X-Auth-Token": ""})
    assert answer.status == 401
    assert answer.body == [{"status": 401, "message": answer.body[0]["message"]}]


def test_any_non_empty_token_is_accepted_without_a_fixed_one(api: Caller) -> None:
    assert api("GET", "/v3/catalog/products", headers={"x-auth-token": "whatever"}).status == 200


def test_a_fixed_token_must_match() -> None:
    api = Caller(FakeStore(access_token="right"))
    assert api("GET", "/v3/catalog/products", headers={"X-Auth-Token": "wrong"}).status == 401
    assert api("GET", "/v3/catalog/products", headers={"X-Auth-Token": "right"}).status == 200


def test_a_fixed_store_hash_must_match() -> None:
    store = FakeStore(store_hash="abc123")
    assert Caller(store, "abc123").get("/v3/catalog/products").status == 200
    other = Caller(store, "zzz999").get("/v3/catalog/products")
    assert other.status == 404
    assert "zzz999" in other.body["title"]


def test_unknown_routes_paths_and_methods(api: Caller, store: FakeStore) -> None:
    assert api.get("/v3/catalog/nothing").status == 404
    assert api.get("/v4/catalog/products").status == 404
    assert store.handle("GET", "/catalog/products", {"X-Auth-Token": "t"}, b"").status == 404
    not_allowed = api("PATCH", "/v3/catalog/products")
    assert not_allowed.status == 405
    assert "PATCH" in not_allowed.body["title"]


def test_path_segments_are_decoded_after_splitting(api: Caller) -> None:
    answer = api.get("/v3/carts/a%2Fb")
    assert answer.status == 404
    assert "a/b" in answer.body["title"]  # one segment, decoded, not two


def test_a_percent_encoded_segment_names_the_same_thing(api: Caller) -> None:
    api.post("/v3/catalog/products", new_product())
    assert api.get("/v3/catalog/products/%31").data["id"] == 1


def test_a_trailing_slash_names_the_same_resource(api: Caller) -> None:
    api.post("/v3/catalog/products", new_product())
    assert api.get("/v3/catalog/products/").data[0]["id"] == 1


def test_a_body_that_is_not_json_is_400(api: Caller, store: FakeStore) -> None:
    reply = store.handle(
        "POST", "/stores/abc/v3/catalog/products", {"X-Auth-Token": "t"}, b"{not json"
    )
    assert reply.status == 400
    assert store.writes == {}


def test_a_body_on_a_get_is_ignored(store: FakeStore) -> None:
    reply = store.handle("GET", "/stores/abc/v3/catalog/products", {"X-Auth-Token": "t"}, b"junk")
    assert reply.status == 200


def test_the_api_helper_wants_a_versioned_path(store: FakeStore) -> None:
    with pytest.raises(ValueError, match="/v2/ or /v3/"):
        store.api("GET", "/catalog/products")


def test_answers_are_json_with_a_content_type(api: Caller) -> None:
    answer = api.post("/v3/catalog/products", new_product())
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.reply.delay == 0.0 and answer.reply.fault is None


def test_deletes_answer_204_with_an_empty_body(api: Caller) -> None:
    api.post("/v3/catalog/products", new_product())
    answer = api.delete("/v3/catalog/products/1")
    assert (answer.status, answer.reply.body) == (204, b"")


def test_the_api_helper_calls_endpoints_without_the_front_door(store: FakeStore) -> None:
    created = store.api("POST", "/v3/catalog/products", new_product("Lamp"))
    assert created["data"]["name"] == "Lamp"
    assert store.api("GET", "/v3/catalog/products", name="Lamp")["data"][0]["id"] == 1
    assert store.requests == []  # not logged


def test_the_api_helper_raises_bigc_exceptions(store: FakeStore) -> None:
    from bigc.exceptions import DoesNotExistError, InvalidDataError

    try:
        store.api("GET", "/v3/catalog/products/9")
    except DoesNotExistError as error:
        assert error.status_code == 404
    else:  # pragma: no cover
        raise AssertionError("expected DoesNotExistError")
    try:
        store.api("POST", "/v3/catalog/products", {"name": "x"})
    except InvalidDataError as error:
        assert "type" in error.errors
    else:  # pragma: no cover
        raise AssertionError("expected InvalidDataError")


def test_lists_show_every_write_at_once() -> None:
    """Listing reuses each record's encoded JSON until a write; it must never be stale."""
    store = FakeStore.with_sample_data(products=5, orders=5)

    def names() -> list[str]:
        return [p["name"] for p in store.api("GET", "/v3/catalog/products")["data"]]

    before = names()
    store.api("PUT", "/v3/catalog/products/2", json={"name": "Renamed"})
    assert names() == [before[0], "Renamed", *before[2:]]
    store.api("PUT", "/v2/orders/3", json={"status_id": 10})
    assert [o["status_id"] for o in store.api("GET", "/v2/orders")][2] == 10
    store.api("DELETE", "/v3/catalog/products/1")
    assert names() == ["Renamed", *before[2:]]
