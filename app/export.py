"""Exports: CSV lists that leave the desk, masked for the desk that asks and audited."""

from __future__ import annotations

import csv
from datetime import datetime
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.masking import masker_for
from app.models import Customer, OutboundTask, Policy
from app.timeutil import utcnow

OUTBOUND_HEADER = ("task_id", "kind", "due_at", "attempts", "customer", "mobile", "policy_number")


def export_due_outbound(
    session: Session, *, actor: Actor, out: TextIO, kind: str | None = None, now: datetime | None = None,
    limit: int = 10_000,
) -> int:
    """Write the due outbound tasks as CSV (customer name and mobile masked per desk); return the row count."""
    now = now or utcnow()
    m = masker_for(actor)
    stmt = (
        select(OutboundTask.id, OutboundTask.kind, OutboundTask.due_at, OutboundTask.attempts, Customer.name,
               Customer.mobile, Policy.number)
        .join(Customer, Customer.id == OutboundTask.customer_id)
        .outerjoin(Policy, Policy.id == OutboundTask.policy_id)
        .where(OutboundTask.status == "open", OutboundTask.due_at <= now)
        .order_by(OutboundTask.due_at, OutboundTask.id).limit(limit)
    )
    if kind:
        stmt = stmt.where(OutboundTask.kind == kind)
    w = csv.writer(out)
    w.writerow(OUTBOUND_HEADER)
    n = 0
    for tid, k, due, attempts, name, mobile, policy in session.execute(stmt):
        w.writerow((tid, k, due.isoformat(timespec="minutes"), attempts, m.name(name), m.phone(mobile), policy or ""))
        n += 1
    audit.append(session, actor=actor, action="export.outbound", record_type="outbound_task", record_id="-",
                 outcome=f"{n} rows", fields=["customer", "mobile"], detail={"kind": kind or "all"}, now=now)
    session.commit()
    return n
