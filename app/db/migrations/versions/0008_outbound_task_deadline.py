"""outbound_task.deadline: the last day a cooling-off callback counts, and an index to list by it

A CSR's due list puts cooling-off callbacks first, the period that ends soonest first (the regulator counts a
callback only within the policy's cooling-off period). Sorting the open tasks joined to their policies cost
53 ms at 200,000 customers on SQLite (39,000 due tasks) on the desk's one DB worker; with the day on the task
and an index on (status, deadline, due_at) both halves of the list are index walks. Existing cooling-off tasks
take their policy's ``cooling_off_ends_on``.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbound_task", sa.Column("deadline", sa.Date(), nullable=True))
    op.execute("UPDATE outbound_task SET deadline = (SELECT p.cooling_off_ends_on FROM policy p "
               "WHERE p.id = outbound_task.policy_id) WHERE kind = 'cooling_off' AND policy_id IS NOT NULL")
    op.create_index("ix_outbound_task_status_deadline_due", "outbound_task", ["status", "deadline", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_outbound_task_status_deadline_due", table_name="outbound_task")
    with op.batch_alter_table("outbound_task") as batch:
        batch.drop_column("deadline")
