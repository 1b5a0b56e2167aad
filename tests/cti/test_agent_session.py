"""AgentSession against a programmable AMI fake (queue behaviour only) and a recording softphone.

The end-to-end behaviour against the real Asterisk lab is in tests/cti/lab/."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import pytest
from fake_ami import FakeAmi
from fake_pbx import QueuePbx, RecordingPhone

from cti import events as ev
from cti.ami.link import PbxAddress
from cti.bus import EventBus
from cti.errors import ActionFailed, InvalidReason, NotAllowedInState
from cti.session import AgentSession
from cti.session_config import DeskConfig
from cti.softphone import SipAccount
from cti.state import WRAP_UP_REASON, Status

QUEUES = ("claims-auto", "claims-life", "service", "complaints")
MEAL, MEETING, TRAINING = "用餐 meal", "会议 meeting", "培训 training"
WAIT = 20.0


class Desk:
    def __init__(self, ami: FakeAmi, pbx: QueuePbx) -> None:
        self.ami, self.pbx = ami, pbx
        self.bus = EventBus()
        self.events: list[ev.Event] = []
        self.bus.subscribe(ev.Event, self.events.append)
        self.phone = RecordingPhone(pbx)
        cfg = DeskConfig(agent_id="A1001", extension="1001", member_name="Agent 1001", queues=QUEUES,
                         pbx=(PbxAddress("127.0.0.1", ami.port),), ami_user="desk1001", ami_secret="s3cret",
                         sip=SipAccount(extension="1001", password="x", registrars=("127.0.0.1:15060",)),
                         wrap_up_seconds=600, heartbeat_seconds=0.5, action_timeout=2.0, confirm_timeout=5.0)
        self.session = AgentSession(config=cfg, bus=self.bus, softphone=self.phone)

    def asked(self) -> tuple[int, int]:
        """How many AMI actions and service calls the desk has sent so far."""
        return len(self.ami.received), len(self.phone.services())

    def sent(self, action: str) -> list[dict[str, str]]:
        return [a for a in self.ami.received if a.get("action", "").lower() == action.lower()]

    async def until(self, predicate: Callable[[], bool]) -> None:
        for _ in range(int(WAIT / 0.02)):
            if predicate():
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the condition did not hold in time")

    def kinds(self, kind: type[ev.Event]) -> list[ev.Event]:
        return [e for e in self.events if isinstance(e, kind)]


@pytest.fixture
async def desk() -> AsyncIterator[Desk]:
    ami = await FakeAmi().start()
    d = Desk(ami, QueuePbx(ami).install())
    yield d
    await d.session.close()
    await ami.close()
    for action in ("QueueAdd", "QueueRemove", "QueuePause"):  # its AMI user has no 'agent' write right
        assert d.sent(action) == [], f"the desk sent {action} on AMI"


def ring(d: Desk, uid: str = "1700000000.10", linkedid: str = "1700000000.1") -> None:
    chan = "PJSIP/1001-00000001"
    d.ami.emit({"Event": "Newchannel", "Channel": chan, "ChannelState": "0", "Uniqueid": uid, "Linkedid": linkedid})
    d.ami.emit({"Event": "AgentCalled", "Queue": "service", "Channel": "PJSIP/sim-00000001", "CallerIDNum": "13800000000",
                "DestChannel": chan, "DestUniqueid": uid, "DestLinkedid": linkedid,
                "ChanVariable": ["CSD_POLICY=P123", "CSD_MENU=3"]})


def answer(d: Desk, uid: str = "1700000000.10") -> None:
    d.ami.emit({"Event": "Newstate", "Channel": "PJSIP/1001-00000001", "ChannelState": "6", "Uniqueid": uid})


def hang_up(d: Desk, uid: str = "1700000000.10") -> None:
    d.ami.emit({"Event": "Hangup", "Channel": "PJSIP/1001-00000001", "Uniqueid": uid, "Cause-txt": "Normal Clearing"})


async def test_sign_in_registers_then_adds_every_queue_paused_then_goes_ready(desk: Desk) -> None:
    joins_at_register: list[int] = []
    real_register = desk.phone.register

    async def register(account: SipAccount) -> None:
        joins_at_register.append(len(desk.phone.services()))
        await real_register(account)

    desk.phone.register = register  # type: ignore[method-assign]
    await desk.session.sign_in("ready")
    assert joins_at_register == [0], "the softphone registers before any queue membership"
    assert desk.phone.services("9601") == [{"X-CSD-Queues": "&".join(QUEUES), "X-CSD-Member": "Agent 1001",
                                            "X-CSD-Reason": "signing in"}]
    assert [(q, iface) for q, iface in desk.pbx.members] == [(q, "PJSIP/1001") for q in QUEUES]
    assert all(m.name == "Agent 1001" for m in desk.pbx.members.values())
    assert [op for op, args in desk.phone.calls if op == "service_call"] == ["service_call"] * 2
    assert desk.phone.calls[-1] == ("service_call", ("9604", {}))  # then ready: unpaused everywhere
    assert desk.session.status == Status.READY
    assert all(not m.paused for m in desk.pbx.members.values())
    changes = desk.kinds(ev.AgentDidChangeState)
    assert [(c.old, c.new) for c in changes] == [("signed_out", "signing_in"), ("signing_in", "ready")]  # type: ignore[attr-defined]
    assert all(c.cause for c in changes)  # type: ignore[attr-defined]


async def test_sign_in_not_ready_keeps_the_reason_on_the_pbx(desk: Desk) -> None:
    await desk.session.sign_in("not_ready", reason=MEAL)
    assert desk.session.state.reason == MEAL
    assert {m.reason for m in desk.pbx.members.values()} == {MEAL}
    assert all(m.paused for m in desk.pbx.members.values())


async def test_an_unknown_reason_is_refused_before_anything_is_sent(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    before = desk.asked()
    with pytest.raises(InvalidReason):
        await desk.session.go_not_ready("nap")
    assert desk.asked() == before


async def test_a_call_goes_through_talking_wrap_up_and_back_to_ready(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    ring(desk)
    await desk.until(lambda: desk.session.status == Status.RINGING)
    answer(desk)
    await desk.until(lambda: desk.session.status == Status.TALKING)
    (corr,) = desk.kinds(ev.CallDidCorrelate)
    assert corr.queue == "service"  # type: ignore[attr-defined]
    assert corr.ivr_vars["CSD_POLICY"] == "P123"  # type: ignore[attr-defined]
    assert corr.linkedid == "1700000000.1"  # type: ignore[attr-defined]
    before = desk.asked()
    with pytest.raises(NotAllowedInState, match="go ready during a call"):
        await desk.session.go_ready()
    with pytest.raises(NotAllowedInState, match="sign out while a call is up"):
        await desk.session.sign_out()
    with pytest.raises(NotAllowedInState):
        await desk.session.extend_wrap_up(10)
    assert desk.asked() == before, "refused commands send nothing"
    hang_up(desk)
    await desk.until(lambda: desk.session.status == Status.WRAP_UP)
    await desk.until(lambda: all(m.reason == WRAP_UP_REASON for m in desk.pbx.members.values()))
    await desk.session.finish_wrap_up()
    assert desk.session.status == Status.READY
    assert all(not m.paused for m in desk.pbx.members.values())


async def test_pause_after_call_lands_in_not_ready(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    ring(desk)
    answer(desk)
    await desk.until(lambda: desk.session.status == Status.TALKING)
    await desk.session.pause_after_call(MEAL)
    hang_up(desk)
    await desk.until(lambda: desk.session.status == Status.WRAP_UP)
    await desk.session.finish_wrap_up()
    assert (desk.session.status, desk.session.state.reason) == (Status.NOT_READY, MEAL)
    assert {m.reason for m in desk.pbx.members.values()} == {MEAL}


async def test_a_pause_made_by_someone_else_is_followed(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    desk.pbx._pause({"interface": "PJSIP/1001", "paused": "true", "reason": TRAINING})
    await desk.until(lambda: desk.session.status == Status.NOT_READY)
    assert desk.session.state.reason == TRAINING


async def test_after_a_reconnect_the_pbx_wins(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    desk.ami.frozen = True
    await desk.until(lambda: desk.session.status == Status.DEGRADED)
    assert desk.kinds(ev.LinkDidDrop)
    for m in desk.pbx.members.values():  # meanwhile the PBX was told otherwise
        m.paused, m.reason = True, MEETING
    desk.ami.drop()
    desk.ami.frozen = False
    await desk.until(lambda: desk.session.status == Status.NOT_READY)
    assert desk.session.state.reason == MEETING
    resyncs = desk.kinds(ev.StateDidResync)
    assert any("meeting" in " ".join(r.changes) for r in resyncs)  # type: ignore[attr-defined]


async def test_after_a_pbx_restart_that_lost_the_members_the_desk_is_not_stuck_paused(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    desk.pbx.members.clear()  # a restart without persistent members
    desk.ami.drop()
    await desk.until(lambda: len(desk.pbx.members) == len(QUEUES) and all(
        not m.paused for m in desk.pbx.members.values()))
    await desk.until(lambda: desk.session.status == Status.READY)
    assert desk.session.link.connects >= 2


async def test_sign_out_leaves_every_queue_and_unregisters(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    await desk.session.sign_out()
    assert desk.pbx.members == {}
    assert desk.phone.calls[-1][0] == "unregister"
    assert desk.session.status == Status.SIGNED_OUT


async def test_a_survey_score_is_tied_to_this_desks_call(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    ring(desk, linkedid="1700000000.77")
    answer(desk)
    await desk.until(lambda: desk.session.status == Status.TALKING)
    desk.ami.emit({"Event": "UserEvent", "UserEvent": "CsdSurvey", "Linkedid": "1700000000.99", "Score": "1"})
    desk.ami.emit({"Event": "UserEvent", "UserEvent": "CsdSurvey", "Linkedid": "1700000000.77", "Score": "4"})
    await desk.until(lambda: bool(desk.kinds(ev.SurveyDidScore)))
    assert [(s.linkedid, s.score) for s in desk.kinds(ev.SurveyDidScore)] == [("1700000000.77", 4)]  # type: ignore[attr-defined]


async def test_going_ready_right_after_a_call_never_leaves_the_agent_paused(desk: Desk) -> None:
    """The wrap-up pause runs in the background; a CSR who goes ready at that very moment must end unpaused."""
    await desk.session.sign_in("ready")
    clicked: list[asyncio.Task[None]] = []

    def click_ready_at_once(e: ev.AgentDidChangeState) -> None:
        if e.new == "wrap_up" and not clicked:  # runs before the session queues its own wrap-up pause
            clicked.append(asyncio.ensure_future(desk.session.go_ready()))

    desk.bus.subscribe(ev.AgentDidChangeState, click_ready_at_once)
    ring(desk)
    answer(desk)
    await desk.until(lambda: desk.session.status == Status.TALKING)
    hang_up(desk)
    await desk.until(lambda: bool(clicked) and clicked[0].done())
    await desk.until(lambda: not desk.session._tasks)  # every background effect has run
    await asyncio.sleep(0.3)  # and every echo from the PBX has arrived
    assert desk.session.status == Status.READY
    assert all(not m.paused for m in desk.pbx.members.values()), "the PBX must not keep the agent paused"


async def test_removed_from_every_queue_by_a_lead_signs_the_desk_out(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    for q in QUEUES:
        desk.pbx._remove({"queue": q, "interface": "PJSIP/1001"})
    await desk.until(lambda: desk.session.status == Status.SIGNED_OUT)
    await desk.until(lambda: desk.phone.registered is None)


async def test_a_pbx_shutdown_event_drops_the_link_and_degrades(desk: Desk) -> None:
    await desk.session.sign_in("not_ready", reason=MEAL)
    desk.ami.emit({"Event": "Shutdown", "Shutdown": "Cleanly", "Restart": "True"})
    drop = None
    await desk.until(lambda: bool(desk.kinds(ev.LinkDidDrop)))
    drop = desk.kinds(ev.LinkDidDrop)[0]
    assert "shutting down" in drop.reason  # type: ignore[attr-defined]
    await desk.until(lambda: desk.session.status == Status.NOT_READY and desk.session.link.connects >= 2)


async def test_a_call_that_survives_a_link_outage_can_still_be_hung_up(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    ring(desk)
    desk.bus.publish(ev.CallDidOffer(call_ref="r1", caller_id="13800000000"))  # what the softphone reports
    answer(desk)
    await desk.until(lambda: desk.session.status == Status.TALKING)
    desk.pbx.channels = [{"Channel": "PJSIP/1001-00000001", "ChannelState": "6", "Uniqueid": "1700000000.10",
                          "Linkedid": "1700000000.1"}]
    desk.ami.frozen = True
    await desk.until(lambda: desk.session.status == Status.DEGRADED)
    desk.ami.drop()
    desk.ami.frozen = False
    await desk.until(lambda: desk.session.status == Status.TALKING)
    ending = asyncio.ensure_future(desk.session.hangup())
    await desk.until(lambda: ("hangup", ("r1",)) in desk.phone.calls)
    hang_up(desk)
    await ending
    assert desk.session.status == Status.WRAP_UP


async def test_a_late_echo_of_the_sign_in_pause_does_not_pass_for_a_change_at_the_pbx(desk: Desk) -> None:
    """A desk restarted after it was killed in wrap-up signs in not ready with the reason the PBX kept
    (wrap-up). The PBX's events for the sign-in pause ("signing in") may arrive after the desk has sent the
    next pause; they are the echo of that earlier request, not a pause made at the PBX."""
    pause, emit = desk.pbx._pause, desk.ami.emit
    loop = asyncio.get_running_loop()

    def answer_first_events_later(action: dict[str, str]) -> list[dict[str, str]]:
        held: list[dict[str, Any]] = []
        desk.ami.emit = held.append  # type: ignore[method-assign]
        try:
            reply = pause(action)
        finally:
            desk.ami.emit = emit  # type: ignore[method-assign]
        loop.call_later(0.05, lambda: [emit(e) for e in held])
        return reply

    desk.ami.handlers["queuepause"] = answer_first_events_later
    await desk.session.sign_in("not_ready", reason=WRAP_UP_REASON)
    await asyncio.sleep(0.3)  # every held event has arrived
    assert {m.reason for m in desk.pbx.members.values()} == {WRAP_UP_REASON}
    assert (desk.session.status, desk.session.state.reason) == (Status.NOT_READY, WRAP_UP_REASON)


async def test_a_resync_after_a_partial_loss_rejoins_only_the_lost_queues_and_matches_the_pbx(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    del desk.pbx.members[("complaints", "PJSIP/1001")]  # lost at the PBX, without an event
    del desk.pbx.members[("service", "PJSIP/1001")]
    joins = len(desk.phone.services("9601"))
    desk.ami.drop()
    await desk.until(lambda: len(desk.pbx.members) == len(QUEUES) and all(
        not m.paused for m in desk.pbx.members.values()))
    assert desk.phone.services("9601")[joins:][0]["X-CSD-Queues"] == "service&complaints"
    await desk.until(lambda: desk.session.status == Status.READY)


async def test_a_refused_service_call_is_a_readable_pbx_refusal(desk: Desk) -> None:
    await desk.session.sign_in("ready")
    desk.pbx.members.clear()  # gone at the PBX: the pause feature answers 404 "not a member"
    with pytest.raises(ActionFailed, match="SIP 404"):
        await desk.session.go_not_ready(MEAL)


# --- a desk restarted in wrap-up (it was killed: the PBX kept the agent paused for wrap-up) ---------------------


def left_in_wrap_up(d: Desk, ago: float, queues: tuple[str, ...] = QUEUES) -> None:
    """Leave the agent on the PBX as a desk killed in wrap-up does: paused for wrap-up since ``ago`` seconds."""
    from fake_pbx import Member

    for q in queues:
        d.pbx.members[(q, "PJSIP/1001")] = Member(paused=True, reason=WRAP_UP_REASON, name="Agent 1001",
                                                  last_pause=int(time.time() - ago))


async def test_a_desk_restarted_in_wrap_up_takes_up_the_same_wrap_up_clock(desk: Desk) -> None:
    assert await desk.session.left_on_pbx() is None, "nothing kept: a normal sign-in"
    left_in_wrap_up(desk, ago=12)
    stamps = {k: m.last_pause for k, m in desk.pbx.members.items()}
    left = await desk.session.left_on_pbx()
    assert left is not None
    assert left.wrap_up
    assert sorted(left.queues) == sorted(QUEUES)
    assert left.paused_since is not None
    assert 11.0 <= desk.session.clock() - left.paused_since <= 13.0
    await desk.session.sign_in("wrap_up", wrap_up_since=left.paused_since)
    st = desk.session.state
    assert (st.status, st.reason) == (Status.WRAP_UP, WRAP_UP_REASON)
    assert st.wrap_up_until is not None
    assert 600 - 13.5 <= st.wrap_up_until - desk.session.clock() <= 600 - 11.0, "the time it had left, not 600 s"
    assert desk.phone.services("9601") == [], "every queue was kept as the PBX had it"
    assert desk.phone.services("9603") == [], "not paused again: the PBX's pause time (LastPause) stands"
    assert {k: m.last_pause for k, m in desk.pbx.members.items()} == stamps
    assert all(m.paused and m.reason == WRAP_UP_REASON for m in desk.pbx.members.values())
    (resumed,) = desk.kinds(ev.WrapUpDidResume)
    assert isinstance(resumed, ev.WrapUpDidResume)
    assert (resumed.ran_out, resumed.then) == (False, "wrap_up")
    assert 600 - 13.5 <= resumed.seconds_left <= 600 - 11.0
    assert desk.session.resumed == resumed
    await asyncio.sleep(0.2)  # no late echo of anything makes it a pause at the PBX
    assert desk.session.status == Status.WRAP_UP


async def test_a_resumed_wrap_up_rejoins_only_what_the_pbx_lost_and_ends_on_the_old_clock(desk: Desk) -> None:
    left_in_wrap_up(desk, ago=599, queues=QUEUES[:3])  # 600 s wrap-up: about a second left
    left = await desk.session.left_on_pbx()
    assert left is not None
    await desk.session.sign_in("wrap_up", wrap_up_since=left.paused_since)
    assert desk.session.status == Status.WRAP_UP
    assert [h["X-CSD-Queues"] for h in desk.phone.services("9601")] == [QUEUES[3]]
    assert desk.phone.services("9601")[0]["X-CSD-Reason"] == WRAP_UP_REASON
    await desk.until(lambda: desk.session.status == Status.READY)  # the old clock's end, not 600 s from now
    await desk.until(lambda: all(not m.paused for m in desk.pbx.members.values()))


@pytest.mark.parametrize(("after", "then", "reason"), [("ready", Status.READY, None),
                                                        ("not_ready", Status.NOT_READY, MEETING)])
async def test_a_wrap_up_that_ran_out_while_the_desk_was_down_ends_by_policy_and_says_so(
    desk: Desk, after: str, then: Status, reason: str | None
) -> None:
    session = desk.session
    desk.session = AgentSession(config=replace(session.config, after_wrap_up=after, after_wrap_up_reason=MEETING),
                                bus=desk.bus, softphone=desk.phone)
    await session.close()
    left_in_wrap_up(desk, ago=700)  # 600 s wrap-up
    left = await desk.session.left_on_pbx()
    assert left is not None
    await desk.session.sign_in("wrap_up", wrap_up_since=left.paused_since)
    assert (desk.session.status, desk.session.state.reason) == (then, reason)
    assert all(m.paused == (reason is not None) and (m.reason == reason or not m.paused)
               for m in desk.pbx.members.values())
    (resumed,) = desk.kinds(ev.WrapUpDidResume)
    assert isinstance(resumed, ev.WrapUpDidResume)
    assert (resumed.ran_out, resumed.then, resumed.reason, resumed.seconds_left) == (True, then.value, reason, 0.0)


async def test_hold_waits_for_the_softphone_to_confirm_a_call_the_pbx_already_reports_answered(desk: Desk) -> None:
    """AMI can say "Up" before the 200 OK reaches the engine, which refuses hold on a call it has not confirmed. The
    session waits for the softphone's answer (CallDidAnswer) before sending hold, instead of failing the click."""
    await desk.session.sign_in("ready")
    ring(desk)
    desk.bus.publish(ev.CallDidOffer(call_ref="r1", caller_id="13800000000", direction="inbound"))
    answer(desk)  # the PBX's view first
    await desk.until(lambda: desk.session.status == Status.TALKING)
    holding = asyncio.ensure_future(desk.session.hold())
    await asyncio.sleep(0.2)
    assert ("hold", ("r1",)) not in desk.phone.calls  # not sent to a call the softphone has not confirmed
    desk.bus.publish(ev.CallDidAnswer(call_ref="r1"))  # the softphone's confirmation, a moment later
    await desk.until(lambda: ("hold", ("r1",)) in desk.phone.calls)
    desk.ami.emit({"Event": "Hold", "Channel": "PJSIP/1001-00000001", "Uniqueid": "1700000000.10"})
    await holding
    assert desk.session.status == Status.HELD
