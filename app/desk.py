"""The desk service: what the UI calls. It signs the CSR in through the database, the SIP engine and AMI,
forwards call and state commands to the agent session, and keeps the contact record in step with calls.

Every failure reaches the UI as an exception whose text a CSR can read. Database work runs on the one DB
worker thread; nothing here blocks the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor, Profile, Role
from app.alerts import AlertMonitor
from app.config import CentreConfig, DeskProfile
from app.errors import AuthError
from app.events import DeskDidSignIn, DeskDidSignOut, MyDayDidUpdate, ScreenPopDidLoad
from app.figures import MyDay, MyDayTracker, load_my_day
from app.models.agent import Agent, AgentSignIn
from app.screenpop import pop_for_customer, screen_pop, search_customers, warm_screen_pop
from app.secrets import Credentials, KeyringUnavailable
from app.services import agents, contacts
from app.timeutil import utcnow
from app.worker import DbWorker
from cti.ami.link import PbxAddress
from cti.bus import EventBus
from cti.errors import CtiError, LinkDown, LoginFailed
from cti.events import (
    AgentDidChangeState,
    CallDidAnswer,
    CallDidCorrelate,
    CallDidEnd,
    CallDidOffer,
    StateDidResync,
    SurveyDidScore,
)
from cti.session import AgentSession
from cti.session_config import DeskConfig
from cti.softphone import SipAccount, Softphone, SoftphoneError
from cti.team import TeamMonitor

log = logging.getLogger(__name__)


class SignInError(Exception):
    """Sign-in failed; the text says why in words a CSR can act on."""


class AlreadySignedIn(SignInError):
    def __init__(self, agent_id: str, desk_id: str) -> None:
        super().__init__(f"Agent {agent_id} is already signed in at another desk ({desk_id}); sign out there first")


class Desk:
    """One CSR's desk; build it in the composition root with every dependency passed in."""

    def __init__(
        self,
        *,
        config: CentreConfig,
        profile: DeskProfile,
        desk_id: str,
        bus: EventBus,
        worker: DbWorker,
        session_factory: Callable[[], Session],
        credentials: Credentials,
        softphone: Any,  # cti.engine.client.EngineClient (Softphone + start/stop)
        make_session: Callable[..., AgentSession] = AgentSession,
        ca_file: str | None = None,
        outbox: Any = None,  # app.outbox.OutboxPump; None: contact and state writes go straight to the database
    ) -> None:
        self.config = config
        self.profile = profile
        self.desk_id = desk_id
        self.bus = bus
        self.worker = worker
        self.session_factory = session_factory
        self.credentials = credentials
        self.softphone = softphone
        self._make_session = make_session
        self._ca_file = ca_file
        self.outbox = outbox
        self.session: AgentSession | None = None
        self.actor: Actor | None = None
        self.display_name = ""
        self._offers: dict[str, CallDidOffer] = {}
        self._outbound: dict[str, str] = {}  # call_ref -> linkedid of an answered outbound call
        self._unsubscribe: list[Callable[[], None]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._engine_up = False
        self.team: TeamMonitor | None = None  # the CSR's queues, live (S-5.1e)
        self.my_day: MyDayTracker | None = None
        self.alerts: AlertMonitor | None = None
        self._alert_timer: asyncio.Task[None] | None = None
        self._pops_in_flight = 0
        self._last_pop_at = 0.0
        self._pop_waiters: list[asyncio.Future[None]] = []

    # --- sign in / out ------------------------------------------------------------------------------------

    async def prepare(self) -> None:
        """Start the SIP engine ahead of sign-in (the composition root calls this while the CSR types)."""
        if not self._engine_up:
            await self.softphone.start()
            self._engine_up = True

    async def sign_in(self, agent_id: str, password: str, *, initial: str = "ready") -> None:
        """Check the password, register the softphone, join the queues paused, then go to ``initial``."""
        try:
            account = await self.worker.run(self._verify, agent_id, password)
        except AuthError as exc:
            raise SignInError(str(exc)) from None
        other = await self.worker.run(self._open_sign_in_elsewhere, agent_id)
        role: Role = "lead" if account.role == "lead" else "csr"
        profile: Profile = "remote" if self.profile.name == "remote" else "onsite"
        self.actor = Actor(agent_id=account.agent_id, desk_id=self.desk_id, profile=profile, role=role)
        self.display_name = account.display_name
        try:
            # The keyring is read by a child process (app/secrets.py) that takes a moment to start: on the
            # worker thread, so the window stays live; only the ask-once fallback runs here, on the loop.
            await self.worker.run(self.credentials.prefetch, sip=(account.agent_id,),
                                  ami=(_ami_user(account.agent_id, role),))
            desk_config = self._desk_config(account.agent_id, role, account.skills)
        except (LookupError, KeyringUnavailable) as exc:
            raise SignInError(str(exc)) from None
        session = self._make_session(config=desk_config, bus=self.bus, softphone=self.softphone)
        try:
            await self.prepare()
            reason = self.config.not_ready_reasons[0] if initial == "not_ready" else None
            kept = await self._state_left_on_pbx(session, desk_config)
            initial, reason, since, extended = kept or (initial, reason, None, 0)
            await session.sign_in(initial=initial, reason=reason, wrap_up_since=since, wrap_up_extended=extended)
        except SoftphoneError as exc:
            await self._quietly_stop(session)
            if other:
                raise AlreadySignedIn(agent_id, other) from None
            raise SignInError(f"The PBX refused this desk's SIP registration: {exc.reason}"
                              + (f" (SIP {exc.sip_status})" if exc.sip_status else "")) from None
        except (LinkDown, LoginFailed, OSError, TimeoutError) as exc:
            await self._quietly_stop(session)
            raise SignInError(f"The PBX is unreachable: {exc}") from None
        except CtiError as exc:
            await self._quietly_stop(session)
            raise SignInError(str(exc)) from None
        self.session = session
        self._unsubscribe = [
            self.bus.subscribe(CallDidOffer, self._on_offer),
            self.bus.subscribe(CallDidAnswer, self._on_answer),
            self.bus.subscribe(CallDidCorrelate, self._on_correlate),
            self.bus.subscribe(CallDidEnd, self._on_end),
            self.bus.subscribe(SurveyDidScore, self._on_survey),
            self.bus.subscribe(AgentDidChangeState, self._on_state),
        ]
        await self.worker.run(self._record_sign_in, self.actor, session.state.status.value, session.state.reason)
        await self._start_figures(session, desk_config.queues)
        self._spawn(self.worker.run(self._with_session, warm_screen_pop, actor=self.actor))  # first pop as fast as later ones
        self.bus.publish(DeskDidSignIn(agent_id=account.agent_id, display_name=account.display_name, role=role,
                                       profile=self.profile.name))

    async def sign_out(self) -> None:
        """Leave the queues and unregister; the session refuses while a call is up."""
        if self.session is None or self.actor is None:
            return
        await self.session.sign_out()
        await self.session.close()
        await self._end_sign_in(by=None)

    async def _end_sign_in(self, *, by: str | None) -> None:
        """The desk's side of a sign-out: stop listening, close the sign-in period, say so, drop the session."""
        assert self.actor is not None
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        if self._alert_timer is not None:
            self._alert_timer.cancel()
            self._alert_timer = None
        await self._write("agent.sign_out", actor=self.actor, at=utcnow())
        self.bus.publish(DeskDidSignOut(agent_id=self.actor.agent_id, by=by))
        self.session = None

    async def _signed_out_by_lead(self, lead: str) -> None:
        """A team lead signed this agent out (the agent walked away; S-8.2.1a): the PBX has already taken the
        agent out of the queues. End the desk's side here, naming the lead, so the CSR can sign in again."""
        session = self.session
        if session is None or self.actor is None:
            return
        log.info("agent %s was signed out by team lead %s", self.actor.agent_id, lead)
        await self._quietly_stop(session)
        if self.session is session:
            await self._end_sign_in(by=lead)

    async def close(self) -> None:
        """Stop everything (program exit); sign out first when possible."""
        if self.session is not None:
            try:
                await self.sign_out()
            except Exception as exc:
                log.info("sign-out on close failed: %s", type(exc).__name__)
                await self._quietly_stop(self.session)
        if self._engine_up:
            await self.softphone.stop()
            self._engine_up = False

    # --- commands: forwarded to the agent session ----------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        if name in _FORWARDED:
            if self.session is None:
                async def not_signed_in(*_a: Any, **_k: Any) -> None:
                    raise SignInError("Sign in first")

                return not_signed_in
            return getattr(self.session, name)
        raise AttributeError(name)

    async def extend_wrap_up(self, seconds: float | None = None) -> None:
        """Give the CSR more wrap-up time (the centre's step unless told otherwise)."""
        if self.session is None:
            raise SignInError("Sign in first")
        step = seconds or self.config.wrap_up_extend_seconds
        await self.session.extend_wrap_up(step)
        if self.actor is None:
            return
        try:  # audited, and kept for a desk restarted in this wrap-up (the PBX keeps only when it began)
            await self._write("agent.wrap_up_extend", actor=self.actor, seconds=max(1, round(step)))
        except Exception as exc:  # no outbox and the database down: the extension itself stands on this desk
            log.warning("wrap-up extension not recorded: %s", type(exc).__name__)

    def wrap_up_deadline(self) -> float | None:
        return self.session.state.wrap_up_until if self.session is not None else None

    async def agent_name(self, agent_id: str) -> str | None:
        """A colleague's display name (the team lead who forced this desk's state), None if there is none."""
        return await self.worker.run(self._with_session,
                                     lambda s: s.scalar(select(Agent.display_name).where(Agent.agent_id == agent_id)))

    # --- database side ------------------------------------------------------------------------------------

    async def _write(self, kind: str, /, **kwargs: Any) -> Any:
        """A write that must survive the database being down: through the outbox (app.outbox) when the
        desk has one (queued, and replayed in order, exactly once), else straight to the database."""
        if self.outbox is not None:
            return await self.outbox.submit(kind, **kwargs)
        from app.outbox import SERVICES

        return await self.worker.run(self._with_session, SERVICES[kind], **kwargs)

    def _open_contact_row(self, **kwargs: Any) -> None:
        """Open the call's contact row on the worker thread, through the outbox when there is one (with the
        database down the row is queued, not lost)."""
        if self.outbox is not None:
            self.outbox.outbox.submit("contact.open", **kwargs)
        else:
            self._with_session(contacts.open_contact, **kwargs)

    def _with_session(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        with self.session_factory() as s:
            return fn(s, *args, **kwargs)

    def _record_sign_in(self, actor: Actor, state: str, reason: str | None) -> None:
        """Start the sign-in period and its first state span. A period this desk left open (the desk was
        killed) is closed first, so time is never counted twice."""
        with self.session_factory() as s:
            still_open = s.scalar(select(AgentSignIn.id).where(AgentSignIn.agent_id == actor.agent_id,
                                                               AgentSignIn.desk_id == self.desk_id,
                                                               AgentSignIn.signed_out_at.is_(None)))
            if still_open is not None:
                agents.record_sign_out(s, actor=actor)
            agents.record_sign_in(s, actor=actor)
            agents.record_state(s, agent_id=actor.agent_id, state=state, reason=reason)

    async def _state_left_on_pbx(self, session: AgentSession,
                                 cfg: DeskConfig) -> tuple[str, str | None, float | None, int] | None:
        """A desk that was killed (or lost power) while signed in leaves the agent in its queues on the PBX,
        perhaps paused with a reason. Sign in to the state the PBX has, not to the desk's default: (initial,
        reason, wrap-up start, seconds the CSR extended it by). A wrap-up goes on with the time it has left
        (``AgentSession.left_on_pbx`` says where its start comes from; its extensions are read back from the
        audit trail, at any desk). None when the PBX has no membership of this agent (a normal sign-in)."""
        if not isinstance(session, AgentSession):
            return None
        left = await session.left_on_pbx()
        if left is None:
            return None
        kept: tuple[str, str | None, float | None, int] = ("ready", None, None, 0)
        how = "ready"
        if left.wrap_up:
            now = session.clock()
            since = left.paused_since if left.paused_since is not None else now  # no LastPause: from now
            began = utcnow() - timedelta(seconds=now - since + 1.0)  # LastPause is whole seconds
            extended = await self._wrap_up_extended_since(cfg.agent_id, began)
            kept = ("wrap_up", None, since, extended)
            how = f"wrap_up (it began {now - since:.0f} s ago, extended by {extended} s)"
        elif left.paused:
            reason = left.reason or ""
            kept = ("not_ready", reason if reason in cfg.not_ready_reasons else self.config.not_ready_reasons[0], None,
                    0)
            how = f"not_ready ({kept[1]})"
        log.info("sign-in: the PBX still had agent %s in %d queue(s), %s; signing in %s", cfg.agent_id,
                 len(left.queues), f"paused ({left.reason or 'no reason'})" if left.paused else "not paused", how)
        return kept

    async def _wrap_up_extended_since(self, agent_id: str, began: datetime) -> int:
        """The extensions the CSR gave this wrap-up before the desk stopped: those in the audit trail (any desk) and
        those this desk queued in its outbox while the database was down and has not written yet. Both are read in
        one turn of the DB worker, which is also where the outbox writes, so none is counted twice or missed."""
        outbox = self.outbox.outbox if self.outbox is not None else None

        def read() -> int:
            queued = outbox.waiting_seconds(agents.WRAP_UP_EXTENDED, agent_id=agent_id, since=began) if outbox else 0
            try:
                return queued + int(self._with_session(lambda s: agents.wrap_up_extended_since(
                    s, agent_id=agent_id, since=began)))
            except Exception as exc:
                log.warning("wrap-up extensions in the database unknown (%s): resuming with the %d s queued here",
                            type(exc).__name__, queued)
                return queued

        try:
            return int(await self.worker.run(read))
        except Exception as exc:
            log.warning("wrap-up extensions unknown (%s): resuming the wrap-up without them", type(exc).__name__)
            return 0

    def _verify(self, agent_id: str, password: str) -> agents.AgentAccount:
        with self.session_factory() as s:
            return agents.verify_agent(s, agent_id, password, desk_id=self.desk_id)

    def _open_sign_in_elsewhere(self, agent_id: str) -> str | None:
        with self.session_factory() as s:
            row = s.scalar(select(AgentSignIn).where(AgentSignIn.agent_id == agent_id,
                                                     AgentSignIn.signed_out_at.is_(None),
                                                     AgentSignIn.desk_id != self.desk_id))
            return row.desk_id if row is not None else None

    def _desk_config(self, agent_id: str, role: str, skills: tuple[str, ...]) -> DeskConfig:
        prof = self.profile
        pbx = tuple(
            PbxAddress(host=s.host, port=s.ami_tls_port if prof.transport == "tls" else s.ami_port,
                       tls=prof.transport == "tls", ca_file=self._ca_file)
            for s in self.config.pbx
        )
        tls = prof.transport == "tls"
        ami_user = _ami_user(agent_id, role)
        sip = SipAccount(extension=agent_id, password=self.credentials.sip_password(agent_id),
                         registrars=tuple(f"{s.host}:{s.sip_tls_port if tls else s.sip_port}" for s in self.config.pbx),
                         transport=prof.transport, srtp_required=prof.srtp, ca_file=self._ca_file)
        return DeskConfig(
            agent_id=agent_id, extension=agent_id, member_name=agent_id, queues=tuple(skills), pbx=pbx,
            ami_user=ami_user, ami_secret=self.credentials.ami_secret(ami_user), sip=sip,
            wrap_up_seconds=self.config.wrap_up_seconds, after_wrap_up=self.config.after_wrap_up,
            after_wrap_up_reason=self.config.after_wrap_up_reason,
            not_ready_reasons=self.config.not_ready_reasons,
            recording_mute_max_seconds=self.config.recording_mute_max_seconds,
            heartbeat_seconds=self.config.heartbeat_seconds, action_timeout=self.config.action_timeout_seconds,
        )

    # --- live figures and the CSR's own alerts -------------------------------------------------------------

    async def _start_figures(self, session: AgentSession, queues: tuple[str, ...]) -> None:
        """Queue figures from AMI events, the CSR's day from the database once, then from events."""
        assert self.actor is not None
        self.team = TeamMonitor(bus=self.bus, queues=queues, answers_from_leave=True)
        try:
            await self.team.load(session.pbx)
        except CtiError as exc:
            log.info("queue figures: no snapshot (%s); events will fill them", type(exc).__name__)
        session.ami_listeners.append(self.team.feed)
        base = await self.worker.run(self._with_session, load_my_day, agent_id=self.actor.agent_id)
        self.my_day = MyDayTracker(base=base, state=session.state.status.value)
        self.alerts = AlertMonitor(thresholds=self.config.alerts, publish=self.bus.publish,
                                   wrap_up_seconds=self.config.wrap_up_seconds)
        st = session.state
        self.alerts.agent_state(self.actor.agent_id, st.status.value, st.reason, st.since)
        self._unsubscribe.append(self.bus.subscribe(StateDidResync, lambda _e: self._spawn(self._reload_team())))
        self._alert_timer = asyncio.ensure_future(self._check_alerts())
        self.bus.publish(MyDayDidUpdate(figures=self.my_day.snapshot()))

    async def _reload_team(self) -> None:
        if self.team is not None and self.session is not None:
            await self.team.load(self.session.pbx)

    async def _check_alerts(self) -> None:
        while True:
            await asyncio.sleep(5)
            if self.alerts is not None:
                self.alerts.check()

    async def search_customers(self, kind: str, text: str) -> tuple[Any, ...]:
        """Find an unknown caller by ``kind`` (phone, id_number, policy_number, plate); masked cards."""
        if kind not in ("phone", "id_number", "policy_number", "plate"):
            raise ValueError(f"cannot search by {kind!r}")
        if self.actor is None:
            raise SignInError("Sign in first")
        return await self.worker.run(self._with_session, search_customers, actor=self.actor, **{kind: text})

    async def pop_for_customer(self, customer_id: int) -> Any:
        """The full card of the customer the CSR chose from a search (masked for this desk)."""
        if self.actor is None:
            raise SignInError("Sign in first")
        return await self.worker.run(self._with_session, pop_for_customer, customer_id=customer_id, actor=self.actor)

    def figures(self) -> MyDay | None:
        """The CSR's figures now (in memory; no database read)."""
        return self.my_day.snapshot() if self.my_day is not None else None

    async def _quietly_stop(self, session: AgentSession) -> None:
        try:
            await session.close()
        except Exception as exc:  # closing after a failure must not hide the failure
            log.info("closing a failed session: %s", type(exc).__name__)

    # --- call events -> contact records and the screen pop ------------------------------------------------

    def _on_offer(self, offer: CallDidOffer) -> None:
        self._offers[offer.call_ref] = offer
        self._pops_in_flight += 1
        self._spawn(self._load_pop(offer))

    async def _load_pop(self, offer: CallDidOffer) -> None:
        """Look the caller up and publish the pop; the contact row is opened after it, off the paint's path.

        The contact job is queued on the DB worker right behind the lookup (before anything the CSR does to
        the call can queue an update of that row), so rows are still written in call order."""
        assert self.actor is not None
        actor = self.actor
        found: list[Any] = []
        lookup = asyncio.ensure_future(self.worker.run(self._pop_lookup, offer, actor, found))
        if offer.linkedid:
            self._spawn(self.worker.run(self._open_contact, offer, offer.linkedid, actor, found))
        try:
            pop = await lookup
            self.bus.publish(ScreenPopDidLoad(offer=offer, pop=pop))
        except Exception as exc:
            log.warning("screen pop failed: %s", type(exc).__name__)
            self.bus.publish(ScreenPopDidLoad(offer=offer, pop=None, error=str(exc)))
        finally:
            self._pop_settled()

    def _pop_lookup(self, offer: CallDidOffer, actor: Actor, found: list[Any]) -> Any:
        with self.session_factory() as s:
            pop = screen_pop(s, caller_number=offer.caller_id or None,
                             policy_number=offer.ivr_vars.get("CSD_POLICY") or None, actor=actor)
            found.append(pop)
            return pop

    def _open_contact(self, offer: CallDidOffer, linkedid: str, actor: Actor, found: list[Any]) -> None:
        pop = found[0] if found else None  # the lookup ran just before on the same worker thread
        self._open_contact_row(actor=actor, linkedid=linkedid, direction=offer.direction, queue=offer.queue,
                               caller_number=_digits(offer.caller_id), offered_at=utcnow(),
                               customer_id=pop.customer.id if pop is not None and pop.customer else None)

    def _pop_settled(self) -> None:
        self._pops_in_flight -= 1
        self._last_pop_at = time.monotonic()
        waiters, self._pop_waiters = self._pop_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def _record_state(self, agent_id: str, state: str, reason: str | None, at: datetime) -> None:
        """Write a state span. A ringing state is written after the screen pop's lookup (the offer arrives
        with it or just after), so the lookup the CSR is waiting for is never queued behind this write."""
        if state == "ringing" and (self._pops_in_flight or time.monotonic() - self._last_pop_at > 1.0):
            fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._pop_waiters.append(fut)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fut, 1.0)
        await self._write("agent.state", agent_id=agent_id, state=state, reason=reason, at=at)

    def _on_answer(self, event: CallDidAnswer) -> None:
        offer = self._offers.get(event.call_ref)
        linkedid = event.linkedid or (offer.linkedid if offer else None)
        if linkedid and self.actor is not None:
            self._spawn(self._write("contact.update", actor=self.actor, linkedid=linkedid, answered_at=utcnow()))

    def _on_correlate(self, event: CallDidCorrelate) -> None:
        """An outbound call the CSR placed was answered: record it as a contact under its linkedid, as an inbound
        call's is at its offer (an unanswered attempt is recorded by the outbound result, on its task)."""
        if not event.outbound or not event.linkedid or self.actor is None:
            return
        if event.call_ref:
            self._outbound[event.call_ref] = event.linkedid
        actor, now = self.actor, utcnow()

        def record() -> None:  # open, then answered, in this order on the worker (through the outbox if any)
            self._open_contact_row(actor=actor, linkedid=event.linkedid, direction="outbound",
                                   caller_number=_digits(event.dialed), offered_at=now)
            answered: dict[str, Any] = {"actor": actor, "linkedid": event.linkedid, "answered_at": now}
            if self.outbox is not None:
                self.outbox.outbox.submit("contact.update", **answered)
            else:
                self._with_session(contacts.update_contact, **answered)

        self._spawn(self.worker.run(record))

    def _on_end(self, event: CallDidEnd) -> None:
        if self.my_day is not None:
            self.my_day.call_ended(event.talk_seconds)
            self.bus.publish(MyDayDidUpdate(figures=self.my_day.snapshot()))
        offer = self._offers.pop(event.call_ref, None)
        outbound = self._outbound.pop(event.call_ref, None)
        linkedid = event.linkedid or (offer.linkedid if offer else None) or outbound
        if linkedid and self.actor is not None:
            self._spawn(self._write("contact.update", actor=self.actor, linkedid=linkedid, ended_at=utcnow()))

    def _on_survey(self, event: SurveyDidScore) -> None:
        if self.my_day is not None and self.session is not None and event.linkedid in self.session.linkedids:
            self.my_day.survey_scored(event.score)
            self.bus.publish(MyDayDidUpdate(figures=self.my_day.snapshot()))
        if self.actor is not None:
            self._spawn(self._write("contact.survey", linkedid=event.linkedid, score=event.score, actor=self.actor))

    def _on_state(self, event: AgentDidChangeState) -> None:
        if self.my_day is not None:
            self.my_day.state_changed(event.new)
            self.bus.publish(MyDayDidUpdate(figures=self.my_day.snapshot()))
        if self.alerts is not None and self.actor is not None:
            self.alerts.agent_state(self.actor.agent_id, event.new, event.reason, event.at)
        if self.actor is not None and event.new not in ("signed_out", "signing_in", "signing_out"):
            self._spawn(self._record_state(self.actor.agent_id, event.new, event.reason, utcnow()))
        if event.new == "signed_out" and event.by and event.by != "pbx" and self.session is not None:
            self._spawn(self._signed_out_by_lead(event.by))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("desk background work failed: %s", type(task.exception()).__name__)

    async def settle(self) -> None:
        """Wait for the desk's background database work (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


_FORWARDED = frozenset({
    "go_ready", "go_not_ready", "pause_after_call", "finish_wrap_up", "answer", "hangup", "hold",
    "unhold", "mute", "dtmf", "dial", "blind_transfer", "consult", "complete_transfer", "cancel_consult", "swap",
    "conference", "drop_party", "transfer_to_survey", "mute_recording", "unmute_recording",
})


def _ami_user(agent_id: str, role: str) -> str:
    """The agent's own AMI user: ``lead<ext>`` for a team lead, else ``desk<ext>``."""
    return f"{'lead' if role == 'lead' else 'desk'}{agent_id}"


def _digits(number: str) -> str | None:
    d = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return d or None


__all__ = ["AlreadySignedIn", "Desk", "SignInError", "Softphone"]
