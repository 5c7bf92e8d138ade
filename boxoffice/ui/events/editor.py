"""The event editor: general settings on the event, then its dates, zones, rates and questions (T3–T7)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.services.catalogue import EVENT_STATUSES, VISIBILITIES, EventDetails
from boxoffice.ui import theme
from boxoffice.ui.events.item_boxes import DatesBox, QuestionsBox, RatesBox, ZonesBox, combo
from boxoffice.ui.widgets.columns import Columns
from boxoffice.ui.widgets.venue_time import VenueDateTimeEdit

Change = tuple[str, dict[str, object]]


class EventEditor(QWidget):
    """Shows one event; each button emits `change_requested(action, values)` for the page to write."""

    change_requested = Signal(str, dict)
    duplicate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        theme.set_role(self.heading, theme.SECTION)
        self.name, self.location = QLineEdit(), QLineEdit()
        self.status, self.visibility = combo(EVENT_STATUSES), combo(VISIBILITIES)
        self.closes = QCheckBox(_("Sales close at"))
        self.close_at = VenueDateTimeEdit()
        self.date_box, self.zone_box, self.rate_box, self.question_box = DatesBox(), ZonesBox(), RatesBox(), \
            QuestionsBox()
        # The lists stay reachable under their old names (tests and the page read them).
        self.dates, self.zones = self.date_box.list, self.zone_box.list
        self.rates, self.questions = self.rate_box.list, self.question_box.list
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self._general_box())
        boxes = (self.date_box, self.zone_box, self.rate_box, self.question_box)
        for box in boxes:
            box.change_requested.connect(self.change_requested)
        column.addWidget(Columns(boxes), 1)  # two by two where the page is wide enough
        self.details: EventDetails | None = None

    def _general_box(self) -> QGroupBox:
        general = QGroupBox(_("General settings"))
        form = QFormLayout(general)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Location"), self.location)
        form.addRow(_("Status"), self.status)
        form.addRow(_("Visibility"), self.visibility)
        form.addRow(self.closes, self.close_at)
        save = QPushButton(_("Save settings"))
        save.clicked.connect(self._save_settings)
        duplicate = QPushButton(_("Duplicate…"))
        duplicate.clicked.connect(self.duplicate_requested)
        delete = QPushButton(_("Delete event…"))
        delete.clicked.connect(self._delete_event)
        buttons = QHBoxLayout()
        for button in (save, duplicate, delete):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow(buttons)
        return general

    def _save_settings(self) -> None:
        self.change_requested.emit("update_event", {
            "name": self.name.text(), "location": self.location.text(), "status": self.status.currentData(),
            "visibility": self.visibility.currentData(),
            "sales_close_at": self.close_at.moment() if self.closes.isChecked() else None})

    def _delete_event(self) -> None:
        if self.details is not None:
            self.change_requested.emit("remove", {"entity": "events", "id": self.details.event.id,
                                                  "label": self.details.event.name})

    def show_event(self, details: EventDetails) -> None:
        self.details = details
        event = details.event
        timezone = details.box_office.timezone if details.box_office else "Europe/Zurich"
        self.heading.setText(event.name)
        self.name.setText(event.name)
        self.location.setText(event.location)
        self.status.setCurrentIndex(max(0, self.status.findData(event.status)))
        self.visibility.setCurrentIndex(max(0, self.visibility.findData(event.visibility)))
        self.closes.setChecked(event.sales_close_at is not None)
        self.close_at.set_timezone(timezone)
        if event.sales_close_at is not None:
            self.close_at.set_moment(event.sales_close_at)
        self.date_box.show_rows(details.dates, details)
        self.zone_box.show_rows(details.zones, details)
        self.rate_box.show_rows(details.rates, details)
        self.question_box.show_rows(details.questions, details)
