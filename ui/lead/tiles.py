"""Queue tiles: callers waiting, longest wait, service level, answered, abandoned and answer rate per queue."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget

from cti.events import QueueDidUpdate
from ui.statebar import format_elapsed


def percent(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


class QueueTile(QFrame):
    """One queue's live figures (from the PBX, through the team view)."""

    def __init__(self, queue: str, *, clock: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QueueTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.clock = clock
        self.queue = queue
        self.last: QueueDidUpdate | None = None
        grid = QGridLayout(self)
        title = QLabel(queue, objectName="QueueTileTitle")
        grid.addWidget(title, 0, 0, 1, 2)
        self.values: dict[str, QLabel] = {}
        rows = (("waiting", self.tr("Waiting")), ("longest", self.tr("Longest wait")),
                ("sl", self.tr("Service level (20 s)")), ("answered", self.tr("Answered")),
                ("abandoned", self.tr("Abandoned")), ("rate", self.tr("Answer rate")))
        for i, (key, text) in enumerate(rows, start=1):
            grid.addWidget(QLabel(text), i, 0)
            self.values[key] = QLabel("—", objectName=f"QueueTile_{key}")
            grid.addWidget(self.values[key], i, 1)
        self.values["sl"].setToolTip(self.tr("Calls answered within 20 seconds of entering the queue ÷ calls "
                                             "answered, as the PBX counts them."))
        self.values["rate"].setToolTip(self.tr("Answer rate: callers answered ÷ callers who entered the queue "
                                               "(answered + abandoned + still waiting), since the PBX's counters "
                                               "were last reset."))

    def show_update(self, e: QueueDidUpdate) -> None:
        self.last = e
        entered = e.answered + e.abandoned + e.waiting
        self.values["waiting"].setText(str(e.waiting))
        self.values["answered"].setText(str(e.answered))
        self.values["abandoned"].setText(str(e.abandoned))
        self.values["sl"].setText(percent(e.service_level))
        self.values["rate"].setText(percent(e.answered / entered if entered else None))
        self.refresh()

    def refresh(self) -> None:
        e = self.last
        if e is None:
            return
        longest = e.longest_wait + (self.clock() - e.at if e.waiting else 0.0)
        self.values["longest"].setText(format_elapsed(longest) if e.waiting else "—")


class QueueTiles(QWidget):
    """A row of queue tiles; a tile appears with the first update of its queue. Updates are shown at most every
    ``paint_ms`` (the latest per queue), so an event storm does not relayout the window per event."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, paint_ms: int = 200,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.tiles: dict[str, QueueTile] = {}
        self._pending: dict[str, QueueDidUpdate] = {}
        self._paint = QTimer(self)
        self._paint.setSingleShot(True)
        self._paint.setInterval(paint_ms)
        self._paint.timeout.connect(self.flush)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addStretch(1)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(lambda: [t.refresh() for t in self.tiles.values()])
        self._tick.start()

    def queue_did_update(self, e: QueueDidUpdate) -> None:
        self._pending[e.queue] = e
        if not self._paint.isActive():
            self._paint.start()

    def flush(self) -> None:
        """Show the latest figures of every queue that changed."""
        pending, self._pending = self._pending, {}
        for queue, e in pending.items():
            tile = self.tiles.get(queue)
            if tile is None:
                tile = QueueTile(queue, clock=self.clock, parent=self)
                self.tiles[queue] = tile
                self._row.insertWidget(self._row.count() - 1, tile)
            tile.show_update(e)
