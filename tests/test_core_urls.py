"""Path parameters and paths: the messages that name the bad argument, every refusal."""

from __future__ import annotations

import pytest

from bigc._urls import build_path, encode_query, escape_id, params_dict, validate_path


@pytest.mark.parametrize("value", [None, "", " "])
def test_an_empty_id_is_called_id_unless_named(value: object) -> None:
    with pytest.raises(ValueError, match=r"^id must be a non-empty ID"):
        escape_id(value)


def test_an_unnamed_slot_calls_its_id_id_and_a_named_slot_uses_its_name() -> None:
    with pytest.raises(ValueError, match=r"^id must be a non-empty ID"):
        build_path("/carts/{}", "")
    with pytest.raises(ValueError, match=r"^cart_id must be a non-empty ID"):
        build_path("/carts/{cart_id}/items/{}", "", 1)
    with pytest.raises(ValueError, match=r"^id must be a non-empty ID"):
        build_path("/carts/{cart_id}/items/{}", "c1", " ")


def test_the_wrong_number_of_ids_is_counted_in_the_message() -> None:
    with pytest.raises(TypeError, match=r"^'/a/\{\}/b/\{\}' has 2 ID slots, got 1 IDs$"):
        build_path("/a/{}/b/{}", 1)


@pytest.mark.parametrize("value", [1.5, b"1", [1]])
def test_an_id_of_another_type_is_named_by_its_type(value: object) -> None:
    with pytest.raises(
        TypeError, match=rf"^order_id must be an int or a str, not {type(value).__name__}$"
    ):
        escape_id(value, "order_id")


@pytest.mark.parametrize("path", ["/a/..;x;y/b", "/a/.;x;y", "/%2e%2e;p;q/orders", "/a/..\\x;y/b"])
def test_a_dot_segment_with_several_params_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match=r"'\.' or '\.\.' segments"):
        validate_path(path)


@pytest.mark.parametrize("path", ["/a/..x;y", "/a/x;..", "/a/...", "/a;../b"])
def test_a_segment_that_only_contains_dots_is_kept(path: str) -> None:
    assert validate_path(path) == path


@pytest.mark.parametrize("path", ["/", "//", "", "///"])
def test_a_path_naming_no_resource_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match=r"^path must name a resource, got "):
        validate_path(path)


@pytest.mark.parametrize("path", ["X", "/X/", " "])
def test_any_other_segment_names_a_resource(path: str) -> None:
    assert validate_path(path).strip("/") == path.strip("/").replace(" ", "%20")


def test_a_path_of_another_type_is_named_by_its_type() -> None:
    with pytest.raises(TypeError, match=r"^path must be a str, not bytes$"):
        validate_path(b"/orders")  # type: ignore[arg-type]


def test_params_of_another_type_are_named_by_their_type() -> None:
    with pytest.raises(TypeError, match=r"^params must be a mapping, not list$"):
        encode_query([("a", 1)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "kind"),
    [([None], "NoneType"), (b"SKU-1", "bytes"), ({"a": 1}, "dict"), ({b"SKU-1"}, "bytes")],
)
def test_a_query_value_that_str_would_garble_names_its_param_and_type(
    value: object, kind: str
) -> None:
    with pytest.raises(TypeError) as caught:
        encode_query({"sku:in": value})
    assert str(caught.value) == (
        f"params['sku:in'] must be a str, number, bool or a list of them, not {kind}"
    )


def test_params_that_are_no_mapping_are_refused_naming_their_type() -> None:
    assert params_dict(None) == {}
    with pytest.raises(TypeError) as caught:
        params_dict("a=b")
    assert str(caught.value) == "params must be a mapping, not str"
