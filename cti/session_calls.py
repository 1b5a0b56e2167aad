"""Call commands of the agent session: through the softphone where SIP can do it, through AMI where only the
PBX can; each is checked by the state machine first and returns once the PBX confirms the new state."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from cti import events as ev
from cti.ami.actions import PbxActions
from cti.ami.link import AmiLink
from cti.ami.message import AmiMessage
from cti.bus import EventBus
from cti.errors import CommandFailed, CtiError, TransferFailed
from cti.session_config import DeskConfig
from cti.session_legs import Leg, LegTracker
from cti.softphone import Softphone, SoftphoneError
from cti.state import (
    IDLE,
    ON_CALL,
    CallAnswered,
    CallCommand,
    CallEnded,
    CallHeld,
    CallOffered,
    CallUnheld,
    ConferenceStarted,
    ConsultEnded,
    ConsultStarted,
    Effect,
    Input,
    PartyLeft,
    Status,
)

T = TypeVar("T")
TARGET = re.compile(r"[0-9]{3,15}")
DTMF = re.compile(r"[0-9*#A-Da-d]{1,32}")
BUSY_STATES = {"INUSE": "the target is on a call", "BUSY": "the target is busy", "RINGING": "the target is ringing",
               "ONHOLD": "the target is on a call", "RINGINUSE": "the target is on a call",
               "UNAVAILABLE": "the target is not registered"}


def readable_cause(cause: str) -> str:
    """Say why a call to a target failed, in a CSR's words."""
    c = cause.lower()
    if any(w in c for w in ("absent", "unavailable", "not found", "unallocated", "no route", "480", "404")):
        return "the target is not registered"
    if "busy" in c or "486" in c or "congest" in c:
        return "the target is on a call"
    if "no answer" in c or "no user responding" in c or "timeout" in c:
        return "the target did not answer"
    return cause


class CallCommands:
    """Mixed into AgentSession: the phone functions (S-8.2.1c) and their correlation with AMI."""

    config: DeskConfig
    bus: EventBus
    phone: Softphone
    pbx: PbxActions
    link: AmiLink
    legs: LegTracker
    clock: Callable[[], float]
    linkedids: deque[str]
    _lock: asyncio.Lock
    _changed: asyncio.Event

    if TYPE_CHECKING:
        @property
        def status(self) -> Status: ...
        def _apply(self, inp: Input) -> list[Effect]: ...
        def _feed(self, inp: Input) -> None: ...
        def _spawn(self, coro: object) -> None: ...
        async def until(self, predicate: Callable[[], bool], what: str, within: float | None = None) -> None: ...
        async def _cancel_consult(self) -> None: ...

    def _init_calls(self) -> None:
        self._main_ref: str | None = None
        self._main_uid: str | None = None
        self._consult_ref: str | None = None
        self._consult_target = ""
        self._consult_end: str | None = None
        self._consult_active = True
        self._moving = False
        self._conf_parties: dict[str, str] = {}
        self._unmute_timer: asyncio.TimerHandle | None = None
        self._ref_ended: dict[str, str] = {}
        self._ref_answered: set[str] = set()  # softphone calls the engine saw confirmed (200 OK + ACK)

    def _calls_idle(self) -> None:
        """Forget call bookkeeping once the agent has no call."""
        if self._moving:
            return
        self._main_ref = self._main_uid = self._consult_ref = None
        self._conf_parties.clear()
        if self._unmute_timer is not None:
            self._unmute_timer.cancel()
            self._unmute_timer = None

    # --- what the softphone reports ---------------------------------------------------------------------------

    def _on_phone_offer(self, e: ev.CallDidOffer) -> None:
        if e.direction == "inbound" and self._main_ref is None:
            self._main_ref = e.call_ref
            self._changed.set()

    def _on_phone_answer(self, e: ev.CallDidAnswer) -> None:
        self._ref_answered.add(e.call_ref)
        self._changed.set()

    def _on_phone_end(self, e: ev.CallDidEnd) -> None:
        self._ref_ended[e.call_ref] = e.cause or "ended"
        self._ref_answered.discard(e.call_ref)
        if e.call_ref == self._main_ref and self.status == Status.RINGING and not self.legs.live:
            self._main_ref = None
        self._changed.set()

    # --- what AMI reports about our channels ---------------------------------------------------------------------

    def _on_leg_event(self, m: AmiMessage) -> None:
        if m.event in ("AttendedTransfer", "BlindTransfer"):
            self._changed.set()
            return
        leg = self.legs.feed(m)
        if leg is None and m.event not in ("BridgeEnter", "BridgeLeave"):
            return
        self._reconcile()

    def _main_leg(self) -> Leg | None:
        live = self.legs.live
        if self._main_uid is not None:
            return next((leg for leg in live if leg.uniqueid == self._main_uid), live[0] if live else None)
        return live[0] if live else None

    def _consult_leg(self) -> Leg | None:
        main = self._main_leg()
        return next((leg for leg in self.legs.live if main is None or leg.uniqueid != main.uniqueid), None)

    def _reconcile(self) -> None:
        """Turn the legs' facts into machine inputs."""
        now = self.clock()
        live = self.legs.live
        ended = self.legs.drain_ended()
        s = self.status
        if s in IDLE and live and not self._moving:
            self._main_uid = live[0].uniqueid
            self._feed(CallOffered(at=now, outbound=live[0].outbound))
        main = self._main_leg()
        if main is not None and main.linkedid and main.linkedid not in self.linkedids:
            self.linkedids.append(main.linkedid)
        s = self.status
        if s == Status.RINGING and main is not None and main.answered:
            self._feed(CallAnswered(at=now))
            self.bus.publish(ev.CallDidCorrelate(
                call_ref=self._main_ref, channel=main.channel, uniqueid=main.uniqueid, linkedid=main.linkedid,
                queue=main.queue, caller_id=main.caller_id, outbound=main.outbound,
                dialed=(main.dialed or "") if main.outbound else "", ivr_vars=ev.frozen_vars(main.ivr_vars),
                ring_seconds=max(0.0, (main.answered_at or now) - main.started)))
        elif s in (Status.TALKING, Status.HELD) and len(live) >= 2 and not self._moving:
            self._consult_end = None
            self._feed(ConsultStarted(at=now))
        elif s == Status.CONSULTING and len(live) == 1 and not self._moving:
            if main is not None and main.uniqueid == self._main_uid:
                self._consult_end = ended[-1][1] if ended else "ended"
                self._feed(ConsultEnded(at=now))
            else:  # the customer left: the consult call becomes the call
                self._main_uid, self._main_ref, self._consult_ref = live[0].uniqueid, self._consult_ref, None
                self._feed(PartyLeft(at=now))
        elif s == Status.TALKING and main is not None and main.held:
            self._feed(CallHeld(at=now))
        elif s == Status.HELD and main is not None and not main.held and len(live) == 1:
            self._feed(CallUnheld(at=now))
        if self.status in (Status.CONSULTING, Status.TALKING) and self._moving and any(
                leg.in_conference for leg in live):
            self._moving = False
            self._feed(ConferenceStarted(at=now))
        if not live and self.status in ON_CALL and not self._moving:
            answered = any(leg.answered for leg, _ in ended) or self.status != Status.RINGING
            self._feed(CallEnded(at=now, answered=answered))
        self._changed.set()

    # --- helpers ----------------------------------------------------------------------------------------------------

    def _check(self, command: str) -> None:
        self._apply(CallCommand(at=self.clock(), command=command))

    async def _sip(self, coro: Awaitable[T]) -> T:
        try:
            return await coro
        except SoftphoneError as e:
            raise CommandFailed(str(e)) from e

    async def _ref(self) -> str:
        """The softphone's reference for the main call (waits briefly for the phone to report it)."""
        await self.until(lambda: self._main_ref is not None, "the call on the softphone")
        assert self._main_ref is not None
        return self._main_ref

    async def _answered_ref(self) -> str:
        """The main call's softphone reference once the softphone has the call confirmed too. AMI can report an
        outbound call answered before the 200 OK reaches the engine, which then refuses hold, mute or DTMF on it
        ("not answered yet"); the gap is milliseconds, so wait it out rather than fail the CSR's click."""
        ref = await self._ref()
        if ref not in self._ref_answered:
            await self.until(lambda: ref in self._ref_answered or ref in self._ref_ended, "the answer on the softphone")
        return ref

    def _need_main(self) -> Leg:
        leg = self._main_leg()
        if leg is None:
            raise CommandFailed("The PBX does not report this call (yet)")
        return leg

    async def _precheck(self, target: str, kind: str) -> None:
        """Refuse a transfer to an endpoint that is busy or not registered, before touching the call."""
        if not TARGET.fullmatch(target):
            raise TransferFailed(target, "not a valid extension, queue or phone number")
        if len(target) > 6:
            return  # an external number: the PBX cannot tell in advance
        state = await self.pbx.device_state(f"PJSIP/{target}")
        if state in BUSY_STATES:
            self.bus.publish(ev.TransferDidFail(kind=kind, target=target, reason=BUSY_STATES[state]))
            raise TransferFailed(target, BUSY_STATES[state])

    # --- answer, hang up, hold, mute, DTMF -------------------------------------------------------------------------------

    async def answer(self) -> None:
        async with self._lock:
            self._check("answer")
            await self._sip(self.phone.answer(await self._ref()))
            await self.until(lambda: self.status != Status.RINGING, "the answer")

    async def hangup(self) -> None:
        """Hang up: reject a ringing call, end a consult leg while consulting, otherwise end the call."""
        async with self._lock:
            self._check("hangup")
            if self.status == Status.CONSULTING:
                await self._cancel_consult()
                return
            ref = await self._ref()
            if self.status == Status.RINGING and not self._need_main().outbound:
                await self._sip(self.phone.reject(ref))
            else:
                await self._sip(self.phone.hangup(ref))
            await self.until(lambda: self.status not in ON_CALL, "the hang-up")

    async def hold(self) -> None:
        async with self._lock:
            self._check("hold")
            await self._sip(self.phone.hold(await self._answered_ref()))
            await self.until(lambda: self.status == Status.HELD, "the hold")

    async def unhold(self) -> None:
        async with self._lock:
            self._check("unhold")
            await self._sip(self.phone.unhold(await self._ref()))
            await self.until(lambda: self.status == Status.TALKING, "the resume")

    async def mute(self, on: bool) -> None:
        async with self._lock:
            self._check("mute")
            await self._sip(self.phone.mute(self._active_ref() or await self._answered_ref(), on))

    async def dtmf(self, digits: str) -> None:
        async with self._lock:
            self._check("dtmf")
            if not DTMF.fullmatch(digits):
                raise CommandFailed("DTMF digits are 0-9, *, # and A-D")
            await self._sip(self.phone.dtmf(self._active_ref() or await self._answered_ref(), digits))

    def _active_ref(self) -> str | None:
        if self.status == Status.CONSULTING and self._consult_active:
            return self._consult_ref
        return self._main_ref

    # --- outbound ------------------------------------------------------------------------------------------------

    async def dial(self, number: str) -> str:
        """Place an outbound call (the PBX presents the centre's caller ID); return the call_ref."""
        async with self._lock:
            self._check("dial")
            if not TARGET.fullmatch(number):
                raise CommandFailed("Dial an extension or a phone number (digits only)")
            ref = await self._sip(self.phone.dial(number))
            self._main_ref = ref
            await self.until(lambda: self.status in ON_CALL or ref in self._ref_ended, "the outbound call")
            if self.status not in ON_CALL:
                raise CommandFailed(f"The call to {number} failed: {self._ref_ended.get(ref, 'no answer')}")
            main = self._main_leg()
            if self.status == Status.RINGING and main is not None and main.outbound and main.linkedid:
                # Published here, where both the softphone's ref and the PBX channel are known (the channel's
                # Newchannel can arrive before phone.dial returns the ref). An answer adds CallDidCorrelate.
                self.bus.publish(ev.OutboundDidRing(call_ref=ref, linkedid=main.linkedid, dialed=number))
            return ref

    # --- recording -----------------------------------------------------------------------------------------------------

    async def mute_recording(self) -> float:
        """Mute the call recording (a card number is being read out); it unmutes by itself after the bound,
        which is returned in seconds."""
        async with self._lock:
            self._check("mute_recording")
            main = self._need_main()
            await self.pbx.mixmonitor_mute(channel=main.channel, on=True)
            bound = self.config.recording_mute_max_seconds
            if self._unmute_timer is not None:
                self._unmute_timer.cancel()
            self._unmute_timer = asyncio.get_running_loop().call_later(
                bound, lambda: self._spawn(self._unmute(main.channel, main.linkedid, automatic=True)))
            self.bus.publish(ev.RecordingDidMute(linkedid=main.linkedid, unmute_after=bound))
            return bound

    async def unmute_recording(self) -> None:
        async with self._lock:
            main = self._need_main()
            await self._unmute(main.channel, main.linkedid, automatic=False, locked=True)

    async def _unmute(self, channel: str, linkedid: str, *, automatic: bool, locked: bool = False) -> None:
        if self._unmute_timer is not None:
            self._unmute_timer.cancel()
            self._unmute_timer = None
        if not any(leg.channel == channel for leg in self.legs.live):
            return  # the call (and its recording) ended
        with contextlib.suppress(CtiError) if automatic else contextlib.nullcontext():
            await self.pbx.mixmonitor_mute(channel=channel, on=False)
            self.bus.publish(ev.RecordingDidUnmute(linkedid=linkedid, automatic=automatic))
