"""Identity checks (S-8.2.2.1): passed checks hold a hashed token; failures are counted for lock-out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class IdentityCheck(Base):
    """A passed identity check; the token is stored only as its SHA-256."""

    __tablename__ = "identity_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(Integer, index=True)
    agent_id: Mapped[str] = mapped_column(String(16))
    desk_id: Mapped[str] = mapped_column(String(64))
    linkedid: Mapped[str | None] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class IdentityFailure(Base):
    """A failed identity attempt, counted per customer and contact to lock out guessing."""

    __tablename__ = "identity_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    agent_id: Mapped[str] = mapped_column(String(16))
    linkedid: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
