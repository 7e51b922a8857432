"""What the store saw: every request, and how many writes it carried out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bigc._models import Headers

__all__ = ["RecordedRequest"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the store received it, and what became of it.

    ``path`` is the part after ``/stores/{hash}`` (``/v3/catalog/products/5``),
    ``headers`` leave out the access token. ``status`` is what was answered
    (``None`` when the connection was dropped instead), ``fault`` the kind of
    scripted fault that hit it, and ``applied`` whether the store carried the
    request out: for a write, whether it changed the store.
    """

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: Headers
    status: int | None
    fault: str | None = None
    applied: bool = False

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS


WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
