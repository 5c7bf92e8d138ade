"""The event editor's four lists (dates, zones with seats, rates, questions): pick a row to edit or delete it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, ngettext
from boxoffice.model.events import EventDate, Question, Rate, Zone
from boxoffice.moments import format_moment, format_time
from boxoffice.money import format_amount, format_money
from boxoffice.services.catalogue import DATE_STATUSES, QUESTION_KINDS, RATE_KINDS, EventDetails
from boxoffice.ui.widgets.venue_time import VenueDateTimeEdit


def combo(choices: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for key, label in choices.items():
        box.addItem(_(label), key)
    return box


def _pick(box: QComboBox, value: object) -> None:
    box.setCurrentIndex(max(0, box.findData(value)))


class ItemBox(QGroupBox):
    """A list of one kind of item, a form under it, and Add / Save changes / Delete… buttons.

    Picking a row fills the form; the buttons emit `change_requested(action, values)`.
    """

    change_requested = Signal(str, dict)

    def __init__(self, entity: str, title: str, add_label: str, describe: Callable[[Any], str],
                 fill: Callable[[Any], None], values: Callable[[], dict[str, Any]],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.entity, self.describe, self.fill, self.values = entity, describe, fill, values
        self.list = QListWidget()
        self.list.setMinimumHeight(70)
        self.list.currentRowChanged.connect(self._on_row)
        self.form = QFormLayout()
        self.add_button = QPushButton(add_label)
        self.add_button.clicked.connect(lambda: self.change_requested.emit(f"add_{self.entity}", self.values()))
        self.save_button = QPushButton(_("Save"))
        self.save_button.clicked.connect(self._save)
        self.delete_button = QPushButton(_("Delete…"))
        self.delete_button.clicked.connect(self._delete)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.list, 1)
        column.addLayout(self.form)
        column.addLayout(buttons)
        self.rows: list[Any] = []
        self.details: EventDetails | None = None
        self._on_row(-1)

    def show_rows(self, rows: list[Any], details: EventDetails) -> None:
        chosen = self.current_id()
        self.details, self.rows = details, rows
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(self.describe(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        again = next((i for i, row in enumerate(rows) if row.id == chosen), -1)
        self.list.setCurrentRow(again)
        self._on_row(again)

    def current(self) -> Any:
        row = self.list.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def current_id(self) -> str | None:
        row = self.current()
        return row.id if row is not None else None

    def _on_row(self, _row: int) -> None:
        row = self.current()
        self.save_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)
        if row is not None:
            self.fill(row)

    def _save(self) -> None:
        row = self.current()
        if row is not None:
            self.change_requested.emit(f"update_{self.entity}", {"id": row.id, **self.values()})

    def _delete(self) -> None:
        row = self.current()
        if row is not None:
            self.change_requested.emit("remove", {"entity": self.table, "id": row.id, "label": self.describe(row)})

    @property
    def table(self) -> str:
        return {"date": "event_dates", "zone": "zones", "rate": "rates", "question": "questions"}[self.entity]

    def timezone(self) -> str:
        office = self.details.box_office if self.details else None
        return office.timezone if office else "Europe/Zurich"



class DatesBox(ItemBox):

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("date", _("Dates"), _("Add date"), self.describe_row, self.fill_row, self.form_values, parent)
        self.starts = VenueDateTimeEdit()
        self.status = combo(DATE_STATUSES)
        self.form.addRow(_("Starts"), self.starts)
        self.form.addRow(_("Status"), self.status)

    def show_rows(self, rows: list[Any], details: EventDetails) -> None:
        zone = details.box_office.timezone if details.box_office else "Europe/Zurich"
        if zone != self.starts.timezone:
            self.starts.set_timezone(zone)
        super().show_rows(rows, details)

    def describe_row(self, row: EventDate) -> str:
        close = (f" · {_('Sales close at')} {format_time(row.sales_close_at, self.timezone())}"
                 if row.sales_close_at else "")
        return f"{format_moment(row.starts_at, self.timezone())}{close} · {_(DATE_STATUSES.get(row.status, ''))}"

    def fill_row(self, row: EventDate) -> None:
        self.starts.set_moment(row.starts_at)
        _pick(self.status, row.status)

    def form_values(self) -> dict[str, Any]:
        return {"starts_at": self.starts.moment(), "status": self.status.currentData()}


class ZonesBox(ItemBox):
    seat_delete_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("zone", _("Zones"), _("Add zone"), self.describe_row, self.fill_row, self.form_values, parent)
        self.name, self.capacity = QLineEdit(placeholderText=_("Zone name")), QSpinBox(maximum=1_000_000)
        self.capacity.setValue(100)
        self.rows_text = QLineEdit(placeholderText=_("Seated: rows, e.g. A,B,C"))
        self.per_row = QSpinBox(maximum=500)
        self.seats = QComboBox()
        self.delete_seat = QPushButton(_("Delete seat…"))
        self.delete_seat.clicked.connect(self._delete_seat)
        seat_row = QHBoxLayout()
        seat_row.addWidget(self.seats, 1)
        seat_row.addWidget(self.delete_seat)
        self.form.addRow(_("Name"), self.name)
        self.form.addRow(_("Places"), self.capacity)
        self.form.addRow(_("Rows"), self.rows_text)
        self.form.addRow(_("Seats per row"), self.per_row)
        self.form.addRow(_("Seats"), seat_row)

    def describe_row(self, row: Zone) -> str:
        seats = len(self.details.seats.get(row.id, [])) if self.details else 0
        return (ngettext("{zone}: {n} place", "{zone}: {n} places", row.capacity).format(zone=row.name, n=row.capacity)
                + (" (" + ngettext("{n} numbered seat", "{n} numbered seats", seats).format(n=seats) + ")"
                   if row.seated else ""))

    def fill_row(self, row: Zone) -> None:
        self.name.setText(row.name)
        self.capacity.setValue(row.capacity)
        self.seats.clear()
        for seat in self.details.seats.get(row.id, []) if self.details else []:
            self.seats.addItem(f"{seat.row}-{seat.number}", seat.id)
        self.delete_seat.setEnabled(self.seats.count() > 0)

    def _on_row(self, row: int) -> None:
        super()._on_row(row)
        if self.current() is None and hasattr(self, "seats"):
            self.seats.clear()
            self.delete_seat.setEnabled(False)

    def _delete_seat(self) -> None:
        if self.seats.currentData():
            self.change_requested.emit("remove", {"entity": "seats", "id": self.seats.currentData(),
                                                  "label": self.seats.currentText()})

    def form_values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "capacity": self.capacity.value(),
                "rows": [r.strip() for r in self.rows_text.text().split(",") if r.strip()],
                "per_row": self.per_row.value()}


class RatesBox(ItemBox):

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("rate", _("Rates"), _("Add rate"), self.describe_row, self.fill_row, self.form_values, parent)
        self.name = QLineEdit(placeholderText=_("Rate name"))
        self.price = QLineEdit(placeholderText=_("e.g. 25 or 25.50"))
        self.kind = combo(RATE_KINDS)
        self.date, self.zone = QComboBox(), QComboBox()
        self.visible = QCheckBox(_("Sold at the desk"))
        self.visible.setChecked(True)
        self.form.addRow(_("Name"), self.name)
        self.price_label = QLabel(_("Price"))
        self.form.addRow(self.price_label, self.price)
        self.form.addRow(_("Kind"), self.kind)
        self.form.addRow(_("Only for"), self.date)
        self.form.addRow("", self.zone)
        self.form.addRow("", self.visible)

    def show_rows(self, rows: list[Any], details: EventDetails) -> None:
        currency = details.box_office.currency if details.box_office else "CHF"
        self.price_label.setText(_("Price ({currency})").format(currency=currency))
        for box, label, items in ((self.date, _("every date"), [(format_moment(d.starts_at, self._zone(details)),
                                                                d.id) for d in details.dates]),
                                  (self.zone, _("every zone"), [(z.name, z.id) for z in details.zones])):
            box.clear()
            box.addItem(label, None)
            for text, key in items:
                box.addItem(text, key)
        super().show_rows(rows, details)

    @staticmethod
    def _zone(details: EventDetails) -> str:
        return details.box_office.timezone if details.box_office else "Europe/Zurich"

    def describe_row(self, row: Rate) -> str:
        names = {d.id: format_moment(d.starts_at, self.timezone(), year=False) for d in self.details.dates} \
            if self.details else {}
        names.update({z.id: z.name for z in self.details.zones} if self.details else {})
        limits = ", ".join(names.get(i or "", "") for i in (row.date_id, row.zone_id) if i)
        hidden = "" if row.visible else f" · {_('hidden')}"
        return (f"{row.name} · {format_money(row.price_minor, row.currency)} · {_(RATE_KINDS[row.kind])}"
                + (f" · {limits}" if limits else "") + hidden)

    def fill_row(self, row: Rate) -> None:
        self.name.setText(row.name)
        self.price.setText(format_amount(row.price_minor, row.currency))
        _pick(self.kind, row.kind)
        _pick(self.date, row.date_id)
        _pick(self.zone, row.zone_id)
        self.visible.setChecked(row.visible)

    def form_values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "price": self.price.text(), "kind": self.kind.currentData(),
                "date_id": self.date.currentData(), "zone_id": self.zone.currentData(),
                "visible": self.visible.isChecked()}


class QuestionsBox(ItemBox):

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("question", _("Questions at order time"), _("Add question"), self.describe_row,
                         self.fill_row, self.form_values, parent)
        self.label = QLineEdit(placeholderText=_("Question"))
        self.kind = combo(QUESTION_KINDS)
        self.options = QLineEdit(placeholderText=_("Choices, separated by commas"))
        self.required = QCheckBox(_("Required"))
        self.form.addRow(_("Question"), self.label)
        self.form.addRow(_("Kind"), self.kind)
        self.form.addRow(_("Choices"), self.options)
        self.form.addRow("", self.required)

    def describe_row(self, row: Question) -> str:
        return row.label + (" *" if row.required else "") + f" · {_(QUESTION_KINDS.get(row.kind, ''))}"

    def fill_row(self, row: Question) -> None:
        self.label.setText(row.label)
        _pick(self.kind, row.kind)
        self.options.setText(", ".join(row.options))
        self.required.setChecked(row.required)

    def form_values(self) -> dict[str, Any]:
        return {"label": self.label.text(), "kind": self.kind.currentData(), "required": self.required.isChecked(),
                "options": [o.strip() for o in self.options.text().split(",") if o.strip()]}
