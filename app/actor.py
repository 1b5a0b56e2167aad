"""Who is acting: passed to every service for audit and masking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Profile = Literal["onsite", "remote"]
Role = Literal["csr", "lead"]


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in agent at one desk. ``profile`` decides masking together with ``role``."""

    agent_id: str
    desk_id: str
    profile: Profile = "onsite"
    role: Role = "csr"

    def __post_init__(self) -> None:
        if self.profile not in ("onsite", "remote"):
            raise ValueError(f"unknown desk profile {self.profile!r}")
        if self.role not in ("csr", "lead"):
            raise ValueError(f"unknown role {self.role!r}")
