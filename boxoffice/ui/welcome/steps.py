"""The steps of the guided venue set-up: box office, event, dates, zones, rates, each checked as it is left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, ngettext
from boxoffice.moments import format_moment
from boxoffice.money import format_money
from boxoffice.services import venue_setup
from boxoffice.services.catalogue import RATE_KINDS
from boxoffice.services.venue_setup import RatePlan, ZonePlan
from boxoffice.ui import theme
from boxoffice.ui.events.item_boxes import combo
from boxoffice.ui.events.office_dialogs import currency_box, timezone_box
from boxoffice.ui.widgets.venue_time import VenueDateTimeEdit


class Step(QWidget):
    """One page of the flow. `check()` raises CatalogueError (or MoneyError) with what is missing.

    `advance_requested` asks the flow for the next step (Enter in a field with nothing left to add)."""

    advance_requested = Signal()
    title = ""
    explanation = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addLayout(self.form)

    def check(self) -> None:
        """Nothing to check unless the step says otherwise."""

    def first_field(self) -> QWidget:
        return self

    def _line(self, placeholder: str = "", text: str = "") -> QLineEdit:
        field = QLineEdit(text, placeholderText=placeholder)
        field.returnPressed.connect(self.on_return)
        return field

    def on_return(self) -> None:
        self.advance_requested.emit()


class OfficeStep(Step):
    title = _("Your venue")
    explanation = _("A box office holds a season's or a festival's events. Its prices are in its currency and "
                    "its times in its time zone.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = self._line(_("e.g. Théâtre du Léman — Season 2026/27"))
        self.timezone = timezone_box("Europe/Zurich")
        self.currency = currency_box("CHF")
        self.form.addRow(_("&Name of the box office"), self.name)
        self.form.addRow(_("&Time zone"), self.timezone)
        self.form.addRow(_("&Currency"), self.currency)

    def check(self) -> None:
        venue_setup.check_office(self.name.text(), self.timezone.currentText(), self.currency.currentText())

    def first_field(self) -> QWidget:
        return self.name

    def chosen(self) -> tuple[str, str, str]:
        return venue_setup.check_office(self.name.text(), self.timezone.currentText(), self.currency.currentText())


class EventStep(Step):
    title = _("First event")
    explanation = _("The show, concert or festival you sell tickets for. It is published, so the desk can sell "
                    "it as soon as the set-up is done; you can change it later on the Events page.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = self._line(_("e.g. New Year's concert"))
        self.location = self._line(_("e.g. Main hall, Lausanne"))
        self.form.addRow(_("&Name of the event"), self.name)
        self.form.addRow(_("&Location"), self.location)

    def check(self) -> None:
        venue_setup.check_event(self.name.text())

    def first_field(self) -> QWidget:
        return self.name


class ListStep(Step):
    """A form, an “Add” button (Enter in a field adds), the list of what was added and “Remove” (Delete)."""

    def __init__(self, add_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []
        self.add_button = QPushButton(add_label)
        self.add_button.setAutoDefault(True)
        self.add_button.clicked.connect(self.add)
        self.list = QListWidget()
        self.list.setMinimumHeight(120)
        self.remove_button = QPushButton(_("&Remove from the list"))
        self.remove_button.clicked.connect(self.remove_current)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')};")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        self.column.addLayout(buttons)
        self.column.addWidget(self.problem)
        self.column.addWidget(self.list, 1)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Delete and self.list.hasFocus():
            self.remove_current()
            return
        super().keyPressEvent(event)

    def on_return(self) -> None:
        if self.items and not self.typed():
            self.advance_requested.emit()
        else:
            self.add()

    def typed(self) -> bool:
        """Whether something is typed in the form (Enter then adds it rather than going on)."""
        return True

    def add(self) -> None:
        try:
            item = self.make_item()
        except ValueError as error:
            self.problem.setText(str(error))
            return
        self.problem.clear()
        self.items.append(item)
        self.list.addItem(self.describe(item))
        self.list.setCurrentRow(self.list.count() - 1)
        self.clear_form()
        self.first_field().setFocus()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            del self.items[row]
            self.list.takeItem(row)

    def make_item(self) -> Any:
        raise TypeError("a list step makes its own items")

    def describe(self, item: Any) -> str:
        return str(item)

    def clear_form(self) -> None:
        """Empty the fields for the next item."""


class DatesStep(ListStep):
    title = _("Dates")
    explanation = _("When the event takes place, in the venue's time. Add one date per performance.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("&Add this date"), parent)
        self.starts = VenueDateTimeEdit()
        self.starts.setMinimumWidth(220)
        self.starts.lineEdit().returnPressed.connect(self.on_return)
        self.form.addRow(_("&Starts"), self.starts)

    def set_timezone(self, timezone: str) -> None:
        self.starts.set_timezone(timezone)
        self.list.clear()
        for moment in self.items:
            self.list.addItem(self.describe(moment))

    def typed(self) -> bool:
        return self.starts.moment() not in self.items  # Enter on a date already added goes on

    def make_item(self) -> datetime:
        moment = self.starts.moment()
        if moment in self.items:
            raise ValueError(_("This date is already in the list."))
        return moment

    def describe(self, item: datetime) -> str:
        return format_moment(item, self.starts.timezone)

    def first_field(self) -> QWidget:
        return self.starts

    def check(self) -> None:
        if not self.items:
            raise ValueError(_("Add at least one date."))


class ZonesStep(ListStep):
    title = _("Zones")
    explanation = _("Where people sit or stand. A zone has a number of places, or rows of numbered seats "
                    "(rows “A-J” and 20 seats per row make 200 seats).")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("&Add this zone"), parent)
        self.name = self._line(_("e.g. Stalls"))
        self.capacity = QSpinBox(minimum=0, maximum=1_000_000, value=100)
        self.rows = self._line(_("leave empty for standing or unnumbered places; e.g. A-J"))
        self.per_row = QSpinBox(minimum=0, maximum=500)
        for spin in (self.capacity, self.per_row):
            spin.lineEdit().returnPressed.connect(self.on_return)
        self.form.addRow(_("&Name of the zone"), self.name)
        self.form.addRow(_("&Places"), self.capacity)
        self.form.addRow(_("Numbered seats: ro&ws"), self.rows)
        self.form.addRow(_("S&eats per row"), self.per_row)

    def typed(self) -> bool:
        return bool(self.name.text().strip())

    def make_item(self) -> ZonePlan:
        return venue_setup.check_zone(self.name.text(), self.capacity.value(), self.rows.text(),
                                      self.per_row.value())

    def describe(self, item: ZonePlan) -> str:
        if item.rows:
            seats = ngettext("{n} numbered seat", "{n} numbered seats", item.places).format(n=item.places)
            rows = ngettext("{n} row", "{n} rows", len(item.rows)).format(n=len(item.rows))
            return f"{item.name}: {seats} ({rows})"
        return ngettext("{zone}: {n} place", "{zone}: {n} places", item.places).format(zone=item.name, n=item.places)

    def clear_form(self) -> None:
        self.name.clear()
        self.rows.clear()

    def first_field(self) -> QWidget:
        return self.name

    def check(self) -> None:
        if not self.items:
            raise ValueError(_("Add at least one zone."))


class RatesStep(ListStep):
    title = _("Rates")
    explanation = _("What a ticket costs. Type prices as you write them: 25, 25.50, 25,50 or CHF 25.–.")

    def __init__(self, currency: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(_("&Add this rate"), parent)
        self.currency = currency
        self.name = self._line(_("e.g. Full price"))
        self.price = self._line(_("e.g. 25 or 25.50"))
        self.kind = combo(RATE_KINDS)
        self.price_label = QLabel(_("&Price"))
        self.price_label.setBuddy(self.price)
        self.form.addRow(_("&Name of the rate"), self.name)
        self.form.addRow(self.price_label, self.price)
        self.form.addRow(_("&Kind"), self.kind)

    def showEvent(self, event: Any) -> None:
        self.price_label.setText(_("&Price ({currency})").format(currency=self.currency()))
        super().showEvent(event)

    def typed(self) -> bool:
        return bool(self.name.text().strip() or self.price.text().strip())

    def make_item(self) -> RatePlan:
        return venue_setup.check_rate(self.name.text(), self.price.text(), self.kind.currentData(), self.currency())

    def describe(self, item: RatePlan) -> str:
        return f"{item.name} · {format_money(item.price_minor, self.currency())} · {_(RATE_KINDS[item.kind])}"

    def clear_form(self) -> None:
        self.name.clear()
        self.price.clear()
        self.kind.setCurrentIndex(0)

    def first_field(self) -> QWidget:
        return self.name

    def check(self) -> None:
        if not self.items:
            raise ValueError(_("Add at least one rate."))
