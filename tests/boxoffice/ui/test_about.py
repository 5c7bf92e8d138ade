"""The About box, the Help menu and Settings' log-folder and About buttons."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMenuBar, QPushButton

from boxoffice import __version__, i18n, logs
from boxoffice.ui.about import LICENCE, AboutDialog
from boxoffice.ui.settings.page import SettingsPage
from tests.boxoffice.ui.conftest import screenshot


class _FileManager(QObject):
    """Stands in for the desktop's file manager: Qt hands it the file:// URLs the app opens."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


def _texts(widget: object) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))  # type: ignore[attr-defined]


class TestAboutBox:
    def test_shows_name_version_licence_and_the_versions_it_runs_on(self, qtbot):
        dialog = AboutDialog()
        qtbot.addWidget(dialog)
        text = _texts(dialog)
        assert f"boxoffice {__version__}" in text and LICENCE in text
        assert qVersion() in text and sqlite3.sqlite_version in text
        for component in ("zxing-cpp", "pyzbar", "zbar", "Qt", "SQLite"):
            assert component in text
        assert "not installed" not in text and "not found" not in text

    def test_renders_in_english_and_french(self, qtbot):
        for language in ("en", "fr"):
            i18n.set_language(language)
            dialog = AboutDialog()
            qtbot.addWidget(dialog)
            dialog.resize(480, 560)
            assert screenshot(dialog, f"about-{language}").exists()
        i18n.set_language("en")


class TestHelpMenu:
    def test_the_main_window_has_about_and_open_log_folder(self, qtbot, window):
        menu = window.findChild(QMenuBar).findChild(QObject, "help_menu")
        titles = [action.text() for action in menu.actions()]
        assert titles == ["Open log folder", "About boxoffice"]
        menu.actions()[1].trigger()
        qtbot.waitUntil(lambda: window.findChild(AboutDialog) is not None
                        and window.findChild(AboutDialog).isVisible())


class TestSettingsLogFolder:
    def test_open_log_folder_opens_the_apps_log_folder(self, qtbot, data_dir: Path, tmp_path: Path, monkeypatch):
        from boxoffice import settings

        monkeypatch.setenv("BOXOFFICE_LOG_DIR", str(tmp_path / "logs"))
        manager = _FileManager()
        QDesktopServices.setUrlHandler("file", manager, "show")
        try:
            page = SettingsPage(data_dir, settings.Settings())
            qtbot.addWidget(page)
            page.findChild(QPushButton, "open_log_folder").click()
        finally:
            QDesktopServices.unsetUrlHandler("file")
        assert manager.opened == [str(logs.log_folder("boxoffice"))]
        assert (tmp_path / "logs").is_dir()

    def test_about_opens_from_settings(self, qtbot, data_dir: Path):
        from boxoffice import settings

        page = SettingsPage(data_dir, settings.Settings())
        qtbot.addWidget(page)
        page.findChild(QPushButton, "about_boxoffice").click()
        qtbot.waitUntil(lambda: page.findChild(AboutDialog) is not None)
