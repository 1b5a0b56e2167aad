"""The identity gate (S-8.2.2.1): details only after verification; every outcome audited; no bypass."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from appkit import Db, World
from sqlalchemy import select

from app.actor import Actor
from app.errors import IdentityFailed, IdentityLocked, IdentityRequired
from app.identity import MAX_FAILURES, IdentityToken, verify_identity
from app.models import AuditEntry, IdentityCheck
from app.services.query import claim_details, policy_details
from app.timeutil import utcnow


def _audit(db: Db) -> list[tuple[str, str, str]]:
    with db.session() as s:
        return [(r.action, r.record_id, r.outcome) for r in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def test_name_and_last6_releases_policy_and_claim(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        tok = verify_identity(s, actor=csr, customer_id=world.zhang_id, method="name_id6", linkedid="L1",
                              name="张三丰", id_last6=world.zhang_idno[-6:].lower())
        pol = policy_details(s, actor=csr, token=tok, policy_number=world.auto_policy.lower())
        clm = claim_details(s, actor=csr, token=tok, claim_number=world.open_claim)
    assert pol.vin == world.vin
    assert pol.parties[0].name == "张三丰"
    assert [e.status for e in clm.timeline] == ["reported", "investigating"]
    assert ("identity.verify", str(world.zhang_id), "passed") in _audit(db)
    actions = [(a, o) for a, _, o in _audit(db)]
    assert ("policy.view", "ok") in actions
    assert ("claim.view", "ok") in actions


def test_policy_number_and_birth_date(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        tok = verify_identity(s, actor=csr, customer_id=world.zhang_id, method="policy_birth",
                              policy_number=world.life_policy, birth_date=world.zhang_birth)
        details = policy_details(s, actor=csr, token=tok, policy_number=world.life_policy)
    assert [p.role for p in details.parties] == ["holder", "insured", "beneficiary"]


def test_insured_who_is_not_holder_may_see_the_policy(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        tok = verify_identity(s, actor=csr, customer_id=world.zhang_id, method="name_id6", name="张三丰",
                              id_last6=world.zhang_idno[-6:])
        assert policy_details(s, actor=csr, token=tok, policy_number=world.health_policy).status == "in_force"


@pytest.mark.parametrize(
    "answers",
    [
        {"method": "name_id6", "name": "张三", "id_last6": "LAST6"},  # wrong name (LAST6 replaced below)
        {"method": "name_id6", "name": "张三丰", "id_last6": "000000"},
        {"method": "name_id6", "name": "张三丰", "id_last6": None},
        {"method": "policy_birth", "policy_number": "PA2026000001", "birth_date": "wrong"},
        {"method": "policy_birth", "policy_number": "PC2026000006", "birth_date": "right"},  # not his policy
    ],
)
def test_wrong_answers_fail_and_are_audited(db: Db, world: World, csr: Actor, answers: dict[str, object]) -> None:
    kw = dict(answers)
    if kw.get("id_last6") == "LAST6":
        kw["id_last6"] = world.zhang_idno[-6:]
    if "birth_date" in kw:
        kw["birth_date"] = world.zhang_birth if kw["birth_date"] == "right" else world.zhang_birth + timedelta(1)
    with db.session() as s, pytest.raises(IdentityFailed, match="do not match"):
        verify_identity(s, actor=csr, customer_id=world.zhang_id, linkedid="L9", **kw)  # type: ignore[arg-type]
    assert ("identity.verify", str(world.zhang_id), "failed") in _audit(db)
    with db.session() as s:
        assert s.scalar(select(IdentityCheck)) is None


def test_repeated_failures_lock_the_contact(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        for _ in range(MAX_FAILURES):
            with pytest.raises(IdentityFailed):
                verify_identity(s, actor=csr, customer_id=world.zhang_id, method="name_id6", linkedid="L2",
                                name="李四", id_last6="123456")
        with pytest.raises(IdentityLocked):
            verify_identity(s, actor=csr, customer_id=world.zhang_id, method="name_id6", linkedid="L2",
                            name="张三丰", id_last6=world.zhang_idno[-6:])
    outcomes = [o for a, _, o in _audit(db) if a == "identity.verify"]
    assert outcomes == ["failed"] * MAX_FAILURES + ["locked"]


def _valid(db: Db, world: World, actor: Actor) -> IdentityToken:
    with db.session() as s:
        return verify_identity(s, actor=actor, customer_id=world.zhang_id, method="name_id6", name="张三丰",
                               id_last6=world.zhang_idno[-6:])


def test_bypass_attempts_are_refused_and_audited(db: Db, world: World, csr: Actor) -> None:
    good = _valid(db, world, csr)
    other_agent = Actor(agent_id="1009", desk_id=csr.desk_id)
    other_desk = Actor(agent_id=csr.agent_id, desk_id="desk-z")
    attempts: list[tuple[Actor, object, str]] = [
        (csr, None, "verify the caller's identity first"),
        (csr, IdentityToken(value="", customer_id=world.zhang_id, expires_at=utcnow()), "verify the caller"),
        (csr, IdentityToken(value="forged-token", customer_id=world.zhang_id, expires_at=utcnow() + timedelta(1)),
         "not valid"),
        (csr, replace(good, customer_id=world.ouyang_id), "not a party"),
        (other_agent, good, "another desk or by another agent"),
        (other_desk, good, "another desk or by another agent"),
        (csr, "a-string-token", "verify the caller's identity first"),
    ]
    for actor, token, why in attempts:
        with db.session() as s, pytest.raises(IdentityRequired, match=why):
            policy_details(s, actor=actor, token=token, policy_number=world.auto_policy)  # type: ignore[arg-type]
    # A token for this customer does not open someone else's policy or claim.
    with db.session() as s, pytest.raises(IdentityRequired, match="not a party"):
        policy_details(s, actor=csr, token=good, policy_number=world.ouyang_policy)
    refused = [a for a, _, o in _audit(db) if o == "refused"]
    assert len(refused) == len(attempts) + 1


def test_expired_token_is_refused(db: Db, world: World, csr: Actor) -> None:
    tok = _valid(db, world, csr)
    with db.session() as s, pytest.raises(IdentityRequired, match="expired"):
        claim_details(s, actor=csr, token=tok, claim_number=world.open_claim, now=utcnow() + timedelta(hours=1))


def test_token_is_stored_only_as_a_hash(db: Db, world: World, csr: Actor) -> None:
    tok = _valid(db, world, csr)
    with db.session() as s:
        row = s.scalar(select(IdentityCheck))
    assert row is not None
    assert tok.value not in (row.token_hash, row.method, row.linkedid)
    assert tok.value not in repr(tok)


def test_remote_desk_gets_masked_details(db: Db, world: World, remote_csr: Actor) -> None:
    tok = _valid(db, world, remote_csr)
    with db.session() as s:
        details = policy_details(s, actor=remote_csr, token=tok, policy_number=world.auto_policy)
    assert details.parties[0].name == "张**"
    assert details.parties[0].id_number == world.zhang_idno[:3] + "*" * 11 + world.zhang_idno[-4:]
