"""Transfer orders (转办, S-8.2.2.4) with routing and SLA tables, and outbound tasks (外呼, S-8.2.2.5).

Both carry a ``version`` column: SQLAlchemy bumps it on every update and refuses a stale one, so two
desks editing the same row cannot silently overwrite each other."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.timeutil import utcnow

PRIORITIES = ("urgent", "high", "normal", "low")
TRANSFER_STATUSES = ("new", "sent", "accepted", "in_progress", "resolved", "closed", "returned")
OPEN_TRANSFER_STATUSES = ("new", "sent", "accepted", "in_progress", "returned")
OUTBOUND_KINDS = ("cooling_off", "claim_follow_up", "renewal")
OUTBOUND_RESULTS = ("success", "no_answer", "busy", "wrong_number", "refused", "call_back_later")
OUTBOUND_STATUSES = ("open", "done", "failed")
COOLING_OFF_QUESTIONS = ("signed_self", "understands_terms", "knows_cooling_off")
ANSWERS = ("yes", "no", "unclear")


class Department(Base):
    """A handling department or branch."""

    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # department | branch


class RoutingRule(Base):
    """Which department handles a service category (level 2 code)."""

    __tablename__ = "routing_rule"

    category_code: Mapped[str] = mapped_column(ForeignKey("service_category.code"), primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"))


class SlaRule(Base):
    __tablename__ = "sla_rule"

    priority: Mapped[str] = mapped_column(String(8), primary_key=True)
    hours: Mapped[int] = mapped_column(Integer)


class TransferOrder(Base):
    __tablename__ = "transfer_order"
    __table_args__ = (Index("ix_transfer_order_customer_status", "customer_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    linkedid: Mapped[str | None] = mapped_column(String(64))
    category_code: Mapped[str] = mapped_column(ForeignKey("service_category.code"))
    problem: Mapped[str] = mapped_column(Text)
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"))
    priority: Mapped[str] = mapped_column(String(8))
    due_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="new")
    raised_by: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    steps: Mapped[list[TransferStep]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="TransferStep.id"
    )
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TransferStep(Base):
    __tablename__ = "transfer_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("transfer_order.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[TransferOrder] = relationship(back_populates="steps")


class OutboundTask(Base):
    __tablename__ = "outbound_task"
    __table_args__ = (Index("ix_outbound_task_customer_status_due", "customer_id", "status", "due_at"),
                      Index("ix_outbound_task_status_deadline_due", "status", "deadline", "due_at", "id"),
                      Index("ix_outbound_task_status_owner_deadline_due", "status", "assigned_to", "deadline", "due_at",
                            "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("policy.id"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"))
    due_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # The last day the call counts: a cooling-off callback's is the day its policy's cooling-off period ends (set
    # when the task is made; the regulator counts a callback only within the period). None: no such day.
    deadline: Mapped[date | None] = mapped_column(Date)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[str] = mapped_column(String(8), default="open")
    last_result: Mapped[str | None] = mapped_column(String(16))
    assigned_to: Mapped[str | None] = mapped_column(String(16), index=True)
    # Who is dialling it now, and since when (app.services.outbound.claim_for_dial): other CSRs' lists hide it and
    # their dial is refused until a result is saved or the claim runs out. Not the task's content: no version bump.
    claimed_by: Mapped[str | None] = mapped_column(String(16))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    attempts_log: Mapped[list[OutboundAttempt]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="OutboundAttempt.id"
    )
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class OutboundAttempt(Base):
    __tablename__ = "outbound_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("outbound_task.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    agent_id: Mapped[str] = mapped_column(String(16))
    linkedid: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(16))
    call_back_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[OutboundTask] = relationship(back_populates="attempts_log")
    answers: Mapped[list[CoolingOffAnswer]] = relationship(cascade="all, delete-orphan", order_by="CoolingOffAnswer.id")


class CoolingOffAnswer(Base):
    """The customer's answer to one regulator question on a cooling-off callback."""

    __tablename__ = "cooling_off_answer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("outbound_attempt.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(24))
    answer: Mapped[str] = mapped_column(String(8))
