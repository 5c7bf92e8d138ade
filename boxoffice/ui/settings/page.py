"""The Settings page: where the data lives and which language the app speaks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from boxoffice import settings
from boxoffice.i18n import LANGUAGES, _
from boxoffice.ui.help_menu import log_and_about_row
from boxoffice.ui.settings.pairing import PairingDialog
from sync.client import SyncClient


class SettingsPage(QWidget):
    title = _("Settings")

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
        if client is not None:
            pair = QPushButton(_("Pair with a server…"))
            pair.clicked.connect(self.open_pairing)
            form.addRow(_("Sync server"), pair)
        form.addRow(_("Log files"), log_and_about_row(self))
        form.addRow(self.notice)

    def open_pairing(self) -> None:
        assert self.client is not None
        dialog = PairingDialog(self, self.client)
        dialog.paired.connect(lambda answer: self.notice.setText(_("Paired with {organizer}.").format(
            organizer=answer["organizer_name"])))
        dialog.open()
        self.pairing = dialog

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
