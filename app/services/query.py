"""Query (S-8.2.2.1): policy and claim details, released only with a verified identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app import audit
from app.actor import Actor
from app.errors import NotFound
from app.identity import IdentityToken, require_identity
from app.masking import masker_for
from app.models import Claim, Policy
from app.readmodels import ClaimDetails, ClaimEventView, PartyView, PolicyDetails
from app.timeutil import utcnow


def policy_details(
    session: Session, *, actor: Actor, token: IdentityToken | None, policy_number: str,
    now: datetime | None = None,
) -> PolicyDetails:
    """Return the policy's details if the verified caller is its holder or insured."""
    now = now or utcnow()
    number = policy_number.strip().upper()
    p = session.scalar(
        select(Policy).where(Policy.number == number).options(
            joinedload(Policy.holder), joinedload(Policy.insured), joinedload(Policy.vehicle),
            selectinload(Policy.beneficiaries),
        )
    )
    if p is None:
        raise NotFound("policy", number)
    require_identity(session, actor=actor, token=token, customer_ids=(p.holder_id, p.insured_id),
                     record_type="policy", record_id=p.id, now=now)
    m = masker_for(actor)
    parties = [
        PartyView("holder", m.name(p.holder.name), m.id_number(p.holder.id_number)),
        PartyView("insured", m.name(p.insured.name), m.id_number(p.insured.id_number)),
        *(PartyView("beneficiary", m.name(b.name), m.id_number(b.id_number), b.relation, b.share_percent)
          for b in p.beneficiaries),
    ]
    audit.append(session, actor=actor, action="policy.view", record_type="policy", record_id=p.id, now=now)
    session.commit()
    v = p.vehicle
    return PolicyDetails(
        number=p.number, product_line=p.product_line, product_name=p.product_name, status=p.status,
        issued_on=p.issued_on, effective_on=p.effective_on, expires_on=p.expires_on,
        cooling_off_ends_on=p.cooling_off_ends_on, premium=p.premium, sum_insured=p.sum_insured,
        parties=tuple(parties), plate=v.plate if v else None, vin=v.vin if v else None,
        vehicle_model=v.model if v else None,
    )


def claim_details(
    session: Session, *, actor: Actor, token: IdentityToken | None, claim_number: str,
    now: datetime | None = None,
) -> ClaimDetails:
    """Return the claim and its timeline if the verified caller is a party to its policy."""
    now = now or utcnow()
    number = claim_number.strip().upper()
    c = session.scalar(
        select(Claim).where(Claim.number == number).options(joinedload(Claim.policy), selectinload(Claim.timeline))
    )
    if c is None:
        raise NotFound("claim", number)
    require_identity(session, actor=actor, token=token, customer_ids=(c.policy.holder_id, c.policy.insured_id),
                     record_type="claim", record_id=c.id, now=now)
    audit.append(session, actor=actor, action="claim.view", record_type="claim", record_id=c.id, now=now)
    session.commit()
    return ClaimDetails(
        number=c.number, policy_number=c.policy.number, status=c.status, opened_at=c.opened_at,
        timeline=tuple(ClaimEventView(e.at, e.status, e.note) for e in c.timeline),
    )
