"""The status bar's sync state (S2): connection, changes waiting, last sync — always visible."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from boxoffice.i18n import _, ngettext
from boxoffice.ui import theme
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.ops import ReadOp
from boxoffice.ui.sync_bridge import SyncBridge
from sync.state import SyncState

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def waiting_changes(session: Session) -> tuple[int, bool]:
    """(changes waiting to be pushed, whether this copy is paired with a server)."""
    # Imported here: the status bar is painted before the store is open (issue #15).
    from sqlalchemy import func, select

    from boxoffice.model.devices import LocalDevice, OutboxEntry

    count = session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.pushed_at.is_(None)))
    paired = bool(session.scalar(select(LocalDevice.server_url).limit(1)))
    return int(count or 0), paired


def describe(state: SyncState, waiting: int) -> tuple[str, str]:
    """(text, colour) for the status bar."""
    if state.revoked:
        return _("This device was revoked by the organizer"), theme.status_colour("error")
    if state.outdated == "server":
        return _("The server is older than this app: ask its administrator to update it. "
                 "Your work stays on this computer meanwhile."), theme.status_colour("error")
    if state.outdated:
        return _("This app is older than the server: install the new version to sync again. "
                 "Your work stays on this computer meanwhile."), theme.status_colour("error")
    if not state.enrolled:
        where, colour = _("Offline — not paired with a server"), theme.status_colour("neutral")
    elif state.online:
        where, colour = _("Online"), theme.status_colour("ok")
    elif state.online is None:
        where, colour = _("Connecting…"), theme.status_colour("neutral")
    else:
        where, colour = _("Offline — working on this computer's copy"), theme.status_colour("warning")
    pending = ngettext("{n} change waiting", "{n} changes waiting", waiting).format(n=waiting)
    last = (_("Last sync: {time}").format(time=state.last_sync.astimezone().strftime("%H:%M:%S"))
            if state.last_sync else _("Last sync: never"))
    return f"{where}   ·   {pending}   ·   {last}", colour


class SyncStatus(QLabel):
    def __init__(self, bridge: SyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.waiting = 0
        changes.applied.connect(self.on_changes_applied)
        bridge.state_changed.connect(self.on_sync_state_changed)

    def on_changes_applied(self, _change_set: ChangeSet, _initiator: object) -> None:
        self.refresh()

    def on_sync_state_changed(self, state: SyncState) -> None:
        self.waiting = state.pending
        self.show_state()

    def refresh(self) -> None:
        ReadOp(self, waiting_changes).on_success(self._counted).run()

    def _counted(self, result: tuple[int, bool]) -> None:
        self.waiting, paired = result
        if not paired and self.bridge.state.online is None:
            self.bridge.state = replace(self.bridge.state, enrolled=False)
        self.show_state()

    def show_state(self) -> None:
        text, colour = describe(self.bridge.state, self.waiting)
        self.setText(text)
        self.setStyleSheet(f"color: {colour}")


def install_status(bar: QStatusBar, bridge: SyncBridge) -> SyncStatus:
    status = SyncStatus(bridge)
    bar.addPermanentWidget(status)
    status.refresh()
    return status
