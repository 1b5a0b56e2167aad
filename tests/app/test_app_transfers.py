"""Transfer orders (转办, S-8.2.2.4): routing and SLA tables, status history, and no lost update."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from appkit import NOW, Db, World

from app.actor import Actor
from app.errors import ConflictError, ValidationError
from app.models import TransferOrder
from app.services.locking import commit_versioned, load_for_edit
from app.services.transfers import (
    TransferForm,
    advance_transfer,
    departments,
    my_transfers,
    raise_transfer,
    transfer_progress,
)


def _form(world: World) -> TransferForm:
    return TransferForm(category_code="complaint.claim", problem="claim payout is two weeks late",
                        priority="high", customer_id=world.zhang_id, linkedid="L1")


def test_raise_routes_and_sets_due_time(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        view = raise_transfer(s, actor=csr, form=_form(world), now=NOW)
        assert view.summary.department_code == "complaints"
        assert view.summary.due_at == NOW + timedelta(hours=24)
        assert view.summary.status == "sent"
        assert [st.status for st in view.steps] == ["new", "sent"]
        urgent = raise_transfer(s, actor=csr, form=replace(_form(world), priority="urgent",
                                                           department_code="branch_gd"), now=NOW)
        assert urgent.summary.department_code == "branch_gd"
        assert urgent.summary.due_at == NOW + timedelta(hours=4)
        assert {d[0] for d in departments(s)} >= {"complaints", "branch_gd"}


@pytest.mark.parametrize(
    ("field", "change"),
    [("category_code", {"category_code": "complaint"}), ("category_code", {"category_code": "bogus"}),
     ("problem", {"problem": "   "}), ("priority", {"priority": "whenever"}), ("priority", {"priority": ""}),
     ("department_code", {"department_code": "nowhere"}),
     ("department_code", {"category_code": "consult.product"}),  # no routing rule and none chosen
     ("customer_id", {"customer_id": 999999})],
)
def test_bad_transfer_is_refused_and_writes_nothing(db: Db, world: World, csr: Actor, field: str,
                                                    change: dict[str, object]) -> None:
    before = db.counts()
    with db.session() as s, pytest.raises(ValidationError) as err:
        raise_transfer(s, actor=csr, form=replace(_form(world), **change))  # type: ignore[arg-type]
    assert field in err.value.fields
    assert db.counts() == before


def test_progress_is_visible_with_time_and_actor(db: Db, world: World, csr: Actor) -> None:
    handler = Actor(agent_id="dept-complaints", desk_id="backoffice")
    with db.session() as s:
        v = raise_transfer(s, actor=csr, form=_form(world), now=NOW)
        v = advance_transfer(s, actor=handler, order_id=v.summary.id, expected_version=v.summary.version,
                             status="accepted", now=NOW + timedelta(hours=1))
        v = advance_transfer(s, actor=handler, order_id=v.summary.id, expected_version=v.summary.version,
                             status="resolved", note="paid today", now=NOW + timedelta(hours=3))
    with db.session() as s:
        seen = transfer_progress(s, order_id=v.summary.id)
        mine = my_transfers(s, actor=csr)
    assert [(st.status, st.actor) for st in seen.steps] == [
        ("new", "1001"), ("sent", "1001"), ("accepted", "dept-complaints"), ("resolved", "dept-complaints")]
    assert seen.steps[-1].note == "paid today"
    assert seen.steps[-1].at == NOW + timedelta(hours=3)
    assert [t.id for t in mine] == [v.summary.id]


def test_illegal_transition_is_refused(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        v = raise_transfer(s, actor=csr, form=_form(world), now=NOW)
    before = db.counts()
    for change, field in (({"status": "closed"}, "status"), ({"status": "accepted", "department_code": "mars"},
                                                             "department_code"),
                          ({"status": "accepted", "note": "n" * 2001}, "note")):
        with db.session() as s, pytest.raises(ValidationError) as err:
            advance_transfer(s, actor=csr, order_id=v.summary.id, expected_version=v.summary.version,
                             **change)  # type: ignore[arg-type]
        assert field in err.value.fields
    assert db.counts() == before
    with db.session() as s:
        assert transfer_progress(s, order_id=v.summary.id).summary.version == v.summary.version


def test_two_desks_editing_the_same_order_conflict(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        v = raise_transfer(s, actor=csr, form=_form(world), now=NOW)
    oid, version = v.summary.id, v.summary.version
    desk_a, desk_b = db.session(), db.session()
    try:
        advance_transfer(desk_a, actor=csr, order_id=oid, expected_version=version, status="accepted")
        with pytest.raises(ConflictError) as err:
            advance_transfer(desk_b, actor=Actor("1002", "desk-b"), order_id=oid, expected_version=version,
                             status="returned", note="wrong department")
    finally:
        desk_a.close()
        desk_b.close()
    assert "changed by someone else" in str(err.value)
    assert err.value.expected == version
    assert err.value.actual == version + 1
    with db.session() as s:
        assert [st.status for st in transfer_progress(s, order_id=oid).steps] == ["new", "sent", "accepted"]


def test_race_between_load_and_commit_is_caught(db: Db, world: World, csr: Actor) -> None:
    """Desk B loaded the order, desk A committed, then B flushes: the version check in UPDATE catches it."""
    with db.session() as s:
        v = raise_transfer(s, actor=csr, form=_form(world), now=NOW)
    oid, version = v.summary.id, v.summary.version
    desk_b = db.session()
    try:
        order_b = load_for_edit(desk_b, TransferOrder, "transfer order", oid, version)
        with db.session() as desk_a:
            advance_transfer(desk_a, actor=csr, order_id=oid, expected_version=version, status="accepted")
        order_b.status = "returned"
        with pytest.raises(ConflictError, match="reload it"):
            commit_versioned(desk_b, TransferOrder, "transfer order", oid, version)
    finally:
        desk_b.close()
    with db.session() as s:
        order = s.get(TransferOrder, oid)
        assert order is not None
        assert order.status == "accepted"
