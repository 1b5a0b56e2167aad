"""Field validators: the ID check digit and birth date, mobiles, plates (new energy too), VINs."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from appkit import resident_id as make_id

from app.validation import (
    FieldError,
    id_check_digit,
    mobile,
    normalise_phone,
    not_future,
    plate,
    resident_id,
    vin,
)


def test_known_resident_id_passes() -> None:
    # The GB 11643 worked example.
    assert resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("11010519491231002", "18 characters"),
        ("1101051949123100211", "18 characters"),
        ("11010519491231002A", "17 digits followed by a digit or X"),
        ("110105194912310021", "check digit"),
        ("110105199902300016", "not a real date"),  # 30 February
        ("110105209901010019", "impossible"),  # born in 2099
    ],
)
def test_bad_resident_ids_are_refused_with_reason(value: str, why: str) -> None:
    with pytest.raises(FieldError, match=why):
        resident_id(value, today=date(2026, 1, 1))


def test_generated_ids_have_a_valid_check_digit() -> None:
    for seq in ("001", "123", "999"):
        assert resident_id(make_id("310101", date(1975, 6, 30), seq))
    first17 = "31010119750630001"
    wrong = "0" if id_check_digit(first17) != "0" else "1"
    with pytest.raises(FieldError):
        resident_id(first17 + wrong)


@pytest.mark.parametrize(
    ("raw", "norm"),
    [("+8613812345678", "13812345678"), ("008613812345678", "13812345678"), ("013812345678", "13812345678"),
     ("138 1234 5678", "13812345678"), ("138-1234-5678", "13812345678"), ("01065432100", "01065432100")],
)
def test_phone_normalisation(raw: str, norm: str) -> None:
    assert normalise_phone(raw) == norm


@pytest.mark.parametrize("bad", ["1381234567", "23812345678", "12812345678", "1381234567a", ""])
def test_bad_mobiles(bad: str) -> None:
    with pytest.raises(FieldError):
        mobile(bad)


@pytest.mark.parametrize("good", ["京A12345", "粤B8H9K2", "沪AD12345", "粤BFA1234", "苏E12345D", "京A1234学", "川a12345"])
def test_good_plates(good: str) -> None:
    assert plate(good) == good.upper()


@pytest.mark.parametrize(
    ("bad", "why"),
    [("京A1234", "7 characters"), ("A12345京", "province"), ("京AI2345", "not a valid plate"),
     ("粤BX12345", "not a valid new-energy plate"), ("京A123456789", "7 characters")],
)
def test_bad_plates(bad: str, why: str) -> None:
    with pytest.raises(FieldError, match=why):
        plate(bad)


def test_vin_rules() -> None:
    assert vin("lsvau2180n2123456") == "LSVAU2180N2123456"
    with pytest.raises(FieldError, match="17 characters"):
        vin("LSVAU2180N212345")
    for letter in "IOQ":
        with pytest.raises(FieldError, match="never contains I, O or Q"):
            vin("LSVAU2180N212345" + letter)
    with pytest.raises(FieldError, match="letters and digits"):
        vin("LSVAU2180N212345-")


def test_no_future_incident() -> None:
    now = datetime(2026, 5, 1, 12, 0)
    assert not_future(datetime(2026, 5, 1, 11, 59), now=now)
    with pytest.raises(FieldError, match="future"):
        not_future(datetime(2026, 5, 1, 12, 1), now=now)
