"""The Desk page: sell on the left, find, cancel and print reservations on the right (T5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QWidget
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.services import orders, print_setup, sales
from boxoffice.services.orders import OrderSummary, money
from boxoffice.services.print_jobs import PrinterBackend, print_items, render_items
from boxoffice.services.print_records import items_for_order
from boxoffice.services.sales import SoldOrder
from boxoffice.store.unit_of_work import Writer
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.desk.orders_panel import OrdersPanel
from boxoffice.ui.desk.sale_panel import SalePanel
from boxoffice.ui.ops import ReadOp, WriteOp

SALES = ChangeSet.of("orders", "tickets")


class DeskPage(QWidget):
    """`dates_loaded`, `rates_loaded`, `sale_recorded(SoldOrder)`, `orders_found(list)`, `order_shown`,
    `tickets_cancelled(list)`, `pdf_saved(path)` and `print_finished(report)` let tests wait on signals."""

    title = _("Desk")
    dates_loaded = Signal()
    rates_loaded = Signal()
    sale_recorded = Signal(object)
    sale_refused = Signal(str)
    orders_found = Signal(list)
    order_shown = Signal()
    tickets_cancelled = Signal(list)
    pdf_saved = Signal(str)
    print_finished = Signal(object)

    def __init__(self, writer: Writer, data_dir: Path, backend: PrinterBackend | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.writer, self.data_dir, self.backend = writer, data_dir, backend
        self.sale_panel = SalePanel()
        self.orders_panel = OrdersPanel()
        row = QHBoxLayout(self)
        row.addWidget(self.sale_panel, 3)
        row.addWidget(self.orders_panel, 2)
        self.sale_panel.date_chosen.connect(self.load_zones)
        self.sale_panel.zone_chosen.connect(self.load_rates)
        self.sale_panel.sell_requested.connect(self.sell)
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.find_orders)
        self.orders_panel.search_changed.connect(lambda _t: self._search_timer.start())
        self.orders_panel.order_chosen.connect(self.show_order)
        self.orders_panel.cancel_order.clicked.connect(lambda: self.confirm_cancel(whole=True))
        self.orders_panel.cancel_ticket.clicked.connect(lambda: self.confirm_cancel(whole=False))
        self.orders_panel.save_pdf.clicked.connect(self.ask_pdf_path)
        self.orders_panel.print_tickets.clicked.connect(self.print_tickets)
        changes.applied.connect(self.on_changes_applied)
        self._loaded = False
        self.current: OrderSummary | None = None

    def showEvent(self, event: Any) -> None:
        if not self._loaded:
            self._loaded = True
            self.load_dates()
            self.find_orders()

    def on_changes_applied(self, changed: ChangeSet, initiator: object) -> None:
        if initiator is not self and self._loaded and changed.touches("events", "orders", "tickets"):
            self.load_dates()

    def load_dates(self) -> None:
        ReadOp(self, lambda session: orders.dates_on_sale(session)).on_success(self._show_dates).run()

    def _show_dates(self, dates: list[orders.DeskDate]) -> None:
        self.sale_panel.show_dates(dates)
        self.dates_loaded.emit()

    def load_zones(self, date_id: str) -> None:
        ReadOp(self, lambda session: orders.zones_for(session, date_id)).on_success(self.sale_panel.show_zones).run()

    def load_rates(self, zone_id: str) -> None:
        date_id = self.sale_panel.dates.currentData()

        def query(session: Session) -> tuple[list[orders.DeskRate], list[orders.DeskSeat]]:
            return orders.rates_for(session, date_id, zone_id), orders.seats_for(session, date_id, zone_id)

        ReadOp(self, query).on_success(lambda found: self._show_rates(date_id, zone_id, found)).run()

    def _show_rates(self, date_id: str, zone_id: str,
                    found: tuple[list[orders.DeskRate], list[orders.DeskSeat]]) -> None:
        zone = self.sale_panel.current_zone()
        if zone is None or zone.id != zone_id or self.sale_panel.dates.currentData() != date_id:
            return  # an answer for a date or zone the user already left
        self.sale_panel.show_rates_and_seats(*found)
        self.rates_loaded.emit()

    def sell(self) -> None:
        sale = self.sale_panel.sale()
        if sale is None:
            return
        WriteOp(self, lambda work, _p: sales.sell(work, sale), SALES, _("Selling…")) \
            .on_success(self._sold).on_failure(self._refused).run()

    def _sold(self, sold: SoldOrder) -> None:
        self.sale_panel.clear_sale()
        self.sale_panel.problem.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.sale_panel.problem.setText(_("Sold: order {number}, {total}").format(
            number=sold.number, total=money(sold.total_minor, sold.currency)))
        self.orders_panel.search.setText(sold.number)
        self.load_zones(self.sale_panel.dates.currentData())
        self.sale_recorded.emit(sold)

    def _refused(self, error: BaseException) -> None:
        # At the desk a refusal shows in place, never as a dialog in the way of the next sale.
        self.sale_panel.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.sale_panel.problem.setText(str(error))
        self.sale_refused.emit(str(error))

    def find_orders(self) -> None:
        text = self.orders_panel.search.text()
        ReadOp(self, lambda session: orders.find_orders(session, text)).on_success(self._found).run()

    def _found(self, found: list[OrderSummary]) -> None:
        self.orders_panel.show_orders(found)
        if len(found) == 1:
            self.orders_panel.results.setCurrentRow(0)
        self.orders_found.emit(found)

    def show_order(self, order: OrderSummary) -> None:
        self.current = order
        ReadOp(self, lambda session: orders.tickets_of(session, order.id)).on_success(
            lambda tickets: self._show_tickets(order, tickets)).run()

    def _show_tickets(self, order: OrderSummary, tickets: list[orders.OrderTicket]) -> None:
        self.orders_panel.show_tickets(order, tickets)
        self.order_shown.emit()

    def confirm_cancel(self, whole: bool) -> None:
        order = self.current
        ticket = None if whole else self.orders_panel.current_ticket_id()
        if order is None or (not whole and ticket is None):
            return
        question = (_("Cancel the whole order {number} and refund it?") if whole
                    else _("Cancel this ticket of order {number} and refund it?")).format(number=order.number)
        box = QMessageBox(QMessageBox.Icon.Question, _("Cancel and refund"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.buttonClicked.connect(lambda button: self.cancel(order, None if whole else [ticket or ""])
                                  if box.standardButton(button) == QMessageBox.StandardButton.Yes else None)
        self.confirmation = box
        box.open()

    def cancel(self, order: OrderSummary, ticket_ids: list[str] | None) -> None:
        WriteOp(self, lambda work, _p: sales.cancel(work, order.id, ticket_ids), SALES, _("Cancelling…")) \
            .on_success(self._cancelled).run()

    def _cancelled(self, ticket_ids: list[str]) -> None:
        self.orders_panel.message.setText(_("{n} tickets cancelled; their places are back on sale.").format(
            n=len(ticket_ids)))
        self.find_orders()
        self.load_dates()
        self.tickets_cancelled.emit(ticket_ids)

    def ask_pdf_path(self) -> None:
        if self.current is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save tickets as PDF"),
                                                    f"{self.current.number}.pdf", "PDF (*.pdf)")
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        """Write the current order's tickets to a PDF (the way out on a machine without printers)."""
        order, data_dir = self.current, self.data_dir
        if order is None:
            return

        def render(session: Session) -> str:
            layout = print_setup.layout_for(data_dir, "ticket", None)
            path.write_bytes(render_items(layout, items_for_order(session, order.number, "ticket"), order.number))
            return str(path)

        ReadOp(self, render).on_success(self._pdf_saved).run()

    def _pdf_saved(self, path: str) -> None:
        self.orders_panel.message.setText(_("Tickets saved to {file}").format(file=path))
        self.pdf_saved.emit(path)

    def print_tickets(self) -> None:
        """Print through the assigned ticket printer; without one, offer Save as PDF."""
        order, data_dir, writer, backend = self.current, self.data_dir, self.writer, self.backend
        printer = print_setup.printer_for(data_dir, "ticket")
        if order is None:
            return
        if backend is None or not printer:
            self.orders_panel.message.setText(_("No ticket printer is set up: save the tickets as PDF instead."))
            self.ask_pdf_path()
            return

        def work(session: Session) -> Any:
            items = items_for_order(session, order.number, "ticket")
            profile = print_setup.profile_for(data_dir, "ticket", printer)
            layout = print_setup.layout_for(data_dir, "ticket", profile)
            return print_items(writer, backend, items, printer, profile, layout)

        ReadOp(self, work).on_success(self._printed).run()

    def _printed(self, report: Any) -> None:
        self.orders_panel.message.setText(report.summary())
        self.print_finished.emit(report)
