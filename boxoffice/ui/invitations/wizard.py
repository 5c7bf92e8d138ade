"""The invitation wizard (G1–G9): eight steps, each saved as a draft when left, any earlier step one click away."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, ngettext
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services import invitations
from boxoffice.services.contacts import ListSummary
from boxoffice.services.invitations import LAST_STEP, STEPS, InvitationDraft
from boxoffice.services.sender_policy import DkimSource, Resolver, offline_resolver
from boxoffice.ui.changes import ChangeSet
from boxoffice.ui.invitations.content_steps import ContentStep, FormStep, RecipientsStep
from boxoffice.ui.invitations.event_steps import AppearanceStep, EventStep, SendingStep
from boxoffice.ui.invitations.send_steps import PreviewStep, ScheduleStep
from boxoffice.ui.invitations.steps import Step, wrapped
from boxoffice.ui.ops import Progress, WriteOp

INVITATIONS = ChangeSet.of("invitations", "events", "credits")


class InvitationWizard(QDialog):
    """Edits `draft` and opens at `draft.step`. Signals: `saved(step)` after each draft save,
    `step_shown(step)` when a step appears, `scheduled(guests)` once handed to the server."""

    saved = Signal(int)
    step_shown = Signal(int)
    scheduled = Signal(int)

    def __init__(self, parent: QWidget | None, draft: InvitationDraft, lists: list[ListSummary],
                 custom_fields: list[str], resolver: Resolver = offline_resolver,
                 dkim_source: DkimSource | None = None) -> None:
        super().__init__(parent)
        self.draft, self.custom_fields = draft, custom_fields
        self.current = 0
        self.setWindowTitle(_("Invitation"))
        self.steps: list[Step] = [
            EventStep(), AppearanceStep(), SendingStep(resolver, dkim_source),
            ContentStep(custom_fields, lambda d: invitations.step_problems(d, 4, custom_fields)),
            FormStep(), RecipientsStep(lists), PreviewStep(), ScheduleStep()]
        self.stack = QStackedWidget()
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(190)
        for number, name in enumerate(STEPS, start=1):
            self.navigation.addItem(f"{number}. {_(name)}")
        for step in self.steps:
            step.load(draft)
            self.stack.addWidget(step)
        self.navigation.itemClicked.connect(lambda item: self.go_to(self.navigation.row(item) + 1))
        self.title, self.problems = QLabel(), wrapped()
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600")
        self.problems.setStyleSheet("color: #a00000")
        self.back, self.next = QPushButton(_("Back")), QPushButton(_("Next"))
        self.close_button = QPushButton(_("Save and close"))
        self.back.clicked.connect(lambda: self.go_to(self.current - 1))
        self.next.clicked.connect(self._next)
        self.close_button.clicked.connect(self.save_and_close)
        self._layout()
        self.show_step(min(max(draft.step, 1), LAST_STEP))
        self.resize(980, 640)

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch()
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        column = QVBoxLayout()
        column.addWidget(self.title)
        column.addWidget(self.stack, 1)
        column.addWidget(self.problems)
        column.addLayout(buttons)
        body = QHBoxLayout(self)
        body.addWidget(self.navigation)
        body.addLayout(column, 1)

    def step_widget(self, number: int) -> Step:
        return self.steps[number - 1]

    def show_step(self, number: int) -> None:
        self.current = number
        self.stack.setCurrentIndex(number - 1)
        self.navigation.setCurrentRow(number - 1)
        self.title.setText(_("Step {n} of {total}: {name}").format(n=number, total=LAST_STEP,
                                                                   name=invitations.step_name(number)))
        self.back.setEnabled(number > 1)
        self.next.setText(_("Schedule sending") if number == LAST_STEP else _("Next"))
        self.step_widget(number).entered(self.draft)
        self.step_shown.emit(number)

    def _next(self) -> None:
        if self.current == LAST_STEP:
            self.schedule()
        else:
            self.go_to(self.current + 1)

    def go_to(self, target: int) -> bool:
        """Leave the current step for `target`: moving on checks the steps passed; the draft is saved."""
        if not 1 <= target <= LAST_STEP:
            return False
        self.step_widget(self.current).store(self.draft)
        problems = [p for step in range(self.current, target)
                    for p in invitations.step_problems(self.draft, step, self.custom_fields)]
        self.problems.setText(" ".join(problems))
        if problems:
            return False
        self.draft.step = target
        self.save()
        self.show_step(target)
        return True

    def save(self) -> None:
        draft, step = self.draft, self.draft.step
        WriteOp(self, lambda w, _p: invitations.save_draft(w, draft), INVITATIONS,
                _("Saving the draft…")).on_success(lambda _r: self.saved.emit(step)).on_failure(
                lambda exc: self.problems.setText(str(exc))).run()

    def save_and_close(self) -> None:
        self.step_widget(self.current).store(self.draft)
        self.saved.connect(lambda _s: self.accept())
        self.save()

    def schedule(self) -> None:
        self.step_widget(self.current).store(self.draft)
        problems = invitations.step_problems(self.draft, LAST_STEP, self.custom_fields)
        self.problems.setText(" ".join(problems))
        if problems:
            return
        draft = self.draft

        def work(w: UnitOfWork, _p: Progress) -> int:
            invitations.save_draft(w, draft)
            return invitations.schedule(w, draft.id)

        WriteOp(self, work, INVITATIONS, _("Preparing the sending…")).on_success(
            self._scheduled).on_failure(lambda exc: self.problems.setText(str(exc))).run()

    def _scheduled(self, guests: int) -> None:
        self.problems.setText(ngettext("{n} guest will be invited.", "{n} guests will be invited.", guests)
                              .format(n=guests))
        self.scheduled.emit(guests)
        self.accept()
