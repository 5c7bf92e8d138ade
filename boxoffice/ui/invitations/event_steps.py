"""Wizard steps 1–3: the event (G1), its appearance (G2) and the sending settings with the sender policy (G3, G4)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from boxoffice.i18n import _
from boxoffice.services.guest_events import EVENT_TYPES, MESSAGE_LANGUAGES, is_embedded
from boxoffice.services.invitations import InvitationDraft
from boxoffice.services.sender_policy import (
    DkimAdvice,
    DkimSource,
    Resolver,
    SenderDecision,
    check_dkim,
    decide_sender,
)
from boxoffice.ui.invitations.steps import Step, read_time, show_time, time_edit, wrapped
from boxoffice.ui.ops import ReadOp


class EventStep(Step):
    def __init__(self) -> None:
        super().__init__()
        self.name, self.location = QLineEdit(), QLineEdit()
        self.starts, self.ends = time_edit(), time_edit()
        self.has_end = QCheckBox(_("Ends at"))
        self.has_end.toggled.connect(self.ends.setEnabled)
        self.access = QCheckBox(_("Check guests at the door with a QR code"))
        self.kind = QComboBox()
        for key, label in EVENT_TYPES.items():
            self.kind.addItem(_(label), key)
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Starts at"), self.starts)
        form.addRow(self.has_end, self.ends)
        form.addRow(_("Location"), self.location)
        form.addRow(_("Type"), self.kind)
        form.addRow("", self.access)

    def load(self, draft: InvitationDraft) -> None:
        event = draft.event
        self.name.setText(event.name)
        self.location.setText(event.location)
        show_time(self.starts, event.starts_at)
        self.has_end.setChecked(event.ends_at is not None)
        self.ends.setEnabled(event.ends_at is not None)
        show_time(self.ends, event.ends_at)
        self.access.setChecked(event.access_control)
        self.kind.setCurrentIndex(max(0, self.kind.findData(event.event_type)))

    def store(self, draft: InvitationDraft) -> None:
        event = draft.event
        event.name, event.location = self.name.text(), self.location.text()
        event.starts_at = read_time(self.starts)
        event.ends_at = read_time(self.ends) if self.has_end.isChecked() else None
        event.access_control = self.access.isChecked()
        event.event_type = str(self.kind.currentData())


class AppearanceStep(Step):
    def __init__(self) -> None:
        super().__init__()
        self.logo, self.banner = QLineEdit(), QLineEdit()
        self.primary, self.background = QLineEdit(), QLineEdit()
        # An image already saved travels embedded in the event: the field says so instead of showing its bytes.
        self._saved: dict[QLineEdit, str] = {self.logo: "", self.banner: ""}
        form = QFormLayout(self)
        for label, edit in ((_("Logo"), self.logo), (_("Banner"), self.banner)):
            row = QHBoxLayout()
            browse = QPushButton(_("Browse…"))
            browse.clicked.connect(lambda _c=False, e=edit: self._browse(e))
            remove = QPushButton(_("Remove"))
            remove.clicked.connect(lambda _c=False, e=edit: self._show_image(e, ""))
            row.addWidget(edit)
            row.addWidget(browse)
            row.addWidget(remove)
            form.addRow(label, row)
        form.addRow(_("Main colour"), self.primary)
        form.addRow(_("Background colour"), self.background)

    def _show_image(self, edit: QLineEdit, value: str) -> None:
        self._saved[edit] = value if is_embedded(value) else ""
        edit.setText("" if is_embedded(value) else value)
        edit.setPlaceholderText(_("Image saved with the event (choose a file to replace it)")
                                if is_embedded(value) else "")

    def _browse(self, edit: QLineEdit) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose an image"), "",
                                                    _("Images (*.png *.jpg *.jpeg *.gif *.svg)"))
        if path:
            edit.setText(path)

    def load(self, draft: InvitationDraft) -> None:
        look = draft.event.appearance
        self._show_image(self.logo, look.logo)
        self._show_image(self.banner, look.banner)
        self.primary.setText(look.primary_colour)
        self.background.setText(look.background_colour)

    def store(self, draft: InvitationDraft) -> None:
        look = draft.event.appearance
        look.logo, look.banner = (edit.text().strip() or self._saved[edit] for edit in (self.logo, self.banner))
        look.primary_colour, look.background_colour = self.primary.text().strip(), self.background.text().strip()


class SendingStep(Step):
    """The sender address is checked off the UI thread (a DNS lookup may block) whenever it changes."""

    sender_checked = Signal(object)

    def __init__(self, resolver: Resolver, dkim_source: DkimSource | None = None) -> None:
        super().__init__()
        self.resolver, self.dkim_source = resolver, dkim_source
        self.group, self.organizer, self.email = QLineEdit(), QLineEdit(), QLineEdit()
        self.email.editingFinished.connect(self.check_sender)
        self.language = QComboBox()
        for key, label in MESSAGE_LANGUAGES.items():
            self.language.addItem(label, key)
        self.has_deadline = QCheckBox(_("Registration closes at"))
        self.deadline = time_edit()
        self.has_deadline.toggled.connect(self.deadline.setEnabled)
        self.policy = wrapped()
        self.spf = QLineEdit()
        self.spf.setReadOnly(True)
        self.dkim_name, self.dkim_value = QLineEdit(), QLineEdit()
        for shown in (self.dkim_name, self.dkim_value):
            shown.setReadOnly(True)
        self.dkim_policy = wrapped()
        self.decision: SenderDecision | None = None
        self.dkim: DkimAdvice | None = None
        form = QFormLayout()
        form.addRow(_("Invited group"), self.group)
        form.addRow(_("Organizer"), self.organizer)
        form.addRow(_("Sender email"), self.email)
        form.addRow(_("Language of the messages"), self.language)
        form.addRow(self.has_deadline, self.deadline)
        form.addRow(_("SPF record"), self.spf)
        dkim_form = QFormLayout()
        dkim_form.addRow(_("DKIM record name"), self.dkim_name)
        dkim_form.addRow(_("DKIM record value"), self.dkim_value)
        # Below the form, not in it: a word-wrapped label inside a QFormLayout row is cut to one line.
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.policy)
        column.addWidget(self.dkim_policy)
        column.addLayout(dkim_form)
        column.addStretch()

    def load(self, draft: InvitationDraft) -> None:
        sending = draft.event.sending
        self.group.setText(sending.group_name)
        self.organizer.setText(sending.organizer)
        self.email.setText(sending.sender_email)
        self.language.setCurrentIndex(max(0, self.language.findData(sending.language)))
        self.has_deadline.setChecked(sending.deadline is not None)
        self.deadline.setEnabled(sending.deadline is not None)
        show_time(self.deadline, sending.deadline)
        sender = draft.sender
        self._show(sender.get("message", ""), sender.get("spf_to_add", ""), sender.get("decision", ""))
        self._show_dkim(sender.get("dkim_message", ""), sender.get("dkim_name", ""), sender.get("dkim_value", ""),
                        sender.get("dkim_published", ""))

    def store(self, draft: InvitationDraft) -> None:
        sending = draft.event.sending
        sending.group_name, sending.organizer = self.group.text().strip(), self.organizer.text().strip()
        sending.sender_email = self.email.text().strip()
        sending.language = str(self.language.currentData())
        sending.deadline = read_time(self.deadline) if self.has_deadline.isChecked() else None
        if self.decision is not None:
            draft.sender = {**draft.sender, **self.decision.as_json()}
        if self.dkim is not None:
            draft.sender = {**draft.sender, **self.dkim.as_json()}

    def entered(self, draft: InvitationDraft) -> None:
        if self.email.text().strip():
            self.check_sender()

    def check_sender(self) -> None:
        email, resolver = self.email.text().strip(), self.resolver
        if "@" not in email:
            return
        source = self.dkim_source

        def both(_session: object) -> tuple[SenderDecision, DkimAdvice | None]:
            return decide_sender(email, resolver), check_dkim(email, source, resolver) if source else None

        ReadOp(self, both).on_success(self._checked).run()

    def _checked(self, checked: tuple[SenderDecision, DkimAdvice | None]) -> None:
        decision, self.dkim = checked
        self.decision = decision
        self._show(decision.message, decision.spf_to_add, decision.decision)
        if self.dkim is None:
            self._show_dkim("", "", "", "")
        else:
            self._show_dkim(self.dkim.message, self.dkim.name, self.dkim.value, self.dkim.as_json()["dkim_published"])
        layout = self.layout()
        if layout is not None:  # the two messages changed height: lay them out before the next paint
            layout.activate()
        self.sender_checked.emit(decision)

    def _show_dkim(self, message: str, name: str, value: str, published: str) -> None:
        self.dkim_policy.setText(message)
        self.dkim_policy.setStyleSheet("color: #8a5300; font-weight: 600" if published != "true" and message else "")
        self.dkim_name.setText(name)
        self.dkim_value.setText(value)
        self.dkim_value.setCursorPosition(0)

    def _show(self, message: str, spf: str, decision: str) -> None:
        self.policy.setText(message)
        self.policy.setStyleSheet("color: #8a5300; font-weight: 600" if decision in ("no_reply", "deferred") else "")
        self.spf.setText(spf)
