"""lead-only reassignment, enforced by PostgreSQL: a CSR desk's login cannot change who owns a transfer order
or an outbound task (issue 8: refused by the database, not only by the desk)

Only a lead's login (``csdesk_lead``/``csdesk_remote_lead``) may change ``transfer_order.raised_by`` or
``outbound_task.assigned_to`` after the row exists; a CSR desk's login gets SQLSTATE 42501. Logins that are
not desk logins (the centre's administrator, migrations) are not desk roles and are let through. SQLite has no
roles: there the desk's own check (``LeadService._require_lead``) is the only one, as for every one-desk setup.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_FN = """
CREATE FUNCTION csdesk_lead_only_owner() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  v_old text := to_jsonb(OLD) ->> TG_ARGV[0];  -- the owner column, named by the trigger
  v_new text := to_jsonb(NEW) ->> TG_ARGV[0];
  v_desk boolean := pg_has_role(session_user, 'csdesk_onsite', 'MEMBER')
                    OR pg_has_role(session_user, 'csdesk_remote', 'MEMBER');
  v_lead boolean := pg_has_role(session_user, 'csdesk_lead', 'MEMBER')
                    OR pg_has_role(session_user, 'csdesk_remote_lead', 'MEMBER');
BEGIN
  IF v_old IS DISTINCT FROM v_new AND v_desk AND NOT v_lead THEN
    RAISE EXCEPTION 'only a team lead may reassign a %', replace(TG_TABLE_NAME, '_', ' ')
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $fn$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FN)
    op.execute("CREATE TRIGGER transfer_order_lead_only_owner BEFORE UPDATE OF raised_by ON transfer_order "
               "FOR EACH ROW EXECUTE FUNCTION csdesk_lead_only_owner('raised_by')")
    op.execute("CREATE TRIGGER outbound_task_lead_only_owner BEFORE UPDATE OF assigned_to ON outbound_task "
               "FOR EACH ROW EXECUTE FUNCTION csdesk_lead_only_owner('assigned_to')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS outbound_task_lead_only_owner ON outbound_task")
    op.execute("DROP TRIGGER IF EXISTS transfer_order_lead_only_owner ON transfer_order")
    op.execute("DROP FUNCTION IF EXISTS csdesk_lead_only_owner()")
