"""The database: engines for SQLite and PostgreSQL, sessions, and schema upgrades at start."""

from app.db.engine import make_engine, make_session_factory
from app.db.migrate import current_revision, head_revision, upgrade_to_head

__all__ = ["current_revision", "head_revision", "make_engine", "make_session_factory", "upgrade_to_head"]
