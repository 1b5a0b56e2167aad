"""Fixtures for app/: an empty, migrated database per test on SQLite and on the real PostgreSQL.

SQLite: migrated once into a template file that every test copies. PostgreSQL: migrated once into a
template database; one database made from it serves the session and is emptied after every test
(rows deleted, sequences restarted, the audit guard restored), so tests never see each other's rows."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import appkit
import pytest
from appkit import Db
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from app.actor import Actor
from app.db import make_engine, make_session_factory, upgrade_to_head
from app.models import Base


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tmpl") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _admin(pg_url: str) -> Engine:
    return make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")  # type: ignore[return-value]


@pytest.fixture(scope="session")
def pg_template(pg_url: str) -> Iterator[str]:
    name = f"csdesk_tmpl_{secrets.token_hex(4)}"
    admin = _admin(pg_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(pg_url).set(database=name).render_as_string(hide_password=False))
    upgrade_to_head(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    """An empty database at the newest schema (reference data seeded), on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "desk.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        yield Db("sqlite", url, engine, make_session_factory(engine))
        engine.dispose()
        return
    shared: _SharedPg = request.getfixturevalue("pg_shared")
    engine = make_engine(shared.url)
    try:
        yield Db("pg", shared.url, engine, make_session_factory(engine))
    finally:
        engine.dispose()
        with shared.admin.connect() as conn:
            conn.execute(text("SELECT csdesk_test_reset()"))


REFERENCE = {"service_category", "department", "routing_rule", "sla_rule", "audit_head"}
_RESET = """
CREATE FUNCTION csdesk_test_reset() RETURNS void LANGUAGE plpgsql AS $$
DECLARE t text;
BEGIN
  PERFORM set_config('session_replication_role', 'replica', true);  -- skip FK checks and triggers
  FOREACH t IN ARRAY ARRAY[%(tables)s] LOOP
    EXECUTE format('DELETE FROM %%I', t);
  END LOOP;
  UPDATE audit_head SET seq = 0, last_hash = repeat('0', 64) WHERE id = 1;
  FOR t IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER SEQUENCE %%I RESTART', t);
  END LOOP;
  -- tamper tests drop the append-only trigger; put it back
  DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
  CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
END $$
"""


@dataclass
class _SharedPg:
    url: str
    admin: Engine


@pytest.fixture(scope="session")
def pg_shared(pg_url: str, pg_template: str) -> Iterator[_SharedPg]:
    """One PostgreSQL test database for the session, emptied after every test by csdesk_test_reset().

    Creating a database per test costs about a second on a loaded 2-core machine; emptying a few
    small tables costs milliseconds."""
    name = f"csdesk_t_{secrets.token_hex(6)}"
    server = _admin(pg_url)
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    tables = ", ".join(f"'{t.name}'" for t in Base.metadata.sorted_tables if t.name not in REFERENCE)
    with admin.connect() as conn:
        conn.execute(text(_RESET % {"tables": tables}))
    try:
        yield _SharedPg(url, admin)
    finally:
        admin.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def csr() -> Actor:
    return Actor(agent_id="1001", desk_id="desk-a", profile="onsite", role="csr")


@pytest.fixture
def remote_csr() -> Actor:
    return Actor(agent_id="1002", desk_id="desk-r", profile="remote", role="csr")


@pytest.fixture
def world(db: Db) -> appkit.World:
    """A few customers with policies of every line, some claims, one transfer and outbound task."""
    with db.session() as s:
        return appkit.build_world(s)
