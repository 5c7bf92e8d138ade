"""The Desk page: sell on the left, find, cancel and print reservations on the right, close the till (T5)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from boxoffice import settings
from boxoffice.i18n import _, ngettext
from boxoffice.money import format_money
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import desk_leases, order_form, orders, print_setup, sales
from boxoffice.services.orders import OrderSummary
from boxoffice.services.print_jobs import PrinterBackend, print_items, render_items
from boxoffice.services.print_records import items_for_order
from boxoffice.services.sales import SoldOrder
from boxoffice.ui import theme
from boxoffice.ui.changes import PRINT_LOG, ChangeSet, changes
from boxoffice.ui.desk.orders_panel import OrdersPanel
from boxoffice.ui.desk.refund_dialog import RefundDialog
from boxoffice.ui.desk.sale_panel import SalePanel
from boxoffice.ui.desk.takings_dialog import TakingsDialog
from boxoffice.ui.ops import Latest, ReadOp, WriteOp
from boxoffice.ui.till.close_dialog import TillCloseDialog
from printing.errors import PrintError

log = logging.getLogger(__name__)
SALES = ChangeSet.of("orders", "tickets")
LEASES = ChangeSet.of("allotments")
DateChoices = tuple[list[orders.DeskZone], list[order_form.FormQuestion], list[desk_leases.ZoneLease] | None]


def venue_timezone(data_dir: Path) -> str:
    try:
        return settings.load(data_dir).venue_timezone
    except settings.SettingsError:
        return settings.Settings().venue_timezone


def date_choices(session: Session, date_id: str) -> DateChoices:
    """The zones with places left, the order form, and this desk's leases (None when it sells from capacity)."""
    leases = desk_leases.leases_for(session, date_id) if desk_leases.sells_from_leases(session) else None
    return orders.zones_for(session, date_id), order_form.questions_for_date(session, date_id), leases


class DeskPage(QWidget):
    """`dates_loaded`, `rates_loaded`, `sale_recorded(SoldOrder)`, `orders_found(list)`, `order_shown`,
    `tickets_cancelled(list)`, `pdf_saved(path)`, `print_finished(report)`, `zones_loaded` and
    `places_requested(str)` let tests wait on signals."""

    title = _("Desk")
    icon_name = "desk"
    purpose = _("Sell tickets at the box office and find an order by name or number.")
    dates_loaded = Signal()
    rates_loaded = Signal()
    sale_recorded = Signal(object)
    sale_refused = Signal(str)
    orders_found = Signal(list)
    order_shown = Signal()
    tickets_cancelled = Signal(list)
    pdf_saved = Signal(str)
    print_finished = Signal(object)
    zones_loaded = Signal()
    places_requested = Signal(str)

    def __init__(self, writer: Writer, data_dir: Path, backend: PrinterBackend | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.writer, self.data_dir, self.backend = writer, data_dir, backend
        self.sale_panel = SalePanel()
        self.orders_panel = OrdersPanel()
        row = QHBoxLayout()
        QVBoxLayout(self).addLayout(row, 1)  # vertical on top: the page header goes above the two columns
        # Many order questions make the sale screen taller than the window: it scrolls, never squeezes.
        sale_scroll = QScrollArea()
        sale_scroll.setWidget(self.sale_panel)
        sale_scroll.setWidgetResizable(True)
        sale_scroll.setFrameShape(QFrame.Shape.NoFrame)
        from boxoffice.ui.widgets.empty_state import EmptyState

        self.nothing_on_sale = EmptyState(_("Nothing is on sale yet: no published event has a date on sale. Set up "
                                            "or publish an event on the Events page."), _("Open the Events page"),
                                          page=_("Events"))
        sale_column = QVBoxLayout()
        sale_column.addWidget(self.nothing_on_sale)
        sale_column.addWidget(sale_scroll, 1)
        row.addLayout(sale_column, 3)
        row.addWidget(self.orders_panel, 2)
        self._connect_panels()
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._searches = Latest()  # the last keystroke's orders win, whatever order the reads finish in
        self._search_timer.timeout.connect(self.find_orders)
        self.orders_panel.search_changed.connect(lambda _t: self._search_timer.start())
        changes.applied.connect(self.on_changes_applied)
        self._shortcuts()
        self._loaded = False
        self.current: OrderSummary | None = None
        self.current_tickets: list[orders.OrderTicket] = []
        self._print_when_shown = ""  # the stock order to print as soon as the orders panel shows it
        self.confirmation: RefundDialog | None = None
        self.leases: dict[str, desk_leases.ZoneLease] | None = None
        self.online: bool | None = None
        self.takings: TakingsDialog | None = None
        self.till_close: TillCloseDialog | None = None

    def _connect_panels(self) -> None:
        """What the sale panel and the orders panel ask of the page."""
        self.sale_panel.date_chosen.connect(self.load_zones)
        self.sale_panel.zone_chosen.connect(self.load_rates)
        self.sale_panel.sell_requested.connect(self.sell)
        self.sale_panel.stock_requested.connect(self.print_stock)
        self.sale_panel.zone_chosen.connect(lambda _z: self._show_lease())
        self.sale_panel.lease.request_more.connect(self.request_places)
        self.orders_panel.close_till.clicked.connect(self.open_till_close)
        self.orders_panel.takings.clicked.connect(self.open_takings)
        self.orders_panel.order_chosen.connect(self.show_order)
        self.orders_panel.cancel_order.clicked.connect(lambda: self.confirm_cancel(whole=True))
        self.orders_panel.cancel_ticket.clicked.connect(lambda: self.confirm_cancel(whole=False))
        self.orders_panel.save_pdf.clicked.connect(self.ask_pdf_path)
        self.orders_panel.print_tickets.clicked.connect(self.print_tickets)

    def _shortcuts(self) -> None:
        here = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+F"), self, context=here).activated.connect(self.focus_search)
        QShortcut(QKeySequence("Ctrl+T"), self, context=here).activated.connect(self.orders_panel.close_till.click)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.orders_panel, context=here)
        back.activated.connect(self.sale_panel.focus_first_rate)  # Esc in the reservations: back to selling

    def focus_search(self) -> None:
        self.orders_panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.orders_panel.search.selectAll()

    def showEvent(self, event: Any) -> None:
        if not self._loaded:
            self._loaded = True
            status = getattr(self.window(), "sync_status", None)
            if status is not None:
                self.watch_sync(status.bridge)
            self.load_dates()
            self.find_orders()
        else:
            self.sale_panel.focus_first_rate()  # back from another page: ready to sell

    def on_changes_applied(self, changed: ChangeSet, initiator: object) -> None:
        if initiator is not self and self._loaded and changed.touches("events", "orders", "tickets"):
            self.load_dates()

    def load_dates(self) -> None:
        ReadOp(self, lambda session: orders.dates_on_sale(session)).on_success(self._show_dates).run()

    def _show_dates(self, dates: list[orders.DeskDate]) -> None:
        self.sale_panel.show_dates(dates)
        self.nothing_on_sale.set_empty(not dates)
        self.dates_loaded.emit()

    def watch_sync(self, bridge: Any) -> None:
        """Follow the sync worker's state: the desk asks for more places only while online."""
        bridge.state_changed.connect(self.on_sync_state_changed)
        self.online = bridge.state.online

    def on_sync_state_changed(self, state: Any) -> None:
        self.online = state.online
        self._show_lease()

    def load_zones(self, date_id: str) -> None:
        ReadOp(self, lambda session: date_choices(session, date_id)).on_success(
            lambda found: self._show_zones(date_id, found)).run()

    def _show_zones(self, date_id: str, found: DateChoices) -> None:
        if self.sale_panel.dates.currentData() != date_id:
            return  # an answer for a date the user already left
        zones, questions, leases = found
        self.leases = None if leases is None else {lease.zone_id: lease for lease in leases}
        self.sale_panel.questions.show_questions(questions)
        self.sale_panel.show_zones(zones, leased=leases is not None)
        self._show_lease()
        self.zones_loaded.emit()

    def _show_lease(self) -> None:
        zone = self.sale_panel.current_zone()
        lease = self.leases.get(zone.id) if self.leases is not None and zone is not None else None
        self.sale_panel.lease.show_lease(lease, self.online)

    def request_places(self, wanted: int) -> None:
        """Ask the server for more places of the chosen date and zone (granted on the next sync)."""
        zone, date_id = self.sale_panel.current_zone(), self.sale_panel.dates.currentData()
        if zone is None or not date_id:
            return
        WriteOp(self, lambda work, _p: desk_leases.request_places(work, date_id, zone.id, wanted), LEASES,
                _("Asking for places…")).on_success(lambda _id: self._requested(date_id, zone.name, wanted)) \
            .on_failure(self._refused).run()

    def _requested(self, date_id: str, zone: str, wanted: int) -> None:
        message = ngettext("Asked the server for {n} more place in {zone}.",
                           "Asked the server for {n} more places in {zone}.",
                           wanted).format(n=wanted, zone=zone)
        self.sale_panel.problem.setStyleSheet(f"color: {theme.status_colour('ok')}; font-weight: bold;")
        self.sale_panel.problem.setText(message)
        self.load_zones(date_id)
        self.places_requested.emit(message)

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
        missing = self.sale_panel.questions.missing()
        if missing:  # asked before payment: say what is open and go there
            self.sale_panel.questions.focus_first_missing()
            self._refused(ValueError(order_form.describe_missing(missing)))
            return
        WriteOp(self, lambda work, _p: sales.sell(work, sale), SALES, _("Selling…")) \
            .on_success(self._sold).on_failure(self._refused).run()

    def _sold(self, sold: SoldOrder) -> None:
        self.sale_panel.clear_sale()
        self.sale_panel.problem.setStyleSheet(f"color: {theme.status_colour('ok')}; font-weight: bold;")
        self.sale_panel.problem.setText(_("Sold: order {number}, {total}").format(
            number=sold.number, total=format_money(sold.total_minor, sold.currency)))
        self.orders_panel.search.setText(sold.number)
        self.load_zones(self.sale_panel.dates.currentData())
        self.sale_recorded.emit(sold)

    def print_stock(self) -> None:
        """D6: record the chosen tickets as unsold stock (no customer, nothing paid), then print them."""
        sale = self.sale_panel.sale()
        if sale is None:
            return
        WriteOp(self, lambda work, _p: sales.sell(work, sale, stock=True), SALES, _("Printing stock…")) \
            .on_success(self._stocked).on_failure(self._refused).run()

    def _stocked(self, printed: SoldOrder) -> None:
        self.sale_panel.clear_sale()
        self.sale_panel.problem.setStyleSheet(f"color: {theme.status_colour('ok')}; font-weight: bold;")
        self.sale_panel.problem.setText(ngettext(
            "Unsold stock: order {number}, {n} ticket to print.", "Unsold stock: order {number}, {n} tickets to print.",
            len(printed.ticket_ids)).format(number=printed.number, n=len(printed.ticket_ids)))
        self._print_when_shown = printed.number
        self.orders_panel.search.setText(printed.number)  # found, shown, then printed by _show_tickets
        self.load_zones(self.sale_panel.dates.currentData())
        self.sale_recorded.emit(printed)

    def _refused(self, error: BaseException) -> None:
        # At the desk a refusal shows in place, never as a dialog in the way of the next sale.
        self.sale_panel.problem.setStyleSheet(f"color: {theme.status_colour('error')}; font-weight: bold;")
        self.sale_panel.problem.setText(str(error))
        self.sale_refused.emit(str(error))

    def find_orders(self) -> None:
        text = self.orders_panel.search.text()
        self._searches.run(ReadOp(self, lambda session: orders.find_orders(session, text)), self._found)

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
        if self.current is not order:
            return  # the tickets of an order the seller already left
        self.current_tickets = tickets
        self.orders_panel.show_tickets(order, tickets)
        self.order_shown.emit()
        if order.number == self._print_when_shown:
            self._print_when_shown = ""
            self.print_tickets(ask_pdf=False)  # no dialog in the seller's way: Save as PDF stays one click away

    def confirm_cancel(self, whole: bool) -> None:
        """Ask first, showing the amount refunded and how (the order's payment method unless changed)."""
        order = self.current
        ticket = None if whole else self.orders_panel.current_ticket_id()
        if order is None or (not whole and ticket is None):
            return
        chosen = [t for t in self.current_tickets if t.state == "valid" and (whole or t.id == ticket)]
        if not chosen:
            self.orders_panel.message.setText(_("Nothing to cancel: these tickets are already cancelled."))
            return
        dialog = RefundDialog(order, chosen, self)
        dialog.confirmed.connect(lambda method: self.cancel(order, None if whole else [t.id for t in chosen],
                                                            method, dialog.amount_minor))
        self.confirmation = dialog
        dialog.open()

    def cancel(self, order: OrderSummary, ticket_ids: list[str] | None, refund_method: str | None = None,
               amount_minor: int = 0) -> None:
        method = refund_method or order.payment_method
        WriteOp(self, lambda work, _p: sales.cancel(work, order.id, ticket_ids, method), SALES,
                _("Cancelling…")).on_success(lambda ids: self._cancelled(ids, amount_minor, order.currency, method)) \
            .on_failure(lambda error: self.orders_panel.message.setText(str(error))).run()

    def _cancelled(self, ticket_ids: list[str], amount_minor: int = 0, currency: str = "CHF",
                   method: str = "cash") -> None:
        done = ngettext("{n} ticket cancelled; its place is back on sale.",
                        "{n} tickets cancelled; their places are back on sale.", len(ticket_ids)).format(
            n=len(ticket_ids))
        if amount_minor:
            done += " " + _("Refund {amount} by {method}.").format(
                amount=format_money(amount_minor, currency), method=_(sales.PAYMENT_METHODS.get(method, method)))
        self.orders_panel.message.setText(done)
        self.sale_panel.problem.clear()  # "only 2 places left" is no longer true
        self.find_orders()
        self.load_dates()  # and with them the zones' places left
        self.tickets_cancelled.emit(ticket_ids)

    def open_till_close(self) -> None:
        """Count the drawer and record the close (T5): the desk's day ends here."""
        self.till_close = TillCloseDialog(venue_timezone(self.data_dir), self)
        self.till_close.open()
        self.till_close.load()

    def open_takings(self) -> None:
        """The day's takings per desk and payment method, to close the till."""
        self.takings = TakingsDialog(venue_timezone(self.data_dir), self)
        self.takings.open()
        self.takings.load()

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

    def print_tickets(self, ask_pdf: bool = True) -> None:
        """Print through the assigned ticket printer; without one, offer Save as PDF (`ask_pdf`: at once)."""
        order, data_dir, writer, backend = self.current, self.data_dir, self.writer, self.backend
        printer = print_setup.printer_for(data_dir, "ticket")
        if order is None:
            return
        if backend is None or not printer:
            self.orders_panel.message.setText(_("No ticket printer is set up: save the tickets as PDF instead."))
            if ask_pdf:
                self.ask_pdf_path()
            return

        def work(session: Session) -> Any:
            items = items_for_order(session, order.number, "ticket")
            profile = print_setup.profile_for(data_dir, "ticket", printer)
            layout = print_setup.layout_for(data_dir, "ticket", profile)
            return print_items(writer, backend, items, printer, profile, layout)

        ReadOp(self, work).on_success(self._printed).on_failure(self._print_failed).run()

    def _printed(self, report: Any) -> None:
        self.orders_panel.message.setText(report.summary())
        changes.applied.emit(PRINT_LOG, self)
        self.print_finished.emit(report)

    def _print_failed(self, error: BaseException) -> None:
        self.orders_panel.message.setText(str(error) or type(error).__name__)
        if not isinstance(error, ValueError | PrintError):  # a printer's refusal says what to do; the rest are bugs
            log.error("printing the tickets of an order failed", exc_info=error)
        changes.applied.emit(PRINT_LOG, self)  # the cards printed before the failure are logged
