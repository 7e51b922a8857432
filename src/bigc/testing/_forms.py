"""Request bodies sent as ``multipart/form-data`` (image and theme uploads).

BigCommerce takes uploads as forms; the client sends them so (``bigc._multipart``).
The fake store reads a form into the same shape as a JSON object: each text
field as a string, each file as its file name (what a handler may check or
store), a :class:`FormFile` that also carries the file's bytes for the few
handlers that read them (a redirect import's CSV). The standard library's
e-mail parser reads the MIME parts.
"""

from __future__ import annotations

from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

__all__ = ["FormFile", "is_form", "read_form"]


class FormFile(str):
    """A file field: its file name, as any other field's value, plus its ``content``."""

    content: bytes

    def __new__(cls, filename: str, content: bytes) -> FormFile:
        made = super().__new__(cls, filename)
        made.content = content
        return made


def is_form(content_type: str | None) -> bool:
    return bool(content_type) and str(content_type).lower().startswith("multipart/form-data")


def read_form(body: bytes, content_type: str) -> tuple[dict[str, Any] | None, bool]:
    """(the form's fields, whether it could not be read), like ``_store._decode``."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if body.strip() == f"--{message.get_boundary()}--".encode():
        return {}, False  # a form without fields
    if not message.is_multipart():
        return None, True
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            return None, True
        fields[name] = _value(part)
    return fields, False


def _value(part: Message) -> Any:
    filename = part.get_filename()
    payload = part.get_payload(decode=True)
    if filename is not None:
        return FormFile(filename, payload if isinstance(payload, bytes) else b"")
    if not isinstance(payload, bytes):
        return ""
    return payload.decode(part.get_content_charset() or "utf-8", "replace")
