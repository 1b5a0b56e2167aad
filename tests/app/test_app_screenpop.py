"""Screen pop: one lookup by caller number or IVR policy number, bounded queries, masked per desk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from appkit import NOW, Db, World, _policy
from sqlalchemy import event, text

from app.actor import Actor
from app.models import Contact, Customer, CustomerPhone, OutboundTask, Policy, TransferOrder
from app.models.audit import AuditEntry
from app.screenpop import MAX_QUERIES, _by_phone, screen_pop, search_customers, warm_screen_pop


@contextmanager
def count_selects(db: Db) -> Iterator[list[str]]:
    seen: list[str] = []

    def before(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


@pytest.mark.parametrize("number", ["13812345678", "+8613812345678", "008613812345678", "013812345678",
                                    "138 1234 5678"])
def test_pop_by_normalised_caller_number(db: Db, world: World, csr: Actor, number: str) -> None:
    with db.session() as s:
        pop = screen_pop(s, caller_number=number, policy_number=None, actor=csr)
    assert pop.customer is not None
    assert pop.customer.id == world.zhang_id
    assert pop.looked_up_by == "caller_number"
    # Active policies where he is holder or insured; the lapsed one is not listed.
    assert {p.number for p in pop.policies} == {world.auto_policy, world.life_policy, world.health_policy,
                                               world.property_policy}
    assert [c.number for c in pop.open_claims] == [world.open_claim]
    assert next(p.plate for p in pop.policies if p.number == world.auto_policy) == world.plate


def test_pop_by_other_phone_and_by_ivr_policy_number(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        assert screen_pop(s, caller_number=world.zhang_home, policy_number=None, actor=csr).customer is not None
        pop = screen_pop(s, caller_number="13812345678", policy_number=world.ouyang_policy.lower(), actor=csr)
    assert pop.looked_up_by == "policy_number"
    assert pop.customer is not None
    assert pop.customer.id == world.ouyang_id


def test_ivr_digits_alone_find_the_policy(db: Db, world: World, csr: Actor) -> None:
    """A caller can key only digits into the IVR; the policy number's letter prefix is not needed."""
    digits = "".join(ch for ch in world.ouyang_policy if ch.isdigit())
    assert digits != world.ouyang_policy
    with db.session() as s:
        pop = screen_pop(s, caller_number="13812345678", policy_number=digits, actor=csr)
        found = search_customers(s, actor=csr, policy_number=digits)
    assert pop.looked_up_by == "policy_number"
    assert pop.customer is not None
    assert pop.customer.id == world.ouyang_id
    assert [c.id for c in found] == [world.ouyang_id]


def test_unknown_ivr_policy_number_falls_back_to_the_caller_number(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        pop = screen_pop(s, caller_number=world.zhang_mobile, policy_number="PX9999999999", actor=csr)
        miss = screen_pop(s, caller_number=None, policy_number="PX9999999999", actor=csr)
    assert pop.looked_up_by == "caller_number"
    assert pop.customer is not None
    assert pop.customer.id == world.zhang_id
    assert miss.looked_up_by == "policy_number"
    assert not miss.found


def test_unknown_and_anonymous_callers(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        assert not screen_pop(s, caller_number="13700000000", policy_number=None, actor=csr).found
        assert not screen_pop(s, caller_number=None, policy_number=None, actor=csr).found
        assert not screen_pop(s, caller_number="anonymous", policy_number="  ", actor=csr).found


def test_shared_number_offers_candidates(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        s.add(CustomerPhone(customer_id=world.ouyang_id, kind="home", number=world.zhang_home))
        s.commit()
        pop = screen_pop(s, caller_number=world.zhang_home, policy_number=None, actor=csr)
    assert pop.customer is None
    assert {c.id for c in pop.candidates} == {world.zhang_id, world.ouyang_id}


def test_pop_lists_open_work_and_last_contacts(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        s.add_all([
            TransferOrder(number="ZB-1", customer_id=world.zhang_id, category_code="complaint.service", problem="p",
                          department_code="complaints", priority="high", due_at=NOW + timedelta(hours=5),
                          status="sent", raised_by="1001"),
            TransferOrder(number="ZB-2", customer_id=world.zhang_id, category_code="complaint.service", problem="p",
                          department_code="complaints", priority="high", due_at=NOW, status="closed",
                          raised_by="1001"),
            OutboundTask(kind="renewal", customer_id=world.zhang_id, due_at=NOW - timedelta(hours=1), status="open"),
            OutboundTask(kind="renewal", customer_id=world.zhang_id, due_at=NOW + timedelta(days=30), status="open"),
            *(Contact(linkedid=f"L{i}", direction="inbound", agent_id="1001", customer_id=world.zhang_id,
                      offered_at=NOW - timedelta(days=i)) for i in range(8)),
        ])
        s.commit()
        pop = screen_pop(s, caller_number=world.zhang_mobile, policy_number=None, actor=csr, now=NOW)
    assert [t.number for t in pop.open_transfers] == ["ZB-1"]
    assert [t.kind for t in pop.due_outbound] == ["renewal"]
    assert [c.linkedid for c in pop.last_contacts] == ["L0", "L1", "L2", "L3", "L4"]


def test_query_count_is_bounded_whatever_the_data(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s, count_selects(db) as seen:
        screen_pop(s, caller_number=world.zhang_mobile, policy_number=None, actor=csr)
    few = len(seen)
    with db.session() as s:
        zhang = s.get(Customer, world.zhang_id)
        assert zhang is not None
        for i in range(30):
            s.add(_policy(f"PX{i:010d}", "property", zhang, zhang))
        s.add_all(Contact(linkedid=f"M{i}", direction="inbound", agent_id="1001", customer_id=world.zhang_id)
                  for i in range(30))
        s.commit()
    with db.session() as s, count_selects(db) as seen:
        pop = screen_pop(s, caller_number=world.zhang_mobile, policy_number=None, actor=csr)
    assert len(pop.policies) == 34
    assert len(seen) == few
    assert few <= MAX_QUERIES


@pytest.mark.parametrize("who", ["csr", "remote_csr"])
def test_warming_runs_the_pop_statements_and_leaves_no_trace(db: Db, world: World, who: str,
                                                              request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(who)
    with db.session() as s:
        before = s.query(AuditEntry).count()
    with count_selects(db) as seen, db.session() as s:
        warm_screen_pop(s, actor=actor)
        assert not s.in_transaction()
    assert len(seen) == 3  # by policy, by phone, the lists: the pop's own statements, compiled and run once
    with db.session() as s:
        assert s.query(AuditEntry).count() == before  # no customer was read, so nothing to audit


def test_phone_lookup_uses_indexes(db: Db, world: World) -> None:
    stmt = _by_phone("13812345678")
    with db.engine.connect() as conn:
        compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})
        if db.kind == "sqlite":
            plan = " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "ix_customer_mobile" in plan
            assert "ix_customer_phone_number" in plan
        else:
            conn.execute(text("SET enable_seqscan = off"))
            plan = " ".join(r[0] for r in conn.execute(text(f"EXPLAIN {compiled}")))
            assert "ix_customer_mobile" in plan
            assert "ix_customer_phone_number" in plan


def test_remote_desk_sees_masked_card(db: Db, world: World, remote_csr: Actor) -> None:
    with db.session() as s:
        pop = screen_pop(s, caller_number=world.zhang_mobile, policy_number=None, actor=remote_csr)
    card = pop.customer
    assert card is not None
    assert card.name == "张**"
    assert card.mobile == "138****5678"
    assert card.other_phones == ("010****2100",)
    assert card.id_number == world.zhang_idno[:3] + "*" * 11 + world.zhang_idno[-4:]
    assert card.birth_date == "1985-**-**"
    assert card.address == "北京市北京市"
    assert card.email == "z***@example.com"
    text_of_card = repr(pop)
    for secret in (world.zhang_idno, "12345678", "三丰", "建国路", "03-07"):
        assert secret not in text_of_card


def test_onsite_desk_sees_clear_card(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        pop = screen_pop(s, caller_number=world.zhang_mobile, policy_number=None, actor=csr)
    assert pop.customer is not None
    assert pop.customer.name == world.zhang_name
    assert pop.customer.mobile == world.zhang_mobile


def test_pop_shows_no_policy_details_before_identity(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        pop = screen_pop(s, caller_number=world.zhang_mobile, policy_number=None, actor=csr)
    fields = set(type(pop.policies[0]).__slots__)
    assert not fields & {"premium", "sum_insured", "effective_on", "expires_on", "vin", "parties"}


@pytest.mark.parametrize(
    ("kw", "who"),
    [({"phone": "+86 139 0000 1111"}, "ouyang"), ({"id_number": "ID"}, "zhang"),
     ({"policy_number": "pc2026000006"}, "ouyang"), ({"plate": "京a 12345"}, "zhang"), ({"plate": "粤BD12345"}, "ouyang")],
)
def test_search_for_unknown_caller(db: Db, world: World, remote_csr: Actor, kw: dict[str, str], who: str) -> None:
    if kw.get("id_number") == "ID":
        kw = {"id_number": world.zhang_idno.lower()}
    with db.session() as s:
        found = search_customers(s, actor=remote_csr, **kw)
    assert [c.id for c in found] == [world.zhang_id if who == "zhang" else world.ouyang_id]
    assert found[0].name is not None
    assert found[0].name.endswith("**")


def test_search_with_nothing_finds_nothing(db: Db, world: World, csr: Actor) -> None:
    with db.session() as s:
        assert search_customers(s, actor=csr) == ()
        assert search_customers(s, actor=csr, phone="13000000000") == ()
        assert s.query(Policy).count() == 6


def test_pop_lists_keep_their_types_and_order(db: Db, world: World, csr: Actor) -> None:
    due = NOW.replace(microsecond=123456)
    with db.session() as s:
        s.add_all([
            OutboundTask(kind="renewal", customer_id=world.zhang_id, due_at=due, status="open"),
            OutboundTask(kind="claim_follow_up", customer_id=world.zhang_id, due_at=due - timedelta(hours=3),
                         status="open"),
            Contact(linkedid="A", direction="inbound", agent_id="1001", customer_id=world.zhang_id,
                    offered_at=due, ended_at=due + timedelta(minutes=3), survey_score=4),
            Contact(linkedid="B", direction="outbound", agent_id="1002", customer_id=world.zhang_id,
                    offered_at=due + timedelta(hours=1)),
        ])
        s.commit()
        pop = screen_pop(s, caller_number=world.zhang_mobile, policy_number=None, actor=csr, now=NOW)
    assert [(t.kind, t.due_at, t.attempts, t.version) for t in pop.due_outbound] == [
        ("claim_follow_up", due - timedelta(hours=3), 0, 1), ("renewal", due, 0, 1)]
    assert [(c.linkedid, c.offered_at, c.ended_at, c.survey_score) for c in pop.last_contacts] == [
        ("B", due + timedelta(hours=1), None, None), ("A", due, due + timedelta(minutes=3), 4)]
    auto = next(p for p in pop.policies if p.number == world.auto_policy)
    assert isinstance(auto.id, int)
    assert auto.plate == world.plate


def test_pop_for_a_customer_chosen_after_search(db: Db, world: World, csr: Actor, remote_csr: Actor) -> None:
    from app.screenpop import pop_for_customer

    with db.session() as s:
        found = search_customers(s, actor=csr, phone=world.zhang_mobile)
        assert [c.id for c in found] == [world.zhang_id]
        pop = pop_for_customer(s, customer_id=found[0].id, actor=csr)
        remote = pop_for_customer(s, customer_id=world.zhang_id, actor=remote_csr)
        missing = pop_for_customer(s, customer_id=10**9, actor=csr)
    assert pop.looked_up_by == "search"
    assert pop.customer is not None
    assert pop.customer.id == world.zhang_id
    assert pop.policies  # the same lists as a screen pop
    assert remote.customer is not None
    assert remote.customer.mobile != world.zhang_mobile  # masked for a remote desk
    assert missing.customer is None
