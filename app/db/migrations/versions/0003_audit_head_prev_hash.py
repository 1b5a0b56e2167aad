"""audit head keeps the previous hash, so PostgreSQL appends in one statement

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default="0" * 64))


def downgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("prev_hash")
