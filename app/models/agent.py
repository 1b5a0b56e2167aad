"""Agent accounts (S-8.2.1a), their skill queues, sign-in history and state history (for utilisation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.timeutil import utcnow


class Agent(Base):
    __tablename__ = "agent"

    agent_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(8))
    team: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(256))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    skills: Mapped[list[AgentSkill]] = relationship(cascade="all, delete-orphan", order_by="AgentSkill.queue")


class AgentSkill(Base):
    __tablename__ = "agent_skill"

    agent_id: Mapped[str] = mapped_column(ForeignKey("agent.agent_id", ondelete="CASCADE"), primary_key=True)
    queue: Mapped[str] = mapped_column(String(32), primary_key=True)


class AgentSignIn(Base):
    __tablename__ = "agent_sign_in"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agent.agent_id"), index=True)
    desk_id: Mapped[str] = mapped_column(String(64))
    signed_in_at: Mapped[datetime] = mapped_column(DateTime)
    signed_out_at: Mapped[datetime | None] = mapped_column(DateTime)


class AgentStateSpan(Base):
    """One stretch of time in one state; ``ended_at`` is empty while it lasts."""

    __tablename__ = "agent_state_span"
    __table_args__ = (Index("ix_agent_state_span_agent_started", "agent_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agent.agent_id"))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
