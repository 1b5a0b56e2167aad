"""Read models: what leaves the data layer, as frozen dataclasses, already masked for the desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.masking import Masker
from app.models import Claim, Contact, Customer, OutboundTask, Policy, TransferOrder


@dataclass(frozen=True, slots=True)
class CustomerCard:
    id: int
    name: str | None
    id_type: str
    id_number: str | None
    birth_date: str | None
    mobile: str | None
    other_phones: tuple[str, ...]
    email: str | None
    address: str
    preferred_language: str
    vip_level: int

    @classmethod
    def of(cls, c: Customer, m: Masker, *, phones: bool = True) -> CustomerCard:
        return cls(
            id=c.id, name=m.name(c.name), id_type=c.id_type, id_number=m.id_number(c.id_number),
            birth_date=m.birth_date(c.birth_date), mobile=m.phone(c.mobile),
            other_phones=tuple(m.phone(p.number) or "" for p in c.phones) if phones else (),
            email=m.email(c.email), address=m.address(c.addr_province, c.addr_city, c.addr_district, c.addr_detail),
            preferred_language=c.preferred_language, vip_level=c.vip_level,
        )


@dataclass(frozen=True, slots=True)
class PolicySummary:
    """What the screen pop shows before identity is verified: no dates, no parties, no money."""

    id: int
    number: str
    product_line: str
    product_name: str
    status: str
    plate: str | None

    @classmethod
    def of(cls, p: Policy) -> PolicySummary:
        return cls(p.id, p.number, p.product_line, p.product_name, p.status, p.vehicle.plate if p.vehicle else None)


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    id: int
    number: str
    policy_number: str
    status: str

    @classmethod
    def of(cls, c: Claim) -> ClaimSummary:
        return cls(c.id, c.number, c.policy.number, c.status)


@dataclass(frozen=True, slots=True)
class TransferSummary:
    id: int
    number: str
    category_code: str
    department_code: str
    priority: str
    status: str
    due_at: datetime
    version: int

    @classmethod
    def of(cls, t: TransferOrder) -> TransferSummary:
        return cls(t.id, t.number, t.category_code, t.department_code, t.priority, t.status, t.due_at, t.version)


@dataclass(frozen=True, slots=True)
class OutboundSummary:
    id: int
    kind: str
    due_at: datetime
    attempts: int
    status: str
    last_result: str | None
    version: int
    # The last day the call counts (a cooling-off callback: the day the policy's cooling-off period ends; the
    # regulator counts a callback as successful only within it). None: no such day.
    deadline: date | None = None
    assigned_to: str | None = None
    customer_id: int | None = None  # whom to call (None: not loaded)

    @classmethod
    def of(cls, t: OutboundTask) -> OutboundSummary:
        return cls(t.id, t.kind, t.due_at, t.attempts, t.status, t.last_result, t.version, t.deadline, t.assigned_to,
                   t.customer_id)


@dataclass(frozen=True, slots=True)
class ContactSummary:
    linkedid: str
    direction: str
    queue: str | None
    agent_id: str
    offered_at: datetime
    ended_at: datetime | None
    survey_score: int | None

    @classmethod
    def of(cls, c: Contact) -> ContactSummary:
        return cls(c.linkedid, c.direction, c.queue, c.agent_id, c.offered_at, c.ended_at, c.survey_score)


@dataclass(frozen=True, slots=True)
class ScreenPop:
    """The customer card and what is open for them. ``candidates`` lists several matches, if any."""

    looked_up_by: str
    customer: CustomerCard | None
    policies: tuple[PolicySummary, ...] = ()
    open_claims: tuple[ClaimSummary, ...] = ()
    open_transfers: tuple[TransferSummary, ...] = ()
    due_outbound: tuple[OutboundSummary, ...] = ()
    last_contacts: tuple[ContactSummary, ...] = ()
    candidates: tuple[CustomerCard, ...] = ()

    @property
    def found(self) -> bool:
        return self.customer is not None


@dataclass(frozen=True, slots=True)
class PartyView:
    role: str
    name: str | None
    id_number: str | None
    relation: str | None = None
    share_percent: int | None = None


@dataclass(frozen=True, slots=True)
class PolicyDetails:
    """Released only with a verified identity."""

    number: str
    product_line: str
    product_name: str
    status: str
    issued_on: date
    effective_on: date
    expires_on: date | None
    cooling_off_ends_on: date | None
    premium: Decimal
    sum_insured: Decimal
    parties: tuple[PartyView, ...]
    plate: str | None
    vin: str | None
    vehicle_model: str | None


@dataclass(frozen=True, slots=True)
class ClaimEventView:
    at: datetime
    status: str
    note: str


@dataclass(frozen=True, slots=True)
class ClaimDetails:
    number: str
    policy_number: str
    status: str
    opened_at: datetime
    timeline: tuple[ClaimEventView, ...]
