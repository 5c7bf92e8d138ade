"""The Events page: a tree of box offices and their events, the editor, and duplicating an event."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.events import BoxOffice, Event
from boxoffice.services import catalogue
from boxoffice.services.catalogue import EventDetails
from boxoffice.store.unit_of_work import UnitOfWork
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.event_overview.page import EventOverviewDialog
from boxoffice.ui.events.duplicate_dialog import DuplicateDialog, offices_query
from boxoffice.ui.events.editor import EventEditor
from boxoffice.ui.ops import ReadOp, WriteOp

EVENTS = ChangeSet.of("events")
Tree = list[tuple[BoxOffice, list[Event]]]


def _tree(session: Session) -> Tree:
    out = [(office, catalogue.events_of(session, office.id)) for office in catalogue.box_offices(session)]
    session.expunge_all()
    return out


def _apply(work: UnitOfWork, event_id: str, action: str, values: dict[str, Any]) -> None:
    """One editor button's change, through the catalogue service."""
    if action == "update_event":
        catalogue.update_event(work, event_id, **values)
    elif action == "add_date":
        catalogue.add_date(work, event_id, values["starts_at"])
    elif action == "add_zone":
        zone = catalogue.add_zone(work, event_id, values["name"], values["capacity"], bool(values["rows"]))
        if values["rows"]:
            catalogue.generate_seats(work, zone, values["rows"], values["per_row"])
    elif action == "add_rate":
        catalogue.add_rate(work, event_id, values["name"], values["price_minor"], values["kind"],
                           values["date_id"], values["zone_id"])
    elif action == "add_question":
        catalogue.add_question(work, event_id, values["label"], required=values["required"])


class EventsPage(QWidget):
    """`tree_loaded`, `event_shown` and `change_failed(str)` let tests wait on signals."""

    title = _("Events")
    tree_loaded = Signal()
    event_shown = Signal()
    change_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Box offices and events")])
        self.tree.setMinimumWidth(280)
        self.tree.currentItemChanged.connect(self._on_item)
        self.editor = EventEditor()
        self.editor.change_requested.connect(self.apply_change)
        self.editor.duplicate_requested.connect(self.open_duplicate)
        self.editor.setVisible(False)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #b00020;")
        self.overview_button = QPushButton(_("Event overview: sales, door code, customers…"))
        self.overview_button.clicked.connect(self.open_overview)
        self.overview_button.setVisible(False)
        self.overview: EventOverviewDialog | None = None
        right = QVBoxLayout()
        right.addWidget(self.overview_button)
        right.addWidget(self.problem)
        right.addWidget(self.editor, 1)
        row = QHBoxLayout(self)
        row.addWidget(self.tree)
        row.addLayout(right, 1)
        self.event_id: str | None = None
        self.dialog: DuplicateDialog | None = None
        self._loaded = False
        changes.applied.connect(self.on_changes_applied)

    def showEvent(self, event: Any) -> None:
        if not self._loaded:
            self._loaded = True
            self.load_tree()

    def on_changes_applied(self, changed: ChangeSet, initiator: object) -> None:
        if self._loaded and changed.touches("events"):
            self.load_tree()

    def load_tree(self) -> None:
        ReadOp(self, _tree).on_success(self._show_tree).run()

    def _show_tree(self, tree: Tree) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        chosen = None
        for office, events in tree:
            top = QTreeWidgetItem([office.name])
            self.tree.addTopLevelItem(top)
            for event in events:
                child = QTreeWidgetItem([f"{event.name}  ·  {_(catalogue.EVENT_STATUSES.get(event.status, ''))}"])
                child.setData(0, Qt.ItemDataRole.UserRole, event.id)
                top.addChild(child)
                if event.id == self.event_id or (self.event_id is None and chosen is None):
                    chosen = child
            top.setExpanded(True)
        self.tree.blockSignals(False)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self.tree_loaded.emit()

    def _on_item(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        event_id = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if event_id:
            self.show_event(str(event_id))

    def show_event(self, event_id: str) -> None:
        self.event_id = event_id
        ReadOp(self, lambda session: catalogue.event_details(session, event_id)).on_success(self._show_event).run()

    def _show_event(self, details: EventDetails) -> None:
        self.editor.show_event(details)
        self.editor.setVisible(True)
        self.overview_button.setVisible(details.event.kind == "ticketing")
        self.event_shown.emit()

    def open_overview(self) -> None:
        if self.event_id is None:
            return
        shown = self.overview
        if shown is not None and shiboken6.isValid(shown) and shown.page.event_id == self.event_id:
            shown.raise_()
            shown.activateWindow()
            return
        if shown is not None and shiboken6.isValid(shown):
            shown.close()
        self.overview = EventOverviewDialog(self.event_id, self)
        self.overview.open()

    def apply_change(self, action: str, values: dict[str, Any]) -> None:
        event_id = self.event_id
        if event_id is None:
            return
        self.problem.clear()
        WriteOp(self, lambda work, _p: _apply(work, event_id, action, values), EVENTS) \
            .on_failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        self.problem.setText(str(error))
        self.change_failed.emit(str(error))

    def open_duplicate(self) -> None:
        details = self.editor.details
        if details is None:
            return
        ReadOp(self, offices_query).on_success(lambda offices: self._open_dialog(details, offices)).run()

    def _open_dialog(self, details: EventDetails, offices: list[BoxOffice]) -> None:
        self.dialog = DuplicateDialog(details.event.id, details.event.name, offices, details.event.box_office_id, self)
        self.dialog.duplicated.connect(self.show_event)
        self.dialog.open()
