"""The lead desk service: the database decides who is a lead, every lead action is audited, reassigning work
refuses stale versions, and the team view feeds the alerts. The PBX side (cti.supervisor) is recorded here; the
lab tests drive the real one."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from leadkit import LeadDb, RecordingSupervisor
from sqlalchemy import select

from app.actor import Actor
from app.config import load_config
from app.errors import ConflictError, ValidationError
from app.lead import AgentCallDidConnect, LeadDesk, LeadTeam, NotALead
from app.models import AgentSignIn, AuditEntry, Customer, OutboundTask, TransferOrder
from app.services.agents import create_agent, record_sign_in, record_state
from app.services.outbound import claim_for_dial, create_outbound_task
from app.services.transfers import TransferForm, raise_transfer
from app.timeutil import utcnow
from app.worker import DbWorker
from cti.ami.message import AmiMessage
from cti.bus import EventBus
from cti.events import LinkDidDrop, RegistrationDidChange, TeamMemberDidUpdate

ROOT = Path(__file__).resolve().parents[2]


def seed(db: LeadDb) -> None:
    boss = Actor(agent_id="admin", desk_id="setup")
    with db.session() as s:
        for aid, role in (("1001", "csr"), ("1002", "csr"), ("2001", "lead")):
            create_agent(s, actor=boss, agent_id=aid, display_name=f"Person {aid}", role=role, team="A",
                         skills=["service"], password="long enough pw")


def make(db: LeadDb, agent_id: str = "2001", role: str = "lead") -> tuple[LeadDesk, RecordingSupervisor, EventBus]:
    bus = EventBus()
    sup = RecordingSupervisor(bus)
    desk = LeadDesk(config=load_config(ROOT / "resources" / "centre.toml"),
                    actor=Actor(agent_id=agent_id, desk_id="lead-desk", role=role),  # type: ignore[arg-type]
                    team="A", bus=bus, worker=DbWorker(), session_factory=db.session, supervisor=sup,
                    queue_source=None)
    return desk, sup, bus


def audit_rows(db: LeadDb) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    with db.session() as s:
        return [(e.agent_id, e.action, e.record_id, e.outcome, json.loads(e.detail))
                for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


async def test_a_csr_account_is_refused_even_if_the_desk_claims_lead(db: LeadDb) -> None:
    seed(db)
    desk, sup, _ = make(db, agent_id="1001", role="lead")  # the desk believes it; the database does not
    with pytest.raises(NotALead):
        await desk.start()
    with pytest.raises(NotALead):
        await desk.force_not_ready("1002", "小休")
    with pytest.raises(NotALead):
        await desk.spy("1002", "listen")
    assert sup.calls == []  # nothing reached the PBX
    assert [r[1:4] for r in audit_rows(db) if r[0] == "1001"] == [("lead.refused", "1001", "not_a_lead")] * 3
    desk.worker.shutdown()


async def test_force_not_ready_and_spy_are_audited_and_carry_the_lead(db: LeadDb) -> None:
    seed(db)
    desk, sup, _ = make(db)
    team = await desk.start()
    assert [(m.agent_id, m.name) for m in team] == [("1001", "Person 1001"), ("1002", "Person 1002")]
    await desk.force_not_ready("1002", "会议")
    await desk.spy("1002", "listen")
    await desk.spy("1002", "whisper")
    with pytest.raises(ValidationError):
        await desk.spy("1002", "shout")
    assert sup.calls[1:] == [("pause", "1002", "会议 [lead 2001]"), ("listen", "1002"), ("whisper", "1002")]
    rows = [r for r in audit_rows(db) if r[0] == "2001"]
    assert [(r[1], r[2]) for r in rows] == [("lead.force_not_ready", "1002"), ("lead.listen", "1002"),
                                            ("lead.whisper", "1002")]
    assert rows[0][4] == {"reason": "会议"}
    await desk.close()
    desk.worker.shutdown()


async def test_force_sign_out_closes_the_sign_in_period(db: LeadDb) -> None:
    seed(db)
    with db.session() as s:
        record_sign_in(s, actor=Actor(agent_id="1001", desk_id="d1"), at=utcnow() - timedelta(hours=1))
        record_state(s, agent_id="1001", state="ready", at=utcnow() - timedelta(hours=1))
    desk, sup, _ = make(db)
    await desk.start()
    assert await desk.force_sign_out("1001") == 2
    assert sup.calls[1:] == [("pause", "1001", "签出 signed out [lead 2001]"), ("remove", "1001")]
    with db.session() as s:
        assert s.scalar(select(AgentSignIn.signed_out_at).where(AgentSignIn.agent_id == "1001")) is not None
    assert ("2001", "lead.force_sign_out", "1001", "ok", {"memberships": 2}) in audit_rows(db)
    desk.worker.shutdown()


async def test_reassign_open_work_and_refuse_stale_or_bad_targets(db: LeadDb) -> None:
    seed(db)
    csr = Actor(agent_id="1001", desk_id="d1")
    with db.session() as s:
        cust = Customer(name="C", id_number="X", birth_date=date(1980, 1, 1))
        s.add(cust)
        s.commit()
        raise_transfer(s, actor=csr, form=TransferForm(category_code="claim.auto", problem="call me back",
                                                       priority="normal", customer_id=cust.id))
        create_outbound_task(s, actor=csr, kind="renewal", customer_id=cust.id, due_at=utcnow())
        task_id = s.scalar(select(OutboundTask.id))
        claim_for_dial(s, actor=Actor(agent_id="1003", desk_id="d3"), task_id=task_id)
    desk, _, _ = make(db)
    items = {i.kind: i for i in await desk.open_work()}
    assert set(items) == {"transfer", "outbound"}
    assert (items["outbound"].dialling, items["transfer"].dialling) == ("1003", None)  # the lead sees who is on it
    with pytest.raises(ValidationError):
        await desk.reassign(items["transfer"], "2001")  # a lead is not a CSR to hand work to
    await desk.reassign(items["transfer"], "1002")
    await desk.reassign(items["outbound"], "1002")
    with pytest.raises(ConflictError):
        await desk.reassign(items["outbound"], "1001")  # loaded before the first reassignment
    with db.session() as s:
        assert s.scalar(select(TransferOrder.raised_by)) == "1002"
        assert s.scalar(select(OutboundTask.assigned_to)) == "1002"
    got = [(r[1], r[4]) for r in audit_rows(db) if r[1] == "lead.reassign"]
    assert got == [("lead.reassign", {"from": "1001", "to": "1002"}), ("lead.reassign", {"from": "", "to": "1002"})]
    desk.worker.shutdown()


async def test_team_updates_raise_alerts_and_acknowledging_is_audited(db: LeadDb) -> None:
    seed(db)
    desk, _, bus = make(db)
    await desk.start()
    t = time.monotonic()  # the team view's clock
    bus.publish(TeamMemberDidUpdate(agent_id="1001", state="talking", reason=None, since=t - 3))
    bus.publish(TeamMemberDidUpdate(agent_id="1001", state="wrap_up", reason=None, since=t - 1))  # a 2 s call
    bus.publish(LinkDidDrop(address="127.0.0.1:15038", reason="test"))
    desk.signed_in = True  # as sign_in_lead leaves it: the lead's own softphone now counts
    bus.publish(RegistrationDidChange(registered=False, sip_status=503, reason="test"))
    assert [(a.kind, a.agent_id, a.reason) for a in desk.alerts.alerts] == [
        ("short_call", "1001", None), ("desk_degraded", None, "PBX link down"),
        ("desk_degraded", None, "softphone unregistered")]
    desk.signed_in = False
    alert = await desk.acknowledge(desk.alerts.alerts[0].id)
    assert alert.acknowledged_by == "2001"
    assert ("2001", "alert.acknowledge", str(alert.id), "ok", {"agent": "1001", "kind": "short_call"}) \
        in audit_rows(db)
    desk.worker.shutdown()


def test_lead_team_names_the_queue_of_an_agents_call() -> None:
    bus = EventBus()
    seen: list[AgentCallDidConnect] = []
    bus.subscribe(AgentCallDidConnect, seen.append)
    team = LeadTeam(bus=bus, queues=("service",))
    team.feed(AmiMessage.of({"Event": "AgentConnect", "Queue": "service", "Interface": "PJSIP/1003",
                             "MemberName": "1003", "HoldTime": "4", "Uniqueid": "u1"}))
    team.feed(AmiMessage.of({"Event": "AgentConnect", "Queue": "claims-auto", "Interface": "PJSIP/1004",
                             "HoldTime": "4", "Uniqueid": "u2"}))
    assert [(e.agent_id, e.queue) for e in seen] == [("1003", "service")]
    assert team.queues["service"].answered == 1
