"""Contacts (one per call and agent) and wrap-up (小结, S-8.2.2.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.errors import NotFound, ValidationError
from app.models import Contact, ServiceCategory, WrapUp
from app.timeutil import utcnow
from app.validation import Checker, normalise_phone, one_of, required_text

DIRECTIONS = ("inbound", "outbound")
SURVEY_SCORES = (1, 2, 3, 4)  # very dissatisfied .. very satisfied (Appendix A)


def open_contact(
    session: Session, *, actor: Actor, linkedid: str, direction: str, queue: str | None = None,
    caller_number: str | None = None, customer_id: int | None = None, offered_at: datetime | None = None,
) -> int:
    """Record a call offered to this agent; return the contact id (idempotent per linkedid and agent)."""
    c = Checker()
    c.check("linkedid", required_text, linkedid, max_len=64)
    c.check("direction", one_of, direction, DIRECTIONS)
    c.done()
    existing = session.scalar(select(Contact).where(Contact.linkedid == linkedid, Contact.agent_id == actor.agent_id))
    if existing is not None:
        return existing.id
    contact = Contact(linkedid=linkedid, direction=direction, queue=queue, agent_id=actor.agent_id,
                      customer_id=customer_id, caller_number=normalise_phone(caller_number) if caller_number else None,
                      offered_at=offered_at or utcnow())
    session.add(contact)
    session.flush()
    audit.append(session, actor=actor, action="contact.open", record_type="contact", record_id=contact.id,
                 detail={"direction": direction})
    session.commit()
    return contact.id


def _contact(session: Session, actor: Actor, linkedid: str) -> Contact:
    contact = session.scalar(select(Contact).where(Contact.linkedid == linkedid, Contact.agent_id == actor.agent_id))
    if contact is None:
        raise NotFound("contact", linkedid)
    return contact


def update_contact(
    session: Session, *, actor: Actor, linkedid: str, answered_at: datetime | None = None,
    ended_at: datetime | None = None, recording_ref: str | None = None, customer_id: int | None = None,
) -> None:
    """Fill in the timings, the recording reference or the identified customer as they become known."""
    contact = _contact(session, actor, linkedid)
    changed = []
    for name, value in (("answered_at", answered_at), ("ended_at", ended_at), ("recording_ref", recording_ref),
                        ("customer_id", customer_id)):
        if value is not None:
            setattr(contact, name, value)
            changed.append(name)
    if contact.answered_at and contact.ended_at and contact.ended_at < contact.answered_at:
        session.rollback()
        raise ValidationError({"ended_at": "the call cannot end before it was answered"})
    audit.append(session, actor=actor, action="contact.update", record_type="contact", record_id=contact.id,
                 fields=changed)
    session.commit()


def record_survey(session: Session, *, linkedid: str, score: int, actor: Actor) -> int:
    """Store the post-call survey score (1-4) on the call's contacts; return how many were updated."""
    if score not in SURVEY_SCORES:
        raise ValidationError({"score": "a survey score is 1 to 4"})
    result = session.execute(update(Contact).where(Contact.linkedid == linkedid).values(survey_score=score))
    n = cast(CursorResult[Any], result).rowcount
    audit.append(session, actor=actor, action="contact.survey", record_type="contact", record_id=linkedid,
                 detail={"updated": n})
    session.commit()
    return int(n)


@dataclass(frozen=True, slots=True, kw_only=True)
class WrapUpForm:
    linkedid: str
    category_code: str
    resolved_first_contact: bool | None
    notes: str = ""


def service_categories(session: Session) -> tuple[tuple[str, str | None, str, str], ...]:
    """Return the taxonomy as (code, parent_code, name_zh, name_en), level 1 before its children."""
    rows = session.scalars(select(ServiceCategory).order_by(ServiceCategory.code)).all()
    return tuple((r.code, r.parent_code, r.name_zh, r.name_en) for r in rows)


def save_wrap_up(session: Session, *, actor: Actor, form: WrapUpForm, now: datetime | None = None) -> int:
    """Validate and store the wrap-up of this agent's contact; return its id. One per contact."""
    c = Checker()
    contact = session.scalar(
        select(Contact).where(Contact.linkedid == form.linkedid, Contact.agent_id == actor.agent_id)
    ) if form.linkedid else None
    if contact is None:
        c.add("linkedid", "no call of yours with this id")
    elif contact.wrap_up is not None:
        c.add("linkedid", "this call is already wrapped up")
    cat = session.get(ServiceCategory, form.category_code) if form.category_code else None
    if cat is None:
        c.add("category_code", "choose a service category")
    elif cat.parent_code is None:
        c.add("category_code", "choose a second-level category")
    if form.resolved_first_contact is None:
        c.add("resolved_first_contact", "say whether it was resolved on this contact")
    if len(form.notes) > 2000:
        c.add("notes", "at most 2000 characters")
    c.done()
    assert contact is not None
    assert form.resolved_first_contact is not None
    w = WrapUp(contact_id=contact.id, category_code=form.category_code,
               resolved_first_contact=form.resolved_first_contact, notes=form.notes.strip(), agent_id=actor.agent_id,
               created_at=now or utcnow())
    session.add(w)
    session.flush()
    audit.append(session, actor=actor, action="wrap_up.save", record_type="wrap_up", record_id=w.id,
                 fields=["category_code", "resolved_first_contact", "notes"],
                 detail={"category": form.category_code, "fcr": form.resolved_first_contact})
    session.commit()
    return w.id
