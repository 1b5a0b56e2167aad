"""The CSR's session with the PBX: sign in/out, work state, wrap-up, resync; call commands in session_calls.

Every command is checked by the pure state machine (cti.state) before anything is sent, runs under one lock,
and ends in a state the PBX has confirmed. AMI events and the softphone's events feed the machine; after
every (re)login and on FullyBooted the session resyncs from QueueStatus and the channel list (the PBX wins).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace

from cti import events as ev
from cti.ami.actions import PbxActions, member_of
from cti.ami.link import AmiLink, PbxAddress
from cti.ami.message import AmiMessage
from cti.bus import EventBus
from cti.errors import CommandFailed, CtiError, LinkDown
from cti.session_config import DeskConfig
from cti.session_legs import LegTracker
from cti.session_transfers import TransferCommands
from cti.softphone import Softphone, SoftphoneError
from cti.state import (
    IDLE,
    SIGNED_IN,
    AddMembers,
    AgentState,
    CancelWrapUpTimer,
    Effect,
    GoNotReady,
    GoReady,
    Input,
    LinkLost,
    MembersLost,
    Pause,
    PauseAfterCall,
    PbxPaused,
    PbxUnpaused,
    PbxView,
    Register,
    RemoveMembers,
    ReportResync,
    Resynced,
    SignedIn,
    SignedOut,
    SignIn,
    SignInFailed,
    SignOut,
    StartWrapUpTimer,
    Status,
    Unpause,
    Unregister,
    WrapUpElapsed,
    transition,
)
from cti.state import ExtendWrapUp as _Extend
from cti.state import FinishWrapUp as _Finish

log = logging.getLogger(__name__)
LEG_EVENTS = frozenset({"Newchannel", "Newstate", "Hangup", "Hold", "Unhold", "DialBegin", "AgentCalled",
                        "BridgeEnter", "BridgeLeave", "ConfbridgeJoin", "ConfbridgeLeave"})


class AgentSession(TransferCommands):
    """One CSR's link to the PBX; call from the asyncio loop (qasync in the UI process)."""

    def __init__(self, *, config: DeskConfig, bus: EventBus, softphone: Softphone,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.bus = bus
        self.phone = softphone
        self.policy = config.policy()
        self.clock = clock
        self.link = AmiLink(addresses=config.pbx, username=config.ami_user, secret=config.ami_secret,
                            on_event=self._on_ami, on_up=self._on_up, on_down=self._on_down,
                            action_timeout=config.action_timeout, heartbeat_seconds=config.heartbeat_seconds)
        self.pbx = PbxActions(self.link)
        self.legs = LegTracker(config.interface)
        self._state = AgentState(since=clock())
        self._lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self._wrap_timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._intent: tuple[bool, str | None] | None = None  # what the desk last asked of the PBX
        self._members: set[str] = set()
        self._resync_running = False
        self._resync_again = False
        self._last_address: PbxAddress | None = None
        self.linkedids: deque[str] = deque(maxlen=200)  # calls this desk handled (survey scores)
        self.history: deque[ev.AgentDidChangeState] = deque(maxlen=200)
        self.resyncs = 0
        self._init_calls()
        self._unsub = [bus.subscribe(ev.CallDidOffer, self._on_phone_offer),
                       bus.subscribe(ev.CallDidEnd, self._on_phone_end)]

    # --- what the UI reads ------------------------------------------------------------------------------

    @property
    def state(self) -> AgentState:
        return self._state

    @property
    def status(self) -> Status:
        return self._state.status

    # --- sign in / out ------------------------------------------------------------------------------------

    async def sign_in(self, initial: str = "ready", reason: str | None = None) -> None:
        """Register the softphone, join every queue already paused, then go to ``initial``."""
        async with self._lock:
            first = Status(initial)
            fx = self._apply(SignIn(at=self.clock(), initial=first, reason=reason))
            try:
                self.link.start()
                await self.link.wait_up(max(20.0, 3 * self.config.action_timeout))
                await self._do(fx)
                await self._do(self._apply(SignedIn(at=self.clock(), initial=first, reason=reason)))
            except (CtiError, SoftphoneError, OSError) as e:
                fx = self._apply(SignInFailed(at=self.clock(), why=str(e)))
                with contextlib.suppress(Exception):
                    await self._do(fx)
                await self.link.stop()
                raise _readable(e) from e

    async def sign_out(self) -> None:
        """Leave every queue and unregister; refused while a call is up."""
        async with self._lock:
            fx = self._apply(SignOut(at=self.clock()))
            try:
                await self._do(fx)
            finally:
                self._apply(SignedOut(at=self.clock()))
                await self.link.stop()

    async def close(self) -> None:
        """Stop everything without signing out (the app is quitting)."""
        for u in self._unsub:
            u()
        self._cancel_wrap_timer()
        for t in list(self._tasks):
            t.cancel()
        await self.link.stop()

    # --- work state -----------------------------------------------------------------------------------------

    async def go_ready(self) -> None:
        async with self._lock:
            await self._do(self._apply(GoReady(at=self.clock())))

    async def go_not_ready(self, reason: str) -> None:
        async with self._lock:
            await self._do(self._apply(GoNotReady(at=self.clock(), reason=reason)))

    async def pause_after_call(self, reason: str | None) -> None:
        """Go not ready with ``reason`` when this call (and its wrap-up) ends; None cancels."""
        async with self._lock:
            self._apply(PauseAfterCall(at=self.clock(), reason=reason))

    async def extend_wrap_up(self, seconds: float) -> None:
        async with self._lock:
            self._apply(_Extend(at=self.clock(), seconds=seconds))

    async def finish_wrap_up(self) -> None:
        async with self._lock:
            await self._do(self._apply(_Finish(at=self.clock())))

    async def resync(self) -> tuple[str, ...]:
        """Reconcile with the PBX now; return what it corrected."""
        async with self._lock:
            return await self._resync()

    # --- the machine -----------------------------------------------------------------------------------------

    def _apply(self, inp: Input) -> list[Effect]:
        """Run one input through the machine, publish the change, handle timers; return the I/O effects."""
        old = self._state
        t = transition(old, inp, self.policy)
        self._state = t.state
        if (t.state.status, t.state.reason) != (old.status, old.reason):
            change = ev.AgentDidChangeState(old=old.status.value, new=t.state.status.value, cause=t.cause,
                                            reason=t.state.reason)
            self.history.append(change)
            log.info("agent %s: %s -> %s (%s)", self.config.agent_id, old.status.value, t.state.status.value,
                     type(inp).__name__)
            self.bus.publish(change)
        io: list[Effect] = []
        for fx in t.effects:
            if isinstance(fx, StartWrapUpTimer):
                self._start_wrap_timer(fx.until)
            elif isinstance(fx, CancelWrapUpTimer):
                self._cancel_wrap_timer()
            elif isinstance(fx, ReportResync):
                self.bus.publish(ev.StateDidResync(changes=fx.changes))
            else:
                io.append(fx)
        if t.state.status in IDLE or t.state.status == Status.SIGNED_OUT:  # not DEGRADED: a call may survive
            self._calls_idle()
        self._changed.set()
        return io

    def _feed(self, inp: Input) -> None:
        """Apply an observation; its effects run in the background, in order, under the command lock."""
        try:
            io = self._apply(inp)
        except CtiError as e:  # an observation never raises; log and keep going
            log.warning("ignored %s: %s", type(inp).__name__, type(e).__name__)
            return
        if io:
            self._spawn(self._locked_do(io))

    async def _locked_do(self, effects: list[Effect]) -> None:
        """Run effects that an observation caused. By the time the lock is free the CSR may have acted, so a
        pause or unpause is re-derived from the state *now* rather than replayed (never a stale pause)."""
        async with self._lock:
            try:
                for fx in effects:
                    if isinstance(fx, Pause | Unpause):
                        await self._sync_pause()
                    elif self.status in SIGNED_IN or isinstance(fx, Unregister | RemoveMembers):
                        await self._do([fx])
            except CtiError as e:
                log.warning("background effect failed: %s", type(e).__name__)

    async def _sync_pause(self) -> None:
        """Make the PBX's pause match the current idle state."""
        st = self._state
        if st.status == Status.READY:
            await self._do([Unpause()])
        elif st.status in (Status.NOT_READY, Status.WRAP_UP):
            await self._do([Pause(st.reason or "paused")])

    async def _do(self, effects: Iterable[Effect]) -> None:
        cfg = self.config
        for fx in effects:
            if isinstance(fx, Register):
                await self.phone.register(cfg.sip)
            elif isinstance(fx, Unregister):
                with contextlib.suppress(SoftphoneError):
                    await self.phone.unregister()
            elif isinstance(fx, AddMembers):
                self._intent = (True, fx.reason)
                for q in cfg.queues:
                    if q not in self._members:
                        await self.pbx.queue_add(queue=q, interface=cfg.interface, member_name=cfg.member_name,
                                                 reason=fx.reason)
                        self._members.add(q)
                await self.pbx.pause(interface=cfg.interface, reason=fx.reason)
            elif isinstance(fx, RemoveMembers):
                self._intent = None
                for q in cfg.queues:
                    self._members.discard(q)
                    if self.link.up:
                        await self.pbx.queue_remove(queue=q, interface=cfg.interface)
            elif isinstance(fx, Pause):
                self._intent = (True, fx.reason)
                await self.pbx.pause(interface=cfg.interface, reason=fx.reason)
                self.bus.publish(ev.AgentDidPause(reason=fx.reason))
            elif isinstance(fx, Unpause):
                self._intent = (False, None)
                await self.pbx.unpause(interface=cfg.interface)
                self.bus.publish(ev.AgentDidUnpause())

    # --- timers and tasks -------------------------------------------------------------------------------------

    def _start_wrap_timer(self, until: float) -> None:
        self._cancel_wrap_timer()
        delay = max(0.0, until - self.clock())
        self._wrap_timer = asyncio.get_running_loop().call_later(
            delay, lambda: self._feed(WrapUpElapsed(at=self.clock())))

    def _cancel_wrap_timer(self) -> None:
        if self._wrap_timer is not None:
            self._wrap_timer.cancel()
            self._wrap_timer = None

    def _spawn(self, coro: object) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def until(self, predicate: Callable[[], bool], what: str, within: float | None = None) -> None:
        """Wait until ``predicate()`` holds after some state or call change; raise CommandFailed if not."""
        limit = self.config.confirm_timeout if within is None else within
        try:
            async with asyncio.timeout(limit):
                while not predicate():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise CommandFailed(f"The PBX did not confirm {what} within {limit:g} s") from None

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
            reason = view.reason or "resync"
            for q in missing:
                await self.pbx.queue_add(queue=q, interface=cfg.interface, member_name=cfg.member_name,
                                         reason=reason)
                self._members.add(q)
                if not view.paused:
                    await self.pbx.unpause(interface=cfg.interface, queue=q)
        await self._do(fx)
        return tuple(f"{h.old} -> {h.new}" for h in list(self.history)[before:])

    # --- AMI events -------------------------------------------------------------------------------------------------

    def _on_ami(self, m: AmiMessage) -> None:
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
            return  # the echo of the desk's own request
        self._intent = said
        if mem.paused:
            self.bus.publish(ev.AgentDidPause(reason=mem.reason, by="pbx"))
            self._feed(PbxPaused(at=self.clock(), reason=mem.reason or None))
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


def _readable(e: Exception) -> CtiError:
    if isinstance(e, CtiError):
        return e
    return CommandFailed(str(e) or type(e).__name__)


__all__ = ["IDLE", "AgentSession", "DeskConfig"]
