"""The CSV import wizard: file, consent, column mapping, preview with the error report, then import."""

from __future__ import annotations

import getpass
import shutil
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from boxoffice.i18n import _, ngettext
from boxoffice.services.column_mapping import (
    CUSTOM_PREFIX,
    EMAIL,
    FIRST_NAME,
    IGNORE,
    LAST_NAME,
    guess_mapping,
)
from boxoffice.services.contact_import import Consent, ImportPlan, apply_import, consent_terms, plan_import
from boxoffice.services.csv_files import DELIMITER_NAMES, CsvFile, read_csv_file
from boxoffice.ui.changes import ChangeSet
from boxoffice.ui.ops import ReadOp, WriteOp

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "samples" / "contacts-sample.csv"
PREVIEW_ROWS = 200


class FilePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Choose the file"))
        self.setSubTitle(_("A CSV file exported from a spreadsheet or an address book."))
        self.path = QLineEdit()
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        sample = QPushButton(_("Save the sample file…"))
        sample.clicked.connect(self._save_sample)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        self.terms = QLabel(consent_terms())
        self.terms.setWordWrap(True)
        self.consent = QCheckBox(_("I accept these terms"))
        form = QFormLayout(self)
        form.addRow(_("File"), row)
        form.addRow("", sample)
        form.addRow(_("Consent"), self.terms)
        form.addRow("", self.consent)
        self.registerField("path*", self.path)
        self.registerField("consent*", self.consent)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import contacts"), "",
                                                    _("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.path.setText(path)

    def _save_sample(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the sample file"), "contacts-sample.csv")
        if path:
            shutil.copyfile(SAMPLE, path)


class MappingPage(QWizardPage):
    """Mapping table on top, the preview below; every change of mapping re-plans off the UI thread."""

    planned = Signal(object)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("Columns and preview"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels([_("Column"), _("First value"), _("Field")])
        self.problems = QTableWidget(0, 3)
        self.problems.setHorizontalHeaderLabels([_("Row"), _("Line"), _("Problem")])
        self.problems.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.columns)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        self.csv_file: CsvFile | None = None
        self.plan: ImportPlan | None = None

    def initializePage(self) -> None:
        path = Path(str(self.field("path")))
        self.plan = None
        self.summary.setText(_("Reading {file}…").format(file=path.name))
        ReadOp(self, lambda _s: read_csv_file(path)).on_success(self._file_read).on_failure(self._read_failed).run()

    def _read_failed(self, exc: BaseException) -> None:
        self.summary.setText(str(exc))
        self.completeChanged.emit()

    def _file_read(self, csv_file: CsvFile) -> None:
        self.csv_file = csv_file
        mapping = guess_mapping(csv_file.header)
        first = csv_file.rows[0] if csv_file.rows else []
        self.columns.setRowCount(len(csv_file.header))
        for i, name in enumerate(csv_file.header):
            self.columns.setItem(i, 0, QTableWidgetItem(name))
            self.columns.setItem(i, 1, QTableWidgetItem(first[i] if i < len(first) else ""))
            choice = QComboBox()
            for label, target in ((_("Email"), EMAIL), (_("First name"), FIRST_NAME), (_("Last name"), LAST_NAME),
                                  (_("Custom field “{name}”").format(name=name), CUSTOM_PREFIX + name),
                                  (_("Ignore"), IGNORE)):
                choice.addItem(label, target)
            choice.setCurrentIndex(max(0, choice.findData(mapping[i])))
            choice.currentIndexChanged.connect(self._replan)
            self.columns.setCellWidget(i, 2, choice)
        self._replan()

    def mapping(self) -> dict[int, str]:
        return {i: self.columns.cellWidget(i, 2).currentData() for i in range(self.columns.rowCount())}  # type: ignore[attr-defined]

    def _replan(self) -> None:
        csv_file, mapping, list_id = self.csv_file, self.mapping(), self.wizard_.list_id
        if csv_file is None:
            return
        self.plan = None
        self.completeChanged.emit()
        ReadOp(self, lambda s: plan_import(s, csv_file, list_id, mapping)).on_success(
            self._show_plan).on_failure(self._read_failed).run()

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        f = plan.file
        self.summary.setText(_("{rows} rows ({encoding}, {delimiter}): {ok} to import, {bad} invalid, "
                               "{dups} duplicates.").format(
            rows=plan.rows, encoding=f.encoding, delimiter=DELIMITER_NAMES[f.delimiter], ok=len(plan.contacts),
            bad=len(plan.invalid), dups=len(plan.duplicates)))
        problems = [(p.row, p.line, p.reason) for p in plan.invalid] + [
            (d.row, d.line, f"{d.email}: {d.reason}") for d in plan.duplicates]
        problems.sort()
        self.problems.setRowCount(min(len(problems), PREVIEW_ROWS))
        for i, (row, line, reason) in enumerate(problems[:PREVIEW_ROWS]):
            for j, value in enumerate((str(row), str(line), reason)):
                self.problems.setItem(i, j, QTableWidgetItem(value))
        self.setButtonText(QWizard.WizardButton.CommitButton, ngettext(
            "Import {n} contact", "Import {n} contacts", len(plan.contacts)).format(n=len(plan.contacts)))
        self.completeChanged.emit()
        self.planned.emit(plan)

    def isComplete(self) -> bool:
        return self.plan is not None and bool(self.plan.contacts)

    def validatePage(self) -> bool:
        self.wizard_.start_import()
        return True


class DonePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Import"))
        self.result = QLabel(_("Importing…"))
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(self.result)
        self.finished_ = False

    def isComplete(self) -> bool:
        return self.finished_


class ImportWizard(QWizard):
    """Import into `list_id`, or into a new list called `list_name` when list_id is None."""

    imported = Signal(str, int)

    def __init__(self, parent: QWidget | None, list_id: str | None, list_name: str) -> None:
        super().__init__(parent)
        self.list_id, self.list_name = list_id, list_name
        self.setWindowTitle(_("Import contacts into “{name}”").format(name=list_name))
        self.file_page, self.mapping_page, self.done_page = FilePage(), MappingPage(self), DonePage()
        for page in (self.file_page, self.mapping_page, self.done_page):
            self.addPage(page)
        self.resize(760, 560)

    def start_import(self) -> None:
        plan = self.mapping_page.plan
        assert plan is not None
        consent = Consent(accepted_by=getpass.getuser(), accepted=bool(self.field("consent")))
        list_id, name = self.list_id, self.list_name
        op = WriteOp(self, lambda w, p: apply_import(w, plan, list_id, name, consent,
                                                     lambda done, total: p.report(done, total)),
                     ChangeSet.of("lists", "contacts"), _("Importing contacts…"))
        op.on_success(self._done).on_failure(self._failed).run()

    def _done(self, result: tuple[str, int]) -> None:
        list_id, count = result
        self.done_page.result.setText(
            ngettext("{n} contact imported.", "{n} contacts imported.", count).format(n=count))
        self.done_page.finished_ = True
        self.done_page.completeChanged.emit()
        self.imported.emit(list_id, count)

    def _failed(self, exc: BaseException) -> None:
        self.done_page.result.setText(_("Nothing was imported: {error}").format(error=exc))
        self.done_page.finished_ = True
        self.done_page.completeChanged.emit()
