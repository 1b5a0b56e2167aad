"""Policies, their parties and (for auto) the vehicle."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.models.customer import Customer

PRODUCT_LINES = ("auto_compulsory", "auto_commercial", "property", "life", "health", "accident")
AUTO_LINES = ("auto_compulsory", "auto_commercial")
LIFE_HEALTH_LINES = ("life", "health", "accident")
POLICY_STATUSES = ("pending", "in_force", "lapsed", "expired", "surrendered", "cancelled")
ACTIVE_POLICY_STATUSES = ("pending", "in_force")


def digits_of(number: str) -> str:
    """Return the digits of a policy number, in order (``PC0000000010`` -> ``0000000010``)."""
    return "".join(ch for ch in number if ch.isdigit())


class Policy(Base):
    __tablename__ = "policy"
    __table_args__ = (
        Index("ix_policy_holder_status", "holder_id", "status"),
        Index("ix_policy_insured_status", "insured_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    # The number's digits alone: what a caller can key into the IVR (policy numbers carry letter prefixes).
    number_digits: Mapped[str] = mapped_column(String(32), index=True,
                                               default=lambda ctx: digits_of(ctx.get_current_parameters()["number"]))
    product_line: Mapped[str] = mapped_column(String(24))
    product_name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    issued_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    cooling_off_ends_on: Mapped[date | None] = mapped_column(Date)
    premium: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    sum_insured: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    holder_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    insured_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))

    holder: Mapped[Customer] = relationship(foreign_keys=[holder_id])
    insured: Mapped[Customer] = relationship(foreign_keys=[insured_id])
    beneficiaries: Mapped[list[Beneficiary]] = relationship(
        back_populates="policy", cascade="all, delete-orphan", order_by="Beneficiary.id"
    )
    vehicle: Mapped[Vehicle | None] = relationship(back_populates="policy", cascade="all, delete-orphan")


class Beneficiary(Base):
    """A beneficiary need not be a customer, so the person is stored here."""

    __tablename__ = "beneficiary"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))  # personal
    id_number: Mapped[str | None] = mapped_column(String(32))  # personal
    relation: Mapped[str] = mapped_column(String(16))
    share_percent: Mapped[int] = mapped_column(Integer)

    policy: Mapped[Policy] = relationship(back_populates="beneficiaries")


class Vehicle(Base):
    __tablename__ = "vehicle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id", ondelete="CASCADE"), unique=True)
    plate: Mapped[str] = mapped_column(String(10), index=True)
    vin: Mapped[str] = mapped_column(String(17), index=True)
    model: Mapped[str] = mapped_column(String(64))

    policy: Mapped[Policy] = relationship(back_populates="vehicle")
