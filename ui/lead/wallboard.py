"""The team wallboard: one row per agent, kept from the team view's events, cheap enough for 200 agents.

Updates are coalesced: an event only changes the row's values and marks it dirty; one ``dataChanged`` every
``flush_ms`` (200 ms) covers the dirty rows, and a once-a-second tick refreshes the time columns. The view
sorts through a QSortFilterProxyModel on ``SORT_ROLE`` (numbers for the time columns) when a header is clicked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor

from ui.statebar import format_elapsed

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
EXTENSION_ROLE = Qt.ItemDataRole.UserRole + 2
IN_CALL = frozenset({"talking", "on_hold", "held", "consulting", "conferencing"})
COLUMNS = (
    QT_TRANSLATE_NOOP("Wallboard", "Name"), QT_TRANSLATE_NOOP("Wallboard", "Extension"),
    QT_TRANSLATE_NOOP("Wallboard", "State"), QT_TRANSLATE_NOOP("Wallboard", "Reason"),
    QT_TRANSLATE_NOOP("Wallboard", "Time in state"), QT_TRANSLATE_NOOP("Wallboard", "Call"),
    QT_TRANSLATE_NOOP("Wallboard", "Call queue"), QT_TRANSLATE_NOOP("Wallboard", "Handled today"),
    QT_TRANSLATE_NOOP("Wallboard", "Average handle"),
)
STATES = {
    "signed_out": QT_TRANSLATE_NOOP("Wallboard", "Signed out"), "ready": QT_TRANSLATE_NOOP("Wallboard", "Ready"),
    "not_ready": QT_TRANSLATE_NOOP("Wallboard", "Not ready"), "ringing": QT_TRANSLATE_NOOP("Wallboard", "Ringing"),
    "talking": QT_TRANSLATE_NOOP("Wallboard", "Talking"), "on_hold": QT_TRANSLATE_NOOP("Wallboard", "On hold"),
    "wrap_up": QT_TRANSLATE_NOOP("Wallboard", "Wrap-up"),
    "unavailable": QT_TRANSLATE_NOOP("Wallboard", "Phone unavailable"),
}
TIME_COLUMNS = (4, 5, 8)
ALERT_BRUSH = QBrush(QColor("#ffd7c2"))
_DISPLAY, _BACKGROUND = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.BackgroundRole)
_ROLES = frozenset({_DISPLAY, _BACKGROUND, int(SORT_ROLE), int(EXTENSION_ROLE)})


class AgentRow:
    __slots__ = ("alert", "call_queue", "call_since", "extension", "handle_seconds", "handled", "name", "reason",
                 "since", "state", "text")

    def __init__(self, extension: str, name: str) -> None:
        self.extension, self.name = extension, name
        self.state, self.reason, self.since = "signed_out", None, time.monotonic()
        self.call_since: float | None = None
        self.call_queue = ""
        self.handled, self.handle_seconds = 0, 0.0
        self.alert = False
        self.text: list[str] | None = None  # the display strings, built when first painted after a change


class WallboardModel(QAbstractTableModel):
    """Rows of agents; feed it with ``member_did_update`` and friends from the event bridge."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, flush_ms: int = 200,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.rows: list[AgentRow] = []
        self.index_of: dict[str, int] = {}
        self.team: set[str] | None = None  # once set, agents of other teams (same queues) are not shown
        self._dirty: set[int] = set()
        self._states = {k: QCoreApplication.translate("Wallboard", v) for k, v in STATES.items()}
        self._headers = [QCoreApplication.translate("Wallboard", c) for c in COLUMNS]
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(flush_ms)
        self._flush.timeout.connect(self.flush)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._refresh_times)
        self._tick.start()

    # --- feeding ---------------------------------------------------------------------------------------------------

    def set_team(self, members: Iterable[tuple[str, str, int, float]]) -> None:
        """Show the team's accounts only: (extension, name, handled today, handle seconds today)."""
        self.beginResetModel()
        self.rows = []
        for ext, name, handled, secs in members:
            r = AgentRow(ext, name)
            r.handled, r.handle_seconds = handled, secs
            self.rows.append(r)
        self.index_of = {r.extension: i for i, r in enumerate(self.rows)}
        self.team = set(self.index_of)
        self.endResetModel()

    def _row(self, ext: str) -> int | None:
        i = self.index_of.get(ext)
        if i is None:
            if self.team is not None:
                return None
            i = len(self.rows)
            self.beginInsertRows(QModelIndex(), i, i)
            self.rows.append(AgentRow(ext, ext))
            self.index_of[ext] = i
            self.endInsertRows()
        return i

    def member_did_update(self, ext: str, state: str, reason: str | None, since: float) -> None:
        i = self._row(ext)
        if i is None:
            return
        r = self.rows[i]
        if r.call_since is not None and state not in IN_CALL:
            r.handled += 1
            r.handle_seconds += max(since - r.call_since, 0.0)
            r.call_since, r.call_queue = None, ""
        elif state in IN_CALL and r.call_since is None:
            r.call_since = since
        r.state, r.reason, r.since = state, reason, since
        self._mark(i)

    def call_did_connect(self, ext: str, queue: str) -> None:
        i = self._row(ext)
        if i is None:
            return
        self.rows[i].call_queue = queue
        self._mark(i)

    def set_alert(self, ext: str, flag: bool) -> None:
        """Highlight an agent's row (an alert is active) or not."""
        i = self.index_of.get(ext)
        if i is not None and self.rows[i].alert != flag:
            self.rows[i].alert = flag
            self._mark(i)

    def _mark(self, i: int) -> None:
        self.rows[i].text = None
        self._dirty.add(i)
        if not self._flush.isActive():
            self._flush.start()

    def flush(self) -> None:
        """Tell the views about every row changed since the last flush (one signal)."""
        if not self._dirty:
            return
        lo, hi = min(self._dirty), max(self._dirty)
        self._dirty.clear()
        self.dataChanged.emit(self.index(lo, 0), self.index(hi, len(COLUMNS) - 1))

    def _refresh_times(self) -> None:
        for r in self.rows:
            r.text = None
        if self.rows:
            self.dataChanged.emit(self.index(0, TIME_COLUMNS[0]), self.index(len(self.rows) - 1, TIME_COLUMNS[-1]))

    # --- the model ---------------------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # the view asks ~8 roles per cell on every repaint: answer the unused ones first and cheaply
        if role not in _ROLES or not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == _DISPLAY:
            if r.text is None:
                r.text = self._texts(r)
            return r.text[index.column()]
        if role == _BACKGROUND:
            return ALERT_BRUSH if r.alert else None
        if role == SORT_ROLE:
            return self._sort_key(r, index.column())
        return r.extension

    def _texts(self, r: AgentRow) -> list[str]:
        now = self.clock()
        return [
            r.name, r.extension, self._states.get(r.state, r.state), r.reason or "",
            "" if r.state == "signed_out" else format_elapsed(now - r.since),
            "" if r.call_since is None else format_elapsed(now - r.call_since),
            r.call_queue, str(r.handled), format_elapsed(r.handle_seconds / r.handled) if r.handled else "",
        ]

    def _sort_key(self, r: AgentRow, c: int) -> Any:
        now = self.clock()
        if c == 4:
            return now - r.since
        if c == 5:
            return -1.0 if r.call_since is None else now - r.call_since
        if c == 7:
            return r.handled
        if c == 8:
            return r.handle_seconds / r.handled if r.handled else -1.0
        if r.text is None:
            r.text = self._texts(r)
        return r.text[c]


def sorted_view_model(model: WallboardModel) -> QSortFilterProxyModel:
    """A proxy that sorts the wallboard by ``SORT_ROLE`` when the lead clicks a column header.

    Rows are not re-sorted as states change: the lead's chosen row stays under the mouse (no click lands on the
    wrong agent), and a 200-agent board under an event storm is not re-sorted ten times a second."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setDynamicSortFilter(False)
    return proxy
