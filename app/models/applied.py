"""Writes the desk's outbox has applied: one row per idempotency key, committed in the same transaction as
the write itself, so a write replayed after an outage (or after a replay was cut off) is never applied twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.timeutil import utcnow


class AppliedWrite(Base):
    __tablename__ = "applied_write"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    agent_id: Mapped[str | None] = mapped_column(String(16))
    applied_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
