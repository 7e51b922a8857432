"""Text answers: a body in its charset, and event streams parsed as the HTML standard says."""

from __future__ import annotations

import pytest

from bigc import Response, ServerSentEvent
from bigc._text import charset_of, parse_events, response_text
from bigc.exceptions import InvalidResponseError


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        (None, "utf-8"),
        ("text/csv", "utf-8"),
        ("text/csv; charset=latin-1", "latin-1"),
        ('text/csv; Charset="ISO-8859-1"', "ISO-8859-1"),
        ("text/csv;header=present; charset = cp1252 ", "cp1252"),
        ("text/csv; charset=", "utf-8"),
        ("text/csv; charsets=latin-1", "utf-8"),
        ("charset=latin-1", "utf-8"),  # the media type itself, not a parameter
        ('text/csv; charset=""', "utf-8"),
        ("text/csv; charset=X", "X"),
        ("text/csv; charset=a=b", "a=b"),  # the first "=" splits
    ],
)
def test_charset_of(content_type: str | None, charset: str) -> None:
    assert charset_of(content_type) == charset


def text_response(content: bytes, content_type: str | None = "text/csv") -> Response:
    return Response(200, {"Content-Type": content_type} if content_type else {}, content)


class TestResponseText:
    def test_utf8_by_default(self) -> None:
        assert response_text(text_response("Größe,ß\n".encode(), None)) == "Größe,ß\n"

    def test_the_charset_named(self) -> None:
        body = "Größe\n".encode("latin-1")
        assert response_text(text_response(body, "text/csv; charset=latin-1")) == "Größe\n"

    def test_a_byte_order_mark_is_dropped(self) -> None:
        assert response_text(text_response(b"\xef\xbb\xbfa,b\n")) == "a,b\n"

    def test_empty(self) -> None:
        assert response_text(text_response(b"")) == ""

    def test_invalid_text_is_an_invalid_response(self) -> None:
        response = text_response(b"ok,\xff\xfe\n")
        with pytest.raises(InvalidResponseError) as caught:
            response_text(response)
        assert "not valid utf-8" in str(caught.value) and "at byte 3" in str(caught.value)
        assert caught.value.response is response

    def test_an_unknown_charset_is_an_invalid_response(self) -> None:
        response = text_response(b"a", "text/csv; charset=klingon")
        with pytest.raises(InvalidResponseError, match="unknown charset 'klingon'") as caught:
            response_text(response)
        assert caught.value.response is response


class TestParseEvents:
    def test_bigcommerce_stream(self) -> None:
        stream = (
            ': keep-alive\n\nevent: message\ndata: {"status":"queued"}\n\n'
            'event: message\ndata: {"status":"complete"}\n\n'
        )
        events = parse_events(stream)
        assert events == [
            ServerSentEvent('{"status":"queued"}'),
            ServerSentEvent('{"status":"complete"}'),
        ]
        assert [e.json()["status"] for e in events] == ["queued", "complete"]

    def test_data_lines_join_with_newlines(self) -> None:
        assert parse_events("data: a\ndata:b\ndata\n\n") == [ServerSentEvent("a\nb\n")]

    def test_only_one_space_after_the_colon_is_dropped(self) -> None:
        assert parse_events("data:  two\n\n") == [ServerSentEvent(" two")]

    def test_crlf_ends_one_line(self) -> None:
        assert parse_events("data: a\r\ndata: b\r\n\r\n") == [ServerSentEvent("a\nb")]

    def test_crlf_and_cr_end_lines(self) -> None:
        assert parse_events("data: a\r\n\r\ndata: b\r\rdata: c\n\n") == [
            ServerSentEvent("a"),
            ServerSentEvent("b"),
            ServerSentEvent("c"),
        ]

    def test_event_type_and_id(self) -> None:
        events = parse_events("event: progress\nid: 7\ndata: x\n\ndata: y\n\n")
        assert events == [
            ServerSentEvent("x", "progress", "7"),
            ServerSentEvent("y", "message", "7"),
        ]

    def test_an_id_with_nul_is_ignored(self) -> None:
        assert parse_events("id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n")[1].id == "1"

    def test_an_event_without_data_is_not_dispatched(self) -> None:
        assert parse_events("event: ping\n\nid: 3\n\n: comment\n\n") == []

    def test_an_empty_data_line_is_an_event_with_empty_data(self) -> None:
        assert parse_events("data\n\n") == [ServerSentEvent("")]
        assert parse_events("data:\n\n") == [ServerSentEvent("")]

    def test_an_event_cut_off_by_the_end_of_the_stream_is_dropped(self) -> None:
        assert parse_events("data: a\n\ndata: b\n") == [ServerSentEvent("a")]
        assert parse_events("data: a") == []

    def test_unknown_fields_and_retry_are_ignored(self) -> None:
        assert parse_events("retry: 10\nfoo: bar\ndata: a\n\n") == [ServerSentEvent("a")]

    def test_a_field_named_with_a_space_is_not_data(self) -> None:
        assert parse_events("data : a\n\n") == []

    def test_the_event_type_resets_after_each_event(self) -> None:
        events = parse_events("event: a\ndata: 1\n\ndata: 2\n\n")
        assert [e.event for e in events] == ["a", "message"]

    def test_a_leading_byte_order_mark_is_dropped(self) -> None:
        assert parse_events("\ufeffdata: a\n\n") == [ServerSentEvent("a")]

    def test_a_colon_in_the_value_stays(self) -> None:
        assert parse_events('data: {"url": "https://x"}\n\n')[0].json() == {"url": "https://x"}


def test_event_data_that_is_not_json() -> None:
    with pytest.raises(InvalidResponseError, match="'progress' event's data is not JSON"):
        ServerSentEvent("{{oops}", "progress").json()
