"""The audit trail: append-only, hash-chained, verified; tampering is found; no personal data inside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from appkit import Db, World
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app import audit
from app.actor import Actor
from app.models import AuditEntry
from app.screenpop import screen_pop

ROOT = Path(__file__).resolve().parents[2]


def _append_some(db: Db, actor: Actor, n: int) -> None:
    with db.session() as s:
        for i in range(n):
            audit.append(s, actor=actor, action="test.action", record_type="thing", record_id=i, fields=["b", "a"])
        s.commit()


def test_chain_links_and_verifies(db: Db, csr: Actor) -> None:
    _append_some(db, csr, 5)
    with db.session() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
        assert rows[0].prev_hash == audit.GENESIS
        assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, 5))
        assert rows[0].fields == '["a", "b"]'
        report = audit.verify_chain(s)
    assert report.ok
    assert report.rows == 5


def test_audit_rows_cannot_be_updated_or_deleted(db: Db, csr: Actor) -> None:
    _append_some(db, csr, 2)
    for sql in ("UPDATE audit_log SET outcome = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 2"):
        with db.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(sql))


def _drop_guard(db: Db) -> None:
    """Play an attacker with owner rights: drop the append-only trigger first."""
    with db.engine.begin() as conn:
        if db.kind == "pg":
            conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_edited_row_is_detected(db: Db, csr: Actor) -> None:
    _append_some(db, csr, 4)
    _drop_guard(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET outcome = 'forged' WHERE seq = 3"))
    with db.session() as s:
        report = audit.verify_chain(s)
    assert not report.ok
    assert report.first_broken_seq == 3
    assert "edited" in report.reason


def test_rehashed_row_breaks_the_next_link(db: Db, csr: Actor) -> None:
    _append_some(db, csr, 4)
    _drop_guard(db)
    with db.session() as s:
        row = s.get(AuditEntry, 2)
        assert row is not None
        values = {k: getattr(row, k) for k in audit.HASHED} | {"outcome": "forged"}
        forged = audit.row_hash(row.prev_hash, values)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET outcome = 'forged', hash = :h WHERE seq = 2"), {"h": forged})
    with db.session() as s:
        report = audit.verify_chain(s)
    assert not report.ok
    assert report.first_broken_seq == 3


def test_deleted_rows_are_detected(db: Db, csr: Actor) -> None:
    _append_some(db, csr, 4)
    _drop_guard(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    with db.session() as s:
        report = audit.verify_chain(s)
    assert not report.ok
    assert "removed" in report.reason
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    with db.session() as s:
        assert audit.verify_chain(s).first_broken_seq == 2


def test_cli_verify_exit_codes(db: Db, csr: Actor) -> None:
    _append_some(db, csr, 3)
    cmd = [sys.executable, "-m", "app.audit", "verify", "--db", db.url]
    ok = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "intact: 3 rows" in ok.stdout
    _drop_guard(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET agent_id = '9999' WHERE seq = 1"))
    bad = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "BROKEN at seq 1" in bad.stdout


def test_audit_rows_hold_no_personal_data(db: Db, world: World, remote_csr: Actor) -> None:
    with db.session() as s:
        screen_pop(s, caller_number="+86 138 1234 5678", policy_number=None, actor=remote_csr)
        rows = s.scalars(select(AuditEntry)).all()
    assert rows
    blob = " ".join(audit.canonical({k: getattr(r, k) for k in audit.HASHED}) for r in rows)
    for personal in (world.zhang_name, world.zhang_idno, world.zhang_mobile, "1381234", "张"):
        assert personal not in blob


def test_concurrent_appends_from_many_desks_keep_one_chain(db: Db) -> None:
    """Desks append at the same time; the head row lock keeps the chain a single line."""
    import threading

    errors: list[BaseException] = []

    def desk(n: int) -> None:
        actor = Actor(agent_id=f"10{n:02d}", desk_id=f"desk-{n}")
        try:
            for i in range(10):
                with db.session() as s:
                    audit.append(s, actor=actor, action="test.concurrent", record_type="thing", record_id=i)
                    s.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with db.session() as s:
        report = audit.verify_chain(s)
    assert report.ok, str(report)
    assert report.rows == 40


def test_concurrent_screen_pops_keep_one_chain(db: Db, world: World) -> None:
    """Screen pops append their audit rows from many desks at once (in autocommit on PostgreSQL)."""
    import threading

    errors: list[BaseException] = []

    def desk(n: int) -> None:
        actor = Actor(agent_id=f"10{n:02d}", desk_id=f"desk-{n}", profile="remote")
        try:
            for i in range(5):
                with db.session() as s:
                    screen_pop(s, caller_number=world.zhang_mobile if i % 2 else "13700000000",
                               policy_number=None, actor=actor)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with db.session() as s:
        report = audit.verify_chain(s)
        outcomes = sorted(r.outcome for r in s.scalars(select(AuditEntry)))
    assert report.ok, str(report)
    assert outcomes == ["hit"] * 8 + ["miss"] * 12


def test_old_hash_scheme_is_not_accepted_after_current_rows(db: Db, csr: Actor) -> None:
    """Rows from before revision 0003 verify under the old scheme, but no row may fall back to it later."""
    import hashlib
    import json

    _append_some(db, csr, 2)
    with db.session() as s:
        last = s.get(AuditEntry, 2)
        assert last is not None
        prev = last.hash
    values = {"seq": 3, "at": "2026-11-25T00:00:00.000000", "agent_id": "1001", "desk_id": "d", "action": "x",
              "record_type": "thing", "record_id": "3", "fields": "[]", "outcome": "ok", "detail": "{}"}
    body = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    legacy = hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (seq, at, agent_id, desk_id, action, record_type, record_id, fields, "
                          "outcome, detail, prev_hash, hash) VALUES (:seq, :at, :agent_id, :desk_id, :action, "
                          ":record_type, :record_id, :fields, :outcome, :detail, :p, :h)"), {**values, "p": prev, "h": legacy})
        conn.execute(text("UPDATE audit_head SET seq = 3, last_hash = :h WHERE id = 1"), {"h": legacy})
    with db.session() as s:
        report = audit.verify_chain(s)
    assert not report.ok
    assert report.first_broken_seq == 3
