"""The exceptions bigc raises. Every one inherits from :class:`BigCommerceException`.

HTTP errors map to one class per status code (see ``STATUS_ERRORS``); network
problems, client-side timeouts and unusable response bodies have their own
classes so callers can tell a real 504 from a socket that went quiet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from bigc._models import Request, Response

__all__ = [
    "STATUS_ERRORS",
    "BadGatewayError",
    "BadRequestError",
    "BigCommerceClientError",
    "BigCommerceException",
    "BigCommerceNetworkError",
    "BigCommerceServerError",
    "ConflictError",
    "ConnectError",
    "DoesNotExistError",
    "EntityTooLargeError",
    "ForbiddenError",
    "GatewayTimeoutError",
    "GraphQLError",
    "GraphQLErrorDetail",
    "InsufficientStorageError",
    "InternalServerError",
    "InvalidDataError",
    "InvalidResponseError",
    "LockedError",
    "RequestTimeoutError",
    "ServiceUnavailableError",
    "TooManyRequestsError",
    "UnauthorizedError",
]


class BigCommerceException(Exception):
    """Base class of every error bigc raises.

    ``message`` is BigCommerce's own message when it sent one, ``errors`` the
    per-field errors of a v3 answer, ``response`` the whole answer (status,
    headers, body) when there was one, and ``request`` the request that
    failed (its token masked), also for network errors where no answer came.
    """

    default_message = "The BigCommerce request failed."
    # bigc 1.1.0's names: the status a class stands for, and its default message.
    STATUS_CODE: ClassVar[int | None] = None
    DEFAULT_MESSAGE: ClassVar[str] = default_message

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.DEFAULT_MESSAGE = cls.default_message

    def __init__(
        self,
        message: str | None = None,
        status_code: int | None = None,
        response: Response | None = None,
        errors: Mapping[str, Any] | None = None,
    ) -> None:
        # The positional order is bigc 1.1.0's, for code that builds these itself.
        self.message: str = message or self.default_message
        self.response: Response | None = response
        if status_code is None and response is not None:
            status_code = response.status_code
        self.status_code: int | None = status_code
        self.errors: dict[str, Any] = dict(errors or {})
        self.request: Request | None = response.request if response is not None else None
        super().__init__(self.message)

    @staticmethod
    def get_exc_class_for_status_code(status_code: int) -> type[BigCommerceException]:
        """bigc 1.1.0's name for :func:`error_class_for_status`."""
        return error_class_for_status(status_code)

    @property
    def request_id(self) -> str | None:
        """BigCommerce's ``X-Request-ID`` for the failed request, when an answer came."""
        return self.response.request_id if self.response is not None else None

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers, empty when no response arrived."""
        return self.response.headers if self.response is not None else {}

    def __str__(self) -> str:
        if self.status_code is None:
            return self.message
        return f"{self.status_code}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, message={self.message!r})"


class BigCommerceClientError(BigCommerceException):
    """A 4xx answer: the request was wrong and repeating it will not help."""

    default_message = "BigCommerce refused the request."


class BadRequestError(BigCommerceClientError):
    default_message = "The request was malformed (400)."


class UnauthorizedError(BigCommerceClientError):
    default_message = "The access token is missing or invalid (401)."


class ForbiddenError(BigCommerceClientError):
    default_message = "The access token lacks the scope for this request (403)."


class DoesNotExistError(BigCommerceClientError):
    default_message = "The requested resource does not exist (404)."


class ConflictError(BigCommerceClientError):
    default_message = "The request conflicts with the resource's current state (409)."


class EntityTooLargeError(BigCommerceClientError):
    default_message = "The request body or batch is too large (413)."


class InvalidDataError(BigCommerceClientError):
    default_message = "The request body did not pass validation (422)."


class LockedError(BigCommerceClientError):
    default_message = "The resource is locked (423)."


class TooManyRequestsError(BigCommerceClientError):
    """429: the store's rate limit was hit and the retry budget ran out.

    ``retry_after`` is how long, in seconds, BigCommerce asked us to wait
    (``None`` when it did not say).
    """

    default_message = "The store's API rate limit was exceeded (429)."

    def __init__(
        self,
        message: str | None = None,
        status_code: int | None = None,
        response: Response | None = None,
        errors: Mapping[str, Any] | None = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status_code, response, errors)
        self.retry_after = retry_after


class BigCommerceServerError(BigCommerceException):
    """A 5xx answer: BigCommerce (or a proxy in front of it) failed."""

    default_message = "BigCommerce failed to process the request."


class InternalServerError(BigCommerceServerError):
    default_message = "BigCommerce had an internal error (500)."


class BadGatewayError(BigCommerceServerError):
    default_message = "BigCommerce's gateway got a bad answer (502)."


class ServiceUnavailableError(BigCommerceServerError):
    default_message = "BigCommerce is unavailable (503)."


class GatewayTimeoutError(BigCommerceServerError):
    default_message = "The request timed out (504)."


class InsufficientStorageError(BigCommerceServerError):
    default_message = "BigCommerce has no room to store this (507)."


class BigCommerceNetworkError(BigCommerceException):
    """The exchange failed below HTTP: refused, reset, dropped or truncated."""

    default_message = "A network error interrupted the request."


class ConnectError(BigCommerceNetworkError):
    """No connection could be opened, so the server never saw the request.

    This is the one network failure after which even a POST is safe to repeat.
    """

    default_message = "Could not connect to BigCommerce."


class RequestTimeoutError(GatewayTimeoutError, BigCommerceNetworkError):
    """The client gave up waiting (connect, read, or the call's total deadline).

    A subclass of :class:`GatewayTimeoutError` so code written for the seed
    API keeps catching it; ``phase`` tells which limit was hit and
    ``status_code`` is ``None`` because no 504 was received.
    """

    default_message = "The request timed out."
    STATUS_CODE = None  # no 504 was received

    def __init__(self, message: str | None = None, *, phase: str = "read") -> None:
        super().__init__(message)
        self.phase = phase


class InvalidResponseError(BigCommerceException):
    """BigCommerce answered, but not with the JSON bigc needs.

    Raised for invalid JSON, an HTML page from a proxy, an empty body where
    JSON was expected and a v3 body without ``data``. ``excerpt`` holds the
    start of the body.
    """

    default_message = "BigCommerce sent a response bigc could not read."

    @property
    def excerpt(self) -> str:
        return body_excerpt(self.response.content) if self.response is not None else ""


@dataclass(frozen=True)
class GraphQLErrorDetail:
    """One entry of a GraphQL answer's ``errors``: where it happened and why."""

    message: str
    path: tuple[str | int, ...] | None = None
    locations: tuple[Mapping[str, Any], ...] = ()
    extensions: Mapping[str, Any] = field(default_factory=dict)


class GraphQLError(BigCommerceException):
    """A GraphQL answer with ``errors``, which BigCommerce sends with HTTP 200.

    ``graphql_errors`` holds every error (message, path, locations,
    extensions), ``data`` whatever part of the answer was resolved (``None``
    when nothing was) and ``complexity`` the score BigCommerce reported.
    """

    default_message = "The GraphQL request failed."

    def __init__(
        self,
        message: str | None = None,
        *,
        graphql_errors: tuple[GraphQLErrorDetail, ...] = (),
        data: Any = None,
        complexity: int | None = None,
        status_code: int | None = None,
        response: Response | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, response=response)
        self.graphql_errors = graphql_errors
        self.data = data
        self.complexity = complexity


STATUS_ERRORS: dict[int, type[BigCommerceException]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: DoesNotExistError,
    409: ConflictError,
    413: EntityTooLargeError,
    422: InvalidDataError,
    423: LockedError,
    429: TooManyRequestsError,
    500: InternalServerError,
    502: BadGatewayError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
    507: InsufficientStorageError,
}


for _status, _cls in STATUS_ERRORS.items():
    _cls.STATUS_CODE = _status


def error_class_for_status(status: int) -> type[BigCommerceException]:
    """The exception class for an HTTP status of 400 or more."""
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    if 400 <= status < 500:
        return BigCommerceClientError
    if status >= 500:
        return BigCommerceServerError
    return BigCommerceException


def body_excerpt(content: bytes, limit: int = 200) -> str:
    """The first ``limit`` characters of a body, on one line, for messages."""
    text = content[: limit * 4].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
