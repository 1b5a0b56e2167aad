"""outbound_task: the due-list index ends in id, the list's tie-break

The due list (app.services.outbound.due_outbound_tasks) orders by (deadline, due_at, id). With the index on
(status, deadline, due_at) alone PostgreSQL still had to sort the rows it read; with id as the last column the
index gives the list's order and the walk stops at the limit (tests/app/test_app_outbound.py reads the plans).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NAME = "ix_outbound_task_status_deadline_due"


def upgrade() -> None:
    op.drop_index(NAME, table_name="outbound_task")
    op.create_index(NAME, "outbound_task", ["status", "deadline", "due_at", "id"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="outbound_task")
    op.create_index(NAME, "outbound_task", ["status", "deadline", "due_at"])
