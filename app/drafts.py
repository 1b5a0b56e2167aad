"""Local drafts: every form saves as the CSR types, into a SQLite file on the desk itself (never the
shared database, so drafts survive it being down). After a crash the desk lists them and offers to
restore each one. Keyed by agent, form kind and linkedid.

WAL mode makes each committed save survive the process being killed; the UI debounces saves."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.timeutil import utcnow

FORM_KINDS = ("query", "claim_auto", "claim_life_health", "wrap_up", "transfer", "outbound")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS draft (
    agent_id   TEXT NOT NULL,
    form_kind  TEXT NOT NULL,
    linkedid   TEXT NOT NULL,
    payload    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (agent_id, form_kind, linkedid)
)
"""


@dataclass(frozen=True, slots=True)
class Draft:
    agent_id: str
    form_kind: str
    linkedid: str | None
    payload: dict[str, Any]
    updated_at: str


class DraftStore:
    """Drafts in one local SQLite file (created 0600)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        with self._conn() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=5)) as conn:
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:
                yield conn

    def save(self, *, agent_id: str, form_kind: str, linkedid: str | None, payload: Mapping[str, Any]) -> None:
        """Insert or replace the draft; ``payload`` must be JSON-serialisable (dates as ISO strings)."""
        if form_kind not in FORM_KINDS:
            raise ValueError(f"unknown form kind {form_kind!r}")
        body = json.dumps(dict(payload), ensure_ascii=False, sort_keys=True, default=str)
        with self._conn() as conn:
            conn.execute(
                "INSERT INTO draft VALUES (?, ?, ?, ?, ?) ON CONFLICT(agent_id, form_kind, linkedid) "
                "DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at",
                (agent_id, form_kind, linkedid or "", body, utcnow().isoformat()),
            )

    def load(self, *, agent_id: str, form_kind: str, linkedid: str | None) -> Draft | None:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT agent_id, form_kind, linkedid, payload, updated_at FROM draft "
                "WHERE agent_id = ? AND form_kind = ? AND linkedid = ?", (agent_id, form_kind, linkedid or "")
            ).fetchone()
        return _draft(row) if row else None

    def list(self, *, agent_id: str) -> list[Draft]:
        """Return this agent's drafts, newest first: what to offer for restore after a restart."""
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT agent_id, form_kind, linkedid, payload, updated_at FROM draft WHERE agent_id = ? "
                "ORDER BY updated_at DESC", (agent_id,)
            ).fetchall()
        return [_draft(r) for r in rows]

    def discard(self, *, agent_id: str, form_kind: str, linkedid: str | None) -> bool:
        """Delete a draft (after submit, or when the CSR declines to restore it); return whether it existed."""
        with self._conn() as conn:
            cur = conn.execute("DELETE FROM draft WHERE agent_id = ? AND form_kind = ? AND linkedid = ?",
                               (agent_id, form_kind, linkedid or ""))
        return cur.rowcount > 0


def _draft(row: tuple[str, str, str, str, str]) -> Draft:
    agent_id, kind, linkedid, payload, updated = row
    return Draft(agent_id, kind, linkedid or None, json.loads(payload), updated)
