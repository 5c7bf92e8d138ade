# SPDX-License-Identifier: AGPL-3.0-or-later
"""The pass editor (P1, P2, P5): name, events, support, price, fixed seats, holder fields and the resale campaign."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
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

from boxoffice.i18n import _
from boxoffice.model.events import Event
from boxoffice.model.passes import HOLDER_FIELDS, PassDefinition
from boxoffice.money import format_amount
from boxoffice.services.passes import FIELD_LABELS, PAYOUT_KINDS, SUPPORTS, holder_fields_of
from boxoffice.ui import theme
from boxoffice.ui.widgets.columns import Columns


class FieldToggles(QWidget):
    """One row per holder field: switched on, and required when selling."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(_("Field")), 0, 0)
        grid.addWidget(QLabel(_("Asked")), 0, 1)
        grid.addWidget(QLabel(_("Required")), 0, 2)
        self.asked: dict[str, QCheckBox] = {}
        self.required: dict[str, QCheckBox] = {}
        for row, name in enumerate(HOLDER_FIELDS, start=1):
            asked, required = QCheckBox(), QCheckBox()
            asked.setObjectName(f"asked_{name}")
            required.setObjectName(f"required_{name}")
            asked.toggled.connect(required.setEnabled)
            asked.toggled.connect(lambda on, box=required: box.setChecked(box.isChecked() and on))
            required.setEnabled(False)
            grid.addWidget(QLabel(_(FIELD_LABELS[name])), row, 0)
            grid.addWidget(asked, row, 1)
            grid.addWidget(required, row, 2)
            self.asked[name], self.required[name] = asked, required

    def set_fields(self, definition: PassDefinition | None) -> None:
        fields = {f.name: f for f in holder_fields_of(definition)} if definition is not None else {}
        for name in HOLDER_FIELDS:
            self.asked[name].setChecked(name in fields)
            self.required[name].setChecked(name in fields and fields[name].required)

    def fields(self) -> list[tuple[str, bool]]:
        return [(name, self.required[name].isChecked()) for name in HOLDER_FIELDS if self.asked[name].isChecked()]


class CampaignBox(QGroupBox):
    """P5: the resale campaign of a fixed-seat pass."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Resale of seats"), parent)
        self.setCheckable(True)
        self.setChecked(False)
        self.percentage = QSpinBox(minimum=0, maximum=100, value=80, suffix=" %")
        self.kinds = {kind: QCheckBox(_(label)) for kind, label in PAYOUT_KINDS.items()}
        self.donation_to = QLineEdit(placeholderText=_("Association receiving donations"))
        form = QFormLayout(self)
        form.addRow(_("Refunded to the holder"), self.percentage)
        kinds = QVBoxLayout()  # one under another: side by side they widened the window past 1366 px in German
        for box in self.kinds.values():
            kinds.addWidget(box)
        form.addRow(_("Payout"), kinds)
        form.addRow(_("Donations to"), self.donation_to)

    def set_campaign(self, campaign: dict[str, Any]) -> None:
        self.setChecked(bool(campaign.get("active")))
        self.percentage.setValue(int(campaign.get("percentage", 80)))
        for kind, box in self.kinds.items():
            box.setChecked(kind in campaign.get("payout_kinds", ["transfer"]))
        self.donation_to.setText(str(campaign.get("donation_to", "")))

    def values(self) -> dict[str, Any]:
        return {"active": self.isChecked(), "percentage": self.percentage.value(),
                "payout_kinds": [k for k, box in self.kinds.items() if box.isChecked()],
                "donation_to": self.donation_to.text()}


class PassEditor(QWidget):
    """Edits one definition; `save_requested(definition_id or "", values)` asks the page to write it,
    `delete_requested(definition_id, name)` to delete it (the page asks first), `archive_requested(definition_id,
    archived)` to stop or resume selling it."""

    save_requested = Signal(str, dict)
    delete_requested = Signal(str, str)
    archive_requested = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definition_id = ""
        self.heading = QLabel(_("New pass"))
        theme.set_role(self.heading, theme.SECTION)
        self.name = QLineEdit(placeholderText=_("e.g. Season pass 2026/27"))
        self.support = QComboBox()
        for key, label in SUPPORTS.items():
            self.support.addItem(_(label), key)
        self.price = QLineEdit(placeholderText=_("e.g. 240 or 240.50"))
        self.price_label = QLabel(_("Price"))
        self.fixed_seats = QCheckBox(_("Fixed numbered seats"))
        self.events = QListWidget()
        self.events.setMaximumHeight(140)
        self.fields = FieldToggles()
        self.campaign = CampaignBox()
        self.fixed_seats.toggled.connect(self.campaign.setEnabled)
        self.campaign.setEnabled(False)
        self.save_button = QPushButton(_("Save pass"))
        self.save_button.clicked.connect(self.request_save)
        self.delete_button = QPushButton(_("Delete pass…"))
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.definition_id, self.name.text()))
        self.archived: bool = False
        self.archive_button = QPushButton(_("Archive: stop selling"))
        self.archive_button.clicked.connect(lambda: self.archive_requested.emit(self.definition_id, not self.archived))
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Support"), self.support)
        form.addRow(self.price_label, self.price)
        form.addRow("", self.fixed_seats)
        form.addRow(_("Events it admits"), self.events)
        holder = QGroupBox(_("Holder fields"))
        QVBoxLayout(holder).addWidget(self.fields)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        # Side by side where the page is wide enough (not at 125 % in German)
        layout.addWidget(Columns((holder, self.campaign), align=Qt.AlignmentFlag.AlignTop))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def set_events(self, events: list[Event]) -> None:
        self.events.clear()
        for event in events:
            item = QListWidgetItem(event.name)
            item.setData(Qt.ItemDataRole.UserRole, event.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.events.addItem(item)

    def show_definition(self, definition: PassDefinition | None) -> None:
        """Fill the editor from a definition, or empty for a new one."""
        self.definition_id = definition.id if definition is not None else ""
        self.heading.setText(definition.name if definition is not None else _("New pass"))
        self.name.setText(definition.name if definition is not None else "")
        self.support.setCurrentIndex(max(0, self.support.findData(definition.support if definition else "card")))
        # A new pass takes the currency of the box office of the first event it admits to.
        self.price_label.setText(_("Price ({currency})").format(currency=definition.currency) if definition
                                 else _("Price"))
        self.price.setText(format_amount(definition.price_minor, definition.currency) if definition else "")
        self.delete_button.setEnabled(definition is not None)
        self.archived = bool(definition is not None and definition.archived_at)
        self.archive_button.setEnabled(definition is not None)
        self.archive_button.setText(_("Restore: sell it again") if self.archived else _("Archive: stop selling"))
        self.fixed_seats.setChecked(bool(definition and definition.fixed_seats))
        chosen = set(definition.event_ids) if definition is not None else set()
        for i in range(self.events.count()):
            item = self.events.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen
                               else Qt.CheckState.Unchecked)
        self.fields.set_fields(definition)
        if definition is None:
            self.fields.set_fields(None)
            for name, required in (("last_name", True), ("first_name", True)):
                self.fields.asked[name].setChecked(True)
                self.fields.required[name].setChecked(required)
        self.campaign.set_campaign(dict(definition.resale or {}) if definition is not None else {})

    def values(self) -> dict[str, Any]:
        events = [str(self.events.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.events.count())
                  if self.events.item(i).checkState() == Qt.CheckState.Checked]
        return {"name": self.name.text(), "support": self.support.currentData(),
                "price": self.price.text(), "fixed_seats": self.fixed_seats.isChecked(),
                "event_ids": events, "holder_fields": self.fields.fields(), "campaign": self.campaign.values()}

    def request_save(self) -> None:
        self.save_requested.emit(self.definition_id, self.values())
