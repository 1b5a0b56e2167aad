"""The desk's durable outbox: nothing the CSR or a call produces is lost while the shared database is down.

Every write of a call's contact row (offer, answer, end, survey), of the agent's state spans and sign-out,
and of the forms (claim report, wrap-up, transfer order, outbound result) goes through ``Outbox.submit``:

* with the database reachable and nothing waiting, the write runs at once, as before;
* when the database cannot be reached, the write is checked as far as it can be without the database
  (``app.outbox_checks``: a rejected form writes nothing, now or later) and appended to a journal, a local
  SQLite file next to the drafts (0600, WAL, ``synchronous=FULL``: fsync'd at each append). While anything
  waits, later writes queue behind it, so the database sees them in the order they happened;
* ``replay`` applies waiting items in order once the database is back (``OutboxPump`` retries every few
  seconds, after a restart too) and stops at the first item the database still cannot take.

Exactly once: each item carries an idempotency key (a UUID made when it was submitted). Applying an item
inserts its key into ``applied_write`` in the same transaction as the write itself; a replay first looks
the key up, and a duplicate key aborts the transaction. So a replay cut off after the commit but before the
journal noted it (the process killed, the link lost while the commit was acknowledged) finds the key and
does nothing the second time.

Claim report numbers are allocated on the desk when the CSR submits (``app.services.numbers``: date plus
32 random bits, the same generator as before), so the number read to the caller is the one written later.
If the unique column ever refuses it at replay (a collision), the report is written with fresh numbers and
the outcome names them (``Replayed.renumbered``).

An item the database refuses at replay (a check that needs the database failed, e.g. the policy number does
not exist) is kept in the journal as ``refused`` with the reason, never silently dropped; the desk shows it.
Nothing here touches Qt; all database and journal work runs on the DB worker thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.orm import Session

from app import outbox_checks
from app.actor import Actor
from app.errors import DeskError, ValidationError
from app.events import OutboxDidChange
from app.models.applied import AppliedWrite
from app.services import agents, claim_report, contacts, outbound, transfers
from app.services.numbers import new_number
from app.timeutil import utcnow

log = logging.getLogger(__name__)

# kind -> the service it runs: service(session, **kwargs). Nothing else can be replayed from a journal.
SERVICES: dict[str, Callable[..., Any]] = {
    "contact.open": contacts.open_contact,
    "contact.update": contacts.update_contact,
    "contact.survey": contacts.record_survey,
    "agent.state": agents.record_state,
    "agent.sign_out": agents.record_sign_out,
    "agent.wrap_up_extend": agents.record_wrap_up_extension,
    "claim.auto": claim_report.report_auto_claim,
    "claim.life_health": claim_report.report_life_health_claim,
    "wrap_up.save": contacts.save_wrap_up,
    "transfer.raise": transfers.raise_transfer,
    "outbound.result": outbound.record_outbound_result,
}
# Dataclasses a journal may hold (decoded by name from this list only).
_CLASSES: dict[str, type[Any]] = {c.__name__: c for c in (
    Actor, claim_report.AutoClaimForm, claim_report.LifeHealthClaimForm, claim_report.VehicleInput,
    claim_report.PersonInput, contacts.WrapUpForm, transfers.TransferForm, outbound.OutboundResultForm,
)}
_CLAIMS = ("claim.auto", "claim.life_health")
# The argument that stamps when a write happened: set at submit, so a write replayed later keeps its time.
_STAMP = {"claim.auto": "now", "claim.life_health": "now", "wrap_up.save": "now", "transfer.raise": "now",
          "outbound.result": "now", "agent.state": "at", "agent.sign_out": "at", "contact.open": "offered_at"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS item (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    agent_id   TEXT,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'waiting',   -- waiting | written | refused
    note       TEXT
)
"""


def is_unreachable(error: BaseException) -> bool:
    """True when ``error`` means the database could not be reached (or dropped the connection), as opposed
    to the database refusing the write."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, exc.OperationalError | exc.InterfaceError):
        return True
    return isinstance(error, exc.TimeoutError | ConnectionError | TimeoutError)


# --- the journal's encoding ------------------------------------------------------------------------------

def encode(value: Any) -> Any:
    """JSON-able form of service arguments: dataclasses (from _CLASSES), datetimes, dates, tuples, dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _CLASSES.get(name) is not type(value):
            raise TypeError(f"{name} cannot go into the outbox")
        return {"$dc": name, "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {"$map": {str(k): encode(v) for k, v in value.items()}}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} cannot go into the outbox")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(decode(v) for v in value)
    if isinstance(value, dict):
        if "$dc" in value:
            return _CLASSES[value["$dc"]](**{k: decode(v) for k, v in value["f"].items()})
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return date.fromisoformat(value["$d"])
        if "$map" in value:
            return {k: decode(v) for k, v in value["$map"].items()}
        raise ValueError(f"unknown journal value {sorted(value)}")
    return value


# --- outcomes --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Written:
    """The write reached the database now; ``result`` is what the service returned."""

    key: str
    result: Any


@dataclass(frozen=True, slots=True)
class Queued:
    """The database is unreachable: the write is in the local journal and will be applied later.
    ``kwargs`` are the arguments it will be applied with (a claim's allocated numbers among them)."""

    key: str
    kind: str
    kwargs: Mapping[str, Any]
    waiting: int


@dataclass(frozen=True, slots=True)
class Replayed:
    """What one replay did."""

    written: tuple[str, ...] = ()  # keys applied now
    already: tuple[str, ...] = ()  # keys the database had already (a replay cut off after its commit)
    refused: tuple[tuple[str, str], ...] = ()  # (key, reason)
    renumbered: tuple[tuple[str, str], ...] = ()  # (provisional report number, the one written)
    waiting: int = 0
    stopped: str | None = None  # why the replay stopped early (the database still unreachable)


@dataclass(frozen=True, slots=True)
class Counts:
    waiting: int
    refused: int


class Outbox:
    """The journal and the apply/replay logic; call every method on the DB worker thread."""

    def __init__(self, path: str | os.PathLike[str], *, session_factory: Callable[[], Session]) -> None:
        self.path = Path(path)
        self.session_factory = session_factory
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        with self._conn() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as conn:
            conn.execute("PRAGMA synchronous=FULL")  # each append is on disk before submit returns
            with conn:
                yield conn

    # --- reading the journal ----------------------------------------------------------------------------

    def counts(self) -> Counts:
        with self._conn() as conn:
            rows = dict(conn.execute("SELECT state, count(*) FROM item GROUP BY state").fetchall())
        return Counts(waiting=int(rows.get("waiting", 0)), refused=int(rows.get("refused", 0)))

    def waiting_seconds(self, kind: str, *, agent_id: str, since: datetime) -> int:
        """Sum ``seconds`` over this agent's items of ``kind`` still waiting, queued at or after ``since`` (the
        wrap-up extensions a desk queued while the database was down, for a desk restarted in that wrap-up)."""
        with self._conn() as conn:
            rows = conn.execute("SELECT payload FROM item WHERE kind = ? AND agent_id = ? AND state = 'waiting' "
                                "AND created_at >= ?", (kind, agent_id, since.isoformat())).fetchall()
        return sum(int(decode(json.loads(p)).get("seconds", 0)) for (p,) in rows)

    def items(self, state: str | None = None) -> list[tuple[str, str, str, str | None]]:
        """(key, kind, state, note) in journal order; for the desk's list and for tests."""
        with self._conn() as conn:
            q = "SELECT key, kind, state, note FROM item"
            rows = conn.execute(q + (" WHERE state = ?" if state else "") + " ORDER BY seq",
                                (state,) if state else ()).fetchall()
        return [tuple(r) for r in rows]

    # --- submitting -------------------------------------------------------------------------------------

    def submit(self, kind: str, /, **kwargs: Any) -> Written | Queued:
        """Write now if the database takes it, else journal it. Raises ``DeskError`` (e.g.
        ``ValidationError``) when the write is refused: then nothing is written or queued."""
        if kind not in SERVICES:
            raise ValueError(f"unknown outbox kind {kind!r}")
        stamp = _STAMP.get(kind)
        if stamp and kwargs.get(stamp) is None:
            kwargs = {**kwargs, stamp: utcnow()}
        if kind in _CLAIMS and kwargs.get("numbers") is None:
            now = kwargs["now"]
            kwargs = {**kwargs, "numbers": (new_number("BA", now), new_number("CL", now))}
        key = uuid.uuid4().hex
        if self.counts().waiting:
            self.replay()  # the queue first, in order; only an empty queue lets this write go straight on
        if not self.counts().waiting:
            try:
                return Written(key, self._apply(key, kind, kwargs))
            except Exception as error:
                if not is_unreachable(error):
                    raise
                log.warning("outbox: database unreachable (%s); queueing %s", type(error).__name__, kind)
        outbox_checks.check(kind, kwargs)  # what can be checked without the database; raises ValidationError
        self._append(key, kind, kwargs)
        waiting = self.counts().waiting
        log.info("outbox: queued %s (%d waiting)", kind, waiting)
        return Queued(key, kind, kwargs, waiting)

    def _append(self, key: str, kind: str, kwargs: Mapping[str, Any]) -> None:
        actor = kwargs.get("actor")
        agent = actor.agent_id if isinstance(actor, Actor) else kwargs.get("agent_id")
        with self._conn() as conn:
            conn.execute("INSERT INTO item (key, kind, agent_id, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                         (key, kind, agent, json.dumps(encode(dict(kwargs)), ensure_ascii=False),
                          utcnow().isoformat()))

    def _mark(self, key: str, state: str, note: str | None = None) -> None:
        with self._conn() as conn:
            conn.execute("UPDATE item SET state = ?, note = ? WHERE key = ?", (state, note, key))

    # --- applying ---------------------------------------------------------------------------------------

    def _apply(self, key: str, kind: str, kwargs: Mapping[str, Any]) -> Any:
        """Run the service with its key recorded in the same transaction; ``_ALREADY`` if the key is there."""
        service = SERVICES[kind]
        actor = kwargs.get("actor")
        agent = actor.agent_id if isinstance(actor, Actor) else kwargs.get("agent_id")
        with self.session_factory() as s:
            if s.get(AppliedWrite, key) is not None:
                s.rollback()
                return _ALREADY
            marked: list[bool] = []

            def mark(session: Session) -> None:
                if not marked:  # the service's own commit carries the key
                    marked.append(True)
                    session.add(AppliedWrite(key=key, kind=kind, agent_id=agent, applied_at=utcnow()))

            event.listen(s, "before_commit", mark)
            try:
                result = service(s, **kwargs)
                if not marked:  # a service that had nothing to write (e.g. the contact was open already)
                    s.commit()
            finally:
                event.remove(s, "before_commit", mark)
            return result

    def replay(self) -> Replayed:
        """Apply the waiting items in journal order; stop at the first the database cannot take."""
        with self._conn() as conn:
            rows = conn.execute("SELECT key, kind, payload FROM item WHERE state = 'waiting' ORDER BY seq").fetchall()
        written: list[str] = []
        already: list[str] = []
        refused: list[tuple[str, str]] = []
        renumbered: list[tuple[str, str]] = []
        stopped = None
        for key, kind, payload in rows:
            kwargs = decode(json.loads(payload))
            try:
                try:
                    result = self._apply(key, kind, kwargs)
                except exc.IntegrityError:
                    if kind not in _CLAIMS or self._known(key):
                        raise
                    # the unique column refused the desk-allocated numbers: write it with fresh ones
                    old = kwargs["numbers"][0]
                    kwargs = {**kwargs, "numbers": None}
                    result = self._apply(key, kind, kwargs)
                    renumbered.append((old, result.report_number))
            except DeskError as error:
                self._mark(key, "refused", _reason(error))
                refused.append((key, _reason(error)))
                log.warning("outbox: %s refused at replay: %s", kind, type(error).__name__)
                continue
            except Exception as error:
                if is_unreachable(error):
                    stopped = type(error).__name__
                    break
                if isinstance(error, exc.IntegrityError) and self._known(key):
                    result = _ALREADY
                else:
                    self._mark(key, "refused", f"{type(error).__name__}")
                    refused.append((key, type(error).__name__))
                    log.warning("outbox: %s failed at replay: %s", kind, type(error).__name__)
                    continue
            if result is _ALREADY:
                already.append(key)
                self._mark(key, "written", "already in the database")
            else:
                written.append(key)
                self._mark(key, "written")
        out = Replayed(tuple(written), tuple(already), tuple(refused), tuple(renumbered),
                       self.counts().waiting, stopped)
        if written or already or refused:
            log.info("outbox: replayed %d, already there %d, refused %d, %d waiting",
                     len(written), len(already), len(refused), out.waiting)
        return out

    def _known(self, key: str) -> bool:
        try:
            with self.session_factory() as s:
                return s.get(AppliedWrite, key) is not None
        except Exception:
            return False


_ALREADY = object()


def _reason(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{k}: {v}" for k, v in error.fields.items())[:500]
    return (str(error).splitlines() or [type(error).__name__])[0][:500]


def event_of(counts: Counts, replayed: Replayed | None) -> OutboxDidChange:
    """The bus event that tells the UI what the outbox holds now (and what a replay just wrote)."""
    written = len(replayed.written) + len(replayed.already) if replayed is not None else 0
    return OutboxDidChange(waiting=counts.waiting, refused=counts.refused, written=written,
                           renumbered=replayed.renumbered if replayed is not None else ())


@dataclass
class OutboxPump:
    """The asyncio side: submit through the DB worker, retry the journal every ``retry_seconds`` while
    anything waits, and tell ``on_change`` the counts after every change (the desk publishes them)."""

    outbox: Outbox
    worker: Any  # app.worker.DbWorker
    on_change: Callable[[Counts, Replayed | None], None] = lambda _c, _r: None
    retry_seconds: float = 3.0
    _task: asyncio.Task[None] | None = field(default=None, init=False)
    _wake: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    counts: Counts = field(default=Counts(0, 0), init=False)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def submit(self, kind: str, /, **kwargs: Any) -> Written | Queued:
        outcome: Written | Queued = await self.worker.run(self.outbox.submit, kind, **kwargs)
        await self._refresh(None)
        if isinstance(outcome, Queued):
            self._wake.set()
        return outcome

    async def replay_now(self) -> Replayed:
        result: Replayed = await self.worker.run(self.outbox.replay)
        await self._refresh(result)
        return result

    async def flush(self, within: float) -> int:
        """Replay until nothing waits or ``within`` seconds pass (at exit); return how many still wait."""
        loop = asyncio.get_running_loop()
        end = loop.time() + within
        while True:
            result = await self.replay_now()
            if not result.waiting or loop.time() >= end:
                return result.waiting
            await asyncio.sleep(min(0.5, max(0.0, end - loop.time())))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _refresh(self, replayed: Replayed | None) -> None:
        self.counts = await self.worker.run(self.outbox.counts)
        self.on_change(self.counts, replayed)

    async def _run(self) -> None:
        await self._refresh(None)
        while True:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.retry_seconds)
            self._wake.clear()
            if not self.counts.waiting:
                continue
            await asyncio.sleep(0)  # let the queued write's caller finish first
            try:
                await self.replay_now()
            except Exception as error:  # the journal itself failed: keep trying, never crash the desk
                log.warning("outbox replay failed: %s", type(error).__name__)


__all__ = [
    "SERVICES",
    "Counts",
    "Outbox",
    "OutboxPump",
    "Queued",
    "Replayed",
    "Written",
    "decode",
    "encode",
    "event_of",
    "is_unreachable",
]
