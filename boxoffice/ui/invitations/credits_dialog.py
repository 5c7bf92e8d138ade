"""Add credits by hand (G10): how many and a note saying where they come from; no payment is taken."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from boxoffice.i18n import _


class AddCreditsDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add credits"))
        self.amount = QSpinBox()
        self.amount.setRange(1, 1_000_000)
        self.amount.setValue(100)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("e.g. invoice number"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Credits"), self.amount)
        form.addRow(_("Note"), self.note)
        form.addRow(buttons)
