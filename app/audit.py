"""The audit trail (S-8.1-remote): append-only and hash-chained.

Each row stores the previous row's hash and its own: SHA-256 of the previous hash followed by the
SHA-256 of the canonical JSON of its fields; sequence numbers must run without a gap. Rows
hold who, where, what action, which record (by id), which field names and the outcome; never a
personal value. ``verify_chain`` walks the chain and names the first broken link.

CLI: ``python -m app.audit verify --db URL`` exits 0 when the chain is intact, 1 when it is not."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from app.actor import Actor
from app.models import AuditEntry, AuditHead
from app.timeutil import utcnow

GENESIS = "0" * 64
HASHED = ("at", "agent_id", "desk_id", "action", "record_type", "record_id", "fields", "outcome", "detail")
DetailValue = str | int | bool | None
_COLS = ", ".join(HASHED)
_BINDS = ", ".join(f":{c}" for c in HASHED)
# PostgreSQL: one atomic statement. Locking the head row serialises appends from every desk; the
# chain hash sha256(prev || digest) is computed in the same UPDATE, so no transaction has to span
# several round trips (the screen pop runs it in autocommit).
_APPEND_PG = text(
    "WITH head AS (UPDATE audit_head SET seq = seq + 1, prev_hash = last_hash, "
    "last_hash = encode(sha256(convert_to(last_hash || :digest, 'UTF8')), 'hex') WHERE id = 1 "
    "RETURNING seq, prev_hash, last_hash) "
    f"INSERT INTO audit_log (seq, {_COLS}, prev_hash, hash) SELECT seq, {_BINDS}, prev_hash, last_hash FROM head "
    "RETURNING seq, hash"
)
# SQLite: the UPDATE takes the database write lock for the rest of the transaction.
_BUMP_HEAD = text("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash")
_INSERT = insert(cast(Table, AuditEntry.__table__))
_SET_HEAD = text("UPDATE audit_head SET last_hash = :h, prev_hash = :p WHERE id = 1")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    hash: str


def canonical(values: Mapping[str, object]) -> str:
    """Return the canonical JSON of the hashed fields: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps({k: values[k] for k in HASHED}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_digest(values: Mapping[str, object]) -> str:
    """Return the SHA-256 of a row's canonical fields."""
    return hashlib.sha256(canonical(values).encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str, digest: str) -> str:
    """Return a row's hash: SHA-256 of the previous row's hash followed by this row's digest."""
    return hashlib.sha256((prev_hash + digest).encode("utf-8")).hexdigest()


def row_hash(prev_hash: str, values: Mapping[str, object]) -> str:
    return chain_hash(prev_hash, row_digest(values))


def _legacy_hash(prev_hash: str, entry: AuditEntry) -> str:
    """Return the hash of a row written before revision 0003: SHA-256 of prev + canonical JSON with seq."""
    values = {k: getattr(entry, k) for k in ("seq", *HASHED)}
    body = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    actor: Actor,
    action: str,
    record_type: str,
    record_id: object,
    outcome: str = "ok",
    fields: Iterable[str] = (),
    detail: Mapping[str, DetailValue] | None = None,
    now: datetime | None = None,
) -> AuditRecord:
    """Add one audit row in the session's transaction (it commits or rolls back with the change).

    ``detail`` is for codes and ids only (never names, phones or ID numbers)."""
    values: dict[str, object] = {
        "at": (now or utcnow()).isoformat(timespec="microseconds"),
        "agent_id": actor.agent_id,
        "desk_id": actor.desk_id,
        "action": action,
        "record_type": record_type,
        "record_id": str(record_id),
        "fields": json.dumps(sorted(fields), ensure_ascii=False),
        "outcome": outcome,
        "detail": json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False),
    }
    digest = row_digest(values)
    if session.get_bind().dialect.name == "postgresql":
        seq, h = session.execute(_APPEND_PG, {**values, "digest": digest}).one()
        return AuditRecord(seq=int(seq), hash=h)
    seq, prev = session.execute(_BUMP_HEAD).one()
    h = chain_hash(prev, digest)
    session.execute(_INSERT, {**values, "seq": int(seq), "prev_hash": prev, "hash": h})
    session.execute(_SET_HEAD, {"h": h, "p": prev})
    return AuditRecord(seq=int(seq), hash=h)


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    rows: int
    first_broken_seq: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.rows} rows"
        return f"audit chain BROKEN at seq {self.first_broken_seq}: {self.reason} ({self.rows} rows checked)"


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in order and report the first row whose link or hash does not hold."""
    prev, expected_seq, rows, legacy_allowed = GENESIS, 1, 0, True
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    for entry in session.scalars(stmt):
        rows += 1
        values = {k: getattr(entry, k) for k in HASHED}
        if entry.seq != expected_seq:
            return ChainReport(False, rows, expected_seq, f"row {expected_seq} is missing")
        if entry.prev_hash != prev:
            return ChainReport(False, rows, entry.seq, "its previous-hash does not match the row before it")
        if row_hash(prev, values) == entry.hash:
            legacy_allowed = False  # once rows use the current scheme, every later row must too
        elif not (legacy_allowed and _legacy_hash(prev, entry) == entry.hash):
            return ChainReport(False, rows, entry.seq, "its contents do not match its hash (edited)")
        prev, expected_seq = entry.hash, expected_seq + 1
    head = session.get(AuditHead, 1)
    if head is None:
        return ChainReport(False, rows, None, "the chain head row is missing")
    if head.seq != rows or head.last_hash != prev:
        return ChainReport(False, rows, rows + 1, f"the head says {head.seq} rows; rows after {rows} were removed")
    return ChainReport(True, rows)


def main(argv: list[str] | None = None) -> int:
    """Run the audit CLI."""
    from app.db import make_engine  # here, so that importing this module stays light

    parser = argparse.ArgumentParser(prog="python -m app.audit", description="Check the audit trail.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("verify", help="verify the hash chain")
    v.add_argument("--db", required=True, help="database URL")
    args = parser.parse_args(argv)
    engine = make_engine(args.db)
    try:
        with Session(engine) as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
