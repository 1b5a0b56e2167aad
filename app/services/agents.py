"""Agent accounts (S-8.2.1a): sign-in checks, central disabling, sign-in and state history."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.actor import Actor
from app.errors import AccountDisabled, NotFound, UnknownAgent, ValidationError, WrongPassword
from app.models import Agent, AgentSignIn, AgentSkill, AgentStateSpan, AuditEntry
from app.passwords import check_password, hash_password
from app.timeutil import utcnow
from app.validation import Checker, one_of, required_text

ROLES = ("csr", "lead")


@dataclass(frozen=True, slots=True)
class AgentAccount:
    agent_id: str
    display_name: str
    role: str
    team: str
    skills: tuple[str, ...]
    disabled: bool

    @classmethod
    def of(cls, a: Agent) -> AgentAccount:
        return cls(a.agent_id, a.display_name, a.role, a.team, tuple(s.queue for s in a.skills), a.disabled)


@dataclass(frozen=True, slots=True)
class StateSpan:
    state: str
    reason: str | None
    started_at: datetime
    ended_at: datetime | None


def create_agent(
    session: Session, *, actor: Actor, agent_id: str, display_name: str, role: str, team: str,
    skills: Iterable[str], password: str,
) -> AgentAccount:
    """Create an account; the password is stored only as its scrypt hash."""
    c = Checker()
    aid = c.check("agent_id", required_text, agent_id, max_len=16)
    c.check("display_name", required_text, display_name, max_len=64)
    c.check("role", one_of, role, ROLES)
    c.check("team", required_text, team, max_len=32)
    if len(password) < 8:
        c.add("password", "at least 8 characters")
    if aid and session.get(Agent, aid) is not None:
        c.add("agent_id", "this agent ID is taken")
    c.done()
    agent = Agent(agent_id=agent_id.strip(), display_name=display_name.strip(), role=role, team=team.strip(),
                  password_hash=hash_password(password), disabled=False)
    agent.skills.extend(AgentSkill(queue=q) for q in sorted(set(skills)))
    session.add(agent)
    session.flush()
    audit.append(session, actor=actor, action="agent.create", record_type="agent", record_id=agent.agent_id,
                 detail={"role": role})
    session.commit()
    return AgentAccount.of(agent)


def verify_agent(session: Session, agent_id: str, password: str, *, desk_id: str = "") -> AgentAccount:
    """Check an agent's sign-in; raise ``UnknownAgent``, ``AccountDisabled`` or ``WrongPassword``.

    Every attempt is audited (the password never is)."""
    aid = agent_id.strip()
    agent = session.scalar(select(Agent).where(Agent.agent_id == aid).options(selectinload(Agent.skills)))
    ok = check_password(agent.password_hash if agent else None, password)
    outcome = "unknown" if agent is None else "disabled" if agent.disabled else "passed" if ok else "wrong_password"
    # An unknown ID is not written down: it may be a password typed into the wrong field.
    who = aid if agent is not None else "unknown"
    audit.append(session, actor=Actor(agent_id=who, desk_id=desk_id), action="agent.verify",
                 record_type="agent", record_id=who, outcome=outcome)
    session.commit()
    if agent is None:
        raise UnknownAgent(aid)
    if agent.disabled:
        raise AccountDisabled(aid)
    if not ok:
        raise WrongPassword(aid)
    return AgentAccount.of(agent)


def _agent(session: Session, agent_id: str) -> Agent:
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise NotFound("agent", agent_id)
    return agent


def set_agent_disabled(session: Session, *, actor: Actor, agent_id: str, disabled: bool) -> None:
    """Disable or re-enable an account centrally (an admin or lead action)."""
    _agent(session, agent_id).disabled = disabled
    audit.append(session, actor=actor, action="agent.disable" if disabled else "agent.enable", record_type="agent",
                 record_id=agent_id)
    session.commit()


def set_password(session: Session, *, actor: Actor, agent_id: str, password: str) -> None:
    if len(password) < 8:
        raise ValidationError({"password": "at least 8 characters"})
    _agent(session, agent_id).password_hash = hash_password(password)
    audit.append(session, actor=actor, action="agent.password", record_type="agent", record_id=agent_id)
    session.commit()


def record_sign_in(session: Session, *, actor: Actor, at: datetime | None = None) -> int:
    """Start a sign-in period at this desk; return its id."""
    row = AgentSignIn(agent_id=actor.agent_id, desk_id=actor.desk_id, signed_in_at=at or utcnow())
    session.add(row)
    session.flush()
    audit.append(session, actor=actor, action="agent.sign_in", record_type="agent", record_id=actor.agent_id)
    session.commit()
    return row.id


def record_sign_out(session: Session, *, actor: Actor, at: datetime | None = None) -> None:
    """End the agent's open sign-in periods and state span."""
    at = at or utcnow()
    for row in session.scalars(select(AgentSignIn).where(AgentSignIn.agent_id == actor.agent_id,
                                                         AgentSignIn.signed_out_at.is_(None))):
        row.signed_out_at = at
    _close_spans(session, actor.agent_id, at)
    audit.append(session, actor=actor, action="agent.sign_out", record_type="agent", record_id=actor.agent_id)
    session.commit()


def record_desk_lock(session: Session, *, actor: Actor, locked: bool) -> None:
    """Audit the desk locking itself after idle time, or being unlocked with the agent's password."""
    audit.append(session, actor=actor, action="desk.lock" if locked else "desk.unlock", record_type="agent",
                 record_id=actor.agent_id)
    session.commit()


def _close_spans(session: Session, agent_id: str, at: datetime) -> None:
    for span in session.scalars(select(AgentStateSpan).where(AgentStateSpan.agent_id == agent_id,
                                                             AgentStateSpan.ended_at.is_(None))):
        span.ended_at = max(at, span.started_at)


def record_state(session: Session, *, agent_id: str, state: str, reason: str | None = None,
                 at: datetime | None = None) -> None:
    """Close the current state span and open one for ``state`` (utilisation is computed from these)."""
    at = at or utcnow()
    _close_spans(session, agent_id, at)
    session.add(AgentStateSpan(agent_id=agent_id, state=state, reason=reason, started_at=at))
    session.commit()


WRAP_UP_EXTENDED = "agent.wrap_up_extend"


def record_wrap_up_extension(session: Session, *, actor: Actor, seconds: int) -> None:
    """Audit the CSR extending wrap-up by ``seconds``. The PBX keeps when a wrap-up began (LastPause) but not its
    extensions: a desk restarted in wrap-up reads them back from here (``wrap_up_extended_since``)."""
    if seconds <= 0:
        raise ValidationError({"seconds": "must be a positive number of seconds"})
    audit.append(session, actor=actor, action=WRAP_UP_EXTENDED, record_type="agent", record_id=actor.agent_id,
                 detail={"seconds": int(seconds)})
    session.commit()


def wrap_up_extended_since(session: Session, *, agent_id: str, since: datetime) -> int:
    """Seconds of wrap-up extension the agent was given at or after ``since`` (the wrap-up's start), at any desk."""
    rows = session.scalars(select(AuditEntry.detail).where(
        AuditEntry.agent_id == agent_id, AuditEntry.action == WRAP_UP_EXTENDED, AuditEntry.outcome == "ok",
        AuditEntry.at >= since.isoformat(timespec="microseconds")))
    return sum(int(json.loads(d).get("seconds", 0)) for d in rows)


def state_history(session: Session, *, agent_id: str, since: datetime, until: datetime) -> tuple[StateSpan, ...]:
    """Return the spans overlapping [since, until), in order."""
    rows = session.scalars(
        select(AgentStateSpan).where(
            AgentStateSpan.agent_id == agent_id, AgentStateSpan.started_at < until,
            (AgentStateSpan.ended_at.is_(None)) | (AgentStateSpan.ended_at > since),
        ).order_by(AgentStateSpan.started_at, AgentStateSpan.id)
    )
    return tuple(StateSpan(r.state, r.reason, r.started_at, r.ended_at) for r in rows)
