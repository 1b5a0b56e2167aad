"""Central disabling (S-9.3.3): a signed-in desk checks its agent's account on the DB worker every
ACCOUNT_CHECK_SECONDS; when an administrator has disabled it, the desk ends any call, signs out and
says why. Sign-in is refused from then on by ``app.services.agents.verify_agent``.

Bound: a disabled agent's desk starts signing out at most ACCOUNT_CHECK_SECONDS (plus one database
read) after the account was disabled; the sign-out itself is one AMI/SIP round trip more."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from app.events import DeskDidSignIn, DeskDidSignOut
from app.models.agent import Agent
from app.services import agents
from cti.bus import EventBus
from cti.events import AgentDidChangeState, Event

log = logging.getLogger(__name__)

ACCOUNT_CHECK_SECONDS = 15.0
STEP_WAIT_SECONDS = 10.0  # how long a forced sign-out waits for a hang-up or wrap-up to take effect
ON_CALL = ("ringing", "talking", "held", "consulting", "conferencing")
NOT_SIGNABLE = ("degraded", "signing_in", "signing_out", *ON_CALL)
SIGN_OUT_TRIES = 3
DISABLED_BY = "account_disabled"  # DeskDidSignOut.by when the desk had to drop its session locally


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountWasDisabled(Event):
    """The signed-in agent's account was disabled centrally; the desk is signing out."""

    agent_id: str


class AccountWatch:
    """Watch the signed-in agent's account for one desk (``desk`` is an ``app.desk.Desk``)."""

    def __init__(self, *, desk: Any, bus: EventBus, interval: float = ACCOUNT_CHECK_SECONDS) -> None:
        self._desk = desk
        self._bus = bus
        self._interval = interval
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe = [bus.subscribe(DeskDidSignIn, self._on_sign_in),
                             bus.subscribe(DeskDidSignOut, lambda _e: self._stop())]

    def _on_sign_in(self, event: DeskDidSignIn) -> None:
        self._stop()
        self._task = asyncio.ensure_future(self._watch(event.agent_id))

    def _stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def close(self) -> None:
        """Stop watching (program exit)."""
        self._stop()
        for u in self._unsubscribe:
            u()
        self._unsubscribe.clear()

    async def _watch(self, agent_id: str) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                usable = await self._desk.worker.run(self._usable, agent_id)
            except Exception as exc:  # the database is away: keep working, check again next time
                log.info("account check failed: %s", type(exc).__name__)
                continue
            if not usable:
                self._task = None  # this task signs out: the DeskDidSignOut it causes must not cancel it
                log.warning("account of agent %s was disabled centrally: signing out", agent_id)
                self._bus.publish(AccountWasDisabled(agent_id=agent_id))
                await self._force_sign_out()
                return

    def _usable(self, agent_id: str) -> bool:
        with self._desk.session_factory() as s:
            agent = s.get(Agent, agent_id)
            return agent is not None and not agent.disabled

    async def _until_out_of(self, session: Any, states: tuple[str, ...]) -> None:
        """Wait (at most STEP_WAIT_SECONDS) until the session's state is none of ``states``."""
        changed = asyncio.Event()
        unsubscribe = self._bus.subscribe(AgentDidChangeState, lambda _e: changed.set())
        try:
            async with asyncio.timeout(STEP_WAIT_SECONDS):
                while session.state.status.value in states:
                    changed.clear()
                    await changed.wait()
        except TimeoutError:
            log.info("forced sign-out: still %s", session.state.status.value)
        finally:
            unsubscribe()

    async def _force_sign_out(self) -> None:
        """End a call or wrap-up first (the session refuses to sign out during one), then sign out."""
        session = self._desk.session
        if session is None:
            return
        for step, leaves in (("hangup", ON_CALL), ("finish_wrap_up", ("wrap_up",))):
            if session.state.status.value not in leaves:
                continue
            try:
                await getattr(session, step)()
            except Exception as exc:
                log.info("forced sign-out: %s refused (%s)", step, type(exc).__name__)
            await self._until_out_of(session, leaves)
        for _ in range(SIGN_OUT_TRIES):
            try:
                await self._desk.sign_out()
                return
            except Exception as exc:  # e.g. the PBX link is down (degraded): wait for it, then try again
                log.info("forced sign-out refused (%s in %s)", type(exc).__name__, session.state.status.value)
                await self._until_out_of(session, NOT_SIGNABLE)
        await self._drop_locally(session)

    async def _drop_locally(self, session: Any) -> None:
        """The PBX would not sign the desk out: stop the session and the SIP engine here, and say so."""
        log.warning("forced sign-out: the PBX refused; stopping this desk's session and engine")
        agent_id = self._desk.actor.agent_id
        await self._desk.close()
        if self._desk.session is session:
            self._desk.session = None
        try:
            await self._desk.worker.run(self._record_sign_out)
        except Exception as exc:
            log.info("forced sign-out: recording it failed (%s)", type(exc).__name__)
        self._bus.publish(DeskDidSignOut(agent_id=agent_id, by=DISABLED_BY))

    def _record_sign_out(self) -> None:
        with self._desk.session_factory() as s:
            agents.record_sign_out(s, actor=self._desk.actor)
