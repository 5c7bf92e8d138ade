"""The Conflicts page: overwritten edits, double entries and refused changes, until marked as seen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boxoffice.i18n import _, ngettext
from boxoffice.services import conflicts
from boxoffice.services.conflicts import ConflictLine
from boxoffice.ui import theme
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.ops import ReadOp, WriteOp

KINDS = {"overwritten_edit": _("Overwritten edit"), "double_entry": _("Double entry"),
         "rejected_change": _("Refused by the server")}


class ConflictsPage(QWidget):
    title = _("Conflicts")
    icon_name = "conflicts"
    purpose = _("Changes made on two devices at once, and which one was kept.")
    loaded = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        theme.set_role(self.heading, theme.SECTION)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("When"), _("Kind"), _("What happened")])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.show_seen = QCheckBox(_("Show conflicts already seen"))
        self.show_seen.toggled.connect(self.refresh)
        self.seen_button = QPushButton(_("Mark as seen"))
        self.seen_button.clicked.connect(self.mark_seen)
        bar = QHBoxLayout()
        bar.addWidget(self.show_seen)
        bar.addStretch()
        bar.addWidget(self.seen_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        self.lines: list[ConflictLine] = []
        changes.applied.connect(self.on_changes_applied)

    def showEvent(self, event: object) -> None:
        self.refresh()

    def on_changes_applied(self, change_set: ChangeSet, _initiator: object) -> None:
        if change_set.touches("conflicts") and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        include = self.show_seen.isChecked()
        ReadOp(self, lambda s: conflicts.list_conflicts(s, include)).on_success(self._show).run()

    def _show(self, lines: list[ConflictLine]) -> None:
        self.lines = lines
        open_count = sum(1 for line in lines if not line.seen)
        self.heading.setText(ngettext("{n} conflict to look at", "{n} conflicts to look at", open_count)
                             .format(n=open_count) if open_count else _("No conflict: every device agrees."))
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            when = line.detected_at.astimezone().strftime("%Y-%m-%d %H:%M")
            for column, text in enumerate((when, KINDS.get(line.kind, line.kind), line.what)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.loaded.emit(len(lines))

    def mark_seen(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        ids = [self.lines[r].id for r in sorted(rows) if not self.lines[r].seen]
        if ids:
            WriteOp(self, lambda w, _p: conflicts.mark_seen(w, ids), ChangeSet.of("conflicts")).run()
