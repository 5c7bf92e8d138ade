"""The cash counted: pieces per note and coin, or only a total; says what was counted."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QSpinBox, QWidget

from boxoffice.i18n import _
from boxoffice.money import MoneyError, format_money, parse_money
from boxoffice.services.till import counted_from, denominations
from boxoffice.ui import theme


class PiecesBox(QSpinBox):
    """A number of notes or coins typed over its 0 (pressing 3 gives 3, not 30)."""

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        self.selectAll()


class CountBox(QGroupBox):
    """`changed` whenever what was counted changes. Pieces win over the total when both are typed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Cash counted: notes and coins, or the total"), parent)
        self.grid = QGridLayout(self)
        self.currency = "CHF"
        self.pieces: dict[int, QSpinBox] = {}
        self.show_currency(self.currency)

    def show_currency(self, currency: str) -> None:
        """One field per note and coin of the currency, in two columns, largest first."""
        if currency == self.currency and self.pieces:
            return
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)  # out of the Tab order now, not on the next pass of the event loop
                widget.deleteLater()
        self.currency, self.pieces = currency, {}
        values = denominations(currency)
        half = (len(values) + 1) // 2
        for index, value in enumerate(values):
            spin = PiecesBox(minimum=0, maximum=100_000)
            spin.valueChanged.connect(lambda _v: self.changed.emit())
            row, column = index % half, 2 * (index // half)
            self.grid.addWidget(QLabel(format_money(value, currency) + " ×"), row, column)
            self.grid.addWidget(spin, row, column + 1)
            self.pieces[value] = spin
        self.total = QLineEdit(placeholderText=_("or type the total counted"))
        self.total.textChanged.connect(lambda _t: self.changed.emit())
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')};")
        self.grid.addWidget(QLabel(_("Total counted")), half, 0)
        self.grid.addWidget(self.total, half, 1, 1, 3)
        self.grid.addWidget(self.problem, half + 1, 0, 1, 4)

    def fields(self) -> list[QWidget]:
        return [*self.pieces.values(), self.total]

    def counts(self) -> dict[int, int]:
        return {value: spin.value() for value, spin in self.pieces.items() if spin.value()}

    def counted_minor(self) -> int | None:
        """What the drawer holds as counted; None while nothing (valid) is counted. Says what is wrong."""
        self.problem.clear()
        counts = self.counts()
        if counts:
            return counted_from(counts)
        if not self.total.text().strip():
            return None
        try:
            return parse_money(self.total.text(), self.currency)
        except MoneyError as error:
            self.problem.setText(str(error))
            return None

    def set_read_only(self, counts: dict[int, int], counted_minor: int) -> None:
        for value, spin in self.pieces.items():
            spin.setValue(counts.get(value, 0))
            spin.setEnabled(False)
        self.total.setText("" if counts else format_money(counted_minor, self.currency))
        self.total.setEnabled(False)
