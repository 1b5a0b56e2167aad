"""Fixtures for the lead's tests: a migrated database on SQLite and on the real PostgreSQL, and the qasync loop."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import pytest
from leadkit import LeadDb
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.db import make_engine, make_session_factory, upgrade_to_head


@pytest.fixture(scope="session")
def lead_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("leadtmpl") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LeadDb]:
    """An empty database at the newest schema (reference data seeded), on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "lead.db"
        shutil.copy(request.getfixturevalue("lead_sqlite_template"), path)
        engine = make_engine(f"sqlite:///{path}")
        yield LeadDb("sqlite", engine, make_session_factory(engine))
        engine.dispose()
        return
    pg_url: str = request.getfixturevalue("pg_url")
    name = f"csdesk_lead_{secrets.token_hex(5)}"
    admin = make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(pg_url).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade_to_head(engine)
        yield LeadDb("pg", engine, make_session_factory(engine))
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def qasync_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """Run asyncio on the Qt loop, as the desk does (ask for it in Qt tests)."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)
