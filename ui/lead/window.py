"""The lead's window: queue tiles, the team wallboard with the lead's actions, alerts, and the indicators."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.alerts import AlertDidAcknowledge, AlertDidRaise
from app.lead import AgentCallDidConnect, TeamMember
from cti.events import QueueDidUpdate, SpyDidStart, SpyDidStop, TeamMemberDidUpdate
from ui.bridge import QtEventBridge
from ui.lead.alertspanel import AlertsPanel
from ui.lead.indicators import IndicatorsPanel
from ui.lead.reassign import ReassignDialog
from ui.lead.tiles import QueueTiles
from ui.lead.wallboard import EXTENSION_ROLE, WallboardModel, sorted_view_model
from ui.ops import Operations


class LeadWindow(QMainWindow):
    """Compose the lead's panels and route the lead's requests to the lead desk service (app.lead.LeadDesk)."""

    closing = Signal()

    def __init__(self, *, lead: Any, bridge: QtEventBridge, reasons: Sequence[str]) -> None:
        super().__init__()
        self.setObjectName("LeadWindow")
        self.setWindowTitle(self.tr("csdesk · team lead"))
        self.lead = lead
        self.notice = QLabel("", objectName="LeadNotice")
        self.notice.setWordWrap(True)
        self.ops = Operations(notify_error=self.notice.setText)
        self.model = WallboardModel(parent=self)
        self.proxy = sorted_view_model(self.model)
        self.table = QTableView(objectName="Wallboard")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setDefaultSectionSize(92)
        self.table.setColumnWidth(3, 150)  # reason, with the forcing lead
        self.tiles = QueueTiles()
        self.alerts = AlertsPanel(acknowledge=self.acknowledge)
        self.indicators = IndicatorsPanel()
        self.spy_label = QLabel("", objectName="SpyStatus")
        self.buttons = {
            "listen": QPushButton(self.tr("Listen"), objectName="Listen"),
            "whisper": QPushButton(self.tr("Whisper"), objectName="Whisper"),
            "barge": QPushButton(self.tr("Barge"), objectName="Barge"),
            "stop": QPushButton(self.tr("Stop"), objectName="StopSpy"),
            "sign_out": QPushButton(self.tr("Sign agent out"), objectName="SignAgentOut"),
            "reassign": QPushButton(self.tr("Reassign work…"), objectName="Reassign"),
        }
        self.not_ready_button = QToolButton(objectName="ForceNotReady")
        self.not_ready_button.setText(self.tr("Force not ready"))
        self.not_ready_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        for reason in reasons:
            menu.addAction(reason).triggered.connect(lambda _=False, r=reason: self.force_not_ready(r))
        self.not_ready_button.setMenu(menu)
        for mode in ("listen", "whisper", "barge"):
            self.buttons[mode].clicked.connect(lambda _=False, m=mode: self.spy(m))
        self.buttons["stop"].clicked.connect(self.stop_spy)
        self.buttons["sign_out"].clicked.connect(lambda: self.sign_out_agent(confirm=True))
        self.buttons["reassign"].clicked.connect(self.reassign)
        self.indicators.period_requested.connect(self.show_period)
        self.indicators.export_requested.connect(self.export)
        self._layout()
        bridge.on(TeamMemberDidUpdate, lambda e: self.model.member_did_update(e.agent_id, e.state, e.reason, e.since))
        bridge.on(AgentCallDidConnect, lambda e: self.model.call_did_connect(e.agent_id, e.queue))
        bridge.on(QueueDidUpdate, self.tiles.queue_did_update)
        bridge.on(AlertDidRaise, lambda e: self._alert(e.alert))
        bridge.on(AlertDidAcknowledge, lambda e: self._alert(e.alert))
        bridge.on(SpyDidStart, lambda e: self.spy_label.setText(
            self.tr("%1 on %2").replace("%1", self._mode_text(e.mode)).replace("%2", e.agent_extension)))
        bridge.on(SpyDidStop, lambda e: self.spy_label.setText(""))
        self._alerts_tick = self.startTimer(1000)

    def _layout(self) -> None:
        actions = QHBoxLayout()
        for key in ("listen", "whisper", "barge", "stop"):
            actions.addWidget(self.buttons[key])
        actions.addWidget(self.spy_label)
        actions.addStretch(1)
        actions.addWidget(self.not_ready_button)
        actions.addWidget(self.buttons["sign_out"])
        actions.addWidget(self.buttons["reassign"])
        team = QWidget()
        col = QVBoxLayout(team)
        col.addWidget(self.tiles)
        split = QSplitter()
        left = QWidget()
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        lcol.addWidget(self.table, 1)
        lcol.addLayout(actions)
        split.addWidget(left)
        split.addWidget(self.alerts)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([960, 380])
        col.addWidget(split, 1)
        self.tabs = QTabWidget(objectName="LeadTabs")
        self.tabs.addTab(team, self.tr("Team"))
        self.tabs.addTab(self.indicators, self.tr("Indicators"))
        root = QWidget()
        rcol = QVBoxLayout(root)
        rcol.addWidget(self.tabs, 1)
        rcol.addWidget(self.notice)
        self.setCentralWidget(root)

    def _mode_text(self, mode: str) -> str:
        return {"listen": self.tr("Listening"), "whisper": self.tr("Whispering"), "barge": self.tr("Barged in")}.get(
            mode, mode)

    # --- start -------------------------------------------------------------------------------------------------------

    def show_team(self, members: list[TeamMember]) -> None:
        """Fill the wallboard with the team and the states the team view already has."""
        self.model.set_team((m.agent_id, m.name, m.handled_today, m.handle_seconds_today) for m in members)
        for view in list(self.lead.supervisor.team.agents.values()):
            self.model.member_did_update(view.extension, view.state, view.reason, view.since)
        for q in list(self.lead.supervisor.team.queues.values()):
            self.tiles.queue_did_update(QueueDidUpdate(queue=q.queue, waiting=q.waiting, longest_wait=q.longest_wait(
                time.monotonic()), answered=q.answered, abandoned=q.abandoned, service_level=q.service_level))
        self.indicators.request_today()

    # --- the lead's actions ------------------------------------------------------------------------------------------

    def selected_extension(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(EXTENSION_ROLE)) if rows else None

    def select_extension(self, ext: str) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(EXTENSION_ROLE) == ext:
                self.table.selectRow(r)
                return

    def _agent_or_say(self) -> str | None:
        ext = self.selected_extension()
        if ext is None:
            self.notice.setText(self.tr("Choose an agent in the wallboard first."))
        return ext

    def spy(self, mode: str) -> None:
        if (ext := self._agent_or_say()) is not None:
            self.ops.run(self._mode_text(mode), self.lead.spy(ext, mode))

    def stop_spy(self) -> None:
        self.ops.run(self.tr("Stop"), self.lead.stop_spy())

    def force_not_ready(self, reason: str) -> None:
        if (ext := self._agent_or_say()) is not None:
            self.ops.run(self.tr("Force not ready"), self.lead.force_not_ready(ext, reason),
                         on_ok=lambda _: self.notice.setText(self.tr("%1 set not ready.").replace("%1", ext)))

    def sign_out_agent(self, *, confirm: bool) -> None:
        ext = self._agent_or_say()
        if ext is None:
            return
        if confirm and QMessageBox.question(self, self.tr("Sign agent out"), self.tr(
                "Sign agent %1 out of every queue?").replace("%1", ext)) != QMessageBox.StandardButton.Yes:
            return
        self.ops.run(self.tr("Sign agent out"), self.lead.force_sign_out(ext),
                     on_ok=lambda _: self.notice.setText(self.tr("%1 signed out.").replace("%1", ext)))

    def reassign(self) -> None:
        """Open the reassign dialog on the open work items (non-blocking; the choice runs when accepted)."""
        self.ops.run(self.tr("Reassign work…"), self.lead.open_work(), on_ok=self._show_reassign)

    def _show_reassign(self, items: list[Any]) -> None:
        self.reassign_dialog = ReassignDialog(items, self)
        self.reassign_dialog.accepted.connect(self._reassign_chosen)
        self.reassign_dialog.open()

    def _reassign_chosen(self) -> None:
        choice = self.reassign_dialog.choice()
        if choice is not None:
            self.ops.run(self.tr("Reassign work…"), self.lead.reassign(*choice),
                         on_ok=lambda _: self.notice.setText(self.tr("Reassigned.")))

    def acknowledge(self, alert_id: int) -> None:
        self.ops.run(self.tr("Acknowledge"), self.lead.acknowledge(alert_id))

    def show_period(self, since: datetime, until: datetime) -> None:
        self.ops.run(self.tr("Indicators"), self.lead.figures(since, until), on_ok=self.indicators.show_figures)

    def export(self, path: Path) -> None:
        if self.indicators.figures is not None:
            self.ops.run(self.tr("Export"), self.lead.export(self.indicators.figures, path),
                         on_ok=lambda paths: self.notice.setText(
                             self.tr("Exported: %1").replace("%1", ", ".join(p.name for p in paths))))

    # --- events ------------------------------------------------------------------------------------------------------

    def _alert(self, alert: Any) -> None:
        self.alerts.alert_did_change(alert)
        if alert.agent_id is not None:
            self.model.set_alert(alert.agent_id, self.lead.alerts.is_active(alert.agent_id))

    def timerEvent(self, event: Any) -> None:
        if event.timerId() == self._alerts_tick:
            self.lead.alerts.check()
        else:
            super().timerEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
