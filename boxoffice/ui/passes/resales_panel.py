# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organizer's payout tracking (P5): every resale with its status, the IBAN masked, mark paid, CSV export."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, ngettext
from boxoffice.money import format_money
from boxoffice.services.passes import PAYOUT_KINDS
from boxoffice.services.resale import STATUSES, ResaleRow


def _money(minor: int | None, currency: str) -> str:
    return "" if minor is None else format_money(minor, currency)


class ResalesPanel(QWidget):
    """`settle_requested`, `mark_paid_requested(id)` and `export_requested` ask the page to act."""

    settle_requested = Signal()
    mark_paid_requested = Signal(str)
    export_requested = Signal()

    def __init__(self, timezone: str = "Europe/Zurich", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self.rows: list[ResaleRow] = []
        headers = [_("Holder"), _("Pass"), _("Event"), _("Date"), _("Seat"), _("Payout"), _("IBAN"),
                   _("Resold for"), _("Amount"), _("Status")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.summary = QLabel()
        self.settle_button = QPushButton(_("Check for resold seats"))
        self.paid_button = QPushButton(_("Mark as paid"))
        self.paid_button.setEnabled(False)
        self.export_button = QPushButton(_("Export CSV…"))
        self.settle_button.clicked.connect(self.settle_requested)
        self.paid_button.clicked.connect(self._ask_paid)
        self.export_button.clicked.connect(self.export_requested)
        self.message = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        for button in (self.settle_button, self.paid_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def show_rows(self, rows: list[ResaleRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        zone = ZoneInfo(self.timezone)
        for index, row in enumerate(rows):
            cells = [row.holder, row.pass_name, row.event, row.starts_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                     row.seat, _(PAYOUT_KINDS[row.payout_kind]), row.iban, _money(row.sold_minor, row.currency),
                     _money(row.payout_minor, row.currency) if row.status != "offered" else "",
                     _(STATUSES[row.status])]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(index, column, item)
        waiting: dict[str, int] = {}
        for row in rows:
            if row.status == "resold":  # passes can be sold in several currencies: never added together
                waiting[row.currency] = waiting.get(row.currency, 0) + row.payout_minor
        count = ngettext("{n} resale", "{n} resales", len(rows)).format(n=len(rows))
        self.summary.setText(f"{count} · " + _("to pay out: {amount}").format(
            amount=" + ".join(_money(total, currency) for currency, total in sorted(waiting.items())) or "0"))
        self._on_selection()

    def selected(self) -> ResaleRow | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.rows[chosen[0].row()] if chosen else None

    def _on_selection(self) -> None:
        row = self.selected()
        self.paid_button.setEnabled(row is not None and row.status == "resold")

    def _ask_paid(self) -> None:
        row = self.selected()
        if row is not None:
            self.mark_paid_requested.emit(row.id)
