"""Helpers that do not talk to BigCommerce."""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["parse_rfc2822_date"]


def parse_rfc2822_date(value: str) -> datetime:
    """Parse an RFC 2822 date (v2 orders use them) into an aware UTC ``datetime``.

    >>> parse_rfc2822_date("Tue, 20 Nov 2012 00:00:00 +0000")
    datetime.datetime(2012, 11, 20, 0, 0, tzinfo=datetime.timezone.utc)
    """
    if not isinstance(value, str):
        raise TypeError(f"value must be a str, not {type(value).__name__}")
    from email.utils import parsedate_to_datetime  # here: `import bigc` need not load email

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        raise ValueError(f"not an RFC 2822 date: {value!r}")
    if parsed.tzinfo is None:
        # RFC 2822's "-0000" means UTC with no local-time information.
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)
