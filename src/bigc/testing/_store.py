"""``FakeStore``: an in-memory BigCommerce store behind one ``handle()`` call.

``handle(method, target, headers, body) -> Reply`` is everything the
loopback server and the in-process transports need. It never sleeps and
never does I/O: latency and scripted delays travel in ``Reply.delay``,
broken connections in ``Reply.fault``. One lock makes it safe to call from
many threads; the work under it is small (a route lookup, a handler, one
``json.dumps``).

A request goes through, in order: the ``/stores/{hash}/v2|v3`` prefix, the
access token (401), the store hash (404), scripted faults that stop it before
it is carried out, the quota (429), the handler, then faults that break the
delivery of an answer already carried out. Every answer carries the
``X-Rate-Limit-*`` headers.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from bigc._models import REDACTED, SECRET_HEADERS, Headers
from bigc.exceptions import error_class_for_status
from bigc.testing._apps import TOKEN_PATH, FakeApp, time_routes
from bigc.testing._carts import Carts
from bigc.testing._catalog import Brands, Categories
from bigc.testing._checkouts import Checkouts
from bigc.testing._customers import CustomerGroups, Customers
from bigc.testing._expiring import DEFAULT_MAX_TOKENS
from bigc.testing._faults import FaultBook, FaultControls, FaultRule, matcher, refuse, spoil
from bigc.testing._forms import is_form, read_form
from bigc.testing._graphql import GraphQLService
from bigc.testing._http import ApiError, Call, error_reply, json_reply
from bigc.testing._log import (
    DEFAULT_BODY_LIMIT,
    DEFAULT_LOG_SIZE,
    DEFAULT_WRITE_PATHS,
    WRITE_METHODS,
    RecordedRequest,
    RequestLog,
    WriteCounts,
)
from bigc.testing._orders import Orders
from bigc.testing._pricing import Pricing
from bigc.testing._products import Products
from bigc.testing._quota import Quota
from bigc.testing._redact import LOGIN_SECRETS, redact_body, redact_query
from bigc.testing._redirect_jobs import RedirectJobs
from bigc.testing._redirects import Redirects
from bigc.testing._refunds import Refunds
from bigc.testing._reply import Reply
from bigc.testing._routes import Router
from bigc.testing._sample import Sample
from bigc.testing._settings import Currencies, Webhooks
from bigc.testing._shipments import Shipments
from bigc.testing._spec_store import SpecStore
from bigc.testing._transport import AsyncStoreTransport, StoreTransport
from bigc.testing._webhooks import WebhookDispatcher

__all__ = ["FakeStore"]


class FakeStore(FaultControls):
    """A fake BigCommerce store for tests: stateful, deterministic, scriptable.

    ``store_hash`` / ``access_token``: ``None`` accepts any hash / any
    non-empty token. ``quota`` requests per ``window_ms`` (``None``: no
    limit). ``latency`` plus up to ``jitter`` seconds (drawn from ``seed``) are
    added to every answer's ``Reply.delay``. ``clock`` drives the quota window.
    ``requests`` keeps the last ``log_size`` requests; bodies over
    ``log_body_limit`` bytes are logged by size only; ``writes`` counts exactly
    the last ``write_paths`` paths written. ``webhook_log_size`` bounds the
    webhook delivery log (and deliveries waiting), ``max_tokens`` the storefront
    tokens and customer sessions alive at once (the oldest goes first).
    """

    def __init__(
        self,
        *,
        store_hash: str | None = None,
        access_token: str | None = None,
        quota: int | None = None,
        window_ms: int = 30000,
        latency: float = 0.0,
        jitter: float = 0.0,
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
        log_size: int = DEFAULT_LOG_SIZE,
        log_body_limit: int = DEFAULT_BODY_LIMIT,
        write_paths: int = DEFAULT_WRITE_PATHS,
        webhook_log_size: int = DEFAULT_LOG_SIZE,
        max_tokens: int = DEFAULT_MAX_TOKENS,
    ) -> None:
        if latency < 0 or jitter < 0:
            raise ValueError("latency and jitter must not be negative")
        self.store_hash = store_hash
        self.access_token = access_token
        self.latency = latency
        self.jitter = jitter
        self.requests = RequestLog(log_size, log_body_limit)
        self.writes = WriteCounts(write_paths)
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._quota = Quota(quota, window_ms, clock)
        self._faults = FaultBook()

        self._products = Products()
        self._categories = Categories()
        self._brands = Brands()
        self._customers = Customers()
        self._customer_groups = CustomerGroups()
        self._currencies = Currencies()
        self._webhooks = Webhooks()
        self._orders = Orders(self._products)
        self._shipments = Shipments(self._orders)
        self._refunds = Refunds(self._orders)
        self._carts = Carts(self._products, seed)
        self._checkouts = Checkouts(self._carts, self._orders)
        self._pricing = Pricing(self._products)
        self._redirects = Redirects(self._read)
        self._redirect_jobs = RedirectJobs(self._redirects, seed)
        # BigCommerce's side of an app: the token endpoint, signed JWTs, webhook delivery.
        self.app = FakeApp()
        self.webhook_deliveries = WebhookDispatcher(
            self._webhooks.table, self._lock, lambda: self.app.client_secret, webhook_log_size
        )
        self._graphql = GraphQLService(
            self._products,
            self._categories,
            self._customers,
            self._orders,
            self.writes,
            self.webhook_deliveries.notice,
            max_tokens=max_tokens,
        )
        self._router = Router()
        self._spec = SpecStore(self._router)
        for routes in (
            self._products.routes(),
            self._categories.routes("/v3/catalog/categories", batch_delete=True),
            self._brands.routes("/v3/catalog/brands", batch_delete=True),
            self._customers.routes(),
            self._customer_groups.routes(),
            self._currencies.routes(),
            self._webhooks.routes(),
            self._orders.routes(),
            self._shipments.routes(),
            self._refunds.routes(),
            self._carts.routes(),
            self._checkouts.routes(),
            self._pricing.routes(),
            self._redirects.routes(),
            self._redirect_jobs.routes(),
            self._graphql.routes(),
            time_routes(),
        ):
            self._router.add_all(routes)

    @classmethod
    def with_sample_data(
        cls,
        *,
        products: int = 100,
        customers: int = 50,
        orders: int = 120,
        seed: int = 0,
        store_hash: str | None = None,
        access_token: str | None = None,
        quota: int | None = None,
        window_ms: int = 30000,
        latency: float = 0.0,
        jitter: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        log_size: int = DEFAULT_LOG_SIZE,
        log_body_limit: int = DEFAULT_BODY_LIMIT,
        write_paths: int = DEFAULT_WRITE_PATHS,
        webhook_log_size: int = DEFAULT_LOG_SIZE,
        max_tokens: int = DEFAULT_MAX_TOKENS,
    ) -> FakeStore:
        """A store filled with deterministic sample data (same ``seed``, same data).

        Products, customers and orders are built lazily, the first time a
        request touches them, so 100,000 products cost next to nothing until
        they are read. There are also 6 categories and 5 brands when there
        are products. The default counts hold every ID the README's examples
        use (order 101, product 77, customer 1).
        """
        if min(products, customers, orders) < 0:
            raise ValueError("sample counts must not be negative")
        store = cls(
            store_hash=store_hash,
            access_token=access_token,
            quota=quota,
            window_ms=window_ms,
            latency=latency,
            jitter=jitter,
            seed=seed,
            clock=clock,
            log_size=log_size,
            log_body_limit=log_body_limit,
            write_paths=write_paths,
            webhook_log_size=webhook_log_size,
            max_tokens=max_tokens,
        )
        sample = Sample(seed, products, customers, orders)
        for n in range(1, sample.categories + 1):
            store._categories.seed(sample.category(n))
        for n in range(1, sample.brands + 1):
            store._brands.seed(sample.brand(n))
        store._products.fill_lazily(products, sample)
        store._customers.table.fill_lazily(customers, sample.customer, sample.customer_owner)
        store._orders.fill_lazily(orders, sample.order)
        return store

    # -- the entry point ----------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one request. ``target`` is the raw request target (path and query)."""
        with self._lock:
            return self._handle(method.upper(), target, headers, body)

    def _handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        incoming = _parse(method, target, body, _header(headers, "content-type"))
        if incoming.path == TOKEN_PATH:
            return self._token(incoming, headers, body)
        reply, fault, applied = self._answer(incoming, headers)
        if self.latency or self.jitter:
            reply.delay += self.latency + self.jitter * self._random.random()
        status = None if reply.fault == "drop" else reply.status
        self._log(incoming, headers, body, status, fault.kind if fault else None, applied)
        return reply

    def _log(
        self,
        incoming: _Incoming,
        headers: Mapping[str, str],
        body: bytes,
        status: int | None,
        fault: str | None,
        applied: bool,
        secrets: frozenset[str] = frozenset(),
    ) -> None:
        """Log a request with every secret value replaced (``_redact``): a served store's
        log is readable over HTTP and lives for days. ``secrets``: names secret here only."""
        size = len(body)
        if size <= self.requests.body_limit:  # a larger one is logged by its size only
            graphql = incoming.api in ("graphql", "storefront")
            body = redact_body(body, incoming.payload, not incoming.bad_json, graphql, secrets)
        self.requests.record(
            incoming.method,
            incoming.path,
            redact_query(incoming.query, secrets),
            body,
            Headers(
                (k, REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()
            ),
            status,
            fault,
            applied,
            size,
        )

    def _answer(
        self, incoming: _Incoming, headers: Mapping[str, str]
    ) -> tuple[Reply, FaultRule | None, bool]:
        """(the reply, the scripted fault that hit the request, whether it was carried out)."""
        api = incoming.api
        token = _header(headers, "x-auth-token")
        refusal = None
        if api == "storefront":  # the storefront's own /graphql, with storefront tokens
            door = self._graphql.storefront_refusal(headers)
            if door is not None:
                return self._with_quota(door, consume=False), None, False
        elif incoming.store_hash is None:
            refusal = ApiError(404, "Not a BigCommerce API path: expected /stores/{hash}/v2|v3/….")
        elif not token or (self.access_token is not None and token != self.access_token):
            refusal = ApiError(401, "You are not authorized to access this resource.")
        elif self.store_hash is not None and incoming.store_hash != self.store_hash:
            refusal = ApiError(404, f"The store {incoming.store_hash!r} does not exist.")
        if refusal is not None:  # refused at the door: the quota is not used
            return self._with_quota(error_reply(api, refusal), consume=False), None, False

        fault = self._faults.take(incoming.method, incoming.path) if self._faults else None
        if fault is not None and not fault.applied:
            return refuse(api, fault, self._quota), fault, False

        allowed, rate_headers = self._quota.take()
        if not allowed:
            reply = error_reply(
                api, ApiError(429, "You have exceeded the rate limit for this store.")
            )
            # X-Retry-After is in whole seconds; the reset header in milliseconds.
            retry_after = math.ceil(int(rate_headers[1][1]) / 1000)
            reply.headers += [*rate_headers, ("X-Retry-After", str(retry_after))]
            return reply, None, False

        reply = self._carry_out(incoming, headers)
        reply.headers += rate_headers
        applied = 200 <= reply.status < 400
        if applied and incoming.method in WRITE_METHODS and api in ("v2", "v3"):
            self.writes[f"{incoming.method} {incoming.path}"] += 1
        if fault is not None:
            reply = spoil(api, fault, reply)
        return reply, fault, applied

    def _carry_out(self, incoming: _Incoming, headers: Mapping[str, str]) -> Reply:
        if incoming.api in ("graphql", "storefront"):  # GraphQL counts its own writes
            return self._graphql.answer(
                incoming.api,
                incoming.method,
                incoming.payload,
                incoming.bad_json,
                headers,
                incoming.store_hash,
            )
        if incoming.bad_json and incoming.method in WRITE_METHODS:
            return error_reply(incoming.api, ApiError(400, "The request body is not valid JSON."))
        call = Call(
            incoming.method,
            incoming.api,
            incoming.path,
            incoming.query,
            incoming.payload,
            store_hash=incoming.store_hash or "",
            headers=Headers(headers.items()),
        )
        return self._dispatch(call, incoming.segments)

    def _dispatch(self, call: Call, segments: list[str]) -> Reply:
        found = self._spec.fallback(call.method, segments, self._router.match(segments))
        try:
            if found is None:
                raise ApiError(404, f"The route {call.path} was not found.")
            handlers, call.args = found
            handler = handlers.get(call.method)
            if handler is None:
                raise ApiError(405, f"{call.method} is not allowed on {call.path}.")
            reply = handler(call)
            if reply.status < 400 and call.method in WRITE_METHODS:
                self.webhook_deliveries.notice(call, reply)
            return reply
        except ApiError as error:
            return error_reply(call.api, error)

    def _read(self, call: Call, path: str, query: dict[str, str]) -> Any:
        """What ``GET path`` answers (its ``data``) on behalf of ``call``; None if refused."""
        segments = path.strip("/").split("/")
        get = Call("GET", segments[0], path, query, None, store_hash=call.store_hash)
        reply = self._dispatch(get, segments)
        answer = _decode(reply.body)[0] if reply.status == 200 else None
        return answer.get("data", answer) if isinstance(answer, dict) else answer

    def _token(self, incoming: _Incoming, headers: Mapping[str, str], body: bytes) -> Reply:
        """The login service's token endpoint; its one-time ``code`` is logged redacted too."""
        if incoming.method != "POST":
            reply = json_reply(405, {"error": f"{incoming.method} is not allowed on {TOKEN_PATH}."})
        else:
            token = self.access_token or f"fake-token-{self._random.getrandbits(64):016x}"
            reply = self.app.token(incoming.payload, token)
        self._log(incoming, headers, body, reply.status, None, reply.status == 200, LOGIN_SECRETS)
        return reply

    def register_app(self, client_id: str, client_secret: str, redirect_uri: str) -> FakeApp:
        """Register the app whose install, callbacks and webhooks the store plays."""
        for name, value in (
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("redirect_uri", redirect_uri),
        ):
            if not isinstance(value, str) or not value:  # an empty secret signs nothing
                raise ValueError(f"{name} must be a non-empty str")
        with self._lock:
            self.app = FakeApp(client_id, client_secret, redirect_uri)
            return self.app

    def _with_quota(self, reply: Reply, consume: bool) -> Reply:
        reply.headers += self._quota.take(consume)[1]
        return reply

    # -- inspection and setup ------------------------------------------------------------

    def requests_to(self, method: str = "*", path: str = "*") -> list[RecordedRequest]:
        """The logged requests matching ``method`` and a path pattern (as for faults)."""
        matches = matcher(method, path)
        with self._lock:
            return [r for r in self.requests if matches(r.method, r.path)]

    def clear_log(self) -> None:
        """Forget logged requests and write counts (the store's data stays)."""
        with self._lock:
            self.requests.clear()
            self.writes.clear()

    def api(self, method: str, path: str, json: Any = None, **query: Any) -> Any:
        """Call an endpoint directly, to set up or inspect a test's data.

        No token, quota, faults or log; ``path`` is after ``/stores/{hash}``
        (``/v3/catalog/products``). Returns the decoded JSON answer (``None``
        for 204) and raises the bigc exception for an error status.
        """
        segments = [p for p in path.split("/") if p]
        if not segments or segments[0] not in ("v2", "v3"):
            raise ValueError(f"path must start with /v2/ or /v3/, got {path!r}")
        query_strings = {k: str(v) for k, v in query.items()}
        call = Call(
            method.upper(),
            segments[0],
            "/" + "/".join(segments),
            query_strings,
            json,
            store_hash=self.store_hash or "store",
        )
        with self._lock:
            reply = self._dispatch(call, segments)
        data = _decode(reply.body)[0]
        if reply.status >= 400:
            message = data.get("title") if isinstance(data, dict) else None
            if isinstance(data, list) and data and isinstance(data[0], dict):
                message = data[0].get("message")
            errors = data.get("errors") if isinstance(data, dict) else None
            raise error_class_for_status(reply.status)(
                message, status_code=reply.status, errors=errors
            )
        return data

    # -- transports -----------------------------------------------------------------

    def transport(self) -> StoreTransport:
        """A ``bigc.Transport`` that sends requests straight to this store."""
        return StoreTransport(self)

    def async_transport(self) -> AsyncStoreTransport:
        """A ``bigc.AsyncTransport`` that sends requests straight to this store."""
        return AsyncStoreTransport(self)

    def __repr__(self) -> str:
        counts = f"products={len(self._products.table)} orders={len(self._orders.table)}"
        return f"<FakeStore {counts} requests={len(self.requests)}>"


@dataclass(slots=True)
class _Incoming:
    """A request target taken apart; ``store_hash`` is None when it is not an API path."""

    method: str
    api: str
    path: str  # after /stores/{hash}, decoded
    segments: list[str]
    store_hash: str | None
    query: dict[str, str]
    payload: Any
    bad_json: bool


def _parse(method: str, target: str, body: bytes, content_type: str | None = None) -> _Incoming:
    """Split the target on "/" first, then decode each segment (so %2F stays inside one)."""
    raw_path, _, query_string = target.partition("?")
    query = dict(parse_qsl(query_string, keep_blank_values=True))
    form = is_form(content_type) and body.strip()
    payload, bad_json = read_form(body, str(content_type)) if form else _decode(body)
    parts = raw_path.split("/")
    if raw_path in ("/graphql", "/graphql/"):  # the Storefront API on the store's domain
        return _Incoming(method, "storefront", "/graphql", [], None, query, payload, bad_json)
    if parts[1:2] == ["stores"] and parts[3:4] == ["graphql"] and parts[4:] in ([], [""]):
        store_hash = unquote(parts[2])
        return _Incoming(method, "graphql", "/graphql", [], store_hash, query, payload, bad_json)
    if len(parts) < 5 or parts[1] != "stores" or parts[3] not in ("v2", "v3"):
        return _Incoming(method, "v3", raw_path, [], None, query, payload, bad_json)
    segments = [unquote(p) for p in parts[3:]]
    if segments[-1] == "" and len(segments) > 2:
        segments.pop()  # a trailing slash names the same resource
    path = "/" + "/".join(segments)
    return _Incoming(
        method, segments[0], path, segments, unquote(parts[2]), query, payload, bad_json
    )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by lower-case name, whatever case the caller's mapping uses."""
    value = headers.get(name)
    if value is not None:
        return value
    for key, item in headers.items():
        if key.lower() == name:
            return item
    return None


def _not_json(constant: str) -> Any:
    """Python's json reads NaN and Infinity; JSON (and BigCommerce) does not."""
    raise ValueError(f"{constant} is not JSON")


def _decode(body: bytes) -> tuple[Any, bool]:
    """(decoded JSON or None, whether the body was not JSON)."""
    if not body.strip():
        return None, False
    try:
        return json.loads(body, parse_constant=_not_json), False
    except (ValueError, RecursionError):  # RecursionError: nested too deep to decode
        return None, True
