"""Time in the data layer: naive datetimes in UTC, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, truncated to microseconds."""
    return datetime.now(UTC).replace(tzinfo=None)
