"""Webhook delivery: the fake store calls the app back as BigCommerce does.

When a write changes a product, category, customer, order or cart, every
active hook whose scope matches (``store/product/updated``, or a wildcard such
as ``store/product/*``) gets BigCommerce's thin payload (``scope``,
``store_id``, ``data{type,id}``, ``hash``, ``created_at``, ``producer``),
signed the Standard Webhooks way with the app's client secret. A delivery
that fails (no answer, or a status outside 2xx) is retried on BigCommerce's
schedule, 60 s … 86400 s (48 h in all), multiplied by ``time_scale``; after
the last retry fails the hook is deactivated. Every attempt is logged, in a
ring of the last ``log_size`` (``FakeStore(webhook_log_size=…)``); as many
deliveries may wait at once, and an event past that is logged as skipped.

Deliveries go only to destinations a test routed with :meth:`route`: to a
callable (in process) or to an ``http://`` URL (a POST over loopback with
urllib3). A hook whose destination is not routed is logged as skipped, so a
test never reaches the network.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bigc.testing._http import Call
from bigc.testing._log import DEFAULT_LOG_SIZE, Ring
from bigc.testing._reply import Reply
from bigc.testing._table import Record, Table

__all__ = ["RETRY_SCHEDULE", "Delivery", "Receiver", "WebhookDispatcher"]

# BigCommerce's retry intervals in seconds ("Webhooks Overview": callback retry mechanism).
RETRY_SCHEDULE = (60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400)
# An app's handler returns the status it answered with.
Receiver = Callable[[bytes, Mapping[str, str]], int]
_KINDS = {
    ("v3", "catalog", "products"): "product",
    ("v3", "catalog", "categories"): "category",
    ("v3", "customers"): "customer",
    ("v2", "orders"): "order",
    ("v3", "carts"): "cart",
}
_ACTIONS = {"POST": "created", "PUT": "updated", "DELETE": "deleted"}
# Handler calls still running after their timeout (threads cannot be stopped) that are
# waited for; past this many a delivery to a callable fails at once.
MAX_HUNG_HANDLERS = 16


@dataclass(frozen=True)
class Delivery:
    """One attempt to deliver one event to one hook.

    ``outcome`` is ``"delivered"``, ``"failed"`` (with ``status`` or
    ``error``), ``"skipped"`` (no route, too many waiting, or the hook went inactive) or
    ``"deactivated"`` (the last retry failed).
    """

    delivery_id: str
    hook_id: int
    scope: str
    destination: str
    attempt: int
    outcome: str
    status: int | None = None
    error: str | None = None
    body: bytes = b""


@dataclass(order=True)
class _Job:
    due: float
    seq: int
    delivery_id: str
    hook_id: int
    scope: str
    body: bytes
    attempt: int


def events(call: Call, reply: Reply) -> Iterator[tuple[str, Any]]:
    """The (scope, id) events a carried-out write caused."""
    parts = call.path.strip("/").split("/")
    for length in (3, 2):
        kind = _KINDS.get(tuple(parts[:length]))
        if kind is not None:
            yield from _events_of(kind, parts[length:], call, reply)
            return
    if parts[:2] == ["v3", "checkouts"] and parts[3:] == ["orders"] and call.method == "POST":
        for order_id in _reply_ids(reply):
            yield "store/order/created", order_id


def _events_of(kind: str, rest: list[str], call: Call, reply: Reply) -> Iterator[tuple[str, Any]]:
    action = _ACTIONS.get(call.method)
    if action is None:
        return
    if kind == "cart" and rest:
        if rest[1:] == ["redirect_urls"]:
            return  # asking for checkout URLs changes nothing
        # A cart's id is a UUID; its line items and the like change the cart.
        yield f"store/cart/{action if len(rest) == 1 else 'updated'}", rest[0]
        return
    if len(rest) > 1 or (rest and not rest[0].isdigit()):
        return  # a sub-resource (variants, addresses, form fields …)
    if kind == "order" and action == "deleted":
        action = "archived"  # BigCommerce archives a deleted order
    if rest:
        ids: list[Any] = [int(rest[0])]
    elif action == "deleted":
        ids = [int(i) for i in call.query.get("id:in", "").split(",") if i.strip().isdigit()]
    else:
        ids = _reply_ids(reply)
    for item_id in ids:
        yield f"store/{kind}/{action}", item_id
        changes = call.body if isinstance(call.body, dict) else {}
        if kind == "order" and action == "updated" and "status_id" in changes:
            yield "store/order/statusUpdated", item_id


def _reply_ids(reply: Reply) -> list[Any]:
    try:
        body = json.loads(reply.body) if reply.body else None
    except ValueError:
        return []
    if isinstance(body, dict) and "data" in body:
        body = body["data"]
    items = body if isinstance(body, list) else [body]
    return [item["id"] for item in items if isinstance(item, dict) and "id" in item]


def scope_matches(hook_scope: str, scope: str) -> bool:
    """``store/product/*`` covers every product event; otherwise scopes match exactly."""
    if hook_scope.endswith("/*"):
        return scope.startswith(hook_scope[:-1])
    return hook_scope == scope


def payload(scope: str, item_id: Any, store_hash: str) -> bytes:
    """BigCommerce's thin callback body; ``hash`` is the SHA-1 of the rest, as BigCommerce's is."""
    kind = scope.split("/")[1]
    body: dict[str, Any] = {
        "scope": scope,
        "store_id": str(1_000_000 + zlib.crc32(store_hash.encode()) % 9_000_000),
        "data": {"type": kind, "id": item_id},
        "created_at": int(time.time()),
        "producer": f"stores/{store_hash}",
    }
    body["hash"] = hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return json.dumps(body, separators=(",", ":")).encode()


class WebhookDispatcher:
    """Queues events under the store's lock; a worker thread delivers them outside it.

    The worker runs only while deliveries are due or pending, and ends when
    there are none, so an idle store holds no thread.
    """

    def __init__(
        self,
        hooks: Table,
        lock: threading.Lock,
        secret: Callable[[], str],
        log_size: int = DEFAULT_LOG_SIZE,
    ) -> None:
        self.time_scale = 1.0
        self.timeout = 10.0  # seconds a receiver (callable or HTTP) has to answer
        # The last ``log_size`` attempts; at most as many deliveries wait at once.
        self.log = Ring[Delivery](log_size)
        self._hooks = hooks
        self._store_lock = lock
        self._secret = secret
        self._routes: dict[str, Receiver | str] = {}
        self._queue: list[_Job] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._busy = 0
        self._worker: threading.Thread | None = None
        self._handlers: list[threading.Thread] = []  # handler calls that may not have ended
        self._http: Any = None

    # -- set-up and inspection -------------------------------------------------------

    def route(self, destination: str, target: Receiver | str) -> None:
        """Deliver what is meant for ``destination`` to a callable or an ``http://`` URL."""
        if isinstance(target, str) and not target.startswith(("http://", "https://")):
            raise ValueError(f"target must be a callable or an http(s) URL, got {target!r}")
        if not isinstance(target, str) and not callable(target):
            raise TypeError("target must be a callable or an http(s) URL")
        with self._cond:
            self._routes[destination] = target

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is queued or in flight; ``False`` if ``timeout`` ran out first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def cancel_pending(self) -> int:
        """Drop the deliveries and retries not yet attempted; how many there were."""
        with self._cond:
            dropped = len(self._queue)
            self._queue.clear()
            self._cond.notify_all()
            return dropped

    def deliveries(self, outcome: str | None = None) -> list[Delivery]:
        """The logged attempts, all or those with one ``outcome``."""
        with self._cond:
            return [d for d in self.log if outcome is None or d.outcome == outcome]

    # -- called by the store, under its lock -------------------------------------------

    def notice(self, call: Call, reply: Reply) -> None:
        """Queue the events of a write the store carried out."""
        for scope, item_id in events(call, reply):
            body = payload(scope, item_id, call.store_hash or "store")
            for hook in list(self._hooks):
                if hook.get("is_active") and scope_matches(str(hook.get("scope")), scope):
                    self._enqueue(hook, scope, body)

    def _enqueue(self, hook: Record, scope: str, body: bytes) -> None:
        delivery_id = f"msg_{uuid.uuid4().hex}"
        with self._cond:
            skipped = None
            if hook["destination"] not in self._routes:
                skipped = "no route"
            elif len(self._queue) >= self.log.size:
                skipped = "too many deliveries waiting"
            if skipped is not None:
                destination = str(hook["destination"])
                self.log.append(
                    Delivery(
                        delivery_id, hook["id"], scope, destination, 0, "skipped", error=skipped
                    )
                )
                return
            job = _Job(time.monotonic(), next(self._seq), delivery_id, hook["id"], scope, body, 0)
            self._push(job)

    # -- the worker ---------------------------------------------------------------------

    def _push(self, job: _Job) -> None:
        heapq.heappush(self._queue, job)
        self._cond.notify_all()
        if self._worker is None:
            self._worker = threading.Thread(
                target=self._run, name="bigc-fake-webhooks", daemon=True
            )
            self._worker.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if not self._queue:
                        self._worker = None
                        self._cond.notify_all()
                        return
                    wait = self._queue[0].due - time.monotonic()
                    if wait <= 0:
                        break
                    self._cond.wait(wait)
                job = heapq.heappop(self._queue)
                self._busy += 1
            try:
                self._attempt(job)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _attempt(self, job: _Job) -> None:
        with self._store_lock:
            hook = self._hooks.get(job.hook_id)
            active = hook is not None and bool(hook.get("is_active"))
            destination = str(hook["destination"]) if hook is not None else ""
            custom = hook.get("headers") if hook is not None else None
        if not active:
            self._log_job(job, destination, "skipped", error="the hook is gone or inactive")
            return
        status, error = self._send(destination, job, custom if isinstance(custom, dict) else {})
        if status is not None and 200 <= status < 300:
            self._log_job(job, destination, "delivered", status=status)
            return
        self._log_job(job, destination, "failed", status=status, error=error)
        if job.attempt < len(RETRY_SCHEDULE):
            delay = RETRY_SCHEDULE[job.attempt] * self.time_scale
            retry = _Job(
                time.monotonic() + delay,
                next(self._seq),
                job.delivery_id,
                job.hook_id,
                job.scope,
                job.body,
                job.attempt + 1,
            )
            with self._cond:
                self._push(retry)
            return
        with self._store_lock:
            if hook is not None:
                hook["is_active"] = False
                hook["updated_at"] = int(time.time())
        self._log_job(job, destination, "deactivated")

    def _send(
        self, destination: str, job: _Job, custom: Mapping[str, Any]
    ) -> tuple[int | None, str | None]:
        """One attempt, with the hook's own ``headers`` as BigCommerce adds them."""
        with self._cond:
            target = self._routes.get(destination)
        try:
            if target is None:
                return None, "no route to destination"
            # Signing inside the try: without bigc[apps] (PyJWT) it fails, and that
            # must be a logged failure, not a dead worker.
            from bigc.apps._webhooks import webhook_headers

            ours = {
                "Content-Type": "application/json",
                **webhook_headers(self._secret(), job.delivery_id, job.body),
            }
            taken = {name.lower() for name in ours}
            headers = {
                **{str(k): str(v) for k, v in custom.items() if str(k).lower() not in taken},
                **ours,
            }
            if isinstance(target, str):
                return self._post(target, job.body, headers), None
            return self._call(target, job.body, headers), None
        except Exception as exc:  # the app's failure is a failed delivery, as at BigCommerce
            return None, f"{type(exc).__name__}: {exc}"

    def _call(self, target: Receiver, body: bytes, headers: dict[str, str]) -> int:
        """Run the app's handler on a thread of its own, so one that hangs times out
        after ``timeout`` as an HTTP receiver does, instead of holding every later
        delivery back. A thread that never ends cannot be stopped: past
        ``MAX_HUNG_HANDLERS`` of them, a delivery fails at once instead of adding one."""
        self._handlers = [t for t in self._handlers if t.is_alive()]
        if len(self._handlers) >= MAX_HUNG_HANDLERS:
            raise RuntimeError(f"{len(self._handlers)} earlier handler calls have not returned")
        outcome: list[int | Exception] = []

        def run() -> None:
            try:
                outcome.append(int(target(body, headers)))
            except Exception as exc:
                outcome.append(exc)

        thread = threading.Thread(target=run, name="bigc-fake-webhook-handler", daemon=True)
        self._handlers.append(thread)
        thread.start()
        thread.join(self.timeout)
        if not outcome:
            raise TimeoutError(f"the handler did not answer within {self.timeout} s")
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        return outcome[0]

    def _post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        import urllib3

        if self._http is None:
            self._http = urllib3.PoolManager(retries=False)
        response = self._http.request(
            "POST", url, body=body, headers=headers, timeout=self.timeout, redirect=False
        )
        return int(response.status)

    def _log_job(self, job: _Job, destination: str, outcome: str, **extra: Any) -> None:
        self._record(
            job.delivery_id,
            job.hook_id,
            job.scope,
            destination,
            job.attempt,
            outcome,
            body=job.body,
            **extra,
        )

    def _record(self, *fields: Any, **extra: Any) -> None:
        with self._cond:
            self.log.append(Delivery(*fields, **extra))
