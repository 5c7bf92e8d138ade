"""The Settings page: where the data lives, which language the app speaks, the sync server and its codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget
from sqlalchemy.orm import Session

from boxoffice import settings
from boxoffice.i18n import LANGUAGES, _
from boxoffice.model.devices import LocalDevice
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.help_menu import log_and_about_row
from boxoffice.ui.ops import ReadOp
from boxoffice.ui.settings.pairing import PairingDialog
from boxoffice.ui.settings.profile_codes import ProfileCodesDialog
from sync.client import SyncClient


class SettingsPage(QWidget):
    title = _("Settings")
    icon_name = "settings"
    purpose = _("How this computer works: its language, where it keeps its data, and its sync server.")

    def __init__(self, data_dir: Path, current: settings.Settings, client: SyncClient | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.data_dir = data_dir
        self.current = current
        self.path_label = QLabel(str(data_dir))
        self.path_label.setTextInteractionFlags(self.path_label.textInteractionFlags().TextSelectableByMouse)
        change = QPushButton(_("Change…"))
        change.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.path_label, 1)
        row.addWidget(change)
        self.language = QComboBox()
        self.language.addItem(_("System language"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.language.currentIndexChanged.connect(self.save_language)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(_("Data directory"), row)
        form.addRow(_("Language"), self.language)
        # Only an organizer device makes and revokes profile codes: the server refuses the others too.
        self.profile_codes_button = QPushButton(_("Profile codes for doors and desks…"))
        self.profile_codes_button.clicked.connect(self.open_profile_codes)
        self.profile_codes_button.setVisible(False)
        if client is not None:
            pair = QPushButton(_("Pair with a server…"))
            pair.clicked.connect(self.open_pairing)
            server_row = QHBoxLayout()
            server_row.addWidget(pair)
            server_row.addWidget(self.profile_codes_button)
            server_row.addStretch(1)
            form.addRow(_("Sync server"), server_row)
            changes.applied.connect(self.on_changes_applied)
        form.addRow(_("Log files"), log_and_about_row(self))
        form.addRow(self.notice)

    def open_pairing(self) -> None:
        assert self.client is not None
        dialog = PairingDialog(self, self.client)
        dialog.paired.connect(lambda answer: self.notice.setText(_("Paired with {organizer}.").format(
            organizer=answer["organizer_name"])))
        dialog.open()
        self.pairing = dialog

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.check_role()

    def on_changes_applied(self, changed: ChangeSet, _initiator: object) -> None:
        if changed.touches("device"):
            self.check_role()

    def check_role(self) -> None:
        """Show the profile codes only on a copy paired as an organizer device."""
        if self.client is None:
            return
        device_id = self.client.writer.device_id

        def organizer(session: Session) -> bool:
            device = session.get(LocalDevice, device_id)
            return device is not None and bool(device.server_url) and device.enrolled_at is not None \
                and device.role == "organizer"

        ReadOp(self, organizer).on_success(self.profile_codes_button.setVisible).run()

    def open_profile_codes(self) -> None:
        assert self.client is not None
        dialog = ProfileCodesDialog(self, self.client, self.current.venue_timezone)
        dialog.open()
        self.profile_codes = dialog

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose the data directory"), str(self.data_dir))
        if folder:
            settings.choose_data_dir(Path(folder))
            self.path_label.setText(folder)
            self.notice.setText(_("The app will use {folder} from its next start.").format(folder=folder))

    def save_language(self) -> None:
        self.current.language = self.language.currentData()
        settings.save(self.data_dir, self.current)
        self.notice.setText(_("The new language applies from the next start."))
