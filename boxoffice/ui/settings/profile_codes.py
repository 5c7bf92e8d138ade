"""The organizer's profile codes (#13): list them, make one for a door or a desk, revoke one.

The codes live on the server, which keeps only their hash: a new code is shown here once, large
enough to read out, and never again. Every call goes to the server off the UI thread (ReadOp).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.devices import LocalDevice
from boxoffice.moments import format_moment
from boxoffice.services.door_lists import door_choices
from boxoffice.ui.ops import ReadOp
from boxoffice.ui.settings import profile_code_texts as texts
from boxoffice.ui.widgets.qr_image import qr_image
from sync.client import SyncClient

DATE_ID = Qt.ItemDataRole.UserRole
DEFAULT_HOURS, MAX_HOURS, MAX_USES = 24, 24 * 366, 10_000


def pairing_payload(server: str, code: str) -> str:
    """What a pairing QR carries (sync/server/organizers.pairing_qr; read back by the pairing dialog)."""
    return json.dumps({"v": 1, "url": server, "token": code}, separators=(",", ":"))


def spaced(code: str) -> str:
    """ABCD EFGH JKMN: read out in groups of four (the server ignores spaces and dashes)."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


class ProfileCodesDialog(QDialog):
    """`loaded(codes)` after each listing, `created(answer)`, `revoked(answer)`; `failed(message)` otherwise."""

    loaded = Signal(list)
    created = Signal(dict)
    revoked = Signal(dict)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None, client: SyncClient, timezone: str = "Europe/Zurich") -> None:
        super().__init__(parent)
        self.client, self.timezone = client, timezone
        self.codes: list[dict[str, Any]] = []
        self.date_names: dict[str, str] = {}
        self.server = ""
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle(_("Profile codes"))
        self.resize(1200, 660)
        intro = QLabel(_("A profile code enrolls doors or desks with their role and dates, until it expires or has "
                         "enrolled as many devices as it may. Revoke a code you no longer trust."))
        intro.setWordWrap(True)
        self.table = self._table()
        self.revoke_button = QPushButton(_("Revoke…"))
        self.revoke_button.clicked.connect(self.confirm_revoke)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self.load)
        actions = QHBoxLayout()
        actions.addWidget(self.revoke_button)
        actions.addWidget(self.refresh_button)
        actions.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self._form(), 3)
        row.addWidget(self._new_code_box(), 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addLayout(row)
        layout.addWidget(buttons)
        # Keyboard first: Delete revokes the selected code, F5 lists again, Ctrl+Enter makes a code.
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.confirm_revoke)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.load)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.make)
        self.table.setFocus()
        self._busy(_("Listing the profile codes…"))
        ReadOp(self, self._local).on_success(self._local_read).run()

    def _table(self) -> QTableWidget:
        table = QTableWidget(0, 7)
        table.setHorizontalHeaderLabels([_("Role"), _("Dates"), _("Made"), _("Expires"), _("Used"), _("State"),
                                         _("Devices it enrolled")])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        for column in range(6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        table.itemSelectionChanged.connect(self._update_buttons)
        return table

    def _form(self) -> QGroupBox:
        box = QGroupBox(_("New profile code"))
        self.role = QComboBox()
        for role in ("door", "desk", "organizer"):
            self.role.addItem(texts.role_label(role), role)
        self.dates = QListWidget()
        self.dates.setMaximumHeight(96)
        self.dates.setToolTip(_("Tick the dates its devices may hold; tick none for every date."))
        self.hours = QSpinBox()
        self.hours.setRange(1, MAX_HOURS)
        self.hours.setValue(DEFAULT_HOURS)
        self.uses = QSpinBox()
        self.uses.setRange(1, MAX_USES)
        self.make_button = QPushButton(_("Make the code"))
        self.make_button.clicked.connect(self.make)
        form = QFormLayout(box)
        form.addRow(_("Role"), self.role)
        form.addRow(_("Dates (none: every date)"), self.dates)
        form.addRow(_("Valid for (hours)"), self.hours)
        form.addRow(_("Devices it may enroll"), self.uses)
        form.addRow(self.make_button)
        return box

    def _new_code_box(self) -> QGroupBox:
        box = QGroupBox(_("The new code"))
        self.new_code = QLabel("—")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(24)
        font.setBold(True)
        self.new_code.setFont(font)
        self.new_code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                              | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.new_code_hint = QLabel(_("Made codes appear here once: the server keeps only a fingerprint of them."))
        self.new_code_hint.setWordWrap(True)
        self.copy_button = QPushButton(_("Copy the code"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_code)
        # A door or desk with a scanner pairs by scanning this from the screen (server and code at once).
        self.pairing_qr = QLabel()
        self.pairing_qr.setVisible(False)
        shown = QHBoxLayout()
        shown.addWidget(self.new_code, 1)
        shown.addWidget(self.pairing_qr)
        layout = QVBoxLayout(box)
        layout.addLayout(shown, 1)
        layout.addWidget(self.new_code_hint)
        layout.addWidget(self.copy_button)
        return box

    # -- listing -----------------------------------------------------------------------------
    def _local(self, session: Session) -> tuple[str, list[tuple[str, str]]]:
        device = session.get(LocalDevice, self.client.writer.device_id)
        dates = [(d.id, f"{format_moment(d.starts_at, self.timezone)} — {d.event_name}")
                 for d in door_choices(session).dates]
        return (device.server_url if device is not None else ""), dates

    def _local_read(self, found: tuple[str, list[tuple[str, str]]]) -> None:
        self.server, dates = found
        self.date_names = dict(dates)
        self.dates.clear()
        for date_id, label in dates:
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(DATE_ID, date_id)
            self.dates.addItem(item)
        self.load()

    def load(self) -> None:
        self._busy(_("Listing the profile codes…"))
        client = self.client
        ReadOp(self, lambda _s: client.profile_codes()).on_success(self._show).on_failure(self._failed).run()

    def _show(self, codes: list[dict[str, Any]]) -> None:
        self.codes = list(reversed(codes))  # the newest first
        self.table.setRowCount(len(self.codes))
        this_device = self.client.writer.device_id
        for row, profile in enumerate(self.codes):
            cells = (texts.role_label(profile["role"]), texts.dates_label(profile["dates"], self.date_names),
                     texts.moment(profile["created_at"], self.timezone),
                     texts.moment(profile["expires_at"], self.timezone), texts.uses_label(profile),
                     texts.status_label(profile), texts.devices_label(profile, this_device))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if profile["status"] != "active":
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, item)
        self._idle(_("No profile code yet: make one below.") if not codes else "")
        if codes and not self.table.selectedItems():
            self.table.selectRow(0)
        self.loaded.emit(self.codes)

    # -- making ------------------------------------------------------------------------------
    def chosen_dates(self) -> list[str]:
        return [str(self.dates.item(i).data(DATE_ID)) for i in range(self.dates.count())
                if self.dates.item(i).checkState() == Qt.CheckState.Checked]

    def make(self) -> None:
        if not self.make_button.isEnabled():
            return
        client, role, dates = self.client, str(self.role.currentData()), self.chosen_dates()
        hours, uses = self.hours.value(), self.uses.value()
        self._busy(_("Making the code…"))
        ReadOp(self, lambda _s: client.create_profile_code(role, dates, hours, uses)) \
            .on_success(self._made).on_failure(self._failed).run()

    def _made(self, answer: dict[str, Any]) -> None:
        profile = answer["profile"]
        self.new_code.setText(spaced(answer["code"]))
        if self.server:
            self.pairing_qr.setPixmap(QPixmap.fromImage(qr_image(pairing_payload(self.server, answer["code"]), 150)))
            self.pairing_qr.setToolTip(_("The pairing QR code: scanned into a device's pairing dialog, it fills in "
                                         "the server and the code."))
            self.pairing_qr.setVisible(True)
        self.new_code_hint.setText(_("{role} code for {dates}, valid until {when}. Read it out or copy it now: "
                                     "it is shown only this once.").format(
            role=texts.role_label(profile["role"]), dates=texts.dates_label(profile["dates"], self.date_names),
            when=texts.moment(profile["expires_at"], self.timezone)))
        self.copy_button.setEnabled(True)
        self.copy_button.setFocus()
        self.created.emit(answer)
        self.load()

    def copy_code(self) -> None:
        QApplication.clipboard().setText(self.new_code.text().replace(" ", ""))
        self.message.setText(_("The code is copied."))

    # -- revoking ----------------------------------------------------------------------------
    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.codes[rows[0].row()] if rows and rows[0].row() < len(self.codes) else None

    def confirm_revoke(self) -> None:
        profile = self.selected()
        if profile is None or profile["status"] == "revoked" or not self.revoke_button.isEnabled():
            return
        question = texts.revoke_question(profile, texts.dates_label(profile["dates"], self.date_names))
        box = QMessageBox(QMessageBox.Icon.Warning, _("Revoke the profile code"), question, parent=self)
        revoke = box.addButton(_("Revoke"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))  # destructive: never the default
        this_device = self.client.writer.device_id
        active = [texts.device_label(d, this_device) for d in profile["devices"] if not d["revoked"]]
        # Checked: an organizer revoking a code handed to a temp worker wants that worker's door out too.
        lock_out = QCheckBox(texts.lock_out_choice(active), box)
        lock_out.setChecked(True)
        if active:
            box.setCheckBox(lock_out)
        box.buttonClicked.connect(lambda button: self.revoke(profile["id"], bool(active) and lock_out.isChecked())
                                  if button is revoke else None)
        self.lock_out = lock_out
        self.confirmation = box
        box.open()

    def revoke(self, profile_id: str, lock_out: bool) -> None:
        client = self.client
        self._busy(_("Revoking the code…"))
        ReadOp(self, lambda _s: client.revoke_profile_code(profile_id, lock_out)) \
            .on_success(self._revoked).on_failure(self._failed).run()

    def _revoked(self, answer: dict[str, Any]) -> None:
        self.revoked.emit(answer)
        self.load()
        self.message.setText(texts.revoked_message(answer))

    # -- state -------------------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        for button in (self.revoke_button, self.refresh_button, self.make_button):
            button.setEnabled(False)
        self.message.setText(text)

    def _idle(self, text: str) -> None:
        self.refresh_button.setEnabled(True)
        self.make_button.setEnabled(True)
        self._update_buttons()
        if text or self.message.text() in (_("Listing the profile codes…"), _("Making the code…"),
                                           _("Revoking the code…")):
            self.message.setText(text)

    def _update_buttons(self) -> None:
        profile = self.selected()
        self.revoke_button.setEnabled(self.refresh_button.isEnabled() and profile is not None
                                      and profile["status"] != "revoked")

    def _failed(self, error: BaseException) -> None:
        self._idle("")
        self.message.setText(texts.problem(error, self.server or _("the server")))
        self.failed.emit(self.message.text())
