"""Dates as BigCommerce writes them: ISO 8601 on v3, RFC 2822 on v2."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime

__all__ = ["iso", "parse_date", "rfc2822", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def rfc2822(moment: datetime) -> str:
    return format_datetime(moment)


def parse_date(text: str) -> datetime:
    """Read ISO 8601, RFC 2822 or a Unix timestamp; naive times are UTC.

    Raises ValueError when ``text`` is none of them.
    """
    text = text.strip()
    if text.isascii() and text.isdigit():
        try:
            return datetime.fromtimestamp(int(text), timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"not a date: {text!r}") from None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise ValueError(f"not a date: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
