"""Acceptance (#12): a fresh data directory to a first sale, a door admission and a closed till, with the
keyboard alone (a USB scanner is a keyboard too: its burst comes as key events with scanner timing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from boxoffice import settings
from boxoffice.model.checkins import CheckIn
from boxoffice.model.devices import OutboxEntry
from boxoffice.model.sales import Ticket
from boxoffice.model.till import TillClose
from boxoffice.money import plain_amount
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import Store
from boxoffice.ui.desk.page import DeskPage
from boxoffice.ui.door.page import DoorPage
from tests.boxoffice.ui.test_welcome_page import (
    focused,
    open_welcome,
    page_of,
    press,
    type_text,
    walk_through_the_setup,
)


@pytest.fixture
def fresh_window(qtbot, store: Store, writer: Writer, data_dir: Path) -> Iterator[object]:
    """The main window on an empty, migrated data directory (no box office, not paired), 1366 × 768."""
    from boxoffice.app import build_window
    from boxoffice.ui import ops

    main = build_window(store, writer, data_dir, settings.Settings())
    qtbot.addWidget(main)
    main.resize(1366, 768)
    yield main
    ops.wait_for_idle()


class ScannerClock:
    """The door's scanner filter reads this clock: each key of a burst 6 ms after the one before."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def scan(clock: ScannerClock, code: str) -> None:
    """A USB scanner reading `code`: its characters and Enter, 6 ms apart, into whatever has focus."""
    for char in [*code, "\r"]:
        clock.now += 0.006
        key = Qt.Key.Key_Return if char == "\r" else ord(char.upper()) if char.isalnum() else Qt.Key.Key_Minus
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(focused(), QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def go_to(window: object, qtbot, title: str) -> None:
    """Ctrl+1…9: the page by its place in the navigation."""
    number = window.page_titles().index(title) + 1  # type: ignore[attr-defined]
    assert number <= 9
    press(qtbot, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget().title == title)  # type: ignore[attr-defined]


def tab_until(qtbot, target: QWidget, key: Qt.Key = Qt.Key.Key_Tab, limit: int = 40) -> None:
    for _ in range(limit):
        if focused() is target:
            return
        press(qtbot, key)
    raise AssertionError(f"{key.name} never reached {target}: focus is on {focused()}")


class TestTheFirstNight:
    def test_welcome_to_a_sale_an_admission_and_a_closed_till_by_keyboard(self, fresh_window, qtbot,
                                                                         writer: Writer):
        window = fresh_window
        welcome = open_welcome(window, qtbot)
        walk_through_the_setup(welcome, qtbot)  # box office, event, a date, Parterre (40) and Loge, a rate
        desk: DeskPage = page_of(window, DeskPage)  # type: ignore[assignment]
        with qtbot.waitSignal(welcome.venue_ready, timeout=10_000):
            press(qtbot, Qt.Key.Key_Return)  # "Create and open the desk"
        qtbot.waitUntil(lambda: bool(desk.sale_panel.quantities) and desk.sale_panel.quantities[0][1].hasFocus(),
                        timeout=10_000)

        # The desk: up to the zones, Down to Parterre, the rate, the customer, Enter sells.
        panel = desk.sale_panel
        tab_until(qtbot, panel.zones, Qt.Key.Key_Backtab)
        while panel.current_zone() is None or panel.current_zone().name != "Parterre":
            with qtbot.waitSignal(desk.rates_loaded, timeout=10_000):
                press(qtbot, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: focused() is panel.quantities[0][1])  # the new rates are shown queued
        type_text(qtbot, "2")
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is panel.customer_name
        type_text(qtbot, "Lea Favre")
        with qtbot.waitSignal(desk.sale_recorded, timeout=10_000) as recorded:
            press(qtbot, Qt.Key.Key_Return)
        sold = recorded.args[0]
        assert sold.total_minor == 5100 and len(sold.ticket_ids) == 2
        with writer.store.session() as session:
            secret = session.get(Ticket, sold.ticket_ids[0]).secret

        # The door: Ctrl+n to it, Enter starts with the night's date ticked, the scanner reads the ticket.
        door: DoorPage = page_of(window, DoorPage)  # type: ignore[assignment]
        clock = ScannerClock()
        door.use_keyboard("us", clock=clock)
        with qtbot.waitSignal(door.choices_loaded, timeout=10_000):
            go_to(window, qtbot, "Door")
        assert focused() is door.setup_panel.start and door.setup_panel.chosen_ids()
        with qtbot.waitSignal(door.scanning_started, timeout=10_000):
            press(qtbot, Qt.Key.Key_Return)
        assert focused() is door.scan_view.code
        with qtbot.waitSignal(door.verdict_shown, timeout=10_000) as shown:
            scan(clock, secret)
        assert shown.args[0].admitted and door.scan_view.verdict.title.text() == "Admitted"
        assert QApplication.activeModalWidget() is None
        qtbot.waitUntil(lambda: door.scan_view.counters.text().startswith("Inside: 1"), timeout=10_000)

        # The till: back to the desk, Ctrl+T, the float, the cash counted, who closes, Ctrl+Enter, Enter.
        go_to(window, qtbot, "Desk")
        press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        dialog = desk.till_close
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.current is not None and dialog.opening_float.hasFocus(), timeout=10_000)
        assert dialog.current.cash_sold_minor == 5100
        type_text(qtbot, "100")
        tab_until(qtbot, dialog.count.total)
        type_text(qtbot, plain_amount(10000 + 5100, "CHF"))
        tab_until(qtbot, dialog.closed_by)
        type_text(qtbot, "Noe")
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: dialog.confirmation is not None and dialog.confirmation.isVisible())
        with qtbot.waitSignal(dialog.closed, timeout=10_000) as closed:
            qtbot.keyClick(dialog.confirmation, Qt.Key.Key_Return)
        record = closed.args[0]
        assert (record.expected_minor, record.counted_minor, record.difference_minor) == (15100, 15100, 0)
        assert dialog.problem.text().startswith("Closed by Noe on ")

        with writer.store.session() as session:  # all of it in the real store, waiting to sync
            assert session.scalar(select(func.count()).select_from(CheckIn).where(
                CheckIn.ticket_id == sold.ticket_ids[0], CheckIn.verdict == "admitted")) == 1
            assert session.get(TillClose, record.id).closed_by == "Noe"
            waiting = set(session.scalars(select(OutboxEntry.mutation)))
            assert {"sales.sell", "till.close"} <= waiting and any(m.startswith("checkins") for m in waiting)
