"""The agent session's side of the PBX link: what a stopped desk left on the PBX, link up/down, failover
re-registration, resync (the PBX wins), and the AMI events about this agent's membership, pause and survey scores."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from cti import events as ev
from cti.ami.actions import member_of
from cti.ami.link import PbxAddress
from cti.ami.message import AmiMessage
from cti.errors import CtiError, LinkDown
from cti.membership import MemberService
from cti.session_transfers import TransferCommands
from cti.softphone import SoftphoneError
from cti.state import (
    SIGNED_IN,
    WRAP_UP_REASON,
    AgentState,
    LinkLost,
    MembersLost,
    PbxPaused,
    PbxUnpaused,
    PbxView,
    Resynced,
    Status,
    lead_of,
)

if TYPE_CHECKING:
    from cti.state import Effect

log = logging.getLogger("cti.session")
LEG_EVENTS = frozenset({"Newchannel", "Newstate", "Hangup", "Hold", "Unhold", "DialBegin", "AgentCalled",
                        "BridgeEnter", "BridgeLeave", "ConfbridgeJoin", "ConfbridgeLeave"})


@dataclass(frozen=True, slots=True)
class LeftOnPbx:
    """What the PBX still has for this agent before the desk signs in: a desk stopped without signing out
    (killed, crashed, power lost) leaves the agent in its queues, perhaps paused."""

    queues: tuple[str, ...]
    paused: bool
    reason: str | None
    paused_since: float | None  # when the PBX paused the agent with ``reason``, on the session's clock

    @property
    def wrap_up(self) -> bool:
        return self.paused and self.reason == WRAP_UP_REASON


class PbxSync(TransferCommands):
    """Mixed into AgentSession: keep the desk and the PBX in agreement."""

    _state: AgentState
    _intent: tuple[bool, str | None] | None
    _superseded: tuple[bool, str | None] | None
    _members: set[str]
    _resync_running: bool
    _resync_again: bool
    _last_address: PbxAddress | None
    history: deque[ev.AgentDidChangeState]
    wall_clock: Callable[[], float]
    resyncs: int
    ami_listeners: list[Callable[[AmiMessage], None]]
    members: MemberService

    if TYPE_CHECKING:
        async def _do(self, effects: list[Effect]) -> None: ...

    # --- what a stopped desk left -------------------------------------------------------------------------------

    async def left_on_pbx(self) -> LeftOnPbx | None:
        """Read (QueueStatus) what the PBX kept for this agent, before signing in; None when it has no membership
        of the agent (a normal sign-in). Starts the AMI link.

        A kept wrap-up is timed from the PBX's ``LastPause`` (Asterisk 22 sends it with each QueueMember: epoch
        seconds, whole): the desk pauses the agent with reason wrap-up when the call ends (queues have
        wrapuptime=0), so that is when the wrap-up began. It is the PBX's word, confirmed by the pause that still
        stands, and it survives whatever happened to the desk (kill -9 before the desk's own state span was
        written, a lost disk, the CSR moving to another desk), which the desk's records do not. Signing in keeps
        that pause as it is (AddMembers keep_paused), so a second restart reads the same start. Limits: the
        desk's wall clock turns LastPause into an age (desks and PBX keep NTP time; a LastPause ahead of the
        desk's clock counts as now). The PBX does not keep the CSR's extensions of the wrap-up; the desk reads them
        back from the audit trail (app.desk)."""
        cfg = self.config
        self.link.start()
        await self.link.wait_up(max(20.0, 3 * cfg.action_timeout))
        snap = await self.pbx.queue_status(member=cfg.interface)
        mine = [m for m in snap.members if m.interface == cfg.interface and m.queue in cfg.queues]
        if not mine:
            return None
        paused = [m for m in mine if m.paused]
        reason = (paused[0].reason or None) if paused else None
        stamps = [m.last_pause for m in paused if (m.reason or None) == reason and m.last_pause > 0]
        since = None
        if stamps:  # the earliest: a queue re-joined later was paused again then; +0.5: the middle of its second
            since = self.clock() - max(0.0, self.wall_clock() - (min(stamps) + 0.5))
        return LeftOnPbx(queues=tuple(m.queue for m in mine), paused=bool(paused), reason=reason, paused_since=since)

    async def _paused_with(self, reason: str) -> set[str]:
        """The queues where the PBX has this agent paused with ``reason`` now."""
        iface = self.config.interface
        snap = await self.pbx.queue_status(member=iface)
        return {m.queue for m in snap.members if m.interface == iface and m.paused and m.reason == reason}

    # --- the link -------------------------------------------------------------------------------------------------

    def _on_up(self, address: PbxAddress) -> None:
        self.bus.publish(ev.LinkDidConnect(address=str(address)))
        if self._last_address is not None and address != self._last_address:
            self.bus.publish(ev.LinkDidFailover(from_address=str(self._last_address), to_address=str(address)))
            self._spawn(self._reregister(address))
        self._last_address = address
        self._schedule_resync()

    def _on_down(self, address: PbxAddress, reason: str) -> None:
        self.bus.publish(ev.LinkDidDrop(address=str(address), reason=reason))
        self._members.clear()
        self._feed(LinkLost(at=self.clock(), why=reason))

    async def _reregister(self, address: PbxAddress) -> None:
        """After a failover the softphone registers with the PBX that now serves the desk (its registrars
        first), rather than waiting for its own registration to time out at the dead one."""
        if self.status in SIGNED_IN or self.status == Status.DEGRADED:
            regs = self.config.sip.registrars
            first = tuple(r for r in regs if r.rsplit(":", 1)[0] == address.host)
            account = replace(self.config.sip, registrars=first + tuple(r for r in regs if r not in first))
            with contextlib.suppress(SoftphoneError):
                await self.phone.register(account)

    def _schedule_resync(self) -> None:
        if self.status not in SIGNED_IN and self.status != Status.DEGRADED:
            return
        if self._resync_running:
            self._resync_again = True
            return
        self._spawn(self._resync_loop())

    async def _resync_loop(self) -> None:
        """Resync until it succeeds (a PBX that is still booting refuses some actions), then once more if
        another trigger arrived meanwhile."""
        self._resync_running = True
        failures = 0
        try:
            while True:
                self._resync_again = False
                async with self._lock:
                    try:
                        await self._resync()
                        failures = 0
                    except CtiError as e:
                        failures += 1
                        log.warning("resync failed (%d): %s", failures, type(e).__name__)
                if failures and self.link.up and failures < 30 and (
                        self.status in SIGNED_IN or self.status == Status.DEGRADED):
                    await asyncio.sleep(min(2.0 * failures, 10.0))
                    continue
                if not self._resync_again:
                    return
        finally:
            self._resync_running = False

    async def _resync(self) -> tuple[str, ...]:
        cfg = self.config
        if not self.link.up:
            raise LinkDown(self.link.last_error)
        snap = await self.pbx.queue_status(member=cfg.interface)
        mine = [m for m in snap.members if m.interface == cfg.interface and m.queue in cfg.queues]
        self._members = {m.queue for m in mine}
        self.legs.reset_from(await self.pbx.channels())
        live = self.legs.live
        call = None
        if live:
            main = live[0]
            call = Status.HELD if main.held else Status.TALKING if main.answered else Status.RINGING
        paused = [m for m in mine if m.paused]
        view = PbxView(member=bool(mine), paused=bool(paused), reason=paused[0].reason if paused else None, call=call)
        if mine:
            self._intent = (view.paused, view.reason)
        before = len(self.history)
        fx = self._apply(Resynced(at=self.clock(), view=view))
        self.resyncs += 1
        missing = [q for q in cfg.queues if q not in self._members]
        if mine and missing:  # partly lost: re-add the rest paused, then match the PBX's word
            await self.members.join(missing, member_name=cfg.member_name, reason=view.reason or "resync")
            self._members.update(missing)
            if not view.paused:  # the other queues are unpaused already: this unpauses the ones just re-added
                await self.members.unpause()
        await self._do(fx)
        return tuple(f"{h.old} -> {h.new}" for h in list(self.history)[before:])

    # --- AMI events -------------------------------------------------------------------------------------------------

    def _on_ami(self, m: AmiMessage) -> None:
        for listener in self.ami_listeners:
            listener(m)
        name = m.event
        if name == "FullyBooted":
            self._schedule_resync()
        elif name == "QueueMemberPause":
            self._on_member_pause(m)
        elif name in ("QueueMemberAdded", "QueueMemberRemoved"):
            self._on_membership(m)
        elif name == "UserEvent" and m.get("UserEvent") == "CsdSurvey":
            self._on_survey(m)
        elif name in LEG_EVENTS or name in ("AttendedTransfer", "BlindTransfer"):
            self._on_leg_event(m)

    def _on_member_pause(self, m: AmiMessage) -> None:
        mem = member_of(m)
        if mem.interface != self.config.interface or mem.queue not in self.config.queues:
            return
        said = (mem.paused, mem.reason or None) if mem.paused else (False, None)
        if self._intent is not None and said == self._intent:
            self._superseded = None  # the PBX has answered the latest request, so every earlier one too
            return  # the echo of the desk's own request
        if said == self._superseded:
            return  # the late echo of the request before the latest one (the PBX answers in order)
        self._intent = said
        if mem.paused:
            by = lead_of(mem.reason) or "pbx"  # a lead's forced pause names the lead in its reason
            self.bus.publish(ev.AgentDidPause(reason=mem.reason, by=by))
            self._feed(PbxPaused(at=self.clock(), reason=mem.reason or None, by=by))
        else:
            self.bus.publish(ev.AgentDidUnpause())
            self._feed(PbxUnpaused(at=self.clock()))

    def _on_membership(self, m: AmiMessage) -> None:
        mem = member_of(m)
        if mem.interface != self.config.interface or mem.queue not in self.config.queues:
            return
        if m.event == "QueueMemberAdded":
            self._members.add(mem.queue)
            return
        was = bool(self._members)
        self._members.discard(mem.queue)
        if was and not self._members and self.status in SIGNED_IN:
            self._feed(MembersLost(at=self.clock()))

    def _on_survey(self, m: AmiMessage) -> None:
        linkedid = m.get("Linkedid")
        if linkedid in self.linkedids:
            with contextlib.suppress(ValueError):
                self.bus.publish(ev.SurveyDidScore(linkedid=linkedid, score=int(m.get("Score"))))
