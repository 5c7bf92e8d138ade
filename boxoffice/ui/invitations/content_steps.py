"""Wizard steps 4–6: content with live variable checks (G5), the registration form (G6), recipients (G7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from boxoffice.i18n import _, ngettext
from boxoffice.services import credits, opt_outs
from boxoffice.services.contacts import ListSummary
from boxoffice.services.invitation_form import FIELD_KINDS, added_field
from boxoffice.services.invitations import InvitationDraft, recipients
from boxoffice.services.message_template import FIELD_PREFIX, VARIABLES
from boxoffice.ui.invitations.steps import Step, wrapped
from boxoffice.ui.ops import ReadOp


class ContentStep(Step):
    """Subject and text of the invitation and of the confirmation; unknown variables show as you type."""

    def __init__(self, custom_fields: list[str], check: Callable[[InvitationDraft], list[str]]) -> None:
        super().__init__()
        self._check = check
        self.subject, self.confirmation_subject = QLineEdit(), QLineEdit()
        self.body, self.confirmation_body = QPlainTextEdit(), QPlainTextEdit()
        names = [*("{" + v + "}" for v in VARIABLES), *("{" + FIELD_PREFIX + f + "}" for f in custom_fields)]
        self.help = wrapped(_("Variables: {names}").format(names=" ".join(names)))
        self.status = wrapped()
        self.status.setStyleSheet("color: #a00000")
        form = QFormLayout(self)
        form.addRow(_("Subject"), self.subject)
        form.addRow(_("Text"), self.body)
        form.addRow(_("Confirmation subject"), self.confirmation_subject)
        form.addRow(_("Confirmation text"), self.confirmation_body)
        form.addRow("", self.help)
        form.addRow("", self.status)
        for edit in (self.subject, self.confirmation_subject):
            edit.textChanged.connect(self.recheck)
        for text in (self.body, self.confirmation_body):
            text.textChanged.connect(self.recheck)

    def load(self, draft: InvitationDraft) -> None:
        self.subject.setText(draft.subject)
        self.body.setPlainText(draft.body)
        self.confirmation_subject.setText(draft.confirmation_subject)
        self.confirmation_body.setPlainText(draft.confirmation_body)

    def store(self, draft: InvitationDraft) -> None:
        draft.subject, draft.body = self.subject.text(), self.body.toPlainText()
        draft.confirmation_subject = self.confirmation_subject.text()
        draft.confirmation_body = self.confirmation_body.toPlainText()

    def recheck(self) -> None:
        draft = InvitationDraft()
        self.store(draft)
        self.status.setText(" ".join(self._check(draft)))


class FormStep(Step):
    """Pre-filled fields (editable by the guest or not) and added fields of every kind."""

    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Field"), _("Kind"), _("Choices"), _("Editable / required")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.label, self.options = QLineEdit(), QLineEdit()
        self.options.setPlaceholderText(_("Choices, separated by commas"))
        self.kind = QComboBox()
        for key, name in FIELD_KINDS.items():
            self.kind.addItem(_(name), key)
        self.required = QCheckBox(_("Required"))
        add, remove = QPushButton(_("Add field")), QPushButton(_("Remove field"))
        add.clicked.connect(self.add_field)
        remove.clicked.connect(self.remove_field)
        row = QHBoxLayout()
        for widget in (self.label, self.kind, self.options, self.required, add, remove):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.form: list[dict[str, Any]] = []

    def load(self, draft: InvitationDraft) -> None:
        self.form = [dict(f) for f in draft.form]
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.form))
        for i, field in enumerate(self.form):
            prefilled = field["kind"] == "prefilled"
            kind = _("Pre-filled") if prefilled else _(FIELD_KINDS.get(str(field["kind"]), ""))
            options = ", ".join(str(o) for o in field.get("options", []))
            for j, text in enumerate((str(field["label"]), kind, options)):
                self.table.setItem(i, j, QTableWidgetItem(text))
            check = QTableWidgetItem(_("editable by the guest") if prefilled else _("required"))
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            on = field.get("editable") if prefilled else field.get("required")
            check.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.table.setItem(i, 3, check)

    def store(self, draft: InvitationDraft) -> None:
        for i, field in enumerate(self.form):
            item = self.table.item(i, 3)
            on = item is not None and item.checkState() == Qt.CheckState.Checked
            field["editable" if field["kind"] == "prefilled" else "required"] = on
        draft.form = [dict(f) for f in self.form]

    def add_field(self) -> None:
        self.store(InvitationDraft())
        options = [o for o in self.options.text().split(",") if o.strip()]
        self.form.append(added_field(self.label.text(), str(self.kind.currentData()), options,
                                     self.required.isChecked()))
        self.label.clear()
        self.options.clear()
        self._fill()

    def remove_field(self) -> None:
        row = self.table.currentRow()
        if row >= 0 and self.form[row]["kind"] != "prefilled":
            self.store(InvitationDraft())
            del self.form[row]
            self._fill()


class RecipientsStep(Step):
    """Lists to invite, companions 0–20, guest list shown or not, and what it will cost."""

    counted = Signal(int, int)

    def __init__(self, lists: list[ListSummary]) -> None:
        super().__init__()
        self.lists = QListWidget()
        for summary in lists:
            item = QListWidgetItem(ngettext("{name} — {n} contact", "{name} — {n} contacts", summary.contacts)
                                   .format(name=summary.name, n=summary.contacts))
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.lists.addItem(item)
        self.companions = QSpinBox()
        self.companions.setRange(0, credits.MAX_COMPANIONS)
        self.show_list = QCheckBox(_("Show the guest list in the invitation"))
        self.cost = wrapped()
        self.lists.itemChanged.connect(lambda _i: self.count())
        self.companions.valueChanged.connect(lambda _v: self.count())
        form = QFormLayout(self)
        form.addRow(_("Contact lists"), self.lists)
        form.addRow(_("Companions per guest"), self.companions)
        form.addRow("", self.show_list)
        form.addRow(_("Credits"), self.cost)

    def chosen(self) -> list[str]:
        return [self.lists.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.lists.count())
                if self.lists.item(i).checkState() == Qt.CheckState.Checked]

    def load(self, draft: InvitationDraft) -> None:
        for i in range(self.lists.count()):
            item = self.lists.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in draft.list_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.companions.setValue(draft.companions)
        self.show_list.setChecked(draft.show_guest_list)

    def store(self, draft: InvitationDraft) -> None:
        draft.list_ids, draft.companions = self.chosen(), self.companions.value()
        draft.show_guest_list = self.show_list.isChecked()

    def entered(self, draft: InvitationDraft) -> None:
        self.count()

    def count(self) -> None:
        ids = self.chosen()
        ReadOp(self, lambda s: (len(recipients(s, ids)), credits.available(s), opt_outs.opted_out_in(s, ids))
               ).on_success(self._counted).run()

    def _counted(self, result: tuple[int, int, int]) -> None:
        guests, left, unsubscribed = result
        cost = credits.invitation_cost(guests, self.companions.value())
        text = _("{guests} guests × (1 + {companions} companions) = {cost} credits; {left} available.").format(
            guests=guests, companions=self.companions.value(), cost=cost, left=left)
        if unsubscribed:
            text += " " + ngettext("{n} address that unsubscribed is left out.",
                                   "{n} addresses that unsubscribed are left out.", unsubscribed).format(n=unsubscribed)
        self.cost.setText(text)
        self.counted.emit(guests, cost)
