"""App JWTs at their edges: which claim a refusal names, the defaults a token falls back to."""

from __future__ import annotations

import time
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
from tests.test_apps_jwt import CLIENT_ID, SECRET, load_claims, sign


def customer_claims(customer: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "aud": CLIENT_ID,
        "iss": "bc/apps",
        "iat": now,
        "exp": now + 900,
        "customer": customer,
        "store_hash": "z4zn3wo",
    }


def login_claims(url: str) -> dict[str, Any]:
    token = urlsplit(url).path.rsplit("/", 1)[1]
    claims: dict[str, Any] = jwt.decode(token, SECRET, algorithms=["HS256"])
    return claims


class TestArguments:
    @pytest.mark.parametrize(
        ("client_id", "secret", "named"),
        [("", SECRET, "client_id"), (CLIENT_ID, "", "client_secret")],
    )
    def test_empty_credentials_are_named(self, client_id: str, secret: str, named: str) -> None:
        token = sign(load_claims())
        with pytest.raises(ValueError, match=rf"^{named} must be a non-empty str$"):
            verify_signed_payload(token, client_id, secret)
        with pytest.raises(ValueError, match=rf"^{named} must be a non-empty str$"):
            customer_login_token(client_id, secret, "h", 1)

    @pytest.mark.parametrize("token", ["", None])
    def test_a_missing_token(self, token: Any) -> None:
        with pytest.raises(VerificationError) as caught:
            verify_signed_payload(token, CLIENT_ID, SECRET)
        assert caught.value.message == "the token is missing"

    @pytest.mark.parametrize("leeway", [0, 0.0, 0.5])
    def test_any_leeway_from_zero(self, leeway: float) -> None:
        assert verify_signed_payload(
            sign(load_claims()), CLIENT_ID, SECRET, leeway=leeway
        ).store_hash

    def test_a_negative_leeway_is_a_programming_error(self) -> None:
        with pytest.raises(
            ValueError, match=r"^leeway must be a finite number of seconds >= 0, got -0\.5$"
        ):
            verify_signed_payload(sign(load_claims()), CLIENT_ID, SECRET, leeway=-0.5)


class TestSignedPayload:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"sub": "z4zn3wo"}, "sub must look like 'stores/{store_hash}', got 'z4zn3wo'"),
            ({"user": {"email": "a@b"}}, "user must be an object with an id, got {'email': 'a@b'}"),
            ({"owner": "me"}, "owner must be an object with an id, got 'me'"),
        ],
    )
    def test_a_malformed_claim_is_named(self, changes: dict[str, Any], message: str) -> None:
        with pytest.raises(VerificationError) as caught:
            verify_signed_payload(sign(load_claims(**changes)), CLIENT_ID, SECRET)
        assert caught.value.message == f"the token's claims are malformed: {message}"

    def test_without_an_owner_the_user_is_the_owner(self) -> None:
        payload = verify_signed_payload(sign(load_claims(owner=...)), CLIENT_ID, SECRET)
        assert payload.owner == payload.user
        assert payload.owner.id == 9876543

    def test_without_url_or_channel_they_are_none(self) -> None:
        payload = verify_signed_payload(
            sign(load_claims(url=..., channel_id=...)), CLIENT_ID, SECRET
        )
        assert (payload.url, payload.channel_id) == (None, None)


class TestCurrentCustomer:
    def test_every_field_and_the_defaults(self) -> None:
        claims = customer_claims({"id": "42"})
        customer = verify_current_customer(sign(claims), CLIENT_ID, SECRET)
        assert (customer.customer_id, customer.email, customer.group_id) == (42, "", None)
        assert customer.store_hash == "z4zn3wo"
        assert customer.claims == claims

    @pytest.mark.parametrize("customer", [["id"], "id", {"email": "a@b"}, 42])
    def test_a_customer_claim_without_an_id_is_refused(self, customer: Any) -> None:
        with pytest.raises(VerificationError) as caught:
            verify_current_customer(sign(customer_claims(customer)), CLIENT_ID, SECRET)
        assert caught.value.message == "the token's customer claim is malformed"

    @pytest.mark.parametrize("customer_id", ["x", None, [1]])
    def test_an_id_that_is_not_a_number_is_refused(self, customer_id: Any) -> None:
        token = sign(customer_claims({"id": customer_id}))
        with pytest.raises(VerificationError) as caught:
            verify_current_customer(token, CLIENT_ID, SECRET)
        assert caught.value.message == "the token's customer id is not a number"


class TestCustomerLogin:
    @pytest.mark.parametrize("store_hash", [5, None, ""])
    def test_a_store_hash_that_is_not_text_is_refused(self, store_hash: Any) -> None:
        with pytest.raises(ValueError, match=r"^store_hash must be a non-empty str$"):
            customer_login_token(CLIENT_ID, SECRET, store_hash, 1)

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"customer_id": 0}, "customer_id must be a positive int, got 0"),
            ({"customer_id": 1, "channel_id": 0}, "channel_id must be a positive int, got 0"),
        ],
    )
    def test_ids_below_one_are_named(self, options: dict[str, Any], message: str) -> None:
        with pytest.raises(ValueError) as caught:
            customer_login_token(CLIENT_ID, SECRET, "h", **options)
        assert str(caught.value) == message

    @pytest.mark.parametrize("store_url", ["https://shop.example", "http://127.0.0.1:8000/"])
    def test_the_url_passes_every_option_to_the_token(self, store_url: str) -> None:
        url = customer_login_url(
            store_url,
            CLIENT_ID,
            SECRET,
            "h",
            42,
            channel_id=3,
            redirect_to="/cart.php",
            request_ip="203.0.113.9",
            issued_at=1_700_000_000,
        )
        assert url.startswith(store_url.rstrip("/") + "/login/token/")
        claims = login_claims(url)
        assert {k: claims[k] for k in ("iat", "customer_id", "channel_id", "store_hash")} == {
            "iat": 1_700_000_000,
            "customer_id": 42,
            "channel_id": 3,
            "store_hash": "h",
        }
        assert (claims["redirect_to"], claims["request_ip"]) == ("/cart.php", "203.0.113.9")

    def test_the_url_defaults_to_channel_1_now_and_no_options(self) -> None:
        before = int(time.time())
        claims = login_claims(
            customer_login_url("https://shop.example", CLIENT_ID, SECRET, "h", 42)
        )
        assert claims["channel_id"] == 1
        assert before <= claims["iat"] <= int(time.time())
        assert "redirect_to" not in claims and "request_ip" not in claims

    def test_only_trailing_slashes_leave_the_store_url(self) -> None:
        url = customer_login_url("https://SHOP.EXAMPLE.BOX//", CLIENT_ID, SECRET, "h", 42)
        assert url.startswith("https://SHOP.EXAMPLE.BOX/login/token/")

    def test_the_token_is_hs256(self) -> None:
        token = customer_login_token(CLIENT_ID, SECRET, "h", 1)
        assert jwt.get_unverified_header(token)["alg"] == "HS256"


class TestExactClaims:
    def test_an_aud_list_holding_the_client_id_is_refused(self) -> None:
        token = sign(load_claims(aud=[CLIENT_ID, "another-app"]))
        with pytest.raises(VerificationError) as caught:
            verify_signed_payload(token, CLIENT_ID, SECRET)
        assert (
            caught.value.message == "the token is not valid: its aud is not exactly the client ID"
        )

    def test_an_iss_the_jwt_library_let_through_is_refused(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # PyJWT 2.10.0 accepted an iss that was a part of the expected one ("b" for "bc").
        claims = load_claims(iss="b")
        monkeypatch.setattr(jwt, "decode", lambda *args, **kwargs: dict(claims))
        with pytest.raises(VerificationError) as caught:
            verify_signed_payload("any.signed.token", CLIENT_ID, SECRET)
        assert caught.value.message == "the token is not valid: its iss is not exactly 'bc'"


class TestLoginTargets:
    @pytest.mark.parametrize("redirect_to", ["//evil.example", "/a\x7fb", "/a b", "/\\evil"])
    def test_a_redirect_off_the_storefront_is_refused(self, redirect_to: str) -> None:
        with pytest.raises(ValueError, match=r"^redirect_to must be a relative path"):
            customer_login_token(CLIENT_ID, SECRET, "h", 1, redirect_to=redirect_to)

    @pytest.mark.parametrize(
        "store_url", [5, None, "ftp://shop.example", "shop.example", "https://", "https://s/?a=1"]
    )
    def test_a_store_url_that_is_not_a_web_origin_is_refused(self, store_url: Any) -> None:
        with pytest.raises(ValueError, match=r"^store_url must be the storefront's https:// URL"):
            customer_login_url(store_url, CLIENT_ID, SECRET, "h", 1)
