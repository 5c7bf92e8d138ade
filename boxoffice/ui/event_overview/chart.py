"""Bar charts of tickets sold and revenue per rate (Qt Charts), side by side."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QWidget

from boxoffice.i18n import _
from boxoffice.money import digits
from boxoffice.services.event_overview import RateSales


class BarChart(QChartView):
    """One bar per rate; `bars` holds the values shown, in the rates' order."""

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)
        self.colour = colour
        self.bars = QBarSet("")
        self.setChart(QChart())

    def show_values(self, title: str, names: list[str], values: list[float], label_format: str) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setVisible(False)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.bars = QBarSet(title)
        self.bars.setColor(QColor(self.colour))
        self.bars.append(values)
        series = QBarSeries()
        series.append(self.bars)
        series.setLabelsVisible(True)
        series.setLabelsFormat(label_format)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(names)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        axis = QValueAxis()
        axis.setRange(0, max([*values, 1.0]) * 1.15)  # room above the tallest bar for its label
        axis.setLabelFormat("%.0f")
        axis.applyNiceNumbers()
        chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis)
        self.setChart(chart)

    def values(self) -> list[float]:
        return [self.bars.at(i) for i in range(self.bars.count())]


class RateCharts(QWidget):
    """Tickets sold per rate on the left, revenue per rate (in the event's currency) on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tickets = BarChart("#1565c0")
        self.revenue = BarChart("#2e7d32")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.tickets)
        row.addWidget(self.revenue)

    def show_rates(self, rates: list[RateSales], currency: str) -> None:
        names = [rate.name for rate in rates]
        self.tickets.show_values(_("Tickets sold per rate"), names, [float(r.sold) for r in rates], "@value")
        # Minor units to major for the axis; the exact amounts are in the table and the reports.
        self.revenue.show_values(_("Revenue per rate ({currency})").format(currency=currency), names,
                                 [float(r.revenue_minor) / 10 ** digits(currency) for r in rates], "@value")
