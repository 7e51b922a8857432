"""Webhook verification at its edges: the tolerance's bounds, every refusal's message, the log."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bigc.apps import (
    DeliveryLog,
    DuplicateDeliveryError,
    VerificationError,
    sign_webhook,
    verify_webhook,
    webhook_headers,
)

SECRET = "whsec-client-secret"
NOW = 1_700_000_000
EVENT = {
    "scope": "store/product/updated",
    "store_id": 1001,
    "data": {"type": "product", "id": 7},
    "hash": "abc",
    "created_at": 1699999990,
    "producer": "stores/h4sh",
}
BODY = json.dumps(EVENT).encode()


def signed(body: bytes = BODY, stamp: int = NOW, delivery_id: str = "d-1") -> dict[str, str]:
    return webhook_headers(SECRET, delivery_id, body, timestamp=stamp)


def verify(body: bytes = BODY, headers: dict[str, str] | None = None, **options: Any) -> Any:
    return verify_webhook(
        body, signed(body) if headers is None else headers, SECRET, now=NOW, **options
    )


class TestTolerance:
    @pytest.mark.parametrize("offset", [-300, -1, 0, 1, 300])
    def test_a_timestamp_within_the_tolerance_either_way_verifies(self, offset: int) -> None:
        event = verify(headers=signed(stamp=NOW + offset))
        assert event.timestamp == NOW + offset

    def test_one_second_beyond_it_fails_with_what_was_wrong(self) -> None:
        with pytest.raises(VerificationError) as caught:
            verify(headers=signed(stamp=NOW - 301))
        assert caught.value.message == "the webhook-timestamp is too old (a replayed delivery?)"
        with pytest.raises(VerificationError) as caught:
            verify(headers=signed(stamp=NOW + 301))
        assert caught.value.message == "the webhook-timestamp is in the future"

    def test_a_tolerance_of_zero_accepts_only_now(self) -> None:
        assert verify(headers=signed(stamp=NOW), tolerance=0).timestamp == NOW
        with pytest.raises(VerificationError, match="in the future"):
            verify(headers=signed(stamp=NOW + 1), tolerance=0)

    def test_a_negative_tolerance_is_a_programming_error(self) -> None:
        with pytest.raises(
            ValueError, match=r"^tolerance must be a finite number of seconds >= 0, got -0\.5$"
        ):
            verify(tolerance=-0.5)


class TestRefusals:
    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b"{not json", "the webhook body is not JSON"),
            (b"[1, 2]", "the webhook body is not a JSON object"),
            (b"{}", "the webhook body lacks scope, store_id, data, hash, created_at, producer"),
            (
                json.dumps({**EVENT, "data": [7]}).encode(),
                "the webhook body's data is not an object",
            ),
            (
                json.dumps({**EVENT, "created_at": "1699999990"}).encode(),
                "the webhook body's created_at is not a Unix time",
            ),
        ],
    )
    def test_a_signed_body_that_is_not_an_event(self, body: bytes, message: str) -> None:
        with pytest.raises(VerificationError) as caught:
            verify(body)
        assert caught.value.message == message

    def test_a_timestamp_that_is_not_a_number(self) -> None:
        headers = {**signed(), "webhook-timestamp": "soon"}
        with pytest.raises(VerificationError) as caught:
            verify(headers=headers)
        assert caught.value.message == "the webhook-timestamp header is not a Unix time"

    def test_an_empty_delivery_id(self) -> None:
        with pytest.raises(VerificationError) as caught:
            verify(headers=signed(delivery_id=""))
        assert caught.value.message == "the webhook-id header is empty"

    def test_no_matching_signature(self) -> None:
        headers = {**signed(), "webhook-signature": sign_webhook("other", "d-1", NOW, BODY)}
        with pytest.raises(VerificationError) as caught:
            verify(headers=headers)
        assert caught.value.message == "no webhook-signature matches the body"

    def test_a_signature_with_characters_outside_base64_is_not_read(self) -> None:
        good = signed()["webhook-signature"]
        for bad in (good + "!", good[:3] + "*" + good[3:], good + " v1,@@"):
            headers = {**signed(), "webhook-signature": bad}
            if bad.endswith("@@"):
                assert verify(headers=headers).delivery_id == "d-1"
                continue
            with pytest.raises(VerificationError, match="no webhook-signature matches"):
                verify(headers=headers)

    def test_the_matching_signature_may_come_first(self) -> None:
        good = signed()["webhook-signature"]
        other = sign_webhook("rotated-out", "d-1", NOW, BODY)
        for header in (f"{good} {other}", f"{other} {good}", f"v2,xyz {good} v1,AAAA"):
            assert verify(headers={**signed(), "webhook-signature": header}).delivery_id == "d-1"

    def test_a_body_that_is_not_bytes(self) -> None:
        with pytest.raises(TypeError, match=r"^body must be the raw request bytes, not str$"):
            verify_webhook(BODY.decode(), signed(), SECRET, now=NOW)  # type: ignore[arg-type]

    @pytest.mark.parametrize("secret", ["", b"", None, 5])
    def test_a_missing_secret(self, secret: Any) -> None:
        with pytest.raises(ValueError, match=r"^client_secret must be a non-empty str$"):
            verify_webhook(BODY, signed(), secret, now=NOW)


class TestEvent:
    def test_every_field(self) -> None:
        event = verify(headers=signed(stamp=NOW - 5, delivery_id="d-9"))
        assert (event.delivery_id, event.timestamp) == ("d-9", NOW - 5)
        assert (event.scope, event.store_id, event.producer) == (
            "store/product/updated",
            "1001",
            "stores/h4sh",
        )
        assert (event.data, event.hash, event.created_at) == (
            {"type": "product", "id": 7},
            "abc",
            1699999990,
        )

    def test_a_bytes_secret_signs_like_its_utf8_text(self) -> None:
        assert sign_webhook("sécret", "d", 1, b"x") == sign_webhook("sécret".encode(), "d", 1, b"x")


class TestHeaders:
    def test_the_three_headers_with_the_given_timestamp(self) -> None:
        headers = webhook_headers(SECRET, "d-1", BODY, timestamp=NOW - 7)
        assert headers == {
            "webhook-id": "d-1",
            "webhook-timestamp": str(NOW - 7),
            "webhook-signature": sign_webhook(SECRET, "d-1", NOW - 7, BODY),
        }


class TestDeliveryLog:
    def test_the_default_bound(self) -> None:
        assert DeliveryLog().max_size == 100_000

    def test_a_log_of_one_keeps_the_latest(self) -> None:
        log = DeliveryLog(max_size=1)
        assert log.add("a") and log.add("b")
        assert ("a" in log, "b" in log, len(log)) == (False, True, 1)

    @pytest.mark.parametrize("size", [0, -3])
    def test_a_log_of_nothing_is_refused(self, size: int) -> None:
        with pytest.raises(ValueError, match=rf"^max_size must be at least 1, got {size}$"):
            DeliveryLog(max_size=size)

    def test_the_oldest_id_is_forgotten_first(self) -> None:
        log = DeliveryLog(max_size=2)
        assert [log.add(i) for i in ("a", "b", "a", "c")] == [True, True, False, True]
        assert sorted(i for i in ("a", "b", "c") if i in log) == ["b", "c"]

    def test_a_duplicate_names_its_id(self) -> None:
        log = DeliveryLog()
        verify(seen=log)
        with pytest.raises(DuplicateDeliveryError) as caught:
            verify(seen=log)
        assert caught.value.delivery_id == "d-1"
        assert caught.value.message == "webhook delivery 'd-1' was already received"
