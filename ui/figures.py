"""Live figures for the CSR (S-5.1e): the CSR's queues and the CSR's own day, from events only.

Alerts (S-7.2.2) are shown here too, quietly (S-5.1f: the desk makes no sound but the ringer).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from app.alerts import AlertDidRaise
from app.events import MyDayDidUpdate
from cti.events import QueueDidUpdate
from ui.bridge import QtEventBridge
from ui.statebar import format_elapsed


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


class LiveFigures(QGroupBox):
    """A compact grid: one row per queue, then the CSR's own figures and the latest alert."""

    HEAD = (QT_TRANSLATE_NOOP("LiveFigures", "Queue"), QT_TRANSLATE_NOOP("LiveFigures", "Waiting"),
            QT_TRANSLATE_NOOP("LiveFigures", "Longest"), QT_TRANSLATE_NOOP("LiveFigures", "Answered"),
            QT_TRANSLATE_NOOP("LiveFigures", "Abandoned"), QT_TRANSLATE_NOOP("LiveFigures", "SL 20 s"))

    def __init__(self, *, bridge: QtEventBridge, figures: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LiveFigures")
        self.setTitle(self.tr("Live figures"))
        self._figures = figures  # a callable returning the CSR's MyDay now (in memory), or None
        self._queues: dict[str, QueueDidUpdate] = {}
        self.queue_grid = QGridLayout()
        self.queue_grid.setHorizontalSpacing(14)
        for col, text in enumerate(self.HEAD):
            head = QLabel(self.tr(text))
            head.setProperty("figureHead", True)
            self.queue_grid.addWidget(head, 0, col)
        self.queue_cells: dict[str, list[QLabel]] = {}
        self.my_day = QLabel(objectName="MyDay")
        self.my_day.setTextFormat(Qt.TextFormat.PlainText)
        self.alert = QLabel(objectName="QuietAlert")
        self.alert.setWordWrap(True)
        self.alerts_seen = 0
        col = QVBoxLayout(self)
        col.addLayout(self.queue_grid)
        col.addWidget(self.my_day)
        col.addWidget(self.alert)
        bridge.on(QueueDidUpdate, self.show_queue, owner=self)
        bridge.on(MyDayDidUpdate, lambda e: self.show_day(e.figures), owner=self)
        bridge.on(AlertDidRaise, self.show_alert, owner=self)
        self._tick = QTimer(self)
        self._tick.setInterval(30_000)  # utilisation moves with time; read the in-memory tracker, not the DB
        self._tick.timeout.connect(self._refresh_day)
        self._tick.start()
        self.show_day(None)

    def show_queue(self, q: QueueDidUpdate) -> None:
        cells = self.queue_cells.get(q.queue)
        if cells is None:
            row = len(self.queue_cells) + 1
            cells = [QLabel() for _ in self.HEAD]
            for c, cell in enumerate(cells):
                self.queue_grid.addWidget(cell, row, c)
            self.queue_cells[q.queue] = cells
        values = (q.queue, str(q.waiting), format_elapsed(q.longest_wait), str(q.answered), str(q.abandoned),
                  _pct(q.service_level))
        for cell, text in zip(cells, values, strict=True):
            cell.setText(text)
        cells[1].setProperty("busy", q.waiting > 0)
        cells[1].style().unpolish(cells[1])
        cells[1].style().polish(cells[1])

    def show_day(self, day: Any) -> None:
        if day is None:
            self.my_day.setText(self.tr("My day: no figures yet"))
            return
        aht = format_elapsed(day.average_handle) if day.average_handle is not None else "—"
        self.my_day.setText(
            self.tr("My day: %1 calls · AHT %2 · utilisation %3 · satisfaction %4")
            .replace("%1", str(day.handled)).replace("%2", aht).replace("%3", _pct(day.utilisation))
            .replace("%4", _pct(day.satisfaction))
        )

    def show_alert(self, event: AlertDidRaise) -> None:
        a = event.alert
        self.alerts_seen += 1
        self.alert.setText(self.tr("Alert: %1 (%2)").replace("%1", self.tr(ALERT_NAMES.get(a.kind, a.kind)))
                           .replace("%2", format_elapsed(a.seconds) if a.kind != "sign_in_out_repeats"
                                    else str(int(a.seconds))))

    def _refresh_day(self) -> None:
        if self._figures is not None:
            self.show_day(self._figures())


ALERT_NAMES = {
    "short_call": QT_TRANSLATE_NOOP("LiveFigures", "very short call"),
    "long_call": QT_TRANSLATE_NOOP("LiveFigures", "very long call"),
    "not_ready_overrun": QT_TRANSLATE_NOOP("LiveFigures", "not ready too long"),
    "wrap_up_overrun": QT_TRANSLATE_NOOP("LiveFigures", "wrap-up overrun"),
    "sign_in_out_repeats": QT_TRANSLATE_NOOP("LiveFigures", "repeated sign-in/sign-out"),
    "desk_degraded": QT_TRANSLATE_NOOP("LiveFigures", "desk degraded"),
}
