"""The desk upgrades its own schema, and the migrations build exactly the models' schema, on both databases."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from appkit import Db
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.db import current_revision, head_revision, make_engine, upgrade_to_head
from app.db.migrate import alembic_config
from app.models import Base


def test_upgrade_is_at_head_and_idempotent(db: Db) -> None:
    assert current_revision(db.engine) == head_revision()
    assert upgrade_to_head(db.engine) == head_revision()


def test_migrations_match_the_models(db: Db) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_reference_tables_are_seeded(db: Db) -> None:
    with db.engine.connect() as conn:
        n_cat = conn.execute(text("SELECT count(*) FROM service_category WHERE parent_code IS NOT NULL")).scalar()
        n_sla = conn.execute(text("SELECT count(*) FROM sla_rule")).scalar()
    assert n_cat
    assert n_cat >= 10
    assert n_sla == 4


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 1000
    engine.dispose()


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        make_engine("mysql://x@localhost/db")


def _empty_db(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}", lambda: None
    pg_url: str = request.getfixturevalue("pg_url")
    name = f"csdesk_up_{secrets.token_hex(4)}"
    admin = make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(pg_url).set(database=name).render_as_string(hide_password=False), drop


def _write_legacy_rows(engine: Engine, n: int) -> None:
    prev = audit.GENESIS
    with engine.begin() as conn:
        for seq in range(1, n + 1):
            values = {"seq": seq, "at": f"2026-11-20T10:00:0{seq}.000000", "agent_id": "1001", "desk_id": "old",
                      "action": "screen_pop", "record_type": "customer", "record_id": str(seq), "fields": "[]",
                      "outcome": "hit", "detail": "{}"}
            body = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            h = hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
            conn.execute(text("INSERT INTO audit_log (seq, at, agent_id, desk_id, action, record_type, record_id, "
                              "fields, outcome, detail, prev_hash, hash) VALUES (:seq, :at, :agent_id, :desk_id, "
                              ":action, :record_type, :record_id, :fields, :outcome, :detail, :p, :h)"),
                         {**values, "p": prev, "h": h})
            prev = h
        conn.execute(text("UPDATE audit_head SET seq = :n, last_hash = :h WHERE id = 1"), {"n": n, "h": prev})


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def test_an_older_desk_database_upgrades_and_keeps_its_audit_chain(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url, drop = _empty_db(kind, tmp_path, request)
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0002")  # a desk installed before migration 0003
        assert current_revision(engine) == "0002"
        _write_legacy_rows(engine, 3)  # audit rows hashed the way revision 0002's code did
        assert upgrade_to_head(engine) == head_revision()
        with Session(engine) as s:
            audit.append(s, actor=Actor("1001", "desk-a"), action="test.after_upgrade", record_type="x",
                         record_id=1)
            s.commit()
            report = audit.verify_chain(s)
        assert report.ok, str(report)
        assert report.rows == 4
        with engine.begin() as conn:  # an edited legacy row is still found
            conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log" if kind == "pg"
                              else "DROP TRIGGER audit_log_no_update"))
            conn.execute(text("UPDATE audit_log SET outcome = 'forged' WHERE seq = 2"))
        with Session(engine) as s:
            assert audit.verify_chain(s).first_broken_seq == 2
    finally:
        engine.dispose()
        drop()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def test_cooling_off_tasks_made_before_0008_take_their_policys_deadline(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Migration 0008 puts the day a cooling-off callback must be made by on the task (the due list sorts by it on
    an index): tasks already queued take it from their policy; other kinds have none. It also goes back down."""
    url, drop = _empty_db(kind, tmp_path, request)
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0007")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO customer (id, name, id_type, id_number, birth_date, preferred_language, "
                              "vip_level, created_at) VALUES (1, '张三', 'resident_id', '110101198001011234', "
                              "'1980-01-01', 'zh', 0, '2026-11-20 10:00:00')"))
            conn.execute(text("INSERT INTO policy (id, number, number_digits, product_line, product_name, status, "
                              "issued_on, effective_on, cooling_off_ends_on, premium, sum_insured, holder_id, "
                              "insured_id) VALUES (1, 'PL1', '1', 'life', '终身寿险', 'in_force', '2026-11-20', "
                              "'2026-11-20', '2026-12-05', 100, 1000, 1, 1)"))
            for task_id, kind_ in ((1, "cooling_off"), (2, "renewal")):
                conn.execute(text("INSERT INTO outbound_task (id, kind, customer_id, policy_id, due_at, attempts, "
                                  "max_attempts, status, version) VALUES (:id, :k, 1, 1, '2026-11-23 09:00:00', 0, "
                                  "3, 'open', 1)"), {"id": task_id, "k": kind_})
        assert upgrade_to_head(engine) == head_revision()
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT id, deadline FROM outbound_task ORDER BY id")).all())
        assert {k: str(v) if v is not None else None for k, v in rows.items()} == {1: "2026-12-05", 2: None}
        command.downgrade(alembic_config(engine), "0007")
        assert current_revision(engine) == "0007"
    finally:
        engine.dispose()
        drop()
