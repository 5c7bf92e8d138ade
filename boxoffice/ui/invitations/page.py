"""The Invitations page: drafts and sent invitations, the credits balance and history, new or resumed invitations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice.i18n import N_, _, ngettext
from boxoffice.services import credits, invitations
from boxoffice.services.contacts import ListSummary, list_summaries
from boxoffice.services.invitation_tracking import Tracking, export_guests, tracking
from boxoffice.services.invitations import InvitationDraft, InvitationSummary
from boxoffice.services.sender_policy import DkimSource, Resolver, offline_resolver
from boxoffice.ui import theme
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.invitations.credits_dialog import AddCreditsDialog
from boxoffice.ui.invitations.wizard import INVITATIONS, InvitationWizard
from boxoffice.ui.ops import ReadOp, WriteOp
from boxoffice.ui.widgets.empty_state import EmptyState

STATUS_NAMES = {"draft": N_("Draft"), "scheduled": N_("Scheduled"), "sending": N_("Sending"), "sent": N_("Sent"),
                "refused": N_("Not sent: not enough credits")}


@dataclass(frozen=True)
class Overview:
    invitations: list[InvitationSummary]
    tracking: dict[str, Tracking]
    balance: int
    available: int
    history: list[credits.CreditLine]
    has_grant: bool


def read_overview(session: Session) -> Overview:
    found = invitations.list_invitations(session)
    return Overview(found, {i.id: tracking(session, i.id) for i in found if i.status != "draft"},
                    credits.balance(session), credits.available(session), credits.history(session),
                    any(line.kind == "grant" for line in credits.history(session)))


def _cells(table: QTableWidget, rows: list[list[str]], ids: list[str] | None = None) -> None:
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            item = QTableWidgetItem(text)
            if ids is not None:
                item.setData(Qt.ItemDataRole.UserRole, ids[i])
            table.setItem(i, j, item)


class InvitationsPage(QWidget):
    title = _("Invitations")
    icon_name = "invitations"
    purpose = _("Invite the people of a contact list by e-mail and see who answered.")
    loaded = Signal(object)
    wizard_opened = Signal(object)
    confirm_opened = Signal(object)

    def __init__(self, resolver: Resolver = offline_resolver, parent: QWidget | None = None,
                 dkim_source: DkimSource | None = None) -> None:
        super().__init__(parent)
        self.resolver, self.dkim_source = resolver, dkim_source
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Invitation"), _("Status"), _("Step"), _("Guests"), _("Answers")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.doubleClicked.connect(lambda _i: self.resume())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.history = QTableWidget(0, 3)
        self.history.setHorizontalHeaderLabels([_("Date"), _("Credits"), _("Note")])
        self.history.horizontalHeader().setStretchLastSection(True)
        self.balance = QLabel()
        self.balance.setStyleSheet("font-size: 15pt; font-weight: 600")
        self.buttons = {key: QPushButton(label) for key, label in (
            ("new", _("New invitation")), ("resume", _("Resume")), ("export", _("Export guests…")),
            ("credits", _("Add credits…")), ("again", _("Send again…")))}
        self.buttons["again"].setToolTip(_("Send an invitation that was not sent, once credits are added"))
        self.buttons["again"].setEnabled(False)
        theme.set_primary(self.buttons["new"])
        for key, slot in (("new", self.new_invitation), ("resume", self.resume), ("export", self.export),
                          ("credits", self.add_credits), ("again", self.send_again)):
            self.buttons[key].clicked.connect(slot)
        self._layout()
        self.overview: Overview | None = None
        changes.applied.connect(self.on_changes_applied)

    def _layout(self) -> None:
        bar = QHBoxLayout()
        for key in ("new", "resume", "export", "again"):
            bar.addWidget(self.buttons[key])
        bar.addStretch()
        side = QVBoxLayout()
        side.addWidget(self.balance)
        side.addWidget(self.buttons["credits"])
        side.addWidget(self.history, 1)
        self.no_invitation = EmptyState(_("No invitation yet. An invitation e-mails the people of a contact list, "
                                          "collects their answers and lets them in at the door."),
                                        _("New invitation"), action=self.new_invitation)
        main = QVBoxLayout()
        main.addWidget(self.no_invitation)
        main.addLayout(bar)
        main.addWidget(self.table, 1)
        body = QHBoxLayout()
        QVBoxLayout(self).addLayout(body, 1)  # vertical on top: the page header goes above the two columns
        body.addLayout(main, 3)
        body.addLayout(side, 2)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def on_changes_applied(self, change_set: ChangeSet, _initiator: object) -> None:
        if change_set.touches("invitations", "credits", "guests", "checkins") and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        ReadOp(self, read_overview).on_success(self._show).run()

    def _show(self, overview: Overview) -> None:
        self.overview = overview
        rows = []
        for inv in overview.invitations:
            seen = overview.tracking.get(inv.id)
            answers = (_("{accepted} yes, {declined} no, {pending} pending, {checked} checked in").format(
                accepted=seen.accepted, declined=seen.declined, pending=seen.pending, checked=seen.checked_in)
                if seen else "")
            rows.append([inv.name or _("(no name yet)"), _(STATUS_NAMES.get(inv.status, inv.status)),
                         f"{inv.step}. {invitations.step_name(inv.step)}", str(inv.guests), answers])
        _cells(self.table, rows, [i.id for i in overview.invitations])
        self._selection_changed()
        self.no_invitation.set_empty(not overview.invitations)
        self.balance.setText(ngettext("{n} credit available", "{n} credits available", overview.available).format(
            n=overview.available))
        _cells(self.history, [[line.at.astimezone().strftime("%Y-%m-%d %H:%M"), f"{line.amount:+d}", line.note]
                              for line in overview.history])
        if not overview.has_grant:
            WriteOp(self, lambda w, _p: credits.ensure_free_credits(w), ChangeSet.of("credits")).run()
        self.loaded.emit(overview)

    def selected_id(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def selected(self) -> InvitationSummary | None:
        chosen = self.selected_id()
        found = [i for i in self.overview.invitations if i.id == chosen] if self.overview else []
        return found[0] if found else None

    def _selection_changed(self) -> None:
        chosen = self.selected()
        self.buttons["again"].setEnabled(chosen is not None and chosen.status == "refused")

    def send_again(self) -> None:
        """Ask first (it spends credits), saying how many and what is left; Yes hands it to the server."""
        chosen = self.selected()
        if chosen is None or chosen.status != "refused":
            return
        ReadOp(self, lambda s: (invitations.cost_to_send_again(s, chosen.id), credits.available(s))).on_success(
            lambda found: self._confirm_again(chosen, *found)).run()

    def _confirm_again(self, chosen: InvitationSummary, cost: int, left: int) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, _("Send again"), ngettext(
            "Send “{name}” again to its {n} guest?", "Send “{name}” again to its {n} guests?", chosen.guests).format(
            name=chosen.name, n=chosen.guests), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(ngettext("It uses {cost} credit; {left} are available.",
                                        "It uses {cost} credits; {left} are available.", cost).format(
            cost=cost, left=left))
        box.setDefaultButton(QMessageBox.StandardButton.Yes if cost <= left else QMessageBox.StandardButton.No)
        box.buttonClicked.connect(lambda button: self._send_again(chosen.id)
                                  if box.standardButton(button) == QMessageBox.StandardButton.Yes else None)
        self.confirmation = box
        box.open()
        self.confirm_opened.emit(box)

    def _send_again(self, invitation_id: str) -> None:
        WriteOp(self, lambda w, _p: invitations.send_again(w, invitation_id), INVITATIONS,
                _("Sending again…")).run()

    def new_invitation(self) -> None:
        self._open(None)

    def resume(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self._open(chosen)

    def _open(self, invitation_id: str | None) -> None:
        def read(session: Session) -> tuple[InvitationDraft, list[ListSummary], list[str]]:
            draft = invitations.load_draft(session, invitation_id) if invitation_id else InvitationDraft()
            return draft, list_summaries(session, include_archived=False), invitations.custom_fields_of(session)

        ReadOp(self, read).on_success(lambda r: self._show_wizard(*r)).run()

    def _show_wizard(self, draft: InvitationDraft, lists: list[ListSummary], fields: list[str]) -> None:
        if draft.status != "draft":
            self.balance.setText(_("This invitation is {status}: it can no longer change.").format(
                status=_(STATUS_NAMES.get(draft.status, draft.status))))
            return
        wizard = InvitationWizard(self, draft, lists, fields, self.resolver, self.dkim_source)
        wizard.open()
        self.wizard_opened.emit(wizard)

    def export(self) -> None:
        chosen = self.selected_id()
        if chosen is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Export guests"), "guests.csv", _("CSV files (*.csv)"))
        if path:
            ReadOp(self, lambda s: export_guests(s, chosen, Path(path))).run()

    def add_credits(self) -> None:
        dialog = AddCreditsDialog(self)
        dialog.accepted.connect(lambda: self._add(dialog.amount.value(), dialog.note.text()))
        dialog.open()

    def _add(self, amount: int, note: str) -> None:
        WriteOp(self, lambda w, _p: credits.add_credits(w, amount, note), INVITATIONS, _("Adding credits…")).run()
