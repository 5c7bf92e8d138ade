"""The Desk page driven with the keyboard: pick date, zone and quantities, Enter sells; find, cancel, PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from boxoffice.ui.desk.page import DeskPage
from tests.boxoffice.ui.conftest import screenshot


@pytest.fixture
def page(window, qtbot) -> DeskPage:
    desk = next(window.pages.widget(i) for i in range(window.pages.count())
                if isinstance(window.pages.widget(i), DeskPage))
    window.show()
    with qtbot.waitSignal(desk.rates_loaded, timeout=10_000):
        window.show_page("Desk")
    zones = desk.sale_panel.zones
    parterre = next(i for i in range(zones.count()) if zones.item(i).text().startswith("Parterre"))
    with qtbot.waitSignal(desk.rates_loaded, timeout=10_000):  # the demo's Balcon is seated without seats
        zones.setCurrentRow(parterre)
    return desk


def sell_two_by_keyboard(page: DeskPage, qtbot) -> object:
    panel = page.sale_panel
    first_spin = panel.quantities[0][1]
    qtbot.keyClicks(first_spin, "2")
    qtbot.keyClicks(panel.customer_name, "Lea Favre")  # QTest types ASCII only
    with qtbot.waitSignal(page.sale_recorded, timeout=10_000) as recorded:
        qtbot.keyClick(panel.customer_name, Qt.Key.Key_Return)
    return recorded.args[0]


class TestDeskPage:
    def test_navigation_has_desk_and_events_before_the_door(self, window):
        titles = window.page_titles()
        assert titles.index("Desk") < titles.index("Events") < titles.index("Door")

    def test_a_keyboard_sale_shows_places_left_and_the_total(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        assert panel.dates.count() >= 4 and "Le Misanthrope" in panel.dates.currentText()
        assert panel.dates.currentText().endswith("20:00")  # the venue's time, not UTC
        assert "places left in" in panel.places.text()
        qtbot.keyClicks(panel.quantities[0][1], "3")
        assert panel.total.text() == "3 tickets · CHF 135.00"
        path = screenshot(page.window(), "desk-sale")
        image = QImage(str(path))
        assert image.width() >= 1000
        with qtbot.waitSignal(page.sale_recorded, timeout=10_000) as recorded:
            qtbot.keyClick(panel.customer_name, Qt.Key.Key_Return)
        sold = recorded.args[0]
        assert sold.total_minor == 13500 and len(sold.ticket_ids) == 3
        assert panel.problem.text().startswith(f"Sold: order {sold.number}")
        assert panel.total.text() == "0 tickets · CHF 0.00"
        with qtbot.waitSignal(page.rates_loaded, timeout=10_000, raising=False):
            pass
        qtbot.waitUntil(lambda: "Parterre" in panel.places.text())

    def test_a_refusal_shows_in_place(self, page: DeskPage, qtbot):
        with qtbot.waitSignal(page.sale_refused, timeout=10_000) as refused:
            page.sale_panel.sell_button.click()
        assert refused.args == ["Choose at least one ticket."]
        assert page.sale_panel.problem.text() == "Choose at least one ticket."

    def test_find_cancel_and_save_as_pdf(self, page: DeskPage, qtbot, tmp_path: Path):
        sold = sell_two_by_keyboard(page, qtbot)
        with qtbot.waitSignal(page.order_shown, timeout=10_000):
            page.orders_panel.search.setText(sold.number)
        assert page.orders_panel.tickets.count() == 2
        with qtbot.waitSignal(page.pdf_saved, timeout=20_000):
            page.save_pdf(tmp_path / "order.pdf")
        assert (tmp_path / "order.pdf").read_bytes().startswith(b"%PDF")
        screenshot(page.window(), "desk-order")
        page.confirm_cancel(whole=True)
        yes = page.confirmation.button(QMessageBox.StandardButton.Yes)
        with qtbot.waitSignal(page.tickets_cancelled, timeout=10_000) as cancelled:
            yes.click()
        assert sorted(cancelled.args[0]) == sorted(sold.ticket_ids)
        assert "back on sale" in page.orders_panel.message.text()
