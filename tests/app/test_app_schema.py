"""The desk upgrades its own schema, and the migrations build exactly the models' schema, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from appkit import Db
from sqlalchemy import text

from app.db import current_revision, head_revision, make_engine, upgrade_to_head
from app.models import Base


def test_upgrade_is_at_head_and_idempotent(db: Db) -> None:
    assert current_revision(db.engine) == head_revision()
    assert upgrade_to_head(db.engine) == head_revision()


def test_migrations_match_the_models(db: Db) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_reference_tables_are_seeded(db: Db) -> None:
    with db.engine.connect() as conn:
        n_cat = conn.execute(text("SELECT count(*) FROM service_category WHERE parent_code IS NOT NULL")).scalar()
        n_sla = conn.execute(text("SELECT count(*) FROM sla_rule")).scalar()
    assert n_cat
    assert n_cat >= 10
    assert n_sla == 4


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 1000
    engine.dispose()


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        make_engine("mysql://x@localhost/db")
