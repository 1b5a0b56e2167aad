"""Deterministic policies, vehicles, claims and claim timelines for demo customers."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.demo_data.people import PLATE_PREFIX, Person, chinese_name, fast_rng, rng_for
from app.models.claim import CLAIM_STATUSES

LINES = ("auto_compulsory", "auto_commercial", "property", "life", "health", "accident")
LINE_WEIGHTS = (22, 18, 12, 16, 20, 12)
LINE_CODE = {"auto_compulsory": "C", "auto_commercial": "A", "property": "P", "life": "L", "health": "H",
             "accident": "X"}
PRODUCTS = {
    "auto_compulsory": "机动车交通事故责任强制保险", "auto_commercial": "机动车商业保险",
    "property": "家庭财产保险", "life": "终身寿险", "health": "百万医疗险", "accident": "综合意外险",
}
MODELS = ("大众 朗逸", "丰田 卡罗拉", "本田 雅阁", "比亚迪 秦PLUS", "特斯拉 Model 3", "吉利 星瑞", "长安 CS75",
          "哈弗 H6", "日产 轩逸", "宝马 3系")
WMI = ("LSV", "LFV", "LGB", "LVS", "LBV", "LGW", "LRW", "LS5")
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_ORDINARY = PLATE_CHARS.replace("Q", "")
RELATIONS = ("spouse", "child", "parent")
CLAIM_ORDER = ("reported", "registered", "investigating", "assessed", "approved", "paid", "closed")
COOLING_OFF_DAYS = 15


@dataclass
class PolicyPlan:
    number: str
    line: str
    status: str
    issued_on: date
    effective_on: date
    expires_on: date | None
    cooling_off_ends_on: date | None
    premium: Decimal
    sum_insured: Decimal
    insured_is_holder: bool
    plate: str | None = None
    vin: str | None = None
    model: str | None = None
    beneficiaries: list[tuple[str, str, int]] = field(default_factory=list)
    claim: tuple[str, str, list[tuple[datetime, str]]] | None = None  # number, status, timeline


def policy_count(seed: int, i: int) -> int:
    """Return how many policies customer ``i`` holds (1 to 5, mean 3)."""
    return rng_for(seed, "npol", i).choice((1, 2, 3, 3, 4, 5))


def policy_number(line: str, i: int, k: int) -> str:
    return f"P{LINE_CODE[line]}{i:09d}{k}"


def policy_lines(seed: int, i: int) -> list[str]:
    r = rng_for(seed, "lines", i)
    return [r.choices(LINES, LINE_WEIGHTS)[0] for _ in range(policy_count(seed, i))]


def _vin(r: random.Random) -> str:
    return r.choice(WMI) + "".join(r.choices(VIN_CHARS, k=14))


def _plate(r: random.Random, province: str, new_energy: bool) -> str:
    head = PLATE_PREFIX.get(province, "京") + r.choice("ABCDEFGHJK")
    if new_energy:
        return head + r.choice("DF") + r.choice(PLATE_CHARS) + f"{r.randrange(10**4):04d}"
    return head + "".join(r.choices(_ORDINARY, k=5))


def plan_policies(seed: int, i: int, p: Person, today: date) -> list[PolicyPlan]:
    """Plan customer ``i``'s policies relative to ``today`` (so cooling-off callbacks fall due)."""
    plans = []
    for k, line in enumerate(policy_lines(seed, i)):
        r = fast_rng(seed, 1, i * 10 + k)
        age = r.randrange(0, 900) if r.random() < 0.9 else r.randrange(0, 10)  # some brand-new policies
        issued = today - timedelta(days=age)
        term = 365 if line in ("auto_compulsory", "auto_commercial", "property", "health", "accident") else None
        expires = issued + timedelta(days=term) if term else None
        status = "in_force"
        if expires is not None and expires < today:
            status = "expired"
        elif line == "life" and r.random() < 0.05:
            status = "lapsed"
        cooling = issued + timedelta(days=COOLING_OFF_DAYS) if line in ("life", "health") else None
        plan = PolicyPlan(
            number=policy_number(line, i, k), line=line, status=status, issued_on=issued, effective_on=issued,
            expires_on=expires, cooling_off_ends_on=cooling,
            premium=Decimal(r.randrange(300, 20000)).quantize(Decimal("1.00")),
            sum_insured=Decimal(r.randrange(10, 500) * 10000).quantize(Decimal("1.00")),
            insured_is_holder=r.random() < 0.85,
        )
        if line.startswith("auto"):
            plan.plate = _plate(r, p.province, new_energy=r.random() < 0.2)
            plan.vin = _vin(r)
            plan.model = r.choice(MODELS)
        if line == "life":
            plan.beneficiaries = [(chinese_name(r), r.choice(RELATIONS), 100)]
        if r.random() < 0.12 and age >= 20:
            plan.claim = _claim(r, plan, today)
        plans.append(plan)
    return plans


def _claim(r: random.Random, plan: PolicyPlan, today: date) -> tuple[str, str, list[tuple[datetime, str]]]:
    status = r.choice(CLAIM_STATUSES)
    path = list(CLAIM_ORDER[: CLAIM_ORDER.index(status) + 1]) if status in CLAIM_ORDER else [
        "reported", "registered", status]
    latest = today - timedelta(days=2 * len(path) + 1)
    first = max(plan.effective_on, today - timedelta(days=60))
    day = min(first, latest)
    start = datetime.combine(day, datetime.min.time()) + timedelta(hours=r.randrange(8, 20))
    timeline = [(start + timedelta(days=2 * n, hours=r.randrange(0, 8)), s) for n, s in enumerate(path)]
    number = "C" + plan.number[1:] + "".join(r.choice(string.digits) for _ in range(2))
    return number, status, timeline
