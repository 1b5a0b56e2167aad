"""Test kit for the forms: a little seeded data and the environment the forms run in (real services,
real local draft store, the DB worker and the shell's operations)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.models import Base, Claim, ClaimEvent, Customer, Policy, Vehicle
from app.services.contacts import open_contact
from app.services.outbound import create_outbound_task
from app.timeutil import utcnow
from app.validation import id_check_digit
from ui.forms import CallContext, FormContext

ACTOR = Actor(agent_id="1001", desk_id="desk-a")
LINKEDID = "1732400000.101"
TODAY = utcnow().date()


def resident_id(region: str, born: date, seq: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq}"
    return first17 + id_check_digit(first17)


@dataclass
class Seed:
    customer_id: int
    name: str
    id_number: str
    birth: date
    mobile: str
    auto_policy: str
    life_policy: str
    claim_number: str
    cooling_task: int
    renewal_task: int


@dataclass
class Env:
    ctx: FormContext
    session: Callable[[], Session]
    seed: Seed
    notices: list[str] = field(default_factory=list)
    draft_path: Path | None = None

    def counts(self) -> dict[str, int]:
        """Rows per table: a rejected form must leave every count as it was."""
        with self.session() as s:
            return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}

    def settle(self) -> None:
        """Run the event loop until every operation the forms started has finished."""
        asyncio.get_event_loop().run_until_complete(self.ctx.ops.drain())

    def pump(self, seconds: float) -> None:
        """Let the Qt and asyncio loop run for ``seconds`` (timers fire, operations start)."""
        asyncio.get_event_loop().run_until_complete(asyncio.sleep(seconds))
        self.settle()

    def call(self) -> CallContext:
        return CallContext(linkedid=LINKEDID, caller_number=self.seed.mobile, queue="claims-auto")


def seed_world(s: Session) -> Seed:
    birth = date(1985, 3, 7)
    idno = resident_id("110105", birth, "123")
    zhang = Customer(name="张三丰", id_type="resident_id", id_number=idno, birth_date=birth, mobile="13812345678",
                     addr_province="北京市", addr_city="北京市", preferred_language="zh")
    eff = TODAY - timedelta(days=100)
    auto = Policy(number="PA2026000001", product_line="auto_commercial", product_name="商业车险", status="in_force",
                  issued_on=eff, effective_on=eff, expires_on=eff + timedelta(days=365), premium=Decimal("3200.00"),
                  sum_insured=Decimal("500000.00"), holder=zhang, insured=zhang)
    auto.vehicle = Vehicle(plate="京A12345", vin="LSVAU2180N2183456", model="大众朗逸")
    life_eff = TODAY - timedelta(days=5)
    life = Policy(number="PL2026000002", product_line="health", product_name="百万医疗", status="in_force",
                  issued_on=life_eff, effective_on=life_eff, expires_on=life_eff + timedelta(days=365),
                  cooling_off_ends_on=life_eff + timedelta(days=15), premium=Decimal("800.00"),
                  sum_insured=Decimal("1000000.00"), holder=zhang, insured=zhang)
    s.add_all([zhang, auto, life])
    s.flush()
    claim = Claim(number="CL20260001", policy_id=auto.id, status="registered", opened_at=utcnow() - timedelta(days=3))
    claim.timeline.append(ClaimEvent(at=utcnow() - timedelta(days=3), status="reported", note="by phone"))
    claim.timeline.append(ClaimEvent(at=utcnow() - timedelta(days=2), status="registered", note="surveyor assigned"))
    s.add(claim)
    s.commit()
    ids = (zhang.id, auto.id, life.id)
    open_contact(s, actor=ACTOR, linkedid=LINKEDID, direction="inbound", queue="claims-auto",
                 caller_number="13812345678", customer_id=ids[0])
    due = utcnow() - timedelta(hours=1)
    cooling = create_outbound_task(s, actor=ACTOR, kind="cooling_off", customer_id=ids[0], due_at=due, policy_id=ids[2])
    renewal = create_outbound_task(s, actor=ACTOR, kind="renewal", customer_id=ids[0], due_at=due, policy_id=ids[1])
    return Seed(ids[0], "张三丰", idno, birth, "13812345678", "PA2026000001", "PL2026000002", "CL20260001",
                cooling.id, renewal.id)


def show(widget: Any, qtbot: Any) -> None:
    """Add ``widget`` to qtbot, size it like the desk's work area at 1366×768 and show it."""
    qtbot.addWidget(widget)
    widget.resize(820, 600)
    widget.show()
