# SPDX-License-Identifier: AGPL-3.0-or-later
"""Selling a pass: the definition, the holder fields it switches on, the photo, the seat, the payment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import LANGUAGES, _, current_language
from boxoffice.model.passes import PassDefinition
from boxoffice.money import format_money
from boxoffice.services.pass_sales import PassSale
from boxoffice.services.passes import CIVILITIES, FIELD_LABELS, holder_fields_of
from boxoffice.services.sales import PAYMENT_METHODS


@dataclass(frozen=True)
class SeatChoice:
    """A seat the holder can have, as the seat list shows it."""

    id: str
    label: str


class SellPanel(QWidget):
    """Emits `sell_requested(PassSale)`; the page writes it and calls `show_sold`."""

    sell_requested = Signal(object)
    definition_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definitions: dict[str, PassDefinition] = {}
        self.photo: bytes | None = None
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.definition = QComboBox()
        self.definition.currentIndexChanged.connect(self._on_definition)
        self.price = QLabel()
        self.holder_form = QFormLayout()
        self.photo_preview = QLabel(_("No photo"))
        self.photo_preview.setFixedSize(120, 160)
        self.photo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_preview.setStyleSheet("border: 1px solid #999;")
        self.photo_file = QPushButton(_("Photo from a file…"))
        self.photo_camera = QPushButton(_("Take a photo"))
        self.seat = QComboBox()
        self.seat_label = QLabel(_("Seat"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.payment = QComboBox()
        for key, label in PAYMENT_METHODS.items():
            self.payment.addItem(_(label), key)
        self.sell_button = QPushButton(_("Sell pass"))
        self.sell_button.setDefault(True)
        self.sell_button.clicked.connect(self.request_sale)
        self.message = QLabel(wordWrap=True)
        self.link = QLabel(wordWrap=True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QPushButton(_("Print pass"))
        self.pdf_button = QPushButton(_("Save as PDF…"))
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(False)
        self._build()

    def _build(self) -> None:
        top = QFormLayout()
        top.addRow(_("Pass"), self.definition)
        top.addRow(_("Price"), self.price)
        photo = QVBoxLayout()
        photo.addWidget(self.photo_preview)
        photo.addWidget(self.photo_file)
        photo.addWidget(self.photo_camera)
        photo.addStretch(1)
        middle = QHBoxLayout()
        middle.addLayout(self.holder_form, 1)
        middle.addLayout(photo)
        bottom = QFormLayout()
        bottom.addRow(self.seat_label, self.seat)
        bottom.addRow(_("Language of the pass area"), self.language)
        bottom.addRow(_("Payment"), self.payment)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sell_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle)
        layout.addLayout(bottom)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.link)
        layout.addStretch(1)

    def set_definitions(self, definitions: list[PassDefinition]) -> None:
        current = self.definition.currentData()
        self.definitions = {d.id: d for d in definitions}
        self.definition.blockSignals(True)
        self.definition.clear()
        for definition in definitions:
            self.definition.addItem(definition.name, definition.id)
        self.definition.blockSignals(False)
        index = self.definition.findData(current)
        self.definition.setCurrentIndex(index if index >= 0 else 0)
        self._on_definition()

    def current_definition(self) -> PassDefinition | None:
        return self.definitions.get(str(self.definition.currentData()))

    def _on_definition(self, *_args: object) -> None:
        definition = self.current_definition()
        while self.holder_form.rowCount():
            self.holder_form.removeRow(0)
        self.inputs.clear()
        fields = holder_fields_of(definition) if definition is not None else []
        for field in fields:
            if field.name == "photo":
                continue
            widget = self._input_for(field.name)
            widget.setObjectName(f"holder_{field.name}")
            label = _(FIELD_LABELS[field.name]) + (" *" if field.required else "")
            self.holder_form.addRow(label, widget)
            self.inputs[field.name] = widget
        wants_photo = any(f.name == "photo" for f in fields)
        for photo_widget in (self.photo_preview, self.photo_file, self.photo_camera):
            photo_widget.setVisible(wants_photo)
        self.price.setText(format_money(definition.price_minor, definition.currency) if definition else "")
        fixed = bool(definition and definition.fixed_seats)
        self.seat.setVisible(fixed)
        self.seat_label.setVisible(fixed)
        self.set_photo(None)
        if definition is not None:
            self.definition_chosen.emit(definition.id)

    def _input_for(self, name: str) -> QLineEdit | QComboBox:
        if name == "civility":
            box = QComboBox()
            box.addItem("", "")
            for key, label in CIVILITIES.items():
                box.addItem(_(label), key)
            return box
        edit = QLineEdit()
        if name == "birth_date":
            edit.setPlaceholderText(_("YYYY-MM-DD"))
        return edit

    def set_seats(self, seats: list[SeatChoice]) -> None:
        self.seat.clear()
        for seat in seats:
            self.seat.addItem(seat.label, seat.id)

    def set_photo(self, photo: bytes | None) -> None:
        self.photo = photo
        if photo is None:
            self.photo_preview.setPixmap(QPixmap())
            self.photo_preview.setText(_("No photo"))
            return
        pixmap = QPixmap()
        pixmap.loadFromData(photo)
        self.photo_preview.setPixmap(pixmap.scaled(self.photo_preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                   Qt.TransformationMode.SmoothTransformation))

    def holder(self) -> dict[str, Any]:
        values: dict[str, Any] = {"language": self.language.currentData()}
        for name, widget in self.inputs.items():
            values[name] = widget.currentData() if isinstance(widget, QComboBox) else widget.text()
        return values

    def request_sale(self) -> None:
        definition = self.current_definition()
        if definition is None:
            self.message.setText(_("Create a pass first, on the Passes tab."))
            return
        seat = self.seat.currentData() if definition.fixed_seats else None
        self.sell_requested.emit(PassSale(definition.id, self.holder(), self.photo, seat,
                                          str(self.payment.currentData())))

    def clear_holder(self) -> None:
        for widget in self.inputs.values():
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(0)
            else:
                widget.clear()
        self.set_photo(None)
