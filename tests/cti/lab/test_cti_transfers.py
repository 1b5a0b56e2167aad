"""Transfers, consult, conference, survey, recording mute and outbound against the real lab."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from ctilab import Desk, Party, bridged_together, channels_of, eventually, talking

from cti import events as ev
from cti.ami.actions import PbxActions
from cti.errors import TransferFailed
from cti.state import Status

pytestmark = pytest.mark.lab
MakeDesk = Callable[..., Awaitable[Desk]]
MakeParty = Callable[..., Awaitable[Party]]


async def test_blind_transfer_frees_the_agent_and_bridges_caller_with_target(
        desks: MakeDesk, parties: MakeParty, admin: PbxActions) -> None:
    target = await parties("1003")
    d, _caller = await talking(desks, parties, admin)
    answering = asyncio.ensure_future(target.answer_next())
    await d.session.blind_transfer("1003")
    await answering
    assert d.session.status == Status.WRAP_UP
    await eventually(lambda: bridged_together(admin, "1009", "1003"), "the caller bridged with 1003")
    assert await channels_of(admin, "1002") == [], "the agent has no channel left"
    assert d.rec.of(ev.TransferDidComplete)[-1].kind == "blind"


async def test_transfer_to_an_unregistered_target_fails_and_the_call_survives(
        desks: MakeDesk, parties: MakeParty, admin: PbxActions) -> None:
    d, _caller = await talking(desks, parties, admin)
    with pytest.raises(TransferFailed, match="not registered"):
        await d.session.blind_transfer("1005")
    with pytest.raises(TransferFailed, match="not registered"):
        await d.session.consult("1005")
    assert d.session.status == Status.TALKING
    assert await bridged_together(admin, "1002", "1009"), "the caller is still talking with the agent"


async def test_transfer_to_a_busy_target_fails_and_the_call_survives(
        desks: MakeDesk, parties: MakeParty, admin: PbxActions) -> None:
    busy = await parties("1004")
    await busy.dial("9196")  # the echo test keeps 1004 in use
    await eventually(lambda: _in_use(admin, "1004"), "1004 on a call")
    d, _caller = await talking(desks, parties, admin, consult_timeout=8.0)
    with pytest.raises(TransferFailed, match=r"on a call|did not answer"):
        await d.session.consult("1004")
    assert d.session.status == Status.TALKING
    assert await bridged_together(admin, "1002", "1009")


async def _in_use(admin: PbxActions, ext: str) -> bool:
    return bool(await channels_of(admin, ext))


async def test_consult_then_complete_bridges_caller_with_target_and_frees_the_agent(
        desks: MakeDesk, parties: MakeParty, admin: PbxActions) -> None:
    target = await parties("1003")
    d, _caller = await talking(desks, parties, admin)
    answering = asyncio.ensure_future(target.answer_next())
    await d.session.consult("1003")
    await answering
    assert d.session.status == Status.CONSULTING
    await d.session.swap()
    await d.session.swap()
    await d.session.complete_transfer()
    assert d.session.status == Status.WRAP_UP
    await eventually(lambda: bridged_together(admin, "1009", "1003"), "the caller bridged with 1003")
    await eventually(lambda: _no_channels(admin, "1002"), "the agent free")


async def _no_channels(admin: PbxActions, ext: str) -> bool:
    return await channels_of(admin, ext) == []


async def test_consult_cancel_returns_to_the_caller(desks: MakeDesk, parties: MakeParty, admin: PbxActions) -> None:
    target = await parties("1003")
    d, _caller = await talking(desks, parties, admin)
    answering = asyncio.ensure_future(target.answer_next())
    await d.session.consult("1003")
    await answering
    await d.session.cancel_consult()
    assert d.session.status == Status.TALKING
    assert await bridged_together(admin, "1002", "1009")
    await eventually(lambda: _no_channels(admin, "1003"), "the consult leg gone")


async def test_three_way_conference_and_dropping_a_party(
        desks: MakeDesk, parties: MakeParty, admin: PbxActions) -> None:
    target = await parties("1003")
    d, _caller = await talking(desks, parties, admin)
    answering = asyncio.ensure_future(target.answer_next())
    await d.session.consult("1003")
    await answering
    await d.session.conference()
    assert d.session.status == Status.CONFERENCING
    room = d.session.config.conference_room
    in_room = await admin.confbridge_list(room)
    assert sorted(c.split("-")[0] for c in in_room) == ["PJSIP/1002", "PJSIP/1003", "PJSIP/1009"]
    await d.session.drop_party("consulted")
    assert d.session.status == Status.TALKING
    await eventually(lambda: _room_size(admin, room, 2), "two left in the conference")


async def _room_size(admin: PbxActions, room: str, n: int) -> bool:
    return len(await admin.confbridge_list(room)) == n


async def test_survey_score_arrives_tied_to_the_call(desks: MakeDesk, parties: MakeParty, admin: PbxActions) -> None:
    d, caller = await talking(desks, parties, admin)
    corr = await d.rec.wait(ev.CallDidCorrelate)
    await d.session.transfer_to_survey()
    assert d.session.status == Status.WRAP_UP
    await asyncio.sleep(1.5)  # let the survey prompt start; Read takes the digit during the prompt too
    await caller.client.dtmf(caller.refs[-1], "4")
    score = await d.rec.wait(ev.SurveyDidScore)
    assert (score.linkedid, score.score) == (corr.linkedid, 4)


async def test_recording_mute_unmutes_by_itself_after_the_bound(desks: MakeDesk, parties: MakeParty,
                                                                admin: PbxActions) -> None:
    d, _caller = await talking(desks, parties, admin, recording_mute_max_seconds=1.0)
    bound = await d.session.mute_recording()
    assert bound == 1.0
    muted = await d.rec.wait(ev.RecordingDidMute)
    unmuted = await d.rec.wait(ev.RecordingDidUnmute)
    assert unmuted.automatic
    assert unmuted.linkedid == muted.linkedid


async def test_an_unanswered_outbound_call_rings_under_the_pbxs_linkedid(desks: MakeDesk, parties: MakeParty,
                                                                        admin: PbxActions) -> None:
    """The far end rings and nobody answers: the desk still learns the call's linkedid while it rings (the
    outbound result "no answer" is an attempt on that call), the PBX's own id for both legs; the CSR gives up and
    the desk goes back to not ready with no answered-call correlation."""
    sim = await parties("pstn")
    d = await desks("1002")
    await d.session.sign_in("not_ready", reason="事务处理 back-office")
    ref = await d.session.dial("13800138003")
    await sim.rec.wait(ev.CallDidOffer)  # ringing at the far end, not answered
    ring = await d.rec.wait(ev.OutboundDidRing)
    assert (ring.call_ref, ring.dialed) == (ref, "13800138003")
    legs = await channels_of(admin, "1002") + await channels_of(admin, "pstn")
    assert len(legs) == 2, legs
    assert {c.linkedid for c in legs} == {ring.linkedid}
    await d.session.hangup()
    await d.until(Status.NOT_READY)
    assert not d.rec.of(ev.CallDidCorrelate)


async def test_outbound_call_presents_the_centres_number(desks: MakeDesk, parties: MakeParty,
                                                         admin: PbxActions) -> None:
    sim = await parties("pstn")
    d = await desks("1002")
    await d.session.sign_in("not_ready", reason="事务处理 back-office")
    answering = asyncio.ensure_future(sim.answer_next())
    await d.session.dial("13800138002")
    offer = await answering
    assert offer.caller_id == "95500"
    await d.until(Status.TALKING)
    corr = await d.rec.wait(ev.CallDidCorrelate)  # what the desk records the call by, and the forms attach
    assert (corr.outbound, corr.dialed) == (True, "13800138002")
    assert corr.linkedid
    assert corr.linkedid in d.session.linkedids
    await eventually(lambda: bridged_together(admin, "1002", "pstn"), "the agent bridged with the network")
    await d.session.hangup()
    assert d.session.status == Status.WRAP_UP
