"""The Events page: box offices and their events, creating and editing them, and duplicating an event."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice.i18n import _
from boxoffice.model.events import BoxOffice, Event
from boxoffice.services import catalogue
from boxoffice.services.catalogue import EventDetails
from boxoffice.services.catalogue_removal import archive_box_office, delete_item
from boxoffice.ui import theme
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.event_overview.page import EventOverviewDialog
from boxoffice.ui.events.actions import apply_change, save_box_office
from boxoffice.ui.events.duplicate_dialog import DuplicateDialog, offices_query
from boxoffice.ui.events.editor import EventEditor
from boxoffice.ui.events.office_dialogs import BoxOfficeDialog, NewEventDialog
from boxoffice.ui.ops import ReadOp, WriteOp

EVENTS = ChangeSet.of("events")
Tree = list[tuple[BoxOffice, list[Event]]]
OFFICE_ROLE = Qt.ItemDataRole.UserRole + 1


def _tree(session: Session) -> Tree:
    out = [(office, catalogue.events_of(session, office.id)) for office in catalogue.box_offices(session)]
    session.expunge_all()
    return out


class EventsPage(QWidget):
    """`tree_loaded`, `event_shown`, `change_failed(str)` and `confirm_opened` let tests wait on signals."""

    title = _("Events")
    icon_name = "events"
    purpose = _("Events with their dates, zones and rates, ready to sell.")
    tree_loaded = Signal()
    event_shown = Signal()
    change_failed = Signal(str)
    confirm_opened = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Box offices and events")])
        self.tree.setMinimumWidth(260)
        self.tree.setMaximumWidth(360)
        self.tree.currentItemChanged.connect(self._on_item)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.editor = EventEditor()
        self.editor.change_requested.connect(self.apply_change)
        self.editor.duplicate_requested.connect(self.open_duplicate)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')}; font-weight: bold;")
        self.overview_button = QPushButton(_("Event overview: sales, door code, customers…"))
        self.overview_button.clicked.connect(self.open_overview)
        self.empty = QLabel(wordWrap=True)
        self.empty.setStyleSheet("font-size: 14pt; padding: 24px;")
        self.empty_button = QPushButton()
        self.empty_button.setMinimumHeight(40)
        self.empty_button.clicked.connect(self._on_empty_button)
        self.overview: EventOverviewDialog | None = None
        self.dialog: Any = None
        self.confirmation: QMessageBox | None = None
        self.event_id: str | None = None
        self.offices: list[BoxOffice] = []
        self._loaded = False
        self._lay_out()
        self._show_editor(False)
        changes.applied.connect(self.on_changes_applied)

    def _lay_out(self) -> None:
        self.new_office = QPushButton(_("New box office…"))
        self.new_office.clicked.connect(lambda: self.open_box_office(None))
        self.new_event = QPushButton(_("New event…"))
        theme.set_primary(self.new_event)
        self.new_event.clicked.connect(self.open_new_event)
        self.office_menu = QPushButton(_("Box office ▾"))
        self.office_menu.clicked.connect(lambda: self._context_menu(None))
        left = QVBoxLayout()
        buttons = QGridLayout()  # two rows: the French labels side by side would widen the tree past 1366 px
        buttons.addWidget(self.new_office, 0, 0)
        buttons.addWidget(self.new_event, 0, 1)
        buttons.addWidget(self.office_menu, 1, 0)
        left.addLayout(buttons)
        left.addWidget(self.tree, 1)
        scroll = QScrollArea()
        scroll.setWidget(self.editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.editor_scroll = scroll
        right = QVBoxLayout()
        right.addWidget(self.overview_button)
        right.addWidget(self.problem)
        right.addWidget(self.empty)
        right.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(scroll, 1)
        self.empty_stretch = QWidget()
        right.addWidget(self.empty_stretch, 1)
        row = QHBoxLayout()
        QVBoxLayout(self).addLayout(row, 1)  # vertical on top: the page header goes above the two columns
        row.addLayout(left)
        row.addLayout(right, 1)

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
        self.offices = [office for office, _events in tree]
        self.tree.blockSignals(True)
        self.tree.clear()
        chosen = None
        for office, events in tree:
            archived = f"  ({_('archived')})" if office.archived_at else ""
            top = QTreeWidgetItem([office.name + archived])
            top.setData(0, OFFICE_ROLE, office.id)
            self.tree.addTopLevelItem(top)
            for event in events:
                child = QTreeWidgetItem([f"{event.name}  ·  {_(catalogue.EVENT_STATUSES.get(event.status, ''))}"])
                child.setData(0, Qt.ItemDataRole.UserRole, event.id)
                child.setData(0, OFFICE_ROLE, office.id)
                top.addChild(child)
                if event.id == self.event_id or (self.event_id is None and chosen is None):
                    chosen = child
            top.setExpanded(not office.archived_at)
        self.tree.blockSignals(False)
        self.new_event.setEnabled(bool(self.offices))
        self.office_menu.setEnabled(bool(self.offices))
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        else:
            self.event_id = None
            self._show_empty(tree)
        self.tree_loaded.emit()

    def _show_empty(self, tree: Tree) -> None:
        """What to do next when there is no event to edit: say it, with the button for it."""
        self._show_editor(False)
        if not tree:
            self.empty.setText(_("No box office yet. A box office holds a season's events, with their time zone "
                                 "and currency: create one, then its first event."))
            self.empty_button.setText(_("New box office…"))
        else:
            self.empty.setText(_("No event yet. Create one, then add its dates, zones and rates."))
            self.empty_button.setText(_("New event…"))

    def _on_empty_button(self) -> None:
        if self.offices:
            self.open_new_event()
        else:
            self.open_box_office(None)

    def _show_editor(self, shown: bool) -> None:
        self.editor_scroll.setVisible(shown)
        self.overview_button.setVisible(shown)
        for widget in (self.empty, self.empty_button, self.empty_stretch):
            widget.setVisible(not shown)

    def _on_item(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        event_id = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if event_id:
            self.show_event(str(event_id))

    def show_event(self, event_id: str) -> None:
        self.event_id = event_id
        ReadOp(self, lambda session: catalogue.event_details(session, event_id)).on_success(self._show_event).run()

    def _show_event(self, details: EventDetails) -> None:
        self.editor.show_event(details)
        self._show_editor(True)
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

    # Changes ------------------------------------------------------------------------------------

    def apply_change(self, action: str, values: dict[str, Any]) -> None:
        event_id = self.event_id
        if event_id is None:
            return
        if action == "remove":
            self.confirm(_("Delete “{item}”?").format(item=values.get("label", "")),
                         lambda: self._write(lambda work: apply_change(work, event_id, action, values)))
            return
        self._write(lambda work: apply_change(work, event_id, action, values))

    def _write(self, fn: Any, then: Any = None) -> None:
        self.problem.clear()
        WriteOp(self, lambda work, _p: fn(work), EVENTS).on_success(then or (lambda _r: None)) \
            .on_failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        self.problem.setText(str(error))
        if self.dialog is not None and hasattr(self.dialog, "refused") and self.dialog.isVisible():
            self.dialog.refused(str(error))
        self.change_failed.emit(str(error))

    def confirm(self, question: str, action: Any) -> None:
        """X4: a deletion asks first; Yes runs it, No (the default) leaves everything as it was."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Delete"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setInformativeText(_("Only what nothing was sold for can be deleted; what hangs off it goes with it."))
        box.buttonClicked.connect(lambda button: action()
                                  if box.standardButton(button) == QMessageBox.StandardButton.Yes else None)
        self.confirmation = box
        box.open()
        self.confirm_opened.emit()

    # Box offices and new events -------------------------------------------------------------------

    def _office_of_current(self) -> BoxOffice | None:
        item = self.tree.currentItem()
        office_id = item.data(0, OFFICE_ROLE) if item is not None else None
        return next((o for o in self.offices if o.id == office_id), None)

    def open_box_office(self, office: BoxOffice | None) -> None:
        dialog = BoxOfficeDialog(self, office.name, office.timezone, office.currency, office.id) if office \
            else BoxOfficeDialog(self)
        dialog.submitted.connect(lambda values: self._write(lambda work: save_box_office(work, values),
                                                            lambda _id: dialog.accept()))
        self.dialog = dialog
        dialog.open()

    def open_new_event(self) -> None:
        current = self._office_of_current()
        dialog = NewEventDialog([(o.id, o.name) for o in self.offices], current.id if current else None, self)
        dialog.submitted.connect(lambda values: self._write(
            lambda work: catalogue.create_event(work, values["box_office_id"] or "", values["name"]),
            lambda event_id: self._created(dialog, event_id)))
        self.dialog = dialog
        dialog.open()

    def _created(self, dialog: NewEventDialog, event_id: str) -> None:
        dialog.accept()
        self.event_id = event_id

    def _context_menu(self, point: QPoint | None) -> None:
        """The box office's actions, from a right click in the tree or the “Box office” button."""
        office = self._office_of_current()
        menu = QMenu(self)
        menu.addAction(_("New box office…"), lambda: self.open_box_office(None))
        if office is not None:
            menu.addAction(_("New event…"), self.open_new_event)
            menu.addSeparator()
            menu.addAction(_("Box office settings…"), lambda: self.open_box_office(office))
            menu.addAction(_("Restore") if office.archived_at else _("Archive"),
                           lambda: self._write(lambda work: archive_box_office(work, office.id,
                                                                               not office.archived_at)))
            menu.addAction(_("Delete box office…"), lambda: self.confirm(
                _("Delete the box office “{name}” with all its events?").format(name=office.name),
                lambda: self._write(lambda work: delete_item(work, "box_offices", office.id))))
        self.menu = menu
        if point is None:
            menu.popup(self.office_menu.mapToGlobal(QPoint(0, self.office_menu.height())))
        else:
            menu.popup(self.tree.viewport().mapToGlobal(point))

    def open_duplicate(self) -> None:
        details = self.editor.details
        if details is None:
            return
        ReadOp(self, offices_query).on_success(lambda offices: self._open_dialog(details, offices)).run()

    def _open_dialog(self, details: EventDetails, offices: list[BoxOffice]) -> None:
        self.dialog = DuplicateDialog(details.event.id, details.event.name, offices, details.event.box_office_id, self)
        self.dialog.duplicated.connect(self.show_event)
        self.dialog.open()
