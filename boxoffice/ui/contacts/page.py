"""The Contacts page: lists on the left, a filterable table of the chosen list's contacts on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, ngettext
from boxoffice.services import contact_windows, contacts, opt_outs
from boxoffice.services.contact_export import export_list
from boxoffice.services.contacts import ListSummary
from boxoffice.ui import theme
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.contacts.contact_dialog import ContactDialog
from boxoffice.ui.contacts.import_wizard import ImportWizard
from boxoffice.ui.contacts.lists_panel import ListsPanel
from boxoffice.ui.contacts.merge_dialog import MergeDialog
from boxoffice.ui.contacts.models import ID_ROLE, ContactRow, ContactsModel
from boxoffice.ui.ops import Latest, ReadOp, WriteOp, show_error
from boxoffice.ui.widgets.flow import FlowRow

CONTACTS = ChangeSet.of("contacts")


class ContactsPage(QWidget):
    title = _("Contacts")
    icon_name = "contacts"
    purpose = _("People to invite, in lists: add, import, merge and export them.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lists = ListsPanel()
        self.lists.list_chosen.connect(self.on_list_chosen)
        self.model = ContactsModel()
        self.model.more_wanted.connect(self.load_more)
        self._reads = Latest()
        self._shown: tuple[str, str] = ("", "")  # the list and the search the rows on screen answer
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setDefaultSectionSize(150)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_contact())
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name or email"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.load_contacts)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.heading = QLabel()
        theme.set_role(self.heading, theme.SECTION)
        self.heading.setWordWrap(True)  # a long list name or the French empty state must not widen the window
        self.buttons = {key: QPushButton(label) for key, label in (
            ("add", _("Add…")), ("edit", _("Edit…")), ("remove", _("Remove")), ("import", _("Import CSV…")),
            ("export", _("Export CSV…")), ("merge", _("Merge…")), ("opt_out", _("Unsubscribe…")))}
        for key, slot in (("add", self.add_contact), ("edit", self.edit_contact), ("remove", self.remove_contacts),
                          ("import", self.import_csv), ("export", self.export_csv), ("merge", self.merge_lists),
                          ("opt_out", self.toggle_opt_out)):
            self.buttons[key].clicked.connect(slot)
        self._layout()
        self.current: ListSummary | None = None
        self.confirmation: QMessageBox | None = None
        changes.applied.connect(self.on_changes_applied)
        self._set_enabled()

    def _layout(self) -> None:
        bar = FlowRow().addWidgets(*self.buttons.values())
        right = QWidget()
        column = QVBoxLayout(right)
        column.addWidget(self.heading)
        column.addWidget(self.search)
        column.addWidget(self.table)
        column.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.lists)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([280, 920])
        QVBoxLayout(self).addWidget(splitter)

    def showEvent(self, event: object) -> None:
        if not self.lists.model.lists:
            self.lists.refresh()

    def _set_enabled(self) -> None:
        has_list = self.current is not None
        for key in ("add", "export", "merge", "import", "edit", "remove", "opt_out"):
            self.buttons[key].setEnabled(has_list or key == "import")

    def on_list_chosen(self, summary: ListSummary | None) -> None:
        self.current = summary
        self._set_enabled()
        self.load_contacts()

    def on_changes_applied(self, change_set: ChangeSet, _initiator: object) -> None:
        if change_set.touches("contacts", "opt_outs"):
            self.load_contacts()

    def load_contacts(self) -> None:
        """The first window of the chosen list (matching the search), replacing what is shown when it comes."""
        summary, text = self.current, self.search.text()
        if summary is None:
            self._reads.supersede()
            self.heading.setText(_("No contact list yet: create one or import a CSV file."))
            self.model.replace([], [])
            return
        self.heading.setText(ngettext("{name} — {n} contact", "{name} — {n} contacts", summary.contacts).format(
            name=summary.name, n=summary.contacts))
        list_id = summary.id

        def query(session: object) -> tuple[list[ContactRow], list[str], bool]:
            rows, more = _window(session, list_id, text, None)
            return rows, list(contacts.get_list(session, list_id).custom_fields), more  # type: ignore[arg-type]

        def show(result: tuple[list[ContactRow], list[str], bool]) -> None:
            self._shown = (list_id, text)
            self._show_contacts(result)

        self._reads.run(ReadOp(self, query), show)

    def load_more(self, after: contact_windows.SortKey) -> None:
        """The window after the last row shown, for the same list and search (the table scrolled near its end)."""
        (list_id, text), window = self._shown, self.model.window

        def failed(error: BaseException) -> None:
            self.model.fetch_failed()
            show_error(self, error, repr(error))

        self._reads.follow(ReadOp(self, lambda session: _window(session, list_id, text, after)).on_failure(failed),
                           lambda result: self.model.append(result[0], result[1], window=window))

    def _show_contacts(self, result: tuple[list[ContactRow], list[str], bool]) -> None:
        rows, fields, more = result
        self.model.replace(rows, fields, more)
        self.table.setColumnWidth(0, 260)

    def selected_ids(self) -> list[str]:
        return [str(self.model.data(i, ID_ROLE)) for i in self.table.selectionModel().selectedRows()]

    def add_contact(self) -> None:
        summary = self.current
        if summary is None:
            return
        dialog = ContactDialog(self, self.model.custom_fields)
        if dialog.exec():
            email, first, last, fields = dialog.values()
            WriteOp(self, lambda w, _p: contacts.add_contact(w, summary.id, email, first, last, fields),
                    ChangeSet.of("lists", "contacts")).run()

    def edit_contact(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        row = next(r for r in self.model.rows if r.id == ids[0])
        dialog = ContactDialog(self, self.model.custom_fields, row.email, row.first_name, row.last_name, row.fields)
        if dialog.exec():
            email, first, last, fields = dialog.values()
            WriteOp(self, lambda w, _p: contacts.edit_contact(w, row.id, email, first, last, fields), CONTACTS).run()

    def remove_contacts(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        answer = QMessageBox.question(self, _("Remove contacts"), ngettext(
            "Remove {n} contact from this list?", "Remove {n} contacts from this list?", len(ids)).format(n=len(ids)))
        if answer == QMessageBox.StandardButton.Yes:
            WriteOp(self, lambda w, _p: contacts.remove_contacts(w, ids), ChangeSet.of("lists", "contacts")).run()

    def toggle_opt_out(self) -> None:
        """Record by hand that the selected addresses want no more invitations (asked by phone, by letter),
        or, when all of them already opted out, invite them again; asked first either way."""
        chosen = [r for r in self.model.rows if r.id in set(self.selected_ids())]
        if not chosen:
            return
        emails = [r.email for r in chosen]
        again = all(r.unsubscribed for r in chosen)
        question = (ngettext("Invite {n} address again? Do it only if the person asked for it.",
                             "Invite {n} addresses again? Do it only if these people asked for it.", len(emails))
                    if again else
                    ngettext("{n} address will receive no more of your invitations, from any list. Continue?",
                             "{n} addresses will receive no more of your invitations, from any list. Continue?",
                             len(emails))).format(n=len(emails))

        def write(work: object, _progress: object) -> None:
            for email in emails:
                if again:
                    opt_outs.withdraw(work, email)  # type: ignore[arg-type]
                else:
                    opt_outs.mark_opted_out(work, email)  # type: ignore[arg-type]

        box = QMessageBox(QMessageBox.Icon.Question, _("Unsubscribe"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.buttonClicked.connect(lambda button: WriteOp(self, write, ChangeSet.of("opt_outs")).run()
                                  if box.standardButton(button) == QMessageBox.StandardButton.Yes else None)
        self.confirmation = box
        box.open()

    def import_csv(self) -> None:
        summary = self.current
        name = summary.name if summary else _("Imported contacts")
        wizard = ImportWizard(self, summary.id if summary else None, name)
        wizard.imported.connect(lambda list_id, _n: self.lists.select(list_id))
        wizard.open()

    def export_csv(self) -> None:
        summary = self.current
        if summary is None:
            return
        path, _f = QFileDialog.getSaveFileName(self, _("Export contacts"), f"{summary.name}.csv",
                                               _("CSV files (*.csv)"))
        if path:
            from pathlib import Path

            ReadOp(self, lambda s: export_list(s, summary.id, Path(path))).on_success(
                lambda n: self.heading.setText(ngettext("{n} contact exported to {file}",
                                                        "{n} contacts exported to {file}", n).format(
                    n=n, file=path))).run()

    def merge_lists(self) -> None:
        summary = self.current
        if summary is None:
            return
        others = [item for item in self.lists.model.lists if item.id != summary.id and not item.archived]
        MergeDialog(self, summary, others).open()


def _window(session: object, list_id: str, text: str,
            after: contact_windows.SortKey | None) -> tuple[list[ContactRow], bool]:
    """One window of rows for the table, and whether a next one may follow."""
    lines = contact_windows.window(session, list_id, text, after)  # type: ignore[arg-type]
    out = opt_outs.opted_out(session)  # type: ignore[arg-type]
    return [ContactRow(line, line.email.lower() in out) for line in lines], len(lines) == contact_windows.WINDOW
