"""Transfer orders (转办, S-8.2.2.4): raise, route by table, due time by SLA, follow progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.actor import Actor
from app.errors import NotFound
from app.models import (
    Customer,
    Department,
    RoutingRule,
    ServiceCategory,
    SlaRule,
    TransferOrder,
    TransferStep,
)
from app.models.work import PRIORITIES
from app.readmodels import TransferSummary
from app.services.locking import commit_versioned, load_for_edit
from app.services.numbers import new_number
from app.timeutil import utcnow
from app.validation import Checker, one_of, required_text

NEXT: dict[str, tuple[str, ...]] = {
    "sent": ("accepted", "returned"),
    "accepted": ("in_progress", "resolved", "returned"),
    "in_progress": ("resolved", "returned"),
    "returned": ("sent", "closed"),
    "resolved": ("closed", "sent"),
    "new": ("sent",),
    "closed": (),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferForm:
    category_code: str
    problem: str
    priority: str
    customer_id: int | None = None
    linkedid: str | None = None
    department_code: str | None = None  # empty: take it from the routing table


@dataclass(frozen=True, slots=True)
class StepView:
    at: datetime
    actor: str
    status: str
    note: str


@dataclass(frozen=True, slots=True)
class TransferView:
    summary: TransferSummary
    problem: str
    raised_by: str
    steps: tuple[StepView, ...]


def routed_department(session: Session, category_code: str) -> str | None:
    """Return the department the routing table names for a category, if any."""
    return session.scalar(select(RoutingRule.department_code).where(RoutingRule.category_code == category_code))


def departments(session: Session) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((d.code, d.name_zh, d.name_en, d.kind) for d in session.scalars(select(Department).order_by(Department.code)))


def _view(order: TransferOrder) -> TransferView:
    return TransferView(TransferSummary.of(order), order.problem, order.raised_by,
                        tuple(StepView(s.at, s.actor, s.status, s.note) for s in order.steps))


def raise_transfer(session: Session, *, actor: Actor, form: TransferForm, now: datetime | None = None) -> TransferView:
    """Validate, route and send a transfer order; its due time comes from the SLA table."""
    now = now or utcnow()
    c = Checker()
    cat = session.get(ServiceCategory, form.category_code) if form.category_code else None
    if cat is None or cat.parent_code is None:
        c.add("category_code", "choose a second-level service category")
    problem = c.check("problem", required_text, form.problem)
    priority = c.check("priority", one_of, form.priority, PRIORITIES)
    dept = form.department_code or (routed_department(session, form.category_code) if cat else None)
    if not dept:
        c.add("department_code", "no department is routed for this category; choose one")
    elif session.get(Department, dept) is None:
        c.add("department_code", "unknown department or branch")
    if form.customer_id is not None and session.get(Customer, form.customer_id) is None:
        c.add("customer_id", "unknown customer")
    hours = session.scalar(select(SlaRule.hours).where(SlaRule.priority == priority)) if priority else None
    if priority and hours is None:
        c.add("priority", "no SLA is defined for this priority")
    c.done()
    assert dept
    assert priority
    assert problem
    assert hours is not None
    order = TransferOrder(number=new_number("ZB", now), customer_id=form.customer_id, linkedid=form.linkedid,
                          category_code=form.category_code, problem=problem, department_code=dept,
                          priority=priority, due_at=now + timedelta(hours=hours), status="sent",
                          raised_by=actor.agent_id, created_at=now)
    order.steps.append(TransferStep(at=now, actor=actor.agent_id, status="new", note=""))
    order.steps.append(TransferStep(at=now, actor=actor.agent_id, status="sent", note=f"to {dept}"))
    session.add(order)
    session.flush()
    audit.append(session, actor=actor, action="transfer.raise", record_type="transfer_order", record_id=order.id,
                 fields=["category_code", "problem", "priority", "department_code"],
                 detail={"department": dept, "priority": priority}, now=now)
    session.commit()
    return _view(order)


def advance_transfer(
    session: Session, *, actor: Actor, order_id: int, expected_version: int, status: str, note: str = "",
    department_code: str | None = None, now: datetime | None = None,
) -> TransferView:
    """Move an order to ``status`` (and optionally to another department), refusing a stale version."""
    now = now or utcnow()
    order = load_for_edit(session, TransferOrder, "transfer order", order_id, expected_version)
    c = Checker()
    allowed = NEXT.get(order.status, ())
    if status not in allowed:
        c.add("status", f"from {order.status} an order can go to: {', '.join(allowed) or 'nothing'}")
    if department_code is not None and session.get(Department, department_code) is None:
        c.add("department_code", "unknown department or branch")
    if len(note) > 2000:
        c.add("note", "at most 2000 characters")
    if c.errors:
        session.rollback()
    c.done()
    order.status = status
    if department_code:
        order.department_code = department_code
    order.steps.append(TransferStep(at=now, actor=actor.agent_id, status=status, note=note.strip()))

    def _audit() -> None:
        audit.append(session, actor=actor, action="transfer.advance", record_type="transfer_order",
                     record_id=order_id, fields=["status"], detail={"status": status}, now=now)

    commit_versioned(session, TransferOrder, "transfer order", order_id, expected_version, _audit)
    return _view(order)


def transfer_progress(session: Session, *, order_id: int) -> TransferView:
    """Return the order with every step (time, actor, status), for the CSR who raised it."""
    order = session.scalar(
        select(TransferOrder).where(TransferOrder.id == order_id).options(selectinload(TransferOrder.steps))
    )
    if order is None:
        raise NotFound("transfer order", order_id)
    return _view(order)


def my_transfers(session: Session, *, actor: Actor, open_only: bool = True, limit: int = 50) -> tuple[TransferSummary, ...]:
    """Return the orders this agent raised, soonest due first."""
    stmt = select(TransferOrder).where(TransferOrder.raised_by == actor.agent_id)
    if open_only:
        stmt = stmt.where(TransferOrder.status.not_in(("closed",)))
    return tuple(TransferSummary.of(t) for t in session.scalars(stmt.order_by(TransferOrder.due_at).limit(limit)))
