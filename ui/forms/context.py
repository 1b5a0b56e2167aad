"""What every form needs from the shell: the DB worker, sessions, the actor, drafts, operations, the call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.actor import Actor
from app.drafts import DraftStore
from app.worker import DbWorker
from ui.ops import Operations


@dataclass(frozen=True)
class FormContext:
    """Long-lived dependencies of the forms, built by the composition root."""

    worker: DbWorker
    session_factory: Callable[[], Session]
    actor: Actor
    drafts: DraftStore  # the desk-local store of app.drafts
    ops: Operations
    outbox: Any = None  # app.outbox.OutboxPump: writes that survive the database being down (None: direct)


@dataclass(frozen=True)
class CallContext:
    """The call the CSR is on (or wrapping up); the forms attach ``linkedid`` to what they write."""

    linkedid: str | None = None
    caller_number: str | None = None
    queue: str | None = None
    policy_number: str | None = None
    ended: bool = False  # the call is over and the CSR is wrapping it up: what the forms save still belongs to it
    outbound: bool = False  # placed by the CSR (from an outbound task or the call strip)
    outbound_task: int | None = None  # the outbound task it was dialled from (None: dialled from the call strip)
    # The screen pop the desk already loaded for this call (app.screenpop.ScreenPop, masked for this desk): forms
    # that need the caller's policies take them from it instead of looking the caller up (and auditing it) again.
    pop: Any = field(default=None, compare=False, repr=False)


def call_service(session_factory: Callable[[], Session], service: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Open a session, run ``service(session, **kwargs)`` and close it (runs on the DB worker)."""
    with session_factory() as session:
        return service(session, **kwargs)
