"""Client settings: every setting read back, every refusal with the argument it names."""

from __future__ import annotations

from typing import Any

import pytest

from bigc import RetryPolicy, Timeout
from bigc._config import (
    DEFAULT_BASE_URL,
    DEFAULT_CONCURRENCY,
    DEFAULT_TIMEOUT,
    USER_AGENT,
    ClientConfig,
    EventHooks,
    check_concurrency,
    check_token,
    encode_body,
)


def config(**options: Any) -> ClientConfig:
    return ClientConfig.create("abc123", "tok", **options)


def hook(_: object) -> None:
    return None


def other_hook(_: object) -> None:
    return None


class TestCreate:
    def test_the_defaults(self) -> None:
        made = config()
        assert made.store_hash == "abc123"
        assert made.access_token == "tok"
        assert made.base_url == DEFAULT_BASE_URL == "https://api.bigcommerce.com"
        assert made.timeout == DEFAULT_TIMEOUT == Timeout(connect=10.0, read=60.0)
        assert made.retry_policy == RetryPolicy()
        assert made.concurrency == DEFAULT_CONCURRENCY == 12
        assert made.pace is True
        assert made.event_hooks == EventHooks((), ())
        assert made.default_headers == {
            "X-Auth-Token": "tok",
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        }

    def test_every_setting_is_kept(self) -> None:
        policy = RetryPolicy(connect_retries=7)
        made = config(
            timeout=Timeout(total=30),
            retry_policy=policy,
            base_url="http://127.0.0.1:8080/prefix/",
            concurrency=3,
            pace=False,
            event_hooks={"request": [hook], "response": [other_hook]},
        )
        assert made.timeout == Timeout(connect=10.0, read=60.0, total=30)
        assert made.retry_policy is policy
        assert made.base_url == "http://127.0.0.1:8080/prefix"
        assert made.concurrency == 1 + 2
        assert made.pace is False
        assert made.event_hooks == EventHooks((hook,), (other_hook,))

    def test_a_number_of_seconds_sets_connect_and_read(self) -> None:
        assert config(timeout=5).timeout == Timeout(connect=5, read=5)

    def test_get_retries_changes_only_that_count_of_the_policy(self) -> None:
        made = config(get_retries=0, retry_policy=RetryPolicy(connect_retries=7))
        assert made.retry_policy == RetryPolicy(get_retries=0, connect_retries=7)
        assert config(get_retries=5).retry_policy == RetryPolicy(get_retries=5)

    def test_pace_is_a_bool(self) -> None:
        assert config(pace=0).pace is False
        assert config(pace=1).pace is True

    @pytest.mark.parametrize(
        ("options", "error", "message"),
        [
            ({"retry_policy": {"get_retries": 1}}, TypeError, r"^retry_policy must be a bigc\."),
            ({"get_retries": -1}, ValueError, r"^get_retries must be 0 or greater"),
            ({"get_retries": "1"}, TypeError, r"^get_retries must be an int"),
            ({"concurrency": 0}, ValueError, r"^concurrency must be at least 1, got 0$"),
            ({"concurrency": 1.5}, TypeError, r"^concurrency must be an int, not 1\.5$"),
            ({"concurrency": True}, TypeError, r"^concurrency must be an int, not True$"),
            ({"event_hooks": []}, None, None),
        ],
    )
    def test_bad_settings_are_named(
        self, options: dict[str, Any], error: type[Exception] | None, message: str | None
    ) -> None:
        if error is None:
            config(**options)
            return
        with pytest.raises(error, match=message):
            config(**options)

    @pytest.mark.parametrize(
        ("store_hash", "error", "message"),
        [
            (None, TypeError, r"^store_hash must be a str, not NoneType$"),
            (7, TypeError, r"^store_hash must be a str, not int$"),
            ("", ValueError, r"^store_hash must not be empty$"),
            (" \t", ValueError, r"^store_hash must not be empty$"),
            ("..", ValueError, r"^store_hash must not be"),
        ],
    )
    def test_bad_store_hashes(
        self, store_hash: object, error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error, match=message):
            ClientConfig.create(store_hash, "tok")  # type: ignore[arg-type]

    @pytest.mark.parametrize("token", ["a", "a b", "a\tb", "!~", "x" * 200])
    def test_tokens_that_are_sent_as_they_are(self, token: str) -> None:
        assert ClientConfig.create("abc", token).default_headers["X-Auth-Token"] == token

    @pytest.mark.parametrize(
        "token",
        ["s3cr3t\n", " s3cr3t", "s3cr3t ", "\ts3cr3t", "s3\ncr3t", "s3cr3tö", "s3cr3t\x7f", "\x00"],
    )
    def test_tokens_that_would_go_out_mangled_are_refused_without_being_shown(
        self, token: str
    ) -> None:
        with pytest.raises(ValueError) as caught:
            ClientConfig.create("abc", token)
        assert str(caught.value) == (
            "access_token must be printable ASCII with no whitespace at either end "
            "(is there a newline from the file it was read from?)"
        )

    @pytest.mark.parametrize(
        ("token", "error", "message"),
        [
            (None, TypeError, r"^access_token must be a str, not NoneType$"),
            ("", ValueError, r"^access_token must not be empty$"),
            ("  ", ValueError, r"^access_token must not be empty$"),
        ],
    )
    def test_missing_tokens(self, token: object, error: type[Exception], message: str) -> None:
        with pytest.raises(error, match=message):
            ClientConfig.create("abc", token)  # type: ignore[arg-type]


class TestBaseUrl:
    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("https://api.bigcommerce.com", "https://api.bigcommerce.com"),
            ("http://127.0.0.1:1/", "http://127.0.0.1:1"),
            ("https://h.example//", "https://h.example"),
            ("http://[::1]:8080/api", "http://[::1]:8080/api"),
            ("https://h.example/X/", "https://h.example/X"),
            # Only the scheme is lowered, even with "://" later in the path.
            ("HTTPS://H.example/P://Q", "https://H.example/P://Q"),
        ],
    )
    def test_good_ones_lose_their_trailing_slashes(self, given: str, kept: str) -> None:
        made = config(base_url=given)
        assert made.base_url == kept
        assert made.url("v3", "/x") == f"{kept}/stores/abc123/v3/x"

    @pytest.mark.parametrize(
        ("base_url", "message"),
        [
            ("ftp://h", r"^base_url must start with http:// or https://, got 'ftp://h'$"),
            ("h.example", r"^base_url must start with http:// or https://"),
            ("https://h x", r"^base_url must be printable ASCII with no spaces \(escape them\)$"),
            ("https://hé", r"^base_url must be printable ASCII"),
            ("https://user:pw@h", r"^base_url must not contain a user name or password$"),
            ("https://h/?a=1", r"^base_url must not contain a query or a fragment, got "),
            ("https://h/#top", r"^base_url must not contain a query or a fragment, got "),
            (
                "https://h/?u=a@b",
                r"^base_url must not contain a query or a fragment, got "
                r"\(not shown: it contains an @\)$",
            ),
            ("https:///x", r"^base_url must name a host, got 'https:///x'$"),
            ("https://:80", r"^base_url must name a host"),
            ("https://h:port", r"^base_url has an invalid port: 'https://h:port'$"),
            ("https://h:99999", r"^base_url has an invalid port"),
        ],
    )
    def test_bad_ones_are_refused(self, base_url: str, message: str) -> None:
        with pytest.raises(ValueError, match=message) as caught:
            config(base_url=base_url)
        assert "pw" not in str(caught.value)

    @pytest.mark.parametrize(("base_url", "error"), [(None, TypeError), ("", ValueError)])
    def test_missing_ones(self, base_url: object, error: type[Exception]) -> None:
        with pytest.raises(error, match=r"^base_url must"):
            config(base_url=base_url)


class TestWithOptions:
    base = config(
        timeout=Timeout(connect=1, read=2, total=3),
        retry_policy=RetryPolicy(get_retries=1, connect_retries=4),
        concurrency=5,
        pace=False,
        event_hooks={"request": [hook]},
    )

    def test_no_options_change_nothing(self) -> None:
        assert self.base.with_options() == self.base

    def test_timeout(self) -> None:
        changed = self.base.with_options(timeout=Timeout(read=9))
        assert changed.timeout == Timeout(connect=1, read=9, total=3)
        assert self.base.with_options(timeout=7).timeout == Timeout(connect=7, read=7, total=3)
        assert changed.retry_policy == self.base.retry_policy
        assert changed.concurrency == 5

    def test_retry_policy(self) -> None:
        policy = RetryPolicy(rate_limit_retries=0)
        changed = self.base.with_options(retry_policy=policy)
        assert changed.retry_policy is policy
        assert changed.timeout == self.base.timeout

    def test_get_retries_changes_the_current_policy(self) -> None:
        changed = self.base.with_options(get_retries=6)
        assert changed.retry_policy == RetryPolicy(get_retries=6, connect_retries=4)

    def test_get_retries_changes_a_new_policy(self) -> None:
        changed = self.base.with_options(get_retries=0, retry_policy=RetryPolicy(connect_retries=9))
        assert changed.retry_policy == RetryPolicy(get_retries=0, connect_retries=9)

    def test_concurrency(self) -> None:
        changed = self.base.with_options(concurrency=1)
        assert changed.concurrency == 1
        assert changed.timeout == self.base.timeout

    def test_all_at_once_keep_the_rest(self) -> None:
        changed = self.base.with_options(
            timeout=4, get_retries=2, retry_policy=RetryPolicy(), concurrency=8
        )
        assert (changed.timeout, changed.retry_policy, changed.concurrency) == (
            Timeout(connect=4, read=4, total=3),
            RetryPolicy(get_retries=2),
            8,
        )
        assert (changed.store_hash, changed.access_token, changed.base_url) == (
            "abc123",
            "tok",
            DEFAULT_BASE_URL,
        )
        assert changed.pace is False
        assert changed.event_hooks == EventHooks((hook,), ())
        assert changed.default_headers == self.base.default_headers

    @pytest.mark.parametrize(
        ("options", "error", "message"),
        [
            ({"get_retries": -1}, ValueError, r"^get_retries must be 0 or greater, got -1$"),
            ({"concurrency": 0}, ValueError, r"^concurrency must be at least 1, got 0$"),
            ({"timeout": "1"}, TypeError, r"^timeout must be a number of seconds"),
        ],
    )
    def test_bad_options_are_named(
        self, options: dict[str, Any], error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error, match=message):
            self.base.with_options(**options)


class TestConcurrency:
    def test_one_is_the_least(self) -> None:
        assert check_concurrency(1) == 1
        assert check_concurrency(None) is None
        with pytest.raises(ValueError, match=r"^workers must be at least 1, got -1$"):
            check_concurrency(-1, "workers")
        with pytest.raises(TypeError, match=r"^workers must be an int, not '2'$"):
            check_concurrency("2", "workers")  # type: ignore[arg-type]


class TestEventHooks:
    def test_none_and_empty_mean_no_hooks(self) -> None:
        assert EventHooks.of(None) == EventHooks.of({}) == EventHooks((), ())

    def test_each_kind_is_kept_in_order(self) -> None:
        hooks = EventHooks.of({"response": (hook, other_hook)})
        assert hooks == EventHooks((), (hook, other_hook))
        assert EventHooks.of({"request": [other_hook, hook]}).request == (other_hook, hook)

    @pytest.mark.parametrize(
        ("hooks", "error", "message"),
        [
            ([("request", [hook])], TypeError, r"^event_hooks must be a dict, not list$"),
            ({"sent": [hook]}, ValueError, r"^event_hooks keys must be 'request' or 'response', "),
            (
                {"request": hook},
                TypeError,
                r"^event_hooks\['request'\] must be a list of callables, not function$",
            ),
            (
                {"response": "h"},
                TypeError,
                r"^event_hooks\['response'\] must be a list of callables, not str$",
            ),
            ({"request": b"h"}, TypeError, r"must be a list of callables, not bytes$"),
            (
                {"request": [hook, 1]},
                TypeError,
                r"^event_hooks\['request'\] holds 1, which is not callable$",
            ),
        ],
    )
    def test_bad_hooks_are_named(self, hooks: object, error: type[Exception], message: str) -> None:
        with pytest.raises(error, match=message):
            EventHooks.of(hooks)  # type: ignore[arg-type]


class TestHeaders:
    def test_extra_headers_are_added_to_and_override_the_defaults(self) -> None:
        made = config()
        headers = made.headers({"X-Tag": "a\tb é", "Accept": "text/csv"})
        assert headers == {**made.default_headers, "X-Tag": "a\tb é", "Accept": "text/csv"}
        assert made.headers(None) == made.headers({}) == made.default_headers
        assert made.headers(None) is not made.default_headers

    def test_a_header_in_another_case_replaces_the_default(self) -> None:
        made = config()
        headers = made.headers({"accept": "text/csv", "CONTENT-TYPE": "text/plain"})
        assert [k for k in headers if k.lower() == "accept"] == ["accept"]
        assert headers["accept"] == "text/csv" and headers["CONTENT-TYPE"] == "text/plain"
        assert "Accept" not in headers and "Content-Type" not in headers
        assert headers["X-Auth-Token"] == made.default_headers["X-Auth-Token"]
        assert list(headers) == ["X-Auth-Token", "User-Agent", "accept", "CONTENT-TYPE"]

    @pytest.mark.parametrize(
        ("extra", "error", "message"),
        [
            ([("X-A", "1")], TypeError, r"^headers must be a mapping, not list$"),
            ({"X A": "1"}, ValueError, r"^headers: 'X A' is not a valid header name$"),
            ({"": "1"}, ValueError, r"^headers: '' is not a valid header name$"),
            ({1: "1"}, ValueError, r"^headers: 1 is not a valid header name$"),
            ({"X-A": 1}, TypeError, r"^headers\['X-A'\] must be a str, not int$"),
            ({"X-A": "a\r\nB: c"}, ValueError, r"^headers\['X-A'\] must not hold control"),
            ({"X-A": "\u20ac"}, ValueError, r"^headers\['X-A'\] must not hold control"),
        ],
    )
    def test_bad_headers_are_named_without_their_value(
        self, extra: Any, error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error, match=message):
            config().headers(extra)


class TestBody:
    def test_compact_utf8_json(self) -> None:
        assert encode_body({"name": "Café", "n": [1, 2]}) == '{"name":"Café","n":[1,2]}'.encode()
        assert encode_body(None) is None
        assert encode_body([]) == b"[]"

    @pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
    def test_nan_and_infinity_are_refused(self, value: float) -> None:
        with pytest.raises(
            ValueError, match=r"^data must not contain NaN or Infinity \(not JSON\)$"
        ):
            encode_body({"price": value})

    def test_what_json_cannot_hold_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match=r"^data must be JSON-serialisable: .*set"):
            encode_body({"ids": {1, 2}})
        with pytest.raises(TypeError, match=r"^data must be JSON-serialisable: Circular"):
            loop: list[Any] = []
            loop.append(loop)
            encode_body(loop)


@pytest.mark.parametrize(
    ("token", "error", "message"),
    [
        (None, TypeError, r"^storefront_token must be a str, not NoneType$"),
        ("", ValueError, r"^storefront_token must not be empty$"),
        ("s3cr3t\n", ValueError, r"^storefront_token must be printable ASCII"),
    ],
)
def test_other_tokens_are_checked_under_their_own_name(
    token: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        check_token(token, "storefront_token")
