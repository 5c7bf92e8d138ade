"""Pair this copy with a sync server (S4): the code typed, or the pairing QR scanned into the field."""

from __future__ import annotations

import json
import socket
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from boxoffice.i18n import _
from boxoffice.ui.changes import ChangeSet
from boxoffice.ui.ops import WriteOp
from boxoffice.ui.settings.pairing_errors import pairing_problem, server_address
from sync.client import SyncClient


class PairingDialog(QDialog):
    """`paired(answer)` on success; `failed(message)` with the reason in plain words otherwise."""

    paired = Signal(dict)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None, client: SyncClient) -> None:
        super().__init__(parent)
        self.client = client
        self.setWindowTitle(_("Pair with a server"))
        self.setMinimumWidth(560)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://boxoffice.example.ch")
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("organizer or profile code — or scan the pairing QR code"))
        self.code.textChanged.connect(self.on_code_changed)
        self.email = QLineEdit()
        self.email.setPlaceholderText(_("or log in with your account's email"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox()
        for label, role in ((_("Set by the code"), None), (_("Organizer"), "organizer"), (_("Desk"), "desk"),
                            (_("Door"), "door")):
            self.role.addItem(label, role)
        self.name = QLineEdit(socket.gethostname())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.pair_button = self.buttons.addButton(_("Pair"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.pair)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Server"), self.server)
        form.addRow(_("Code"), self.code)
        form.addRow(_("Email"), self.email)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Role"), self.role)
        form.addRow(_("This device's name"), self.name)
        form.addRow(self.message)
        form.addRow(self.buttons)

    def on_code_changed(self, text: str) -> None:
        """A scanned pairing QR carries the server address too: fill it in."""
        if not text.strip().startswith("{"):
            return
        try:
            data = json.loads(text)
        except ValueError:
            return
        if isinstance(data, dict) and isinstance(data.get("url"), str):
            self.server.setText(data["url"])

    def pair(self) -> None:
        server, code, name, role = server_address(self.server.text()), self.code.text().strip(), \
            self.name.text().strip(), self.role.currentData()
        email, password = self.email.text().strip(), self.password.text()
        if not server or not (code or (email and password)):
            self.message.setText(_("Enter the server address and the code, or your email and password."))
            return
        self.pair_button.setEnabled(False)
        self.message.setText(_("Pairing…"))
        WriteOp(self, lambda _w, _p: self.client.enroll(server, code or None, name or "boxoffice", role,
                                                        email=email or None, password=password or None),
                ChangeSet.of("device")).on_success(self._done) \
            .on_failure(lambda error: self._failed(error, server)).run()

    def _done(self, answer: dict[str, Any]) -> None:
        self.message.setText(_("Paired with {organizer} as a {role} device.").format(
            organizer=answer["organizer_name"], role=answer["role"]))
        self.paired.emit(answer)
        self.accept()

    def _failed(self, exc: BaseException, server: str) -> None:
        self.pair_button.setEnabled(True)
        self.message.setText(pairing_problem(exc, server))
        self.adjustSize()  # the reason is a sentence or two: show it whole
        self.failed.emit(self.message.text())
