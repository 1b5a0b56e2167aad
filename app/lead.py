"""The lead desk service: what the lead window calls. It watches the team (cti's TeamMonitor through the lead's
SupervisorSession), raises alerts, computes the indicators, and runs the lead's actions: listen/whisper/barge,
force not ready, sign an agent out, reassign a transfer order or an outbound task.

Who may do what: every lead action first checks, in the database, that the signed-in account is an enabled
account with the role ``lead`` (not just what this desk believes); the PBX checks again on its side (only lead
AMI users may originate, so a CSR desk's ChanSpy is refused there; only they have the ``agent`` write right, so a
CSR desk's QueuePause/QueueRemove is refused for any interface, a desk changing only itself by service calls,
cti.membership). Every lead action is audited.

A forced not-ready carries the lead in its pause reason (``"小休 [lead 2001]"``, ``cti.state_types.lead_tagged``); a
forced sign-out pauses with ``"签出 signed out [lead 2001]"`` before it removes the memberships. The PBX passes the
reason to the agent's desk, whose state machine keeps the lead (``AgentState.forced_by``, also after the sign-out)
and whose state bar shows "set not-ready by <lead's name>" / "signed out by <lead's name>".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.alerts import Alert, AlertMonitor
from app.config import CentreConfig, DeskProfile
from app.errors import DeskError, NotFound, ValidationError
from app.indicators import PeriodFigures, QueueEntry, export_csv, export_xlsx, period_figures
from app.models import Agent, AgentSignIn, AgentStateSpan, Contact, OutboundTask, TransferOrder, TransferStep
from app.models.work import OPEN_TRANSFER_STATUSES
from app.secrets import Credentials
from app.services.locking import commit_versioned, load_for_edit
from app.services.outbound import CLAIM_FOR
from app.timeutil import utcnow
from app.worker import DbWorker
from cti.ami.link import PbxAddress
from cti.ami.message import AmiMessage
from cti.bus import EventBus
from cti.events import EngineDidCrash, Event, LinkDidDrop, RegistrationDidChange, TeamMemberDidUpdate
from cti.softphone import SipAccount, Softphone
from cti.supervisor import SupervisorSession
from cti.team import TeamMonitor

log = logging.getLogger(__name__)


class NotALead(DeskError):
    """The signed-in account may not run lead actions."""

    def __init__(self, agent_id: str) -> None:
        super().__init__(f"agent {agent_id} is not a team lead account; lead actions are refused")


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentCallDidConnect(Event):
    """An agent's call from a queue was connected (the wallboard shows the queue)."""

    agent_id: str
    queue: str


class LeadTeam(TeamMonitor):
    """The team view, plus which queue each agent's current call came from."""

    def feed(self, m: AmiMessage) -> None:
        super().feed(m)
        if m.event == "AgentConnect" and self._wanted(m.get("Queue")):
            iface = m.get("Interface") or m.get("MemberName")
            self.bus.publish(AgentCallDidConnect(agent_id=iface.split("/", 1)[-1], queue=m.get("Queue")))


def build_supervisor(*, config: CentreConfig, profile: DeskProfile, lead_extension: str, queues: tuple[str, ...],
                     credentials: Credentials, bus: EventBus, softphone: Softphone | None,
                     ca_file: str | None = None) -> SupervisorSession:
    """Build the lead's AMI session (AMI user ``lead<ext>``) with the queue-aware team view."""
    tls = profile.transport == "tls"
    pbx = tuple(PbxAddress(host=s.host, port=s.ami_tls_port if tls else s.ami_port, tls=tls, ca_file=ca_file)
                for s in config.pbx)
    user = f"lead{lead_extension}"
    sup = SupervisorSession(lead_extension=lead_extension, pbx=pbx, ami_user=user, ami_secret=credentials.ami_secret(user),
                            bus=bus, softphone=softphone, queues=queues or None,
                            heartbeat_seconds=config.heartbeat_seconds, action_timeout=config.action_timeout_seconds)
    sup.team = LeadTeam(bus=bus, queues=queues or None)
    return sup


class Supervisor(Protocol):
    """What the lead desk needs of cti.supervisor.SupervisorSession."""

    team: TeamMonitor

    async def start(self, within: float = ...) -> None: ...
    async def close(self) -> None: ...
    async def listen(self, extension: str) -> None: ...
    async def whisper(self, extension: str) -> None: ...
    async def barge(self, extension: str) -> None: ...
    async def stop_spy(self) -> None: ...
    async def force_not_ready(self, extension: str, reason: str, *, lead: str | None = None) -> None: ...
    async def force_sign_out(self, extension: str, *, lead: str | None = None) -> int: ...


class QueueSource(Protocol):
    def entries(self, *, since: datetime, until: datetime) -> list[QueueEntry]: ...


@dataclass(frozen=True, slots=True)
class TeamMember:
    agent_id: str
    name: str
    handled_today: int
    handle_seconds_today: float


@dataclass(frozen=True, slots=True)
class WorkItem:
    kind: str  # "transfer" or "outbound"
    id: int
    version: int
    label: str  # number or kind; no personal data
    owner: str | None
    due_at: datetime
    dialling: str | None = None  # an outbound task a CSR is dialling now (its claim): reassigning it then is a surprise


class LeadDesk:
    """One lead's desk; build it in the composition root with every dependency passed in."""

    def __init__(self, *, config: CentreConfig, actor: Actor, team: str, bus: EventBus, worker: DbWorker,
                 session_factory: Callable[[], Session], supervisor: Supervisor, queue_source: QueueSource | None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.config = config
        self.actor = actor
        self.team_name = team
        self.bus = bus
        self.worker = worker
        self.session_factory = session_factory
        self.supervisor = supervisor
        self.queue_source = queue_source
        self.clock = clock
        self.alerts = AlertMonitor(thresholds=config.alerts, publish=bus.publish,
                                   wrap_up_seconds=config.wrap_up_seconds)
        self._unsub: list[Callable[[], None]] = []
        self.display_name = ""
        self.signed_in = False  # set by sign_in_lead: close() then records the sign-out

    # --- life ------------------------------------------------------------------------------------------------------

    async def start(self) -> list[TeamMember]:
        """Check the lead role, connect the lead's AMI session, and return the team with today's figures."""
        await self._require_lead()
        self._unsub = [
            self.bus.subscribe(TeamMemberDidUpdate, self._on_member),
            self.bus.subscribe(LinkDidDrop, lambda e: self.alerts.desk_degraded("PBX link down")),
            self.bus.subscribe(EngineDidCrash, lambda e: self.alerts.desk_degraded("SIP engine down")),
            self.bus.subscribe(RegistrationDidChange, self._on_registration),
        ]
        await self.supervisor.start()
        return await self.worker.run(self._with, _team_today, team=self.team_name, now=self.clock())

    async def close(self) -> None:
        """Stop watching the team (and record the lead's sign-out when sign_in_lead signed them in)."""
        for u in self._unsub:
            u()
        self._unsub.clear()
        await self.supervisor.close()
        if self.signed_in:
            from app.services.agents import record_sign_out

            self.signed_in = False
            await self.worker.run(self._with, lambda s: record_sign_out(s, actor=self.actor))

    def _on_registration(self, e: RegistrationDidChange) -> None:
        if not e.registered and self.signed_in:  # the lead's own softphone (it carries the spy audio)
            self.alerts.desk_degraded("softphone unregistered")

    def _on_member(self, e: TeamMemberDidUpdate) -> None:
        self.alerts.agent_state(e.agent_id, e.state, e.reason, e.since)

    # --- spying and forcing ---------------------------------------------------------------------------------------

    async def spy(self, extension: str, mode: str) -> None:
        """Listen, whisper or barge on an agent's call (switches live when already spying on that agent)."""
        if mode not in ("listen", "whisper", "barge"):
            raise ValidationError({"mode": "listen, whisper or barge"})
        await self._require_lead()
        await getattr(self.supervisor, mode)(extension)
        await self._audit(f"lead.{mode}", "agent", extension)

    async def stop_spy(self) -> None:
        await self.supervisor.stop_spy()

    async def force_not_ready(self, extension: str, reason: str) -> None:
        """Pause an agent in all queues with ``reason``; their desk shows the reason and this lead."""
        if not reason.strip():
            raise ValidationError({"reason": "choose a reason"})
        await self._require_lead()
        await self.supervisor.force_not_ready(extension, reason, lead=self.actor.agent_id)
        await self._audit("lead.force_not_ready", "agent", extension, detail={"reason": reason.strip()[:18]})

    async def force_sign_out(self, extension: str) -> int:
        """Sign out an agent who walked away: paused with this lead's tag, removed from every queue, and the
        sign-in period closed in the database (so it stops counting as paid time)."""
        await self._require_lead()
        n = await self.supervisor.force_sign_out(extension, lead=self.actor.agent_id)
        await self.worker.run(self._with, _close_sign_in, actor=self.actor, agent_id=extension, at=self.clock(),
                              memberships=n)
        return n

    async def acknowledge(self, alert_id: int) -> Alert:
        """Acknowledge an alert (audited)."""
        await self._require_lead()
        alert = self.alerts.acknowledge(alert_id, self.actor.agent_id)
        await self._audit("alert.acknowledge", "alert", alert.id,
                          detail={"kind": alert.kind, "agent": alert.agent_id})
        return alert

    # --- reassigning work -----------------------------------------------------------------------------------------

    async def open_work(self) -> list[WorkItem]:
        return await self.worker.run(self._with, _open_work)

    async def reassign(self, item: WorkItem, to_agent: str) -> None:
        """Give an open transfer order or outbound task to another agent (refuses a stale version)."""
        await self._require_lead()
        await self.worker.run(self._with, _reassign, actor=self.actor, item=item, to_agent=to_agent.strip(),
                              now=self.clock())

    # --- figures --------------------------------------------------------------------------------------------------

    async def figures(self, since: datetime, until: datetime) -> PeriodFigures:
        """Every Appendix A indicator of the team for [since, until)."""
        entries = await self.worker.run(self._entries, since, until)
        return await self.worker.run(self._with, period_figures, entries, since=since, until=until,
                                     team=self.team_name)

    async def export(self, figures: PeriodFigures, path: Path) -> list[Path]:
        """Write the figures as CSV (two files beside ``path``) or XLSX (by ``path``'s suffix); audited."""
        await self._require_lead()
        if path.suffix.lower() == ".xlsx":
            out = [await self.worker.run(export_xlsx, figures, path)]
        else:
            out = list(await self.worker.run(export_csv, figures, path.parent, path.stem))
        await self._audit("export.indicators", "indicators", "-", detail={
            "since": figures.since.isoformat(timespec="minutes"), "until": figures.until.isoformat(timespec="minutes"),
            "format": "xlsx" if path.suffix.lower() == ".xlsx" else "csv"})
        return out

    def _entries(self, since: datetime, until: datetime) -> list[QueueEntry]:
        return self.queue_source.entries(since=since, until=until) if self.queue_source is not None else []

    # --- database side --------------------------------------------------------------------------------------------

    def _with(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        with self.session_factory() as s:
            return fn(s, *args, **kwargs)

    async def _require_lead(self) -> None:
        await self.worker.run(self._with, require_lead, actor=self.actor)

    async def _audit(self, action: str, record_type: str, record_id: object,
                     detail: dict[str, Any] | None = None) -> None:
        def write(s: Session) -> None:
            audit.append(s, actor=self.actor, action=action, record_type=record_type, record_id=record_id,
                         detail=detail)
            s.commit()

        await self.worker.run(self._with, write)


def require_lead(session: Session, *, actor: Actor) -> None:
    """Refuse unless the database says ``actor`` is an enabled lead account (audits a refusal)."""
    agent = session.get(Agent, actor.agent_id)
    if agent is None or agent.disabled or agent.role != "lead":
        audit.append(session, actor=actor, action="lead.refused", record_type="agent", record_id=actor.agent_id,
                     outcome="not_a_lead")
        session.commit()
        raise NotALead(actor.agent_id)


def _team_today(session: Session, *, team: str, now: datetime) -> list[TeamMember]:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    names = {a: n for a, n in session.execute(select(Agent.agent_id, Agent.display_name).where(
        Agent.team == team, Agent.role == "csr", Agent.disabled.is_(False)))}
    done: dict[str, tuple[int, float]] = {}
    for aid, a, b in session.execute(select(Contact.agent_id, Contact.answered_at, Contact.ended_at).where(
            Contact.offered_at >= start, Contact.answered_at.is_not(None), Contact.ended_at.is_not(None),
            Contact.agent_id.in_(names))):
        n, t = done.get(aid, (0, 0.0))
        done[aid] = (n + 1, t + (max((b - a).total_seconds(), 0.0) if a and b else 0.0))
    return [TeamMember(aid, name, *done.get(aid, (0, 0.0))) for aid, name in sorted(names.items())]


def _close_sign_in(session: Session, *, actor: Actor, agent_id: str, at: datetime, memberships: int) -> None:
    for row in session.scalars(select(AgentSignIn).where(AgentSignIn.agent_id == agent_id,
                                                         AgentSignIn.signed_out_at.is_(None))):
        row.signed_out_at = max(at, row.signed_in_at)
    for span in session.scalars(select(AgentStateSpan).where(AgentStateSpan.agent_id == agent_id,
                                                             AgentStateSpan.ended_at.is_(None))):
        span.ended_at = max(at, span.started_at)
    audit.append(session, actor=actor, action="lead.force_sign_out", record_type="agent", record_id=agent_id,
                 detail={"memberships": memberships})
    session.commit()


def _open_work(session: Session) -> list[WorkItem]:
    items = [WorkItem("transfer", t.id, t.version, t.number, t.raised_by, t.due_at) for t in session.scalars(
        select(TransferOrder).where(TransferOrder.status.in_(OPEN_TRANSFER_STATUSES)).order_by(TransferOrder.due_at)
        .limit(500))]
    live = utcnow() - CLAIM_FOR
    items += [WorkItem("outbound", o.id, o.version, o.kind, o.assigned_to, o.due_at,
                       o.claimed_by if o.claimed_at is not None and o.claimed_at >= live else None)
              for o in session.scalars(select(OutboundTask).where(OutboundTask.status == "open")
                                       .order_by(OutboundTask.due_at).limit(500))]
    return items


def _reassign(session: Session, *, actor: Actor, item: WorkItem, to_agent: str, now: datetime) -> None:
    target = session.get(Agent, to_agent)
    if target is None or target.disabled or target.role != "csr":
        raise ValidationError({"to_agent": "choose an enabled CSR account"})
    if item.kind == "transfer":
        order = load_for_edit(session, TransferOrder, "transfer order", item.id, item.version)
        if order.status not in OPEN_TRANSFER_STATUSES:
            session.rollback()
            raise ValidationError({"order": f"the order is {order.status}; only open orders can be reassigned"})
        before = order.raised_by
        order.raised_by = to_agent
        order.steps.append(TransferStep(at=now, actor=actor.agent_id, status=order.status,
                                        note=f"reassigned from {before} to {to_agent}"))
        model: Any = TransferOrder
        record, kind = "transfer order", "transfer_order"
    elif item.kind == "outbound":
        task = load_for_edit(session, OutboundTask, "outbound task", item.id, item.version)
        if task.status != "open":
            session.rollback()
            raise ValidationError({"task": f"the task is {task.status}; only open tasks can be reassigned"})
        before = task.assigned_to or ""
        task.assigned_to = to_agent
        model, record, kind = OutboundTask, "outbound task", "outbound_task"
    else:
        raise NotFound("work item", item.kind)

    def _audit() -> None:
        audit.append(session, actor=actor, action="lead.reassign", record_type=kind, record_id=item.id,
                     fields=["owner"], detail={"from": before, "to": to_agent}, now=now)

    commit_versioned(session, model, record, item.id, item.version, _audit)



# --- signing a lead in (the composition root calls these instead of Desk.sign_in for a lead account) -------------


def is_lead_account(session: Session, agent_id: str) -> bool:
    """Whether ``agent_id`` names a lead account (no password check: it only picks the sign-in path)."""
    return session.scalar(select(Agent.role).where(Agent.agent_id == agent_id.strip())) == "lead"


async def sign_in_lead(*, desk: Any, agent_id: str, password: str, queue_source: QueueSource | None) -> LeadDesk:
    """Sign a lead in on ``desk`` (app.desk.Desk's parts): check the password (audited) and the lead role, register
    the lead's softphone (it carries the spy audio; the lead joins no queue), connect the lead's AMI user and
    return the started LeadDesk. Raise SignInError/NotALead with a readable text."""
    from app.desk import SignInError
    from app.errors import AuthError
    from app.secrets import KeyringUnavailable
    from app.services import agents

    def verify(s: Session) -> tuple[agents.AgentAccount, str]:
        acc = agents.verify_agent(s, agent_id, password, desk_id=desk.desk_id)
        return acc, s.get(Agent, acc.agent_id).team  # type: ignore[union-attr]

    try:
        account, team = await desk.worker.run(_with_factory, desk.session_factory, verify)
    except AuthError as exc:
        raise SignInError(str(exc)) from None
    actor = Actor(agent_id=account.agent_id, desk_id=desk.desk_id, profile=desk.profile.name, role="lead")
    if account.role != "lead":
        raise NotALead(account.agent_id)
    try:  # the keyring's child process starts on the worker thread, not on the loop (app/secrets.py)
        await desk.worker.run(desk.credentials.prefetch, sip=(account.agent_id,), ami=(f"lead{account.agent_id}",))
    except KeyringUnavailable as exc:
        raise SignInError(str(exc)) from None
    prof, cfg, ca = desk.profile, desk.config, getattr(desk, "_ca_file", None)
    tls = prof.transport == "tls"
    sip = SipAccount(extension=account.agent_id, password=desk.credentials.sip_password(account.agent_id),
                     registrars=tuple(f"{s.host}:{s.sip_tls_port if tls else s.sip_port}" for s in cfg.pbx),
                     transport=prof.transport,
                     srtp_required=prof.srtp, ca_file=ca)
    queues = tuple(dict.fromkeys(q for qs in cfg.queues.values() for q in qs))
    sup = build_supervisor(config=cfg, profile=prof, lead_extension=account.agent_id, queues=queues,
                           credentials=desk.credentials, bus=desk.bus, softphone=desk.softphone, ca_file=ca)
    lead = LeadDesk(config=cfg, actor=actor, team=team, bus=desk.bus, worker=desk.worker,
                    session_factory=desk.session_factory, supervisor=sup, queue_source=queue_source)
    try:
        prepare = getattr(desk, "prepare", None)  # Desk starts its engine once (maybe already while typing)
        await (prepare() if prepare is not None else desk.softphone.start())
        await desk.softphone.register(sip)
    except Exception as exc:
        raise SignInError(f"The PBX refused this desk's SIP registration: {exc}") from None
    lead.display_name = account.display_name
    await desk.worker.run(_with_factory, desk.session_factory, lambda s: agents.record_sign_in(s, actor=actor))
    lead.signed_in = True
    return lead


def _with_factory(factory: Callable[[], Session], fn: Callable[[Session], Any]) -> Any:
    with factory() as s:
        return fn(s)
