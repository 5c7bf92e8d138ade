"""The left side of the Contacts page: the lists, with create, rename, duplicate, archive and restore."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QInputDialog,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _
from boxoffice.services import contacts
from boxoffice.services.contacts import ListSummary
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.contacts.models import ID_ROLE, ListsModel
from boxoffice.ui.ops import ReadOp, WriteOp
from boxoffice.ui.widgets.flow import FlowRow

LISTS = ChangeSet.of("lists")


class ListsPanel(QWidget):
    list_chosen = Signal(object)  # ListSummary or None
    lists_loaded = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ListsModel()
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self.list_chosen.emit(self.current()))
        self.show_archived = QCheckBox(_("Show archived lists"))
        self.show_archived.toggled.connect(self.refresh)
        buttons = FlowRow()
        self.new_button = QPushButton(_("New list…"))
        self.rename_button = QPushButton(_("Rename…"))
        self.duplicate_button = QPushButton(_("Duplicate…"))
        self.archive_button = QPushButton(_("Archive"))
        for button in (self.new_button, self.rename_button, self.duplicate_button, self.archive_button):
            buttons.addWidget(button)
        self.new_button.clicked.connect(self.create_list)
        self.rename_button.clicked.connect(self.rename_list)
        self.duplicate_button.clicked.connect(self.duplicate_list)
        self.archive_button.clicked.connect(self.toggle_archive)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.show_archived)
        layout.addLayout(buttons)
        self._select_id: str | None = None
        changes.applied.connect(self.on_changes_applied)

    def current(self) -> ListSummary | None:
        index = self.view.currentIndex()
        return self.model.lists[index.row()] if index.isValid() else None

    def on_changes_applied(self, change_set: ChangeSet, _initiator: object) -> None:
        if change_set.touches("lists", "contacts"):
            self.refresh()

    def refresh(self) -> None:
        current = self.current()
        keep = self._select_id or (current.id if current else None)
        archived = self.show_archived.isChecked()
        ReadOp(self, lambda s: contacts.list_summaries(s, include_archived=archived)).on_success(
            lambda lists: self._loaded(lists, keep)).run()

    def _loaded(self, lists: list[ListSummary], keep: str | None) -> None:
        self.model.replace(lists)
        self._select_id = None
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and lists:
            row = 0
        if row >= 0:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        else:
            self.list_chosen.emit(None)
        current = self.current()
        self.archive_button.setText(_("Restore") if current and current.archived else _("Archive"))
        self.lists_loaded.emit(len(lists))

    def select(self, list_id: str) -> None:
        self._select_id = list_id

    def _ask_name(self, title: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, _("Name of the list:"), text=text)
        return name.strip() if ok and name.strip() else None

    def create_list(self) -> None:
        name = self._ask_name(_("New list"))
        if name:
            WriteOp(self, lambda w, _p: contacts.create_list(w, name), LISTS).on_success(self.select).run()

    def rename_list(self) -> None:
        current = self.current()
        name = self._ask_name(_("Rename list"), current.name) if current else None
        if current and name:
            WriteOp(self, lambda w, _p: contacts.rename_list(w, current.id, name), LISTS).run()

    def duplicate_list(self) -> None:
        current = self.current()
        name = self._ask_name(_("Duplicate list"), _("{name} (copy)").format(name=current.name)) if current else None
        if current and name:
            WriteOp(self, lambda w, _p: contacts.duplicate_list(w, current.id, name), LISTS,
                    _("Copying the list…")).on_success(self.select).run()

    def toggle_archive(self) -> None:
        current = self.current()
        if current is None:
            return
        if current.archived:
            WriteOp(self, lambda w, _p: contacts.restore_list(w, current.id), LISTS).run()
            return
        answer = QMessageBox.question(self, _("Archive list"), _(
            "Archive “{name}”? It disappears from the lists in use; you can restore it later.").format(
            name=current.name))
        if answer == QMessageBox.StandardButton.Yes:
            WriteOp(self, lambda w, _p: contacts.archive_list(w, current.id), LISTS).run()

    def list_id_at(self, row: int) -> str:
        return str(self.model.data(self.model.index(row), ID_ROLE))
