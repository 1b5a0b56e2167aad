"""Calls offered and answered per 15 minutes (bars) with the service level (line, right axis), in QtCharts."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from app.indicators import Interval


class IntervalChart(QChartView):
    """Plot a period's 15-minute intervals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IntervalChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.show_intervals([])

    def show_intervals(self, intervals: list[Interval]) -> None:
        chart = QChart()
        chart.setTitle(self.tr("Calls per 15 minutes"))
        offered, answered = QBarSet(self.tr("Offered")), QBarSet(self.tr("Answered"))
        sl = QLineSeries()
        sl.setName(self.tr("Service level (20 s), %"))
        sl.setPen(QPen(QColor("#c0392b"), 2))
        sl.setPointsVisible(True)
        cats: list[str] = []
        for k, i in enumerate(intervals):
            offered.append(i.offered)
            answered.append(i.answered)
            if i.service_level is not None:  # an interval nobody called in has no service level, not 0 %
                sl.append(k, 100.0 * i.service_level)
            cats.append(i.start.strftime("%H:%M"))
        bars = QBarSeries()
        bars.append(offered)
        bars.append(answered)
        chart.addSeries(bars)
        chart.addSeries(sl)
        x = QBarCategoryAxis()
        x.append(cats)
        x.setLabelsAngle(-90)
        y = QValueAxis()
        y.setRange(0, max([i.offered for i in intervals] + [4]))
        y.setLabelFormat("%d")
        pct = QValueAxis()
        pct.setRange(0, 100)
        pct.setLabelFormat("%d%%")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(pct, Qt.AlignmentFlag.AlignRight)
        bars.attachAxis(x)
        bars.attachAxis(y)
        sl.attachAxis(x)
        sl.attachAxis(pct)
        self.series = (offered, answered, sl)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
