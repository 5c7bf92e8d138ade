"""Add or edit one contact: email, names and the list's custom fields."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from boxoffice.i18n import _
from boxoffice.services.email_addresses import is_valid_email
from boxoffice.ui import theme


class ContactDialog(QDialog):
    """Collects the values; the page runs the write. OK stays disabled until the email is valid."""

    def __init__(self, parent: QWidget | None, custom_fields: list[str], email: str = "", first_name: str = "",
                 last_name: str = "", fields: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Edit contact") if email else _("Add contact"))
        form = QFormLayout(self)
        self.email = QLineEdit(email)
        self.first_name = QLineEdit(first_name)
        self.last_name = QLineEdit(last_name)
        form.addRow(_("Email"), self.email)
        form.addRow(_("First name"), self.first_name)
        form.addRow(_("Last name"), self.last_name)
        self.custom: dict[str, QLineEdit] = {}
        for name in custom_fields:
            self.custom[name] = QLineEdit((fields or {}).get(name, ""))
            form.addRow(name, self.custom[name])
        self.new_field_name = QLineEdit()
        self.new_field_name.setPlaceholderText(_("new field name (optional)"))
        self.new_field_value = QLineEdit()
        form.addRow(self.new_field_name, self.new_field_value)
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')}")
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.email.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        text = self.email.text().strip()
        ok = is_valid_email(text)
        self.problem.setText("" if ok or not text else _("“{email}” is not a valid email address.").format(email=text))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> tuple[str, str, str, dict[str, str]]:
        fields = {name: edit.text().strip() for name, edit in self.custom.items()}
        if self.new_field_name.text().strip():
            fields[self.new_field_name.text().strip()] = self.new_field_value.text().strip()
        return self.email.text(), self.first_name.text(), self.last_name.text(), fields
