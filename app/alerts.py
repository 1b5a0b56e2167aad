"""Abnormal monitoring for the team lead (S-7.2.2): very short and very long calls, not ready too long for its
reason, wrap-up overrun, repeated sign-in/sign-out, and a degraded desk.

The monitor is fed the team's live state changes (``TeamMemberDidUpdate``, kept from AMI events) and the lead's own
link and engine events; ``check()`` runs on a timer for the thresholds that fire while a state lasts. Thresholds
come from the centre configuration (``[alerts]``, ``app.config.AlertThresholds``):

- short call: a call (talking or on hold, unbroken) that ended in under ``short_call_seconds``;
- long call: a call still going after ``long_call_seconds``;
- not ready: longer than ``not_ready_limit_seconds[reason]``; a reason the table does not name (e.g. one a lead
  typed) gets the table's largest limit;
- wrap-up overrun: wrap-up lasting longer than the desk's wrap-up time plus ``wrap_up_overrun_seconds``;
- repeated sign-in/sign-out: ``sign_in_out_repeats_per_hour`` sign-outs within the last hour;
- degraded desk: an agent whose phone the PBX reports unavailable (softphone unregistered, engine or link down), or
  the lead's own PBX link or SIP engine down.

An alert is active until the lead acknowledges it (the acknowledgement is audited by ``app.lead``); each kind is
raised once per episode (one long call, one not-ready stretch, ...).
"""

from __future__ import annotations

import itertools
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.config import AlertThresholds
from app.timeutil import utcnow
from cti.events import Event

KINDS = ("short_call", "long_call", "not_ready_overrun", "wrap_up_overrun", "sign_in_out_repeats", "desk_degraded")
IN_CALL = frozenset({"talking", "on_hold", "held", "consulting", "conferencing"})
_FORCED = re.compile(r"\s*\[lead [0-9]+\]$")


@dataclass(slots=True)
class Alert:
    id: int
    kind: str
    agent_id: str | None  # None: the lead's own desk
    raised_at: datetime  # naive UTC
    seconds: float = 0.0  # how long (the call, the not-ready stretch, ...), or the count for repeats
    limit: float = 0.0
    reason: str | None = None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.acknowledged_by is None


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertDidRaise(Event):
    alert: Alert


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertDidAcknowledge(Event):
    alert: Alert


@dataclass(slots=True)
class _Agent:
    state: str
    reason: str | None
    since: float
    call_since: float | None = None


def base_reason(reason: str | None) -> str | None:
    """Drop the ``[lead NNNN]`` tag a forced not-ready carries."""
    return _FORCED.sub("", reason) if reason else reason


class AlertMonitor:
    """Raise alerts from the team's states; ``publish`` gets AlertDidRaise/AlertDidAcknowledge events."""

    def __init__(self, *, thresholds: AlertThresholds, publish: Callable[[Event], None], wrap_up_seconds: float = 0.0,
                 clock: Callable[[], float] = time.monotonic, wall: Callable[[], datetime] = utcnow) -> None:
        self.t = thresholds
        self.publish = publish
        self.wrap_up_seconds = wrap_up_seconds
        self.clock = clock
        self.wall = wall
        self.alerts: list[Alert] = []
        self._ids = itertools.count(1)
        self._agents: dict[str, _Agent] = {}
        self._sign_outs: dict[str, deque[float]] = {}
        self._raised: set[tuple[str, str | None, float]] = set()  # (kind, agent, episode start)
        self._by_id: dict[int, Alert] = {}
        self._active: dict[str, int] = {}  # agent -> unacknowledged alerts

    # --- inputs ---------------------------------------------------------------------------------------------------

    def agent_state(self, agent_id: str, state: str, reason: str | None, since: float) -> None:
        """Take one agent's new state (``since`` on the monitor's clock)."""
        now = self.clock()
        old = self._agents.get(agent_id)
        if old is not None and old.call_since is not None and state not in IN_CALL:
            took = since - old.call_since
            if took < self.t.short_call_seconds:
                self._raise("short_call", agent_id, old.call_since, seconds=took, limit=self.t.short_call_seconds)
        if state == "signed_out":
            if old is not None:
                outs = self._sign_outs.setdefault(agent_id, deque())
                outs.append(now)
                while outs and now - outs[0] > 3600:
                    outs.popleft()
                if len(outs) >= self.t.sign_in_out_repeats_per_hour:
                    self._raise("sign_in_out_repeats", agent_id, outs[0], seconds=len(outs),
                                limit=self.t.sign_in_out_repeats_per_hour)
            self._agents.pop(agent_id, None)
            return
        call_since = (old.call_since if old is not None and old.call_since is not None else since) \
            if state in IN_CALL else None
        self._agents[agent_id] = _Agent(state, reason, since, call_since)
        if state == "unavailable":
            self._raise("desk_degraded", agent_id, since, reason="phone unavailable")
        self._check(agent_id, self._agents[agent_id], now)

    def desk_degraded(self, what: str) -> None:
        """The lead's own desk lost its PBX link or SIP engine (``what`` says which)."""
        self._raise("desk_degraded", None, self.clock(), reason=what)

    def check(self) -> None:
        """Raise the alerts whose threshold a lasting state has now crossed."""
        now = self.clock()
        for aid, a in self._agents.items():
            self._check(aid, a, now)

    def _check(self, aid: str, a: _Agent, now: float) -> None:
        if a.call_since is not None and now - a.call_since > self.t.long_call_seconds:
            self._raise("long_call", aid, a.call_since, seconds=now - a.call_since, limit=self.t.long_call_seconds)
        if a.state == "not_ready":
            limit = self.not_ready_limit(a.reason)
            if now - a.since > limit:
                self._raise("not_ready_overrun", aid, a.since, seconds=now - a.since, limit=limit,
                            reason=a.reason)
        elif a.state == "wrap_up":
            limit = self.wrap_up_seconds + self.t.wrap_up_overrun_seconds
            if now - a.since > limit:
                self._raise("wrap_up_overrun", aid, a.since, seconds=now - a.since, limit=limit)

    def not_ready_limit(self, reason: str | None) -> float:
        limits = self.t.not_ready_limit_seconds
        r = base_reason(reason)
        if r in limits:
            return float(limits[r])
        return float(max(limits.values(), default=3600))

    # --- the lead's side -----------------------------------------------------------------------------------------

    def active_agents(self) -> set[str]:
        """Agents with at least one unacknowledged alert (their wallboard rows are highlighted)."""
        return {aid for aid, n in self._active.items() if n > 0}

    def is_active(self, agent_id: str) -> bool:
        """Whether ``agent_id`` has an unacknowledged alert."""
        return self._active.get(agent_id, 0) > 0

    def acknowledge(self, alert_id: int, by: str) -> Alert:
        """Mark an alert seen by the lead ``by``; raise KeyError for an unknown id."""
        alert = self._by_id.get(alert_id)
        if alert is None:
            raise KeyError(alert_id)
        if alert.active:
            alert.acknowledged_by, alert.acknowledged_at = by, self.wall()
            if alert.agent_id is not None:
                self._active[alert.agent_id] -= 1
            self.publish(AlertDidAcknowledge(alert=alert))
        return alert

    def _raise(self, kind: str, agent_id: str | None, episode: float, *, seconds: float = 0.0, limit: float = 0.0,
               reason: str | None = None) -> None:
        key = (kind, agent_id, episode)
        if key in self._raised:
            return
        self._raised.add(key)
        alert = Alert(next(self._ids), kind, agent_id, self.wall(), seconds, limit, reason)
        self.alerts.append(alert)
        self._by_id[alert.id] = alert
        if agent_id is not None:
            self._active[agent_id] = self._active.get(agent_id, 0) + 1
        self.publish(AlertDidRaise(alert=alert))
