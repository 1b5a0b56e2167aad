"""A desk restarted in wrap-up: the state bar counts down the time the wrap-up had left (not a fresh wrap-up),
leaving early still needs the wrap-up form saved, and the CSR is told quietly what became of the wrap-up."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget

from cti.bus import EventBus
from cti.events import AgentDidChangeState, WrapUpDidResume
from ui.bridge import QtEventBridge
from ui.mainwindow import MainWindow

REASONS = ["小休", "用餐", "培训", "会议", "事务处理"]


class ResumedDesk:
    """The desk service as a restarted desk has it: in wrap-up, due to end ``left`` seconds from now."""

    def __init__(self, left: float) -> None:
        self.deadline = time.monotonic() + left

    def wrap_up_deadline(self) -> float | None:
        return self.deadline


class Forms(QTabWidget):
    """The forms panel's face towards the window: the wrap-up form's save, and focus."""

    wrap_up_saved = Signal(int)
    dial_requested = Signal(str, int)

    def __init__(self) -> None:
        super().__init__()
        self.focused: str | None = None

    def set_call(self, _call: Any) -> None:
        pass

    def focus_form(self, name: str) -> None:
        self.focused = name


def test_the_state_bar_shows_the_wrap_up_time_that_was_left_and_the_form_rule_holds(qtbot: Any) -> None:
    forms = Forms()
    window = MainWindow(desk=ResumedDesk(left=42.6), bridge=QtEventBridge(bus=EventBus()), reasons=REASONS,
                        forms=forms)
    qtbot.addWidget(window)
    began = time.monotonic() - 77.4  # the wrap-up began before the restart (120 s wrap-up)
    window.apply_state(AgentDidChangeState(old="signed_out", new="wrap_up", cause="sign-in", reason="wrap-up",
                                           at=began))
    bar = window.state_bar
    assert bar.state == "wrap_up"
    assert bar.wrap_label.isVisibleTo(window)
    assert bar.wrap_label.text() == "Wrap-up left: 0:42"
    assert bar.timer_label.text() == "1:17", "in wrap-up since it began, not since the restart"
    assert bar.extend_button.isVisibleTo(window)
    assert not bar.finish_button.isEnabled(), "leaving early needs the wrap-up form saved"
    assert forms.focused == "wrapup"
    forms.wrap_up_saved.emit(7)
    assert bar.finish_button.isEnabled()


def test_the_csr_is_told_quietly_what_became_of_the_wrap_up(qtbot: Any) -> None:
    window = MainWindow(desk=ResumedDesk(left=42.6), bridge=QtEventBridge(bus=EventBus()), reasons=REASONS)
    qtbot.addWidget(window)
    window.show_wrap_up_resumed(WrapUpDidResume(seconds_left=42.6, ran_out=False, then="wrap_up",
                                                reason="wrap-up"))
    assert window.notice.text() == "Wrap-up resumed after the restart, 0:42 left."
    window.show_wrap_up_resumed(WrapUpDidResume(seconds_left=0.0, ran_out=True, then="ready"))
    assert window.notice.text() == "Your wrap-up time ran out while the desk was closed; you are now Ready."
    window.show_wrap_up_resumed(WrapUpDidResume(seconds_left=0.0, ran_out=True, then="not_ready", reason="事务处理"))
    assert window.notice.text() == ("Your wrap-up time ran out while the desk was closed; "
                                    "you are now Not ready (事务处理).")
