"""Agent accounts (S-8.2.1a): scrypt hashes, typed sign-in errors, central disable, history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from appkit import NOW, Db
from sqlalchemy import select

from app.actor import Actor
from app.errors import AccountDisabled, UnknownAgent, ValidationError, WrongPassword
from app.models import Agent, AgentSignIn, AuditEntry
from app.services.agents import (
    create_agent,
    record_sign_in,
    record_sign_out,
    record_state,
    record_wrap_up_extension,
    set_agent_disabled,
    set_password,
    state_history,
    verify_agent,
    wrap_up_extended_since,
)

ADMIN = Actor(agent_id="admin", desk_id="console")
PW = "correct horse 1001"


@pytest.fixture
def agent(db: Db) -> str:
    with db.session() as s:
        create_agent(s, actor=ADMIN, agent_id="1001", display_name="李娜", role="csr", team="A",
                     skills=["service", "claims-auto"], password=PW)
    return "1001"


def test_verify_agent(db: Db, agent: str) -> None:
    with db.session() as s:
        acct = verify_agent(s, agent, PW, desk_id="desk-a")
        row = s.get(Agent, agent)
    assert (acct.agent_id, acct.role, acct.team, acct.skills) == ("1001", "csr", "A", ("claims-auto", "service"))
    assert row is not None
    assert row.password_hash.startswith("scrypt$")
    assert PW not in row.password_hash


def test_typed_sign_in_errors_are_audited(db: Db, agent: str) -> None:
    with db.session() as s:
        with pytest.raises(WrongPassword, match="wrong password for agent 1001"):
            verify_agent(s, agent, "nope")
        with pytest.raises(UnknownAgent, match="no agent account '9999'"):
            verify_agent(s, "9999", PW)
        with pytest.raises(UnknownAgent):
            verify_agent(s, PW, PW)  # the password typed into the agent ID field
        set_agent_disabled(s, actor=ADMIN, agent_id=agent, disabled=True)
        with pytest.raises(AccountDisabled, match="disabled"):
            verify_agent(s, agent, PW)
        set_agent_disabled(s, actor=ADMIN, agent_id=agent, disabled=False)
        assert verify_agent(s, agent, PW).disabled is False
        outcomes = [r.outcome for r in s.scalars(select(AuditEntry).where(AuditEntry.action == "agent.verify")
                                                 .order_by(AuditEntry.seq))]
        blob = " ".join(r.detail + r.fields + r.agent_id + r.record_id for r in s.scalars(select(AuditEntry)))
    assert outcomes == ["wrong_password", "unknown", "unknown", "disabled", "passed"]
    assert PW not in blob


def test_salts_differ_and_password_change_works(db: Db, agent: str) -> None:
    with db.session() as s:
        create_agent(s, actor=ADMIN, agent_id="1002", display_name="王强", role="lead", team="A", skills=[],
                     password=PW)
        h1, h2 = (s.get(Agent, a).password_hash for a in ("1001", "1002"))  # type: ignore[union-attr]
        assert h1 != h2
        set_password(s, actor=ADMIN, agent_id=agent, password="another pass 9")
        with pytest.raises(WrongPassword):
            verify_agent(s, agent, PW)
        assert verify_agent(s, agent, "another pass 9").agent_id == agent


def test_bad_account_is_refused(db: Db, agent: str) -> None:
    with db.session() as s, pytest.raises(ValidationError) as err:
        create_agent(s, actor=ADMIN, agent_id="1001", display_name="", role="boss", team="", skills=[],
                     password="short")
    assert set(err.value.fields) == {"agent_id", "display_name", "role", "team", "password"}


def test_sign_in_and_state_history(db: Db, agent: str) -> None:
    me = Actor(agent_id=agent, desk_id="desk-a")
    t0 = NOW
    with db.session() as s:
        record_sign_in(s, actor=me, at=t0)
        record_state(s, agent_id=agent, state="not_ready", reason="login", at=t0)
        record_state(s, agent_id=agent, state="ready", at=t0 + timedelta(minutes=1))
        record_state(s, agent_id=agent, state="talking", at=t0 + timedelta(minutes=3))
        record_sign_out(s, actor=me, at=t0 + timedelta(minutes=10))
        spans = state_history(s, agent_id=agent, since=t0, until=t0 + timedelta(hours=1))
        sign = s.scalar(select(AgentSignIn))
    assert [(x.state, x.reason) for x in spans] == [("not_ready", "login"), ("ready", None), ("talking", None)]
    assert spans[1].ended_at == t0 + timedelta(minutes=3)
    assert spans[-1].ended_at == t0 + timedelta(minutes=10)
    assert sign is not None
    assert sign.signed_out_at == t0 + timedelta(minutes=10)


def test_wrap_up_extensions_are_audited_and_summed_from_the_wrap_ups_start(db: Db, agent: str) -> None:
    """What a desk restarted in wrap-up reads back: the extensions since the wrap-up began, at any desk."""
    from app.timeutil import utcnow

    csr = Actor(agent_id=agent, desk_id="desk-a")
    with db.session() as s:
        record_wrap_up_extension(s, actor=csr, seconds=60)  # an earlier wrap-up's
    began = utcnow()
    with db.session() as s:
        record_wrap_up_extension(s, actor=csr, seconds=30)
        record_wrap_up_extension(s, actor=Actor(agent_id=agent, desk_id="desk-b"), seconds=15)
        record_wrap_up_extension(s, actor=Actor(agent_id="1002", desk_id="desk-c"), seconds=99)  # someone else
    with db.session() as s:
        assert wrap_up_extended_since(s, agent_id=agent, since=began) == 45
        assert wrap_up_extended_since(s, agent_id=agent, since=began - timedelta(hours=1)) == 105
        assert wrap_up_extended_since(s, agent_id="1003", since=began) == 0
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == "agent.wrap_up_extend")).all()
        assert len(rows) == 4
        assert {r.record_id for r in rows} == {agent, "1002"}
        with pytest.raises(ValidationError):
            record_wrap_up_extension(s, actor=csr, seconds=0)
