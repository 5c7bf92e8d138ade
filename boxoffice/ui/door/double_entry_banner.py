"""The banner a door shows when sync found a holder admitted at two offline doors (D10)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.model.devices import Conflict
from boxoffice.services.conflicts import describe
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.ops import ReadOp


def open_double_entries(session: Session) -> list[str]:
    rows = session.scalars(select(Conflict).where(Conflict.kind == "double_entry", Conflict.resolved_at.is_(None))
                           .order_by(Conflict.detected_at.desc()))
    return [describe(conflict) for conflict in rows]


class DoubleEntryBanner(QLabel):
    """Not a dialog: the door keeps scanning while the banner says what sync found."""

    refreshed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("background: #b36200; color: white; font-size: 14pt; padding: 8px;")
        self.hide()
        changes.applied.connect(self.on_changes_applied)

    def on_changes_applied(self, change_set: ChangeSet, _initiator: object) -> None:
        if change_set.touches("conflicts"):
            self.refresh()

    def refresh(self) -> None:
        ReadOp(self, open_double_entries).on_success(self.show_entries).run()

    def show_entries(self, lines: list[str]) -> None:
        if not lines:
            self.hide()
        else:
            heading = ngettext("{n} ticket was admitted at two doors while offline",
                               "{n} tickets were admitted at two doors while offline", len(lines)).format(n=len(lines))
            self.setText(f"{heading}: {lines[0]}" + ("" if len(lines) == 1 else " " + _("(and more in Conflicts)")))
            self.show()
        self.refreshed.emit(len(lines))
