"""Claims with their timeline, and claim reports (报案, S-8.2.2.2) with vehicles and people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.models.policy import Policy
from app.timeutil import utcnow

CLAIM_STATUSES = (
    "reported", "registered", "investigating", "assessed", "approved", "paid", "closed", "rejected", "withdrawn",
)
OPEN_CLAIM_STATUSES = ("reported", "registered", "investigating", "assessed", "approved")
LIFE_EVENT_TYPES = ("hospitalisation", "critical_illness", "death", "accident")
INJURY_LEVELS = ("none", "minor", "serious", "fatal")
PERSON_ROLES = ("driver", "third_party", "injured")


class Claim(Base):
    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_policy_status", "policy_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id"))
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    policy: Mapped[Policy] = relationship()
    timeline: Mapped[list[ClaimEvent]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="ClaimEvent.at"
    )


class ClaimEvent(Base):
    __tablename__ = "claim_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")

    claim: Mapped[Claim] = relationship(back_populates="timeline")


class ClaimReport(Base):
    """What the caller reported. ``kind`` is ``auto`` or ``life_health``; the other kind's fields stay empty."""

    __tablename__ = "claim_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_number: Mapped[str] = mapped_column(String(32), unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), unique=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    reported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reported_by: Mapped[str] = mapped_column(String(16))
    linkedid: Mapped[str | None] = mapped_column(String(64), index=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    police_attended: Mapped[bool | None] = mapped_column(Boolean)
    insured_customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    event_type: Mapped[str | None] = mapped_column(String(24))
    hospital: Mapped[str | None] = mapped_column(String(100))
    admitted_on: Mapped[date | None] = mapped_column(Date)
    discharged_on: Mapped[date | None] = mapped_column(Date)

    claim: Mapped[Claim] = relationship()
    vehicles: Mapped[list[ReportVehicle]] = relationship(cascade="all, delete-orphan", order_by="ReportVehicle.id")
    people: Mapped[list[ReportPerson]] = relationship(cascade="all, delete-orphan", order_by="ReportPerson.id")


class ReportVehicle(Base):
    __tablename__ = "report_vehicle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("claim_report.id", ondelete="CASCADE"), index=True)
    plate: Mapped[str] = mapped_column(String(10))
    vin: Mapped[str | None] = mapped_column(String(17))
    is_insured_vehicle: Mapped[bool] = mapped_column(Boolean, default=False)


class ReportPerson(Base):
    __tablename__ = "report_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("claim_report.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))  # personal
    phone: Mapped[str | None] = mapped_column(String(20))  # personal
    injury_level: Mapped[str] = mapped_column(String(16), default="none")
