"""Fixtures for app/: a fresh, migrated database per test on SQLite and on the real PostgreSQL.

Each backend is migrated once per session into a template (a file for SQLite, a template database
for PostgreSQL); every test gets its own copy of it, so tests never see each other's rows."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import appkit
import pytest
from appkit import Db
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from app.actor import Actor
from app.db import make_engine, make_session_factory, upgrade_to_head


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
    """A fresh database at the newest schema, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "desk.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        yield Db("sqlite", url, engine, make_session_factory(engine))
        engine.dispose()
        return
    pg_url: str = request.getfixturevalue("pg_url")
    template: str = request.getfixturevalue("pg_template")
    name = f"csdesk_t_{secrets.token_hex(6)}"
    admin = _admin(pg_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        yield Db("pg", url, engine, make_session_factory(engine))
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
