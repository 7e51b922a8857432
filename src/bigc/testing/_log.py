"""What the store saw: the last requests (a bounded ring), and how many writes it carried out.

A served store runs for days, so its log must not grow with its traffic:
``RequestLog`` keeps the last ``size`` requests, and a body larger than
``body_limit`` bytes is recorded by its size only. Bodies are kept as the raw
bytes and decoded when read, so memory is bounded by bytes, never by how
many objects a small JSON document can expand into.
"""

from __future__ import annotations

import json as _json
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, overload

from bigc._models import Headers

__all__ = [
    "DEFAULT_BODY_LIMIT",
    "DEFAULT_LOG_SIZE",
    "DEFAULT_WRITE_PATHS",
    "RecordedRequest",
    "RequestLog",
    "Ring",
    "WriteCounts",
]

T = TypeVar("T")

DEFAULT_LOG_SIZE = 10_000
DEFAULT_BODY_LIMIT = 64 * 1024
DEFAULT_WRITE_PATHS = 10_000


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the store received it, and what became of it.

    ``path`` is the part after ``/stores/{hash}`` (``/v3/catalog/products/5``).
    Secrets are logged as ``"[redacted]"`` (see ``_redact``): the values of
    token headers, and of password, secret and token fields in ``query`` and
    ``body``. ``status`` is what was answered
    (``None`` when the connection was dropped instead), ``fault`` the kind of
    scripted fault that hit it, and ``applied`` whether the store carried the
    request out: for a write, whether it changed the store. ``body_size`` is
    the body's length in bytes; ``body_kept`` is False when it was larger
    than the log's body limit and only its size was recorded.
    """

    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: Headers
    status: int | None
    fault: str | None = None
    applied: bool = False
    body_size: int = 0
    body_kept: bool = True

    @property
    def json(self) -> Any:
        """The body decoded as JSON; None when empty, not JSON, or not kept."""
        if not self.body.strip():
            return None
        try:
            return _json.loads(self.body)
        except (ValueError, RecursionError):
            return None

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def summary(self) -> dict[str, Any]:
        """A JSON-ready view (for the served store's ``/__bigc/requests``)."""
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "json": self.json,
            "headers": dict(self.headers.items()),
            "status": self.status,
            "fault": self.fault,
            "applied": self.applied,
            "body_size": self.body_size,
            "body_kept": self.body_kept,
        }


WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})


class Ring(Sequence[T]):
    """The last ``size`` items, oldest first; ``dropped`` counts those that fell off.

    It reads like a list (index, slice, ``len``, ``== []``) so a log that was
    a list (``store.requests``, ``webhook_deliveries.log``) keeps its meaning
    for tests, and stays bounded in a store served for days.
    """

    def __init__(self, size: int = DEFAULT_LOG_SIZE) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"log size must be an int of at least 1, got {size!r}")
        self.size = size
        self.dropped = 0
        self._items: deque[T] = deque(maxlen=size)

    def append(self, item: T) -> None:
        """Add ``item``, forgetting the oldest when full (as a list would, bounded)."""
        if len(self._items) == self.size:
            self.dropped += 1
        self._items.append(item)

    def clear(self) -> None:
        self._items.clear()
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        # Over a copy (one C call, so atomic): a deque iterated while another thread
        # appends (the webhook worker) raises, where the list this replaced did not.
        return iter(list(self._items))

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return list(self._items)[index]
        return self._items[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Ring | list | tuple):
            return list(self._items) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._items)!r})"


class RequestLog(Ring[RecordedRequest]):
    """The last ``size`` requests; a body over ``body_limit`` bytes is kept by its size only."""

    def __init__(self, size: int = DEFAULT_LOG_SIZE, body_limit: int = DEFAULT_BODY_LIMIT) -> None:
        super().__init__(size)
        if body_limit < 0:
            raise ValueError(f"body_limit must not be negative, got {body_limit}")
        self.body_limit = body_limit

    def record(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: bytes,
        headers: Headers,
        status: int | None,
        fault: str | None,
        applied: bool,
        size: int | None = None,
    ) -> None:
        """``size``: the body's size as received, when ``body`` is what is left of it."""
        kept = len(body) <= self.body_limit
        self.append(
            RecordedRequest(
                method,
                path,
                query,
                bytes(body) if kept else b"",
                headers,
                status,
                fault,
                applied,
                len(body) if size is None else size,
                kept,
            )
        )

    def append(self, request: RecordedRequest) -> None:
        if request.body_kept and len(request.body) > self.body_limit:
            request = replace(request, body=b"", body_kept=False)
        super().append(request)


class WriteCounts(Counter[str]):
    """Carried-out writes by ``"METHOD path"``, for the ``limit`` paths written last.

    Paths carry IDs (``DELETE /v3/carts/<uuid>``), so a store served for days
    would otherwise count each one forever. A path's count is exact while it
    is among the last ``limit`` written; ``dropped`` counts paths forgotten.
    """

    def __init__(self, limit: int = DEFAULT_WRITE_PATHS) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"write_paths must be an int of at least 1, got {limit!r}")
        super().__init__()
        self.limit = limit
        self.dropped = 0

    def __setitem__(self, key: str, value: int) -> None:
        if key in self:
            super().__delitem__(key)  # written again: now the newest
        elif len(self) >= self.limit:
            super().__delitem__(next(iter(self)))
            self.dropped += 1
        super().__setitem__(key, value)

    def clear(self) -> None:
        super().clear()
        self.dropped = 0
