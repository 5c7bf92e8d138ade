"""The Printers page for the technician: printers and their queues, profiles, test card, guides,
recent jobs from the print log, batch badges, and the layout editor (PR3, PR4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.services import print_setup
from boxoffice.services.print_jobs import (
    LoggedJob,
    PrinterBackend,
    ProgressCallback,
    print_test_card,
    recent_jobs,
    test_card_pdf,
)
from boxoffice.ui import theme
from boxoffice.ui.changes import PRINT_LOG, ChangeSet, changes
from boxoffice.ui.ops import ReadOp
from boxoffice.ui.printers.batch_dialog import BatchPrintDialog
from boxoffice.ui.printers.guides import GuidesPanel
from boxoffice.ui.printers.layout_editor import LayoutEditor
from boxoffice.ui.printers.models import JobsModel, PrinterRow, PrintersModel
from boxoffice.ui.printers.print_run import PrintRun, alive
from boxoffice.ui.printers.profile_dialog import ProfileDialog
from printing.status import JobOutcome
from printing.templates import TEST_CARD

REFRESH_MS = 5_000


def _table(model: PrintersModel | JobsModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    return table


class PrintersPage(QWidget):
    """Never waits on the spooler itself: every printer call runs in a ReadOp or a PrintRun."""

    title = _("Printers")
    icon_name = "printers"
    purpose = _("The ticket printers, their layouts and the last print jobs.")
    refreshed = Signal()
    test_card_printed = Signal(str)
    test_card_saved = Signal(str)

    def __init__(self, writer: Writer, data_dir: Path, backend: PrinterBackend,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.writer, self.data_dir, self.backend = writer, data_dir, backend
        self.printers = PrintersModel()
        self.jobs = JobsModel()
        self.printer_table = _table(self.printers)
        self.jobs_table = _table(self.jobs)
        self.status = QLabel(_("Looking for printers…"))
        self.status.setWordWrap(True)
        self.reason = QLabel()  # why the printer-only buttons are greyed out, next to them
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #555; font-style: italic;")
        self.spooler_problem = ""
        self.profile_choice = QComboBox()
        self.buttons = {key: QPushButton(label) for key, label in (
            ("refresh", _("Refresh")), ("assign", _("Assign profile")), ("edit", _("Edit profile…")),
            ("test", _("Print test card")), ("pdf", _("Test card as PDF…")), ("batch", _("Badges: print or PDF…")))}
        for key, slot in (("refresh", self.refresh), ("assign", self.assign_profile), ("edit", self.edit_profile),
                          ("test", self.print_test_card), ("pdf", self.ask_test_card_pdf),
                          ("batch", self.print_badges)):
            self.buttons[key].clicked.connect(slot)
        self.editor = LayoutEditor(data_dir)
        self.editor.saved.connect(lambda _name: self.load_profiles())
        self.guides = GuidesPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._printers_tab(), _("Printers"))
        self.tabs.addTab(self.editor, _("Layout editor"))
        self.tabs.addTab(self.guides, _("Guides"))
        QVBoxLayout(self).addWidget(self.tabs)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.printer_table.selectionModel().currentRowChanged.connect(lambda *_a: self.on_printer_chosen())
        changes.applied.connect(self.on_changes_applied)
        self.load_profiles()
        self.on_printer_chosen()

    def _printers_tab(self) -> QWidget:
        bar = QHBoxLayout()
        bar.addWidget(self.buttons["refresh"])
        bar.addWidget(QLabel(_("Profile:")))
        bar.addWidget(self.profile_choice, 1)
        for key in ("assign", "edit"):
            bar.addWidget(self.buttons[key])
        cards = QHBoxLayout()
        for key in ("test", "pdf", "batch"):
            cards.addWidget(self.buttons[key])
        cards.addWidget(self.reason, 1)
        jobs_heading = QLabel(_("Recent print jobs"))
        theme.set_role(jobs_heading, theme.SECTION)
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(self.printer_table, 2)
        column.addLayout(bar)
        column.addLayout(cards)
        column.addWidget(self.status)
        column.addWidget(jobs_heading)
        column.addWidget(self.jobs_table, 3)
        return tab

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()

    def selected_printer(self) -> str:
        row = self.printer_table.currentIndex().row()
        return self.printers.rows[row].status.name if 0 <= row < len(self.printers.rows) else ""

    def on_printer_chosen(self) -> None:
        """Printer-only buttons need a chosen printer; profiles, PDFs and badges work without one."""
        name = self.selected_printer()
        for key in ("assign", "test"):
            self.buttons[key].setEnabled(bool(name))
        has_profile = self.profile_choice.count() > 0
        for key in ("edit", "pdf"):
            self.buttons[key].setEnabled(has_profile)
        self.reason.setText(self._why_disabled(bool(name), has_profile))
        for key in ("assign", "test", "edit", "pdf"):
            self.buttons[key].setToolTip("" if self.buttons[key].isEnabled() else self.reason.text())
        row = next((r for r in self.printers.rows if r.status.name == name), None)
        if row is not None and row.profile:
            self.profile_choice.setCurrentText(row.profile)

    def _why_disabled(self, has_printer: bool, has_profile: bool) -> str:
        if not has_profile:
            return _("No printer profile could be read: see the message above.")
        if has_printer:
            return ""
        why = self.spooler_problem or _("No printer was found.")
        return _("“Assign profile” and “Print test card” need a printer. {why} The profile, the test card as PDF "
                 "and the badges as PDF work without one.").format(why=why)

    def on_changes_applied(self, change_set: ChangeSet, _initiator: object) -> None:
        if change_set.touches("print_jobs"):
            self.load_jobs()

    def load_profiles(self) -> None:
        current = self.profile_choice.currentText()
        self.profile_choice.clear()
        try:
            self.profile_choice.addItems([p.name for p in print_setup.load_profiles(self.data_dir)])
        except ValueError as error:
            self.status.setText(str(error))
        if current:
            self.profile_choice.setCurrentText(current)

    def refresh(self) -> None:
        """Ask the spooler for its printers on a worker; the table updates when it answers."""
        backend, data_dir = self.backend, self.data_dir

        def query(_session: Session) -> list[PrinterRow]:
            rows = []
            for status in backend.printers():
                profile = print_setup.profile_for_printer(data_dir, status.name)
                rows.append(PrinterRow(status, profile.name if profile else ""))
            return rows

        ReadOp(self, query).on_success(self.on_printers_found).on_failure(self.on_printers_failed).run()
        self.load_jobs()

    def on_printers_found(self, rows: list[PrinterRow]) -> None:
        if not alive(self.printer_table):
            return
        chosen = self.selected_printer()
        self.printers.replace(rows)
        self.spooler_problem = ""
        names = [r.status.name for r in rows]
        self.printer_table.selectRow(names.index(chosen) if chosen in names else 0)
        self.on_printer_chosen()
        if not rows:
            self.status.setText(_("No printers found. Connect the card printer and install its driver."))
        elif self.status.text() == _("Looking for printers…"):
            self.status.clear()
        self.refreshed.emit()

    def on_printers_failed(self, error: BaseException) -> None:
        if not alive(self.printer_table):
            return
        self.printers.replace([])
        self.spooler_problem = str(error)
        self.on_printer_chosen()
        self.status.setText(str(error))
        self.refreshed.emit()

    def load_jobs(self) -> None:
        ReadOp(self, lambda session: recent_jobs(session)).on_success(self.on_jobs_loaded).run()

    def on_jobs_loaded(self, jobs: list[LoggedJob]) -> None:
        if alive(self.jobs_table):
            self.jobs.replace(jobs)

    def assign_profile(self) -> None:
        printer, profile = self.selected_printer(), self.profile_choice.currentText()
        if not printer or not profile:
            return
        try:
            print_setup.assign_profile(self.data_dir, printer, profile)
        except (ValueError, OSError) as error:
            self.status.setText(str(error))
            return
        self.status.setText(_("{printer} now prints with the profile “{profile}”.").format(
            printer=printer, profile=profile))
        self.refresh()

    def edit_profile(self) -> None:
        try:
            profile = print_setup.find_profile(self.data_dir, self.profile_choice.currentText())
        except ValueError as error:
            self.status.setText(str(error))
            return
        names = [named.name for named in print_setup.layouts(self.data_dir)]
        dialog = ProfileDialog(self, profile, names)
        dialog.accepted.connect(lambda: self._profile_edited(dialog))
        self.profile_dialog = dialog
        dialog.open()

    def _profile_edited(self, dialog: ProfileDialog) -> None:
        edited = dialog.profile()
        try:
            print_setup.save_profile(self.data_dir, edited)
        except (ValueError, OSError) as error:
            self.status.setText(_("The profile could not be saved: {error}").format(error=error))
            return
        self.load_profiles()
        self.profile_choice.setCurrentText(edited.name)
        self.status.setText(_("Profile “{name}” saved.").format(name=edited.name))

    def _run(self, work: Callable[[ProgressCallback, Callable[[], bool]], object], label: str,
             done: Callable[[object], None]) -> None:
        self.print_run = PrintRun(self, work, label)
        self.print_run.finished.connect(done)
        self.print_run.failed.connect(lambda error: self.status.setText(str(error)))
        self.print_run.start()

    def print_test_card(self) -> None:
        printer, backend, data_dir = self.selected_printer(), self.backend, self.data_dir
        profile_name = self.profile_choice.currentText()

        def work(_progress: ProgressCallback, _cancelled: Callable[[], bool]) -> JobOutcome:
            profile = print_setup.find_profile(data_dir, profile_name)
            return print_test_card(backend, printer, profile, print_setup.load_layout(data_dir, TEST_CARD))

        self.status.setText(_("Printing a test card on {printer}…").format(printer=printer))
        self._run(work, _("Printing a test card…"), self.on_test_card_printed)

    def ask_test_card_pdf(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Test card as PDF"), str(Path.home() / "test-card.pdf"),
                                                    _("PDF files (*.pdf)"))
        if path:
            self.save_test_card_pdf(Path(path))

    def save_test_card_pdf(self, path: Path) -> None:
        """The chosen profile's test card into `path`, rendered on a worker: no printer needed."""
        printer, data_dir, profile_name = self.selected_printer(), self.data_dir, self.profile_choice.currentText()

        def render(_session: Session) -> Path:
            profile = print_setup.find_profile(data_dir, profile_name)
            path.write_bytes(test_card_pdf(profile, print_setup.load_layout(data_dir, TEST_CARD), printer))
            return path

        ReadOp(self, render).on_success(self._test_card_saved).on_failure(
            lambda error: self.status.setText(_("The test card could not be saved: {error}").format(error=error))
        ).run()

    def _test_card_saved(self, path: Path) -> None:
        self.status.setText(_("Test card saved as {path}. Print it from any computer to check the layout.").format(
            path=path))
        self.test_card_saved.emit(str(path))

    def on_test_card_printed(self, outcome: object) -> None:
        assert isinstance(outcome, JobOutcome)
        text = _("Test card printed on {printer} (job {job}, {seconds:.1f} s). Check that the frame is whole "
                 "and every colour patch shows.").format(printer=outcome.printer or self.selected_printer(),
                                                         job=outcome.job_id, seconds=outcome.seconds)
        self.status.setText(text)
        self.test_card_printed.emit(text)
        self.refresh()

    def print_badges(self) -> None:
        names = [row.status.name for row in self.printers.rows]
        dialog = BatchPrintDialog(self, self.writer, self.backend, self.data_dir, names, self.selected_printer())
        dialog.printed.connect(lambda _report: changes.applied.emit(PRINT_LOG, self))
        dialog.open()
        self.batch_dialog = dialog
