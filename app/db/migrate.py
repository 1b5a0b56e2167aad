"""Run the Alembic migrations in ``app/db/migrations`` from code: the desk upgrades its schema at start.

A desk whose database is already at the newest revision (every start but the first after an upgrade) checks that
with one query and never imports Alembic: Alembic, Mako and Pygments would hold about 24 MB of the idle desk's
memory for nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic config that runs on ``engine`` (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_to_head(engine: Engine) -> str:
    """Upgrade the schema to the newest revision and return it."""
    head = shipped_head()
    if head is not None and _recorded_revisions(engine) == [head]:
        return head
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
    rev = current_revision(engine)
    assert rev is not None
    return rev


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """Return the newest revision shipped with this code."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config_for_scripts()).get_current_head()
    assert head is not None
    return head


def alembic_config_for_scripts() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def shipped_head() -> str | None:
    """The newest revision in ``migrations/versions``, read from the files without Alembic: the one revision no
    other one revises. None when the files do not give one clear answer (Alembic then decides)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                try:
                    values[target.id] = ast.literal_eval(value)
                except ValueError:
                    return None
        rev, down = values.get("revision"), values.get("down_revision")
        if not isinstance(rev, str):
            return None
        revisions.add(rev)
        downs = down if isinstance(down, tuple | list) else () if down is None else (down,)
        if not all(isinstance(d, str) for d in downs):
            return None
        revised.update(downs)
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def _recorded_revisions(engine: Engine) -> list[str] | None:
    """The revisions in ``alembic_version``; None when there is no such table yet (an empty database)."""
    try:
        with engine.connect() as conn:
            return [str(r) for r in conn.execute(text("SELECT version_num FROM alembic_version")).scalars()]
    except DBAPIError:
        return None
