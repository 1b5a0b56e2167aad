"""The lead desk against the real lab: the wallboard matches what the PBX reports, forcing not-ready and signing
an agent out reach the agent's desk (which shows the lead who did it), and a CSR desk's AMI user is refused the
ChanSpy originate by the PBX itself."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import json
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "cti" / "lab")]

from ctilab import WAIT, bridged_together, hang_up_leftovers, lab_or_fail, pulse_up, start_desk, start_party  # noqa: E402
from leadkit import LeadDb  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.actor import Actor  # noqa: E402
from app.config import PbxServer, load_config  # noqa: E402
from app.desk import Desk  # noqa: E402
from app.lead import LeadDesk, build_supervisor  # noqa: E402
from app.models import AuditEntry  # noqa: E402
from app.secrets import StaticCredentials  # noqa: E402
from app.services.agents import create_agent  # noqa: E402
from app.worker import DbWorker  # noqa: E402
from cti import events as ev  # noqa: E402
from cti.ami.actions import PbxActions  # noqa: E402
from cti.ami.link import AmiLink, PbxAddress  # noqa: E402
from cti.bus import EventBus  # noqa: E402
from cti.errors import ActionFailed  # noqa: E402
from cti.state import Status  # noqa: E402
from cti.team import agent_state  # noqa: E402
from tests.conftest import need  # noqa: E402

pytestmark = [pytest.mark.lab, pytest.mark.ui]
AGENT = "1006"
# CSDESK_RECORD_AMI=<file>: save the agent desk's QueueMember* events of the forcing test (the unit test
# tests/cti/test_agent_state.py replays such a recording).
RECORD = Path(os.environ["CSDESK_RECORD_AMI"]) if os.environ.get("CSDESK_RECORD_AMI") else None


@pytest.fixture(scope="module")
def lab() -> Any:
    need(pulse_up(), "the PulseAudio null sinks for the softphone engine (scripts/audio.sh up)")
    return lab_or_fail("primary")


@pytest.fixture
async def admin(lab: Any) -> AsyncIterator[PbxActions]:
    link = AmiLink(addresses=[PbxAddress(lab.host, lab.ami_port)], username="admin", secret=lab.ami_secret("admin"),
                   action_timeout=10)
    link.start()
    await link.wait_up(90)
    yield PbxActions(link)
    await link.stop()


async def until(check: Any, what: str, within: float = WAIT) -> None:
    """Wait until ``check()`` is true; a check that returns an awaitable (a lambda around a coroutine) is awaited."""
    for _ in range(int(within / 0.2)):
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


async def test_a_csr_desk_ami_user_is_refused_chanspy_by_the_pbx(lab: Any) -> None:
    link = AmiLink(addresses=[PbxAddress(lab.host, lab.ami_port)], username="desk1007",
                   secret=lab.ami_secret("desk1007"), action_timeout=10)
    link.start()
    await link.wait_up(30)
    try:
        with pytest.raises(ActionFailed, match="Permission denied"):  # the PBX's own refusal, not the desk's
            await PbxActions(link).originate_app(channel="PJSIP/1007", application="ChanSpy", data="PJSIP/1006-,qE",
                                                 caller_id='"listen 1006" <1006>')
    finally:
        await link.stop()


async def test_wallboard_matches_the_pbx_and_forcing_reaches_the_agents_desk(
        lab: Any, admin: PbxActions, qapp: Any, lead_sqlite_template: Path, tmp_path: Path) -> None:
    from app.db import make_engine, make_session_factory
    from ui.bridge import QtEventBridge
    from ui.lead.window import LeadWindow
    from ui.mainwindow import MainWindow

    shutil.copy(lead_sqlite_template, tmp_path / "lab.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'lab.db'}")
    db = LeadDb("sqlite", engine, make_session_factory(engine))
    with db.session() as s:
        boss = Actor(agent_id="admin", desk_id="setup")
        create_agent(s, actor=boss, agent_id=AGENT, display_name="Agent", role="csr", team="A",
                     skills=["service"], password="long enough pw")
        create_agent(s, actor=boss, agent_id="2001", display_name="Lead", role="lead", team="A", skills=[],
                     password="long enough pw")
    config = load_config(ROOT / "resources" / "centre.toml")
    config = dataclasses.replace(config, pbx=(PbxServer(lab.host, lab.ami_port, lab.ami_tls_port, lab.sip_port,
                                                        lab.sip_tls_port),))
    desk = await start_desk(lab, AGENT)
    bus = EventBus()
    sup = build_supervisor(config=config, profile=config.profiles["onsite"], lead_extension="2001",
                           queues=("claims-auto", "claims-life", "service", "complaints"),
                           credentials=StaticCredentials(sip=lab.sip_passwords, ami=lab.ami_users), bus=bus,
                           softphone=None)
    worker = DbWorker()
    lead = LeadDesk(config=config, actor=Actor(agent_id="2001", desk_id="lead", role="lead"), team="A", bus=bus,
                    worker=worker, session_factory=db.session, supervisor=sup, queue_source=None)
    window = LeadWindow(lead=lead, bridge=QtEventBridge(bus=bus), reasons=list(config.not_ready_reasons))
    # The agent's own window on the agent's bus, with the real desk service's name lookup (its database).
    agent_desk = Desk(config=config, profile=config.profiles["onsite"], desk_id="agent-desk", bus=desk.session.bus,
                      worker=worker, session_factory=db.session, credentials=StaticCredentials(sip={}, ami={}),
                      softphone=None)
    agent_window = MainWindow(desk=agent_desk, bridge=QtEventBridge(bus=desk.session.bus),
                              reasons=list(config.not_ready_reasons))
    ami_seen: list[dict[str, str]] = []
    desk.session.ami_listeners.append(
        lambda m: ami_seen.append({k: v for k, v in m.headers.items() if isinstance(v, str)})
        if m.event.startswith("QueueMember") else None)
    try:
        await desk.session.sign_in(initial="ready")
        window.show_team(await lead.start())

        def shown() -> tuple[str, str | None]:
            window.model.flush()
            r = window.model.rows[window.model.index_of[AGENT]]
            return r.state, r.reason

        async def pbx_says() -> tuple[str, str | None]:
            snap = await admin.queue_status(member=f"PJSIP/{AGENT}")
            rank = {"talking": 0, "ringing": 1, "on_hold": 1, "wrap_up": 2, "not_ready": 3, "ready": 4}
            mine = [agent_state(m) for m in snap.members if m.interface == f"PJSIP/{AGENT}"]
            return min(mine, key=lambda sr: rank.get(sr[0], 9)) if mine else ("signed_out", None)

        await until(lambda: shown()[0] == "ready", "the wallboard showing the agent ready")
        assert shown() == await pbx_says() == ("ready", None)

        await lead.force_not_ready(AGENT, "会议")
        await desk.session.until(lambda: desk.session.status == Status.NOT_READY, "forced not ready", within=WAIT)
        assert desk.session.state.reason == "会议 [lead 2001]"  # the agent's desk knows who did it
        assert desk.session.state.forced_by == "2001"
        pauses = desk.rec.of(ev.AgentDidPause)
        assert [(p.reason, p.by) for p in pauses][-1:] == [("会议 [lead 2001]", "2001")]
        await until(lambda: shown() == ("not_ready", "会议 [lead 2001]"), "the wallboard showing the pause")
        assert await pbx_says() == shown()
        bar = agent_window.state_bar
        await until(lambda: bar.reason_label.text() == "会议 · set not-ready by Lead (2001)",
                    "the agent's state bar naming the lead")

        await lead.force_sign_out(AGENT)
        await desk.session.until(lambda: desk.session.status == Status.SIGNED_OUT, "signed out by the lead",
                                 within=WAIT)
        assert desk.session.state.forced_by == "2001"  # kept after the memberships are gone
        out = [e for e in desk.rec.of(ev.AgentDidChangeState) if e.new == "signed_out"]
        assert [(e.by, e.cause) for e in out] == [("2001", "signed out by lead 2001")]
        assert desk.rec.of(ev.AgentDidPause)[-1].by == "2001"
        await until(lambda: shown()[0] == "signed_out", "the wallboard showing the agent signed out")
        assert await pbx_says() == ("signed_out", None)
        await until(lambda: (bar.state, bar.reason_label.text()) == ("signed_out", "signed out by Lead (2001)"),
                    "the agent's state bar saying the lead signed them out")
        for _ in range(5):  # it stays: nothing but a new sign-in clears it
            await asyncio.sleep(0.2)
            assert bar.reason_label.text() == "signed out by Lead (2001)"
        if RECORD:
            RECORD.write_text(json.dumps(ami_seen, ensure_ascii=False, indent=1))
        assert any(m.get("event") == "QueueMemberRemoved" for m in ami_seen)
        with db.session() as s:
            actions = [(e.agent_id, e.action, e.record_id, json.loads(e.detail))
                       for e in s.scalars(select(AuditEntry).where(AuditEntry.agent_id == "2001"))]
        assert ("2001", "lead.force_not_ready", AGENT, {"reason": "会议"}) in actions
        assert [a[1] for a in actions if a[1] == "lead.force_sign_out"] == ["lead.force_sign_out"]
    finally:
        await lead.close()
        await desk.close(admin)
        worker.shutdown()
        window.deleteLater()
        agent_window.deleteLater()
        engine.dispose()


async def test_wallboard_follows_agents_taking_calls(
        lab: Any, admin: PbxActions, qapp: Any, lead_sqlite_template: Path, tmp_path: Path) -> None:
    """Two agents in the complaints queue, a caller through it: the wallboard shows who talks (and from which
    queue), who stays ready, the queue's answered count, and the handled call once it ends; each as the PBX says."""
    from app.db import make_engine, make_session_factory
    from ui.bridge import QtEventBridge
    from ui.lead.window import LeadWindow

    shutil.copy(lead_sqlite_template, tmp_path / "lab.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'lab.db'}")
    db = LeadDb("sqlite", engine, make_session_factory(engine))
    agents = ("1004", "1005")
    with db.session() as s:
        boss = Actor(agent_id="admin", desk_id="setup")
        for aid in agents:
            create_agent(s, actor=boss, agent_id=aid, display_name=f"Agent {aid}", role="csr", team="A",
                         skills=["complaints"], password="long enough pw")
        create_agent(s, actor=boss, agent_id="2001", display_name="Lead", role="lead", team="A", skills=[],
                     password="long enough pw")
    config = load_config(ROOT / "resources" / "centre.toml")
    config = dataclasses.replace(config, pbx=(PbxServer(lab.host, lab.ami_port, lab.ami_tls_port, lab.sip_port,
                                                        lab.sip_tls_port),))
    desks = [await start_desk(lab, a, queues=("complaints",)) for a in agents]
    caller = await start_party(lab, "1009")
    bus = EventBus()
    sup = build_supervisor(config=config, profile=config.profiles["onsite"], lead_extension="2001",
                           queues=("complaints",), credentials=StaticCredentials(sip=lab.sip_passwords,
                                                                                  ami=lab.ami_users),
                           bus=bus, softphone=None)
    worker = DbWorker()
    lead = LeadDesk(config=config, actor=Actor(agent_id="2001", desk_id="lead", role="lead"), team="A", bus=bus,
                    worker=worker, session_factory=db.session, supervisor=sup, queue_source=None)
    window = LeadWindow(lead=lead, bridge=QtEventBridge(bus=bus), reasons=list(config.not_ready_reasons))
    try:
        for d in desks:
            await d.session.sign_in(initial="ready")
        window.show_team(await lead.start())
        answered_before = sup.team.queues["complaints"].answered if "complaints" in sup.team.queues else 0

        def row(ext: str) -> Any:
            window.model.flush()
            return window.model.rows[window.model.index_of[ext]]

        async def pbx_state(ext: str) -> str:
            snap = await admin.queue_status(member=f"PJSIP/{ext}")
            states = [agent_state(m)[0] for m in snap.members if m.interface == f"PJSIP/{ext}"]
            return states[0] if states else "signed_out"

        await until(lambda: all(row(a).state == "ready" for a in agents), "both agents ready on the wallboard")
        ref = await caller.dial("8004")
        ringing: list[Any] = []

        async def someone_rings() -> bool:
            ringing[:] = [d for d in desks if d.session.status == Status.RINGING]
            return bool(ringing)

        await until(someone_rings, "the queue ringing an agent")
        taker = ringing[0]
        other = next(a for a in agents if a != taker.ext)
        await taker.session.answer()
        await until(lambda: bridged_together(admin, taker.ext, "1009"), "the caller bridged with the agent")
        await until(lambda: row(taker.ext).state == "talking" and row(taker.ext).call_queue == "complaints",
                    "the wallboard showing the call and its queue")
        assert await pbx_state(taker.ext) == "talking"
        assert row(other).state == await pbx_state(other) == "ready"
        await until(lambda: sup.team.queues["complaints"].answered == answered_before + 1, "the queue's answered")
        window.tiles.flush()
        assert window.tiles.tiles["complaints"].values["answered"].text() == str(answered_before + 1)

        await caller.client.hangup(ref)
        await until(lambda: row(taker.ext).state == "wrap_up", "the wallboard showing wrap-up")
        assert await pbx_state(taker.ext) == "wrap_up"
        assert row(taker.ext).handled == 1
    finally:
        await lead.close()
        await caller.close()
        for d in desks:
            await d.close(admin)
            await hang_up_leftovers(admin, d.ext)
        worker.shutdown()
        window.deleteLater()
        engine.dispose()
