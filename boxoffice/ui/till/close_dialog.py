"""The till close (T5): opening float, the cash counted, expected against counted and the difference,
who closes; then the closing record, final, to print or save as PDF. Keyboard first: Tab goes down
the form, Ctrl+Enter closes (after a confirmation), Esc leaves without closing."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.money import MoneyError, format_money, parse_money
from boxoffice.services import till
from boxoffice.services.takings import method_label
from boxoffice.services.till import ClosedTill, TillDay
from boxoffice.ui import theme
from boxoffice.ui.changes import ChangeSet
from boxoffice.ui.ops import ReadOp, WriteOp
from boxoffice.ui.till.count_box import CountBox
from boxoffice.ui.widgets.documents import print_with_dialog, save_as_pdf

TILL = ChangeSet.of("till_closes")


def figures_text(sold: int, refunded: int, opening: int, expected: int, currency: str) -> str:
    """How the expected cash is reached, in one line."""
    money = [format_money(minor, currency) for minor in (sold, refunded, opening, expected)]
    return _("Cash sales {sold} − cash refunds {refunded} + float {float} = <b>expected {expected}</b>").format(
        sold=money[0], refunded=money[1], float=money[2], expected=money[3])


class TillCloseDialog(QDialog):
    """`loaded(TillDay)` when the day's figures are in, `closed(ClosedTill)` once recorded,
    `pdf_saved(path)`: for tests to wait on."""

    loaded = Signal(object)
    closed = Signal(object)
    refused = Signal(str)
    pdf_saved = Signal(str)

    def __init__(self, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Close the till"))
        self.timezone = timezone
        self.current: TillDay | None = None
        self.record: ClosedTill | None = None
        self.confirmation: QMessageBox | None = None
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd.MM.yyyy")
        self.day.dateChanged.connect(lambda _d: self.load())
        self.opening_float = QLineEdit(placeholderText=_("e.g. 200"))
        self.count = CountBox()
        self.closed_by = QLineEdit(placeholderText=_("Your name"))
        self.note = QLineEdit(placeholderText=_("Optional: what explains a difference"))
        self.figures = QLabel(textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.difference = QLabel()
        self.difference.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.refunds = QListWidget()
        self.refunds.setMaximumHeight(90)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')}; font-weight: bold;")
        self.close_button = QPushButton(_("Close the till (Ctrl+Enter)"))
        self.pdf_button = QPushButton(_("Save as PDF… (Ctrl+S)"))
        self.print_button = QPushButton(_("Print… (Ctrl+P)"))
        self.leave = QPushButton(_("Leave (Esc)"))
        self._wire()
        self._lay_out()
        self.resize(760, 640)

    def _wire(self) -> None:
        for edit in (self.opening_float, self.closed_by):
            edit.textChanged.connect(lambda _t: self.update_figures())
        self.count.changed.connect(self.update_figures)
        self.close_button.clicked.connect(self.confirm_close)
        self.pdf_button.clicked.connect(self.ask_pdf_path)
        self.print_button.clicked.connect(self.print_record)
        self.leave.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.close_button.click)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.pdf_button.click)
        QShortcut(QKeySequence("Ctrl+P"), self).activated.connect(self.print_button.click)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(_("&Day"), self.day)
        form.addRow(_("Opening &float"), self.opening_float)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.count)
        who = QFormLayout()
        who.addRow(_("Closed &by"), self.closed_by)
        who.addRow(_("&Note"), self.note)
        column.addLayout(who)
        column.addWidget(self.figures)
        column.addWidget(self.difference)
        column.addWidget(QLabel(_("Refunds of the day at this desk")))
        column.addWidget(self.refunds)
        column.addWidget(self.problem)
        buttons = QHBoxLayout()
        for button in (self.close_button, self.pdf_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.leave)
        column.addLayout(buttons)

    def chosen_day(self) -> date:
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def load(self) -> None:
        day, timezone = self.chosen_day(), self.timezone
        ReadOp(self, lambda session: till.till_day(session, day, timezone)).on_success(self._show).run()

    def _show(self, found: TillDay) -> None:
        if found.day != self.chosen_day():
            return  # the answer for a day the user already left
        self.current, self.record = found, found.closed
        self.count.show_currency(found.currency)
        self.refunds.clear()
        for refund in found.refunds:
            self.refunds.addItem(_("Order {number}: {amount} refunded by {method}").format(
                number=refund.order_number, amount=format_money(refund.amount_minor, refund.currency),
                method=method_label(refund.method)))
        if not found.refunds:
            self.refunds.addItem(_("No refunds"))
        chain = [self.day, self.opening_float, *self.count.fields(), self.closed_by, self.note, self.close_button,
                 self.pdf_button, self.print_button, self.leave]
        for before, after in pairwise(chain):
            self.setTabOrder(before, after)
        if found.closed is not None:
            self._show_record(found.closed)
        else:
            self._editable(True)
            self.update_figures()
            self.opening_float.setFocus()
        self.loaded.emit(found)

    def _editable(self, editable: bool) -> None:
        for widget in (self.opening_float, self.closed_by, self.note, self.close_button):
            widget.setEnabled(editable)
        self.pdf_button.setEnabled(not editable)
        self.print_button.setEnabled(not editable)

    def opening_float_minor(self) -> int | None:
        text = self.opening_float.text()
        if not text.strip():
            return 0
        try:
            return parse_money(text, self.current.currency if self.current else "CHF")
        except MoneyError as error:
            self.problem.setText(str(error))
            return None

    def update_figures(self) -> None:
        """Expected and the difference as the cash is counted."""
        day = self.current
        if day is None or self.record is not None:
            return
        self.problem.clear()
        opening, counted = self.opening_float_minor(), self.count.counted_minor()
        expected = day.expected_minor(opening or 0)
        self.figures.setText(figures_text(day.cash_sold_minor, day.cash_refunded_minor, opening or 0, expected,
                                          day.currency))
        if counted is None or opening is None:
            self.difference.setText(_("Count the cash to see the difference."))
            neutral = theme.status_colour("neutral")
            self.difference.setStyleSheet(f"font-size: 20pt; font-weight: bold; color: {neutral};")
            return
        self._show_difference(counted - expected, day.currency, counted)

    def _show_difference(self, difference: int, currency: str, counted: int) -> None:
        colour = theme.status_colour("ok" if difference == 0 else "error")
        self.difference.setStyleSheet(f"font-size: 20pt; font-weight: bold; color: {colour};")
        sign = "+" if difference > 0 else "−" if difference < 0 else ""
        self.difference.setText(_("Counted {counted} · difference {difference}").format(
            counted=format_money(counted, currency), difference=sign + format_money(abs(difference), currency)))

    def confirm_close(self) -> None:
        if self.current is None or self.record is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Close the till"),
                          _("Close the till for good? The closing record cannot be changed afterwards."),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: self.close_till()
                                  if box.standardButton(button) == QMessageBox.StandardButton.Yes else None)
        self.confirmation = box
        box.open()

    def close_till(self) -> None:
        day, opening = self.current, self.opening_float_minor()
        if day is None or opening is None:
            return
        counted, counts = self.count.counted_minor(), self.count.counts()
        who, note = self.closed_by.text(), self.note.text()
        WriteOp(self, lambda work, _p: till.close_till(work, day, opening, counted, counts, who, note), TILL,
                _("Closing the till…")).on_success(self._closed).on_failure(self._refused).run()

    def _closed(self, record: ClosedTill) -> None:
        self._show_record(record)
        self.pdf_button.setFocus()
        self.closed.emit(record)

    def _refused(self, error: BaseException) -> None:
        self.problem.setText(str(error))
        self.refused.emit(str(error))

    def _show_record(self, record: ClosedTill) -> None:
        """A closed till: its figures as recorded, nothing editable."""
        self.record = record
        self._editable(False)
        self.opening_float.setText(format_money(record.opening_float_minor, record.currency))
        self.closed_by.setText(record.closed_by)
        self.note.setText(record.note)
        self.count.set_read_only(record.counts, record.counted_minor)
        self.figures.setText(figures_text(record.cash_sold_minor, record.cash_refunded_minor,
                                          record.opening_float_minor, record.expected_minor, record.currency))
        self._show_difference(record.difference_minor, record.currency, record.counted_minor)
        self.problem.setStyleSheet(f"color: {theme.status_colour('ok')}; font-weight: bold;")
        self.problem.setText(_("Closed by {name} on {time}: this record is final.").format(
            name=record.closed_by, time=record.closed_at.astimezone(ZoneInfo(record.timezone)).strftime(
                "%d.%m.%Y %H:%M")))

    def _document(self) -> QTextDocument | None:
        if self.record is None:
            return None
        document = QTextDocument(self)
        document.setHtml(till.as_html(self.record))
        return document

    def ask_pdf_path(self) -> None:
        if self.record is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the till close as PDF"),
                                                    f"till-{self.record.day}.pdf", "PDF (*.pdf)")
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        """The closing sheet as PDF (small: laid out on the UI thread in a few milliseconds)."""
        document = self._document()
        if document is None:
            return
        save_as_pdf(document, path)
        self.pdf_saved.emit(str(path))

    def print_record(self) -> None:
        document = self._document()
        if document is None:
            return
        print_with_dialog(document, self)
