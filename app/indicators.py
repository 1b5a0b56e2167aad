"""Appendix A indicators for the team lead, for today or a chosen period, each computed as the standard defines it.

Where each figure comes from (a decision, kept here so the lead's tooltips and this code agree):

- **Answer rate** (服务接通率) = contacts answered after entering the human queue ÷ contacts that entered it, and
  **abandoned calls**, come from the queue side: Asterisk's ``queue_log`` (one ``ENTERQUEUE`` line per contact that
  entered a human queue; ``CONNECT`` when an agent answered it; ``ABANDON`` when the caller hung up waiting). The
  contacts table cannot answer these: it only holds calls that reached an agent, so a caller who gave up in the
  queue exists only in the PBX's record. A contact counts in the period its ``ENTERQUEUE`` falls in. Callers who
  left by timeout or key press entered the queue and were not answered: they lower the answer rate but are not
  abandoned calls.
- **Service level** (per 15 minutes, for the plot) = entries answered within 20 s ÷ entries offered in the interval.
- **CSR utilisation** (利用率) = (productive time + ready time) ÷ paid working time, from the state history
  (``agent_state_span``) clipped to the sign-in periods (``agent_sign_in``): paid working time is signed-in time.
  Productive = handling customers: ringing, talking, held, consulting, conferencing and wrap-up. Ready = ready
  (waiting for a customer). Not ready (any reason), unavailable and degraded count in neither. An agent who signs
  out mid-period stops accruing paid time at the sign-out.
- **Customer satisfaction** = (very satisfied + satisfied) ÷ valid ratings: ``contact.survey_score`` 3 or 4 over scores
  1–4. A non-response (no score) is not a valid rating. Contacts count by their offer time.
- **First-contact resolution** = contacts resolved at the first contact ÷ all contacts, from the wrap-ups of the
  contacts offered in the period (every handled contact is wrapped up; one contact per call and agent).
- **Cooling-off callback success** (犹豫期内回访成功率) = successful callbacks ÷ callbacks due: cooling-off outbound
  tasks due in the period, successful when their result is ``success``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Agent, AgentSignIn, AgentStateSpan, Contact, OutboundTask, WrapUp

PRODUCTIVE_STATES = frozenset({"ringing", "talking", "held", "consulting", "conferencing", "wrap_up"})
READY_STATES = frozenset({"ready"})
VALID_SCORES = (1, 2, 3, 4)
SATISFIED_SCORES = (3, 4)
SERVICE_LEVEL_SECONDS = 20.0
INTERVAL = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Ratio:
    numerator: float
    denominator: float

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator


# --- the queue side ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class QueueEntry:
    """One contact's stay in one human queue, as the PBX logged it."""

    callid: str
    queue: str
    entered_at: datetime  # naive UTC
    outcome: str = "waiting"  # answered | abandoned | timeout | key | empty | waiting
    wait_seconds: float = 0.0
    agent: str = ""


_EXITS = {"ABANDON": "abandoned", "EXITWITHTIMEOUT": "timeout", "EXITWITHKEY": "key", "EXITEMPTY": "empty"}


def parse_queue_log(lines: Iterable[str]) -> list[QueueEntry]:
    """Read Asterisk queue_log lines into queue entries (member and config lines are skipped)."""
    open_: dict[tuple[str, str], QueueEntry] = {}
    out: list[QueueEntry] = []
    for line in lines:
        parts = line.rstrip("\n").split("|")
        if len(parts) < 5:
            continue
        stamp, callid, queue, agent, event, *data = parts
        key = (callid, queue)
        try:
            at = datetime.fromtimestamp(int(stamp), UTC).replace(tzinfo=None)
        except ValueError:
            continue
        if event == "ENTERQUEUE":
            entry = QueueEntry(callid, queue, at)
            open_[key] = entry
            out.append(entry)
        elif event == "CONNECT" and key in open_:
            entry = open_.pop(key)
            entry.outcome, entry.wait_seconds, entry.agent = "answered", _num(data, 0), agent
        elif event in _EXITS and key in open_:
            entry = open_.pop(key)
            entry.outcome = _EXITS[event]
            entry.wait_seconds = _num(data, 1 if event == "EXITWITHKEY" else 2)
    return out


def _num(data: list[str], i: int) -> float:
    try:
        return float(data[i])
    except (IndexError, ValueError):
        return 0.0


class QueueLogFile:
    """The queue side from a queue_log file (the lab's, or the PBX's copied or mounted log)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def entries(self, *, since: datetime, until: datetime) -> list[QueueEntry]:
        """Return the entries whose ENTERQUEUE is in [since, until)."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8", errors="replace") as f:
            return [e for e in parse_queue_log(f) if since <= e.entered_at < until]


def answer_rate(entries: Iterable[QueueEntry]) -> Ratio:
    """Contacts answered after entering the human queue ÷ contacts that entered it (key indicator)."""
    es = list(entries)
    return Ratio(float(sum(e.outcome == "answered" for e in es)), float(len(es)))


def abandoned(entries: Iterable[QueueEntry]) -> int:
    """Contacts that hung up while waiting in the queue."""
    return sum(e.outcome == "abandoned" for e in entries)


@dataclass(frozen=True, slots=True)
class Interval:
    start: datetime
    offered: int
    answered: int
    answered_in_sl: int

    @property
    def service_level(self) -> float | None:
        return self.answered_in_sl / self.offered if self.offered else None


def intervals(entries: Iterable[QueueEntry], *, since: datetime, until: datetime,
              sl_seconds: float = SERVICE_LEVEL_SECONDS) -> list[Interval]:
    """Calls offered and answered per 15 minutes (by the time they entered the queue), with the service level."""
    start = since.replace(minute=since.minute - since.minute % 15, second=0, microsecond=0)
    n = max(0, -(-int((until - start).total_seconds()) // int(INTERVAL.total_seconds())))
    counts = [[0, 0, 0] for _ in range(n)]
    for e in entries:
        i = int((e.entered_at - start) / INTERVAL)
        if 0 <= i < n and since <= e.entered_at < until:
            counts[i][0] += 1
            if e.outcome == "answered":
                counts[i][1] += 1
                counts[i][2] += e.wait_seconds <= sl_seconds
    return [Interval(start + k * INTERVAL, *c) for k, c in enumerate(counts)]


# --- the desk's data ----------------------------------------------------------------------------------------------


def _clip(a: datetime, b: datetime | None, lo: datetime, hi: datetime) -> tuple[datetime, datetime] | None:
    s, e = max(a, lo), min(b or hi, hi)
    return (s, e) if e > s else None


def _overlap(span: tuple[datetime, datetime], periods: list[tuple[datetime, datetime]]) -> float:
    return sum(max((min(span[1], p[1]) - max(span[0], p[0])).total_seconds(), 0.0) for p in periods)


@dataclass(slots=True)
class TimeUse:
    productive: float = 0.0
    ready: float = 0.0
    paid: float = 0.0

    @property
    def utilisation(self) -> Ratio:
        return Ratio(self.productive + self.ready, self.paid)


def time_use(session: Session, *, since: datetime, until: datetime,
             agent_ids: Iterable[str] | None = None) -> dict[str, TimeUse]:
    """Per agent: productive, ready and paid (signed-in) seconds in [since, until), spans clipped to sign-ins."""
    wanted = set(agent_ids) if agent_ids is not None else None
    periods: dict[str, list[tuple[datetime, datetime]]] = {}
    for aid, a, b in session.execute(select(AgentSignIn.agent_id, AgentSignIn.signed_in_at, AgentSignIn.signed_out_at)
                                     .where(AgentSignIn.signed_in_at < until, (AgentSignIn.signed_out_at.is_(None))
                                            | (AgentSignIn.signed_out_at > since))):
        if (wanted is None or aid in wanted) and (p := _clip(a, b, since, until)):
            periods.setdefault(aid, []).append(p)
    out = {aid: TimeUse(paid=sum((e - s).total_seconds() for s, e in _merge(ps))) for aid, ps in periods.items()}
    for aid, st, a, b in session.execute(
            select(AgentStateSpan.agent_id, AgentStateSpan.state, AgentStateSpan.started_at, AgentStateSpan.ended_at)
            .where(AgentStateSpan.started_at < until,
                   (AgentStateSpan.ended_at.is_(None)) | (AgentStateSpan.ended_at > since))):
        if aid not in out or (span := _clip(a, b, since, until)) is None:
            continue
        secs = _overlap(span, _merge(periods[aid]))
        if st in PRODUCTIVE_STATES:
            out[aid].productive += secs
        elif st in READY_STATES:
            out[aid].ready += secs
    return out


def _merge(periods: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for s, e in sorted(periods):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def utilisation(uses: Iterable[TimeUse]) -> Ratio:
    """(productive + ready) ÷ paid time summed over agents (key indicator)."""
    us = list(uses)
    return Ratio(sum(u.productive + u.ready for u in us), sum(u.paid for u in us))


def satisfaction(session: Session, *, since: datetime, until: datetime) -> Ratio:
    """(very satisfied + satisfied) ÷ valid ratings (1–4); non-responses are not ratings (key indicator)."""
    n, ok = session.execute(
        select(func.count(), func.count().filter(Contact.survey_score.in_(SATISFIED_SCORES)))
        .where(Contact.offered_at >= since, Contact.offered_at < until, Contact.survey_score.in_(VALID_SCORES))).one()
    return Ratio(float(ok), float(n))


def first_contact_resolution(session: Session, *, since: datetime, until: datetime) -> Ratio:
    """Contacts resolved at the first contact ÷ all (wrapped-up) contacts offered in the period."""
    n, ok = session.execute(
        select(func.count(), func.count().filter(WrapUp.resolved_first_contact))
        .join(Contact, Contact.id == WrapUp.contact_id)
        .where(Contact.offered_at >= since, Contact.offered_at < until)).one()
    return Ratio(float(ok), float(n))


def cooling_off_success(session: Session, *, since: datetime, until: datetime) -> Ratio:
    """Successful cooling-off callbacks ÷ callbacks due in the period (key indicator)."""
    n, ok = session.execute(
        select(func.count(), func.count().filter(OutboundTask.last_result == "success"))
        .where(OutboundTask.kind == "cooling_off", OutboundTask.due_at >= since, OutboundTask.due_at < until)).one()
    return Ratio(float(ok), float(n))


@dataclass(frozen=True, slots=True)
class AgentFigures:
    agent_id: str
    name: str
    handled: int
    handle_seconds: float  # talk time of answered contacts (answer → end)
    use: TimeUse

    @property
    def average_handle(self) -> float | None:
        return self.handle_seconds / self.handled if self.handled else None


def agent_figures(session: Session, *, since: datetime, until: datetime, team: str | None = None) -> list[AgentFigures]:
    """Per agent: handled calls (answered and ended), average handle time, and time use in the period."""
    agents_q = select(Agent.agent_id, Agent.display_name).where(Agent.role == "csr")
    if team is not None:
        agents_q = agents_q.where(Agent.team == team)
    names: dict[str, str] = {a: n for a, n in session.execute(agents_q.order_by(Agent.agent_id))}
    handled: dict[str, tuple[int, float]] = {}
    for aid, a, b in session.execute(select(Contact.agent_id, Contact.answered_at, Contact.ended_at).where(
            Contact.offered_at >= since, Contact.offered_at < until, Contact.answered_at.is_not(None),
            Contact.ended_at.is_not(None))):
        n, t = handled.get(aid, (0, 0.0))
        handled[aid] = (n + 1, t + (max((b - a).total_seconds(), 0.0) if a and b else 0.0))
    uses = time_use(session, since=since, until=until, agent_ids=names)
    return [AgentFigures(aid, name, *handled.get(aid, (0, 0.0)), uses.get(aid, TimeUse()))
            for aid, name in names.items()]


# --- the whole period --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    since: datetime
    until: datetime
    answer_rate: Ratio
    abandoned: int
    utilisation: Ratio
    satisfaction: Ratio
    first_contact_resolution: Ratio
    cooling_off_success: Ratio
    intervals: list[Interval] = field(default_factory=list)
    agents: list[AgentFigures] = field(default_factory=list)


def period_figures(session: Session, entries: Iterable[QueueEntry], *, since: datetime, until: datetime,
                   team: str | None = None) -> PeriodFigures:
    """Compute every indicator for [since, until) from the desk's data and the queue side's entries."""
    es = [e for e in entries if since <= e.entered_at < until]
    agents = agent_figures(session, since=since, until=until, team=team)
    return PeriodFigures(
        since=since, until=until, answer_rate=answer_rate(es), abandoned=abandoned(es),
        utilisation=utilisation(a.use for a in agents),
        satisfaction=satisfaction(session, since=since, until=until),
        first_contact_resolution=first_contact_resolution(session, since=since, until=until),
        cooling_off_success=cooling_off_success(session, since=since, until=until),
        intervals=intervals(es, since=since, until=until), agents=agents)


def today(now: datetime) -> tuple[datetime, datetime]:
    """Return [midnight, next midnight) of ``now``'s day (naive UTC, as the data layer stores time)."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


# --- export ------------------------------------------------------------------------------------------------------------

SUMMARY_HEADER = ("indicator", "numerator", "denominator", "value")
AGENT_HEADER = ("agent_id", "name", "handled", "average_handle_s", "productive_s", "ready_s", "paid_s", "utilisation")


def summary_rows(p: PeriodFigures) -> list[tuple[object, ...]]:
    """The period's indicators as rows (value empty when the denominator is zero)."""
    rows: list[tuple[object, ...]] = [
        (name, r.numerator, r.denominator, "" if r.value is None else round(r.value, 4))
        for name, r in (("answer_rate", p.answer_rate), ("utilisation", p.utilisation),
                        ("customer_satisfaction", p.satisfaction),
                        ("first_contact_resolution", p.first_contact_resolution),
                        ("cooling_off_callback_success", p.cooling_off_success))]
    rows.append(("abandoned_calls", p.abandoned, "", p.abandoned))
    return rows


def agent_rows(p: PeriodFigures) -> list[tuple[object, ...]]:
    return [(a.agent_id, a.name, a.handled, "" if a.average_handle is None else round(a.average_handle, 1),
             round(a.use.productive), round(a.use.ready), round(a.use.paid),
             "" if a.use.utilisation.value is None else round(a.use.utilisation.value, 4)) for a in p.agents]


def export_csv(p: PeriodFigures, directory: Path, stem: str = "indicators") -> tuple[Path, Path]:
    """Write the period's figures and the per-agent table as two CSV files; return their paths."""
    paths = (directory / f"{stem}-summary.csv", directory / f"{stem}-agents.csv")
    for path, header, rows in ((paths[0], SUMMARY_HEADER, summary_rows(p)), (paths[1], AGENT_HEADER, agent_rows(p))):
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(("period", p.since.isoformat(timespec="minutes"), p.until.isoformat(timespec="minutes")))
            w.writerow(header)
            w.writerows(rows)
    return paths


def export_xlsx(p: PeriodFigures, path: Path) -> Path:
    """Write the period's figures and the per-agent table as one workbook with two sheets."""
    from openpyxl import Workbook  # here: only an export needs it

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "indicators"
    ws.append(["period", p.since.isoformat(timespec="minutes"), p.until.isoformat(timespec="minutes")])
    ws.append(list(SUMMARY_HEADER))
    for row in summary_rows(p):
        ws.append(list(row))
    wa = wb.create_sheet("agents")
    wa.append(list(AGENT_HEADER))
    for row in agent_rows(p):
        wa.append(list(row))
    wb.save(path)
    return path
