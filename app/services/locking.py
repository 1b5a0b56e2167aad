"""Optimistic locking: compare the version the desk loaded, and turn a lost race into ``ConflictError``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.errors import ConflictError, NotFound


class Versioned(Protocol):
    id: int
    version: int


V = TypeVar("V", bound=Versioned)


def load_for_edit(session: Session, model: type[V], record: str, record_id: int, expected_version: int) -> V:
    """Load the row and refuse if it is no longer at ``expected_version``."""
    obj = session.get(model, record_id, populate_existing=True)
    if obj is None:
        raise NotFound(record, record_id)
    if obj.version != expected_version:
        actual = obj.version
        session.rollback()
        raise ConflictError(record, record_id, expected=expected_version, actual=actual)
    return obj


def commit_versioned(session: Session, model: type[V], record: str, record_id: int, expected_version: int,
                     before_commit: Callable[[], None] | None = None) -> None:
    """Flush and commit; if another desk won the race in between, roll back and raise ``ConflictError``."""
    try:
        session.flush()
        if before_commit:
            before_commit()
        session.commit()
    except StaleDataError:
        session.rollback()
        current = session.get(model, record_id, populate_existing=True)
        actual = None if current is None else current.version
        session.rollback()
        raise ConflictError(record, record_id, expected=expected_version, actual=actual) from None
