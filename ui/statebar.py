"""Show the agent's state with its timer, and the ready / not-ready / wrap-up controls (S-8.2.1b)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

STATE_LABELS = {
    "signed_out": QT_TRANSLATE_NOOP("StateBar", "Signed out"),
    "signing_in": QT_TRANSLATE_NOOP("StateBar", "Signing in…"),
    "not_ready": QT_TRANSLATE_NOOP("StateBar", "Not ready"),
    "ready": QT_TRANSLATE_NOOP("StateBar", "Ready"),
    "ringing": QT_TRANSLATE_NOOP("StateBar", "Ringing"),
    "talking": QT_TRANSLATE_NOOP("StateBar", "Talking"),
    "held": QT_TRANSLATE_NOOP("StateBar", "On hold"),
    "consulting": QT_TRANSLATE_NOOP("StateBar", "Consulting"),
    "conferencing": QT_TRANSLATE_NOOP("StateBar", "Conference"),
    "wrap_up": QT_TRANSLATE_NOOP("StateBar", "Wrap-up"),
    "signing_out": QT_TRANSLATE_NOOP("StateBar", "Signing out…"),
    "degraded": QT_TRANSLATE_NOOP("StateBar", "PBX unreachable"),
}


def format_elapsed(seconds: float) -> str:
    """Format seconds as m:ss, or h:mm:ss from an hour on."""
    s = max(0, int(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


class StateBar(QWidget):
    """The always-visible strip at the top of the desk."""

    ready_requested = Signal()
    not_ready_requested = Signal(str)
    pause_after_call_toggled = Signal(bool)
    extend_wrap_up_requested = Signal()
    finish_wrap_up_requested = Signal()

    def __init__(
        self,
        *,
        reasons: Sequence[str],
        clock: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("StateBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._clock = clock
        self._state = "signed_out"
        self._since = clock()
        self._wrap_deadline: float | None = None
        self._reason: str | None = None
        self.forced_by: str | None = None

        self.state_label = QLabel(objectName="StateLabel")
        self.timer_label = QLabel("0:00", objectName="StateTimer")
        self.reason_label = QLabel(objectName="StateReason")
        self.ready_button = QPushButton(self.tr("Ready"), objectName="ReadyButton")
        self.ready_button.clicked.connect(self.ready_requested.emit)
        self.not_ready_button = QToolButton(objectName="NotReadyButton")
        self.not_ready_button.setText(self.tr("Not ready"))
        self.not_ready_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.reason_menu = QMenu(self)
        self.set_reasons(reasons)
        self.not_ready_button.setMenu(self.reason_menu)
        self.pause_after = QCheckBox(self.tr("Pause after this call"), objectName="PauseAfterCall")
        self.pause_after.toggled.connect(self.pause_after_call_toggled.emit)
        self.wrap_label = QLabel(objectName="WrapUpLeft")
        self.extend_button = QPushButton(self.tr("Extend"), objectName="ExtendWrapUp")
        self.extend_button.clicked.connect(self.extend_wrap_up_requested.emit)
        self.finish_button = QPushButton(self.tr("Finish wrap-up"), objectName="FinishWrapUp")
        self.finish_button.clicked.connect(self.finish_wrap_up_requested.emit)
        self.quality_label = QLabel(objectName="QualityLight")
        self.quality_label.setVisible(False)
        self.warning_label = QLabel(objectName="DeskWarning")
        self._warnings: dict[str, str] = {}
        self.warning_label.setVisible(False)
        self.warning_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        for w in (self.state_label, self.timer_label, self.reason_label):
            row.addWidget(w)
        row.addStretch(1)
        for w in (self.warning_label, self.quality_label, self.wrap_label, self.extend_button,
                  self.finish_button, self.pause_after, self.ready_button, self.not_ready_button):
            row.addWidget(w)

        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self._refresh_timer)
        self._tick.start()
        self.set_state("signed_out")

    def set_reasons(self, reasons: Sequence[str]) -> None:
        """Offer ``reasons`` in the not-ready menu (the centre's list; it can change during a shift)."""
        self.reason_menu.clear()
        for reason in reasons:
            action = self.reason_menu.addAction(reason)
            action.triggered.connect(lambda _=False, r=reason: self.not_ready_requested.emit(r))

    @property
    def state(self) -> str:
        return self._state

    def set_state(self, state: str, *, reason: str | None = None, since: float | None = None,
                  by: str | None = None) -> None:
        """Show ``state`` (with its reason) and restart its timer. ``by`` names the team lead who forced this
        state (not ready, or signed out); it stays shown until the state changes (for a sign-out: until the
        agent signs in again)."""
        self._state = state
        self._since = self._clock() if since is None else since
        self.state_label.setText(self.tr(STATE_LABELS.get(state, state)))
        self.state_label.setProperty("agentState", state)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self._reason = None if state == "wrap_up" else reason  # the state says it already
        self.set_forced_by(by)
        signed_in = state not in ("signed_out", "signing_in", "signing_out", "degraded")
        in_call = state in ("ringing", "talking", "held", "consulting", "conferencing")
        self.ready_button.setEnabled(signed_in and not in_call and state != "ready")
        self.not_ready_button.setEnabled(signed_in and not in_call)
        self.pause_after.setEnabled(signed_in)
        wrap = state == "wrap_up"
        self.wrap_label.setVisible(wrap)
        self.extend_button.setVisible(wrap)
        self.finish_button.setVisible(wrap)
        if not wrap:
            self._wrap_deadline = None
        if state in ("ready", "not_ready") and self.pause_after.isChecked() and state == "not_ready":
            self.pause_after.setChecked(False)
        self._refresh_timer()

    def set_forced_by(self, by: str | None) -> None:
        """Name the lead who forced the state shown now (their name once the desk has looked it up)."""
        self.forced_by = by
        text = self._reason or ""
        if by and self._state == "signed_out":
            text = self.tr("signed out by %1").replace("%1", by)
        elif by and self._state == "not_ready":
            text = (text + " · " if text else "") + self.tr("set not-ready by %1").replace("%1", by)
        self.reason_label.setText(text)

    def set_wrap_up_deadline(self, deadline: float | None) -> None:
        """Show the time left in wrap-up, counting down to the monotonic ``deadline``."""
        self._wrap_deadline = deadline
        self._refresh_timer()

    def set_warning(self, text: str | None, *, key: str = "link") -> None:
        """Show or clear the warning about ``key`` (the PBX link, a resync, the softphone, the headset…); every
        warning that stands is shown, in the order they arose."""
        if text:
            self._warnings[key] = text
        else:
            self._warnings.pop(key, None)
        shown = " · ".join(self._warnings.values())
        self.warning_label.setText(shown)
        self.warning_label.setToolTip(shown)
        self.warning_label.setVisible(bool(shown))

    @property
    def warnings(self) -> dict[str, str]:
        return dict(self._warnings)

    def set_quality(self, mos: float | None) -> None:
        """Show the network-quality light with the call's MOS (remote desks)."""
        if mos is None:
            self.quality_label.setVisible(False)
            return
        level = "good" if mos >= 4.0 else "fair" if mos >= 3.5 else "poor"
        self.quality_label.setText(f"● MOS {mos:.1f}")
        self.quality_label.setProperty("quality", level)
        self.quality_label.style().unpolish(self.quality_label)
        self.quality_label.style().polish(self.quality_label)
        self.quality_label.setVisible(True)

    def _refresh_timer(self) -> None:
        now = self._clock()
        self.timer_label.setText(format_elapsed(now - self._since))
        if self._wrap_deadline is not None:
            self.wrap_label.setText(self.tr("Wrap-up left: %1").replace("%1", format_elapsed(self._wrap_deadline - now)))
