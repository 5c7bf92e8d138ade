"""The event's customers with their contact: copy their email addresses, export the order-form answers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, ngettext
from boxoffice.services.customers import Customer

Index = QModelIndex | QPersistentModelIndex


class CustomersModel(QAbstractTableModel):
    """Customers as table rows: a model, so an event with 25,000 customers shows at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.customers: list[Customer] = []
        self.headers = [_("Name"), _("Email"), _("Phone"), _("Orders"), _("Tickets")]

    def set_customers(self, customers: list[Customer]) -> None:
        self.beginResetModel()
        self.customers = customers
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.customers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        c = self.customers[index.row()]
        return (c.name, c.email, c.phone, c.orders, c.tickets)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class CustomersPanel(QGroupBox):
    """Widgets only; the page loads the customers and writes the export. `export_requested` on the button."""

    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Customers"), parent)
        self.model = CustomersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count = QLabel()
        self.copy_emails = QPushButton(_("Copy email addresses"))
        self.copy_emails.clicked.connect(self.copy_email_addresses)
        self.export_answers = QPushButton(_("Export answers (CSV)…"))
        self.export_answers.clicked.connect(self.export_requested)
        self.message = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.copy_emails)
        buttons.addWidget(self.export_answers)
        column = QVBoxLayout(self)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        column.addWidget(self.message)
        self.customers: list[Customer] = []

    def show_customers(self, customers: list[Customer]) -> None:
        self.customers = customers
        self.model.set_customers(customers)
        for column, width in enumerate((200, 260, 140, 70)):
            self.table.setColumnWidth(column, width)
        self.count.setText(ngettext("{n} customer", "{n} customers", len(customers)).format(n=len(customers)))
        self.copy_emails.setEnabled(any(c.email for c in customers))

    def email_addresses(self) -> str:
        """Every customer's address once, ready to paste into a mail's Bcc field."""
        return "; ".join(dict.fromkeys(c.email for c in self.customers if c.email))

    def copy_email_addresses(self) -> None:
        addresses = self.email_addresses()
        QGuiApplication.clipboard().setText(addresses)
        count = addresses.count(";") + 1 if addresses else 0
        self.message.setText(ngettext("{n} address copied: paste it into your mail's Bcc.",
                                      "{n} addresses copied: paste them into your mail's Bcc.", count).format(n=count))
