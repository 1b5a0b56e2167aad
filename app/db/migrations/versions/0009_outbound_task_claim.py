"""outbound_task.claimed_by / claimed_at: who is dialling a task now

Unassigned due tasks are on every CSR's list; two CSRs could dial the same customer about the same callback at
once. Dialling from a task now claims it for a few minutes (app.services.outbound.claim_for_dial): other CSRs'
lists hide it and their dial is refused; saving a result releases it. The claim is not the task's content, so it
does not bump the row version a result form was loaded with.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbound_task", sa.Column("claimed_by", sa.String(16), nullable=True))
    op.add_column("outbound_task", sa.Column("claimed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_task") as batch:
        batch.drop_column("claimed_at")
        batch.drop_column("claimed_by")
