"""Client settings, checked once at construction, and the per-call options they default."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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
        unknown = set(hooks) - {"request", "response"}
        if unknown:
            raise ValueError(f"event_hooks keys must be 'request' or 'response', got {unknown}")
        return cls(tuple(hooks.get("request", ())), tuple(hooks.get("response", ())))


def _non_empty_str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def check_concurrency(value: int | None, name: str = "concurrency") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


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
        _non_empty_str(access_token, "access_token")
        base_url = _non_empty_str(base_url, "base_url").rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        if retry_policy is not None and not isinstance(retry_policy, RetryPolicy):
            raise TypeError(f"retry_policy must be a bigc.RetryPolicy, not {retry_policy!r}")
        policy = retry_policy or RetryPolicy()
        if get_retries is not None:
            check_retries("GET", get_retries)
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
            default_headers={
                "X-Auth-Token": access_token,
                "Accept": "application/json",
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
            check_retries("GET", get_retries)
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

    def headers(self, extra: Mapping[str, str] | None, has_body: bool) -> dict[str, str]:
        headers = dict(self.default_headers)
        if has_body:
            headers["Content-Type"] = "application/json"
        if extra:
            headers.update(extra)
        return headers


def encode_body(data: Any) -> bytes | None:
    """JSON-encode a request body (``None`` sends no body; an upload is already encoded)."""
    if data is None:
        return None
    if isinstance(data, EncodedBody):
        return data.content
    try:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise TypeError(f"data must be JSON-serialisable: {exc}") from None
