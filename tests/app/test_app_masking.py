"""Masking per desk profile and role, with property tests: nothing beyond the rule leaks."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.actor import Actor
from app.masking import (
    ALL_KINDS,
    COMPOUND_SURNAMES,
    mask_bank_card,
    mask_birth_date,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    masker_for,
)

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
digits = st.text(alphabet="0123456789", min_size=11, max_size=11)


def test_examples_from_the_policy() -> None:
    assert mask_name("张三丰") == "张**"
    assert mask_name("欧阳修文") == "欧阳**"
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_bank_card("6222 0202 0011 2233 445") == "****3445"
    assert mask_email("zhang.sf@example.com") == "z***@example.com"
    assert mask_birth_date(date(1985, 3, 7)) == "1985-**-**"


@given(surname=HAN, given_name=st.text(HAN, min_size=1, max_size=3))
def test_name_reveals_only_the_surname(surname: str, given_name: str) -> None:
    name = surname + given_name
    out = mask_name(name)
    visible = out.replace("*", "")
    assert visible == name[: len(visible)]
    assert len(visible) == (2 if name[:2] in COMPOUND_SURNAMES else 1)
    assert out.endswith("**")


@given(st.text(alphabet="0123456789X", min_size=15, max_size=18))
def test_id_number_reveals_first_3_and_last_4(v: str) -> None:
    out = mask_id_number(v)
    assert out[:3] == v[:3]
    assert out[-4:] == v[-4:]
    assert set(out[3:-4]) == {"*"}
    assert len(out) == len(v)


@given(st.text(alphabet="0123456789", min_size=4, max_size=10))
def test_short_id_reveals_at_most_2(v: str) -> None:
    out = mask_id_number(v)
    assert len(out.replace("*", "")) <= 2


@given(digits)
def test_mobile_reveals_first_3_and_last_4(v: str) -> None:
    out = mask_phone(v)
    assert out == v[:3] + "****" + v[-4:]


@given(st.text(alphabet="0123456789", min_size=12, max_size=19))
def test_bank_card_reveals_last_4(v: str) -> None:
    out = mask_bank_card(v)
    assert out.replace("*", "") == v[-4:]


@given(local=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=20),
       domain=st.from_regex(r"[a-z]{1,10}\.(com|cn|net)", fullmatch=True))
def test_email_reveals_first_char_and_domain(local: str, domain: str) -> None:
    out = mask_email(f"{local}@{domain}")
    head, _, dom = out.partition("@")
    assert dom == domain
    assert head.replace("*", "") == local[0]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
def test_birth_date_reveals_year_only(d: date) -> None:
    out = mask_birth_date(d)
    assert out.replace("*", "").strip("-") == f"{d.year:04d}"


@given(province=st.text(HAN, min_size=2, max_size=4), city=st.text(HAN, min_size=2, max_size=4),
       district=st.text(HAN, min_size=2, max_size=4), detail=st.text(HAN, min_size=4, max_size=12))
def test_address_keeps_province_and_city_only(province: str, city: str, district: str, detail: str) -> None:
    m = masker_for(Actor("1", "d", profile="remote", role="csr"))
    assert m.address(province, city, district, detail) == province + city
    clear = masker_for(Actor("1", "d", profile="onsite", role="csr"))
    assert clear.address(province, city, district, detail) == province + city + district + detail


def test_profiles_and_roles() -> None:
    onsite = masker_for(Actor("1", "d", profile="onsite", role="csr"))
    remote = masker_for(Actor("1", "d", profile="remote", role="csr"))
    remote_lead = masker_for(Actor("1", "d", profile="remote", role="lead"))
    assert onsite.masked == frozenset()
    assert remote.masked == ALL_KINDS
    assert onsite.phone("13812345678") == "13812345678"
    assert remote.phone("13812345678") == "138****5678"
    assert remote_lead.name("张三丰") == "张三丰"
    assert remote_lead.id_number("11010519491231002X") == "110***********002X"
    assert remote.birth_date(date(1985, 3, 7)) == "1985-**-**"
    assert remote.phone(None) is None


@given(surname=st.sampled_from(sorted(COMPOUND_SURNAMES)), given_name=st.text(HAN, min_size=1, max_size=2))
def test_compound_surname_is_kept_whole(surname: str, given_name: str) -> None:
    out = mask_name(surname + given_name)
    assert out == surname + "**"
    assert given_name not in out.replace("*", "")[2:]


@given(st.text(min_size=0, max_size=30))
def test_maskers_never_raise_and_never_return_the_whole_value(value: str) -> None:
    m = masker_for(Actor("1", "d", profile="remote", role="csr"))
    for fn in (m.name, m.id_number, m.phone, m.bank_card, m.email):
        out = fn(value)
        assert out is not None
        if len(value) >= 6 and "*" not in value:
            assert out != value
