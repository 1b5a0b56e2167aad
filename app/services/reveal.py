"""Reveal one masked field (remote desks): it needs a verified caller, a reason code, and is audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.errors import NotFound, ValidationError
from app.identity import IdentityToken, require_identity
from app.models import Customer
from app.pgsecurity import reads_masked
from app.pgsecurity import reveal as server_reveal
from app.timeutil import utcnow

REASONS = ("caller_confirms_details", "claim_handling", "callback_number", "complaint_handling")
REVEALABLE = ("name", "id_number", "birth_date", "mobile", "email", "address")


def _value(c: Customer, field: str) -> str | None:
    if field == "birth_date":
        return c.birth_date.isoformat()
    if field == "address":
        return "".join(p for p in (c.addr_province, c.addr_city, c.addr_district, c.addr_detail) if p)
    value: str | None = getattr(c, field)
    return value


def reveal_field(
    session: Session, *, actor: Actor, token: IdentityToken | None, customer_id: int, field: str, reason: str,
    now: datetime | None = None,
) -> str | None:
    """Return one clear value of the verified caller's record; audit who saw which field and why."""
    errors: dict[str, str] = {}
    if field not in REVEALABLE:
        errors["field"] = f"choose one of: {', '.join(REVEALABLE)}"
    if reason not in REASONS:
        errors["reason"] = f"choose a reason: {', '.join(REASONS)}"
    if errors:
        raise ValidationError(errors)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    require_identity(session, actor=actor, token=token, customer_ids=(customer_id,), record_type="customer",
                     record_id=customer_id, now=now)
    if reads_masked(session):
        # A remote desk reads masked views: the server returns the one value and audits it (rate-limited).
        return server_reveal(session, actor=actor, table="customer", column=field, record_id=customer_id, reason=reason)
    audit.append(session, actor=actor, action="customer.reveal", record_type="customer", record_id=customer_id,
                 fields=[field], detail={"reason": reason, "profile": actor.profile}, now=now or utcnow())
    session.commit()
    return _value(customer, field)
