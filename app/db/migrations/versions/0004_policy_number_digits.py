"""policy.number_digits: the digits a caller keys into the IVR, indexed for the screen pop

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("policy") as batch:
        batch.add_column(sa.Column("number_digits", sa.String(length=32), nullable=False, server_default=""))
    conn = op.get_bind()
    policy = sa.table("policy", sa.column("id", sa.Integer), sa.column("number", sa.String),
                      sa.column("number_digits", sa.String))
    rows = conn.execute(sa.select(policy.c.id, policy.c.number)).all()
    if rows:
        conn.execute(policy.update().where(policy.c.id == sa.bindparam("pid")).values(number_digits=sa.bindparam("d")),
                     [{"pid": r.id, "d": "".join(ch for ch in r.number if ch.isdigit())} for r in rows])
    op.create_index("ix_policy_number_digits", "policy", ["number_digits"])


def downgrade() -> None:
    op.drop_index("ix_policy_number_digits", table_name="policy")
    with op.batch_alter_table("policy") as batch:
        batch.drop_column("number_digits")
