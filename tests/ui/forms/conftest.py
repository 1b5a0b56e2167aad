"""Fixtures for the forms: the real services on a migrated database (SQLite, and PostgreSQL when asked)."""

from __future__ import annotations

import sys
from pathlib import Path

# A bare `pytest` puts tests/ on sys.path, where tests/ui/forms would pass for the package ui.forms;
# the project root first keeps `ui` the real package (`python -m pytest`, as the test command runs, has it).
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from formkit import ACTOR, Env, seed_world
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from app.db import make_engine, make_session_factory, upgrade_to_head
from app.drafts import DraftStore
from app.worker import DbWorker
from ui.forms import FormContext
from ui.ops import Operations


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Finish the forms' operations right after the test body, before pytest-qt processes Qt events
    outside the asyncio loop (where an operation could not run)."""
    yield
    env = getattr(item, "funcargs", {}).get("env")
    if isinstance(env, Env):
        env.settle()


def _admin(pg_url: str) -> Engine:
    return make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")  # type: ignore[return-value]


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database on the private PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    pg_url: str = request.getfixturevalue("pg_url")
    name = f"csdesk_forms_{secrets.token_hex(5)}"
    admin = _admin(pg_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def env(db_url: str, tmp_path: Path, qtbot: Any) -> Iterator[Env]:
    """The forms' dependencies; torn down before qtbot, so no operation is left to run outside the loop."""
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    with factory() as s:
        seed = seed_world(s)
    worker = DbWorker(name="forms-test-db")
    notices: list[str] = []
    ops = Operations(notify_error=notices.append)
    drafts_path = tmp_path / "drafts.sqlite"
    ctx = FormContext(worker=worker, session_factory=factory, actor=ACTOR, drafts=DraftStore(drafts_path), ops=ops)
    e = Env(ctx=ctx, session=factory, seed=seed, notices=notices, draft_path=drafts_path)
    yield e
    e.settle()
    assert e.notices == [], "an operation failed: the forms showed a notice"
    worker.shutdown()
    engine.dispose()


