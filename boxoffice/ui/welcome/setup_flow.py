"""The guided venue set-up: one step at a time, Back and Next, and a summary that creates everything at once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from boxoffice.i18n import _
from boxoffice.moments import format_moment
from boxoffice.money import format_money
from boxoffice.services.venue_setup import VenuePlan
from boxoffice.ui import theme
from boxoffice.ui.welcome.steps import DatesStep, EventStep, OfficeStep, RatesStep, Step, ZonesStep


class SummaryStep(Step):
    title = _("Ready to sell")
    explanation = _("Check what will be created. Everything can be changed later on the Events page.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(wordWrap=True)
        self.text.setStyleSheet("font-size: 12pt;")
        self.column.addWidget(self.text)
        self.column.addStretch(1)

    def show_plan(self, plan: VenuePlan) -> None:
        lines = [
            _("Box office: {name} ({timezone}, {currency})").format(
                name=plan.office_name, timezone=plan.timezone, currency=plan.currency),
            _("Event: {name}").format(name=plan.event_name) + (f" — {plan.location}" if plan.location else ""),
            _("Dates: {dates}").format(dates=", ".join(format_moment(d, plan.timezone) for d in sorted(plan.dates))),
            _("Zones: {zones}").format(zones=", ".join(f"{z.name} ({z.places})" for z in plan.zones)),
            _("Rates: {rates}").format(rates=", ".join(
                f"{r.name} {format_money(r.price_minor, plan.currency)}" for r in plan.rates)),
        ]
        self.text.setText("\n\n".join(lines))


class VenueSetupFlow(QWidget):
    """`plan_ready(VenuePlan)` when the last step's button is pressed; `cancelled` on “Back to the start”."""

    plan_ready = Signal(object)
    cancelled = Signal()
    step_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.event_step, self.dates = OfficeStep(), EventStep(), DatesStep()
        self.zones, self.rates = ZonesStep(), RatesStep(self.currency)
        self.summary = SummaryStep()
        self.steps: list[Step] = [self.office, self.event_step, self.dates, self.zones, self.rates, self.summary]
        self.stack = QStackedWidget()
        for step in self.steps:
            step.advance_requested.connect(self.next)
            self.stack.addWidget(step)
        self.heading = QLabel()
        theme.set_role(self.heading, theme.SECTION)
        self.explanation = QLabel(wordWrap=True)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')}; font-weight: bold;")
        self._lay_out()
        QShortcut(QKeySequence("Ctrl+Return"), self, self.next)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.next)
        self.show_step(0)

    def _lay_out(self) -> None:
        self.back_button = QPushButton(_("← &Back"))
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(_("&Next → (Ctrl+Enter)"))
        self.next_button.setAutoDefault(True)
        self.next_button.clicked.connect(self.next)
        self.create_button = QPushButton(_("&Create and open the desk"))
        self.create_button.setAutoDefault(True)
        self.create_button.setMinimumHeight(36)
        self.create_button.clicked.connect(self.next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.create_button)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.explanation)
        column.addWidget(self.stack, 1)
        column.addWidget(self.problem)
        column.addLayout(buttons)

    def currency(self) -> str:
        return self.office.currency.currentText().strip().upper() or "CHF"

    def current(self) -> int:
        return self.stack.currentIndex()

    def show_step(self, index: int) -> None:
        step = self.steps[index]
        self.stack.setCurrentIndex(index)
        self.heading.setText(_("Step {n} of {count}: {title}").format(n=index + 1, count=len(self.steps),
                                                                      title=_(step.title)))
        self.explanation.setText(_(step.explanation))
        self.problem.clear()
        last = index == len(self.steps) - 1
        self.next_button.setVisible(not last)
        self.create_button.setVisible(last)
        self.back_button.setText(_("← &Back") if index else _("← Back to the &start"))
        if step is self.summary:
            self.summary.show_plan(self.plan())
            self.create_button.setFocus()
        else:
            step.first_field().setFocus()
        self.step_shown.emit(index)

    def back(self) -> None:
        if self.current() == 0:
            self.cancelled.emit()
        else:
            self.show_step(self.current() - 1)

    def next(self) -> None:
        step = self.steps[self.current()]
        try:
            step.check()
        except ValueError as error:  # CatalogueError and MoneyError say what is missing
            self.problem.setText(str(error))
            return
        if step is self.office:
            self.dates.set_timezone(self.office.chosen()[1])
        if step is self.summary:
            self.plan_ready.emit(self.plan())
            return
        self.show_step(self.current() + 1)

    def refused(self, reason: str) -> None:
        self.problem.setText(reason)

    def plan(self) -> VenuePlan:
        name, timezone, currency = self.office.chosen()
        return VenuePlan(name, timezone, currency, self.event_step.name.text().strip(),
                         self.event_step.location.text().strip(), tuple(self.dates.items), tuple(self.zones.items),
                         tuple(self.rates.items))
