"""The event editor: general settings on the event, then its dates, zones, rates and questions (T3–T7)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.money import format_money
from boxoffice.services.catalogue import DATE_STATUSES, EVENT_STATUSES, RATE_KINDS, VISIBILITIES, EventDetails

Change = tuple[str, dict[str, object]]


def _moment(edit: QDateTimeEdit) -> datetime:
    moment = edit.dateTime().toPython()
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC)


def _combo(choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for key, label in choices.items():
        combo.addItem(_(label), key)
    return combo


class EventEditor(QWidget):
    """Shows one event; each button emits `change_requested(action, values)` for the page to write."""

    change_requested = Signal(str, dict)
    duplicate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.name, self.location = QLineEdit(), QLineEdit()
        self.status, self.visibility = _combo(EVENT_STATUSES), _combo(VISIBILITIES)
        self.closes = QCheckBox(_("Sales close at"))
        self.close_at = QDateTimeEdit(QDateTime.currentDateTime(), calendarPopup=True)
        save = QPushButton(_("Save settings"))
        save.clicked.connect(self._save_settings)
        duplicate = QPushButton(_("Duplicate…"))
        duplicate.clicked.connect(self.duplicate_requested)
        general = QGroupBox(_("General settings"))
        form = QFormLayout(general)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Location"), self.location)
        form.addRow(_("Status"), self.status)
        form.addRow(_("Visibility"), self.visibility)
        form.addRow(self.closes, self.close_at)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(duplicate)
        form.addRow(buttons)
        self.dates, self.zones, self.rates, self.questions = QListWidget(), QListWidget(), QListWidget(), QListWidget()
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(general)
        lists = QHBoxLayout()
        lists.addWidget(self._dates_box())
        lists.addWidget(self._zones_box())
        column.addLayout(lists)
        more = QHBoxLayout()
        more.addWidget(self._rates_box())
        more.addWidget(self._questions_box())
        column.addLayout(more)
        self.details: EventDetails | None = None

    def _dates_box(self) -> QGroupBox:
        box = QGroupBox(_("Dates"))
        self.new_date = QDateTimeEdit(QDateTime.currentDateTime().addDays(7), calendarPopup=True)
        add = QPushButton(_("Add date"))
        add.clicked.connect(lambda: self.change_requested.emit("add_date", {"starts_at": _moment(self.new_date)}))
        column = QVBoxLayout(box)
        column.addWidget(self.dates)
        column.addWidget(self.new_date)
        column.addWidget(add)
        return box

    def _zones_box(self) -> QGroupBox:
        box = QGroupBox(_("Zones"))
        self.zone_name, self.zone_capacity = QLineEdit(placeholderText=_("Zone name")), QSpinBox(maximum=1_000_000)
        self.zone_capacity.setValue(100)
        self.zone_rows = QLineEdit(placeholderText=_("Seated: rows, e.g. A,B,C"))
        self.zone_seats = QSpinBox(maximum=500, prefix=_("seats per row: "))
        add = QPushButton(_("Add zone"))
        add.clicked.connect(lambda: self.change_requested.emit("add_zone", {
            "name": self.zone_name.text(), "capacity": self.zone_capacity.value(),
            "rows": [r for r in self.zone_rows.text().split(",") if r.strip()], "per_row": self.zone_seats.value()}))
        column = QVBoxLayout(box)
        column.addWidget(self.zones)
        for widget in (self.zone_name, self.zone_capacity, self.zone_rows, self.zone_seats, add):
            column.addWidget(widget)
        return box

    def _rates_box(self) -> QGroupBox:
        box = QGroupBox(_("Rates"))
        self.rate_name = QLineEdit(placeholderText=_("Rate name"))
        self.rate_price = QSpinBox(maximum=10**7, suffix=" ¢")  # minor units
        self.rate_kind = _combo(RATE_KINDS)
        self.rate_date, self.rate_zone = QComboBox(), QComboBox()
        add = QPushButton(_("Add rate"))
        add.clicked.connect(lambda: self.change_requested.emit("add_rate", {
            "name": self.rate_name.text(), "price_minor": self.rate_price.value(), "kind": self.rate_kind.currentData(),
            "date_id": self.rate_date.currentData(), "zone_id": self.rate_zone.currentData()}))
        column = QVBoxLayout(box)
        column.addWidget(self.rates)
        for widget in (self.rate_name, self.rate_price, self.rate_kind, self.rate_date, self.rate_zone, add):
            column.addWidget(widget)
        return box

    def _questions_box(self) -> QGroupBox:
        box = QGroupBox(_("Questions at order time"))
        self.question_label, self.question_required = QLineEdit(placeholderText=_("Question")), QCheckBox(_("Required"))
        add = QPushButton(_("Add question"))
        add.clicked.connect(lambda: self.change_requested.emit("add_question", {
            "label": self.question_label.text(), "required": self.question_required.isChecked()}))
        column = QVBoxLayout(box)
        for widget in (self.questions, self.question_label, self.question_required, add):
            column.addWidget(widget)
        return box

    def _save_settings(self) -> None:
        self.change_requested.emit("update_event", {
            "name": self.name.text(), "location": self.location.text(), "status": self.status.currentData(),
            "visibility": self.visibility.currentData(),
            "sales_close_at": _moment(self.close_at) if self.closes.isChecked() else None})

    def show_event(self, details: EventDetails) -> None:
        self.details = details
        event = details.event
        self.heading.setText(event.name)
        self.name.setText(event.name)
        self.location.setText(event.location)
        self.status.setCurrentIndex(max(0, self.status.findData(event.status)))
        self.visibility.setCurrentIndex(max(0, self.visibility.findData(event.visibility)))
        self.closes.setChecked(event.sales_close_at is not None)
        if event.sales_close_at is not None:
            self.close_at.setDateTime(QDateTime(event.sales_close_at.astimezone()))
        self._fill_lists(details)

    def _fill_lists(self, details: EventDetails) -> None:
        for widget in (self.dates, self.zones, self.rates, self.questions, self.rate_date, self.rate_zone):
            widget.clear()
        venue = ZoneInfo(details.box_office.timezone if details.box_office else "Europe/Zurich")
        for date in details.dates:
            close = (f" · {_('Sales close at')} {date.sales_close_at.astimezone(venue).strftime('%H:%M')}"
                     if date.sales_close_at else "")
            status = _(DATE_STATUSES.get(date.status, date.status))
            self.dates.addItem(date.starts_at.astimezone(venue).strftime("%d.%m.%Y %H:%M") + close + f" · {status}")
        for zone in details.zones:
            seats = len(details.seats.get(zone.id, []))
            self.zones.addItem(_("{zone}: {n} places").format(zone=zone.name, n=zone.capacity)
                               + (_(" ({n} numbered seats)").format(n=seats) if zone.seated else ""))
        names = {d.id: d.starts_at.astimezone(venue).strftime("%d.%m %H:%M") for d in details.dates}
        names.update({z.id: z.name for z in details.zones})
        for rate in details.rates:
            limits = ", ".join(names.get(i or "", "") for i in (rate.date_id, rate.zone_id) if i)
            price = format_money(rate.price_minor, rate.currency)
            self.rates.addItem(f"{rate.name} · {price} · {_(RATE_KINDS[rate.kind])}"
                               + (f" · {limits}" if limits else ""))
        for question in details.questions:
            self.questions.addItem(question.label + (" *" if question.required else ""))
        self.rate_date.addItem(_("every date"), None)
        self.rate_zone.addItem(_("every zone"), None)
        for date in details.dates:
            self.rate_date.addItem(names[date.id], date.id)
        for zone in details.zones:
            self.rate_zone.addItem(zone.name, zone.id)
