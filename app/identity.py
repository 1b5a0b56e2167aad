"""The identity gate (S-8.2.2.1): policy and claim details only after the caller's identity is verified.

A check passes with name plus the last 6 characters of the ID number, or with a policy number plus the
birth date. A pass returns an ``IdentityToken`` bound to the agent, the desk, the customer and a time
limit; only its hash is stored. Every outcome is audited, and after ``MAX_FAILURES`` failures on one
contact the customer is locked for that contact."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import func, or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.errors import IdentityFailed, IdentityLocked, IdentityRequired, NotFound
from app.models import Customer, IdentityCheck, IdentityFailure, Policy
from app.pgsecurity import reads_masked
from app.timeutil import utcnow

Method = Literal["name_id6", "policy_birth"]
TOKEN_TTL = timedelta(minutes=30)
MAX_FAILURES = 3


@dataclass(frozen=True, slots=True)
class IdentityToken:
    """Proof that this desk verified this customer. Pass it to the detail services."""

    value: str
    customer_id: int
    expires_at: datetime

    def __repr__(self) -> str:
        return f"IdentityToken(customer_id={self.customer_id}, expires_at={self.expires_at.isoformat()})"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


_SERVER_MATCH = text("SELECT csdesk_identity_matches(:c, :a, :l, :m, :n, :i, :p, :b)")


def verify_identity(
    session: Session,
    *,
    actor: Actor,
    customer_id: int,
    method: Method,
    linkedid: str | None = None,
    name: str | None = None,
    id_last6: str | None = None,
    policy_number: str | None = None,
    birth_date: date | None = None,
    now: datetime | None = None,
) -> IdentityToken:
    """Check the caller's answers against customer ``customer_id``; commit the audited outcome."""
    now = now or utcnow()
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    failures = session.scalar(
        select(func.count()).select_from(IdentityFailure).where(
            IdentityFailure.customer_id == customer_id,
            IdentityFailure.linkedid == linkedid if linkedid else IdentityFailure.linkedid.is_(None),
            IdentityFailure.at > now - TOKEN_TTL,
        )
    ) or 0
    if failures >= MAX_FAILURES:
        audit.append(session, actor=actor, action="identity.verify", record_type="customer",
                     record_id=customer_id, outcome="locked", detail={"method": method}, now=now)
        session.commit()
        raise IdentityLocked(
            f"identity checks for this customer are locked after {MAX_FAILURES} failures on this call; "
            "transfer to a team lead or ask the customer to visit a branch"
        )
    recorded = False
    if method in ("name_id6", "policy_birth") and reads_masked(session):
        # A remote desk reads masked values only: the server compares the answers and records a mismatch.
        fields = ["name", "id_last6"] if method == "name_id6" else ["policy_number", "birth_date"]
        try:
            ok = bool(session.scalar(_SERVER_MATCH, {
                "c": customer_id, "a": actor.agent_id, "l": linkedid, "m": method, "n": name, "i": id_last6,
                "p": policy_number, "b": birth_date}))
        except DBAPIError as exc:
            session.rollback()
            if getattr(exc.orig, "sqlstate", "") == "54000":
                raise IdentityLocked("too many failed identity checks for this customer; transfer to a team lead "
                                     "or ask the customer to visit a branch") from None
            raise
        recorded = True
    elif method == "name_id6":
        fields = ["name", "id_last6"]
        ok = bool(
            name and id_last6
            and name.strip() == customer.name
            and id_last6.strip().upper() == customer.id_number[-6:].upper()
        )
    elif method == "policy_birth":
        fields = ["policy_number", "birth_date"]
        ok = bool(policy_number and birth_date and birth_date == customer.birth_date) and session.scalar(
            select(func.count()).select_from(Policy).where(
                Policy.number == (policy_number or "").strip().upper(),
                or_(Policy.holder_id == customer_id, Policy.insured_id == customer_id),
            )
        ) == 1
    else:
        raise ValueError(f"unknown identity method {method!r}")
    if not ok:
        if not recorded:
            session.add(IdentityFailure(customer_id=customer_id, agent_id=actor.agent_id, linkedid=linkedid,
                                        at=now))
        audit.append(session, actor=actor, action="identity.verify", record_type="customer",
                     record_id=customer_id, outcome="failed", fields=fields, detail={"method": method}, now=now)
        session.commit()
        left = MAX_FAILURES - failures - 1
        raise IdentityFailed(f"the answers do not match our records; {left} attempt(s) left on this call")
    value = secrets.token_urlsafe(32)
    expires = now + TOKEN_TTL
    session.add(IdentityCheck(token_hash=_digest(value), customer_id=customer_id, agent_id=actor.agent_id,
                              desk_id=actor.desk_id, linkedid=linkedid, method=method, created_at=now,
                              expires_at=expires))
    audit.append(session, actor=actor, action="identity.verify", record_type="customer", record_id=customer_id,
                 outcome="passed", fields=fields, detail={"method": method}, now=now)
    session.commit()
    return IdentityToken(value=value, customer_id=customer_id, expires_at=expires)


def require_identity(
    session: Session,
    *,
    actor: Actor,
    token: IdentityToken | None,
    customer_ids: tuple[int, ...],
    record_type: str,
    record_id: object,
    now: datetime | None = None,
) -> int:
    """Return the verified customer id if ``token`` is valid here for one of ``customer_ids``.

    Otherwise audit the refusal, commit it and raise ``IdentityRequired``."""
    now = now or utcnow()
    reason = _refusal(session, actor=actor, token=token, customer_ids=customer_ids, now=now)
    if reason is None:
        assert token is not None
        return token.customer_id
    audit.append(session, actor=actor, action=f"{record_type}.view", record_type=record_type, record_id=record_id,
                 outcome="refused", detail={"why": reason}, now=now)
    session.commit()
    raise IdentityRequired(
        {
            "no_token": "verify the caller's identity first (name + last 6 of ID, or policy number + birth date)",
            "unknown_token": "this identity check is not valid; verify the caller again",
            "expired": "the identity check has expired; verify the caller again",
            "other_desk": "the identity was verified at another desk or by another agent; verify the caller again",
            "other_customer": "the verified caller is not a party to this record",
        }[reason]
    )


def _refusal(
    session: Session, *, actor: Actor, token: IdentityToken | None, customer_ids: tuple[int, ...], now: datetime
) -> str | None:
    if token is None or not isinstance(token, IdentityToken) or not token.value:
        return "no_token"
    check = session.scalar(select(IdentityCheck).where(IdentityCheck.token_hash == _digest(token.value)))
    if check is None:
        return "unknown_token"
    if check.expires_at <= now:
        return "expired"
    if check.agent_id != actor.agent_id or check.desk_id != actor.desk_id:
        return "other_desk"
    if check.customer_id != token.customer_id or check.customer_id not in customer_ids:
        return "other_customer"
    return None
