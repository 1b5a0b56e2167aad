"""Business numbers for new records: a prefix, the UTC date and a random part."""

from __future__ import annotations

import secrets
from datetime import datetime


def new_number(prefix: str, now: datetime) -> str:
    """Return e.g. ``BA20261124-7F3A9C01``; the unique column catches the (negligible) collision."""
    return f"{prefix}{now:%Y%m%d}-{secrets.token_hex(4).upper()}"
