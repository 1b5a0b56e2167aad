"""Sign in, work state, wrap-up and sign out against the real lab, asserting what the PBX reports."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from ctilab import QUEUES, Desk, Party, members
from labsim.labinfo import LabInfo

from cti import events as ev
from cti.ami.actions import PbxActions
from cti.ami.link import AmiLink, PbxAddress
from cti.ami.message import AmiMessage
from cti.errors import NotAllowedInState
from cti.state import WRAP_UP_REASON, Status

pytestmark = pytest.mark.lab
MEAL = "用餐 meal"


async def test_sign_in_work_state_and_sign_out(desks: Callable[..., Awaitable[Desk]], admin: PbxActions) -> None:
    d = await desks("1001")
    await d.session.sign_in("not_ready", reason=MEAL)
    mine = await members(admin, "1001")
    assert sorted(m.queue for m in mine) == sorted(QUEUES)
    assert all(m.paused and m.reason == MEAL and m.name == "Agent 1001" for m in mine)
    await d.session.go_ready()
    assert not any(m.paused for m in await members(admin, "1001"))
    await d.session.go_not_ready("培训 training")
    assert {m.reason for m in await members(admin, "1001")} == {"培训 training"}
    await d.session.sign_out()
    assert await members(admin, "1001") == []
    assert d.session.status == Status.SIGNED_OUT


async def test_a_queue_call_rings_is_answered_and_wraps_up(
    desks: Callable[..., Awaitable[Desk]], parties: Callable[..., Awaitable[Party]], admin: PbxActions
) -> None:
    d = await desks("1002", wrap_up_seconds=600.0)
    caller = await parties("1009")
    await d.session.sign_in("ready")
    await caller.dial("8003")  # the service queue
    await d.until(Status.RINGING)
    await d.session.answer()
    assert d.session.status == Status.TALKING
    corr = await d.rec.wait(ev.CallDidCorrelate)
    assert corr.queue == "service"
    assert corr.linkedid
    with pytest.raises(NotAllowedInState, match="sign out while a call is up"):
        await d.session.sign_out()
    with pytest.raises(NotAllowedInState, match="go ready during a call"):
        await d.session.go_ready()
    assert len(await members(admin, "1002")) == len(QUEUES), "the refused sign-out sent nothing"
    await d.session.mute(True)
    await d.session.dtmf("12#")
    await d.session.mute(False)
    await d.session.hold()
    await d.session.unhold()
    await d.session.hangup()
    assert d.session.status == Status.WRAP_UP
    await d.rec.wait(ev.AgentDidPause, lambda e: e.reason == WRAP_UP_REASON)
    assert all(m.paused and m.reason == WRAP_UP_REASON for m in await members(admin, "1002"))
    await d.session.extend_wrap_up(30)
    await d.session.finish_wrap_up()
    assert d.session.status == Status.READY
    assert not any(m.paused for m in await members(admin, "1002"))


async def test_hold_and_resume_back_to_back_are_each_confirmed_by_the_pbx(
    desks: Callable[..., Awaitable[Desk]], parties: Callable[..., Awaitable[Party]]
) -> None:
    """A hold or a resume pressed right after the other must reach the PBX as such.

    Asterisk answers every hold and resume offer with all the common codecs; pjsua then sent an UPDATE to lock one
    codec, and a re-INVITE sent while that UPDATE was in flight went out with the UPDATE's SDP (ours only in the
    ACK, which Asterisk ignores): the phone said "resumed" or "held", the PBX did not, and the desk waited 15 s for
    the Unhold or Hold event (about one run in four of the older test failed so). The desk's status follows the PBX's
    Hold/Unhold events, so each cycle checks what the PBX saw. Fails within a few runs with the codec lock on.
    """
    d = await desks("1002", queues=("complaints",))
    caller = await parties("1009")
    await d.session.sign_in("ready")
    await caller.dial("8004")
    await d.until(Status.RINGING)
    await d.session.answer()
    for _ in range(10):
        await d.session.hold()
        assert d.session.status == Status.HELD
        await d.session.unhold()
        assert d.session.status == Status.TALKING
    await d.session.hangup()


async def test_a_ringing_call_can_be_rejected_and_the_agent_returns_to_ready(
    desks: Callable[..., Awaitable[Desk]], parties: Callable[..., Awaitable[Party]], admin: PbxActions
) -> None:
    d = await desks("1002", queues=("complaints",))
    caller = await parties("1009")
    await d.session.sign_in("ready")
    await caller.dial("8004")
    await d.until(Status.RINGING)
    await d.session.hangup()  # reject
    await d.until(Status.READY)
    assert not any(m.paused for m in await members(admin, "1002"))


async def test_the_ami_link_works_over_tls(lab: LabInfo) -> None:
    link = AmiLink(addresses=[PbxAddress(lab.host, lab.ami_tls_port, tls=True, ca_file=str(lab.ca_cert))],
                   username="desk1001", secret=lab.ami_secret("desk1001"))
    link.start()
    try:
        await link.wait_up(30)
        reply = await link.send({"Action": "Ping"})
        assert isinstance(reply, AmiMessage)
        assert reply.ok
    finally:
        await link.stop()


async def test_a_hotline_call_reaches_the_desk_with_the_ivr_variables(
    desks: Callable[..., Awaitable[Desk]], parties: Callable[..., Awaitable[Party]]
) -> None:
    d = await desks("1002", queues=("complaints",))
    customer = await parties("pstn")
    await d.session.sign_in("ready")
    ref = await customer.dial("95500")
    await customer.rec.wait(ev.CallDidAnswer, lambda e: e.call_ref == ref)
    await asyncio.sleep(1.0)
    await customer.client.dtmf(ref, "4")  # complaints
    await asyncio.sleep(1.0)
    await customer.client.dtmf(ref, "880012345#")  # the policy number
    await d.until(Status.RINGING, within=45)
    await d.session.answer()
    corr = await d.rec.wait(ev.CallDidCorrelate)
    assert corr.queue == "complaints"
    assert corr.ivr_vars["CSD_POLICY"] == "880012345"
    assert corr.ivr_vars["CSD_MENU"] == "4"
    assert corr.linkedid
    await d.session.hangup()
