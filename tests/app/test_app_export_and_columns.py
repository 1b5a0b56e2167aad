"""Exports are masked per desk and audited; every personal column is listed for database-side masking."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

from appkit import NOW, Db, World
from sqlalchemy import select

from app.actor import Actor
from app.export import OUTBOUND_HEADER, export_due_outbound
from app.masking import PERSONAL_COLUMNS
from app.models import AuditEntry, Base, OutboundTask, Policy

ROOT = Path(__file__).resolve().parents[2]


def _tasks(db: Db, world: World) -> None:
    with db.session() as s:
        pid = s.scalar(select(Policy.id).where(Policy.number == world.life_policy))
        s.add_all([OutboundTask(kind="cooling_off", customer_id=world.zhang_id, policy_id=pid,
                                due_at=NOW - timedelta(hours=1), status="open"),
                   OutboundTask(kind="renewal", customer_id=world.ouyang_id, due_at=NOW + timedelta(days=3),
                                status="open")])
        s.commit()


def test_remote_export_is_masked_and_audited(db: Db, world: World, remote_csr: Actor) -> None:
    _tasks(db, world)
    buf = io.StringIO()
    with db.session() as s:
        n = export_due_outbound(s, actor=remote_csr, out=buf, now=NOW)
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "export.outbound"))
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert n == 1
    assert tuple(rows[0]) == OUTBOUND_HEADER
    assert rows[1][4:] == ["张**", "138****5678", world.life_policy]
    assert world.zhang_mobile not in buf.getvalue()
    assert entry is not None
    assert entry.outcome == "1 rows"


def test_onsite_export_is_clear(db: Db, world: World, csr: Actor) -> None:
    _tasks(db, world)
    buf = io.StringIO()
    with db.session() as s:
        export_due_outbound(s, actor=csr, out=buf, now=NOW + timedelta(days=4))
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert [r[4] for r in rows[1:]] == ["张三丰", "欧阳修文"]


def test_every_personal_column_is_listed() -> None:
    marked = set()
    for path in (ROOT / "app" / "models").glob("*.py"):
        table = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r'\s+__tablename__ = "(\w+)"', line):
                table = m.group(1)
            if (m := re.match(r"\s+(\w+): Mapped\[.*# personal", line)) and table:
                marked.add(f"{table}.{m.group(1)}")
    assert marked == set(PERSONAL_COLUMNS)
    for name in PERSONAL_COLUMNS:
        table, column = name.split(".")
        assert column in Base.metadata.tables[table].c
