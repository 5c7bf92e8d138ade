"""The composition root: opens the store, wires ops, pages and translations, and runs the window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boxoffice import __version__, i18n, logs, settings
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services.sender_policy import Resolver, offline_resolver
from boxoffice.store.engine import Store, open_store, wipe_store
from sync.client import SyncClient, SyncWorker

if TYPE_CHECKING:
    from boxoffice.ui.sync_bridge import SyncBridge


def build_window(store: Store, writer: Writer, data_dir: Path, current: settings.Settings,
                 client: SyncClient | None = None, bridge: object | None = None,
                 sender_resolver: Resolver = offline_resolver) -> object:
    """The main window with every page that exists, on an already opened store.

    `client` and `bridge` are the sync client and its UI bridge; tests may leave them out.
    `sender_resolver` answers the SPF check of the invitations' sender (the app gives it real DNS).
    """
    from boxoffice.ui import ops
    from boxoffice.ui.contacts.page import ContactsPage
    from boxoffice.ui.desk.page import DeskPage
    from boxoffice.ui.door.page import DoorPage
    from boxoffice.ui.events.page import EventsPage
    from boxoffice.ui.invitations.page import InvitationsPage
    from boxoffice.ui.main_window import MainWindow
    from boxoffice.ui.passes.page import PassesPage
    from boxoffice.ui.printers.page import PrintersPage
    from boxoffice.ui.settings.page import SettingsPage
    from printing.system import system_printers

    ops.install(store, writer)
    client = client or SyncClient(writer)
    from boxoffice.ui.conflicts.page import ConflictsPage
    from boxoffice.ui.sync_bridge import SyncBridge

    window = MainWindow(bridge if isinstance(bridge, SyncBridge) else SyncBridge())
    window.add_page(ContactsPage())
    window.add_page(InvitationsPage(sender_resolver, dkim_source=client.dkim_record))
    window.add_page(PrintersPage(writer, data_dir, system_printers()))
    window.add_page(ConflictsPage())
    window.add_page(DeskPage(writer, data_dir, system_printers()))
    window.add_page(EventsPage())
    window.add_page(PassesPage(writer, data_dir, system_printers()))
    window.add_page(DoorPage(current.venue_timezone, current.door_name, client=client))
    window.add_page(SettingsPage(data_dir, current, client))
    _add_welcome(window, client)
    from boxoffice.ui.help_menu import install_help_menu

    install_help_menu(window)
    return window


def _add_welcome(window: Any, client: SyncClient) -> None:
    """The welcome page, shown first on a fresh data directory; each of its choices ends on a working page."""
    from boxoffice.ui.desk.page import DeskPage
    from boxoffice.ui.events.page import EventsPage
    from boxoffice.ui.welcome.page import WelcomePage

    welcome = WelcomePage(client)
    window.add_page(welcome)
    start = window.pages.currentWidget()
    # Only while the window is still on its first page: a page the user already went to stays.
    welcome.first_run_checked.connect(lambda first: window.show_page(welcome.title)
                                      if first and window.pages.currentWidget() is start else None)
    welcome.venue_ready.connect(lambda _event_id: window.show_page(DeskPage.title))
    welcome.demo_opened.connect(lambda: window.show_page(DeskPage.title))
    welcome.paired.connect(lambda _answer: window.show_page(EventsPage.title))
    welcome.check_first_run()


def _install_qt_translator(app: object, language: str) -> None:
    # Qt's own strings (dialog buttons, context menus) come from Qt's catalogs, not ours.
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)  # type: ignore[arg-type]
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)  # type: ignore[attr-defined]


def _start_sync(writer: Writer) -> tuple[SyncClient, SyncBridge, SyncWorker]:
    """The background sync worker (S2): it runs in its own thread whether or not paired yet."""
    from boxoffice.services.desk_leases import keep_leases_now
    from boxoffice.ui.sync_bridge import SyncBridge

    client = SyncClient(writer)
    bridge = SyncBridge()
    # A desk tops up its leases while online and returns them at closing (T allotments).
    worker = SyncWorker(client, bridge.publish, while_online=lambda: keep_leases_now(writer))
    bridge.attach(worker)
    worker.start()
    return client, bridge, worker


def _on_revoked(window: object, store: Store, data_dir: Path, reason: str) -> None:
    """A revoked device keeps none of the organizer's data: say so, wipe, close."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    QMessageBox.critical(window, i18n._("Device revoked"),  # type: ignore[arg-type]
                         i18n._("The organizer revoked this device. Its local copy is now deleted.") + f"\n{reason}")
    store.close()
    wipe_store(data_dir)
    QApplication.quit()


def run_app(data_dir: Path, language: str | None = None, smoke_test: bool = False) -> int:
    """The window on `data_dir` until it closes; with `smoke_test`, only until it is first painted."""
    from PySide6.QtWidgets import QApplication

    from boxoffice.ui.app_icon import app_icon
    from boxoffice.ui.crash import CrashReporter

    try:
        current = settings.load(data_dir)
    except settings.SettingsError as exc:
        print(exc, file=sys.stderr)
        current = settings.Settings()
    chosen = language or current.effective_language()
    i18n.set_language(chosen)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("boxoffice")
    app.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("boxoffice")  # matches the .desktop entry, for the Wayland window icon
    QApplication.setWindowIcon(app_icon())
    reporter = CrashReporter(logs.log_file("boxoffice"))
    reporter.install()
    _install_qt_translator(app, chosen)
    store = open_store(data_dir)
    writer = Writer(store)
    client, bridge, worker = _start_sync(writer)
    from boxoffice.services.dns_txt import system_resolver

    window = build_window(store, writer, data_dir, current, client, bridge, system_resolver())
    bridge.revoked.connect(lambda reason: _on_revoked(window, store, data_dir, reason))
    reporter.dialog_parent = window  # type: ignore[assignment]
    if smoke_test:
        from boxoffice.ui.first_paint import FirstPaint

        FirstPaint(window, len(window.page_titles()))  # type: ignore[arg-type, attr-defined]
    window.show()  # type: ignore[attr-defined]
    code = app.exec()
    from boxoffice.ui import ops

    worker.stop()
    ops.wait_for_idle()
    store.close()
    reporter.uninstall()
    return int(code)
