"""Abnormal monitoring (S-7.2.2): each alert kind fires at its configured threshold, once per episode."""

from __future__ import annotations

from datetime import datetime

from app.alerts import AlertDidAcknowledge, AlertDidRaise, AlertMonitor, base_reason
from app.config import AlertThresholds
from cti.events import Event

T = AlertThresholds(short_call_seconds=10, long_call_seconds=600, not_ready_limit_seconds={"小休": 900, "用餐": 3600},
                    wrap_up_overrun_seconds=60, sign_in_out_repeats_per_hour=3)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def monitor(clock: Clock, thresholds: AlertThresholds = T) -> tuple[AlertMonitor, list[Event]]:
    seen: list[Event] = []
    return AlertMonitor(thresholds=thresholds, publish=seen.append, wrap_up_seconds=30, clock=clock,
                        wall=lambda: datetime(2026, 3, 2, 9, 0)), seen


def kinds(m: AlertMonitor) -> list[tuple[str, str | None]]:
    return [(a.kind, a.agent_id) for a in m.alerts]


def test_short_call_fires_under_the_threshold_only() -> None:
    c = Clock()
    m, _ = monitor(c)
    m.agent_state("1001", "ready", None, c.now)
    m.agent_state("1001", "talking", None, c.now)
    c.now += 9
    m.agent_state("1001", "wrap_up", None, c.now)
    m.agent_state("1002", "talking", None, c.now)
    c.now += 4
    m.agent_state("1002", "on_hold", None, c.now)  # still the same call
    c.now += 8
    m.agent_state("1002", "wrap_up", None, c.now)  # 12 s in all: not short
    assert kinds(m) == [("short_call", "1001")]
    assert m.alerts[0].seconds == 9


def test_long_call_fires_once_while_the_call_lasts() -> None:
    c = Clock()
    m, seen = monitor(c)
    m.agent_state("1001", "talking", None, c.now)
    c.now += 600
    m.check()
    assert kinds(m) == []
    c.now += 1
    m.check()
    m.check()
    assert kinds(m) == [("long_call", "1001")]
    assert isinstance(seen[-1], AlertDidRaise)


def test_not_ready_limit_depends_on_the_reason_and_a_forced_tag_is_ignored() -> None:
    c = Clock()
    m, _ = monitor(c)
    m.agent_state("1001", "not_ready", "小休", c.now)
    m.agent_state("1002", "not_ready", "用餐 [lead 2001]", c.now)
    m.agent_state("1003", "not_ready", "something else", c.now)
    c.now += 901
    m.check()
    assert kinds(m) == [("not_ready_overrun", "1001")]
    c.now += 3600
    m.check()
    assert sorted(kinds(m)) == [("not_ready_overrun", "1001"), ("not_ready_overrun", "1002"),
                                ("not_ready_overrun", "1003")]
    assert base_reason("用餐 [lead 2001]") == "用餐"


def test_wrap_up_overrun_counts_the_desk_wrap_up_time_plus_the_threshold() -> None:
    c = Clock()
    m, _ = monitor(c)
    m.agent_state("1001", "wrap_up", None, c.now)
    c.now += 90
    m.check()
    assert kinds(m) == []
    c.now += 1
    m.check()
    assert kinds(m) == [("wrap_up_overrun", "1001")]


def test_repeated_sign_in_and_out_within_an_hour() -> None:
    c = Clock()
    m, _ = monitor(c)
    for _ in range(2):
        m.agent_state("1001", "ready", None, c.now)
        c.now += 600
        m.agent_state("1001", "signed_out", None, c.now)
    assert kinds(m) == []
    c.now += 3100  # the first sign-out (at +600 s) is now more than an hour ago
    m.agent_state("1001", "ready", None, c.now)
    m.agent_state("1001", "signed_out", None, c.now)
    assert kinds(m) == []
    m.agent_state("1001", "ready", None, c.now)
    m.agent_state("1001", "signed_out", None, c.now)
    assert kinds(m) == [("sign_in_out_repeats", "1001")]


def test_degraded_desk_and_acknowledgement() -> None:
    c = Clock()
    m, seen = monitor(c)
    m.agent_state("1004", "unavailable", None, c.now)
    m.desk_degraded("PBX link down")
    assert kinds(m) == [("desk_degraded", "1004"), ("desk_degraded", None)]
    assert m.active_agents() == {"1004"}
    a = m.acknowledge(m.alerts[0].id, "2001")
    assert (a.acknowledged_by, a.active) == ("2001", False)
    assert isinstance(seen[-1], AlertDidAcknowledge)
    assert m.active_agents() == set()
    m.acknowledge(a.id, "2002")  # a second acknowledgement changes nothing
    assert a.acknowledged_by == "2001"
