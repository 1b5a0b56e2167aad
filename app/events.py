"""Events that the app layer adds to cti's: they carry app read models, so they cannot live in cti."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cti.events import CallDidOffer, Event


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreenPopDidLoad(Event):
    """The offered call's customer card is ready (``pop`` is a masked ``app.readmodels.ScreenPop``;
    None when the lookup failed, with ``error`` saying why)."""

    offer: CallDidOffer
    pop: Any
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskDidSignIn(Event):
    agent_id: str
    display_name: str
    role: str
    profile: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskDidSignOut(Event):
    agent_id: str
    by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MyDayDidUpdate(Event):
    """The CSR's own figures changed (``figures`` is an ``app.figures.MyDay``)."""

    figures: Any


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxDidChange(Event):
    """The desk's outbox (app.outbox) changed: ``waiting`` writes wait for the database, ``refused`` were
    refused by it at replay (kept on the desk), ``written`` were just replayed, ``renumbered`` lists
    (number the CSR was given, number written) for claim reports whose desk-allocated number collided."""

    waiting: int
    refused: int
    written: int = 0
    renumbered: tuple[tuple[str, str], ...] = ()
