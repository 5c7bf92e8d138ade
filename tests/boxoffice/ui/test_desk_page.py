"""The Desk page driven with the keyboard: pick date, zone and quantities, Enter sells; find, cancel, PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFormLayout, QWidget
from sqlalchemy import select, update

from boxoffice.model.devices import LocalDevice, OutboxEntry
from boxoffice.model.events import Event, Zone
from boxoffice.model.sales import Allotment, Order
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import catalogue
from boxoffice.ui.desk.page import DeskPage
from sync.client import SyncState
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
        assert panel.total.text() == "3 tickets · CHF\xa0135.00"
        panel.payment.setCurrentIndex(1)
        path = screenshot(page.window(), "desk-sale")
        image = QImage(str(path))
        assert image.width() >= 1000
        with qtbot.waitSignal(page.sale_recorded, timeout=10_000) as recorded:
            qtbot.keyClick(panel.customer_name, Qt.Key.Key_Return)
        sold = recorded.args[0]
        assert sold.total_minor == 13500 and len(sold.ticket_ids) == 3
        assert panel.problem.text().startswith(f"Sold: order {sold.number}")
        assert panel.total.text() == "0 tickets · CHF\xa00.00"
        assert panel.payment.currentIndex() == 0  # the last payment method does not stick
        with qtbot.waitSignal(page.rates_loaded, timeout=10_000, raising=False):
            pass
        qtbot.waitUntil(lambda: "Parterre" in panel.places.text())

    def test_the_chosen_date_stays_chosen_when_a_sync_reloads_the_dates(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        with qtbot.waitSignal(panel.date_chosen, timeout=10_000):
            panel.dates.setCurrentIndex(1)
        qtbot.wait(500)
        chosen = panel.dates.currentData()
        qtbot.keyClicks(panel.quantities[0][1], "2")
        page.load_dates()  # what every pull that touches events, orders or tickets does
        qtbot.wait(300)
        assert panel.dates.currentData() == chosen
        assert panel.quantities[0][1].value() == 2

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
        dialog = page.confirmation
        assert dialog is not None
        assert dialog.question.text() == f"Cancel 2 tickets of order {sold.number}?"
        assert (dialog.amount.text(), dialog.paid_by.text(), dialog.method.currentText()) == (
            "CHF\xa090.00", "cash", "cash")
        screenshot(dialog, "desk-refund")
        with qtbot.waitSignal(page.tickets_cancelled, timeout=10_000) as cancelled:
            dialog.yes.click()
        assert sorted(cancelled.args[0]) == sorted(sold.ticket_ids)
        assert page.orders_panel.message.text() == (
            "2 tickets cancelled; their places are back on sale. Refund CHF\xa090.00 by cash.")


def desk_of(window) -> DeskPage:
    return next(window.pages.widget(i) for i in range(window.pages.count())
                if isinstance(window.pages.widget(i), DeskPage))


def open_desk_on_parterre(window, qtbot) -> DeskPage:
    desk = desk_of(window)
    window.show()
    with qtbot.waitSignal(desk.rates_loaded, timeout=10_000):
        window.show_page("Desk")
    zones = desk.sale_panel.zones
    parterre = next(i for i in range(zones.count()) if zones.item(i).text().startswith("Parterre"))
    if zones.currentRow() != parterre:
        with qtbot.waitSignal(desk.rates_loaded, timeout=10_000):
            zones.setCurrentRow(parterre)
    return desk


@pytest.fixture
def questions(demo_writer: Writer) -> dict[str, str]:
    """The first event on sale asks two questions before payment, one of them required."""
    with demo_writer.store.session() as session:
        event_id = session.scalars(select(Event.id).where(Event.name == "Le Misanthrope")).one()
    with demo_writer.transaction() as work:
        return {"wheelchair": catalogue.add_question(work, event_id, "Wheelchair space?", kind="yes_no",
                                                     required=True),
                "diet": catalogue.add_question(work, event_id, "Diet")}


class TestOrderQuestions:
    def test_the_sale_screen_asks_the_questions_and_requires_the_required_ones(self, window, qtbot, questions,
                                                                               demo_writer: Writer):
        page = open_desk_on_parterre(window, qtbot)
        panel = page.sale_panel
        box = panel.questions
        assert box.isVisible()
        labels = [box.form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget().text() for i in range(2)]
        assert labels == ["Wheelchair space? *", "Diet"]
        qtbot.keyClicks(panel.quantities[0][1], "2")
        qtbot.keyClicks(panel.customer_name, "Lea Favre")
        qtbot.keyClicks(panel.customer_phone, "+41 79 555 12 12")
        with qtbot.waitSignal(page.sale_refused, timeout=10_000) as refused:
            qtbot.keyClick(panel.customer_name, Qt.Key.Key_Return)
        assert refused.args == ["Please answer: Wheelchair space?"]
        assert panel.problem.text() == "Please answer: Wheelchair space?"
        wheelchair = box.fields[questions["wheelchair"]]
        assert wheelchair.hasFocus()
        wheelchair.setCurrentIndex(wheelchair.findData("yes"))
        qtbot.keyClicks(box.fields[questions["diet"]], "vegan")
        qtbot.waitUntil(lambda: all(spin.isVisible() for _rate, spin in panel.quantities))  # Qt shows them queued
        path = screenshot(page.window(), "desk-sale-questions")
        assert QImage(str(path)).width() >= 1000
        with qtbot.waitSignal(page.sale_recorded, timeout=10_000) as recorded:
            qtbot.keyClick(box.fields[questions["diet"]], Qt.Key.Key_Return)
        sold = recorded.args[0]
        with demo_writer.store.session() as session:
            order = session.get(Order, sold.id)
            assert order is not None
            assert order.answers == {questions["wheelchair"]: "yes", questions["diet"]: "vegan"}
            assert order.customer == {"phone": "+41 79 555 12 12"}
        assert box.answers() == {} and panel.customer_phone.text() == ""


class TestLeaseTopUp:
    def test_a_desk_shows_what_it_can_sell_offline_and_asks_for_more(self, window, qtbot, demo_writer: Writer):
        with demo_writer.store.session() as session:  # this copy is a paired desk: it sells only leased places
            session.execute(update(LocalDevice).values(role="desk"))
            session.commit()
        page = open_desk_on_parterre(window, qtbot)
        lease = page.sale_panel.lease
        assert lease.isVisible()
        assert lease.offline_left.text() == "This desk can sell 0 more in Parterre offline (leased 0, sold 0)"
        assert "0 of" in page.sale_panel.zones.currentItem().text()
        lease.wanted.setValue(30)
        with qtbot.waitSignal(page.places_requested, timeout=10_000) as asked:
            lease.request_button.click()
        assert asked.args == ["Asked the server for 30 more places in Parterre."]
        qtbot.waitUntil(lambda: lease.state.text() == "1 request waiting for the server…")
        with demo_writer.store.session() as session:
            waiting = session.scalars(select(Allotment)).one()
            assert (waiting.state, waiting.leased) == ("requested", 0)
            wanted = session.scalars(select(OutboxEntry.args).where(OutboxEntry.mutation == "allotments.request")).one()
            assert '"wanted": 30' in wanted or '"wanted":30' in wanted
        page.on_sync_state_changed(SyncState(online=False))
        assert not lease.request_button.isEnabled()
        assert lease.state.text().startswith("Offline: more places can be requested")
        page.on_sync_state_changed(SyncState(online=True))
        assert lease.request_button.isEnabled()

    def test_an_organizer_copy_sells_from_capacity_and_shows_no_lease(self, page: DeskPage):
        assert not page.sale_panel.lease.isVisible()


class TestClosingTheTill:
    def test_the_days_takings_show_per_desk_and_method_and_export(self, page: DeskPage, qtbot, tmp_path: Path):
        sell_two_by_keyboard(page, qtbot)
        page.orders_panel.takings.click()
        dialog = page.takings
        assert dialog is not None
        with qtbot.waitSignal(dialog.loaded, timeout=10_000) as loaded:
            pass
        found = loaded.args[0]
        cash = [line for line in found.lines if line.method == "cash" and line.desk.endswith("(this desk)")]
        assert cash and cash[0].sold_minor >= 9000
        rows = [[dialog.table.item(r, c).text() for c in range(8)] for r in range(dialog.table.rowCount())]
        assert any(row[1] == "cash" and row[0].endswith("(this desk)") for row in rows)
        assert "Total cash: CHF" in dialog.totals.text()
        screenshot(dialog, "desk-takings")
        with qtbot.waitSignal(dialog.csv_saved, timeout=10_000):
            dialog.save_csv(tmp_path / "till.csv")
        assert (tmp_path / "till.csv").read_text(encoding="utf-8-sig").startswith("Desk,Payment method")
        dialog.save_pdf(tmp_path / "till.pdf")
        assert (tmp_path / "till.pdf").read_bytes().startswith(b"%PDF")


def focus_path(panel: QWidget, start: QWidget, qtbot, presses: int, key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """Where the cursor goes on each of `presses` Tabs (or Backtabs) from `start`."""
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    seen = []
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), key)
        seen.append(QApplication.focusWidget())
    return seen


class TestKeyboardOnly:
    def test_tab_goes_round_the_sale_and_never_reaches_the_page_list(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        spins = [spin for _rate, spin in panel.quantities]
        ring = [panel.zones, *spins, panel.customer_name, panel.customer_email, panel.customer_phone,
                panel.payment, panel.sell_button, panel.clear_button, panel.dates]
        assert focus_path(panel, panel.dates, qtbot, len(ring)) == ring
        assert focus_path(panel, panel.dates, qtbot, 2, Qt.Key.Key_Backtab) == [panel.clear_button, panel.sell_button]
        assert page.window().navigation.currentItem().text() == "Desk"

    def test_a_letter_typed_after_the_last_rate_goes_into_the_sale_not_to_another_page(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        last_rate = panel.quantities[-1][1]
        assert focus_path(panel, last_rate, qtbot, 1) == [panel.customer_name]
        qtbot.keyClicks(QApplication.focusWidget(), "Eva")
        assert panel.customer_name.text() == "Eva"
        window = page.window()
        window.navigation.setFocus()
        qtbot.keyClicks(window.navigation, "E")  # "Events" would be chosen by a plain list's search
        assert window.pages.currentWidget() is page

    def test_esc_clears_the_sale_and_goes_back_to_the_first_rate(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        qtbot.keyClicks(panel.quantities[0][1], "4")
        qtbot.keyClicks(panel.customer_name, "Lea")
        qtbot.keyClick(panel.customer_name, Qt.Key.Key_Escape)
        assert (panel.quantities[0][1].value(), panel.customer_name.text()) == (0, "")
        assert panel.total.text() == "0 tickets · CHF\xa00.00"
        assert panel.quantities[0][1].hasFocus()

    @pytest.mark.parametrize("where", ["rate", "payment", "sell_button"])
    def test_enter_sells_from_any_field_of_the_sale(self, page: DeskPage, qtbot, where: str):
        panel = page.sale_panel
        qtbot.keyClicks(panel.quantities[0][1], "1")
        target = {"rate": panel.quantities[0][1], "payment": panel.payment, "sell_button": panel.sell_button}[where]
        target.setFocus()
        qtbot.waitUntil(target.hasFocus)
        with qtbot.waitSignal(page.sale_recorded, timeout=10_000) as recorded:
            qtbot.keyClick(target, Qt.Key.Key_Return)
        assert recorded.args[0].total_minor == 4500

    def test_the_buttons_show_their_keys(self, page: DeskPage):
        texts = [page.sale_panel.sell_button.text(), page.sale_panel.clear_button.text(),
                 page.orders_panel.cancel_order.text(), page.orders_panel.close_till.text()]
        assert texts == ["Sell (Enter)", "Clear (Esc)", "Cancel order… (Ctrl+Del)", "Close the till… (Ctrl+T)"]

    def test_ctrl_f_finds_a_reservation_and_esc_comes_back_to_the_sale(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        panel.customer_name.setFocus()
        qtbot.keyClick(panel.customer_name, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert page.orders_panel.search.hasFocus()
        ring = page.orders_panel.tab_ring()
        assert all(page.orders_panel.isAncestorOf(w) for w in focus_path(page.orders_panel, ring[0], qtbot, 10))
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert panel.quantities[0][1].hasFocus()


class TestFreshFigures:
    def test_a_sold_out_zone_is_shown_but_never_preselected(self, window, qtbot, demo_writer: Writer):
        with demo_writer.store.session() as session:
            session.execute(update(Zone).where(Zone.name == "Balcon").values(capacity=0))
            session.commit()
        desk = desk_of(window)
        window.show()
        with qtbot.waitSignal(desk.rates_loaded, timeout=10_000):
            window.show_page("Desk")
        zones = desk.sale_panel.zones
        balcon = next(i for i in range(zones.count()) if zones.item(i).text().startswith("Balcon"))
        assert zones.item(balcon).text() == "Balcon — sold out"
        assert not zones.item(balcon).flags() & Qt.ItemFlag.ItemIsSelectable
        assert desk.sale_panel.current_zone().name == "Parterre"

    def test_places_left_come_back_after_a_cancellation(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        before = panel.places.text()
        sold = sell_two_by_keyboard(page, qtbot)
        qtbot.waitUntil(lambda: panel.places.text() != before, timeout=10_000)
        with qtbot.waitSignal(page.order_shown, timeout=10_000):
            page.orders_panel.search.setText(sold.number)
        page.confirm_cancel(whole=True)
        with qtbot.waitSignal(page.tickets_cancelled, timeout=10_000):
            page.confirmation.yes.click()
        qtbot.waitUntil(lambda: panel.places.text() == before, timeout=10_000)
        assert panel.problem.text() == ""  # "Sold: order …" is not the news any more

    def test_a_date_change_clears_the_last_sale_message(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        sell_two_by_keyboard(page, qtbot)
        assert panel.problem.text().startswith("Sold: order")
        with qtbot.waitSignal(page.zones_loaded, timeout=10_000):
            panel.dates.setCurrentIndex(1)
        assert panel.problem.text() == ""
        assert panel.places.text().endswith(panel.current_zone().name)

    def test_an_invoice_order_does_not_show_as_paid(self, page: DeskPage, qtbot):
        panel = page.sale_panel
        panel.payment.setCurrentIndex(panel.payment.findData("invoice"))
        sold = sell_two_by_keyboard(page, qtbot)
        with qtbot.waitSignal(page.order_shown, timeout=10_000):
            page.orders_panel.search.setText(sold.number)
        assert page.orders_panel.results.item(0).text().endswith("invoiced, not paid yet")
        assert page.orders_panel.heading.text().endswith("— invoiced, not paid yet")


class TestUnsoldStock:
    def test_print_as_unsold_stock_records_a_stock_order_and_shows_it_ready_to_print(
            self, page: DeskPage, qtbot, demo_writer: Writer, tmp_path: Path):
        panel = page.sale_panel
        qtbot.keyClicks(panel.quantities[0][1], "2")
        qtbot.keyClicks(panel.customer_name, "Nobody")  # stock is sold to nobody: the name is not kept
        with (qtbot.waitSignal(page.order_shown, timeout=10_000),
              qtbot.waitSignal(page.sale_recorded, timeout=10_000) as recorded):
            panel.stock_button.click()
        printed = recorded.args[0]
        assert panel.problem.text() == f"Unsold stock: order {printed.number}, 2 tickets to print."
        assert page.orders_panel.heading.text().endswith("— printed as unsold stock")
        # No printer in this test: it says so in place, the order stays chosen for Save as PDF.
        assert page.orders_panel.message.text() == "No ticket printer is set up: save the tickets as PDF instead."
        with demo_writer.store.session() as session:
            order = session.get(Order, printed.id)
            assert order is not None and (order.status, order.customer_name, order.total_minor) == ("stock", "", 0)
        with qtbot.waitSignal(page.pdf_saved, timeout=20_000):
            page.save_pdf(tmp_path / "stock.pdf")
        assert (tmp_path / "stock.pdf").read_bytes().startswith(b"%PDF")
        page.confirm_cancel(whole=True)
        assert page.confirmation is not None and page.confirmation.amount.text() == "CHF\xa00.00"
