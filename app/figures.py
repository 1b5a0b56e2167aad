"""The CSR's own live figures (S-5.1e): calls handled today, average handle time, utilisation as Appendix A
defines it, and customer satisfaction.

Loaded once from the database at sign-in (the same definitions as the lead's indicators, ``app.indicators``),
then kept current from the desk's own events, so the desk never polls the database for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.indicators import (
    PRODUCTIVE_STATES,
    READY_STATES,
    SATISFIED_SCORES,
    VALID_SCORES,
    agent_figures,
    today,
)
from app.models import Contact
from app.timeutil import utcnow

SIGNED_IN_STATES = PRODUCTIVE_STATES | READY_STATES | {"not_ready"}


@dataclass(frozen=True, slots=True)
class MyDay:
    """Today's figures for one agent; times in seconds."""

    handled: int = 0
    handle_seconds: float = 0.0
    productive: float = 0.0
    ready: float = 0.0
    paid: float = 0.0
    ratings: int = 0
    satisfied: int = 0

    @property
    def average_handle(self) -> float | None:
        return self.handle_seconds / self.handled if self.handled else None

    @property
    def utilisation(self) -> float | None:
        """(productive + ready) ÷ paid (signed-in) time."""
        return (self.productive + self.ready) / self.paid if self.paid else None

    @property
    def satisfaction(self) -> float | None:
        """(very satisfied + satisfied) ÷ valid ratings."""
        return self.satisfied / self.ratings if self.ratings else None


def load_my_day(session: Session, *, agent_id: str, now: datetime | None = None) -> MyDay:
    """Read today's figures of ``agent_id`` from the contacts and the state history."""
    since, until = today(now or utcnow())
    mine = [f for f in agent_figures(session, since=since, until=until) if f.agent_id == agent_id]
    n, ok = session.execute(
        select(func.count(), func.count().filter(Contact.survey_score.in_(SATISFIED_SCORES)))
        .where(Contact.agent_id == agent_id, Contact.offered_at >= since, Contact.offered_at < until,
               Contact.survey_score.in_(VALID_SCORES))).one()
    if not mine:
        return MyDay(ratings=int(n), satisfied=int(ok))
    f = mine[0]
    return MyDay(handled=f.handled, handle_seconds=f.handle_seconds, productive=f.use.productive,
                 ready=f.use.ready, paid=f.use.paid, ratings=int(n), satisfied=int(ok))


class MyDayTracker:
    """Keep ``MyDay`` current from state changes, ended calls and survey scores."""

    def __init__(self, *, base: MyDay, state: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._day = base
        self._state = state
        self._since = clock()
        self._clock = clock

    def state_changed(self, new_state: str) -> None:
        self._day = self.snapshot()
        self._state = new_state
        self._since = self._clock()

    def call_ended(self, talk_seconds: float) -> None:
        if talk_seconds > 0:
            self._day = replace(self._day, handled=self._day.handled + 1,
                                handle_seconds=self._day.handle_seconds + talk_seconds)

    def survey_scored(self, score: int) -> None:
        if score in VALID_SCORES:
            self._day = replace(self._day, ratings=self._day.ratings + 1,
                                satisfied=self._day.satisfied + (score in SATISFIED_SCORES))

    def snapshot(self) -> MyDay:
        """The figures now, counting the time spent in the current state so far."""
        d = self._day
        secs = max(0.0, self._clock() - self._since)
        if self._state not in SIGNED_IN_STATES:
            return d
        return replace(d, paid=d.paid + secs,
                       productive=d.productive + (secs if self._state in PRODUCTIVE_STATES else 0.0),
                       ready=d.ready + (secs if self._state in READY_STATES else 0.0))
