"""Merge another list into the current one: preview added, duplicates and conflicts, then confirm."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.services import list_merge
from boxoffice.services.contacts import ListSummary
from boxoffice.services.list_merge import MergePreview
from boxoffice.ui.changes import ChangeSet
from boxoffice.ui.ops import ReadOp, WriteOp


class MergeDialog(QDialog):
    previewed = Signal(object)
    merged = Signal()

    def __init__(self, parent: QWidget | None, keep: ListSummary, others: list[ListSummary]) -> None:
        super().__init__(parent)
        self.keep = keep
        self.setWindowTitle(_("Merge into “{name}”").format(name=keep.name))
        self.other = QComboBox()
        for item in others:
            self.other.addItem(item.name, item.id)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.conflicts = QTableWidget(0, 4)
        self.conflicts.setHorizontalHeaderLabels([_("Email"), _("Field"), _("Kept value"), _("Other list's value")])
        self.conflicts.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(_("Merge and archive the other list"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(False)
        self.buttons.accepted.connect(self._merge)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Merge this list into it"), self.other)
        form.addRow(self.summary)
        form.addRow(self.conflicts)
        form.addRow(self.buttons)
        self.other.currentIndexChanged.connect(self._preview)
        self.resize(700, 460)
        self._preview()

    def _preview(self) -> None:
        other_id = self.other.currentData()
        self.merge_button.setEnabled(False)
        if other_id is None:
            self.summary.setText(_("There is no other list to merge."))
            return
        keep_id = self.keep.id
        ReadOp(self, lambda s: list_merge.preview_merge(s, keep_id, other_id)).on_success(self._show).run()

    def _show(self, preview: MergePreview) -> None:
        self.summary.setText(_("{added} contacts will be added, {dups} are already in “{name}”, "
                               "{conflicts} fields differ (the kept list's values stay).").format(
            added=len(preview.added), dups=len(preview.duplicates), name=self.keep.name,
            conflicts=len(preview.conflicts)))
        self.conflicts.setRowCount(len(preview.conflicts))
        for i, c in enumerate(preview.conflicts):
            for j, value in enumerate((c.email, c.field, c.kept, c.other)):
                self.conflicts.setItem(i, j, QTableWidgetItem(value))
        self.merge_button.setEnabled(True)
        self.previewed.emit(preview)

    def _merge(self) -> None:
        keep_id, other_id = self.keep.id, self.other.currentData()
        self.merge_button.setEnabled(False)
        WriteOp(self, lambda w, _p: list_merge.merge_lists(w, keep_id, other_id), ChangeSet.of("lists", "contacts"),
                _("Merging…")).on_success(self._merged).run()

    def _merged(self, _preview: MergePreview) -> None:
        self.merged.emit()
        self.accept()
