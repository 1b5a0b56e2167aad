"""Appendix A indicators the desk's own data can answer: utilisation, first-contact resolution,
customer satisfaction and cooling-off callback success. Each returns a ``Ratio`` (None when the
denominator is zero) over a time window [since, until)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AgentSignIn, AgentStateSpan, Contact, OutboundTask, WrapUp

PRODUCTIVE_STATES = frozenset({"ringing", "talking", "held", "consulting", "conferencing", "wrap_up"})
READY_STATES = frozenset({"ready"})
SATISFIED_SCORES = (3, 4)  # satisfied, very satisfied on the four-level scale


@dataclass(frozen=True, slots=True)
class Ratio:
    numerator: float
    denominator: float

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator


def _overlap(start: datetime, end: datetime | None, since: datetime, until: datetime) -> float:
    lo, hi = max(start, since), min(end or until, until)
    return max((hi - lo).total_seconds(), 0.0)


def utilisation(session: Session, *, agent_id: str, since: datetime, until: datetime) -> Ratio:
    """(productive + ready time) ÷ signed-in (paid) time, in seconds (Appendix A, key indicator)."""
    spans = session.execute(select(AgentStateSpan.state, AgentStateSpan.started_at, AgentStateSpan.ended_at).where(
        AgentStateSpan.agent_id == agent_id, AgentStateSpan.started_at < until,
        (AgentStateSpan.ended_at.is_(None)) | (AgentStateSpan.ended_at > since))).all()
    worked = sum(_overlap(s, e, since, until) for st, s, e in spans if st in PRODUCTIVE_STATES | READY_STATES)
    signins = session.execute(select(AgentSignIn.signed_in_at, AgentSignIn.signed_out_at).where(
        AgentSignIn.agent_id == agent_id, AgentSignIn.signed_in_at < until,
        (AgentSignIn.signed_out_at.is_(None)) | (AgentSignIn.signed_out_at > since))).all()
    paid = sum(_overlap(s, e, since, until) for s, e in signins)
    return Ratio(worked, paid)


def first_contact_resolution(session: Session, *, since: datetime, until: datetime) -> Ratio:
    """Contacts resolved at the first contact ÷ wrapped-up contacts."""
    row = session.execute(
        select(func.count(), func.count().filter(WrapUp.resolved_first_contact))
        .where(WrapUp.created_at >= since, WrapUp.created_at < until)
    ).one()
    return Ratio(float(row[1]), float(row[0]))


def satisfaction(session: Session, *, since: datetime, until: datetime) -> Ratio:
    """(very satisfied + satisfied) ÷ valid ratings, by the call's offer time."""
    row = session.execute(
        select(func.count(Contact.survey_score), func.count().filter(Contact.survey_score.in_(SATISFIED_SCORES)))
        .where(Contact.offered_at >= since, Contact.offered_at < until, Contact.survey_score.is_not(None))
    ).one()
    return Ratio(float(row[1]), float(row[0]))


def cooling_off_success(session: Session, *, since: datetime, until: datetime) -> Ratio:
    """Successful cooling-off callbacks ÷ callbacks due in the window (key indicator)."""
    row = session.execute(
        select(func.count(), func.count().filter(OutboundTask.last_result == "success"))
        .where(OutboundTask.kind == "cooling_off", OutboundTask.due_at >= since, OutboundTask.due_at < until)
    ).one()
    return Ratio(float(row[1]), float(row[0]))
