"""Find a reservation by name or order number, see its tickets, cancel, print or save them as PDF."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, ngettext
from boxoffice.model.sales import STOCK
from boxoffice.money import format_money
from boxoffice.services.orders import OrderSummary, OrderTicket
from boxoffice.services.sales import PAYMENT_METHODS
from boxoffice.ui.desk.focus_ring import move_focus


def order_state(order: OrderSummary) -> str:
    """What the seller must know of an order: an invoice is not paid yet, a free order was never paid."""
    if order.status == "cancelled":
        return _("cancelled")
    if order.status == STOCK:
        return _("printed as unsold stock")
    if order.payment_method == "invoice":
        return _("invoiced, not paid yet")
    if order.payment_method == "free":
        return _("free")
    return _("paid by {method}").format(method=_(PAYMENT_METHODS.get(order.payment_method, order.payment_method)))


def _wrapping_list() -> QListWidget:
    """A list whose long lines wrap within the column instead of scrolling sideways."""
    view = QListWidget()
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)  # two lines an order: the stripes show where one ends
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QListWidget.ResizeMode.Adjust)
    return view


class OrdersPanel(QWidget):
    """Widgets only; the page runs the searches and the writes. Tab goes round this panel only;
    Esc (handled by the page) goes back to the sale."""

    search_changed = Signal(str)
    order_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText=_("Find a reservation (Ctrl+F): name, email or order number"))
        self.search.textChanged.connect(self.search_changed)
        self.results = _wrapping_list()
        self.results.currentRowChanged.connect(self._on_row)
        self.heading = QLabel(wordWrap=True)
        self.tickets = _wrapping_list()
        self.cancel_order = QPushButton(_("Cancel order… (Ctrl+Del)"))
        self.cancel_ticket = QPushButton(_("Cancel ticket… (Del)"))
        self.print_tickets = QPushButton(_("Print tickets (Ctrl+P)"))
        self.save_pdf = QPushButton(_("Save as PDF… (Ctrl+S)"))
        self.message = QLabel(wordWrap=True)
        self.close_till = QPushButton(_("Close the till… (Ctrl+T)"))
        self.takings = QPushButton(_("Day's takings…"))
        self.orders: list[OrderSummary] = []
        buttons = QGridLayout()  # two by two: the keys on the buttons must not squeeze the sale screen
        for index, button in enumerate((self.print_tickets, self.save_pdf, self.cancel_ticket, self.cancel_order)):
            buttons.addWidget(button, index // 2, index % 2)
        column = QVBoxLayout(self)
        column.addWidget(self.search)
        column.addWidget(self.results, 2)
        column.addWidget(self.heading)
        column.addWidget(self.tickets, 1)
        column.addLayout(buttons)
        column.addWidget(self.message)
        till = QGridLayout()
        till.addWidget(self.close_till, 0, 0)
        till.addWidget(self.takings, 0, 1)
        column.addLayout(till)
        self._shortcuts()
        self.show_tickets(None, [])

    def _shortcuts(self) -> None:
        here = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, button in (("Ctrl+Del", self.cancel_order), ("Ctrl+P", self.print_tickets),
                             ("Ctrl+S", self.save_pdf)):
            QShortcut(QKeySequence(keys), self, context=here).activated.connect(button.click)
        # Del cancels a ticket only from the ticket list: in a text field it deletes a character.
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.tickets, context=Qt.ShortcutContext.WidgetShortcut) \
            .activated.connect(self.cancel_ticket.click)

    def tab_ring(self) -> list[QWidget]:
        return [self.search, self.results, self.tickets, self.cancel_order, self.cancel_ticket, self.print_tickets,
                self.save_pdf, self.close_till, self.takings]

    def focusNextPrevChild(self, next: bool) -> bool:
        return move_focus(self.tab_ring(), next) or super().focusNextPrevChild(next)

    def show_orders(self, orders: list[OrderSummary]) -> None:
        self.orders = orders
        self.results.clear()
        for order in orders:
            total = format_money(order.total_minor, order.currency)
            count = ngettext("{n} ticket", "{n} tickets", order.tickets).format(n=order.tickets)
            # Two lines: who and which order first, what it is worth second — one line ran past a French column.
            item = QListWidgetItem(f"{order.number}  {order.customer_name}\n{total} · {count} · {order_state(order)}")
            item.setToolTip(item.text())
            self.results.addItem(item)

    def current_order(self) -> OrderSummary | None:
        row = self.results.currentRow()
        return self.orders[row] if 0 <= row < len(self.orders) else None

    def _on_row(self, _row: int) -> None:
        order = self.current_order()
        if order is not None:
            self.order_chosen.emit(order)

    def show_tickets(self, order: OrderSummary | None, tickets: list[OrderTicket]) -> None:
        self.tickets.clear()
        self.heading.setText(_("Order {number} — {name} — {state}").format(
            number=order.number, name=order.customer_name, state=order_state(order))
            if order else _("No order chosen"))
        for ticket in tickets:
            seat = f" {ticket.seat}" if ticket.seat else ""
            state = "" if ticket.state == "valid" else f"  ({_(ticket.state)})"
            item = QListWidgetItem(f"{ticket.event} · {ticket.zone}{seat} · {ticket.rate} · "
                                   f"{format_money(ticket.price_minor, ticket.currency)}{state}")
            item.setData(Qt.ItemDataRole.UserRole, ticket.id)
            self.tickets.addItem(item)
        for button in (self.cancel_order, self.cancel_ticket, self.print_tickets, self.save_pdf):
            button.setEnabled(order is not None)

    def current_ticket_id(self) -> str | None:
        item = self.tickets.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
