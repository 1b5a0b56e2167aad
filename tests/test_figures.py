"""The CSR's live figures: the day tracker's arithmetic, and queue figures counted from a CSR desk's events."""

from __future__ import annotations

from typing import Any

import pytest

from app.figures import MyDay, MyDayTracker
from cti.ami.message import AmiMessage
from cti.bus import EventBus
from cti.events import QueueDidUpdate
from cti.team import TeamMonitor


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_day_tracker_counts_time_calls_and_ratings_as_appendix_a_defines() -> None:
    clock = Clock()
    base = MyDay(handled=2, handle_seconds=300.0, productive=600.0, ready=300.0, paid=1200.0, ratings=1, satisfied=1)
    t = MyDayTracker(base=base, state="ready", clock=clock)
    clock.t += 100  # 100 s ready
    t.state_changed("talking")
    clock.t += 200  # 200 s talking (productive)
    t.call_ended(200.0)
    t.state_changed("wrap_up")
    clock.t += 30  # wrap-up counts as productive: handling the customer
    t.state_changed("not_ready")
    clock.t += 70  # not ready: paid, neither productive nor ready
    t.survey_scored(2)
    t.survey_scored(4)
    t.survey_scored(0)  # not a valid rating
    d = t.snapshot()
    assert d.handled == 3
    assert d.handle_seconds == pytest.approx(500.0)
    assert d.productive == pytest.approx(600 + 200 + 30)
    assert d.ready == pytest.approx(300 + 100)
    assert d.paid == pytest.approx(1200 + 400)
    assert d.utilisation == pytest.approx((830 + 400) / 1600)
    assert d.satisfaction == pytest.approx(2 / 3)
    assert d.average_handle == pytest.approx(500 / 3)
    t.state_changed("signed_out")
    clock.t += 500  # signed out: not paid time
    assert t.snapshot().paid == pytest.approx(1600)


def test_empty_day_has_no_ratios() -> None:
    d = MyDay()
    assert d.utilisation is None
    assert d.satisfaction is None
    assert d.average_handle is None


def _ev(**headers: str) -> AmiMessage:
    return AmiMessage.of(headers)


def test_csr_desk_counts_answers_and_service_level_from_queue_leave_and_abandon() -> None:
    clock = Clock()
    bus = EventBus()
    seen: list[QueueDidUpdate] = []
    bus.subscribe(QueueDidUpdate, seen.append)
    team = TeamMonitor(bus=bus, queues=("service",), answers_from_leave=True, clock=clock)
    for uid in ("a", "b", "c"):
        team.feed(_ev(Event="QueueCallerJoin", Queue="service", Uniqueid=uid))
    assert seen[-1].waiting == 3
    clock.t += 10
    team.feed(_ev(Event="QueueCallerLeave", Queue="service", Uniqueid="a"))  # answered within 20 s
    clock.t += 30
    team.feed(_ev(Event="QueueCallerAbandon", Queue="service", Uniqueid="b"))
    team.feed(_ev(Event="QueueCallerLeave", Queue="service", Uniqueid="b"))  # the abandon's own leave
    team.feed(_ev(Event="QueueCallerLeave", Queue="service", Uniqueid="c"))  # answered after 40 s
    team.feed(_ev(Event="AgentConnect", Queue="service", Uniqueid="x", HoldTime="1"))  # not counted twice
    last = seen[-1]
    assert (last.waiting, last.answered, last.abandoned) == (0, 2, 1)
    assert last.service_level == pytest.approx(0.5)


def test_live_figures_panel_shows_queues_day_and_alerts(qtbot: Any) -> None:
    from datetime import datetime

    from app.alerts import Alert, AlertDidRaise
    from app.events import MyDayDidUpdate
    from ui.bridge import QtEventBridge
    from ui.figures import LiveFigures

    bus = EventBus()
    panel = LiveFigures(bridge=QtEventBridge(bus=bus))
    qtbot.addWidget(panel)
    bus.publish(QueueDidUpdate(queue="service", waiting=2, longest_wait=65.0, answered=7, abandoned=1,
                               service_level=0.857))
    assert [c.text() for c in panel.queue_cells["service"]] == ["service", "2", "1:05", "7", "1", "86%"]
    bus.publish(MyDayDidUpdate(figures=MyDay(handled=4, handle_seconds=480, productive=900, ready=300, paid=1500,
                                             ratings=2, satisfied=1)))
    assert "4" in panel.my_day.text()
    assert "2:00" in panel.my_day.text()
    assert "80%" in panel.my_day.text()
    assert "50%" in panel.my_day.text()
    bus.publish(AlertDidRaise(alert=Alert(id=1, kind="short_call", agent_id="1001", raised_at=datetime(2026, 1, 1),
                                          seconds=6.0, limit=10.0)))
    assert "very short call" in panel.alert.text()
    assert panel.alerts_seen == 1
