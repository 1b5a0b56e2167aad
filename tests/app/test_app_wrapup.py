"""Contacts and wrap-up (小结, S-8.2.2.3): two-level categories, first-contact resolution, notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from appkit import NOW, Db, World
from sqlalchemy import func, select

from app.actor import Actor
from app.errors import NotFound, ValidationError
from app.models import Contact, WrapUp
from app.services.contacts import (
    WrapUpForm,
    open_contact,
    record_survey,
    save_wrap_up,
    service_categories,
    update_contact,
)


def test_contact_lifecycle_and_survey(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        cid = open_contact(s, actor=csr, linkedid="1700000000.1", direction="inbound", queue="claims-auto",
                           caller_number="+8613812345678", offered_at=NOW)
        assert open_contact(s, actor=csr, linkedid="1700000000.1", direction="inbound") == cid
        update_contact(s, actor=csr, linkedid="1700000000.1", answered_at=NOW + timedelta(seconds=5),
                       customer_id=world.zhang_id)
        update_contact(s, actor=csr, linkedid="1700000000.1", ended_at=NOW + timedelta(minutes=4),
                       recording_ref="rec/1700000000.1.wav")
        assert record_survey(s, linkedid="1700000000.1", score=4, actor=csr) == 1
        c = s.get(Contact, cid)
        assert c is not None
        assert (c.caller_number, c.queue, c.survey_score, c.customer_id) == (
            "13812345678", "claims-auto", 4, world.zhang_id)
        assert c.recording_ref == "rec/1700000000.1.wav"


def test_contact_rules(db: Db, csr: Actor) -> None:
    with db.session() as s:
        with pytest.raises(ValidationError) as err:
            open_contact(s, actor=csr, linkedid="", direction="sideways")
        assert set(err.value.fields) == {"linkedid", "direction"}
        open_contact(s, actor=csr, linkedid="L1", direction="outbound", offered_at=NOW)
        update_contact(s, actor=csr, linkedid="L1", answered_at=NOW + timedelta(seconds=10))
        with pytest.raises(ValidationError, match="end before"):
            update_contact(s, actor=csr, linkedid="L1", ended_at=NOW)
        with pytest.raises(ValidationError, match="1 to 4"):
            record_survey(s, linkedid="L1", score=5, actor=csr)
        with pytest.raises(NotFound):
            update_contact(s, actor=csr, linkedid="nope", ended_at=NOW)
        assert s.get(Contact, 1) is not None
        assert s.get(Contact, 1).ended_at is None  # type: ignore[union-attr]


def test_taxonomy_is_two_levels(db: Db) -> None:
    with db.session() as s:
        cats = service_categories(s)
    parents = {c for c, p, _, _ in cats if p is None}
    assert {"consult", "claim", "complaint", "policy_service", "callback"} <= parents
    assert all(p in parents for _, p, _, _ in cats if p is not None)


def _form() -> WrapUpForm:
    return WrapUpForm(linkedid="L1", category_code="consult.policy", resolved_first_contact=True,
                      notes="explained the grace period")


def test_wrap_up_saves_and_feeds_fcr(db: Db, csr: Actor) -> None:
    with db.session() as s:
        open_contact(s, actor=csr, linkedid="L1", direction="inbound")
        open_contact(s, actor=csr, linkedid="L2", direction="inbound")
        save_wrap_up(s, actor=csr, form=_form())
        save_wrap_up(s, actor=csr, form=replace(_form(), linkedid="L2", resolved_first_contact=False))
        resolved = s.scalar(select(func.count()).select_from(WrapUp).where(WrapUp.resolved_first_contact))
        total = s.scalar(select(func.count()).select_from(WrapUp))
    assert (resolved, total) == (1, 2)


@pytest.mark.parametrize(
    ("field", "change"),
    [("linkedid", {"linkedid": "not-my-call"}), ("linkedid", {"linkedid": ""}),
     ("category_code", {"category_code": "consult"}), ("category_code", {"category_code": "nonsense"}),
     ("category_code", {"category_code": ""}), ("resolved_first_contact", {"resolved_first_contact": None}),
     ("notes", {"notes": "x" * 2001})],
)
def test_bad_wrap_up_is_refused_and_writes_nothing(db: Db, csr: Actor, field: str, change: dict[str, object]) -> None:
    with db.session() as s:
        open_contact(s, actor=csr, linkedid="L1", direction="inbound")
    before = db.counts()
    with db.session() as s, pytest.raises(ValidationError) as err:
        save_wrap_up(s, actor=csr, form=replace(_form(), **change))  # type: ignore[arg-type]
    assert field in err.value.fields
    assert db.counts() == before


def test_one_wrap_up_per_contact_and_only_for_own_calls(db: Db, csr: Actor) -> None:
    with db.session() as s:
        open_contact(s, actor=csr, linkedid="L1", direction="inbound")
        save_wrap_up(s, actor=csr, form=_form())
        with pytest.raises(ValidationError, match="already wrapped up"):
            save_wrap_up(s, actor=csr, form=_form())
        other = Actor(agent_id="1005", desk_id="desk-b")
        with pytest.raises(ValidationError, match="no call of yours"):
            save_wrap_up(s, actor=other, form=_form())
