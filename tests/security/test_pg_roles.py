"""PostgreSQL enforces S-8.1-remote: a remote desk login reads personal data only masked, even with
hand-written SQL; the views mask exactly like app/masking.py; no desk role can alter audit rows."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

from app import masking
from app.actor import Actor
from app.masking import PERSONAL_COLUMNS, masker_for
from tests.security.pgkit import PgDb, fresh_pg_db

MIGRATION = next((Path(__file__).resolve().parents[2] / "app/db/migrations/versions").glob("0005_*.py"))


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mig0005", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def pg(pg_url: str) -> Iterator[PgDb]:
    yield from fresh_pg_db(pg_url)


@pytest.fixture(scope="module")
def remote(pg: PgDb) -> Iterator[Engine]:
    e = pg.desk_engine("remote", "csr")
    yield e
    e.dispose()


def _refused(engine: Engine, sql: str) -> str:
    """Run ``sql`` and return the server's SQLSTATE; fail if the server accepted it."""
    with engine.connect() as conn:
        try:
            conn.execute(text(sql))
        except ProgrammingError as exc:
            return str(getattr(exc.orig, "sqlstate", ""))
    raise AssertionError(f"the server accepted: {sql}")


def test_the_views_mask_every_personal_column_of_the_policy() -> None:
    mig = _migration()
    in_views = {f"{t}.{c}" for t, cols in mig.MASKED.items() for c in cols}
    assert in_views == set(PERSONAL_COLUMNS)
    assert set(mig.COMPOUND) == masking.COMPOUND_SURNAMES


@pytest.mark.parametrize("column", sorted(PERSONAL_COLUMNS))
def test_remote_login_cannot_read_a_raw_personal_column(remote: Engine, column: str) -> None:
    table, col = column.split(".")
    assert _refused(remote, f"SELECT {col} FROM public.{table}") == "42501"
    assert _refused(remote, f"SELECT count(*) FROM public.{table} WHERE {col} IS NOT NULL") == "42501"


def test_remote_login_cannot_escape_by_search_path_or_set_role(remote: Engine) -> None:
    with remote.connect() as conn:
        conn.execute(text("SET search_path = public"))
        with pytest.raises(ProgrammingError, match="permission denied"):
            conn.execute(text("SELECT name FROM customer LIMIT 1"))
    for group in ("csdesk_onsite", "csdesk_lead", "postgres"):
        assert _refused(remote, f"SET ROLE {group}") == "42501"


def test_remote_views_agree_with_the_python_masker_on_the_demo_data(pg: PgDb, remote: Engine) -> None:
    m = masker_for(Actor(agent_id="1001", desk_id="d", profile="remote", role="csr"))
    with pg.admin.connect() as conn:
        clear = {r.id: r for r in conn.execute(text("SELECT * FROM public.customer"))}
        clear_phones = {r.id: r.number for r in conn.execute(text("SELECT id, number FROM public.customer_phone"))}
    with remote.connect() as conn:
        masked = {r.id: r for r in conn.execute(text("SELECT * FROM customer"))}  # resolves to remote.customer
        masked_phones = {r.id: r.number for r in conn.execute(text("SELECT id, number FROM customer_phone"))}
    assert set(masked) == set(clear)
    assert len(clear) >= 30
    for cid, c in clear.items():
        v = masked[cid]
        assert v.name == m.name(c.name)
        assert v.id_number == m.id_number(c.id_number)
        assert v.mobile == m.phone(c.mobile)
        assert v.email == m.email(c.email)
        assert v.bank_card == m.bank_card(c.bank_card)
        assert v.addr_district is None
        assert v.addr_detail is None
        assert m.address(v.addr_province, v.addr_city, v.addr_district, v.addr_detail) == m.address(
            c.addr_province, c.addr_city, c.addr_district, c.addr_detail)
        assert v.birth_date == date(c.birth_date.year, 1, 1)
        assert m.birth_date(v.birth_date) == m.birth_date(c.birth_date)
    assert clear_phones
    assert all(masked_phones[i] == m.phone(n) for i, n in clear_phones.items())


@pytest.mark.parametrize("value", ["张三丰", "欧阳修", " 王五 ", "110101199003071234", "A1234567", "13812345678",
                                   "0571-8888", "a@b.c", "noatsign", "x@y@z", "6222 0000 1111 2345", "", "@"])
def test_sql_mask_functions_equal_python_on_edge_values(pg: PgDb, value: str) -> None:
    with pg.admin.connect() as conn:
        got = conn.execute(text("SELECT csdesk_mask_name(:v), csdesk_mask_id(:v), csdesk_mask_phone(:v), "
                                "csdesk_mask_card(:v), csdesk_mask_email(:v)"), {"v": value}).one()
    want = (masking.mask_name(value), masking.mask_id_number(value), masking.mask_phone(value),
            masking.mask_bank_card(value), masking.mask_email(value))
    assert tuple(got) == want


def test_remote_lead_sees_names_and_nothing_else_clear(pg: PgDb) -> None:
    lead = pg.desk_engine("remote", "lead")
    try:
        with pg.admin.connect() as conn:
            c = conn.execute(text("SELECT id, name, mobile FROM public.customer ORDER BY id LIMIT 1")).one()
        with lead.connect() as conn:
            v = conn.execute(text("SELECT name, mobile FROM customer WHERE id = :i"), {"i": c.id}).one()
        assert v.name == c.name
        assert v.mobile == masking.mask_phone(c.mobile)
        assert _refused(lead, "SELECT mobile FROM public.customer") == "42501"
    finally:
        lead.dispose()


def test_onsite_login_reads_clear_values(pg: PgDb) -> None:
    onsite = pg.desk_engine("onsite", "csr")
    try:
        with pg.admin.connect() as conn:
            want = conn.execute(text("SELECT name FROM customer ORDER BY id LIMIT 1")).scalar_one()
        with onsite.connect() as conn:
            assert conn.execute(text("SELECT name FROM customer ORDER BY id LIMIT 1")).scalar_one() == want
    finally:
        onsite.dispose()


@pytest.mark.parametrize("who", [("remote", "csr"), ("onsite", "csr"), ("onsite", "lead")])
def test_desk_roles_cannot_alter_audit_rows(pg: PgDb, who: tuple[str, str]) -> None:
    e = pg.desk_engine(who[0], who[1])  # type: ignore[arg-type]
    try:
        with pg.admin.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() > 0
        # 42501 is the privilege check, which comes before the append-only trigger.
        assert _refused(e, "UPDATE public.audit_log SET outcome = 'x' WHERE seq = 1") == "42501"
        assert _refused(e, "DELETE FROM public.audit_log WHERE seq = 1") == "42501"
        assert _refused(e, "TRUNCATE public.audit_log") == "42501"
        assert _refused(e, "ALTER TABLE public.audit_log DISABLE TRIGGER ALL") == "42501"
        assert _refused(e, "DELETE FROM public.audit_head") == "42501"
    finally:
        e.dispose()


def test_admin_cli_makes_a_remote_desk_login_that_reads_masked_views(pg: PgDb) -> None:
    """The password comes on stdin and the database URL from the environment: neither is in the process list."""
    import os
    import secrets
    import subprocess
    import sys

    from sqlalchemy.engine import make_url

    from app.db import make_engine

    login, password = f"desk_cli_{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    env = {**os.environ, "CSDESK_DB_URL": pg.url}
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-m", "app.admin", "create-desk-login", login, "--profile", "remote",
                          "--password-stdin"], input=password + "\n", env=env, cwd=root, capture_output=True,
                         text=True, timeout=120)
    pg.logins.append(login)
    assert out.returncode == 0, out.stderr
    assert password not in out.stdout + out.stderr
    desk = make_engine(make_url(pg.url).set(username=login, password=password).render_as_string(hide_password=False))
    try:
        with pg.admin.connect() as conn:
            name = conn.execute(text("SELECT name FROM public.customer ORDER BY id LIMIT 1")).scalar_one()
        with desk.connect() as conn:  # the role's own search_path: no connect option needed
            assert conn.execute(text("SELECT name FROM customer ORDER BY id LIMIT 1")).scalar_one() == masking.mask_name(
                name)
        assert _refused(desk, "SELECT name FROM public.customer") == "42501"
    finally:
        desk.dispose()
    out = subprocess.run([sys.executable, "-m", "app.admin", "create-desk-login", login, "--profile", "remote",
                          "--password-stdin"], input="short\n", env=env, cwd=root, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 2
    assert "12 characters" in out.stderr


_ALPHABET = "0123456789Xx abc@.-" + "张王李欧阳司马修三丰"


def test_sql_masks_equal_python_on_generated_values(pg: PgDb) -> None:
    """Property: for any value of the alphabet desks store (no tabs or newlines: the data layer normalises
    them away), each SQL mask function returns exactly what app/masking.py returns."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    with pg.admin.connect() as conn:

        @settings(max_examples=200, deadline=None)
        @given(st.text(alphabet=_ALPHABET, max_size=24))
        def check(value: str) -> None:
            got = conn.execute(text("SELECT csdesk_mask_name(:v), csdesk_mask_id(:v), csdesk_mask_phone(:v), "
                                    "csdesk_mask_card(:v), csdesk_mask_email(:v)"), {"v": value}).one()
            assert tuple(got) == (masking.mask_name(value), masking.mask_id_number(value), masking.mask_phone(value),
                                  masking.mask_bank_card(value), masking.mask_email(value))

        check()


def _open_items(pg: PgDb, csr: Engine) -> list[tuple[str, int, int, str]]:
    """An open transfer order (raised by the CSR desk's own login: a CSR may raise one) and an open outbound
    task of the demo data: (kind, id, version, another CSR's id)."""
    from sqlalchemy.orm import Session

    from app.services.transfers import PRIORITIES, TransferForm, raise_transfer

    with pg.admin.connect() as conn:
        category = conn.execute(text("SELECT code FROM service_category WHERE parent_code IS NOT NULL "
                                     "ORDER BY code LIMIT 1")).scalar_one()
        dept = conn.execute(text("SELECT code FROM department ORDER BY code LIMIT 1")).scalar_one()
        task = conn.execute(text("SELECT id, version FROM outbound_task WHERE status = 'open' ORDER BY id LIMIT 1")).one()
        other = conn.execute(text("SELECT agent_id FROM agent WHERE role = 'csr' AND NOT disabled AND agent_id <> '1001' "
                                  "ORDER BY agent_id DESC LIMIT 1")).scalar_one()
    with Session(csr) as s:
        order = raise_transfer(s, actor=Actor(agent_id="1001", desk_id="test"), form=TransferForm(
            category_code=category, problem="reassignment test", priority=PRIORITIES[0], department_code=dept))
    with pg.admin.connect() as conn:
        version = conn.execute(text(f"SELECT version FROM transfer_order WHERE id = {order.summary.id}")).scalar_one()
    return [("transfer", order.summary.id, version, other), ("outbound", task.id, task.version, other)]


def test_only_a_lead_login_can_reassign_work(pg: PgDb) -> None:
    """Issue 8: a CSR desk that bypasses its own lead check (hand-written SQL, or the lead code path itself) is
    refused by PostgreSQL; a lead desk's login reassigns, and the change is audited with it."""
    from sqlalchemy.orm import Session

    from app.lead import WorkItem, _reassign
    from app.timeutil import utcnow

    csr = pg.desk_engine("onsite", "csr")
    lead = pg.desk_engine("onsite", "lead")
    try:
        items = _open_items(pg, csr)
        (_, order_id, _, to), (_, task_id, _, _) = items
        assert _refused(csr, f"UPDATE public.transfer_order SET raised_by = '{to}' WHERE id = {order_id}") == "42501"
        assert _refused(csr, f"UPDATE public.outbound_task SET assigned_to = '{to}' WHERE id = {task_id}") == "42501"
        # A CSR desk still does its own work on those rows: a status change on the same task is accepted.
        with csr.begin() as conn:
            assert conn.execute(text(f"UPDATE public.outbound_task SET attempts = attempts WHERE id = {task_id}")
                                ).rowcount == 1
        for kind, item_id, version, to_agent in items:
            item = WorkItem(kind=kind, id=item_id, version=version, label="-", owner=None, due_at=utcnow())
            with Session(csr) as s, pytest.raises(ProgrammingError) as refused:
                _reassign(s, actor=Actor(agent_id="1001", desk_id="test"), item=item, to_agent=to_agent, now=utcnow())
            assert getattr(refused.value.orig, "sqlstate", "") == "42501"
            with Session(lead) as s:
                _reassign(s, actor=Actor(agent_id="2001", desk_id="test"), item=item, to_agent=to_agent, now=utcnow())
        with pg.admin.connect() as conn:
            assert conn.execute(text(f"SELECT raised_by FROM transfer_order WHERE id = {order_id}")).scalar_one() == to
            assert conn.execute(text(f"SELECT assigned_to FROM outbound_task WHERE id = {task_id}")).scalar_one() == to
            audited = conn.execute(text("SELECT agent_id FROM audit_log WHERE action = 'lead.reassign'")).scalars().all()
        assert audited == ["2001", "2001"]
    finally:
        csr.dispose()
        lead.dispose()
