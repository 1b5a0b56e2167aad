"""The team lead against the real lab: listen/whisper/barge on a live call, force not ready, the team view."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from ctilab import Desk, Party, Recorder, eventually, members, start_engine
from labsim.labinfo import LabInfo
from test_cti_transfers import talking

from cti import events as ev
from cti.ami.actions import PbxActions
from cti.ami.link import PbxAddress
from cti.bus import EventBus
from cti.softphone import SipAccount
from cti.state import Status
from cti.supervisor import SupervisorSession

pytestmark = pytest.mark.lab


@pytest.fixture
async def lead(lab: LabInfo) -> AsyncIterator[tuple[SupervisorSession, Recorder]]:
    bus = EventBus()
    rec = Recorder(bus)
    phone = await start_engine(bus, SipAccount(extension="2001", password=lab.sip_password("2001"),
                                               registrars=(f"{lab.host}:{lab.sip_port}",)))
    sup = SupervisorSession(lead_extension="2001", pbx=(PbxAddress(lab.host, lab.ami_port),), ami_user="lead2001",
                            ami_secret=lab.ami_secret("lead2001"), bus=bus, softphone=phone)
    await sup.start()
    yield sup, rec
    await sup.close()
    await phone.stop()


async def _spy_data(admin: PbxActions) -> list[str]:
    return [c.channel for c in await admin.channels() if c.channel.startswith("PJSIP/2001-")]


async def test_lead_listens_switches_and_stops(
        desks: Callable[..., Awaitable[Desk]], parties: Callable[..., Awaitable[Party]], admin: PbxActions,
        lead: tuple[SupervisorSession, Recorder]) -> None:
    sup, rec = lead
    d, _caller = await talking(desks, parties, admin)
    await eventually(lambda: _team_shows(sup, "1002", "talking"), "the team view showing 1002 talking")
    await sup.listen("1002")
    assert (await rec.wait(ev.SpyDidStart)).mode == "listen"
    spy = await _spy_app(admin)
    assert spy.startswith("PJSIP/1002-,qEd")
    assert "w" not in spy.split(",")[1]
    await sup.whisper("1002")  # live: DTMF 5 on the spy call
    assert rec.of(ev.SpyDidStart)[-1].mode == "whisper"
    assert await _spy_app(admin), "the spy call survives the switch"
    await sup.stop_spy()
    await eventually(lambda: _gone(admin), "the spy call ended")
    await sup.barge("1002")
    assert "B" in (await _spy_app(admin)).split(",")[1]
    await sup.stop_spy()
    assert d.session.status == Status.TALKING, "spying never disturbs the agent"


async def _spy_app(admin: PbxActions) -> str:
    for _ in range(60):
        for c in await admin.channels():
            if c.channel.startswith("PJSIP/2001-") and c.application == "ChanSpy":
                return await _app_data(admin, c.channel)
        await asyncio.sleep(0.25)
    raise AssertionError("no ChanSpy channel for the lead")


async def _app_data(admin: PbxActions, channel: str) -> str:
    items = await admin.link.send({"Action": "CoreShowChannels"}, as_list=True)
    assert isinstance(items, list)
    return next(m.get("ApplicationData") for m in items if m.get("Channel") == channel)


async def _gone(admin: PbxActions) -> bool:
    return not await _spy_data(admin)


async def _team_shows(sup: SupervisorSession, ext: str, state: str) -> bool:
    view = sup.team.agents.get(f"PJSIP/{ext}")
    return view is not None and view.state == state


async def test_lead_forces_not_ready_and_the_desk_follows(
        desks: Callable[..., Awaitable[Desk]], admin: PbxActions, lead: tuple[SupervisorSession, Recorder]) -> None:
    sup, _rec = lead
    d = await desks("1003")
    await d.session.sign_in("ready")
    await eventually(lambda: _team_shows(sup, "1003", "ready"), "the team view showing 1003 ready")
    await sup.force_not_ready("1003", "会议 meeting")
    await d.until(Status.NOT_READY)
    assert (d.session.state.reason, d.session.state.forced_by) == ("会议 meeting [lead 2001]", "2001")
    await eventually(lambda: _team_shows(sup, "1003", "not_ready"), "the team view showing 1003 not ready")
    assert sup.team.agents["PJSIP/1003"].reason == "会议 meeting [lead 2001]"
    await sup.force_sign_out("1003")
    await d.until(Status.SIGNED_OUT)
    assert d.session.state.forced_by == "2001"
    assert await members(admin, "1003") == []


async def test_team_view_counts_waiting_and_abandoned_callers(
        parties: Callable[..., Awaitable[Party]], lead: tuple[SupervisorSession, Recorder]) -> None:
    sup, _rec = lead
    before = sup.team.queues["complaints"].abandoned if "complaints" in sup.team.queues else 0
    caller = await parties("1009")
    ref = await caller.dial("8004")  # nobody serves complaints now: the caller waits
    await eventually(lambda: _waiting(sup, 1), "the team view showing one caller waiting")
    await asyncio.sleep(1.5)
    assert sup.team.queues["complaints"].longest_wait(sup.team.clock()) >= 1.0
    await caller.client.hangup(ref)
    await eventually(lambda: _waiting(sup, 0), "the team view showing nobody waiting")
    assert sup.team.queues["complaints"].abandoned == before + 1


async def _waiting(sup: SupervisorSession, n: int) -> bool:
    q = sup.team.queues.get("complaints")
    return q is not None and q.waiting == n
