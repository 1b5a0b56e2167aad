"""Small, explicit test data: valid by construction, with the values the tests check against."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.models import Base, Beneficiary, Claim, ClaimEvent, Customer, CustomerPhone, Policy, Vehicle
from app.timeutil import utcnow
from app.validation import id_check_digit

NOW = utcnow().replace(microsecond=0)
TODAY = NOW.date()


@dataclass
class Db:
    kind: str
    url: str
    engine: Engine
    session: Callable[[], Session]

    def counts(self) -> dict[str, int]:
        """Rows per table: to prove that a rejected form wrote nothing."""
        with self.session() as s:
            return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}



def resident_id(region: str, born: date, seq: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq}"
    return first17 + id_check_digit(first17)


@dataclass
class World:
    zhang_id: int
    zhang_name: str
    zhang_idno: str
    zhang_birth: date
    zhang_mobile: str
    zhang_home: str
    ouyang_id: int
    auto_policy: str
    life_policy: str
    health_policy: str
    property_policy: str
    lapsed_policy: str
    ouyang_policy: str
    open_claim: str
    closed_claim: str
    plate: str
    vin: str


def _policy(number: str, line: str, holder: Customer, insured: Customer, status: str = "in_force",
            effective: date | None = None) -> Policy:
    eff = effective or TODAY - timedelta(days=100)
    return Policy(number=number, product_line=line, product_name=f"{line} product", status=status, issued_on=eff,
                  effective_on=eff, expires_on=eff + timedelta(days=365),
                  cooling_off_ends_on=eff + timedelta(days=15) if line in ("life", "health") else None,
                  premium=Decimal("1200.00"), sum_insured=Decimal("500000.00"), holder=holder, insured=insured)


def build_world(s: Session) -> World:
    zhang_birth = date(1985, 3, 7)
    zhang = Customer(name="张三丰", id_type="resident_id", id_number=resident_id("110105", zhang_birth, "123"),
                     birth_date=zhang_birth, mobile="13812345678", email="zhang.sf@example.com",
                     addr_province="北京市", addr_city="北京市", addr_district="朝阳区", addr_detail="建国路88号1单元",
                     bank_card="6222020200112233445", preferred_language="zh", vip_level=2)
    zhang.phones.append(CustomerPhone(kind="home", number="01065432100"))
    ouyang_birth = date(1990, 12, 31)
    ouyang = Customer(name="欧阳修文", id_type="resident_id",
                      id_number=resident_id("440305", ouyang_birth, "456"), birth_date=ouyang_birth,
                      mobile="13900001111", email="oy@example.cn", addr_province="广东省", addr_city="深圳市",
                      addr_district="南山区", addr_detail="科技园路1号", preferred_language="yue", vip_level=0)
    s.add_all([zhang, ouyang])
    auto = _policy("PA2026000001", "auto_commercial", zhang, zhang)
    auto.vehicle = Vehicle(plate="京A12345", vin="LSVAU2180N2123456", model="大众 帕萨特")
    life = _policy("PL2026000002", "life", zhang, zhang)
    life.beneficiaries.append(Beneficiary(name="张小明", id_number=None, relation="child", share_percent=100))
    health = _policy("PH2026000003", "health", ouyang, zhang)
    prop = _policy("PP2026000004", "property", zhang, zhang)
    lapsed = _policy("PL2020000005", "life", zhang, zhang, status="lapsed", effective=date(2020, 1, 1))
    oy = _policy("PC2026000006", "auto_compulsory", ouyang, ouyang)
    oy.vehicle = Vehicle(plate="粤BD12345", vin="LGWEF4A58NF000001", model="比亚迪 汉")
    s.add_all([auto, life, health, prop, lapsed, oy])
    s.flush()
    open_claim = Claim(number="CL2026-OPEN1", policy=auto, status="investigating", opened_at=NOW - timedelta(days=3))
    open_claim.timeline.extend([
        ClaimEvent(at=NOW - timedelta(days=3), status="reported", note=""),
        ClaimEvent(at=NOW - timedelta(days=2), status="investigating", note="surveyor assigned"),
    ])
    closed_claim = Claim(number="CL2025-DONE1", policy=life, status="closed", opened_at=datetime(2025, 5, 1))
    s.add_all([open_claim, closed_claim])
    s.commit()
    return World(
        zhang_id=zhang.id, zhang_name=zhang.name, zhang_idno=zhang.id_number, zhang_birth=zhang_birth,
        zhang_mobile="13812345678", zhang_home="01065432100", ouyang_id=ouyang.id, auto_policy=auto.number,
        life_policy=life.number, health_policy=health.number, property_policy=prop.number,
        lapsed_policy=lapsed.number, ouyang_policy=oy.number, open_claim=open_claim.number,
        closed_claim=closed_claim.number, plate="京A12345", vin="LSVAU2180N2123456",
    )
