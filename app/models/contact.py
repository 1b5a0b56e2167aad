"""Contacts (one per call and agent) and wrap-ups (小结, S-8.2.2.3) against a two-level category tree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.timeutil import utcnow


class Contact(Base):
    __tablename__ = "contact"
    __table_args__ = (
        UniqueConstraint("linkedid", "agent_id", name="uq_contact_linkedid_agent"),
        Index("ix_contact_customer_offered", "customer_id", "offered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    linkedid: Mapped[str] = mapped_column(String(64), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    queue: Mapped[str | None] = mapped_column(String(32))
    agent_id: Mapped[str] = mapped_column(String(16), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    caller_number: Mapped[str | None] = mapped_column(String(20))  # personal
    offered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    recording_ref: Mapped[str | None] = mapped_column(String(200))
    survey_score: Mapped[int | None] = mapped_column(Integer)

    wrap_up: Mapped[WrapUp | None] = relationship(back_populates="contact")


class ServiceCategory(Base):
    """Level 1 has no parent; a wrap-up must name a level-2 category."""

    __tablename__ = "service_category"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("service_category.code"))
    name_zh: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(64))


class WrapUp(Base):
    __tablename__ = "wrap_up"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), unique=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("service_category.code"))
    resolved_first_contact: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text, default="")
    agent_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="wrap_up")
