"""What the fake store answers: a response plus how to deliver it.

The store itself does no I/O. It returns a ``Reply`` and whoever delivers it
(the in-process transports or the loopback server) waits ``delay`` seconds
without blocking other requests, then either sends it or enacts ``fault``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Fault = Literal["drop", "truncate"]


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0
    # "drop": close the connection before answering; "truncate": announce the
    # full Content-Length, send only part of the body, then close.
    fault: Fault | None = None
