"""GraphQL over the client's request loop: ``api.graphql`` (Admin API) and
``AsyncStorefrontGraphQL`` (Storefront API).

Written once for async; ``scripts/unasync.py`` generates the sync twin. Both
endpoints share pacing, retries, timeouts and hooks with REST: a query is
retried like a GET, a mutation (or a document whose operation cannot be told)
like a POST, that is never after it may have reached the server.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from bigc._config import ClientConfig, check_token
from bigc._graphql import (
    GraphQLResult,
    connection_page,
    declares_variable,
    parse_path,
    read_result,
    request_body,
    retry_method,
)
from bigc._models import AsyncTransport, Response, TimeoutTypes
from bigc._retry import RetryPolicy, check_retries
from bigc._urls import escape_id

from ._backend import Lookahead
from ._pages import follow_cursors
from ._session import AsyncClosable, AsyncSession

__all__ = ["AsyncGraphQL", "AsyncStorefrontGraphQL"]


def _check_retries(method: str, retries: int | None) -> None:
    check_retries("GET", retries)
    if method == "POST" and retries:
        raise ValueError(
            "retries must be 0 for a GraphQL mutation (or a document whose operation "
            "cannot be told apart): BigCommerce has no idempotency keys, so a repeated "
            "mutation can write twice"
        )


class AsyncGraphQLEndpoint:
    """One GraphQL endpoint: ``query`` and ``paginate`` over a session."""

    def __init__(self, session: AsyncSession, url: str) -> None:
        self._session = session
        self.url = url

    def __repr__(self) -> str:
        return f"<{type(self).__name__} url={self.url!r}>"

    async def query(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> GraphQLResult:
        """Run one query or mutation and return its :class:`~bigc.GraphQLResult`.

        Raises :class:`~bigc.exceptions.GraphQLError` when the answer carries
        ``errors`` (BigCommerce sends them with HTTP 200), with the partial data.
        """
        body = request_body(query, variables, operation_name)
        method = retry_method(query, operation_name)
        _check_retries(method, retries)
        response = await self._session.send(
            "POST",
            "",  # version and path: ``url`` stands for them
            "",
            data=body,
            headers=headers,
            timeout=timeout,
            retries=retries,
            retry_policy=retry_policy,
            url=self.url,
            retry_as=method,
        )
        return read_result(response)

    def paginate(
        self,
        query: str,
        path: str | Sequence[str],
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes = None,
        retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> AsyncIterator[Any]:
        """Iterate over every node of the connection at ``path``, page after page.

        ``query`` takes the page's cursor as ``$after``; the connection must
        select ``pageInfo { hasNextPage endCursor }`` and ``edges { node }``.
        ``variables["after"]``, if given, is where to start. A cursor that comes
        back twice raises :class:`~bigc.exceptions.InvalidResponseError` rather
        than loop or hand out a node twice.
        """
        keys = parse_path(path)
        request_body(query, variables, operation_name)  # the arguments, checked now
        if not declares_variable(query, "after"):
            raise ValueError("query must take the page cursor as $after (after: $after)")
        if retry_method(query, operation_name) != "GET":
            raise ValueError(
                "paginate runs a query (name it with operation_name when the document "
                "holds several operations); send mutations with query()"
            )
        check_retries("GET", retries)
        options: dict[str, Any] = {
            "operation_name": operation_name,
            "headers": headers,
            "timeout": timeout,
            "retries": retries,
            "retry_policy": retry_policy,
        }
        return self._pages(query, keys, dict(variables or {}), options)

    def _pages(
        self,
        query: str,
        path: tuple[str, ...],
        variables: dict[str, Any],
        options: dict[str, Any],
    ) -> AsyncIterator[Any]:
        async def fetch(cursor: str | None) -> GraphQLResult:
            page = variables if cursor is None else {**variables, "after": cursor}
            return await self.query(query, page, **options)

        def read(result: GraphQLResult) -> tuple[list[Any], str | None, Response | None]:
            return (*connection_page(result, path), result.response)

        return follow_cursors(Lookahead(fetch), variables.get("after"), read)


class AsyncGraphQL(AsyncGraphQLEndpoint):
    """The Admin GraphQL API, ``/stores/{store_hash}/graphql``: ``api.graphql``."""

    def __init__(self, session: AsyncSession) -> None:
        config = session.config
        super().__init__(
            session, f"{config.base_url}/stores/{escape_id(config.store_hash)}/graphql"
        )


def _storefront_url(store_url: str) -> str:
    if not isinstance(store_url, str):
        raise TypeError(f"store_url must be a str, not {type(store_url).__name__}")
    if "@" in store_url:  # user:password@ would show in repr(), logs and this error
        raise ValueError("store_url must not hold credentials (user:password@)")
    try:
        parts = urlsplit(store_url.strip())
    except ValueError:  # "Invalid IPv6 URL", which names no argument
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"store_url must be the storefront's address, like https://shop.example.com, "
            f"got {store_url!r}"
        )
    path = parts.path.rstrip("/")
    if not path.endswith("/graphql"):
        path += "/graphql"
    return f"{parts.scheme}://{parts.netloc}{path}"


SESSION_HEADERS = ("X-Bc-Customer-Access-Token", "X-Bc-Customer-Id")


def _session_headers(customer_access_token: str | None, customer_id: object) -> dict[str, str]:
    """The headers of a customer session (none for a guest)."""
    if customer_access_token is not None and customer_id is not None:
        raise ValueError("give customer_access_token or customer_id, not both")
    if customer_access_token is not None:
        return {
            "X-Bc-Customer-Access-Token": check_token(
                customer_access_token, "customer_access_token"
            )
        }
    if customer_id is not None:
        return {"X-Bc-Customer-Id": _customer_id(customer_id)}
    return {}


def _customer_id(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"customer_id must be an int, not {value!r}")
    if value < 1:
        raise ValueError(f"customer_id must be a positive ID, got {value}")
    return str(value)


class AsyncStorefrontGraphQL(AsyncClosable, AsyncGraphQLEndpoint):
    """The Storefront GraphQL API of one storefront, ``https://{store domain}/graphql``.

    ``token`` is a storefront token (``Authorization: Bearer``). A guest
    session sends only that; ``customer_access_token`` (from the ``login``
    mutation) makes it a customer session; ``customer_id`` with a customer
    impersonation token acts as that customer. ``as_customer`` and
    ``impersonating`` give such sessions over the same connections.
    """

    def __init__(
        self,
        store_url: str,
        token: str,
        *,
        customer_access_token: str | None = None,
        customer_id: int | None = None,
        timeout: TimeoutTypes = None,
        get_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        transport: AsyncTransport | None = None,
        pace: bool = True,
        event_hooks: Mapping[str, Sequence[Callable[[Any], Any]]] | None = None,
    ) -> None:
        url = _storefront_url(store_url)
        config = ClientConfig.create(
            urlsplit(url).netloc,
            check_token(token, "token"),
            timeout=timeout,
            get_retries=get_retries,
            retry_policy=retry_policy,
            base_url=url,
            pace=pace,
            event_hooks=event_hooks,
        )
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": config.default_headers["Accept"],
            "User-Agent": config.default_headers["User-Agent"],
            **_session_headers(customer_access_token, customer_id),
        }
        config = dataclasses.replace(config, default_headers=headers)
        super().__init__(AsyncSession(config, transport), url)

    def _view(
        self, customer_access_token: str | None, customer_id: int | None
    ) -> AsyncStorefrontGraphQL:
        """This storefront with another customer session, over the same connections."""
        session = self._session
        headers = {
            k: v for k, v in session.config.default_headers.items() if k not in SESSION_HEADERS
        }
        headers.update(_session_headers(customer_access_token, customer_id))
        config = dataclasses.replace(session.config, default_headers=headers)
        view: AsyncStorefrontGraphQL = object.__new__(type(self))
        # A view of this session: closed with it, and never closing its connections.
        view_session = AsyncSession(config, session.transport, session.quota, parent=session)
        AsyncGraphQLEndpoint.__init__(view, view_session, self.url)
        return view

    def as_customer(self, customer_access_token: str) -> AsyncStorefrontGraphQL:
        """This storefront as the customer signed in with ``customer_access_token``."""
        return self._view(customer_access_token, None)

    def impersonating(self, customer_id: int) -> AsyncStorefrontGraphQL:
        """This storefront acting as customer ``customer_id`` (needs an impersonation token)."""
        return self._view(None, customer_id)
