"""reference data, audit chain head and the append-only guard on the audit log

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.reference import DEPARTMENTS, ROUTING, SERVICE_CATEGORIES, SLA_HOURS

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    cat = sa.table("service_category", sa.column("code"), sa.column("parent_code"), sa.column("name_zh"),
                   sa.column("name_en"))
    op.bulk_insert(cat, [dict(zip(("code", "parent_code", "name_zh", "name_en"), r, strict=True))
                         for r in SERVICE_CATEGORIES])
    dep = sa.table("department", sa.column("code"), sa.column("name_zh"), sa.column("name_en"), sa.column("kind"))
    op.bulk_insert(dep, [dict(zip(("code", "name_zh", "name_en", "kind"), r, strict=True)) for r in DEPARTMENTS])
    rr = sa.table("routing_rule", sa.column("category_code"), sa.column("department_code"))
    op.bulk_insert(rr, [{"category_code": c, "department_code": d} for c, d in ROUTING])
    sla = sa.table("sla_rule", sa.column("priority"), sa.column("hours"))
    op.bulk_insert(sla, [{"priority": p, "hours": h} for p, h in SLA_HOURS])
    head = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("last_hash"))
    op.bulk_insert(head, [{"id": 1, "seq": 0, "last_hash": GENESIS}])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_refuse()")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")
    for t in ("audit_head", "sla_rule", "routing_rule", "department"):
        op.execute(f"DELETE FROM {t}")
    op.execute("DELETE FROM service_category WHERE parent_code IS NOT NULL")
    op.execute("DELETE FROM service_category")
