"""Wizard steps 7–8: the preview exactly as the first recipient gets it (G8), then schedule, reminders, test."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
)

from boxoffice.i18n import _
from boxoffice.services import invitations
from boxoffice.services.invitations import InvitationDraft, Recipient
from boxoffice.services.message_template import RenderedMessage
from boxoffice.ui.changes import ChangeSet
from boxoffice.ui.invitations.steps import Step, read_time, show_time, time_edit, wrapped
from boxoffice.ui.ops import ReadOp, WriteOp


class PreviewStep(Step):
    """Rendered by the same function the server sends with; go back to any step from the list on the left."""

    previewed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.heading = wrapped()
        self.html = QTextBrowser()
        self.html.setOpenLinks(False)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        tabs = QTabWidget()
        tabs.addTab(self.html, _("Email"))
        tabs.addTab(self.text, _("Plain text"))
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(tabs, 1)

    def load(self, draft: InvitationDraft) -> None:
        """The preview is built each time the step is shown."""

    def store(self, draft: InvitationDraft) -> None:
        """Nothing to edit here."""

    def entered(self, draft: InvitationDraft) -> None:
        self.heading.setText(_("Preparing the preview…"))
        ReadOp(self, lambda s: invitations.preview(s, draft)).on_success(
            lambda r: self._show(draft, *r)).run()

    def _show(self, draft: InvitationDraft, recipient: Recipient | None, message: RenderedMessage | None) -> None:
        if recipient is None or message is None:
            self.heading.setText(_("The chosen lists have no contacts yet: nothing to preview."))
            self.html.clear()
            self.text.clear()
        else:
            sender = draft.sender
            self.heading.setText(_("From: {sender}\nReply-To: {reply}\nTo: {to}\nSubject: {subject}").format(
                sender=sender.get("from") or draft.event.sending.sender_email,
                reply=sender.get("reply_to") or draft.event.sending.sender_email,
                to=recipient.email, subject=message.subject))
            self.html.setHtml(message.html)
            self.text.setPlainText(message.text)
        self.previewed.emit(message)


class ScheduleStep(Step):
    test_sent = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.later = QCheckBox(_("Send later, at"))
        self.when = time_edit()
        self.later.toggled.connect(self.when.setEnabled)
        self.reminder_time = time_edit()
        self.reminders = QListWidget()
        add, remove = QPushButton(_("Add reminder")), QPushButton(_("Remove reminder"))
        add.clicked.connect(self._add_reminder)
        remove.clicked.connect(lambda: self.reminders.takeItem(self.reminders.currentRow()))
        self.test_address = QLineEdit()
        self.test_button = QPushButton(_("Send a test"))
        self.test_button.clicked.connect(self.send_test)
        self.note = wrapped(_("Reminders and test sends are free."))
        self.draft_id = ""
        form = QFormLayout(self)
        form.addRow(self.later, self.when)
        row = QHBoxLayout()
        for widget in (self.reminder_time, add, remove):
            row.addWidget(widget)
        form.addRow(_("Reminders"), row)
        form.addRow("", self.reminders)
        test = QHBoxLayout()
        test.addWidget(self.test_address)
        test.addWidget(self.test_button)
        form.addRow(_("Test address"), test)
        form.addRow("", self.note)

    def _add_reminder(self) -> None:
        self.reminders.addItem(read_time(self.reminder_time).isoformat(timespec="minutes"))

    def load(self, draft: InvitationDraft) -> None:
        self.draft_id = draft.id
        self.later.setChecked(draft.scheduled_at is not None)
        self.when.setEnabled(draft.scheduled_at is not None)
        show_time(self.when, draft.scheduled_at)
        self.reminders.clear()
        for reminder in draft.reminders:
            self.reminders.addItem(reminder.astimezone().isoformat(timespec="minutes"))
        self.test_address.setText(str(draft.sender.get("test_address", "")))

    def store(self, draft: InvitationDraft) -> None:
        draft.scheduled_at = read_time(self.when) if self.later.isChecked() else None
        draft.reminders = [datetime.fromisoformat(self.reminders.item(i).text())
                           for i in range(self.reminders.count())]
        draft.sender = {**draft.sender, "test_address": self.test_address.text().strip()}

    def send_test(self) -> None:
        address, draft_id = self.test_address.text(), self.draft_id
        WriteOp(self, lambda w, _p: invitations.send_test(w, draft_id, address), ChangeSet.of("invitations"),
                _("Queuing the test…")).on_success(lambda _r: self._sent(address)).run()

    def _sent(self, address: str) -> None:
        self.note.setText(_("A test will be sent to {address} as soon as the server has it.").format(
            address=address.strip()))
        self.test_sent.emit(address.strip())
