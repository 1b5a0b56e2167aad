"""The lead's alerts: each with its time, agent and what happened; the lead acknowledges them (audited)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.alerts import Alert
from ui.statebar import format_elapsed


class AlertsPanel(QWidget):
    """List alerts, newest first (the latest ``keep``); ``acknowledge`` is called with the chosen alert's id."""

    keep = 500

    def __init__(self, *, acknowledge: Callable[[int], None], paint_ms: int = 200,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[int, Alert] = {}
        self._paint = QTimer(self)
        self._paint.setSingleShot(True)
        self._paint.setInterval(paint_ms)
        self._paint.timeout.connect(self.flush)
        self.setObjectName("AlertsPanel")
        self._acknowledge = acknowledge
        self.list = QListWidget(objectName="AlertsList")
        self.list.setWordWrap(True)
        self.ack_button = QPushButton(self.tr("Acknowledge"), objectName="AcknowledgeAlert")
        self.ack_button.clicked.connect(self._ack_selected)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.list, 1)
        col.addWidget(self.ack_button)
        self._items: dict[int, QListWidgetItem] = {}

    def describe(self, a: Alert) -> str:
        """A readable line: local time, agent and what happened."""
        who = a.agent_id or self.tr("this desk")
        what = {
            "short_call": self.tr("very short call (%1)").replace("%1", format_elapsed(a.seconds)),
            "long_call": self.tr("very long call (over %1)").replace("%1", format_elapsed(a.limit)),
            "not_ready_overrun": self.tr("not ready too long: %1 (over %2)").replace("%1", a.reason or "")
            .replace("%2", format_elapsed(a.limit)),
            "wrap_up_overrun": self.tr("wrap-up overrun (over %1)").replace("%1", format_elapsed(a.limit)),
            "sign_in_out_repeats": self.tr("signed in and out %1 times within an hour").replace("%1", str(int(a.seconds))),
            "desk_degraded": self.tr("desk degraded: %1").replace("%1", a.reason or ""),
        }.get(a.kind, a.kind)
        stamp = a.raised_at.strftime("%H:%M:%S")
        done = "" if a.active else self.tr(" — acknowledged by %1").replace("%1", a.acknowledged_by or "")
        return f"{stamp} UTC  {who}  {what}{done}"

    def alert_did_change(self, a: Alert) -> None:
        """Show a new or changed alert (with the next paint, at most every ``paint_ms``)."""
        self._pending[a.id] = a
        if not self._paint.isActive():
            self._paint.start()

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        self.list.setUpdatesEnabled(False)
        for a in pending.values():
            self._show(a)
        self.list.setUpdatesEnabled(True)

    def _show(self, a: Alert) -> None:
        item = self._items.get(a.id)
        if item is None:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.list.insertItem(0, item)
            self._items[a.id] = item
            while self.list.count() > self.keep:
                old = self.list.takeItem(self.list.count() - 1)
                self._items.pop(int(old.data(Qt.ItemDataRole.UserRole)), None)
        item.setText(self.describe(a))
        font = item.font()
        font.setBold(a.active)
        item.setFont(font)

    def _ack_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._acknowledge(int(item.data(Qt.ItemDataRole.UserRole)))
