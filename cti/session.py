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

from cti import events as ev
from cti.ami.actions import PbxActions
from cti.ami.link import AmiLink, PbxAddress
from cti.ami.message import AmiMessage
from cti.bus import EventBus
from cti.errors import CommandFailed, CtiError
from cti.membership import MemberService, clean
from cti.session_config import DeskConfig
from cti.session_legs import LegTracker
from cti.session_pbx import LeftOnPbx, PbxSync
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
    Pause,
    PauseAfterCall,
    Register,
    RemoveMembers,
    ReportResync,
    ReportWrapUpResumed,
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


class AgentSession(PbxSync):
    """One CSR's link to the PBX; call from the asyncio loop (qasync in the UI process)."""

    def __init__(self, *, config: DeskConfig, bus: EventBus, softphone: Softphone,
                 clock: Callable[[], float] = time.monotonic, wall_clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.bus = bus
        self.phone = softphone
        self.policy = config.policy()
        self.clock = clock
        self.wall_clock = wall_clock  # only to read the PBX's epoch times (LastPause) on ``clock``
        self.link = AmiLink(addresses=config.pbx, username=config.ami_user, secret=config.ami_secret,
                            on_event=self._on_ami, on_up=self._on_up, on_down=self._on_down,
                            action_timeout=config.action_timeout, heartbeat_seconds=config.heartbeat_seconds)
        self.pbx = PbxActions(self.link)  # reads (QueueStatus, channels) and call control; no agent write right
        self.members = MemberService(softphone, config.member_features, extension=config.extension,
                                     timeout=config.action_timeout * 2)
        self.legs = LegTracker(config.interface)
        self._state = AgentState(since=clock())
        self._lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self._wrap_timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._intent: tuple[bool, str | None] | None = None  # what the desk last asked of the PBX
        # the request before that: its echo may still be on its way when the next one is sent (sign-in pauses
        # with "signing in", then at once with the CSR's reason), and must not pass for a change at the PBX
        self._superseded: tuple[bool, str | None] | None = None
        self._members: set[str] = set()
        self._resync_running = False
        self._resync_again = False
        self._last_address: PbxAddress | None = None
        self.linkedids: deque[str] = deque(maxlen=200)  # calls this desk handled (survey scores)
        self.history: deque[ev.AgentDidChangeState] = deque(maxlen=200)
        self.ami_listeners: list[Callable[[AmiMessage], None]] = []  # e.g. the desk's queue figures
        self.resyncs = 0
        self.resumed: ev.WrapUpDidResume | None = None  # set when this session took up a wrap-up the PBX kept
        self._init_calls()
        self._unsub = [bus.subscribe(ev.CallDidOffer, self._on_phone_offer),
                       bus.subscribe(ev.CallDidAnswer, self._on_phone_answer),
                       bus.subscribe(ev.CallDidEnd, self._on_phone_end)]

    # --- what the UI reads ------------------------------------------------------------------------------

    @property
    def state(self) -> AgentState:
        return self._state

    @property
    def status(self) -> Status:
        return self._state.status

    # --- sign in / out ------------------------------------------------------------------------------------

    async def sign_in(self, initial: str = "ready", reason: str | None = None, *,
                      wrap_up_since: float | None = None, wrap_up_extended: float = 0.0) -> None:
        """Register the softphone, join every queue already paused, then go to ``initial``. A desk restarted in
        wrap-up signs in with ``initial="wrap_up"`` and ``wrap_up_since`` from ``left_on_pbx`` (and the seconds the
        CSR had extended it by, ``wrap_up_extended``): the wrap-up goes on with the time it has left (or ends as
        the centre's policy says, if it ran out meanwhile)."""
        async with self._lock:
            first = Status(initial)
            fx = self._apply(SignIn(at=self.clock(), initial=first, reason=reason, wrap_up_since=wrap_up_since,
                                    wrap_up_extended=wrap_up_extended))
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
        if (t.state.status, t.state.reason, t.state.forced_by) != (old.status, old.reason, old.forced_by):
            change = ev.AgentDidChangeState(old=old.status.value, new=t.state.status.value, cause=t.cause,
                                            reason=t.state.reason, by=t.state.forced_by)
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
            elif isinstance(fx, ReportWrapUpResumed):
                log.info("agent %s: %s", self.config.agent_id, "the wrap-up ran out while the desk was down"
                         if fx.ran_out else f"wrap-up resumed, {fx.seconds_left:.0f} s left")
                self.resumed = ev.WrapUpDidResume(seconds_left=fx.seconds_left, ran_out=fx.ran_out,
                                                  then=t.state.status.value, reason=t.state.reason)
                self.bus.publish(self.resumed)
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
            elif isinstance(fx, AddMembers):  # each queue joined paused; already a member: paused there
                reason = clean(fx.reason)
                self._superseded, self._intent = self._intent, (True, reason)
                queues = cfg.queues
                if fx.keep_paused:  # re-pausing would restart the PBX's pause time (LastPause)
                    kept = await self._paused_with(reason)
                    self._members.update(kept)
                    queues = tuple(q for q in cfg.queues if q not in kept)
                if queues:
                    await self.members.join(queues, member_name=cfg.member_name, reason=reason)
                self._members.update(queues)
            elif isinstance(fx, RemoveMembers):
                self._intent = None
                self._members.difference_update(cfg.queues)
                if self.link.up:
                    await self.members.leave(cfg.queues)
            elif isinstance(fx, Pause):
                reason = clean(fx.reason)
                self._superseded, self._intent = self._intent, (True, reason)
                await self.members.pause(reason)
                self.bus.publish(ev.AgentDidPause(reason=fx.reason))
            elif isinstance(fx, Unpause):
                self._superseded, self._intent = self._intent, (False, None)
                await self.members.unpause()
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

def _readable(e: Exception) -> CtiError:
    if isinstance(e, CtiError):
        return e
    return CommandFailed(str(e) or type(e).__name__)


__all__ = ["IDLE", "AgentSession", "DeskConfig", "LeftOnPbx"]
