"""The status bar's sync state (S2): connection, changes waiting, last sync — always visible."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.model.devices import LocalDevice, OutboxEntry
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.ops import ReadOp


def sync_state(session: Session) -> tuple[str, int]:
    device = session.scalars(select(LocalDevice)).first()
    waiting = session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.pushed_at.is_(None)))
    return (device.server_url if device else ""), int(waiting or 0)


class SyncStatus(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        changes.applied.connect(self.on_changes_applied)

    def on_changes_applied(self, _change_set: ChangeSet, _initiator: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        ReadOp(self, sync_state).on_success(lambda state: self.show_state(*state)).run()

    def show_state(self, server_url: str, waiting: int) -> None:
        where = _("Offline — not paired with a server") if not server_url else _("Server: {url}").format(url=server_url)
        pending = ngettext("{n} change waiting", "{n} changes waiting", waiting).format(n=waiting)
        self.setText(f"{where}   ·   {pending}   ·   " + _("Last sync: never"))


def install_status(bar: QStatusBar) -> SyncStatus:
    status = SyncStatus()
    bar.addPermanentWidget(status)
    status.refresh()
    return status
