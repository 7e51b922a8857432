"""Webhook verification, cross-checked both ways against the ``standardwebhooks`` package."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timezone

import pytest
from standardwebhooks import Webhook

from bigc.apps import (
    DeliveryLog,
    DuplicateDeliveryError,
    VerificationError,
    sign_webhook,
    verify_webhook,
    webhook_headers,
)

SECRET = "the-app-client-secret-0123456789abcdef"
BODY = json.dumps(
    {
        "store_id": "11111",
        "producer": "stores/abcde",
        "scope": "store/order/statusUpdated",
        "data": {"type": "order", "id": 173331},
        "hash": "3f9ea420af83450d7ef9f78b08c8af25b2213637",
        "created_at": 1561479335,
    }
).encode()


def standard_headers(
    body: bytes = BODY, msg_id: str = "msg_1", at: float | None = None
) -> dict[str, str]:
    """Headers signed by the standardwebhooks package, with the client secret as the key."""
    stamp = time.time() if at is None else at
    signer = Webhook(SECRET.encode())
    signature = signer.sign(msg_id, datetime.fromtimestamp(stamp, tz=timezone.utc), body.decode())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(stamp)),
        "webhook-signature": signature,
    }


def test_a_delivery_signed_by_standardwebhooks_verifies() -> None:
    event = verify_webhook(BODY, standard_headers(), SECRET)
    assert event.delivery_id == "msg_1"
    assert event.scope == "store/order/statusUpdated"
    assert (event.store_id, event.producer, event.store_hash) == ("11111", "stores/abcde", "abcde")
    assert event.data == {"type": "order", "id": 173331}
    assert event.hash == "3f9ea420af83450d7ef9f78b08c8af25b2213637"
    assert event.created_at == 1561479335


def test_our_signature_verifies_with_standardwebhooks() -> None:
    headers = webhook_headers(SECRET, "msg_2", BODY)
    assert Webhook(SECRET.encode()).verify(BODY, headers) == json.loads(BODY)


def test_the_signature_is_hmac_sha256_of_id_timestamp_body() -> None:
    expected = hmac.new(SECRET.encode(), b"msg_3.1700000000." + BODY, hashlib.sha256).digest()
    assert (
        sign_webhook(SECRET, "msg_3", 1700000000, BODY)
        == "v1," + base64.b64encode(expected).decode()
    )


def test_header_names_are_case_insensitive() -> None:
    headers = {k.title(): v for k, v in standard_headers().items()}
    assert verify_webhook(BODY, headers, SECRET).delivery_id == "msg_1"


def _refused(
    body: bytes, headers: dict[str, str], match: str, secret: str = SECRET, **options: float
) -> None:
    with pytest.raises(VerificationError, match=match) as caught:
        verify_webhook(body, headers, secret, **options)  # type: ignore[arg-type]
    assert not isinstance(caught.value, DuplicateDeliveryError)
    assert SECRET not in str(caught.value)


def test_a_tampered_body_fails() -> None:
    headers = standard_headers()
    _refused(BODY.replace(b"173331", b"173332"), headers, "no webhook-signature matches")


def test_a_tampered_signature_fails() -> None:
    headers = standard_headers()
    raw = bytearray(base64.b64decode(headers["webhook-signature"][3:]))
    raw[0] ^= 1
    headers["webhook-signature"] = "v1," + base64.b64encode(bytes(raw)).decode()
    _refused(BODY, headers, "no webhook-signature matches")


def test_a_tampered_id_or_timestamp_fails() -> None:
    headers = standard_headers()
    _refused(BODY, {**headers, "webhook-id": "msg_other"}, "no webhook-signature matches")
    moved = str(int(headers["webhook-timestamp"]) - 1)
    _refused(BODY, {**headers, "webhook-timestamp": moved}, "no webhook-signature matches")


def test_a_wrong_secret_fails() -> None:
    _refused(BODY, standard_headers(), "no webhook-signature", secret="another-secret-0123456789ab")


def test_one_matching_signature_among_several_is_enough() -> None:
    headers = standard_headers()
    good = headers["webhook-signature"]
    bogus = "v1," + base64.b64encode(b"x" * 32).decode()
    headers["webhook-signature"] = f"v1a,whatever {bogus} v1,not-base64!! {good}"
    assert verify_webhook(BODY, headers, SECRET).delivery_id == "msg_1"
    headers["webhook-signature"] = f"{bogus} v2,{good[3:]}"  # the right bytes under another version
    _refused(BODY, headers, "no webhook-signature matches")


def test_a_stale_timestamp_fails_and_the_tolerance_holds_both_ways() -> None:
    now = 1_800_000_000.0
    old = standard_headers(at=now - 301)
    _refused(BODY, old, "too old", now=now)
    assert verify_webhook(BODY, standard_headers(at=now - 299), SECRET, now=now)
    assert verify_webhook(BODY, old, SECRET, now=now, tolerance=600)


@pytest.mark.parametrize("tolerance", [float("nan"), float("inf"), -1])
def test_a_tolerance_that_would_accept_any_timestamp_is_refused(tolerance: float) -> None:
    stale = standard_headers(at=time.time() - 86400 * 365)
    with pytest.raises(ValueError, match="tolerance"):
        verify_webhook(BODY, stale, SECRET, tolerance=tolerance)


def test_a_future_timestamp_fails() -> None:
    now = 1_800_000_000.0
    _refused(BODY, standard_headers(at=now + 301), "in the future", now=now)
    assert verify_webhook(BODY, standard_headers(at=now + 299), SECRET, now=now)


def test_a_timestamp_that_is_not_a_number_fails() -> None:
    _refused(BODY, {**standard_headers(), "webhook-timestamp": "yesterday"}, "Unix time")


@pytest.mark.parametrize(
    "stamp",
    ["{:_}", " {}", "+{}", "{}.0", "-{}"],
)
def test_a_timestamp_that_is_not_plain_ascii_digits_fails_even_when_signed(stamp: str) -> None:
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    for text in (stamp.format(int(time.time())), str(int(time.time())).translate(arabic)):
        headers = {
            "webhook-id": "msg_1",
            "webhook-timestamp": text,
            "webhook-signature": sign_webhook(SECRET, "msg_1", text, BODY),
        }
        _refused(BODY, headers, "Unix time")


def test_an_empty_delivery_id_fails() -> None:
    _refused(BODY, webhook_headers(SECRET, "", BODY), "webhook-id")


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_fails(missing: str) -> None:
    headers = standard_headers()
    del headers[missing]
    _refused(BODY, headers, missing)


def test_a_signed_body_that_is_not_a_bigcommerce_event_fails() -> None:
    for body, match in (
        (b"[1]", "not a JSON object"),
        (b"{", "not JSON"),
        (b'{"scope": "x"}', "lacks"),
    ):
        _refused(body, standard_headers(body), match)


def test_a_signed_body_with_malformed_fields_fails_as_verification() -> None:
    event = json.loads(BODY)
    for created_at in ("yesterday", None, [1], True, 1.5):
        body = json.dumps({**event, "created_at": created_at}).encode()
        _refused(body, standard_headers(body), "created_at")
    deep = b"[" * 100_000 + b"]" * 100_000
    _refused(deep, standard_headers(deep), "not JSON")


def test_a_duplicate_delivery_id_raises_its_own_error() -> None:
    seen = DeliveryLog()
    headers = standard_headers(msg_id="msg_dup")
    verify_webhook(BODY, headers, SECRET, seen=seen)
    with pytest.raises(DuplicateDeliveryError) as caught:
        verify_webhook(BODY, standard_headers(msg_id="msg_dup"), SECRET, seen=seen)
    assert caught.value.delivery_id == "msg_dup"
    assert isinstance(caught.value, VerificationError)
    assert verify_webhook(BODY, standard_headers(msg_id="msg_new"), SECRET, seen=seen)


def test_a_forged_delivery_does_not_use_up_its_id() -> None:
    seen = DeliveryLog()
    forged = {**standard_headers(msg_id="msg_x"), "webhook-signature": "v1,AAAA"}
    with pytest.raises(VerificationError, match="no webhook-signature"):
        verify_webhook(BODY, forged, SECRET, seen=seen)
    assert "msg_x" not in seen
    verify_webhook(BODY, standard_headers(msg_id="msg_x"), SECRET, seen=seen)
    assert "msg_x" in seen


def test_a_discarded_delivery_id_is_accepted_again() -> None:
    seen = DeliveryLog()
    event = verify_webhook(BODY, standard_headers(msg_id="msg_r"), SECRET, seen=seen)
    seen.discard(event.delivery_id)  # handling it failed
    assert verify_webhook(BODY, standard_headers(msg_id="msg_r"), SECRET, seen=seen)
    seen.discard("never-seen")


def test_the_delivery_log_is_bounded() -> None:
    seen = DeliveryLog(max_size=2)
    assert seen.add("a") and seen.add("b") and seen.add("c")
    assert len(seen) == 2 and "a" not in seen and not seen.add("c")


def test_bad_arguments_are_programming_errors() -> None:
    with pytest.raises(TypeError, match="bytes"):
        verify_webhook(BODY.decode(), standard_headers(), SECRET)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="client_secret"):
        verify_webhook(BODY, standard_headers(), "")
    with pytest.raises(ValueError, match="tolerance"):
        verify_webhook(BODY, standard_headers(), SECRET, tolerance=-1)
