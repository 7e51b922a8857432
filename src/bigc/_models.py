"""The data that crosses the transport seam: requests, responses, timeouts.

These are plain objects with no I/O so that the urllib3 and aiohttp
transports, the fake store and a user's own transport all speak the same
language.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from bigc import _json
from bigc.exceptions import InvalidResponseError

__all__ = ["AsyncTransport", "Headers", "Request", "Response", "Timeout", "Transport"]

SECRET_HEADERS = frozenset(
    {
        "x-auth-token",
        "authorization",
        "proxy-authorization",
        "x-auth-client",
        "x-bc-customer-access-token",
        "sf-api-token",
        "cookie",
    }
)
# What stands in for a secret value in reprs and logs.
REDACTED = "[redacted]"
# About 31 years: socket and thread waits overflow somewhere past 9e9 seconds.
MAX_TIMEOUT = 1e9


@dataclass(frozen=True)
class Timeout:
    """Time limits for one call, in seconds; ``None`` means no limit.

    ``connect`` bounds opening a connection, ``read`` the silence between two
    pieces of the answer, and ``total`` the whole call including retries and
    rate-limit waits. ``Timeout.of(7)`` sets connect and read to 7.
    """

    connect: float | None = None
    read: float | None = None
    total: float | None = None

    def __post_init__(self) -> None:
        for name in ("connect", "read", "total"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"timeout.{name} must be a number of seconds, not {value!r}")
            if not 0 < value <= MAX_TIMEOUT:  # False for nan too
                # nan, inf or a huge number would reach the socket layer as a raw
                # ValueError/OverflowError, differently in each client.
                raise ValueError(
                    f"timeout.{name} must be above 0 and at most {MAX_TIMEOUT:.0e} seconds, "
                    f"got {value!r}"
                )

    def over(self, defaults: Timeout) -> Timeout:
        """This timeout, with the limits it leaves out taken from ``defaults``."""
        return Timeout(
            connect=defaults.connect if self.connect is None else self.connect,
            read=defaults.read if self.read is None else self.read,
            total=defaults.total if self.total is None else self.total,
        )

    @classmethod
    def of(cls, value: TimeoutTypes) -> Timeout:
        """Accept a number of seconds, a ``Timeout`` or ``None``."""
        if value is None:
            return cls()
        if isinstance(value, Timeout):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"timeout must be a number of seconds or a bigc.Timeout, not {value!r}")
        return cls(connect=value, read=value)


TimeoutTypes = Timeout | float | int | None


class Headers(Mapping[str, str]):
    """A read-only, case-insensitive view of HTTP headers.

    Secret headers (the access token) are masked in ``repr``.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: dict[str, tuple[str, str]] = {k.lower(): (k, v) for k, v in pairs}

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()][1]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({redact_headers(dict(self._items.values()))!r})"


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with every secret value replaced, for logs and reprs."""
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


@dataclass
class Request:
    """One HTTP request as it goes to a transport.

    ``timeout`` holds the connect/read limits for this attempt (the client
    has already applied the call's total deadline to them).
    """

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None = None
    timeout: Timeout = field(default_factory=Timeout)

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.url}>"

    def __getstate__(self) -> dict[str, Any]:
        # A pickled request (inside a pickled exception) never carries the token.
        return {**self.__dict__, "headers": redact_headers(self.headers)}

    def __copy__(self) -> Request:
        # Copies stay whole (pickling goes through __getstate__, copying must not).
        return dataclasses.replace(self, headers=dict(self.headers))

    def __deepcopy__(self, memo: dict[int, Any]) -> Request:
        return self.__copy__()

    def redacted(self) -> Request:
        """A copy with the secret headers masked: what responses and errors keep.

        Only the transport needs the token; anything that outlives the call
        (``exc.response.request``, a traceback's locals, a pickle) must not hold it.
        """
        return dataclasses.replace(self, headers=redact_headers(self.headers))

    def json(self) -> Any:
        """The decoded JSON body, or ``None`` when there is none."""
        return None if not self.body else json.loads(self.body)


class Response:
    """One HTTP response: status, headers and the whole body as bytes."""

    __slots__ = ("_json", "content", "elapsed", "headers", "request", "status_code")

    def __init__(
        self,
        status_code: int,
        headers: Headers | Mapping[str, str] | Iterable[tuple[str, str]] = (),
        content: bytes = b"",
        request: Request | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers = headers if isinstance(headers, Headers) else Headers(headers)
        self.content = content
        self.request = request
        self.elapsed = 0.0  # seconds the exchange took, set by the client
        self._json: Any = _UNSET

    @property
    def request_id(self) -> str | None:
        """BigCommerce's ``X-Request-ID``, the reference its support asks for."""
        return self.headers.get("X-Request-ID")

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The decoded JSON body (``None`` for an empty body).

        Raises :class:`~bigc.exceptions.InvalidResponseError` when the body is
        not JSON, for example an HTML error page from a proxy.
        """
        if self._json is _UNSET:
            self._json = decode_json(self)
        return self._json

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


_UNSET: Any = object()


def decode_json(response: Response) -> Any:
    content = response.content
    if not content.strip():
        return None
    try:
        return _json.loads(content)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        kind = "an HTML page" if content.lstrip()[:1] == b"<" else "invalid JSON"
        raise InvalidResponseError(
            f"BigCommerce sent {kind} instead of JSON (status {response.status_code})",
            response=response,
        ) from None


@runtime_checkable
class Transport(Protocol):
    """What the sync client needs from HTTP: send one request, get one response.

    A transport returns every response, whatever its status, with the whole
    body read. It raises :class:`~bigc.exceptions.ConnectError` when no
    connection could be opened, :class:`~bigc.exceptions.RequestTimeoutError`
    (with ``phase``) on a timeout and
    :class:`~bigc.exceptions.BigCommerceNetworkError` for anything else
    that broke the exchange (a dropped connection, a truncated body).
    """

    def send(self, request: Request) -> Response: ...

    def close(self) -> None: ...


@runtime_checkable
class AsyncTransport(Protocol):
    """The async twin of :class:`Transport`, with the same error contract."""

    async def send(self, request: Request) -> Response: ...

    async def aclose(self) -> None: ...
