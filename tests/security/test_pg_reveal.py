"""The server-side reveal (PostgreSQL): audited in the same hash chain, one value, rate-limited;
a tampered reveal row is found by the chain check; a remote desk's screen pop reads masked views."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.actor import Actor
from app.audit import main as audit_main
from app.audit import verify_chain
from app.masking import mask_id_number, mask_name, mask_phone
from app.pgsecurity import REVEAL_LIMIT, RevealRefused, reveal
from app.screenpop import screen_pop
from tests.security.pgkit import PgDb, fresh_pg_db


@pytest.fixture(scope="module")
def pg(pg_url: str) -> Iterator[PgDb]:
    yield from fresh_pg_db(pg_url)


def _actor(agent: str) -> Actor:
    return Actor(agent_id=agent, desk_id="remote-desk", profile="remote", role="csr")


def _customer(pg: PgDb, offset: int = 0) -> tuple[int, str, str, str]:
    with pg.admin.connect() as conn:
        r = conn.execute(text("SELECT id, name, mobile, id_number FROM customer WHERE mobile IS NOT NULL "
                              "ORDER BY id OFFSET :o LIMIT 1"), {"o": offset}).one()
    return r.id, r.name, r.mobile, r.id_number


def _audit_count(pg: PgDb) -> int:
    with pg.admin.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one())


def test_reveal_returns_one_value_and_writes_one_chained_audit_row(pg: PgDb) -> None:
    cid, name, _mobile, id_number = _customer(pg)
    engine = pg.desk_engine("remote", "csr")
    try:
        before = _audit_count(pg)
        with Session(engine) as s:
            assert reveal(s, actor=_actor("1001"), table="customer", column="name", record_id=cid,
                          reason="claim_handling") == name
            rows = s.execute(text("SELECT csdesk_reveal('customer', 'id_number', :i, 'callback_number', '1001')"),
                             {"i": cid}).all()
            s.commit()
        assert rows == [(id_number,)]
        assert _audit_count(pg) == before + 2
        with pg.admin.connect() as conn:
            last = conn.execute(text("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 2")).all()
        assert [(r.action, r.record_id, r.fields, r.agent_id) for r in last] == [
            ("customer.reveal", str(cid), '["id_number"]', "1001"), ("customer.reveal", str(cid), '["name"]', "1001")]
        assert all(r.desk_id.startswith("desk_remote_csr_") for r in last)  # the server's login, not the desk's word
        assert name not in str(last)
        assert id_number not in str(last)
        with Session(pg.admin) as s:
            assert verify_chain(s).ok
        assert audit_main(["verify", "--db", pg.url]) == 0
    finally:
        engine.dispose()


def test_reveal_refuses_unknown_fields_reasons_records_and_agents(pg: PgDb) -> None:
    cid = _customer(pg)[0]
    engine = pg.desk_engine("remote", "csr")
    try:
        before = _audit_count(pg)
        with Session(engine) as s:
            for table, column, rid, reason, agent in [
                ("customer", "vip_level", cid, "claim_handling", "1002"),
                ("agent", "password_hash", 1, "claim_handling", "1002"),
                ("customer", "name", cid, "curiosity", "1002"),
                ("customer", "name", 10**8, "claim_handling", "1002"),
                ("customer", "name", cid, "claim_handling", "no-such-agent"),
            ]:
                with pytest.raises(RevealRefused):
                    reveal(s, actor=_actor(agent), table=table, column=column, record_id=rid, reason=reason)
        assert _audit_count(pg) == before
    finally:
        engine.dispose()


def test_reveal_rate_limit_holds(pg: PgDb) -> None:
    cid = _customer(pg, 1)[0]
    engine = pg.desk_engine("remote", "csr")
    try:
        with Session(engine) as s:
            for _ in range(REVEAL_LIMIT):
                assert reveal(s, actor=_actor("1003"), table="customer", column="mobile", record_id=cid,
                              reason="callback_number")
            before = _audit_count(pg)
            with pytest.raises(RevealRefused, match="rate limit"):
                reveal(s, actor=_actor("1003"), table="customer", column="mobile", record_id=cid,
                       reason="callback_number")
            with pytest.raises(RevealRefused, match="rate limit"):  # another agent at the same desk login
                reveal(s, actor=_actor("1004"), table="customer", column="mobile", record_id=cid,
                       reason="callback_number")
        assert _audit_count(pg) == before
    finally:
        engine.dispose()
    other = pg.desk_engine("remote", "csr")  # agent 1003 at another desk login is still over the limit
    try:
        with Session(other) as s, pytest.raises(RevealRefused, match="rate limit"):
            reveal(s, actor=_actor("1003"), table="customer", column="mobile", record_id=cid, reason="callback_number")
    finally:
        other.dispose()


def test_chain_check_finds_a_reveal_row_tampered_with_by_a_superuser(pg: PgDb) -> None:
    cid = _customer(pg, 2)[0]
    engine = pg.desk_engine("remote", "csr")
    try:
        with Session(engine) as s:
            reveal(s, actor=_actor("1005"), table="customer", column="email", record_id=cid, reason="claim_handling")
            reveal(s, actor=_actor("1005"), table="customer", column="birth_date", record_id=cid,
                   reason="claim_handling")
    finally:
        engine.dispose()
    with pg.admin.begin() as conn:
        seq = conn.execute(text("SELECT max(seq) - 1 FROM audit_log")).scalar_one()
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(text("UPDATE audit_log SET fields = '[\"name\"]' WHERE seq = :s"), {"s": seq})
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    try:
        with Session(pg.admin) as s:
            report = verify_chain(s)
        assert not report.ok
        assert report.first_broken_seq == seq
        assert audit_main(["verify", "--db", pg.url]) == 1
    finally:  # put the row back so later tests in this module start from an intact chain
        with pg.admin.begin() as conn:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
            conn.execute(text("UPDATE audit_log SET fields = '[\"email\"]' WHERE seq = :s"), {"s": seq})
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))


@pytest.fixture
def remote_desk(pg: PgDb) -> Iterator[Engine]:
    e = pg.desk_engine("remote", "csr")
    yield e
    e.dispose()


def test_remote_screen_pop_by_caller_number_reads_the_masked_views(pg: PgDb, remote_desk: Engine) -> None:
    cid, name, mobile, id_number = _customer(pg, 3)
    with Session(remote_desk) as s:
        pop = screen_pop(s, caller_number=mobile, policy_number=None, actor=_actor("1006"))
    assert pop.customer is not None
    assert pop.customer.id == cid
    assert pop.customer.name == mask_name(name)
    assert pop.customer.mobile == mask_phone(mobile)
    assert pop.customer.id_number == mask_id_number(id_number)
    assert pop.policies  # the lists come through too
    with Session(pg.admin) as s:
        assert verify_chain(s).ok  # the pop's audit row was appended by the remote login


def test_remote_screen_pop_by_policy_number(pg: PgDb, remote_desk: Engine) -> None:
    with pg.admin.connect() as conn:
        number, holder, name = conn.execute(text(
            "SELECT p.number, p.holder_id, c.name FROM policy p JOIN customer c ON c.id = p.holder_id "
            "WHERE p.holder_id IN (SELECT holder_id FROM policy GROUP BY holder_id) ORDER BY p.id LIMIT 1")).one()
    with Session(remote_desk) as s:
        pop = screen_pop(s, caller_number=None, policy_number=number, actor=_actor("1007"))
    assert pop.customer is not None
    assert pop.customer.id == holder
    assert pop.customer.name == mask_name(name)


def test_remote_screen_pop_of_an_unknown_number_finds_nobody(remote_desk: Engine) -> None:
    with Session(remote_desk) as s:
        pop = screen_pop(s, caller_number="13900000000", policy_number=None, actor=_actor("1008"))
    assert pop.customer is None
    assert pop.candidates == ()


def test_remote_desk_records_its_calls_through_the_views(pg: PgDb, remote_desk: Engine) -> None:
    """The desk's own call record (caller number included) is written, but read back only masked."""
    from app.models import Contact
    from app.services.contacts import open_contact, update_contact
    from app.timeutil import utcnow

    cid, _name, mobile, _id = _customer(pg, 4)
    actor = _actor("1009")
    with Session(remote_desk) as s:
        contact_id = open_contact(s, actor=actor, linkedid="sec-remote-1", direction="inbound", queue="service",
                                  caller_number=mobile, customer_id=cid)
        s.commit()
    with Session(remote_desk) as s:
        update_contact(s, actor=actor, linkedid="sec-remote-1", answered_at=utcnow())
        s.commit()
        seen = s.get(Contact, contact_id)
        assert seen is not None
        assert seen.caller_number == mask_phone(mobile)
        assert seen.answered_at is not None
    with pg.admin.connect() as conn:
        stored = conn.execute(text("SELECT caller_number, answered_at FROM public.contact WHERE id = :i"),
                              {"i": contact_id}).one()
    assert stored.caller_number == mobile
    assert stored.answered_at is not None


def test_remote_search_by_phone_and_id_number_finds_the_customer_masked(pg: PgDb, remote_desk: Engine) -> None:
    from app.screenpop import search_customers

    cid, name, mobile, id_number = _customer(pg, 5)
    with Session(remote_desk) as s:
        by_phone = search_customers(s, actor=_actor("1010"), phone=mobile)
        by_id = search_customers(s, actor=_actor("1010"), id_number=id_number)
    for found in (by_phone, by_id):
        assert [c.id for c in found] == [cid]
        assert found[0].name == mask_name(name)
        assert found[0].id_number == mask_id_number(id_number)


def test_remote_desk_checks_identity_and_reveals_through_the_server(pg: PgDb, remote_desk: Engine) -> None:
    """The remote login cannot read the answers it checks: the server compares them; the app's reveal
    then returns the clear value through csdesk_reveal."""
    from app.errors import IdentityFailed
    from app.identity import verify_identity
    from app.services.reveal import reveal_field

    cid, name, mobile, id_number = _customer(pg, 6)
    actor = _actor("1002")
    with Session(remote_desk) as s:
        with pytest.raises(IdentityFailed):
            verify_identity(s, actor=actor, customer_id=cid, method="name_id6", name=name, id_last6="000000",
                            linkedid="sec-id-1")
        tok = verify_identity(s, actor=actor, customer_id=cid, method="name_id6", name=name,
                              id_last6=id_number[-6:], linkedid="sec-id-1")
        assert reveal_field(s, actor=actor, token=tok, customer_id=cid, field="mobile",
                            reason="callback_number") == mobile
    with pg.admin.connect() as conn:
        failures = conn.execute(text("SELECT count(*) FROM identity_failure WHERE customer_id = :c AND "
                                     "linkedid = 'sec-id-1'"), {"c": cid}).scalar_one()
        actions = conn.execute(text("SELECT action, outcome FROM audit_log WHERE record_id = :c AND agent_id = '1002' "
                                    "ORDER BY seq"), {"c": str(cid)}).all()
    assert failures == 1
    assert [tuple(a) for a in actions] == [("identity.verify", "failed"), ("identity.verify", "passed"),
                                           ("customer.reveal", "ok")]
    with Session(pg.admin) as s:
        assert verify_chain(s).ok


def test_a_desk_dials_an_outbound_task_without_seeing_the_number_and_it_is_audited(pg: PgDb) -> None:
    """The outbound form dials the task's customer: a remote desk cannot read the mobile (masked views), so the
    number comes from the server's reveal (reason callback_number, rate-limited, in the chain); an on-site desk
    reads it and the desk audits the dial. Either way the audit names the customer or task, never the number."""
    from app.services.outbound import number_to_dial

    with pg.admin.connect() as conn:
        task_id, cid, mobile = conn.execute(text(
            "SELECT t.id, t.customer_id, c.mobile FROM outbound_task t JOIN customer c ON c.id = t.customer_id "
            "WHERE t.status = 'open' AND c.mobile IS NOT NULL ORDER BY t.id LIMIT 1")).one()
    for profile, action, record in (("remote", "customer.reveal", str(cid)), ("onsite", "outbound.dial_number",
                                                                             str(task_id))):
        engine = pg.desk_engine(profile, "csr")
        try:
            with Session(engine) as s:
                actor = Actor(agent_id="1001", desk_id=f"{profile}-desk", profile=profile, role="csr")
                assert number_to_dial(s, actor=actor, task_id=task_id) == mobile
            with pg.admin.connect() as conn:
                last = conn.execute(text("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
            assert (last.action, last.record_id, last.fields, last.agent_id) == (action, record, '["mobile"]', "1001")
            assert mobile not in str(last)
        finally:
            engine.dispose()
    with Session(pg.admin) as s:
        assert verify_chain(s).ok
