"""Appendix A indicators for today or a chosen period: each value with its definition as a tooltip, the
15-minute plot, and CSV/XLSX export of the figures and the per-agent table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.indicators import PeriodFigures, Ratio
from ui.lead.chart import IntervalChart
from ui.lead.tiles import percent


class IndicatorsPanel(QWidget):
    """Show one period's figures; ask for a period with ``period_requested(since, until)`` (naive UTC)."""

    period_requested = Signal(object, object)
    export_requested = Signal(object)  # a Path: .csv or .xlsx

    def __init__(self, *, now: Callable[[], datetime] = lambda: datetime.now(UTC).replace(tzinfo=None),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IndicatorsPanel")
        self.now = now
        self.figures: PeriodFigures | None = None
        self.definitions = {
            "answer_rate": (self.tr("Answer rate"), self.tr(
                "服务接通率: contacts answered after entering the human queue ÷ contacts that entered it "
                "(from the PBX's queue log; callers who hung up before reaching an agent count as entered).")),
            "utilisation": (self.tr("CSR utilisation"), self.tr(
                "利用率: (productive time + ready time) ÷ paid working time, from the agents' state history. "
                "Productive: ringing, talking, on hold, consulting, conference and wrap-up; ready: waiting for a "
                "call; paid working time: signed-in time.")),
            "satisfaction": (self.tr("Customer satisfaction"), self.tr(
                "(very satisfied + satisfied) ÷ valid ratings: survey scores 3 and 4 over scores 1–4. "
                "Callers who did not answer the survey are not valid ratings.")),
            "fcr": (self.tr("First-contact resolution"), self.tr(
                "Contacts resolved at the first contact ÷ all contacts, from the wrap-ups.")),
            "cooling_off": (self.tr("Cooling-off callback success"), self.tr(
                "犹豫期内回访成功率: successful callbacks of new policies ÷ callbacks due in the period.")),
            "abandoned": (self.tr("Abandoned calls"), self.tr(
                "Callers who hung up while waiting in the queue, before reaching an agent (PBX queue log).")),
        }
        grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for i, (key, (name, definition)) in enumerate(self.definitions.items()):
            label = QLabel(name)
            value = QLabel("—", objectName=f"Indicator_{key}")
            for w in (label, value):
                w.setToolTip(definition)
            grid.addWidget(label, i // 3, (i % 3) * 2)
            grid.addWidget(value, i // 3, (i % 3) * 2 + 1)
            self.values[key] = value
        self.today_button = QPushButton(self.tr("Today"), objectName="IndicatorsToday")
        self.since_edit = QDateTimeEdit(objectName="IndicatorsSince")
        self.until_edit = QDateTimeEdit(objectName="IndicatorsUntil")
        for e in (self.since_edit, self.until_edit):
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
            e.setTimeZone(QTimeZone.utc())
        self.period_button = QPushButton(self.tr("Show period"), objectName="IndicatorsPeriod")
        self.csv_button = QPushButton(self.tr("Export CSV…"), objectName="ExportCsv")
        self.xlsx_button = QPushButton(self.tr("Export XLSX…"), objectName="ExportXlsx")
        self.period_label = QLabel("", objectName="IndicatorsPeriodLabel")
        bar = QHBoxLayout()
        for w in (self.today_button, QLabel(self.tr("From (UTC)")), self.since_edit, QLabel(self.tr("to")),
                  self.until_edit, self.period_button, self.csv_button, self.xlsx_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.chart = IntervalChart()
        col = QVBoxLayout(self)
        col.addLayout(bar)
        col.addWidget(self.period_label)
        col.addLayout(grid)
        col.addWidget(self.chart, 1)
        self.today_button.clicked.connect(self.request_today)
        self.period_button.clicked.connect(self._request_period)
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        start = self.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.since_edit.setDateTime(_qdt(start))
        self.until_edit.setDateTime(_qdt(start + timedelta(days=1)))

    def request_today(self) -> None:
        start = self.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.period_requested.emit(start, start + timedelta(days=1))

    def _request_period(self) -> None:
        since, until = _py(self.since_edit.dateTime()), _py(self.until_edit.dateTime())
        if until > since:
            self.period_requested.emit(since, until)

    def show_figures(self, p: PeriodFigures) -> None:
        self.figures = p

        def ratio(r: Ratio) -> str:
            return f"{percent(r.value)}  ({r.numerator:g}/{r.denominator:g})"

        self.values["answer_rate"].setText(ratio(p.answer_rate))
        self.values["utilisation"].setText(ratio(p.utilisation))
        self.values["satisfaction"].setText(ratio(p.satisfaction))
        self.values["fcr"].setText(ratio(p.first_contact_resolution))
        self.values["cooling_off"].setText(ratio(p.cooling_off_success))
        self.values["abandoned"].setText(str(p.abandoned))
        self.period_label.setText(f"{p.since:%Y-%m-%d %H:%M} – {p.until:%Y-%m-%d %H:%M} UTC")
        self.chart.show_intervals(p.intervals)

    def _ask_export(self, kind: str) -> None:
        if self.figures is None:
            return
        name = f"indicators-{self.figures.since:%Y%m%d%H%M}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export indicators"), name,
                                              "CSV (*.csv)" if kind == "csv" else "Excel (*.xlsx)")
        if path:
            self.export_requested.emit(Path(path))


def _qdt(d: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(d.replace(tzinfo=UTC).timestamp()), QTimeZone.utc())


def _py(q: QDateTime) -> datetime:
    return datetime.fromtimestamp(q.toSecsSinceEpoch(), UTC).replace(tzinfo=None)
