"""Field validators. Each returns the cleaned value or raises ``FieldError`` with a readable message;
``Checker`` collects them so a form reports every bad field at once and writes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from app.errors import ValidationError

T = TypeVar("T")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCE_CHARS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # plate letters: no I or O
PLATE = re.compile(
    rf"^[{PROVINCE_CHARS}][{_LETTER}]"
    rf"(?:[{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警]"  # ordinary: 7 characters
    rf"|[DF][{_LETTER}0-9][0-9]{{4}}"  # new energy, small car: 8 characters
    rf"|[0-9]{{5}}[DF])$"  # new energy, large vehicle: 8 characters
)
VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE_JUNK = re.compile(r"[\s\-()]")


class FieldError(ValueError):
    """One field is wrong; the message says how."""


def id_check_digit(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of a resident ID."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def resident_id(value: str, *, today: date | None = None) -> str:
    """Check a Chinese resident ID: 18 characters, a real birth date, the right check digit."""
    v = value.strip().upper()
    if len(v) != 18:
        raise FieldError(f"a resident ID has 18 characters, this has {len(v)}")
    if not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        raise FieldError("a resident ID is 17 digits followed by a digit or X")
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise FieldError("the birth date inside the ID number is not a real date") from None
    if born > (today or date.today()) or born.year < 1900:
        raise FieldError("the birth date inside the ID number is impossible")
    if id_check_digit(v[:17]) != v[17]:
        raise FieldError("the ID number's check digit is wrong; please read it again")
    return v


def birth_date_of_resident_id(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def normalise_phone(value: str) -> str:
    """Strip spaces and dashes, +86/0086, and a trunk 0 in front of a mobile; keep landline area codes."""
    v = _PHONE_JUNK.sub("", value.strip())
    if v.startswith("+86"):
        v = v[3:]
    elif v.startswith("0086"):
        v = v[4:]
    if v.startswith("01") and len(v) == 12 and MOBILE.match(v[1:]):
        v = v[1:]
    return v


def mobile(value: str) -> str:
    """Check a mainland mobile number (11 digits starting 13-19), after normalising it."""
    v = normalise_phone(value)
    if not v.isdigit():
        raise FieldError("a mobile number has digits only")
    if not MOBILE.match(v):
        raise FieldError("a mobile number has 11 digits and starts with 13 to 19")
    return v


def plate(value: str) -> str:
    """Check a licence plate: 7 characters, or 8 for new-energy vehicles."""
    v = value.strip().upper().replace(" ", "").replace("·", "")
    if len(v) not in (7, 8):
        raise FieldError(f"a plate has 7 characters (8 for new energy), this has {len(v)}")
    if v[0] not in PROVINCE_CHARS:
        raise FieldError("a plate starts with a province character such as 京 or 粤")
    if not PLATE.match(v):
        kind = "new-energy plate" if len(v) == 8 else "plate"
        raise FieldError(f"this is not a valid {kind}")
    return v


def vin(value: str) -> str:
    """Check a VIN: 17 characters, letters and digits, never I, O or Q."""
    v = value.strip().upper()
    if len(v) != 17:
        raise FieldError(f"a VIN has 17 characters, this has {len(v)}")
    if any(c in "IOQ" for c in v):
        raise FieldError("a VIN never contains I, O or Q")
    if not VIN.match(v):
        raise FieldError("a VIN has letters and digits only")
    return v


def email(value: str) -> str:
    v = value.strip()
    if not EMAIL.match(v):
        raise FieldError("this is not an email address")
    return v


def not_future(value: datetime, *, now: datetime) -> datetime:
    """Refuse a time after ``now`` (an incident cannot have happened yet)."""
    if value > now:
        raise FieldError("this time is in the future")
    return value


def required_text(value: str | None, *, max_len: int = 2000) -> str:
    v = (value or "").strip()
    if not v:
        raise FieldError("this field is required")
    if len(v) > max_len:
        raise FieldError(f"at most {max_len} characters")
    return v


def one_of(value: str | None, allowed: tuple[str, ...]) -> str:
    if not value:
        raise FieldError("this field is required")
    if value not in allowed:
        raise FieldError(f"choose one of: {', '.join(allowed)}")
    return value


class Checker:
    """Collect field errors: ``c.check('mobile', mobile, raw)``; ``c.done()`` raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, field: str, fn: Callable[..., T], *args: object, **kwargs: object) -> T | None:
        try:
            return fn(*args, **kwargs)
        except FieldError as exc:
            self.errors.setdefault(field, str(exc))
            return None

    def require(self, field: str, value: T | None) -> T | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.errors.setdefault(field, "this field is required")
            return None
        return value

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
