"""Print badges for a whole contact list (conference badges) or event date, with progress and cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import contacts, print_records, print_setup
from boxoffice.services.print_jobs import PrinterBackend, PrintReport, ProgressCallback, print_items, render_items
from boxoffice.ui.changes import PRINT_LOG, changes
from boxoffice.ui.ops import ReadOp
from boxoffice.ui.printers.print_run import PrintRun, alive

Choices = tuple[list[tuple[str, str]], list[tuple[str, str]]]


def _choices(session: Session) -> Choices:
    lists = [(s.id, f"{s.name} ({s.contacts})") for s in contacts.list_summaries(session, include_archived=False)]
    dates = [(d.id, d.label) for d in print_records.upcoming_dates(session)]
    return lists, dates


class BatchPrintDialog(QDialog):
    """Choose whose badges to print and on which printer; `printed(report)` when the run ends."""

    printed = Signal(object)
    choices_loaded = Signal()
    pdf_saved = Signal(str)

    def __init__(self, parent: QWidget, writer: Writer, backend: PrinterBackend, data_dir: Path,
                 printers: list[str], printer: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print badges"))
        self.writer, self.backend, self.data_dir = writer, backend, data_dir
        self.for_list = QRadioButton(_("Everyone in a contact list (conference badges)"))
        self.for_date = QRadioButton(_("Every ticket holder of an event date"))
        self.for_list.setChecked(True)
        self.lists, self.dates, self.printer = QComboBox(), QComboBox(), QComboBox()
        self.printer.addItems(printers)
        self.printer.setCurrentText(printer)
        self.reprint = QCheckBox(_("Also print again the badges printed before"))
        self.outcome_label = QLabel()
        self.outcome_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(_("Print"))
        self.print_button.setEnabled(False)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.start_printing)
        self.pdf_button = QPushButton(_("Save as PDF…"))
        self.pdf_button.setEnabled(False)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.clicked.connect(self.ask_pdf_path)
        self.no_printer = QLabel(_("“Print” needs a printer and none was found; “Save as PDF…” shows the badges "
                                   "as they would print."), wordWrap=True)
        self.no_printer.setVisible(not printers)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.for_list)
        form.addRow(_("Contact list"), self.lists)
        form.addRow(self.for_date)
        form.addRow(_("Event date"), self.dates)
        form.addRow(_("Printer"), self.printer)
        form.addRow(self.reprint)
        form.addRow(self.no_printer)
        form.addRow(self.outcome_label)
        form.addRow(buttons)
        ReadOp(self, _choices).on_success(self.on_choices_loaded).run()

    def on_choices_loaded(self, choices: Choices) -> None:
        if not alive(self.lists):
            return
        for combo, items in zip((self.lists, self.dates), choices, strict=True):
            for item_id, label in items:
                combo.addItem(label, item_id)
        self.print_button.setEnabled(self.printer.count() > 0)
        self.pdf_button.setEnabled(self.lists.count() > 0 or self.dates.count() > 0)
        self.choices_loaded.emit()

    def _items(self) -> Callable[[Session], list[print_records.PrintItem]]:
        if self.for_list.isChecked():
            list_id = self.lists.currentData()
            return lambda session: print_records.badge_items_for_list(session, list_id)
        date_id = self.dates.currentData()
        return lambda session: print_records.badge_items_for_date(session, date_id)

    def ask_pdf_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Badges as PDF"), str(Path.home() / "badges.pdf"),
                                                    _("PDF files (*.pdf)"))
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        """The chosen badges rendered with the printer's profile (or the default one) into `path`."""
        printer, items_of, data_dir = self.printer.currentText(), self._items(), self.data_dir

        def render(session: Session) -> Path:
            items = items_of(session)
            profile = print_setup.profile_for(data_dir, "badge", printer)
            path.write_bytes(render_items(print_setup.layout_for(data_dir, "badge", profile), items, _("Badges")))
            return path

        ReadOp(self, render).on_success(self._pdf_saved).on_failure(lambda error: self.on_failed(str(error))).run()

    def _pdf_saved(self, path: Path) -> None:
        self.outcome_label.setText(_("Badges saved as {path}.").format(path=path))
        self.pdf_saved.emit(str(path))

    def start_printing(self) -> None:
        printer, reprint, items_of = self.printer.currentText(), self.reprint.isChecked(), self._items()
        writer, backend, data_dir = self.writer, self.backend, self.data_dir

        def work(on_progress: ProgressCallback, is_cancelled: Callable[[], bool]) -> PrintReport:
            with writer.store.session() as session:
                items = items_of(session)
            profile = print_setup.profile_for(data_dir, "badge", printer)
            layout = print_setup.layout_for(data_dir, "badge", profile)
            return print_items(writer, backend, items, printer, profile, layout, reprint=reprint,
                               on_progress=on_progress, is_cancelled=is_cancelled)

        self.print_button.setEnabled(False)
        self.run = PrintRun(self, work, _("Printing badges…"))
        self.run.finished.connect(self.on_printed)
        self.run.failed.connect(lambda error: self.on_failed(str(error)))
        self.run.start()

    def on_printed(self, report: PrintReport) -> None:
        self.outcome_label.setText(report.summary())
        self.print_button.setEnabled(True)
        self.printed.emit(report)

    def on_failed(self, message: str) -> None:
        self.outcome_label.setText(message)
        self.print_button.setEnabled(True)
        changes.applied.emit(PRINT_LOG, self)  # the badges printed before the failure are logged
