"""Answers that are not JSON: text files and server-sent event streams (no I/O).

A few operations answer text: a redirect export is downloaded as a CSV file,
and job progress and worker logs come as a server-sent event stream
(``text/event-stream``) that BigCommerce closes when the job ends or after a
fixed time (30 s for deployments, 60 s for log tails). The client reads the
whole answer, then hands back the text, or the events parsed as the HTML
standard's event-stream format says.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any

from bigc import _json
from bigc._models import Response
from bigc.exceptions import InvalidResponseError, body_excerpt

__all__ = ["ServerSentEvent", "parse_events", "response_text"]


def charset_of(content_type: str | None) -> str:
    """The ``charset`` parameter of a ``Content-Type``, or UTF-8 (the default of both formats)."""
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"'):
            return value.strip().strip('"')
    return "utf-8"


def response_text(response: Response) -> str:
    """The body as text, in the charset its ``Content-Type`` names.

    Strict: a body that is not valid in that charset, or a charset Python
    does not know, is an :class:`~bigc.exceptions.InvalidResponseError`, not
    text with replacement characters (a CSV file silently changed).
    """
    charset = charset_of(response.headers.get("Content-Type"))
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        raise InvalidResponseError(
            f"BigCommerce sent text in an unknown charset {charset!r} "
            f"(status {response.status_code})",
            response=response,
        ) from None
    try:
        text = response.content.decode(codec.name)
    except UnicodeDecodeError as exc:
        raise InvalidResponseError(
            f"BigCommerce sent text that is not valid {codec.name} "
            f"(status {response.status_code}): {exc.reason} at byte {exc.start}",
            response=response,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


@dataclass(frozen=True)
class ServerSentEvent:
    """One event of a ``text/event-stream`` answer.

    ``data`` is the event's data as sent (its ``data:`` lines joined by
    newlines); BigCommerce's events carry a JSON object there, which
    :meth:`json` decodes.
    """

    data: str
    event: str = "message"
    id: str | None = None

    def json(self) -> Any:
        """The data decoded as JSON; :class:`~bigc.exceptions.InvalidResponseError` if it is not."""
        try:
            return _json.loads(self.data.encode())
        except (ValueError, RecursionError):
            raise InvalidResponseError(
                f"the {self.event!r} event's data is not JSON: {body_excerpt(self.data.encode())}"
            ) from None


def _lines(text: str) -> list[str]:
    """The stream's whole lines: ended by CRLF, LF or CR alone (``str.splitlines``
    knows more endings). What follows the last line ending is not a line yet."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:-1]


def parse_events(text: str) -> list[ServerSentEvent]:
    """The events of an event stream, in order.

    As the HTML standard's parser: a blank line dispatches the event being
    built; a line that starts with ``:`` is a comment (BigCommerce's
    keep-alives: a field with no name, ignored as unknown); one space after
    a field's colon is dropped; an event with no ``data`` is not dispatched;
    an ``id`` holds for the following events too (as ``EventSource`` reports
    it); other fields (``retry``: the client does not reconnect) are ignored;
    an event still being built when the stream ends is dropped.
    """
    events: list[ServerSentEvent] = []
    data: list[str] = []
    event = ""
    last_id: str | None = None
    for line in _lines(text.removeprefix("\ufeff")):
        if not line:
            if data:
                events.append(ServerSentEvent("\n".join(data), event or "message", last_id))
            data, event = [], ""
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
        elif name == "id" and "\0" not in value:
            last_id = value
    return events
