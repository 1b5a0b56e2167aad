"""outbound_task: due-list indexes that give the list's order, for everyone and per owner

The due list (app.services.outbound.due_outbound_tasks) orders by (deadline, due_at, id).
- The index on (status, deadline, due_at) now ends in id, the list's tie-break: without it PostgreSQL sorted the
  rows it read. It serves a lead's view of every due task.
- A CSR's list is their own tasks and unassigned ones. Filtered out of the walk above, another CSR's tasks were
  read and dropped one by one: with 100,000 open tasks all assigned to others, 58 ms per refresh on PostgreSQL.
  (status, assigned_to, deadline, due_at, id) gives one ordered walk per owner that stops at the limit.
tests/app/test_app_outbound.py reads the plans on SQLite and PostgreSQL.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ALL = "ix_outbound_task_status_deadline_due"
OWNER = "ix_outbound_task_status_owner_deadline_due"


def upgrade() -> None:
    op.drop_index(ALL, table_name="outbound_task")
    op.create_index(ALL, "outbound_task", ["status", "deadline", "due_at", "id"])
    op.create_index(OWNER, "outbound_task", ["status", "assigned_to", "deadline", "due_at", "id"])


def downgrade() -> None:
    op.drop_index(OWNER, table_name="outbound_task")
    op.drop_index(ALL, table_name="outbound_task")
    op.create_index(ALL, "outbound_task", ["status", "deadline", "due_at"])
