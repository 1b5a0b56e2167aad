"""PostgreSQL only: desk roles, masked views for remote desks, and the audited, rate-limited reveal

Group roles (NOLOGIN, cluster-wide, created when missing): ``csdesk_onsite`` and ``csdesk_lead`` read
and write the tables; ``csdesk_remote`` (and ``csdesk_remote_lead``, a member of it) read personal
tables only through the views in schema ``remote`` (same names as the tables, masked like
app/masking.py), so ``SELECT name FROM public.customer`` is refused by the server. No desk role
may UPDATE, DELETE or TRUNCATE audit rows. ``csdesk_reveal`` returns one clear value, writes a
hash-chained audit row and refuses more than REVEAL_LIMIT reveals per agent or desk login in
REVEAL_WINDOW seconds. Login roles per desk are made by ``python -m app.admin create-desk-login``.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REVEAL_LIMIT = 20
REVEAL_WINDOW = 600
GROUPS = ("csdesk_onsite", "csdesk_lead", "csdesk_remote", "csdesk_remote_lead")
DESK_ROLES = ", ".join(GROUPS)
# table -> {personal column: masking function}; mirrors app.masking.PERSONAL_COLUMNS (a test keeps them equal).
MASKED: dict[str, dict[str, str]] = {
    "customer": {"name": "csdesk_mask_name", "id_number": "csdesk_mask_id", "birth_date": "csdesk_mask_birth",
                 "mobile": "csdesk_mask_phone", "email": "csdesk_mask_email", "addr_district": "csdesk_mask_drop",
                 "addr_detail": "csdesk_mask_drop", "bank_card": "csdesk_mask_card"},
    "customer_phone": {"number": "csdesk_mask_phone"},
    "beneficiary": {"name": "csdesk_mask_name", "id_number": "csdesk_mask_id"},
    "report_person": {"name": "csdesk_mask_name", "phone": "csdesk_mask_phone"},
    "contact": {"caller_number": "csdesk_mask_phone"},
}
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
            "令狐", "端木", "西门", "独孤", "南宫", "呼延", "百里", "东郭", "闻人", "万俟", "澹台", "公冶", "太叔", "申屠",
            "钟离", "宗政", "濮阳", "淳于", "单于", "赫连", "仲孙"]

_MASK_FUNCTIONS = f"""
CREATE FUNCTION csdesk_mask_name(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN left(btrim(v), 2) = ANY (ARRAY[{", ".join(f"'{s}'" for s in COMPOUND)}])
              THEN left(btrim(v), 2) ELSE left(btrim(v), 1) END || '**' $$;
CREATE FUNCTION csdesk_mask_id(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN length(btrim(v)) >= 11
              THEN left(btrim(v), 3) || repeat('*', length(btrim(v)) - 7) || right(btrim(v), 4)
              ELSE repeat('*', greatest(length(btrim(v)) - 2, 4)) || right(btrim(v), 2) END $$;
CREATE FUNCTION csdesk_mask_phone(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN length(btrim(v)) >= 11 THEN left(btrim(v), 3) || '****' || right(btrim(v), 4)
              ELSE '****' || right(btrim(v), 2) END $$;
CREATE FUNCTION csdesk_mask_card(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT '****' || right(replace(v, ' ', ''), 4) $$;
CREATE FUNCTION csdesk_mask_email(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT left(split_part(btrim(v), '@', 1), 1) || '***@'
         || CASE WHEN strpos(btrim(v), '@') > 0 THEN substr(btrim(v), strpos(btrim(v), '@') + 1) ELSE '' END $$;
-- The view keeps the column a date (1 January of the year): the desk's masker shows it as YYYY-**-**.
CREATE FUNCTION csdesk_mask_birth(v date) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT make_date(extract(year FROM v)::int, 1, 1) $$;
CREATE FUNCTION csdesk_mask_drop(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::text $$;
"""

# Runs as its owner (the migrating user): desk roles cannot read customer or customer_phone.
_IDS_BY_PHONE = """
CREATE FUNCTION csdesk_customer_ids_by_phone(p_number text) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT id FROM customer WHERE mobile = p_number
  UNION SELECT customer_id FROM customer_phone WHERE number = p_number $$;
CREATE FUNCTION csdesk_customer_ids_by_id_number(p_id_number text) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT id FROM customer WHERE id_number = p_id_number $$;
-- A remote desk cannot read the answers it checks: the server compares them (app.identity's rules) and
-- records a mismatch itself, so a desk cannot use it as an oracle without leaving failures behind.
CREATE FUNCTION csdesk_identity_matches(p_customer integer, p_agent text, p_linkedid text, p_method text,
                                        p_name text, p_id_last6 text, p_policy text, p_birth date)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
DECLARE
  c customer%ROWTYPE;
  ok boolean;
BEGIN
  SELECT * INTO c FROM customer WHERE id = p_customer;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'csdesk_identity_matches: no customer %', p_customer USING ERRCODE = 'P0002';
  END IF;
  IF (SELECT count(*) FROM identity_failure WHERE customer_id = p_customer
        AND at > (now() AT TIME ZONE 'UTC') - interval '10 minutes') >= 10 THEN
    RAISE EXCEPTION 'csdesk_identity_matches: too many failed checks for this customer' USING ERRCODE = '54000';
  END IF;
  IF p_method = 'name_id6' THEN
    ok := coalesce(btrim(p_name) = c.name AND upper(btrim(p_id_last6)) = upper(right(c.id_number, 6)), false);
  ELSIF p_method = 'policy_birth' THEN
    ok := coalesce(p_birth = c.birth_date, false) AND (SELECT count(*) FROM policy
            WHERE number = upper(btrim(coalesce(p_policy, ''))) AND (holder_id = p_customer OR insured_id = p_customer)) = 1;
  ELSE
    RAISE EXCEPTION 'csdesk_identity_matches: unknown method' USING ERRCODE = '22023';
  END IF;
  IF NOT ok THEN
    INSERT INTO identity_failure (customer_id, agent_id, linkedid, at)
    VALUES (p_customer, p_agent, p_linkedid, (now() AT TIME ZONE 'UTC')::timestamp);
  END IF;
  RETURN ok;
END $fn$
"""


def _j(expr: str) -> str:
    return f"to_json(({expr})::text)::text"


# The canonical JSON of app.audit.canonical (sorted keys, no spaces, UTF-8 kept), built in SQL.
_CANONICAL = " || ".join([
    "'{\"action\":'", _j("v_action"), "',\"agent_id\":'", _j("p_agent"), "',\"at\":'", _j("v_at"),
    "',\"desk_id\":'", _j("v_desk"), "',\"detail\":'", _j("v_detail"), "',\"fields\":'", _j("v_fields"),
    "',\"outcome\":'", _j("'ok'"), "',\"record_id\":'", _j("p_id"), "',\"record_type\":'", _j("p_table"), "'}'",
])
_ALLOWED = " OR ".join(f"(p_table = '{t}' AND p_column IN ({', '.join(repr(c) for c in cols)}))"
                       for t, cols in {**MASKED, "customer": {**MASKED["customer"], "address": ""}}.items())
_REVEAL = f"""
CREATE FUNCTION csdesk_reveal(p_table text, p_column text, p_id integer, p_reason text, p_agent text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
DECLARE
  v_at text := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US');
  v_desk text := session_user::text;
  v_action text := p_table || '.reveal';
  v_fields text := '[' || to_json(p_column)::text || ']';
  v_detail text := '{{"reason": ' || to_json(p_reason)::text || ', "via": "db"}}';
  v_recent integer;
  v_rows integer;
  v_value text;
  v_digest text;
BEGIN
  IF NOT (pg_has_role(session_user, 'csdesk_remote', 'MEMBER') OR pg_has_role(session_user, 'csdesk_onsite', 'MEMBER')
          OR pg_has_role(session_user, 'csdesk_lead', 'MEMBER')) THEN
    RAISE EXCEPTION 'csdesk_reveal: % is not a desk role', session_user USING ERRCODE = '42501';
  END IF;
  IF NOT ({_ALLOWED}) THEN
    RAISE EXCEPTION 'csdesk_reveal: %.% is not a revealable field', p_table, p_column USING ERRCODE = '22023';
  END IF;
  IF p_reason NOT IN ('caller_confirms_details', 'claim_handling', 'callback_number', 'complaint_handling') THEN
    RAISE EXCEPTION 'csdesk_reveal: unknown reason' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM agent WHERE agent_id = p_agent AND NOT disabled) THEN
    RAISE EXCEPTION 'csdesk_reveal: agent % is unknown or disabled', p_agent USING ERRCODE = '42501';
  END IF;
  PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;  -- serialise reveals, so the count below holds
  SELECT count(*) INTO v_recent FROM audit_log
   WHERE action LIKE '%.reveal' AND (agent_id = p_agent OR desk_id = v_desk)
     AND at >= to_char((clock_timestamp() AT TIME ZONE 'UTC') - interval '{REVEAL_WINDOW} seconds',
                       'YYYY-MM-DD"T"HH24:MI:SS.US');
  IF v_recent >= {REVEAL_LIMIT} THEN
    RAISE EXCEPTION 'csdesk_reveal: rate limit of {REVEAL_LIMIT} reveals per {REVEAL_WINDOW} s reached'
      USING ERRCODE = '54000';
  END IF;
  IF p_table = 'customer' AND p_column = 'address' THEN  -- the whole address, as app.services.reveal gives it
    SELECT concat_ws('', addr_province, addr_city, addr_district, addr_detail) INTO v_value FROM customer WHERE id = p_id;
  ELSE
    EXECUTE format('SELECT %I::text FROM %I WHERE id = $1', p_column, p_table) INTO v_value USING p_id;
  END IF;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  IF v_rows = 0 THEN
    RAISE EXCEPTION 'csdesk_reveal: no % %', p_table, p_id USING ERRCODE = 'P0002';
  END IF;
  v_digest := encode(sha256(convert_to({_CANONICAL}, 'UTF8')), 'hex');
  WITH head AS (UPDATE audit_head SET seq = seq + 1, prev_hash = last_hash,
                  last_hash = encode(sha256(convert_to(last_hash || v_digest, 'UTF8')), 'hex') WHERE id = 1
                RETURNING seq, prev_hash, last_hash)
  INSERT INTO audit_log (seq, at, agent_id, desk_id, action, record_type, record_id, fields, outcome, detail,
                         prev_hash, hash)
  SELECT seq, v_at, p_agent, v_desk, v_action, p_table, p_id::text, v_fields, 'ok', v_detail, prev_hash, last_hash
  FROM head;
  RETURN v_value;
END $fn$
"""


# A remote desk writes what its forms and calls record (a contact's caller number, a report's people) through
# the views: the masked columns are expressions, so an INSTEAD OF trigger puts the row into the table. The
# desk gets back the row it wrote; it still reads only masked values. UPDATE stays the view's own (plain
# columns only).
_INSERT_THROUGH = """
CREATE FUNCTION remote.insert_through() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
DECLARE
  j jsonb := jsonb_strip_nulls(to_jsonb(NEW));
  cols text;
BEGIN
  SELECT string_agg(quote_ident(k), ', ') INTO cols FROM jsonb_object_keys(j) AS k;
  EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM jsonb_populate_record(NULL::public.%I, $1) RETURNING id',
                 TG_TABLE_NAME, cols, cols, TG_TABLE_NAME) INTO NEW.id USING j;
  RETURN NEW;
END $fn$
"""


def _create_groups() -> None:
    for g in GROUPS:
        # Roles are cluster-wide: another database's migration may create the same one at the same moment.
        op.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{g}') THEN "
                   f"CREATE ROLE {g} NOLOGIN; END IF; "
                   "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
    op.execute("GRANT csdesk_onsite TO csdesk_lead")
    op.execute("GRANT csdesk_remote TO csdesk_remote_lead")


def _remote_views(bind: sa.engine.Connection) -> None:
    op.execute("CREATE SCHEMA remote")
    op.execute(_INSERT_THROUGH)
    op.execute("REVOKE ALL ON FUNCTION remote.insert_through() FROM PUBLIC")
    insp = sa.inspect(bind)
    for table, cols in MASKED.items():
        exprs = []
        for c in insp.get_columns(table):
            name = c["name"]
            fn = cols.get(name)
            if fn is None:
                exprs.append(f'"{name}"')
            elif table == "customer" and name == "name":  # a remote lead sees names (app.masking.RULES)
                exprs.append(f"CASE WHEN pg_has_role('csdesk_remote_lead', 'MEMBER') AND NOT "
                             f"pg_has_role('csdesk_onsite', 'MEMBER') THEN name ELSE {fn}(name) END AS name")
            else:
                exprs.append(f'{fn}("{name}") AS "{name}"')
        op.execute(f"CREATE VIEW remote.{table} WITH (security_barrier) AS SELECT {', '.join(exprs)} FROM public.{table}")
        op.execute(f"CREATE TRIGGER insert_through INSTEAD OF INSERT ON remote.{table} "
                   "FOR EACH ROW EXECUTE FUNCTION remote.insert_through()")


def _grants(bind: sa.engine.Connection) -> None:
    tables = [t for t in sa.inspect(bind).get_table_names(schema="public")]
    op.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC")
    op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO csdesk_onsite")
    op.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO csdesk_onsite, csdesk_remote")
    # Tables made by later migrations: on-site desks get them; remote desks only by an explicit GRANT
    # (a new table may hold personal data and need a masked view first).
    op.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO csdesk_onsite")
    op.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO csdesk_onsite, csdesk_remote")
    for t in tables:
        if t in MASKED or t in ("audit_log", "audit_head", "alembic_version"):
            continue
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON public.{t} TO csdesk_remote")
    op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {DESK_ROLES}")
    op.execute("GRANT SELECT, INSERT ON audit_log TO csdesk_remote")
    op.execute("GRANT SELECT, UPDATE ON audit_head TO csdesk_remote")
    op.execute(f"REVOKE DELETE, TRUNCATE ON audit_head FROM {DESK_ROLES}")
    op.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {DESK_ROLES}")
    op.execute("GRANT SELECT ON alembic_version TO csdesk_remote")
    op.execute("GRANT USAGE ON SCHEMA remote TO csdesk_remote")
    op.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA remote TO csdesk_remote")
    for fn in ("csdesk_reveal(text, text, integer, text, text)", "csdesk_customer_ids_by_phone(text)",
               "csdesk_customer_ids_by_id_number(text)",
               "csdesk_identity_matches(integer, text, text, text, text, text, text, date)"):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {DESK_ROLES}")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite (one-desk demo): app/masking.py applies the same policy in the data layer
    _create_groups()
    op.execute(_MASK_FUNCTIONS)
    op.execute(_IDS_BY_PHONE)
    op.execute(_REVEAL)
    _remote_views(bind)
    _grants(bind)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM csdesk_onsite")
    op.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM csdesk_onsite, csdesk_remote")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {DESK_ROLES}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {DESK_ROLES}")
    op.execute("DROP SCHEMA remote CASCADE")
    op.execute("DROP FUNCTION csdesk_reveal(text, text, integer, text, text)")
    op.execute("DROP FUNCTION csdesk_customer_ids_by_phone(text)")
    op.execute("DROP FUNCTION csdesk_customer_ids_by_id_number(text)")
    op.execute("DROP FUNCTION csdesk_identity_matches(integer, text, text, text, text, text, text, date)")
    for fn in ("name(text)", "id(text)", "phone(text)", "card(text)", "email(text)", "birth(date)", "drop(text)"):
        op.execute(f"DROP FUNCTION csdesk_mask_{fn}")
    # The group roles are cluster-wide and may serve other databases: they stay.
