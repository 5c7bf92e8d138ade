"""What a write changed, announced once so each view refreshes only itself (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class ChangeSet:
    """The kinds of data a write touched, e.g. {"lists", "contacts"}."""

    kinds: frozenset[str]

    @classmethod
    def of(cls, *kinds: str) -> ChangeSet:
        return cls(frozenset(kinds))

    @classmethod
    def everything(cls) -> ChangeSet:
        """What a sync that pulled rows announces: any view may be stale."""
        return cls(frozenset({"*"}))

    def touches(self, *kinds: str) -> bool:
        return "*" in self.kinds or bool(self.kinds.intersection(kinds))


# Print runs commit their job log through the writer card by card, not in one WriteOp: whoever
# started one announces this when it ends (well or not), so the job log refreshes and the sync
# worker sends the jobs at once.
PRINT_LOG = ChangeSet.of("print_jobs")


class Changes(QObject):
    """The app-wide bus: `applied(change_set, initiator)` after every successful write."""

    applied = Signal(object, object)


changes = Changes()
