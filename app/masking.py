"""Masking (脱敏, S-8.1-remote): what a desk sees of personal fields, by desk profile and role.

``RULES`` is the per-field table. Remote CSRs see every personal field masked; on-site desks see
clear values; a remote lead sees names (to handle escalations) and everything else masked.
``masker_for(actor)`` returns a ``Masker`` whose methods return the value as that desk may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.actor import Actor

FieldKind = Literal["name", "id_number", "phone", "bank_card", "address", "email", "birth_date"]
ALL_KINDS: frozenset[FieldKind] = frozenset(
    ("name", "id_number", "phone", "bank_card", "address", "email", "birth_date")
)

RULES: dict[tuple[str, str], frozenset[FieldKind]] = {
    ("onsite", "csr"): frozenset(),
    ("onsite", "lead"): frozenset(),
    ("remote", "csr"): ALL_KINDS,
    ("remote", "lead"): ALL_KINDS - {"name"},
}

COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "西门", "独孤", "南宫", "呼延", "百里", "东郭", "闻人", "万俟", "澹台", "公冶", "太叔", "申屠", "钟离", "宗政", "濮阳", "淳于", "单于", "赫连", "仲孙"]
)
STARS = "**"


def surname_of(name: str) -> str:
    """Return the surname: two characters for a known compound surname, else the first character."""
    n = name.strip()
    return n[:2] if n[:2] in COMPOUND_SURNAMES else n[:1]


def mask_name(name: str) -> str:
    """张三丰 -> 张**; 欧阳修 -> 欧阳**. The star count does not reveal the name's length."""
    return surname_of(name) + STARS


def mask_id_number(value: str) -> str:
    """Keep the first 3 and last 4 characters of an ID of 11 or more; of a shorter one, the last 2."""
    v = value.strip()
    if len(v) >= 11:
        return v[:3] + "*" * (len(v) - 7) + v[-4:]
    return "*" * max(len(v) - 2, 4) + v[-2:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; a short number keeps its last 2 digits only."""
    v = value.strip()
    if len(v) >= 11:
        return v[:3] + "****" + v[-4:]
    return "****" + v[-2:]


def mask_bank_card(value: str) -> str:
    """Keep the last 4 digits."""
    v = value.replace(" ", "")
    return "****" + v[-4:]


def mask_address(province: str | None, city: str | None) -> str:
    """Keep the province and the city only."""
    return f"{province or ''}{city or ''}"


def mask_email(value: str) -> str:
    """a***@example.com: the first character and the domain."""
    local, _, domain = value.strip().partition("@")
    return f"{local[:1]}***@{domain}"


def mask_birth_date(value: date) -> str:
    """Keep the year only."""
    return f"{value.year:04d}-**-**"


@dataclass(frozen=True, slots=True)
class Masker:
    """Apply the masking rule of one desk. Every method passes ``None`` through."""

    masked: frozenset[FieldKind]

    def name(self, v: str | None) -> str | None:
        return None if v is None else mask_name(v) if "name" in self.masked else v

    def id_number(self, v: str | None) -> str | None:
        return None if v is None else mask_id_number(v) if "id_number" in self.masked else v

    def phone(self, v: str | None) -> str | None:
        return None if v is None else mask_phone(v) if "phone" in self.masked else v

    def bank_card(self, v: str | None) -> str | None:
        return None if v is None else mask_bank_card(v) if "bank_card" in self.masked else v

    def email(self, v: str | None) -> str | None:
        return None if v is None else mask_email(v) if "email" in self.masked else v

    def birth_date(self, v: date | None) -> str | None:
        if v is None:
            return None
        return mask_birth_date(v) if "birth_date" in self.masked else v.isoformat()

    def address(self, province: str | None, city: str | None, district: str | None, detail: str | None) -> str:
        if "address" in self.masked:
            return mask_address(province, city)
        return "".join(p for p in (province, city, district, detail) if p)


def masker_for(actor: Actor) -> Masker:
    """Return the masker for this actor's desk profile and role."""
    return Masker(RULES[(actor.profile, actor.role)])


# Every personal column in the schema and how it is masked: the map a database-side masking layer
# (PostgreSQL roles and masked views, a later issue) is built from. A test keeps it complete.
PERSONAL_COLUMNS: dict[str, FieldKind] = {
    "customer.name": "name",
    "customer.id_number": "id_number",
    "customer.birth_date": "birth_date",
    "customer.mobile": "phone",
    "customer.email": "email",
    "customer.addr_district": "address",
    "customer.addr_detail": "address",
    "customer.bank_card": "bank_card",
    "customer_phone.number": "phone",
    "beneficiary.name": "name",
    "beneficiary.id_number": "id_number",
    "report_person.name": "name",
    "report_person.phone": "phone",
    "contact.caller_number": "phone",
}
