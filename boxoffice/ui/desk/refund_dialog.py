"""Asked before a cancellation: what is cancelled, the amount refunded and how (T5, X4)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from boxoffice.i18n import _, ngettext
from boxoffice.model.sales import STOCK
from boxoffice.money import format_money
from boxoffice.services.orders import OrderSummary, OrderTicket
from boxoffice.services.sales import PAYMENT_METHODS


def refund_methods(paid_by: str) -> list[str]:
    """The ways to give the money back, the order's own payment method first."""
    methods = [m for m in PAYMENT_METHODS if m != "free"]
    return [paid_by, *(m for m in methods if m != paid_by)] if paid_by in methods else methods


class RefundDialog(QDialog):
    """`confirmed(method)` when the seller says yes; Esc or No leaves the order as it is."""

    confirmed = Signal(str)

    def __init__(self, order: OrderSummary, tickets: list[OrderTicket], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Cancel and refund"))
        # Printed stock was never paid for (sales.cancel refunds nothing either).
        self.amount_minor = 0 if order.status == STOCK else sum(t.price_minor for t in tickets if t.state == "valid")
        what = ngettext("Cancel {n} ticket of order {number}?", "Cancel {n} tickets of order {number}?",
                        len(tickets)).format(n=len(tickets), number=order.number)
        self.question = QLabel(what)
        self.question.setStyleSheet("font-weight: bold;")
        self.amount = QLabel(format_money(self.amount_minor, order.currency))
        self.amount.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.paid_by = QLabel(_(PAYMENT_METHODS.get(order.payment_method, order.payment_method)))
        self.method = QComboBox()
        for method in refund_methods(order.payment_method):
            self.method.addItem(_(PAYMENT_METHODS[method]), method)
        form = QFormLayout()
        form.addRow(_("Refund"), self.amount)
        form.addRow(_("Paid by"), self.paid_by)
        form.addRow(_("&Refund by"), self.method)
        if not self.amount_minor:
            self.method.setEnabled(False)
            form.addRow("", QLabel(_("Nothing to refund: these tickets were printed as unsold stock.")
                                   if order.status == STOCK else _("Nothing to refund: these tickets were free.")))
        buttons = QDialogButtonBox()
        self.yes = buttons.addButton(_("Cancel and refund"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.no = buttons.addButton(_("Keep the order (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        self.no.setDefault(True)  # Enter pressed by habit keeps the tickets
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.accepted.connect(lambda: self.confirmed.emit(str(self.method.currentData())))
        column = QVBoxLayout(self)
        column.addWidget(self.question)
        column.addLayout(form)
        column.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)
