"""Closing the till: a day's takings per desk and payment method, refunds subtracted; print or CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.money import format_money
from boxoffice.services import takings, till
from boxoffice.services.takings import Takings
from boxoffice.ui.ops import ReadOp
from boxoffice.ui.widgets.documents import print_with_dialog, save_as_pdf


class TakingsDialog(QDialog):
    """`loaded(Takings)`, `closes_shown(list)`, `csv_saved(path)` and `pdf_saved(path)` let tests wait on signals."""

    loaded = Signal(object)
    csv_saved = Signal(str)
    pdf_saved = Signal(str)
    closes_shown = Signal(list)

    def __init__(self, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Day's takings"))
        self.timezone = timezone
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd.MM.yyyy")
        self.day.dateChanged.connect(lambda _d: self.load())
        self.table = QTableWidget(0, 8)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.totals = QLabel()
        self.totals.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.closes = QLabel(wordWrap=True)  # the tills closed that day, every desk's once synced
        self.print_button = QPushButton(_("Print…"))
        self.pdf_button = QPushButton(_("Save as PDF…"))
        self.csv_button = QPushButton(_("Export CSV…"))
        close = QPushButton(_("Close"))
        self.print_button.clicked.connect(self.print_takings)
        self.pdf_button.clicked.connect(self.ask_pdf_path)
        self.csv_button.clicked.connect(self.ask_csv_path)
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Day")))
        top.addWidget(self.day)
        top.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.pdf_button, self.csv_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.column = column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addWidget(self.totals)
        column.addWidget(self.closes)
        column.addLayout(buttons)
        self.resize(900, 480)
        self.current: Takings | None = None

    def chosen_day(self) -> date:
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def load(self) -> None:
        day, timezone = self.chosen_day(), self.timezone
        ReadOp(self, lambda session: takings.day_takings(session, day, timezone)).on_success(self._show).run()
        ReadOp(self, lambda session: till.closes_of_day(session, day)).on_success(
            lambda found: self._show_closes(day, found)).run()

    def _show_closes(self, day: date, found: list[till.ClosedTill]) -> None:
        if day != self.chosen_day():
            return
        lines = [till.close_line(closed) for closed in found]
        self.closes.setText("\n".join(lines) if lines else _("No till closed on this day yet."))
        self.closes_shown.emit(found)

    def _show(self, found: Takings) -> None:
        if found.day != self.chosen_day():
            return  # the answer for a day the user already left
        self.current = found
        self.table.setHorizontalHeaderLabels(takings.header())
        self.table.setRowCount(len(found.lines))
        for row, line in enumerate(found.lines):
            for column, text in enumerate(takings.cells(line)):
                item = QTableWidgetItem(text)
                if column >= 3:  # counts and amounts
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        lines = [_("Total {method}: {amount}").format(method=takings.method_label(m), amount=format_money(n, c))
                 for m, c, n in found.totals()]
        self.totals.setText("\n".join(lines) or _("No sales and no refunds on this day."))
        self.column.activate()  # size the totals now, not on the next pass of the event loop
        self.loaded.emit(found)

    def _document(self) -> QTextDocument | None:
        if self.current is None:
            return None
        document = QTextDocument(self)
        document.setHtml(takings.as_html(self.current))
        return document

    def print_takings(self) -> None:
        document = self._document()
        if document is None:
            return
        print_with_dialog(document, self)

    def ask_pdf_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the takings as PDF"),
                                                    f"takings-{self.chosen_day().isoformat()}.pdf", "PDF (*.pdf)")
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        """A PDF of the takings (small: laid out on the UI thread in a few milliseconds)."""
        document = self._document()
        if document is None:
            return
        save_as_pdf(document, path)
        self.pdf_saved.emit(str(path))

    def ask_csv_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the takings as CSV"),
                                                    f"takings-{self.chosen_day().isoformat()}.csv", "CSV (*.csv)")
        if path:
            self.save_csv(Path(path))

    def save_csv(self, path: Path) -> None:
        found = self.current
        if found is None:
            return

        def write(_session: Session) -> str:
            takings.write_csv(found, path)
            return str(path)

        ReadOp(self, write).on_success(self.csv_saved.emit).run()
