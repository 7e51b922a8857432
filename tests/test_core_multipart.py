"""Multipart bodies for uploads (``bigc._multipart``), field by field."""

from __future__ import annotations

import io
from typing import Any

import pytest
from urllib3.filepost import encode_multipart_formdata

from bigc._multipart import EncodedBody, has_file, multipart_body


def parts(body: EncodedBody) -> list[bytes]:
    """Each part of a form: its headers and content, without the boundary lines."""
    boundary = body.content_type.split("boundary=", 1)[1].encode()
    return [p.strip(b"\r\n") for p in body.content.split(b"--" + boundary)[1:-1]]


def part(name: str, value: bytes, filename: str | None = None, kind: str | None = None) -> bytes:
    disposition = f'Content-Disposition: form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    headers = [disposition] + ([f"Content-Type: {kind}"] if kind else [])
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + value


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"image_file": b"x"}, True),
        ({"image_file": bytearray(b"x")}, True),
        ({"image_file": ("a.png", b"x")}, True),
        ({"image_file": io.BytesIO(b"x")}, True),
        ({"description": "x", "image_file": b"x"}, True),
        ({"image_url": "https://example.com/a.png", "is_thumbnail": True}, False),
        ({}, False),
        ([b"x"], False),  # not a mapping: a JSON list
        (b"x", False),
        (None, False),
    ],
)
def test_a_body_holds_a_file_when_a_value_is_one(data: Any, expected: bool) -> None:
    assert has_file(data) is expected


def test_each_kind_of_value_becomes_its_part() -> None:
    named = io.BytesIO(b"<zip>")
    named.name = "/tmp/themes/cornerstone.zip"
    body = multipart_body(
        {
            "raw": b"\x89PNG",
            "array": bytearray(b"GIF8"),
            "tuple": ("a.jpg", bytearray(b"\xff\xd8"), "image/jpeg"),
            "pair": ("b.png", b"\x89PNG"),
            "file": named,
            "anonymous": io.BytesIO(b"data"),
            "yes": True,
            "no": False,
            "sort_order": 3,
            "description": "a caption",
        }
    )
    assert body.content_type.startswith("multipart/form-data; boundary=")
    assert parts(body) == [
        part("raw", b"\x89PNG", "raw", "application/octet-stream"),
        part("array", b"GIF8", "array", "application/octet-stream"),
        part("tuple", b"\xff\xd8", "a.jpg", "image/jpeg"),
        part("pair", b"\x89PNG", "b.png", "image/png"),
        part("file", b"<zip>", "cornerstone.zip", "application/zip"),
        part("anonymous", b"data", "anonymous", "application/octet-stream"),
        part("yes", b"true"),
        part("no", b"false"),
        part("sort_order", b"3"),
        part("description", b"a caption"),
    ]


def test_the_form_is_urllib3s_encoding() -> None:
    body = multipart_body({"image_file": ("a.png", b"x"), "n": 1})
    boundary = body.content_type.split("boundary=", 1)[1]
    expected = encode_multipart_formdata(
        {"image_file": ("a.png", b"x"), "n": "1"}, boundary=boundary
    )
    assert (body.content, body.content_type) == expected


def test_field_names_are_strings() -> None:
    body = multipart_body({7: "seven"})  # type: ignore[dict-item]
    assert parts(body) == [part("7", b"seven")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (io.StringIO("text"), r"data\['image_file'\] must be opened in binary mode \('rb'\)"),
        (
            ("a.png",),
            r"data\['image_file'\] must be \(filename, bytes\) or "
            r"\(filename, bytes, content_type\)",
        ),
        (("a.png", b"x", "image/png", "extra"), "must be .filename, bytes."),
        (("a.png", "text"), "must be .filename, bytes."),
    ],
)
def test_a_bad_file_is_refused_naming_its_field(value: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        multipart_body({"image_file": value})


@pytest.mark.parametrize("value", [("a.png", b"x"), ("a.png", bytearray(b"x"), "image/png")])
def test_a_tuple_of_two_or_three_is_a_file(value: tuple[Any, ...]) -> None:
    assert b'filename="a.png"' in multipart_body({"image_file": value}).content
