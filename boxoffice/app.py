"""The composition root: opens the store, wires ops, pages and translations, and runs the window."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boxoffice import __version__, i18n, logs, settings
from boxoffice.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from boxoffice.mutations.unit_of_work import Writer
    from boxoffice.services.sender_policy import Resolver
    from boxoffice.store.engine import Store
    from boxoffice.ui.sync_bridge import SyncBridge
    from sync.client import SyncClient, SyncWorker


@dataclass
class _Parts:
    """What the pages are built with, once the store is open."""

    writer: Writer
    data_dir: Path
    current: settings.Settings
    client: SyncClient
    sender_resolver: Resolver


def _pages(parts: Callable[[], _Parts]) -> list[tuple[str, str, Callable[[], Any]]]:
    """Every page in the navigation's order: (its title, its icon's name, how to build it). The titles and
    icons are the pages' own (a test keeps them equal): the window shows them before the pages' modules are
    imported."""

    def system_printers() -> Any:
        from printing.system import system_printers as printers

        return printers()

    def contacts() -> Any:
        from boxoffice.ui.contacts.page import ContactsPage

        return ContactsPage()

    def invitations() -> Any:
        from boxoffice.ui.invitations.page import InvitationsPage

        return InvitationsPage(parts().sender_resolver, dkim_source=parts().client.dkim_record)

    def printers() -> Any:
        from boxoffice.ui.printers.page import PrintersPage

        return PrintersPage(parts().writer, parts().data_dir, system_printers())

    def conflicts() -> Any:
        from boxoffice.ui.conflicts.page import ConflictsPage

        return ConflictsPage()

    def desk() -> Any:
        from boxoffice.ui.desk.page import DeskPage

        return DeskPage(parts().writer, parts().data_dir, system_printers())

    def events() -> Any:
        from boxoffice.ui.events.page import EventsPage

        return EventsPage()

    def passes() -> Any:
        from boxoffice.ui.passes.page import PassesPage

        return PassesPage(parts().writer, parts().data_dir, system_printers())

    def door() -> Any:
        from boxoffice.ui.door.page import DoorPage

        return DoorPage(parts().current.venue_timezone, parts().current.door_name, client=parts().client,
                        data_dir=parts().data_dir, current=parts().current)

    def settings_page() -> Any:
        from boxoffice.ui.settings.page import SettingsPage

        return SettingsPage(parts().data_dir, parts().current, parts().client)

    def welcome() -> Any:
        from boxoffice.ui.welcome.page import WelcomePage

        return WelcomePage(parts().client)

    return [(_("Contacts"), "contacts", contacts), (_("Invitations"), "invitations", invitations),
            (_("Printers"), "printers", printers), (_("Conflicts"), "conflicts", conflicts),
            (_("Desk"), "desk", desk), (_("Events"), "events", events), (_("Passes"), "passes", passes),
            (_("Door"), "door", door), (_("Settings"), "settings", settings_page),
            (_("Welcome"), "welcome", welcome)]


def build_window(store: Store, writer: Writer, data_dir: Path, current: settings.Settings,
                 client: SyncClient | None = None, bridge: object | None = None,
                 sender_resolver: Resolver | None = None) -> object:
    """The main window with every page that exists, built at once, on an already opened store.

    `client` and `bridge` are the sync client and its UI bridge; tests may leave them out.
    `sender_resolver` answers the SPF check of the invitations' sender (the app gives it real DNS).
    """
    from boxoffice.services.sender_policy import offline_resolver
    from boxoffice.ui import ops
    from boxoffice.ui.main_window import MainWindow
    from boxoffice.ui.sync_bridge import SyncBridge
    from sync.client import SyncClient

    ops.install(store, writer)
    parts = _Parts(writer, data_dir, current, client or SyncClient(writer), sender_resolver or offline_resolver)
    window = MainWindow(bridge if isinstance(bridge, SyncBridge) else SyncBridge())
    for _title, _icon, make in _pages(lambda: parts):
        window.add_page(make())
    _finish(window)
    return window


def _finish(window: Any) -> None:
    """Once every page is in: the welcome page's choices and the Help menu."""
    _wire_welcome(window)
    _install_help_menu(window)


def _install_help_menu(window: Any) -> None:
    from boxoffice.ui.help_menu import install_help_menu

    install_help_menu(window)


def _wire_welcome(window: Any) -> None:
    """The welcome page, shown first on a fresh data directory; each of its choices ends on a working page."""
    from boxoffice.ui.desk.page import DeskPage
    from boxoffice.ui.events.page import EventsPage
    from boxoffice.ui.welcome.page import WelcomePage

    pages = window.pages
    holders = [pages.widget(i) for i in range(pages.count())]
    welcome = next(getattr(holder, "page", holder) for holder in holders
                   if isinstance(getattr(holder, "page", holder), WelcomePage))
    start = holders[0]
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


def _start_sync(writer: Writer, bridge: SyncBridge) -> tuple[SyncClient, SyncWorker]:
    """The background sync worker (S2): it runs in its own thread whether or not paired yet."""
    from boxoffice.services.desk_leases import keep_leases_now
    from sync.client import SyncClient, SyncWorker

    client = SyncClient(writer)
    # A desk tops up its leases while online and returns them at closing (T allotments).
    worker = SyncWorker(client, bridge.publish, while_online=lambda: keep_leases_now(writer))
    bridge.attach(worker)
    worker.start()
    return client, worker


def _on_revoked(window: object, store: Store, data_dir: Path, reason: str) -> None:
    """A revoked device keeps none of the organizer's data: say so, wipe, close."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from boxoffice.store.engine import wipe_store

    QMessageBox.critical(window, i18n._("Device revoked"),  # type: ignore[arg-type]
                         i18n._("The organizer revoked this device. Its local copy is now deleted.") + f"\n{reason}")
    store.close()
    wipe_store(data_dir)
    QApplication.quit()


def run_app(data_dir: Path, language: str | None = None, smoke_test: bool = False) -> int:
    """The window on `data_dir` until it closes; with `smoke_test`, only until every page is built.

    The window is painted first, with the pages' names; the store opens and the pages are built after
    (boxoffice/ui/deferred_pages.py), so nothing heavy is imported before the first paint (issue #15).
    """
    from PySide6.QtWidgets import QApplication

    from boxoffice.ui import ops
    from boxoffice.ui.app_icon import app_icon
    from boxoffice.ui.crash import CrashReporter
    from boxoffice.ui.deferred_pages import DeferredPages
    from boxoffice.ui.main_window import MainWindow
    from boxoffice.ui.sync_bridge import SyncBridge

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
    ops.open_later()  # the status bar asks for its counts now; they are read once the store is open
    bridge = SyncBridge()
    window = MainWindow(bridge)
    reporter.dialog_parent = window
    opened: list[tuple[Store, _Parts, SyncWorker]] = []

    def open_everything() -> None:
        from boxoffice.mutations.unit_of_work import Writer
        from boxoffice.services.dns_txt import system_resolver
        from boxoffice.store.engine import open_store

        store = open_store(data_dir)
        writer = Writer(store)
        ops.install(store, writer)
        client, worker = _start_sync(writer, bridge)
        opened.append((store, _Parts(writer, data_dir, current, client, system_resolver()), worker))
        bridge.revoked.connect(lambda reason: _on_revoked(window, store, data_dir, reason))

    made = _pages(lambda: opened[0][1])
    welcome = len(made) - 1
    # The welcome page soon after the one on screen: on a fresh data directory it is the one to show.
    pages = DeferredPages(window, open_everything, made, soon=[welcome])
    pages.built_page.connect(lambda index: _wire_welcome(window) if index == welcome else None)
    pages.ready.connect(lambda: _install_help_menu(window))
    if smoke_test:
        from boxoffice.ui.first_paint import FirstPaint, report_ready

        FirstPaint(window, len(window.page_titles()))
        pages.ready.connect(lambda: report_ready(len(window.page_titles())))
        # The store opens and the pages are built after the paint, in slots: an error there must fail the
        # check (make package, the fresh-machine check), not leave it waiting behind the crash dialog.
        reporter.raised.connect(lambda what, details: (print(details, file=sys.stderr), app.exit(1)))
    window.show()
    code = app.exec()
    if opened:
        store, _parts, worker = opened[0]
        worker.stop()
        ops.wait_for_idle()
        store.close()
    reporter.uninstall()
    return int(code)
