"""What one client of the served store may use (``FakeServer(limits=...)``).

Its own module, free of aiohttp, so that ``python -m bigc.testing --help``
can show the defaults without importing the server.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits"]


@dataclass(frozen=True)
class Limits:
    """What one client may use; over a limit it gets a 4xx or a closed connection.

    ``idle_timeout`` closes a kept-alive connection with no request;
    ``head_timeout`` bounds a request head from its first byte,
    ``body_timeout`` reading one request body and ``send_timeout`` the
    client taking an answer (beyond the modelled bandwidth): slow clients.
    ``max_connections``: when all are open, the longest-idle connection is
    closed to make room; when none is idle, the newcomer gets a 503.
    ``shutdown_timeout``: how long a graceful stop lets requests in progress
    finish.
    """

    max_body_bytes: int = 4 * 1024 * 1024
    max_header_bytes: int = 32 * 1024
    idle_timeout: float = 60.0
    head_timeout: float = 10.0
    body_timeout: float = 30.0
    send_timeout: float = 30.0
    max_connections: int = 1000
    shutdown_timeout: float = 5.0

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_header_bytes", "max_connections"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Limits.{name} must be an int >= 1, got {value!r}")
        for name in (
            "idle_timeout",
            "head_timeout",
            "body_timeout",
            "send_timeout",
            "shutdown_timeout",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"Limits.{name} must be a number of seconds, got {value!r}")
            if not 0 < value < float("inf"):
                raise ValueError(f"Limits.{name} must be positive and finite, got {value!r}")
