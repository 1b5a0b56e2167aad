"""The team lead's live view: every agent's state, reason and time in state, and queue figures, kept from AMI
events (not polling) after one QueueStatus snapshot."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cti import events as ev
from cti.ami.actions import MemberStatus, PbxActions, member_of
from cti.ami.message import AmiMessage
from cti.bus import EventBus
from cti.state import WRAP_UP_REASON

# AST_DEVICE_* values in QueueMember* events
_IN_CALL = {2: "talking", 3: "talking", 6: "ringing", 7: "talking", 8: "on_hold"}


@dataclass
class AgentView:
    interface: str
    name: str
    state: str
    reason: str | None
    since: float
    queues: set[str] = field(default_factory=set)

    @property
    def extension(self) -> str:
        return self.interface.split("/", 1)[-1]


@dataclass
class QueueView:
    queue: str
    answered: int = 0
    abandoned: int = 0
    answered_in_sl: int = 0
    entries: dict[str, float] = field(default_factory=dict)  # caller uniqueid -> joined (clock)

    @property
    def waiting(self) -> int:
        return len(self.entries)

    def longest_wait(self, now: float) -> float:
        return max((now - t for t in self.entries.values()), default=0.0)

    @property
    def service_level(self) -> float | None:
        return self.answered_in_sl / self.answered if self.answered else None


def agent_state(m: MemberStatus) -> tuple[str, str | None]:
    """Name a member's state the way the desk does."""
    if m.device_status in _IN_CALL or m.in_call:
        return _IN_CALL.get(m.device_status, "talking"), None
    if m.device_status in (5, 4, 0):  # unavailable, invalid, unknown: not registered
        return "unavailable", None
    if m.paused:
        return ("wrap_up", WRAP_UP_REASON) if m.reason == WRAP_UP_REASON else ("not_ready", m.reason or None)
    return "ready", None


class TeamMonitor:
    """Keep the team's live figures; publish TeamMemberDidUpdate and QueueDidUpdate on the bus."""

    def __init__(self, *, bus: EventBus, queues: tuple[str, ...] | None = None, service_level_seconds: float = 20.0,
                 clock: Callable[[], float] = time.monotonic, answers_from_leave: bool = False) -> None:
        """``answers_from_leave``: count answered calls (and service level) from callers leaving the queue
        without abandoning, for a CSR desk whose event filter hides other agents' AgentConnect."""
        self.bus = bus
        self.only = set(queues) if queues else None
        self.sl = service_level_seconds
        self.clock = clock
        self.agents: dict[str, AgentView] = {}
        self.queues: dict[str, QueueView] = {}
        self._members: dict[str, dict[str, MemberStatus]] = {}  # interface -> queue -> member row
        self.answers_from_leave = answers_from_leave
        self._abandoned: set[str] = set()

    def _wanted(self, queue: str) -> bool:
        return bool(queue) and (self.only is None or queue in self.only)

    async def load(self, pbx: PbxActions) -> None:
        """Start from one QueueStatus snapshot (call again after a reconnect)."""
        snap = await pbx.queue_status()
        now = self.clock()
        self._members.clear()
        for q in snap.queues:
            if self._wanted(q.queue):
                qv = self.queues.setdefault(q.queue, QueueView(q.queue))
                qv.answered = max(qv.answered, q.completed)
                qv.abandoned = max(qv.abandoned, q.abandoned)
                qv.answered_in_sl = max(qv.answered_in_sl, round(q.completed * q.service_level_perf / 100))
                qv.entries = {}
        for e in snap.entries:
            if self._wanted(e.queue):
                self.queues[e.queue].entries[e.uniqueid] = now - e.wait
        for m in snap.members:
            if self._wanted(m.queue):
                self._members.setdefault(m.interface, {})[m.queue] = m
        for iface in set(self._members) | set(self.agents):
            self._refresh(iface)
        for qv in self.queues.values():
            self._publish_queue(qv)

    def feed(self, m: AmiMessage) -> None:
        """Update from one AMI event."""
        name, queue = m.event, m.get("Queue")
        if not self._wanted(queue):
            return
        if name in ("QueueMemberAdded", "QueueMemberStatus", "QueueMemberPause", "QueueMemberRemoved"):
            mem = member_of(m)
            if name == "QueueMemberRemoved":
                rows = self._members.get(mem.interface)
                if rows is not None:
                    rows.pop(queue, None)
                    if not rows:
                        del self._members[mem.interface]
            else:
                self._members.setdefault(mem.interface, {})[queue] = mem
            self._refresh(mem.interface)
            return
        qv = self.queues.setdefault(queue, QueueView(queue))
        if name == "QueueCallerJoin":
            qv.entries[m.get("Uniqueid")] = self.clock()
        elif name == "QueueCallerLeave":
            uid = m.get("Uniqueid")
            joined = qv.entries.pop(uid, None)
            if self.answers_from_leave and uid not in self._abandoned:
                qv.answered += 1
                if joined is not None and self.clock() - joined <= self.sl:
                    qv.answered_in_sl += 1
            self._abandoned.discard(uid)
        elif name == "QueueCallerAbandon":
            qv.entries.pop(m.get("Uniqueid"), None)
            qv.abandoned += 1
            if self.answers_from_leave:
                self._abandoned.add(m.get("Uniqueid"))
        elif name == "AgentConnect" and not self.answers_from_leave:
            qv.entries.pop(m.get("Uniqueid"), None)
            qv.answered += 1
            try:
                if float(m.get("HoldTime") or 0) <= self.sl:
                    qv.answered_in_sl += 1
            except ValueError:
                pass
        else:
            return
        self._publish_queue(qv)

    def _refresh(self, interface: str) -> None:
        mine = list(self._members.get(interface, {}).values())  # O(queues of one agent), not O(team)
        now = self.clock()
        if not mine:
            view = self.agents.pop(interface, None)
            if view is not None:
                self.bus.publish(ev.TeamMemberDidUpdate(agent_id=view.extension, state="signed_out", reason=None,
                                                        since=now))
            return
        # the most telling member row wins: a call beats a pause beats ready
        rank = {"talking": 0, "ringing": 1, "on_hold": 1, "wrap_up": 2, "not_ready": 3, "ready": 4, "unavailable": 5}
        state, reason = min((agent_state(m) for m in mine), key=lambda sr: rank.get(sr[0], 9))
        view = self.agents.get(interface)
        if view is None:
            view = AgentView(interface, mine[0].name, state, reason, now)
            self.agents[interface] = view
        elif (view.state, view.reason) != (state, reason):
            view.state, view.reason, view.since = state, reason, now
        else:
            view.queues = {m.queue for m in mine}
            return
        view.queues = {m.queue for m in mine}
        self.bus.publish(ev.TeamMemberDidUpdate(agent_id=view.extension, state=state, reason=reason, since=view.since))

    def _publish_queue(self, qv: QueueView) -> None:
        self.bus.publish(ev.QueueDidUpdate(queue=qv.queue, waiting=qv.waiting, longest_wait=qv.longest_wait(
            self.clock()), answered=qv.answered, abandoned=qv.abandoned, service_level=qv.service_level))
