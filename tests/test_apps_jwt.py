"""Signed callbacks, Current Customer JWTs and Customer Login tokens.

Every token here is built with PyJWT directly, not with bigc's code, so the
tests check bigc against the JWT standard rather than against itself.
"""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest

from bigc.apps import (
    VerificationError,
    customer_login_token,
    customer_login_url,
    verify_current_customer,
    verify_signed_payload,
)

CLIENT_ID = "U8RphZeDjQc4kLVSzNjePo0CMjq7yOg"
SECRET = "the-client-secret-" + "0123456789abcdef" * 3


def load_claims(**changes: Any) -> dict[str, Any]:
    """The documented example payload of a load callback, valid now."""
    now = int(time.time())
    claims = {
        "aud": CLIENT_ID,
        "iss": "bc",
        "iat": now,
        "nbf": now,
        "exp": now + 86400,
        "jti": str(uuid.uuid4()),
        "sub": "stores/z4zn3wo",
        "user": {"id": 9876543, "email": "authorized_user@example.com", "locale": "en-US"},
        "owner": {"id": 7654321, "email": "owner@example.com"},
        "url": "/",
        "channel_id": None,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not ...}


def sign(claims: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def test_a_valid_signed_payload_verifies() -> None:
    payload = verify_signed_payload(sign(load_claims(channel_id=2)), CLIENT_ID, SECRET)
    assert payload.store_hash == "z4zn3wo"
    assert (payload.user.id, payload.user.email, payload.user.locale) == (
        9876543,
        "authorized_user@example.com",
        "en-US",
    )
    assert (payload.owner.id, payload.owner.email) == (7654321, "owner@example.com")
    assert (payload.url, payload.channel_id) == ("/", 2)
    assert payload.claims["jti"]


def _refused(token: str, match: str, **options: Any) -> None:
    with pytest.raises(VerificationError, match=match) as caught:
        verify_signed_payload(token, CLIENT_ID, SECRET, **options)
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


def test_a_tampered_payload_fails() -> None:
    header, _, signature = sign(load_claims()).split(".")
    forged = sign(load_claims(sub="stores/victim"), key="another-secret-0123456789abcdef01")
    _refused(f"{header}.{forged.split('.')[1]}.{signature}", "Signature verification failed")


def test_a_tampered_signature_fails() -> None:
    token = sign(load_claims())
    head, _, signature = token.rpartition(".")
    flipped = "A" if signature[5] != "A" else "B"
    _refused(f"{head}.{signature[:5]}{flipped}{signature[6:]}", "Signature verification failed")


def test_a_wrong_secret_fails() -> None:
    _refused(sign(load_claims(), key="not-the-secret-0123456789abcdef0123"), "Signature")


def test_alg_none_fails() -> None:
    _refused(jwt.encode(load_claims(), None, algorithm="none"), "alg value is not allowed")


def test_hs512_fails_even_with_the_right_secret() -> None:
    _refused(sign(load_claims(), algorithm="HS512"), "alg value is not allowed")


def test_a_wrong_audience_fails() -> None:
    _refused(sign(load_claims(aud="another-app")), "(?i)audience")


def test_an_audience_list_fails_even_when_it_holds_the_client_id() -> None:
    _refused(sign(load_claims(aud=[CLIENT_ID, "another-app"])), "aud")
    _refused(sign(load_claims(aud=[CLIENT_ID])), "aud")
    with pytest.raises(VerificationError, match="aud"):
        verify_current_customer(sign(customer_claims(aud=[CLIENT_ID])), CLIENT_ID, SECRET)


def test_a_wrong_issuer_fails() -> None:
    _refused(sign(load_claims(iss="bc/apps")), "issuer")


def test_an_expired_token_fails_beyond_the_leeway() -> None:
    now = int(time.time())
    expired = sign(load_claims(iat=now - 90000, nbf=now - 90000, exp=now - 60))
    _refused(expired, "expired", leeway=10)
    assert verify_signed_payload(expired, CLIENT_ID, SECRET, leeway=120).store_hash


@pytest.mark.parametrize("leeway", [float("nan"), float("inf"), -1])
def test_a_leeway_that_would_turn_the_time_checks_off_is_refused(leeway: float) -> None:
    now = int(time.time())
    expired = sign(load_claims(iat=now - 90000, nbf=now - 90000, exp=now - 3600))
    with pytest.raises(ValueError, match="leeway"):
        verify_signed_payload(expired, CLIENT_ID, SECRET, leeway=leeway)
    with pytest.raises(ValueError, match="leeway"):
        verify_current_customer(sign(customer_claims()), CLIENT_ID, SECRET, leeway=leeway)


def test_a_not_yet_valid_token_fails_beyond_the_leeway() -> None:
    now = int(time.time())
    early = sign(load_claims(nbf=now + 60, iat=now + 60))
    _refused(early, "not yet valid|future", leeway=10)
    assert verify_signed_payload(early, CLIENT_ID, SECRET, leeway=120).store_hash


def test_an_iat_in_the_future_fails() -> None:
    _refused(sign(load_claims(iat=int(time.time()) + 600)), "iat|future|not yet valid")


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat", "aud", "iss", "sub", "user"])
def test_a_missing_claim_fails(claim: str) -> None:
    _refused(sign(load_claims(**{claim: ...})), claim)


@pytest.mark.parametrize(
    "changes", [{"sub": "z4zn3wo"}, {"user": "someone"}, {"channel_id": "main"}]
)
def test_malformed_claims_fail(changes: dict[str, Any]) -> None:
    _refused(sign(load_claims(**changes)), "malformed")


def test_garbage_and_empty_tokens_fail() -> None:
    _refused("not.a.jwt", "not valid")
    _refused("", "missing")


def test_empty_credentials_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="client_secret"):
        verify_signed_payload(sign(load_claims()), CLIENT_ID, "")


# -- Current Customer ------------------------------------------------------------------


def customer_claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "customer": {"id": 4927, "email": "john.doe@example.com", "group_id": "6"},
        "iss": "bc/apps",
        "sub": "abc123",
        "iat": now,
        "exp": now + 900,
        "version": 1,
        "aud": CLIENT_ID,
        "application_id": CLIENT_ID,
        "store_hash": "abc123",
        "operation": "current_customer",
    }
    claims.update(changes)
    return claims


def test_a_current_customer_jwt_verifies() -> None:
    customer = verify_current_customer(sign(customer_claims()), CLIENT_ID, SECRET)
    assert (customer.customer_id, customer.email, customer.group_id) == (
        4927,
        "john.doe@example.com",
        "6",
    )
    assert customer.store_hash == "abc123"


@pytest.mark.parametrize(
    ("claims", "key", "algorithm", "match"),
    [
        (customer_claims(iss="bc"), SECRET, "HS256", "issuer"),
        (customer_claims(aud="other"), SECRET, "HS256", "(?i)audience"),
        (customer_claims(exp=int(time.time()) - 60), SECRET, "HS256", "expired"),
        (customer_claims(), "wrong-secret-" + "0123456789abcdef" * 3, "HS256", "Signature"),
        (customer_claims(), SECRET, "HS512", "alg value"),
        (customer_claims(customer="4927"), SECRET, "HS256", "customer"),
    ],
)
def test_a_bad_current_customer_jwt_fails(
    claims: dict[str, Any], key: str, algorithm: str, match: str
) -> None:
    with pytest.raises(VerificationError, match=match):
        verify_current_customer(sign(claims, key, algorithm), CLIENT_ID, SECRET)


# -- Customer Login ----------------------------------------------------------------------


def test_a_customer_login_token_has_the_documented_claims() -> None:
    token = customer_login_token(
        CLIENT_ID,
        SECRET,
        "abc123",
        42,
        channel_id=3,
        redirect_to="/cart.php",
        request_ip="203.0.113.7",
        issued_at=1_700_000_000.9,
    )
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
    jti = claims.pop("jti")
    assert uuid.UUID(jti)
    assert claims == {
        "iss": CLIENT_ID,
        "iat": 1_700_000_000,
        "operation": "customer_login",
        "store_hash": "abc123",
        "customer_id": 42,
        "channel_id": 3,
        "redirect_to": "/cart.php",
        "request_ip": "203.0.113.7",
    }


def test_each_login_token_has_its_own_jti_and_leaves_out_unset_options() -> None:
    first = jwt.decode(customer_login_token(CLIENT_ID, SECRET, "abc", 1), SECRET, ["HS256"])
    second = jwt.decode(customer_login_token(CLIENT_ID, SECRET, "abc", 1), SECRET, ["HS256"])
    assert first["jti"] != second["jti"]
    assert "redirect_to" not in first and "request_ip" not in first
    assert first["channel_id"] == 1
    assert abs(first["iat"] - time.time()) < 5


def test_the_login_url_points_at_the_storefront_entry_point() -> None:
    url = customer_login_url("https://shop.example.com/", CLIENT_ID, SECRET, "abc123", 7)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "shop.example.com")
    prefix, token = parts.path.rsplit("/", 1)
    assert prefix == "/login/token"
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["customer_id"] == 7


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"customer_id": 0}, "customer_id"),
        ({"customer_id": True}, "customer_id"),
        ({"channel_id": -1}, "channel_id"),
        ({"redirect_to": "https://evil.example.com/"}, "redirect_to"),
        ({"redirect_to": "//evil.example.com/"}, "redirect_to"),
        ({"redirect_to": "/\\evil.example.com/"}, "redirect_to"),
        ({"redirect_to": "/\t/evil.example.com/"}, "redirect_to"),
        ({"redirect_to": "/\n/evil.example.com/"}, "redirect_to"),
        ({"redirect_to": "/ /evil.example.com/"}, "redirect_to"),
        ({"issued_at": float("nan")}, "issued_at"),
        ({"issued_at": float("inf")}, "issued_at"),
        ({"issued_at": "1700000000"}, "issued_at"),
    ],
)
def test_login_token_arguments_are_checked(options: dict[str, Any], named: str) -> None:
    args: dict[str, Any] = {"customer_id": 1, **options}
    with pytest.raises(ValueError, match=named):
        customer_login_token(CLIENT_ID, SECRET, "abc123", **args)


@pytest.mark.parametrize(
    "store_url",
    ["shop.example.com", "https://", "https://shop.example.com/?channel=2", "https://shop/#x"],
)
def test_the_login_url_needs_an_absolute_store_url(store_url: str) -> None:
    with pytest.raises(ValueError, match="store_url"):
        customer_login_url(store_url, CLIENT_ID, SECRET, "abc123", 1)


def test_a_redirect_to_with_a_query_is_kept() -> None:
    token = customer_login_token(CLIENT_ID, SECRET, "abc", 1, redirect_to="/cart.php?a=1&b=%2F")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["redirect_to"] == "/cart.php?a=1&b=%2F"
