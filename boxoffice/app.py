"""The composition root: opens the store, wires ops, pages and translations, and runs the window."""

from __future__ import annotations

import sys
from pathlib import Path

from boxoffice import i18n, settings
from boxoffice.store.engine import Store, open_store
from boxoffice.store.unit_of_work import Writer


def build_window(store: Store, writer: Writer, data_dir: Path, current: settings.Settings) -> object:
    """The main window with every page that exists, on an already opened store."""
    from boxoffice.ui import ops
    from boxoffice.ui.contacts.page import ContactsPage
    from boxoffice.ui.main_window import MainWindow
    from boxoffice.ui.settings.page import SettingsPage

    ops.install(store, writer)
    window = MainWindow()
    window.add_page(ContactsPage())
    window.add_page(SettingsPage(data_dir, current))
    return window


def _install_qt_translator(app: object, language: str) -> None:
    # Qt's own strings (dialog buttons, context menus) come from Qt's catalogs, not ours.
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)  # type: ignore[arg-type]
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)  # type: ignore[attr-defined]


def run_app(data_dir: Path, language: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    try:
        current = settings.load(data_dir)
    except settings.SettingsError as exc:
        print(exc, file=sys.stderr)
        current = settings.Settings()
    chosen = language or current.effective_language()
    i18n.set_language(chosen)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("boxoffice")
    _install_qt_translator(app, chosen)
    store = open_store(data_dir)
    window = build_window(store, Writer(store), data_dir, current)
    window.show()  # type: ignore[attr-defined]
    code = app.exec()
    from boxoffice.ui import ops

    ops.wait_for_idle()
    store.close()
    return int(code)
