"""The welcome page: on a fresh install, set up a venue, pair with a server, or open the demo venue."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from boxoffice.i18n import _
from boxoffice.mutations.unit_of_work import UnitOfWork
from boxoffice.services.demo import create_demo, has_demo
from boxoffice.services.venue_setup import VenuePlan, VenueSetUp, is_first_run, set_up_venue
from boxoffice.ui import theme
from boxoffice.ui.changes import ChangeSet
from boxoffice.ui.ops import ReadOp, WriteOp
from boxoffice.ui.welcome.setup_flow import VenueSetupFlow
from sync.client import SyncClient

CATALOGUE = ChangeSet.of("events")


def _open_demo(work: UnitOfWork, tickets: int) -> bool:
    """The demo venue, unless it is already there (then it is simply opened)."""
    if has_demo(work):
        return False
    create_demo(work, tickets=tickets)
    return True


class WelcomePage(QWidget):
    """Signals: `first_run_checked(bool)`; `venue_ready(event_id)` after the set-up, `demo_opened` and
    `paired(answer)` after the other two choices; `change_failed(str)` when a write is refused."""

    title = _("Welcome")
    icon_name = "welcome"
    first_run_checked = Signal(bool)
    venue_ready = Signal(str)
    demo_opened = Signal()
    paired = Signal(dict)
    change_failed = Signal(str)

    def __init__(self, client: SyncClient | None = None, demo_tickets: int = 2000,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client, self.demo_tickets = client, demo_tickets
        self.pairing: Any = None
        self.first_run: bool | None = None
        self.flow = VenueSetupFlow()
        self.flow.plan_ready.connect(self.set_up)
        self.flow.cancelled.connect(lambda: self.show_choices())
        self.stack = QStackedWidget()
        self.stack.addWidget(self._choices())
        self.stack.addWidget(self.flow)
        QVBoxLayout(self).addWidget(self.stack)

    def _choices(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(48, 32, 48, 32)
        heading = QLabel(_("Welcome to boxoffice"))
        theme.set_role(heading, theme.TITLE)  # the welcome says its purpose itself, so it has no page header
        column.addWidget(heading)
        purpose = QLabel(_("This computer has no venue yet. Choose how to start:"), wordWrap=True)
        theme.set_role(purpose, theme.PURPOSE)
        column.addWidget(purpose)
        self.set_up_button = self._choice(column, _("&Set up a venue…"), _(
            "Your box office with its time zone and currency, a first event, its dates, zones and rates. "
            "Five short steps, then the desk is ready to sell."))
        self.pair_button = self._choice(column, _("&Pair with a server…"), _(
            "This computer joins a box office already set up on a sync server: type the pairing code or scan "
            "the pairing QR code shown by the organizer."))
        self.demo_button = self._choice(column, _("Open the &demo venue"), _(
            "A theatre season with events, sold tickets and a contact list, to try everything out. "
            "It can be deleted later on the Events page."))
        self.set_up_button.clicked.connect(self.start_setup)
        self.pair_button.clicked.connect(self.open_pairing)
        self.pair_button.setEnabled(self.client is not None)
        self.demo_button.clicked.connect(self.open_demo)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')}; font-weight: bold;")
        column.addWidget(self.problem)
        column.addStretch(1)
        return page

    @staticmethod
    def _choice(column: QVBoxLayout, label: str, explanation: str) -> QPushButton:
        button = QPushButton(label)
        button.setAutoDefault(True)  # Enter presses the focused choice
        button.setMinimumHeight(44)
        button.setStyleSheet("font-size: 13pt; text-align: left; padding: 6px 16px;")
        text = QLabel(explanation, wordWrap=True)
        text.setContentsMargins(16, 0, 0, 12)
        column.addSpacing(8)
        column.addWidget(button)
        column.addWidget(text)
        return button

    def check_first_run(self) -> None:
        """Ask the store whether there is anything yet; the window shows this page when not."""
        ReadOp(self, is_first_run).on_success(self._checked).run()

    def _checked(self, first: bool) -> None:
        self.first_run = first
        self.first_run_checked.emit(first)

    def show_choices(self) -> None:
        self.stack.setCurrentIndex(0)
        self.set_up_button.setFocus()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stack.currentIndex() == 0:
            self.set_up_button.setFocus()

    def start_setup(self) -> None:
        self.stack.setCurrentIndex(1)
        self.flow.show_step(0)

    def set_up(self, plan: VenuePlan) -> None:
        self.flow.create_button.setEnabled(False)
        WriteOp(self, lambda work, _p: set_up_venue(work, plan), CATALOGUE) \
            .on_success(self._set_up).on_failure(self._flow_failed).run()

    def _set_up(self, done: VenueSetUp) -> None:
        self.flow.create_button.setEnabled(True)
        self.show_choices()
        self.venue_ready.emit(done.event_id)

    def _flow_failed(self, error: BaseException) -> None:
        self.flow.create_button.setEnabled(True)
        self.flow.refused(str(error))
        self.change_failed.emit(str(error))

    def open_demo(self) -> None:
        self.problem.setText(_("Creating the demo venue…"))
        self.demo_button.setEnabled(False)
        WriteOp(self, lambda work, _p: _open_demo(work, self.demo_tickets), ChangeSet.everything()) \
            .on_success(self._demo_opened).on_failure(self._failed).run()

    def _demo_opened(self, _created: bool) -> None:
        self.problem.clear()
        self.demo_button.setEnabled(True)
        self.demo_opened.emit()

    def _failed(self, error: BaseException) -> None:
        self.demo_button.setEnabled(True)
        self.problem.setText(str(error))
        self.change_failed.emit(str(error))

    def open_pairing(self) -> None:
        from boxoffice.ui.settings.pairing import PairingDialog

        if self.client is None:
            return
        dialog = PairingDialog(self, self.client)
        dialog.paired.connect(self.paired)
        self.pairing = dialog
        dialog.open()

