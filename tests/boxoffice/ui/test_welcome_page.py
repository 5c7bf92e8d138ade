"""The welcome page on a fresh data directory: set up a venue with the keyboard alone, then sell at the desk."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from boxoffice import settings
from boxoffice.model.sales import Ticket
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue
from boxoffice.store.engine import Store
from boxoffice.ui.desk.page import DeskPage
from boxoffice.ui.welcome.page import WelcomePage
from tests.boxoffice.ui.conftest import screenshot


@pytest.fixture
def fresh_window(qtbot, store: Store, writer: Writer, data_dir: Path) -> Iterator[object]:
    """The main window on an empty, migrated data directory (no box office, not paired)."""
    from boxoffice.app import build_window
    from boxoffice.ui import ops

    main = build_window(store, writer, data_dir, settings.Settings())
    qtbot.addWidget(main)
    main.resize(1366, 768)
    yield main
    ops.wait_for_idle()


def page_of(window: object, kind: type) -> object:
    pages = window.pages  # type: ignore[attr-defined]
    return next(pages.widget(i) for i in range(pages.count()) if isinstance(pages.widget(i), kind))


def focused() -> QWidget:
    """The widget the keyboard types into. The window under test must be the active one: when a window of an
    earlier test, closed late, takes the activation with it, the newest visible main window gets it back."""
    if QApplication.focusWidget() is None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
        if windows:
            windows[-1].activateWindow()
            deadline = time.monotonic() + 5
            while QApplication.focusWidget() is None and time.monotonic() < deadline:
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def open_welcome(window: object, qtbot) -> WelcomePage:
    welcome: WelcomePage = page_of(window, WelcomePage)  # type: ignore[assignment]
    window.show()  # type: ignore[attr-defined]
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: welcome.first_run is not None, timeout=10_000)
    assert welcome.first_run is True
    qtbot.waitUntil(lambda: window.pages.currentWidget() is welcome)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is welcome.set_up_button)
    return welcome


def walk_through_the_setup(welcome: WelcomePage, qtbot) -> None:
    """Every step by keyboard: type, Enter adds or goes on, Tab moves between fields."""
    flow = welcome.flow
    press(qtbot, Qt.Key.Key_Return)  # "Set up a venue…"
    assert flow.current() == 0 and focused() is flow.office.name
    type_text(qtbot, "Salle Polyvalente")
    press(qtbot, Qt.Key.Key_Return)
    assert flow.current() == 1
    type_text(qtbot, "Gala de Noel")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Lausanne")
    press(qtbot, Qt.Key.Key_Return)
    assert flow.current() == 2 and focused() is flow.dates.starts
    press(qtbot, Qt.Key.Key_Return)  # adds the proposed date
    assert flow.dates.list.count() == 1
    press(qtbot, Qt.Key.Key_Return)  # the same date again: go on
    assert flow.current() == 3
    type_text(qtbot, "Parterre")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "40")
    press(qtbot, Qt.Key.Key_Return)
    assert [flow.zones.list.item(i).text() for i in range(flow.zones.list.count())] == ["Parterre: 40 places"]
    assert focused() is flow.zones.name
    type_text(qtbot, "Loge")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "A-B")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "5")
    press(qtbot, Qt.Key.Key_Return)
    assert flow.zones.list.item(1).text() == "Loge: 10 numbered seats (2 rows)"
    press(qtbot, Qt.Key.Key_Return)  # nothing typed: go on
    assert flow.current() == 4
    type_text(qtbot, "Plein tarif")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "25,50")
    press(qtbot, Qt.Key.Key_Return)
    assert flow.rates.list.item(0).text() == "Plein tarif · CHF\xa025.50 · public"
    press(qtbot, Qt.Key.Key_Return)
    assert flow.current() == 5 and focused() is flow.create_button
    assert "Parterre (40), Loge (10)" in flow.summary.text.text()


class TestWelcomePage:
    def test_a_fresh_data_directory_opens_on_the_welcome_page_with_three_choices(self, fresh_window, qtbot):
        welcome = open_welcome(fresh_window, qtbot)
        assert [b.text() for b in (welcome.set_up_button, welcome.pair_button, welcome.demo_button)] == [
            "&Set up a venue…", "&Pair with a server…", "Open the &demo venue"]
        screenshot(fresh_window, "welcome")

    def test_a_venue_set_up_by_keyboard_is_sold_at_the_desk(self, fresh_window, qtbot, writer: Writer):
        welcome = open_welcome(fresh_window, qtbot)
        walk_through_the_setup(welcome, qtbot)
        desk: DeskPage = page_of(fresh_window, DeskPage)  # type: ignore[assignment]
        with qtbot.waitSignal(welcome.venue_ready, timeout=10_000) as ready:
            press(qtbot, Qt.Key.Key_Return)  # "Create and open the desk"
        qtbot.waitUntil(lambda: fresh_window.pages.currentWidget() is desk)
        qtbot.waitUntil(lambda: desk.sale_panel.dates.count() == 1 and "Gala de Noel" in
                        desk.sale_panel.dates.currentText(), timeout=10_000)
        with writer.store.session() as session:
            details = catalogue.event_details(session, ready.args[0])
            assert details.event.status == "published" and details.box_office.currency == "CHF"
            assert [(z.name, z.capacity, z.seated) for z in details.zones] == [("Loge", 10, True),
                                                                               ("Parterre", 40, False)]
            assert [(r.name, r.price_minor) for r in details.rates] == [("Plein tarif", 2550)]
        zones = desk.sale_panel.zones
        qtbot.waitUntil(lambda: zones.count() == 2, timeout=10_000)
        parterre = next(i for i in range(zones.count()) if zones.item(i).text().startswith("Parterre"))
        if zones.currentRow() != parterre:
            with qtbot.waitSignal(desk.rates_loaded, timeout=10_000):
                zones.setCurrentRow(parterre)
        qtbot.waitUntil(lambda: bool(desk.sale_panel.quantities), timeout=10_000)
        qtbot.keyClicks(desk.sale_panel.quantities[0][1], "2")
        with qtbot.waitSignal(desk.sale_recorded, timeout=10_000) as sold:
            qtbot.keyClick(desk.sale_panel.customer_name, Qt.Key.Key_Return)
        assert sold.args[0].total_minor == 5100
        with writer.store.session() as session:
            assert session.query(Ticket).filter(Ticket.event_id == ready.args[0]).count() == 2

    def test_a_step_left_incomplete_says_what_is_missing(self, fresh_window, qtbot):
        welcome = open_welcome(fresh_window, qtbot)
        press(qtbot, Qt.Key.Key_Return)
        press(qtbot, Qt.Key.Key_Return)  # no name
        assert welcome.flow.current() == 0 and welcome.flow.problem.text() == "A box office needs a name."
        welcome.flow.office.name.setText("Salle")
        welcome.flow.office.timezone.setCurrentText("Mars/Olympus")
        welcome.flow.next()
        assert "“Mars/Olympus” is not a time zone" in welcome.flow.problem.text()

    def test_a_refused_price_is_said_in_the_rates_step(self, fresh_window, qtbot):
        welcome = open_welcome(fresh_window, qtbot)
        flow = welcome.flow
        welcome.start_setup()
        flow.show_step(4)
        flow.rates.name.setText("Plein tarif")
        flow.rates.price.setText("25 francs")
        flow.rates.add()
        assert flow.rates.list.count() == 0
        assert flow.rates.problem.text().startswith("“25 francs” is not an amount in CHF")

    def test_the_demo_venue_opens_on_the_desk(self, fresh_window, qtbot):
        welcome = open_welcome(fresh_window, qtbot)
        welcome.demo_tickets = 50
        desk = page_of(fresh_window, DeskPage)
        with qtbot.waitSignal(welcome.demo_opened, timeout=30_000):
            qtbot.keyClick(welcome.demo_button, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: fresh_window.pages.currentWidget() is desk)
        qtbot.waitUntil(lambda: desk.sale_panel.dates.count() >= 4, timeout=10_000)


class TestPairingFromTheWelcomePage:
    def test_pairing_by_the_organizer_code_ends_on_the_events_page(self, qtbot, store: Store, writer: Writer,
                                                                    data_dir: Path, tmp_path: Path):
        from boxoffice.app import build_window
        from boxoffice.ui import ops
        from boxoffice.ui.events.page import EventsPage
        from sync.client import SyncClient
        from tests.live_server import running_server

        with running_server(f"sqlite:///{tmp_path / 'server' / 'server.sqlite3'}") as live:
            window = build_window(store, writer, data_dir, settings.Settings(), SyncClient(writer))
            qtbot.addWidget(window)
            window.resize(1366, 768)
            welcome = open_welcome(window, qtbot)
            qtbot.keyClick(welcome.pair_button, Qt.Key.Key_Return)
            dialog = welcome.pairing
            assert dialog is not None and dialog.isVisible()
            dialog.server.setText(live.url)
            dialog.code.setText(live.organizer_code)
            with qtbot.waitSignal(welcome.paired, timeout=20_000):
                dialog.pair_button.click()
            assert window.pages.currentWidget() is page_of(window, EventsPage)
            ops.wait_for_idle()
