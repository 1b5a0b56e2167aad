"""applied_write: the idempotency keys of the writes the desk's outbox applied (exactly once)

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applied_write",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("agent_id", sa.String(length=16), nullable=True),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_applied_write")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # On-site desks get the table through 0005's default privileges; remote desks write contacts and
        # forms too, so they record their keys here (read and insert only).
        op.execute("""DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'csdesk_remote') THEN
                GRANT SELECT, INSERT ON applied_write TO csdesk_remote;
            END IF;
        END $$""")


def downgrade() -> None:
    op.drop_table("applied_write")
