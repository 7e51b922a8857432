"""Multipart bodies for uploads (product, brand and category images, themes...).

An upload method takes a dict like any other; when a value is a file (bytes,
an open binary file, or a ``(filename, bytes[, content_type])`` tuple) the
body goes as ``multipart/form-data``, otherwise as JSON (``image_url`` needs
no file). urllib3's encoder writes the form.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["EncodedBody", "has_file", "multipart_body"]


@dataclass(frozen=True)
class EncodedBody:
    """A request body already encoded, with its own content type."""

    content: bytes
    content_type: str


def _is_file(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, tuple)) or hasattr(value, "read")


def has_file(data: Any) -> bool:
    """Whether a body holds a file, and so must go as a multipart form."""
    if not isinstance(data, Mapping):
        return False
    for name, value in data.items():
        if isinstance(value, os.PathLike):  # would reach the JSON encoder, unnamed
            raise TypeError(f"data[{name!r}] is a path: pass open(path, 'rb') or its bytes")
    return any(_is_file(v) for v in data.values())


def _field(name: str, value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return (name, bytes(value))
    if hasattr(value, "read"):
        content = value.read()
        if isinstance(content, str):
            raise TypeError(f"data[{name!r}] must be opened in binary mode ('rb')")
        filename = os.path.basename(str(getattr(value, "name", name)))
        return (filename, content)
    if isinstance(value, tuple):
        if not 2 <= len(value) <= 3 or not isinstance(value[1], (bytes, bytearray)):
            raise TypeError(
                f"data[{name!r}] must be (filename, bytes) or (filename, bytes, content_type)"
            )
        if not all(isinstance(v, str) for v in value[::2]):
            raise TypeError(f"data[{name!r}]: the filename and content type must be str")
        if len(value) == 3 and not value[2].isprintable():
            # urllib3 writes the content type into the part's header as given.
            raise ValueError(f"data[{name!r}]: the content type must be one printable line")
        return tuple(bytes(v) if isinstance(v, bytearray) else v for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def multipart_body(data: Mapping[str, Any]) -> EncodedBody:
    """``data`` as a ``multipart/form-data`` body: files as file parts, the rest as text."""
    from urllib3.filepost import encode_multipart_formdata  # only when uploading

    fields = {str(name): _field(str(name), value) for name, value in data.items()}
    content, content_type = encode_multipart_formdata(fields)
    return EncodedBody(content, content_type)
