"""Typed errors the UI shows as they are: every message is readable by a CSR."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class DeskError(Exception):
    """Base of every error a service raises on purpose."""


class ValidationError(DeskError):
    """A form was rejected; ``fields`` maps each bad field to its message. Nothing was written."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields: Mapping[str, str] = MappingProxyType(dict(fields))
        listed = "; ".join(f"{k}: {v}" for k, v in self.fields.items())
        super().__init__(f"please correct {len(self.fields)} field(s): {listed}")


class ConflictError(DeskError):
    """Someone else saved the record after it was loaded here."""

    def __init__(self, record: str, record_id: object, *, expected: int, actual: int | None) -> None:
        self.record = record
        self.record_id = record_id
        self.expected = expected
        self.actual = actual
        now = "deleted" if actual is None else f"now at version {actual}"
        super().__init__(
            f"{record} {record_id} was changed by someone else (you edited version {expected}, it is {now}); "
            "reload it and apply your change again"
        )


class NotFound(DeskError):
    """The record does not exist (or is not visible to this agent)."""

    def __init__(self, record: str, key: object) -> None:
        self.record = record
        self.key = key
        super().__init__(f"no {record} found for {key}")


class IdentityRequired(DeskError):
    """Policy and claim details need a verified identity first (S-8.2.2.1)."""


class IdentityFailed(DeskError):
    """The caller's answers did not match; the attempt was audited."""


class IdentityLocked(DeskError):
    """Too many failed identity checks for this customer on this contact."""


class AuthError(DeskError):
    """Sign-in was refused."""


class UnknownAgent(AuthError):
    def __init__(self, agent_id: str) -> None:
        self.agent_id = agent_id
        super().__init__(f"there is no agent account {agent_id!r}; check your agent ID (工号)")


class WrongPassword(AuthError):
    def __init__(self, agent_id: str) -> None:
        self.agent_id = agent_id
        super().__init__(f"wrong password for agent {agent_id}")


class AccountDisabled(AuthError):
    def __init__(self, agent_id: str) -> None:
        self.agent_id = agent_id
        super().__init__(f"agent account {agent_id} is disabled; ask your team lead or the administrator")
