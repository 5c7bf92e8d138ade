"""Find a reservation by name or order number, see its tickets, cancel, print or save them as PDF."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.money import format_money
from boxoffice.services.orders import OrderSummary, OrderTicket


class OrdersPanel(QWidget):
    """Widgets only; the page runs the searches and the writes."""

    search_changed = Signal(str)
    order_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText=_("Find a reservation: name, email or order number"))
        self.search.textChanged.connect(self.search_changed)
        self.results = QListWidget()
        self.results.currentRowChanged.connect(self._on_row)
        self.heading = QLabel()
        self.tickets = QListWidget()
        self.cancel_order = QPushButton(_("Cancel order…"))
        self.cancel_ticket = QPushButton(_("Cancel ticket…"))
        self.print_tickets = QPushButton(_("Print tickets"))
        self.save_pdf = QPushButton(_("Save as PDF…"))
        self.message = QLabel(wordWrap=True)
        self.close_till = QPushButton(_("Close the till: day's takings…"))
        self.orders: list[OrderSummary] = []
        buttons = QHBoxLayout()
        for button in (self.cancel_order, self.cancel_ticket, self.print_tickets, self.save_pdf):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.search)
        column.addWidget(self.results, 2)
        column.addWidget(self.heading)
        column.addWidget(self.tickets, 1)
        column.addLayout(buttons)
        column.addWidget(self.message)
        column.addWidget(self.close_till)
        self.show_tickets(None, [])

    def show_orders(self, orders: list[OrderSummary]) -> None:
        self.orders = orders
        self.results.clear()
        for order in orders:
            total = format_money(order.total_minor, order.currency)
            self.results.addItem(f"{order.number}  {order.customer_name}  {total}"
                                 f"  · {order.tickets} · {_(order.status)}")

    def current_order(self) -> OrderSummary | None:
        row = self.results.currentRow()
        return self.orders[row] if 0 <= row < len(self.orders) else None

    def _on_row(self, _row: int) -> None:
        order = self.current_order()
        if order is not None:
            self.order_chosen.emit(order)

    def show_tickets(self, order: OrderSummary | None, tickets: list[OrderTicket]) -> None:
        self.tickets.clear()
        self.heading.setText(_("Order {number} — {name}").format(number=order.number, name=order.customer_name)
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
