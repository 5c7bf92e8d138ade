"""Small forms of the Events page: a box office (name, time zone, currency) and a new event's name."""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.ui import theme

COMMON_CURRENCIES = ("CHF", "EUR", "GBP", "USD", "CAD", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY")


def timezone_box(current: str = "Europe/Zurich") -> QComboBox:
    """Every IANA time zone, typed with completion (“Zur” finds Europe/Zurich)."""
    box = QComboBox()
    box.setEditable(True)
    box.addItems(sorted(available_timezones()))
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(box.model(), box)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    box.setCompleter(completer)
    box.setCurrentText(current)
    return box


def currency_box(current: str = "CHF") -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(list(COMMON_CURRENCIES))
    box.setCurrentText(current)
    return box


class BoxOfficeDialog(QDialog):
    """New or existing box office; `submitted(values)` with name, timezone and currency on OK."""

    submitted = Signal(dict)

    def __init__(self, parent: QWidget | None = None, name: str = "", timezone: str = "Europe/Zurich",
                 currency: str = "CHF", box_office_id: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Box office") if box_office_id else _("New box office"))
        self.box_office_id = box_office_id
        self.name = QLineEdit(name, placeholderText=_("e.g. Season 2026/27"))
        self.timezone = timezone_box(timezone)
        self.currency = currency_box(currency)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')};")
        form = QFormLayout()
        form.addRow(_("&Name"), self.name)
        form.addRow(_("&Time zone"), self.timezone)
        form.addRow(_("&Currency"), self.currency)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(QLabel(_("A box office holds a season's or an edition's events; prices are in its "
                                  "currency and times in its time zone."), wordWrap=True))
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(buttons)

    def _submit(self) -> None:
        self.submitted.emit({"id": self.box_office_id, "name": self.name.text(),
                             "timezone": self.timezone.currentText().strip(),
                             "currency": self.currency.currentText().strip().upper()})

    def refused(self, reason: str) -> None:
        self.problem.setText(reason)


class NewEventDialog(QDialog):
    """A new event's name in a chosen box office; `submitted(values)` on OK."""

    submitted = Signal(dict)

    def __init__(self, offices: list[tuple[str, str]], chosen: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New event"))
        self.name = QLineEdit(placeholderText=_("e.g. New Year's concert"))
        self.office = QComboBox()
        for office_id, name in offices:
            self.office.addItem(name, office_id)
        self.office.setCurrentIndex(max(0, self.office.findData(chosen)))
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')};")
        form = QFormLayout()
        form.addRow(_("&Name"), self.name)
        form.addRow(_("&Box office"), self.office)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(lambda: self.submitted.emit({"name": self.name.text(),
                                                              "box_office_id": self.office.currentData()}))
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(QLabel(_("Then add its dates, zones and rates, and set its status to “published” to "
                                  "sell it at the desk."), wordWrap=True))
        column.addWidget(self.problem)
        column.addWidget(buttons)

    def refused(self, reason: str) -> None:
        self.problem.setText(reason)
