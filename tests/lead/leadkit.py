"""Small shared pieces of the lead's tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cti.bus import EventBus
from cti.state_types import SIGN_OUT_REASON, lead_tagged
from cti.team import TeamMonitor


@dataclass
class LeadDb:
    kind: str
    engine: Engine
    session: Callable[[], Session]


class RecordingSupervisor:
    """Stands in for cti.supervisor.SupervisorSession: records what the lead desk asked of the PBX."""

    def __init__(self, bus: EventBus) -> None:
        self.team = TeamMonitor(bus=bus)
        self.calls: list[tuple[Any, ...]] = []

    async def start(self, within: float = 15.0) -> None:
        self.calls.append(("start",))

    async def close(self) -> None:
        self.calls.append(("close",))

    async def listen(self, extension: str) -> None:
        self.calls.append(("listen", extension))

    async def whisper(self, extension: str) -> None:
        self.calls.append(("whisper", extension))

    async def barge(self, extension: str) -> None:
        self.calls.append(("barge", extension))

    async def stop_spy(self) -> None:
        self.calls.append(("stop_spy",))

    async def force_not_ready(self, extension: str, reason: str, *, lead: str | None = None) -> None:
        self.calls.append(("pause", extension, lead_tagged(reason, lead or "?")))

    async def force_sign_out(self, extension: str, *, lead: str | None = None) -> int:
        self.calls.append(("pause", extension, lead_tagged(SIGN_OUT_REASON, lead or "?")))  # as the real one does
        self.calls.append(("remove", extension))
        return 2
