"""Screen pop: one lookup by caller number or IVR-entered policy number, in a bounded number of
indexed queries, masked for the desk. Also the search for an unknown caller."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select, union
from sqlalchemy.orm import Session, joinedload, selectinload

from app import audit
from app.actor import Actor
from app.masking import masker_for
from app.models import (
    Claim,
    Contact,
    Customer,
    CustomerPhone,
    OutboundTask,
    Policy,
    TransferOrder,
    Vehicle,
)
from app.models.claim import OPEN_CLAIM_STATUSES
from app.models.policy import ACTIVE_POLICY_STATUSES
from app.models.work import OPEN_TRANSFER_STATUSES
from app.readmodels import (
    ClaimSummary,
    ContactSummary,
    CustomerCard,
    OutboundSummary,
    PolicySummary,
    ScreenPop,
    TransferSummary,
)
from app.timeutil import utcnow
from app.validation import normalise_phone

MAX_CANDIDATES = 5
LAST_CONTACTS = 5
OUTBOUND_HORIZON = timedelta(days=1)
MAX_QUERIES = 8  # the bound that the tests hold screen_pop to


def _by_phone(number: str) -> Select[Any]:
    return union(
        select(Customer.id).where(Customer.mobile == number),
        select(CustomerPhone.customer_id).where(CustomerPhone.number == number),
    ).subquery().select()


def screen_pop(
    session: Session,
    *,
    caller_number: str | None,
    policy_number: str | None,
    actor: Actor,
    now: datetime | None = None,
) -> ScreenPop:
    """Look the caller up (an IVR policy number wins over the caller number) and return the pop."""
    now = now or utcnow()
    m = masker_for(actor)
    ids_stmt: Select[Any] | None = None
    by = "none"
    if policy_number and policy_number.strip():
        by = "policy_number"
        ids_stmt = select(Policy.holder_id).where(Policy.number == policy_number.strip().upper())
    elif caller_number and normalise_phone(caller_number):
        by = "caller_number"
        ids_stmt = _by_phone(normalise_phone(caller_number))
    if ids_stmt is None:
        return ScreenPop(looked_up_by=by, customer=None)
    found = list(session.scalars(
        select(Customer).where(Customer.id.in_(ids_stmt)).options(selectinload(Customer.phones))
        .order_by(Customer.id).limit(MAX_CANDIDATES + 1)
    ))
    if len(found) != 1:
        audit.append(session, actor=actor, action="screen_pop", record_type="customer", record_id="-",
                     outcome="ambiguous" if found else "miss", detail={"by": by, "matches": len(found)}, now=now)
        session.commit()
        return ScreenPop(looked_up_by=by, customer=None,
                         candidates=tuple(CustomerCard.of(c, m) for c in found[:MAX_CANDIDATES]))
    cust = found[0]
    party = or_(Policy.holder_id == cust.id, Policy.insured_id == cust.id)
    policies = session.scalars(
        select(Policy).where(party, Policy.status.in_(ACTIVE_POLICY_STATUSES))
        .options(joinedload(Policy.vehicle)).order_by(Policy.effective_on.desc())
    ).unique().all()
    claims = session.scalars(
        select(Claim).join(Policy, Claim.policy_id == Policy.id)
        .where(party, Claim.status.in_(OPEN_CLAIM_STATUSES))
        .options(joinedload(Claim.policy).load_only(Policy.number)).order_by(Claim.opened_at.desc())
    ).unique().all()
    transfers = session.scalars(
        select(TransferOrder).where(TransferOrder.customer_id == cust.id,
                                    TransferOrder.status.in_(OPEN_TRANSFER_STATUSES))
        .order_by(TransferOrder.due_at)
    ).all()
    outbound = session.scalars(
        select(OutboundTask).where(OutboundTask.customer_id == cust.id, OutboundTask.status == "open",
                                   OutboundTask.due_at <= now + OUTBOUND_HORIZON)
        .order_by(OutboundTask.due_at)
    ).all()
    contacts = session.scalars(
        select(Contact).where(Contact.customer_id == cust.id)
        .order_by(Contact.offered_at.desc()).limit(LAST_CONTACTS)
    ).all()
    audit.append(session, actor=actor, action="screen_pop", record_type="customer", record_id=cust.id,
                 outcome="hit", detail={"by": by}, now=now)
    session.commit()
    return ScreenPop(
        looked_up_by=by,
        customer=CustomerCard.of(cust, m),
        policies=tuple(PolicySummary.of(p) for p in policies),
        open_claims=tuple(ClaimSummary.of(c) for c in claims),
        open_transfers=tuple(TransferSummary.of(t) for t in transfers),
        due_outbound=tuple(OutboundSummary.of(t) for t in outbound),
        last_contacts=tuple(ContactSummary.of(c) for c in contacts),
    )


def search_customers(
    session: Session,
    *,
    actor: Actor,
    phone: str | None = None,
    id_number: str | None = None,
    policy_number: str | None = None,
    plate: str | None = None,
    limit: int = 20,
) -> tuple[CustomerCard, ...]:
    """Find customers for an unknown caller by any of phone, ID number, policy number or plate."""
    parts: list[Select[Any]] = []
    used: list[str] = []
    if phone and normalise_phone(phone):
        parts.append(_by_phone(normalise_phone(phone)))
        used.append("phone")
    if id_number and id_number.strip():
        parts.append(select(Customer.id).where(Customer.id_number == id_number.strip().upper()))
        used.append("id_number")
    if policy_number and policy_number.strip():
        parts.append(select(Policy.holder_id).where(Policy.number == policy_number.strip().upper()))
        used.append("policy_number")
    if plate and plate.strip():
        p = plate.strip().upper().replace(" ", "").replace("·", "")
        parts.append(select(Policy.holder_id).join(Vehicle, Vehicle.policy_id == Policy.id).where(Vehicle.plate == p))
        used.append("plate")
    if not parts:
        return ()
    ids = parts[0] if len(parts) == 1 else union(*parts).subquery().select()
    found = session.scalars(
        select(Customer).where(Customer.id.in_(ids)).options(selectinload(Customer.phones))
        .order_by(Customer.id).limit(limit)
    ).all()
    audit.append(session, actor=actor, action="customer.search", record_type="customer", record_id="-",
                 outcome=f"{len(found)} found", fields=used)
    session.commit()
    m = masker_for(actor)
    return tuple(CustomerCard.of(c, m) for c in found)
