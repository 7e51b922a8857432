"""Client settings, checked once at construction, and the per-call options they default."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bigc._models import Request, Response, Timeout, TimeoutTypes
from bigc._multipart import EncodedBody
from bigc._retry import RetryPolicy, check_retries
from bigc._urls import encode_query, escape_id, validate_path

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_CONCURRENCY", "ClientConfig", "EventHooks"]

DEFAULT_BASE_URL = "https://api.bigcommerce.com"
# Pages in flight per list. Twelve reads a 10,000-product export (40 pages of
# 250) in four round trips after the first, about 8x faster than page after
# page (bench/). A store's quota (150 requests / 30 s on Standard) still caps
# the rate, and the pacing keeps those requests out of 429s.
DEFAULT_CONCURRENCY = 12
USER_AGENT = "bigc/2 (python)"
# Without a limit a silent socket would hang a nightly job forever.
DEFAULT_TIMEOUT = Timeout(connect=10.0, read=60.0)

RequestHook = Callable[[Request], Any]
ResponseHook = Callable[[Response], Any]


@dataclass(frozen=True)
class EventHooks:
    """Callables run for every request sent and every response received.

    They see each attempt, retries included; ``response.elapsed`` holds the
    seconds the exchange took and ``response.request`` the request.
    """

    request: Sequence[RequestHook] = ()
    response: Sequence[ResponseHook] = ()

    @classmethod
    def of(cls, hooks: Mapping[str, Sequence[Callable[[Any], Any]]] | None) -> EventHooks:
        if not hooks:
            return cls()
        if not isinstance(hooks, Mapping):
            raise TypeError(f"event_hooks must be a dict, not {type(hooks).__name__}")
        unknown = set(hooks) - {"request", "response"}
        if unknown:
            raise ValueError(f"event_hooks keys must be 'request' or 'response', got {unknown}")
        return cls(_hook_list(hooks, "request"), _hook_list(hooks, "response"))


def _hook_list(hooks: Mapping[str, Any], key: str) -> tuple[Callable[[Any], Any], ...]:
    """``hooks[key]`` as a tuple of callables, or a TypeError saying what is wrong."""
    value = hooks.get(key, ())
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise TypeError(
            f"event_hooks[{key!r}] must be a list of callables, not {type(value).__name__}"
        )
    for hook in value:
        if not callable(hook):
            raise TypeError(f"event_hooks[{key!r}] holds {hook!r}, which is not callable")
    return tuple(value)


# What a token may be: visible ASCII, inner spaces and tabs. A token read from
# a file with its newline, or pasted with a non-latin-1 character, would
# otherwise fail at send time (with the token in the message) or go out mangled.
_TOKEN_TEXT = re.compile(r"[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?")
_VISIBLE = re.compile(r"[\x21-\x7e]+")


def check_token(value: object, name: str = "access_token") -> str:
    """A token (access, storefront or customer), checked without ever putting it in a message."""
    token = _non_empty_str(value, name)
    if not _TOKEN_TEXT.fullmatch(token):
        raise ValueError(
            f"{name} must be printable ASCII with no whitespace at either end "
            "(is there a newline from the file it was read from?)"
        )
    return token


def _shown(base_url: str) -> str:
    """``base_url`` for a message; never one with an @ (``user:password@``, a typo's too)."""
    return "(not shown: it contains an @)" if "@" in base_url else repr(base_url)


def _check_base_url(value: object) -> str:
    """An http(s) origin and optional path prefix; nothing that would be misread."""
    base_url = _non_empty_str(value, "base_url").rstrip("/")
    scheme, sep, rest = base_url.partition("://")
    base_url = scheme.lower() + sep + rest  # schemes are case-insensitive: HTTPS:// is fine
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must start with http:// or https://, got {_shown(base_url)}")
    if not _VISIBLE.fullmatch(base_url):
        raise ValueError("base_url must be printable ASCII with no spaces (escape them)")
    try:
        parts = urlsplit(base_url)
    except ValueError as exc:  # a bracket left open: "Invalid IPv6 URL"
        raise ValueError(f"base_url is not a valid URL ({exc}): {_shown(base_url)}") from None
    if "@" in parts.netloc:
        raise ValueError("base_url must not contain a user name or password")
    if "?" in base_url or "#" in base_url:
        raise ValueError(f"base_url must not contain a query or a fragment, got {_shown(base_url)}")
    if not parts.hostname:
        raise ValueError(f"base_url must name a host, got {_shown(base_url)}")
    try:
        parts.port  # noqa: B018 - parsing it is the check
    except ValueError:
        raise ValueError(f"base_url has an invalid port: {_shown(base_url)}") from None
    return base_url


def _non_empty_str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def check_count(value: object, name: str) -> int:
    """``value``, if it is an int of at least 1 (``True`` is not a count)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


def check_concurrency(value: int | None, name: str = "concurrency") -> int | None:
    return None if value is None else check_count(value, name)


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client was configured with; the token is kept out of ``repr``."""

    store_hash: str
    access_token: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    timeout: Timeout = DEFAULT_TIMEOUT
    retry_policy: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency: int = DEFAULT_CONCURRENCY
    pace: bool = True
    event_hooks: EventHooks = field(default_factory=EventHooks)
    default_headers: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def create(
        cls,
        store_hash: str,
        access_token: str,
        *,
        timeout: TimeoutTypes = None,
        get_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        base_url: str = DEFAULT_BASE_URL,
        concurrency: int | None = None,
        pace: bool = True,
        event_hooks: Mapping[str, Sequence[Callable[[Any], Any]]] | None = None,
    ) -> ClientConfig:
        """Check every argument and name the one that is wrong."""
        _non_empty_str(store_hash, "store_hash")
        escape_id(store_hash, "store_hash")
        check_token(access_token)
        base_url = _check_base_url(base_url)
        if retry_policy is not None and not isinstance(retry_policy, RetryPolicy):
            raise TypeError(f"retry_policy must be a bigc.RetryPolicy, not {retry_policy!r}")
        policy = retry_policy or RetryPolicy()
        if get_retries is not None:
            check_retries("GET", get_retries, "get_retries")
            policy = dataclasses.replace(policy, get_retries=get_retries)
        return cls(
            store_hash=store_hash,
            access_token=access_token,
            base_url=base_url,
            timeout=DEFAULT_TIMEOUT
            if timeout is None
            else Timeout.of(timeout).over(DEFAULT_TIMEOUT),
            retry_policy=policy,
            concurrency=check_concurrency(concurrency) or DEFAULT_CONCURRENCY,
            pace=bool(pace),
            event_hooks=EventHooks.of(event_hooks),
            # Both JSON headers on every request, bodyless ones too: BigCommerce's
            # reference marks them required, and bigc 1.1.0 always sent them.
            default_headers={
                "X-Auth-Token": access_token,
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )

    def with_options(
        self,
        *,
        timeout: TimeoutTypes = None,
        get_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        concurrency: int | None = None,
    ) -> ClientConfig:
        """A copy with some per-client defaults changed."""
        policy = retry_policy or self.retry_policy
        if get_retries is not None:
            check_retries("GET", get_retries, "get_retries")
            policy = dataclasses.replace(policy, get_retries=get_retries)
        return dataclasses.replace(
            self,
            timeout=self.timeout if timeout is None else Timeout.of(timeout).over(self.timeout),
            retry_policy=policy,
            concurrency=check_concurrency(concurrency) or self.concurrency,
        )

    def url(self, version: str, path: str, params: Mapping[str, Any] | None = None) -> str:
        """The absolute URL of ``path`` (already escaped) in API ``version``."""
        url = f"{self.base_url}/stores/{escape_id(self.store_hash)}/{version}{validate_path(path)}"
        query = encode_query(params)
        return f"{url}?{query}" if query else url

    def headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        """The defaults, each replaced by the caller's header of that name in any case
        (``accept`` too: two ``Accept`` lines would be sent otherwise)."""
        headers = dict(self.default_headers)
        if extra:
            if not isinstance(extra, Mapping):
                raise TypeError(f"headers must be a mapping, not {type(extra).__name__}")
            for name, value in extra.items():
                _check_header(name, value)
            replaced = {name.lower() for name in extra}
            headers = {k: v for k, v in headers.items() if k.lower() not in replaced}
            headers.update(extra)
        return headers


_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_NOT_IN_HEADER_VALUE = re.compile(r"[^\t\x20-\x7e\x80-\xff]")


def _check_header(name: object, value: object) -> None:
    """A header that cannot split the request or fail in one client only (never shown:
    it may be a credential)."""
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        raise ValueError(f"headers: {name!r} is not a valid header name")
    if not isinstance(value, str):
        raise TypeError(f"headers[{name!r}] must be a str, not {type(value).__name__}")
    if _NOT_IN_HEADER_VALUE.search(value):
        raise ValueError(
            f"headers[{name!r}] must not hold control characters or characters beyond latin-1"
        )


def encode_body(data: Any) -> bytes | None:
    """JSON-encode a request body (``None`` sends no body; an upload is already encoded)."""
    if data is None:
        return None
    if isinstance(data, EncodedBody):
        return data.content
    try:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        if "Out of range float" not in str(exc):
            raise TypeError(f"data must be JSON-serialisable: {exc}") from None
        # Python would write NaN/Infinity, which is not JSON and BigCommerce refuses.
        raise ValueError("data must not contain NaN or Infinity (not JSON)") from None
    except TypeError as exc:
        raise TypeError(f"data must be JSON-serialisable: {exc}") from None
    return text.encode("utf-8")
