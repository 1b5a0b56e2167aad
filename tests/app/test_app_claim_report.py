"""Claim report (报案, S-8.2.2.2): good forms give a report number; each kind of bad input is refused
field by field, and a refused form writes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from appkit import NOW, Db, World
from sqlalchemy import select

from app.actor import Actor
from app.errors import ValidationError
from app.models import Claim, ClaimReport
from app.services.claim_report import (
    AutoClaimForm,
    LifeHealthClaimForm,
    PersonInput,
    VehicleInput,
    report_auto_claim,
    report_life_health_claim,
)


def auto_form(world: World) -> AutoClaimForm:
    return AutoClaimForm(
        policy_number=world.auto_policy, occurred_at=NOW - timedelta(hours=2), location="北京市朝阳区建国路与东三环路口",
        description="rear-ended at a red light", police_attended=True,
        vehicles=(VehicleInput(plate=world.plate, vin=world.vin, is_insured_vehicle=True),
                  VehicleInput(plate="粤BD12345")),
        people=(PersonInput(role="driver", name="张三丰", phone="13812345678"),
                PersonInput(role="third_party", name="王五"),
                PersonInput(role="injured", name="王五", injury_level="minor")),
    )


def life_form(world: World) -> LifeHealthClaimForm:
    return LifeHealthClaimForm(policy_number=world.health_policy, event_type="hospitalisation",
                               occurred_at=NOW - timedelta(days=3), description="pneumonia",
                               hospital="北京协和医院", admitted_on=(NOW - timedelta(days=3)).date(),
                               discharged_on=(NOW - timedelta(days=1)).date())


def test_auto_report_returns_a_report_number(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        receipt = report_auto_claim(s, actor=csr, form=auto_form(world), linkedid="L1", now=NOW)
        report = s.scalar(select(ClaimReport).where(ClaimReport.report_number == receipt.report_number))
        assert report is not None
        assert receipt.report_number.startswith("BA")
        assert [v.plate for v in report.vehicles] == [world.plate, "粤BD12345"]
        assert [(p.role, p.injury_level) for p in report.people] == [
            ("driver", "none"), ("third_party", "none"), ("injured", "minor")]
        assert report.police_attended is True
        claim = s.scalar(select(Claim).where(Claim.number == receipt.claim_number))
        assert claim is not None
        assert claim.status == "reported"


def test_life_health_report(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        receipt = report_life_health_claim(s, actor=csr, form=life_form(world), now=NOW)
        report = s.scalar(select(ClaimReport).where(ClaimReport.report_number == receipt.report_number))
        assert report is not None
        assert report.event_type == "hospitalisation"
        assert report.insured_customer_id == world.zhang_id
        assert report.hospital == "北京协和医院"


AUTO_BAD = [
    ("policy_number", lambda f, w: replace(f, policy_number="")),
    ("policy_number", lambda f, w: replace(f, policy_number="PA0000000000")),
    ("policy_number", lambda f, w: replace(f, policy_number=w.life_policy)),
    ("occurred_at", lambda f, w: replace(f, occurred_at=None)),
    ("occurred_at", lambda f, w: replace(f, occurred_at=NOW + timedelta(minutes=5))),
    ("occurred_at", lambda f, w: replace(f, occurred_at=NOW - timedelta(days=400))),
    ("location", lambda f, w: replace(f, location="  ")),
    ("description", lambda f, w: replace(f, description="")),
    ("police_attended", lambda f, w: replace(f, police_attended=None)),
    ("vehicles", lambda f, w: replace(f, vehicles=())),
    ("vehicles", lambda f, w: replace(f, vehicles=(VehicleInput(plate=w.plate),))),
    ("vehicles[0].plate", lambda f, w: replace(f, vehicles=(VehicleInput(plate="京A1234", is_insured_vehicle=True),))),
    ("vehicles[1].plate", lambda f, w: replace(f, vehicles=(f.vehicles[0], VehicleInput(plate="粤BX12345")))),
    ("vehicles[0].vin", lambda f, w: replace(f, vehicles=(VehicleInput(plate=w.plate, vin="LSVAU2180N212345O",
                                                                       is_insured_vehicle=True),))),
    ("vehicles[0].vin", lambda f, w: replace(f, vehicles=(VehicleInput(plate=w.plate, vin="SHORT",
                                                                       is_insured_vehicle=True),))),
    ("people[0].name", lambda f, w: replace(f, people=(PersonInput(role="driver", name=""),))),
    ("people[0].role", lambda f, w: replace(f, people=(PersonInput(role="passenger", name="李四"),))),
    ("people[0].injury_level", lambda f, w: replace(f, people=(PersonInput(role="injured", name="李四"),))),
    ("people[0].injury_level", lambda f, w: replace(f, people=(PersonInput(role="injured", name="李四",
                                                                          injury_level="bad"),))),
    ("people[0].phone", lambda f, w: replace(f, people=(PersonInput(role="driver", name="李四", phone="12345"),))),
]


@pytest.mark.parametrize(("field", "spoil"), AUTO_BAD, ids=[f"{f}-{i}" for i, (f, _) in enumerate(AUTO_BAD)])
def test_bad_auto_report_is_refused_and_writes_nothing(db: Db, world: World, csr: Actor, field: str, spoil) -> None:  # type: ignore[no-untyped-def]
    before = db.counts()
    with db.session() as s, pytest.raises(ValidationError) as err:
        report_auto_claim(s, actor=csr, form=spoil(auto_form(world), world), now=NOW)
    assert field in err.value.fields
    assert err.value.fields[field]
    assert db.counts() == before


def test_every_bad_field_is_reported_at_once(db: Db, world: World, csr: Actor) -> None:
    form = AutoClaimForm(policy_number="", occurred_at=None, location="", description="", police_attended=None)
    with db.session() as s, pytest.raises(ValidationError) as err:
        report_auto_claim(s, actor=csr, form=form, now=NOW)
    assert set(err.value.fields) == {"policy_number", "occurred_at", "location", "description", "police_attended",
                                     "vehicles"}
    assert "please correct 6 field(s)" in str(err.value)


LIFE_BAD = [
    ("policy_number", lambda f, w: replace(f, policy_number=w.auto_policy)),
    ("event_type", lambda f, w: replace(f, event_type="sunburn")),
    ("event_type", lambda f, w: replace(f, event_type="")),
    ("hospital", lambda f, w: replace(f, hospital=" ")),
    ("admitted_on", lambda f, w: replace(f, admitted_on=None)),
    ("admitted_on", lambda f, w: replace(f, admitted_on=(NOW - timedelta(days=10)).date())),
    ("discharged_on", lambda f, w: replace(f, discharged_on=(NOW - timedelta(days=5)).date())),
    ("discharged_on", lambda f, w: replace(f, discharged_on=(NOW + timedelta(days=2)).date())),
    ("occurred_at", lambda f, w: replace(f, occurred_at=NOW + timedelta(days=1))),
    ("description", lambda f, w: replace(f, description="")),
]


@pytest.mark.parametrize(("field", "spoil"), LIFE_BAD, ids=[f"{f}-{i}" for i, (f, _) in enumerate(LIFE_BAD)])
def test_bad_life_report_is_refused_and_writes_nothing(db: Db, world: World, csr: Actor, field: str, spoil) -> None:  # type: ignore[no-untyped-def]
    before = db.counts()
    with db.session() as s, pytest.raises(ValidationError) as err:
        report_life_health_claim(s, actor=csr, form=spoil(life_form(world), world), now=NOW)
    assert field in err.value.fields
    assert db.counts() == before


def test_death_needs_no_hospital(db: Db, world: World, csr: Actor) -> None:
    form = LifeHealthClaimForm(policy_number=world.life_policy, event_type="death", occurred_at=NOW - timedelta(1),
                               description="passed away at home")
    with db.session() as s:
        assert report_life_health_claim(s, actor=csr, form=form, now=NOW).report_number


def test_lapsed_policy_covers_only_its_own_period(db: Db, world: World, csr: Actor) -> None:
    form = LifeHealthClaimForm(policy_number=world.lapsed_policy, event_type="death",
                               occurred_at=NOW - timedelta(1), description="x")
    with db.session() as s, pytest.raises(ValidationError) as err:
        report_life_health_claim(s, actor=csr, form=form, now=NOW)
    assert "not in force" in err.value.fields["occurred_at"]
    ok = replace(form, occurred_at=NOW.replace(year=2020, month=6, day=1))
    with db.session() as s:
        assert report_life_health_claim(s, actor=csr, form=ok, now=NOW).claim_number
