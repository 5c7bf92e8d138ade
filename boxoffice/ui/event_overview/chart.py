"""Bar charts of tickets sold and revenue per rate (Qt Charts), side by side, in the interface's numbers.

The bars lie on their side so that each rate's name is read in full on the left, with its figure
written as the interface's language writes it (Babel: "1’234", "CHF 19’620.00", "19 620,00 CHF");
the value axis is labelled the same way at round steps ("CHF 20K", "20 k CHF"), never "19620" from
a printf format. The first rate is on top, as in the table beside; a name too long for the chart
is elided by Qt Charts, and hovering its bar shows the whole line.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from babel.numbers import format_compact_currency, format_decimal
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QToolTip, QWidget

from boxoffice.i18n import _, current_language
from boxoffice.money import digits, format_money, money_locale
from boxoffice.services.event_overview import RateSales

TICKS = 4  # steps along the value axis, about


def nice_steps(largest: float, whole: bool) -> list[float]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least `largest`, about TICKS of them."""
    raw = max(largest, 1.0 if whole else 0.01) / TICKS
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, round(step))
    count = max(1, math.ceil(largest / step - 1e-9))
    return [i * step for i in range(count + 1)]


def count_text(value: float) -> str:
    """A count as the interface's language writes it: "1,234" (en), "1 234" (fr), "1.234" (de)."""
    return str(format_decimal(round(value), locale=current_language()))


def step_money(major: float, currency: str) -> str:
    """A step of the money axis, short: "CHF 20K" (en), "20 k CHF" (fr), "CHF 1.5M"."""
    locale = money_locale(currency, current_language())
    return str(format_compact_currency(major, currency, locale=locale, fraction_digits=1))


class BarChart(QChartView):
    """One bar per rate; `bars` holds the values shown, in the rates' order."""

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)
        self.colour = colour
        self.bars = QBarSet("")
        self.named: list[str] = []  # "rate · figure", the rates' order
        self.setChart(QChart())

    def show_values(self, title: str, names: list[str], values: list[float], text: Callable[[float], str],
                    step_text: Callable[[float], str], whole: bool) -> None:
        """Bars for `values`, each named "name · figure" with `text` writing the figure, `step_text` the axis'."""
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setVisible(False)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        # A horizontal series draws its first category at the bottom: given last rate first, the first is on top.
        self.bars = QBarSet(title)
        self.bars.setColor(QColor(self.colour))
        self.bars.append(values[::-1])
        series = QHorizontalBarSeries()
        series.append(self.bars)
        chart.addSeries(series)
        self.named = [f"{name} · {text(value)}" for name, value in zip(names, values, strict=True)]
        categories = QBarCategoryAxis()
        categories.append(self.named[::-1])  # a name too long for the chart is elided: hovering its bar shows it
        series.hovered.connect(lambda over, index, _set: self._hover(over, len(names) - 1 - index))
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        steps = nice_steps(max(values, default=0.0), whole)
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis.setRange(0, steps[-1])
        axis.setStartValue(0)
        for step in steps:
            axis.append(step_text(step), step)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        self.setChart(chart)

    def _hover(self, over: bool, row: int) -> None:
        if over and 0 <= row < len(self.named):
            QToolTip.showText(QCursor.pos(), self.named[row], self)
        else:
            QToolTip.hideText()

    def values(self) -> list[float]:
        """The bars' values in the rates' order (the first rate's on top)."""
        return [self.bars.at(i) for i in reversed(range(self.bars.count()))]

    def labels(self) -> list[str]:
        """What the axes say, top to bottom: the rates with their figures, then the value axis' steps."""
        names, steps = self.chart().axes(Qt.Orientation.Vertical), self.chart().axes(Qt.Orientation.Horizontal)
        return [*names[0].categories()[::-1], *steps[0].categoriesLabels()]  # type: ignore[attr-defined]


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
        self.tickets.show_values(_("Tickets sold per rate"), names, [float(r.sold) for r in rates], count_text,
                                 count_text, whole=True)
        # Minor units to major for the bars; each figure is written back from minor units, as money is.
        scale = 10 ** digits(currency)
        self.revenue.show_values(_("Revenue per rate ({currency})").format(currency=currency), names,
                                 [float(r.revenue_minor) / scale for r in rates],
                                 lambda major: format_money(round(major * scale), currency, current_language()),
                                 lambda major: step_money(major, currency), whole=False)
