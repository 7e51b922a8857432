"""Uploads send real multipart bodies, the form the spec documents; JSON otherwise."""

from __future__ import annotations

import email.parser
import email.policy
import io
from pathlib import Path
from typing import Any

import pytest

from bigc import ENDPOINTS, Request
from tests.spec_index import file_operation
from tests.support import json_response, split
from tests.test_resources import PREFIX, Harness

by_flavor = pytest.mark.parametrize("flavor", ["sync", "async"])
IMAGE = b"\xff\xd8\xff\xe0 not really a jpeg \r\n--boundary-like\r\n"


def form_parts(request: Request) -> dict[str, tuple[str | None, bytes]]:
    """The parts of a multipart body by name: (filename, content), parsed by the stdlib."""
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + (request.body or b"")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    assert message.is_multipart()
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(payload, bytes)
        parts[name] = (part.get_filename(), payload)
    return parts


@by_flavor
@pytest.mark.parametrize(
    ("value", "filename"),
    [
        (("mug.jpg", IMAGE, "image/jpeg"), "mug.jpg"),
        (("mug.jpg", IMAGE), "mug.jpg"),
        (IMAGE, "image_file"),
        (bytearray(IMAGE), "image_file"),
    ],
)
async def test_product_image_upload_is_multipart(flavor: str, value: Any, filename: str) -> None:
    harness = Harness(flavor, json_response(200, {"data": {"id": 3, "product_id": 77}}))
    data = {"image_file": value, "is_thumbnail": True, "sort_order": 2}
    created = await harness.call("products_v3.create_image", 77, data)
    assert created == {"id": 3, "product_id": 77}
    [request] = harness.requests
    assert split(request)[:2] == ("POST", PREFIX + "/v3/catalog/products/77/images")
    assert form_parts(request) == {
        "image_file": (filename, IMAGE),
        "is_thumbnail": (None, b"true"),
        "sort_order": (None, b"2"),
    }
    assert data["image_file"] is value, "the caller's dict is not changed"


@by_flavor
async def test_an_open_binary_file_is_sent_with_its_name(flavor: str) -> None:
    harness = Harness(flavor, json_response(200, {"data": {"id": 9}}))
    upload = io.BytesIO(IMAGE)
    upload.name = "/tmp/photos/logo.png"
    await harness.call("brands_v3.create_image", 5, {"image_file": upload})
    [request] = harness.requests
    assert split(request)[1] == PREFIX + "/v3/catalog/brands/5/image"
    assert form_parts(request) == {"image_file": ("logo.png", IMAGE)}


@by_flavor
async def test_a_form_only_upload_is_multipart_even_without_a_file(flavor: str) -> None:
    harness = Harness(flavor, json_response(200, {"data": {"id": 1}}))
    await harness.call("themes_v3.create", {"file": ("theme.zip", b"PK"), "channel_id": 2})
    await harness.call("settings_v3.create_logo_image", {"LogoFile": "not a file"})
    assert [form_parts(r) for r in harness.requests] == [
        {"file": ("theme.zip", b"PK"), "channel_id": (None, b"2")},
        {"LogoFile": (None, b"not a file")},
    ]


@by_flavor
async def test_without_a_file_the_body_is_json(flavor: str) -> None:
    harness = Harness(flavor, json_response(200, {"data": {"id": 3}}))
    await harness.call("products_v3.create_image", 77, {"image_url": "https://x.test/a.jpg"})
    [request] = harness.requests
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {"image_url": "https://x.test/a.jpg"}


@by_flavor
@pytest.mark.parametrize(
    "value", [io.StringIO("text"), ("a.jpg", "not bytes"), ("a.jpg",), ("a", b"b", "c", "d")]
)
async def test_bad_files_are_refused_before_any_request(flavor: str, value: Any) -> None:
    harness = Harness(flavor)
    with pytest.raises(TypeError, match="image_file"):
        await harness.call("products_v3.create_image", 77, {"image_file": value})
    assert harness.requests == []


UPLOADS = [row for row in ENDPOINTS if row.body in ("form", "multipart")]


@pytest.mark.parametrize("row", UPLOADS, ids=[f"{r.group}.{r.method}" for r in UPLOADS])
def test_upload_rows_are_multipart_in_the_spec(row: Any) -> None:
    path = f"/{row.api}" + row.path.format(**{name: "1" for name in row.args})
    operation = file_operation(row.spec_file, row.http_method, path)
    assert operation is not None
    body = operation.spec.get("requestBody")
    if body is not None:
        kinds = set(operation.resolve(body).get("content", {}))
        assert any(kind.startswith("multipart/") for kind in kinds), kinds
    else:  # Swagger 2.0: a form
        params = [operation.resolve(p) for p in operation.spec.get("parameters", [])]
        assert any(p.get("in") == "formData" for p in params)
    assert len(UPLOADS) >= 8


@by_flavor
@pytest.mark.parametrize(
    ("value", "error"),
    [
        (("a.jpg", IMAGE, "image/jpeg\r\nX-Injected: 1"), ValueError),
        (("a.jpg", IMAGE, "image/jpeg\nX-Injected: 1"), ValueError),
        ((None, IMAGE), TypeError),
        (("a.jpg", IMAGE, b"image/jpeg"), TypeError),
    ],
)
async def test_a_content_type_cannot_add_headers_to_its_part(
    flavor: str, value: Any, error: type[Exception]
) -> None:
    harness = Harness(flavor)
    with pytest.raises(error, match="image_file"):
        await harness.call("products_v3.create_image", 77, {"image_file": value})
    assert harness.requests == []


@by_flavor
async def test_quotes_and_line_breaks_in_a_filename_stay_in_its_parameter(flavor: str) -> None:
    harness = Harness(flavor, json_response(200, {"data": {"id": 3}}))
    name = 'a"b\r\nX-Injected: 1.jpg'
    await harness.call("products_v3.create_image", 77, {"image_file": (name, IMAGE)})
    [request] = harness.requests
    assert b"\r\nX-Injected" not in (request.body or b"")
    assert list(form_parts(request)) == ["image_file"]


@by_flavor
async def test_a_path_is_refused_by_name(flavor: str) -> None:
    harness = Harness(flavor)
    with pytest.raises(TypeError, match=r"^data\['image_file'\] is a path"):
        await harness.call("products_v3.create_image", 77, {"image_file": Path("mug.jpg")})
    assert harness.requests == []
