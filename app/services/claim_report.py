"""Claim report (报案, S-8.2.2.2): auto, or life and health. Reporting returns a report number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.models import Claim, ClaimEvent, ClaimReport, Policy, ReportPerson, ReportVehicle
from app.models.claim import INJURY_LEVELS, LIFE_EVENT_TYPES, PERSON_ROLES
from app.models.policy import AUTO_LINES, LIFE_HEALTH_LINES
from app.services.numbers import new_number
from app.timeutil import utcnow
from app.validation import Checker, FieldError, mobile, not_future, one_of, plate, required_text, vin


@dataclass(frozen=True, slots=True, kw_only=True)
class VehicleInput:
    plate: str
    vin: str | None = None
    is_insured_vehicle: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonInput:
    role: str  # driver | third_party | injured
    name: str
    phone: str | None = None
    injury_level: str = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class AutoClaimForm:
    policy_number: str
    occurred_at: datetime | None
    location: str
    description: str
    police_attended: bool | None
    vehicles: tuple[VehicleInput, ...] = ()
    people: tuple[PersonInput, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LifeHealthClaimForm:
    policy_number: str
    event_type: str
    occurred_at: datetime | None
    description: str
    hospital: str | None = None
    admitted_on: date | None = None
    discharged_on: date | None = None


@dataclass(frozen=True, slots=True)
class ClaimReceipt:
    report_number: str
    claim_number: str


def _policy(session: Session, c: Checker, number: str, lines: tuple[str, ...], occurred: datetime | None) -> Policy | None:
    num = (number or "").strip().upper()
    if not num:
        c.add("policy_number", "this field is required")
        return None
    p = session.scalar(select(Policy).where(Policy.number == num))
    if p is None:
        c.add("policy_number", "no policy with this number")
        return None
    if p.product_line not in lines:
        c.add("policy_number", f"this is a {p.product_line} policy; use the matching claim form")
        return None
    if p.status == "cancelled":
        c.add("policy_number", "this policy was cancelled")
    if occurred is not None:
        day = occurred.date()
        if day < p.effective_on or (p.expires_on is not None and day > p.expires_on):
            c.add("occurred_at", "the policy was not in force at this time")
    return p


def _occurred(c: Checker, value: datetime | None, now: datetime) -> datetime | None:
    if value is None:
        c.add("occurred_at", "this field is required")
        return None
    return c.check("occurred_at", not_future, value, now=now)


def _phone_or_none(value: str | None) -> str | None:
    return mobile(value) if value and value.strip() else None


def auto_claim_fields(c: Checker, form: AutoClaimForm, now: datetime) -> tuple[
        datetime | None, str | None, str | None, list[ReportVehicle], list[ReportPerson]]:
    """The checks of an auto claim report that need no database (the desk's outbox runs them offline too)."""
    occurred = _occurred(c, form.occurred_at, now)
    location = c.check("location", required_text, form.location, max_len=200)
    description = c.check("description", required_text, form.description)
    if form.police_attended is None:
        c.add("police_attended", "say whether the police came")
    if not form.vehicles:
        c.add("vehicles", "add at least the insured vehicle")
    vehicles = []
    for i, v in enumerate(form.vehicles):
        p = c.check(f"vehicles[{i}].plate", plate, v.plate)
        vn = c.check(f"vehicles[{i}].vin", vin, v.vin) if v.vin and v.vin.strip() else None
        vehicles.append(ReportVehicle(plate=p or "", vin=vn, is_insured_vehicle=v.is_insured_vehicle))
    if form.vehicles and not any(v.is_insured_vehicle for v in form.vehicles):
        c.add("vehicles", "mark which vehicle is the insured one")
    people = []
    for i, person in enumerate(form.people):
        role = c.check(f"people[{i}].role", one_of, person.role, PERSON_ROLES)
        name = c.check(f"people[{i}].name", required_text, person.name, max_len=64)
        level = c.check(f"people[{i}].injury_level", one_of, person.injury_level, INJURY_LEVELS)
        if role == "injured" and level == "none":
            c.add(f"people[{i}].injury_level", "give the injury level of an injured person")
        ph = c.check(f"people[{i}].phone", _phone_or_none, person.phone)
        people.append(ReportPerson(role=role or "", name=name or "", phone=ph, injury_level=level or "none"))
    return occurred, location, description, vehicles, people


def report_auto_claim(
    session: Session, *, actor: Actor, form: AutoClaimForm, linkedid: str | None = None, now: datetime | None = None,
    numbers: tuple[str, str] | None = None,
) -> ClaimReceipt:
    """Validate and record an auto claim report; return its report and claim numbers.

    ``numbers`` (report, claim) were allocated by the desk beforehand (its outbox does, so the CSR can give
    the caller the report number while the database is down); by default they are allocated here."""
    now = now or utcnow()
    c = Checker()
    occurred, location, description, vehicles, people = auto_claim_fields(c, form, now)
    policy = _policy(session, c, form.policy_number, AUTO_LINES, occurred)
    c.done()
    assert policy is not None
    assert occurred is not None
    receipt = _write(session, actor=actor, policy=policy, kind="auto", occurred=occurred, now=now, linkedid=linkedid,
                     numbers=numbers, location=location or "", description=description or "",
                     police_attended=form.police_attended, vehicles=vehicles, people=people)
    return receipt


def life_health_claim_fields(c: Checker, form: LifeHealthClaimForm, now: datetime) -> tuple[
        datetime | None, str | None, str | None, str | None]:
    """The checks of a life, health or accident claim report that need no database."""
    occurred = _occurred(c, form.occurred_at, now)
    event_type = c.check("event_type", one_of, form.event_type, LIFE_EVENT_TYPES)
    description = c.check("description", required_text, form.description)
    needs_hospital = event_type in ("hospitalisation", "critical_illness")
    hospital = (form.hospital or "").strip() or None
    if needs_hospital and not hospital:
        c.add("hospital", "this field is required for a hospitalisation or critical illness")
    if event_type == "hospitalisation" and form.admitted_on is None:
        c.add("admitted_on", "this field is required for a hospitalisation")
    for field, d in (("admitted_on", form.admitted_on), ("discharged_on", form.discharged_on)):
        if d is not None and d > now.date():
            c.add(field, "this date is in the future")
    if form.admitted_on and form.discharged_on and form.discharged_on < form.admitted_on:
        c.add("discharged_on", "discharge cannot be before admission")
    if occurred and form.admitted_on and form.admitted_on < occurred.date():
        c.add("admitted_on", "admission cannot be before the event")
    return occurred, event_type, description, hospital


def report_life_health_claim(
    session: Session, *, actor: Actor, form: LifeHealthClaimForm, linkedid: str | None = None,
    now: datetime | None = None, numbers: tuple[str, str] | None = None,
) -> ClaimReceipt:
    """Validate and record a life, health or accident claim report (``numbers`` as for an auto claim)."""
    now = now or utcnow()
    c = Checker()
    occurred, event_type, description, hospital = life_health_claim_fields(c, form, now)
    policy = _policy(session, c, form.policy_number, LIFE_HEALTH_LINES, occurred)
    c.done()
    assert policy is not None
    assert occurred is not None
    return _write(session, actor=actor, policy=policy, kind="life_health", occurred=occurred, now=now,
                  linkedid=linkedid, numbers=numbers, description=description or "", event_type=event_type,
                  hospital=hospital, admitted_on=form.admitted_on, discharged_on=form.discharged_on,
                  insured_customer_id=policy.insured_id)


def _write(session: Session, *, actor: Actor, policy: Policy, kind: str, occurred: datetime, now: datetime,
           linkedid: str | None, numbers: tuple[str, str] | None = None, vehicles: list[ReportVehicle] | None = None,
           people: list[ReportPerson] | None = None, **fields: object) -> ClaimReceipt:
    report_number, claim_number = numbers or (new_number("BA", now), new_number("CL", now))
    try:
        claim = Claim(number=claim_number, policy_id=policy.id, status="reported", opened_at=now)
        claim.timeline.append(ClaimEvent(at=now, status="reported", note="reported by phone"))
        session.add(claim)
        session.flush()
        report = ClaimReport(report_number=report_number, claim_id=claim.id, policy_id=policy.id,
                             kind=kind, occurred_at=occurred, reported_at=now, reported_by=actor.agent_id,
                             linkedid=linkedid, **fields)
        report.vehicles.extend(vehicles or [])
        report.people.extend(people or [])
        session.add(report)
        session.flush()
        audit.append(session, actor=actor, action="claim.report", record_type="claim_report", record_id=report.id,
                     fields=sorted(k for k, v in fields.items() if v is not None), detail={"kind": kind}, now=now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ClaimReceipt(report.report_number, claim.number)


__all__ = [
    "AutoClaimForm", "ClaimReceipt", "FieldError", "LifeHealthClaimForm", "PersonInput", "VehicleInput",
    "auto_claim_fields", "life_health_claim_fields", "report_auto_claim", "report_life_health_claim",
]
