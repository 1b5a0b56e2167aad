"""Customers and their phones. Personal fields sit in their own named columns so that masked views
(PostgreSQL roles, a later issue) can list exactly which columns to hide."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.timeutil import utcnow

ID_TYPES = ("resident_id", "passport", "hk_macau_permit", "taiwan_permit", "foreign_permanent")
LANGUAGES = ("zh", "en", "yue")


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))  # personal
    id_type: Mapped[str] = mapped_column(String(24), default="resident_id")
    id_number: Mapped[str] = mapped_column(String(32), index=True)  # personal
    birth_date: Mapped[date] = mapped_column(Date)  # personal
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)  # personal, normalised
    email: Mapped[str | None] = mapped_column(String(120))  # personal
    addr_province: Mapped[str | None] = mapped_column(String(32))
    addr_city: Mapped[str | None] = mapped_column(String(32))
    addr_district: Mapped[str | None] = mapped_column(String(32))  # personal
    addr_detail: Mapped[str | None] = mapped_column(String(200))  # personal
    bank_card: Mapped[str | None] = mapped_column(String(24))  # personal
    preferred_language: Mapped[str] = mapped_column(String(8), default="zh")
    vip_level: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    phones: Mapped[list[CustomerPhone]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerPhone.id"
    )


class CustomerPhone(Base):
    """A phone other than the mobile: home, work, or a second mobile. ``number`` is normalised."""

    __tablename__ = "customer_phone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(20), index=True)  # personal

    customer: Mapped[Customer] = relationship(back_populates="phones")
