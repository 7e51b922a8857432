"""Error mapping and body decoding: every field of every exception, every body shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bigc import Request, Response
from bigc._responses import (
    decode_v2,
    decode_v3,
    error_from_response,
    expect_dict,
    expect_list,
    retry_after_seconds,
)
from bigc.exceptions import (
    BigCommerceClientError,
    BigCommerceServerError,
    DoesNotExistError,
    InvalidDataError,
    InvalidResponseError,
    TooManyRequestsError,
    UnauthorizedError,
)


def answer(
    status: int,
    body: Any = None,
    headers: dict[str, str] | None = None,
    *,
    method: str = "GET",
    content: bytes | None = None,
) -> Response:
    if content is None:
        content = b"" if body is None else json.dumps(body).encode()
    request = Request(method, "https://api.bigcommerce.com/stores/abc/v3/x", {})
    return Response(status, headers or {}, content, request)


class TestMessages:
    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ([{"status": 404, "message": "No order."}], "No order."),  # v2
            ([{"status": 404, "message": 7}], "7"),
            ({"title": "Bad name", "message": "m", "detail": "d"}, "Bad name"),  # v3
            ({"message": "From message", "detail": "d"}, "From message"),
            ({"detail": "From detail"}, "From detail"),
            ({"error": "invalid_grant", "error_description": "Code used"}, "Code used"),
            ({"error": "invalid_grant"}, "invalid_grant"),
            ({"errors": [{"message": "GraphQL says no"}, {"message": "2"}]}, "GraphQL says no"),
            ({"title": "", "message": "", "detail": "From detail"}, "From detail"),
        ],
    )
    def test_bigcommerces_message_is_kept(self, body: Any, message: str) -> None:
        error = error_from_response(answer(404, body))
        assert error.message == message
        assert str(error) == f"404: {message}"

    @pytest.mark.parametrize(
        "body",
        [
            [],
            [{"status": 404}],
            [{"message": ""}],
            ["text"],
            {},
            {"title": None},
            {"error": 5},
            {"error_description": ["x"]},
            {"errors": []},
            {"errors": ["text"]},
            {"errors": [{"code": 1}]},
            "a JSON string",
            42,
        ],
    )
    def test_without_one_the_class_default_is_used(self, body: Any) -> None:
        error = error_from_response(answer(404, body))
        assert isinstance(error, DoesNotExistError)
        assert error.message == DoesNotExistError.default_message

    def test_v3_field_errors_are_kept(self) -> None:
        body = {"status": 422, "title": "Invalid", "errors": {"name": "is required"}}
        error = error_from_response(answer(422, body))
        assert isinstance(error, InvalidDataError)
        assert (error.message, error.errors) == ("Invalid", {"name": "is required"})
        assert error.errors is not body["errors"]

    @pytest.mark.parametrize(
        "body", [[{"message": "m", "errors": {"a": 1}}], {"errors": [{"message": "m"}]}]
    )
    def test_errors_that_are_not_a_field_mapping_are_left_out(self, body: Any) -> None:
        assert error_from_response(answer(400, body)).errors == {}

    @pytest.mark.parametrize(
        ("content", "excerpt"),
        [
            (b"<html><body>Bad   gateway</body></html>", "<html><body>Bad gateway</body></html>"),
            (b"upstream\nfailed", "upstream failed"),
        ],
    )
    def test_a_body_that_is_not_json_is_quoted(self, content: bytes, excerpt: str) -> None:
        error = error_from_response(answer(502, content=content))
        assert isinstance(error, BigCommerceServerError)
        assert error.message == f"BigCommerce's gateway got a bad answer (502). Body: {excerpt}"

    @pytest.mark.parametrize("content", [b"", b"  \n"])
    def test_an_empty_body_gives_the_default(self, content: bytes) -> None:
        error = error_from_response(answer(401, content=content))
        assert isinstance(error, UnauthorizedError)
        assert error.message == UnauthorizedError.default_message


class TestFields:
    def test_every_field_of_an_error(self) -> None:
        response = answer(404, [{"message": "gone"}], {"X-Request-ID": "r-1"})
        error = error_from_response(response)
        assert type(error) is DoesNotExistError
        assert error.status_code == 404
        assert error.message == "gone"
        assert error.errors == {}
        assert error.response is response
        assert error.request is response.request
        assert error.request_id == "r-1"
        assert error.headers["x-request-id"] == "r-1"

    @pytest.mark.parametrize(
        ("status", "cls"), [(418, BigCommerceClientError), (599, BigCommerceServerError)]
    )
    def test_statuses_without_a_class_of_their_own(self, status: int, cls: type[Exception]) -> None:
        error = error_from_response(answer(status, {"title": "t"}))
        assert type(error) is cls
        assert error.status_code == status

    def test_every_field_of_a_429(self) -> None:
        body = {"status": 429, "title": "Too many", "errors": {"quota": "spent"}}
        response = answer(429, body, {"X-Rate-Limit-Time-Reset-Ms": "1500"})
        error = error_from_response(response)
        assert type(error) is TooManyRequestsError
        assert error.status_code == 429
        assert error.message == "Too many"
        assert error.errors == {"quota": "spent"}
        assert error.response is response
        assert error.request is response.request
        assert error.retry_after == 1.5

    def test_a_429_without_a_wait(self) -> None:
        error = error_from_response(answer(429))
        assert isinstance(error, TooManyRequestsError)
        assert error.retry_after is None
        assert error.message == TooManyRequestsError.default_message


class TestRetryAfter:
    @pytest.mark.parametrize(
        ("headers", "wait"),
        [
            ({"X-Rate-Limit-Time-Reset-Ms": "2500"}, 2.5),
            ({"X-Rate-Limit-Time-Reset-Ms": "0"}, 0.0),
            ({"X-Rate-Limit-Time-Reset-Ms": "-100"}, 0.0),
            ({"X-Rate-Limit-Time-Reset-Ms": "900", "X-Retry-After": "5"}, 0.9),
            ({"X-Rate-Limit-Time-Reset-Ms": "soon", "X-Retry-After": "5"}, 5.0),
            ({"X-Retry-After": "3", "Retry-After": "7"}, 3.0),
            ({"X-Retry-After": "", "Retry-After": "7"}, 7.0),
            ({"Retry-After": "7"}, 7.0),
            ({"Retry-After": "1.5"}, 1.5),
            ({"Retry-After": "-2"}, 0.0),
            ({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, None),
            ({"X-Rate-Limit-Time-Reset-Ms": "x", "Retry-After": "y"}, None),
            ({}, None),
        ],
    )
    def test_the_wait_bigcommerce_asked_for(
        self, headers: dict[str, str], wait: float | None
    ) -> None:
        assert retry_after_seconds(answer(429, headers=headers)) == wait


class TestDecoding:
    @pytest.mark.parametrize("decode", [decode_v2, decode_v3])
    def test_204_and_an_empty_delete_answer_are_none(self, decode: Any) -> None:
        assert decode(answer(204)) is None
        assert decode(answer(204, content=b"ignored")) is None
        assert decode(answer(200, method="DELETE")) is None
        assert decode(answer(200, method="DELETE", content=b" \n")) is None

    @pytest.mark.parametrize("decode", [decode_v2, decode_v3])
    @pytest.mark.parametrize("content", [b"", b" \r\n"])
    def test_any_other_empty_answer_is_an_error(self, decode: Any, content: bytes) -> None:
        response = answer(200, method="GET", content=content)
        with pytest.raises(InvalidResponseError) as caught:
            decode(response)
        assert caught.value.message == (
            "BigCommerce sent an empty body where JSON was expected (status 200)"
        )
        assert caught.value.response is response
        no_request = Response(201, {}, content)
        with pytest.raises(InvalidResponseError, match=r"\(status 201\)$"):
            decode(no_request)

    def test_v2_is_json_as_is(self) -> None:
        assert decode_v2(answer(200, [{"id": 1}])) == [{"id": 1}]
        assert decode_v2(answer(200, method="DELETE", content=b'{"ok":1}')) == {"ok": 1}

    def test_v3_is_unwrapped(self) -> None:
        assert decode_v3(answer(200, {"data": [1], "meta": {}})) == [1]
        assert decode_v3(answer(200, {"data": None})) is None

    @pytest.mark.parametrize("body", [{"meta": {}}, [{"data": 1}], "data"])
    def test_v3_without_data_is_an_error(self, body: Any) -> None:
        response = answer(200, body)
        with pytest.raises(InvalidResponseError) as caught:
            decode_v3(response)
        excerpt = json.dumps(body)
        assert caught.value.message == (
            f"BigCommerce sent a v3 response without 'data' (status 200): {excerpt}"
        )
        assert caught.value.response is response


class TestExpect:
    def test_lists(self) -> None:
        assert expect_list(None, "x") == []
        items = [1]
        assert expect_list(items, "x") is items
        with pytest.raises(
            InvalidResponseError, match=r"^expected a JSON list from GET /orders, got dict$"
        ):
            expect_list({}, "GET /orders")

    def test_dicts(self) -> None:
        item = {"id": 1}
        assert expect_dict(item, "x") is item
        for value in (None, [item]):
            with pytest.raises(
                InvalidResponseError,
                match=rf"^expected one JSON object from GET /orders/1, got {type(value).__name__}$",
            ):
                expect_dict(value, "GET /orders/1")
