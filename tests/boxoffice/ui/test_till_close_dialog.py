"""The till close from the desk, with the keyboard: float, notes counted, the difference, a final record."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from boxoffice.money import format_money, plain_amount
from boxoffice.ui.desk.page import DeskPage
from boxoffice.ui.till.close_dialog import TillCloseDialog
from tests.boxoffice.ui.conftest import screenshot
from tests.boxoffice.ui.test_desk_page import sell_two_by_keyboard


@pytest.fixture
def desk(window, qtbot) -> DeskPage:
    page = next(window.pages.widget(i) for i in range(window.pages.count())
                if isinstance(window.pages.widget(i), DeskPage))
    window.show()
    with qtbot.waitSignal(page.rates_loaded, timeout=10_000):
        window.show_page("Desk")
    return page


def open_till(desk: DeskPage, qtbot) -> TillCloseDialog:
    desk.window().activateWindow()  # a closed dialog gives the window back (offscreen Qt needs asking)
    qtbot.waitUntil(desk.window().isActiveWindow)
    earlier = desk.till_close
    desk.sale_panel.customer_name.setFocus()
    qtbot.keyClick(desk.sale_panel.customer_name, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = desk.till_close
    assert dialog is not None and dialog is not earlier
    if dialog.current is None:
        with qtbot.waitSignal(dialog.loaded, timeout=10_000):
            pass
    return dialog


def tab_to(target: QWidget, qtbot, limit: int = 40) -> None:
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target}: {QApplication.focusWidget()}")


def chf(minor: int) -> str:
    return format_money(minor, "CHF")


class TestClosingTheTillWithTheKeyboard:
    def test_float_and_notes_counted_give_the_difference_and_a_final_record(self, desk: DeskPage, qtbot,
                                                                           tmp_path: Path):
        sell_two_by_keyboard(desk, qtbot)  # CHF 90.00 more in cash (the demo sold some today too)
        dialog = open_till(desk, qtbot)
        day = dialog.current
        assert day is not None and day.cash_sold_minor >= 9000
        expected = 20000 + day.cash_sold_minor - day.cash_refunded_minor
        assert dialog.opening_float.hasFocus()
        qtbot.keyClicks(dialog.opening_float, "200")
        tab_to(dialog.count.pieces[20000], qtbot)
        qtbot.keyClicks(dialog.count.pieces[20000], "1")
        assert dialog.figures.text().endswith(f"<b>expected {chf(expected)}</b>")
        assert dialog.difference.text() == f"Counted {chf(20000)} · difference −{chf(expected - 20000)}"
        tab_to(dialog.count.pieces[5000], qtbot)
        qtbot.keyClicks(dialog.count.pieces[5000], "1")
        assert dialog.difference.text() == f"Counted {chf(25000)} · difference −{chf(expected - 25000)}"
        tab_to(dialog.closed_by, qtbot)
        qtbot.keyClicks(dialog.closed_by, "Noe")
        screenshot(dialog, "till-close-counting")
        qtbot.keyClick(dialog.closed_by, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        with qtbot.waitSignal(dialog.closed, timeout=10_000) as closed:
            qtbot.keyClick(dialog.confirmation, Qt.Key.Key_Return)
        record = closed.args[0]
        assert (record.expected_minor, record.counted_minor, record.difference_minor) == (
            expected, 25000, 25000 - expected)
        assert record.counts == {20000: 1, 5000: 1} and record.closed_by == "Noe"
        assert not dialog.close_button.isEnabled() and not dialog.count.pieces[20000].isEnabled()
        assert dialog.problem.text().startswith("Closed by Noe on ")
        screenshot(dialog, "till-close-closed")
        with qtbot.waitSignal(dialog.pdf_saved, timeout=10_000):
            dialog.save_pdf(tmp_path / "till.pdf")
        assert (tmp_path / "till.pdf").read_bytes().startswith(b"%PDF")

    def test_a_closed_till_opens_as_its_record_and_cannot_be_closed_again(self, desk: DeskPage, qtbot):
        dialog = open_till(desk, qtbot)
        assert dialog.current is not None
        exact = dialog.current.expected_minor(0)
        tab_to(dialog.count.total, qtbot)
        qtbot.keyClicks(dialog.count.total, plain_amount(exact, "CHF"))
        tab_to(dialog.closed_by, qtbot)
        qtbot.keyClicks(dialog.closed_by, "Noe")
        qtbot.keyClick(dialog.closed_by, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        with qtbot.waitSignal(dialog.closed, timeout=10_000):
            qtbot.keyClick(dialog.confirmation, Qt.Key.Key_Return)
        assert dialog.difference.text() == f"Counted {chf(exact)} · difference {chf(0)}"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        again = open_till(desk, qtbot)
        assert again.record is not None and again.record.closed_by == "Noe"
        assert not again.close_button.isEnabled() and not again.opening_float.isEnabled()
        assert again.difference.text() == f"Counted {chf(exact)} · difference {chf(0)}"
        qtbot.keyClick(again, Qt.Key.Key_Escape)
        desk.orders_panel.takings.click()  # the day's takings name the tills closed that day
        assert desk.takings is not None
        with qtbot.waitSignal(desk.takings.closes_shown, timeout=10_000):
            pass
        assert "closed by Noe at " in desk.takings.closes.text()
        assert desk.takings.closes.text().endswith("; the cash is right")

    def test_refunds_show_their_amount_and_method(self, desk: DeskPage, qtbot):
        sold = sell_two_by_keyboard(desk, qtbot)
        with qtbot.waitSignal(desk.order_shown, timeout=10_000):
            desk.orders_panel.search.setText(sold.number)
        desk.confirm_cancel(whole=True)
        with qtbot.waitSignal(desk.tickets_cancelled, timeout=10_000):
            desk.confirmation.yes.click()
        dialog = open_till(desk, qtbot)
        lines = [dialog.refunds.item(i).text() for i in range(dialog.refunds.count())]
        assert [line for line in lines if sold.number in line] == [
            f"Order {sold.number}: CHF\xa045.00 refunded by cash"] * 2
        assert dialog.current is not None and dialog.current.cash_refunded_minor >= 9000

    def test_nobody_named_is_refused_in_place(self, desk: DeskPage, qtbot):
        dialog = open_till(desk, qtbot)
        qtbot.keyClicks(dialog.count.total, "0")
        qtbot.keyClick(dialog.opening_float, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
            qtbot.keyClick(dialog.confirmation, Qt.Key.Key_Return)
        assert refused.args == ["Type who closes the till."]
        assert dialog.problem.text() == "Type who closes the till."
