"""Scripted faults: make chosen requests fail, slow down, break or hit a 429.

A rule matches a method (``"*"`` for any) and a path pattern after
``/stores/{hash}`` (``fnmatch`` style: ``/v3/catalog/products*``), and fires
``times`` times (``None``: every time). Whether the store carries out the
request matters for writes, so each rule says so in ``applied``:

========================  =========  ==================================================
rule                      applied    what the client sees
========================  =========  ==================================================
``fail``                  no [#]_    the given status (500 by default) and body
``rate_limit``            no         429, with or without the rate-limit headers
``drop``                  no [#]_    the connection closes before any answer
``delay``                 yes        the real answer, ``seconds`` late
``truncate``              yes        the real status and headers, then half the body
========================  =========  ==================================================

.. [#] ``fail(..., applied=True)``: the write happens, then the error is sent.
.. [#] ``drop(..., applied=True)``: the write happens, then the connection closes.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bigc.testing._http import ApiError, dumps, error_body, error_reply
from bigc.testing._quota import Quota
from bigc.testing._reply import Reply

__all__ = ["FaultBook", "FaultControls", "FaultKind", "FaultRule", "matcher", "refuse", "spoil"]

FaultKind = Literal["fail", "rate_limit", "delay", "drop", "truncate"]
MAX_RULES = 1000


@dataclass(eq=False)
class FaultRule:
    """One scripted fault; ``hits`` counts the requests it has hit so far."""

    kind: FaultKind
    method: str
    path: str
    times: int | None = 1
    applied: bool = False
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    with_headers: bool = True
    reset_ms: int = 1000
    hits: int = 0
    _matches: Callable[[str, str], bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1 (or None for always), got {self.times}")
        self._matches = matcher(self.method, self.path)

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str) -> bool:
        return not self.spent and self._matches(method, path)


def matcher(method: str, path: str) -> Callable[[str, str], bool]:
    """A test for (method, path): ``method`` or ``"*"``, and an fnmatch path pattern."""
    wanted = method.upper()
    regex = re.compile(fnmatch.translate(path))
    return lambda m, p: wanted in ("*", m) and regex.match(p) is not None


class FaultBook:
    """The store's live fault rules, first added first served.

    A rule is forgotten once spent (its caller still holds it, with its
    ``hits``), and at most ``MAX_RULES`` are live: a served store scripted
    over HTTP for days keeps only what can still fire.
    """

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> FaultRule:
        if len(self.rules) >= MAX_RULES:
            raise ValueError(f"at most {MAX_RULES} fault rules may be live; clear them first")
        self.rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> FaultRule | None:
        """The first live rule for this request, counted as hit."""
        for rule in self.rules:
            if rule.matches(method, path):
                rule.hits += 1
                if rule.spent:
                    self.rules.remove(rule)
                return rule
        return None

    def clear(self) -> None:
        self.rules.clear()

    def __bool__(self) -> bool:
        return bool(self.rules)


def refuse(api: str, rule: FaultRule, quota: Quota) -> Reply:
    """The answer of a rule that stops a request before it is carried out."""
    if rule.kind == "drop":
        return Reply(0, fault="drop")
    if rule.kind == "rate_limit":
        reply = error_reply(api, ApiError(429, "You have exceeded the rate limit for this store."))
        if rule.with_headers:
            reply.headers += quota.headers(quota.quota or 150, 0, rule.reset_ms)
        return reply
    return _failure(api, rule)


def spoil(api: str, rule: FaultRule, reply: Reply) -> Reply:
    """Break the delivery of an answer that was carried out."""
    if rule.kind == "delay":
        reply.delay += rule.seconds
    elif rule.kind in ("drop", "truncate"):
        reply.fault = "drop" if rule.kind == "drop" else "truncate"
    else:
        return _failure(api, rule)
    return reply


def _failure(api: str, rule: FaultRule) -> Reply:
    if rule.body is None:
        data = dumps(error_body(api, rule.status, "Scripted failure.", {}))
    elif isinstance(rule.body, str):
        data = rule.body.encode()
    elif isinstance(rule.body, bytes):
        data = rule.body
    else:
        data = dumps(rule.body)
    return Reply(rule.status, [("Content-Type", "application/json"), *rule.headers.items()], data)


class FaultControls:
    """The store's methods for scripting faults (mixed into ``FakeStore``)."""

    _faults: FaultBook
    _lock: threading.Lock

    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 500,
        times: int | None = 1,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        applied: bool = False,
    ) -> FaultRule:
        """Answer matching requests with ``status`` (a BigCommerce-like error body
        unless ``body`` is given: bytes/str as is, anything else as JSON).

        The request is not carried out, unless ``applied=True``: then the write
        happens and the error is still sent (a gateway failing after the fact).
        """
        return self._add(
            "fail",
            method,
            path,
            times,
            applied=applied,
            status=status,
            body=body,
            headers=dict(headers or {}),
        )

    def rate_limit(
        self,
        method: str,
        path: str,
        *,
        times: int | None = 1,
        with_headers: bool = True,
        reset_ms: int = 1000,
    ) -> FaultRule:
        """Answer matching requests with 429; ``with_headers=False`` sends no
        ``X-Rate-Limit-*`` headers at all (BigCommerce sometimes does that)."""
        return self._add(
            "rate_limit", method, path, times, with_headers=with_headers, reset_ms=reset_ms
        )

    def delay(self, method: str, path: str, seconds: float, *, times: int | None = 1) -> FaultRule:
        """Carry out matching requests but answer ``seconds`` late.

        A client whose read timeout is shorter gives up, though the write happened.
        """
        return self._add("delay", method, path, times, applied=True, seconds=seconds)

    def drop(
        self, method: str, path: str, *, times: int | None = 1, applied: bool = False
    ) -> FaultRule:
        """Close the connection instead of answering. ``applied=True``: after carrying it out."""
        return self._add("drop", method, path, times, applied=applied)

    def truncate(self, method: str, path: str, *, times: int | None = 1) -> FaultRule:
        """Carry out matching requests, then break off the answer halfway through the body."""
        return self._add("truncate", method, path, times, applied=True)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _add(
        self, kind: FaultKind, method: str, path: str, times: int | None, **options: Any
    ) -> FaultRule:
        rule = FaultRule(kind, method, path, times, **options)
        with self._lock:
            return self._faults.add(rule)
