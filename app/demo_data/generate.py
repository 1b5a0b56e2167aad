"""Generate demo rows in batches and write them; report progress through a callback."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine

from app.demo_data.load import Row, fix_sequences, next_id, write
from app.demo_data.people import fast_rng, mobile_of, person
from app.demo_data.policies import PRODUCTS, PolicyPlan, plan_policies, policy_lines, policy_number
from app.models import (
    Beneficiary,
    Claim,
    ClaimEvent,
    Contact,
    Customer,
    CustomerPhone,
    OutboundTask,
    Policy,
    Vehicle,
)
from app.models.policy import digits_of
from app.timeutil import utcnow

DEFAULT_SEED = 20261124
BATCH = 5000
TABLES = ("customer", "customer_phone", "policy", "vehicle", "beneficiary", "claim", "claim_event", "outbound_task",
          "contact")
AGENTS = tuple(f"{n}" for n in range(1001, 1011))

CUSTOMER_COLS = ("id", "name", "id_type", "id_number", "birth_date", "mobile", "email", "addr_province", "addr_city",
                 "addr_district", "addr_detail", "bank_card", "preferred_language", "vip_level", "created_at")
PHONE_COLS = ("id", "customer_id", "kind", "number")
POLICY_COLS = ("id", "number", "number_digits", "product_line", "product_name", "status", "issued_on", "effective_on", "expires_on",
               "cooling_off_ends_on", "premium", "sum_insured", "holder_id", "insured_id")
VEHICLE_COLS = ("id", "policy_id", "plate", "vin", "model")
BENEF_COLS = ("id", "policy_id", "name", "id_number", "relation", "share_percent")
CLAIM_COLS = ("id", "number", "policy_id", "status", "opened_at")
EVENT_COLS = ("id", "claim_id", "at", "status", "note")
TASK_COLS = ("id", "kind", "customer_id", "policy_id", "claim_id", "due_at", "attempts", "max_attempts", "status",
             "last_result", "assigned_to", "version", "deadline")
CONTACT_COLS = ("id", "linkedid", "direction", "queue", "agent_id", "customer_id", "caller_number", "offered_at",
                "answered_at", "ended_at", "recording_ref", "survey_score")


def demo_caller_numbers(n: int, *, seed: int = DEFAULT_SEED) -> list[str]:
    """Return the mobiles of demo customers 0..n-1: the numbers the customer simulator calls from."""
    return [mobile_of(seed, i) for i in range(n)]


def demo_policy_numbers(n: int, *, seed: int = DEFAULT_SEED) -> list[str]:
    """Return the policy numbers of demo customers 0..n-1 (what a caller keys into the IVR)."""
    return [policy_number(line, i, k) for i in range(n) for k, line in enumerate(policy_lines(seed, i))]


@dataclass
class GenerateReport:
    customers: int = 0
    policies: int = 0
    claims: int = 0
    outbound_tasks: int = 0
    contacts: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Ids:
    values: dict[str, int]

    def take(self, table: str) -> int:
        v = self.values[table]
        self.values[table] = v + 1
        return v


def generate(
    engine: Engine, *, customers: int, seed: int = DEFAULT_SEED, today: date | None = None, first: int | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> GenerateReport:
    """Add ``customers`` demo customers with their policies, claims, tasks and contacts.

    They get the indexes ``first`` .. ``first + customers - 1``; ``first`` defaults to the number of
    customers already stored, so a second run continues instead of colliding."""
    today = today or utcnow().date()
    now = utcnow().replace(microsecond=0)
    t0 = time.monotonic()
    rep = GenerateReport()
    with engine.begin() as conn:
        ids = _Ids({t: next_id(conn, t) for t in TABLES})
        if first is None:
            first = int(conn.exec_driver_sql("SELECT COUNT(*) FROM customer").scalar_one())
    for start in range(0, customers, BATCH):
        rows: dict[str, list[Row]] = {t: [] for t in TABLES}
        for i in range(first + start, first + min(customers, start + BATCH)):
            _customer_rows(seed, i, today, now, ids, rows, rep)
        with engine.begin() as conn:
            for table, cols in ((Customer, CUSTOMER_COLS), (CustomerPhone, PHONE_COLS), (Policy, POLICY_COLS),
                                (Vehicle, VEHICLE_COLS), (Beneficiary, BENEF_COLS), (Claim, CLAIM_COLS),
                                (ClaimEvent, EVENT_COLS), (OutboundTask, TASK_COLS), (Contact, CONTACT_COLS)):
                write(conn, table.__table__, cols, rows[table.__tablename__])  # type: ignore[arg-type]
        if progress:
            progress(min(customers, start + BATCH), customers, time.monotonic() - t0)
    with engine.begin() as conn:
        fix_sequences(conn, TABLES)
        conn.exec_driver_sql("ANALYZE")
    rep.seconds = time.monotonic() - t0
    return rep


def _customer_rows(seed: int, i: int, today: date, now: datetime, ids: _Ids, rows: dict[str, list[Row]],
                   rep: GenerateReport) -> None:
    p = person(seed, i)
    cid = ids.take("customer")
    rep.customers += 1
    rows["customer"].append((cid, p.name, "resident_id", p.id_number, p.birth_date, p.mobile, p.email, p.province,
                             p.city, p.district, p.detail, p.bank_card, p.language, p.vip, now))
    if p.home_phone:
        rows["customer_phone"].append((ids.take("customer_phone"), cid, "home", p.home_phone))
    r = fast_rng(seed, 2, i)
    for plan in plan_policies(seed, i, p, today):
        pid = ids.take("policy")
        rep.policies += 1
        insured = cid if plan.insured_is_holder or cid == 1 else cid - 1  # else a family member: the previous customer
        rows["policy"].append((pid, plan.number, digits_of(plan.number), plan.line, _product(plan.line), plan.status, plan.issued_on,
                               plan.effective_on, plan.expires_on, plan.cooling_off_ends_on, plan.premium,
                               plan.sum_insured, cid, insured))
        if plan.plate:
            rows["vehicle"].append((ids.take("vehicle"), pid, plan.plate, plan.vin, plan.model))
        for name, relation, share in plan.beneficiaries:
            rows["beneficiary"].append((ids.take("beneficiary"), pid, name, None, relation, share))
        claim_id = None
        if plan.claim:
            number, status, timeline = plan.claim
            claim_id = ids.take("claim")
            rep.claims += 1
            rows["claim"].append((claim_id, number, pid, status, timeline[0][0]))
            for at, st in timeline:
                rows["claim_event"].append((ids.take("claim_event"), claim_id, at, st, ""))
        task = _task(plan, today, now, cid, pid, claim_id)
        if task:
            rep.outbound_tasks += 1
            rows["outbound_task"].append((ids.take("outbound_task"), *task))
    if r.random() < 0.3:
        for n in range(r.choice((1, 1, 2, 3))):
            offered = now - timedelta(days=r.randrange(1, 180), minutes=r.randrange(0, 600))
            talk = timedelta(seconds=r.randrange(30, 900))
            rep.contacts += 1
            rows["contact"].append((ids.take("contact"), f"demo-{seed}-{i}-{n}", "inbound",
                                    r.choice(("service", "claims-auto", "claims-life")), r.choice(AGENTS), cid,
                                    p.mobile, offered, offered + timedelta(seconds=8), offered + talk, None,
                                    r.choice((None, 2, 3, 4, 4))))


def _product(line: str) -> str:
    return PRODUCTS[line]


def _task(plan: PolicyPlan, today: date, now: datetime, cid: int, pid: int, claim_id: int | None) -> Row | None:
    """Return an outbound task row (without id) if this policy needs a call."""
    if plan.cooling_off_ends_on and plan.cooling_off_ends_on >= today and plan.status == "in_force":
        due = datetime.combine(plan.issued_on + timedelta(days=3), datetime.min.time()) + timedelta(hours=9)
        return ("cooling_off", cid, pid, None, min(due, now), 0, 3, "open", None, None, 1, plan.cooling_off_ends_on)
    if plan.line.startswith("auto") and plan.expires_on and today <= plan.expires_on <= today + timedelta(days=30):
        return ("renewal", cid, pid, None, now - timedelta(hours=1), 0, 3, "open", None, None, 1, None)
    if claim_id is not None and plan.claim and plan.claim[1] == "paid":
        return ("claim_follow_up", cid, pid, claim_id, now - timedelta(hours=2), 0, 2, "open", None, None, 1, None)
    return None
