"""Hands the sync worker's state to the UI thread and wakes the worker after local changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from boxoffice.ui.changes import ChangeSet, changes
from sync.state import SyncState

if TYPE_CHECKING:  # the window is painted before sync.client (SQLAlchemy, requests) is imported: issue #15
    from sync.client import SyncWorker


class SyncBridge(QObject):
    """The worker calls `publish` on its own thread; Qt queues the signal to the UI thread."""

    state_changed = Signal(object)
    revoked = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.worker: SyncWorker | None = None
        self.state = SyncState(online=None)
        self._last_pulled = 0
        changes.applied.connect(self.on_changes_applied)
        self.state_changed.connect(self.on_state_changed)

    def attach(self, worker: SyncWorker) -> None:
        self.worker = worker

    def publish(self, state: SyncState) -> None:
        self.state_changed.emit(state)

    def on_state_changed(self, state: SyncState) -> None:
        self.state = state
        if state.pulled:
            changes.applied.emit(ChangeSet.everything(), self)
        if state.revoked:
            self.revoked.emit(state.error)

    def on_changes_applied(self, change_set: ChangeSet, initiator: object) -> None:
        # Local writes go out at once; changes the worker pulled in do not need a push.
        if self.worker is not None and initiator is not self:
            self.worker.sync_soon()
