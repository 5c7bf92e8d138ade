# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Passes page: the pass editor, selling a pass with its holder and photo, and the resale payouts (P1–P5)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice import settings
from boxoffice.i18n import _, ngettext
from boxoffice.model.events import BoxOffice, Event
from boxoffice.model.passes import PassDefinition
from boxoffice.money import format_money, parse_money
from boxoffice.mutations.unit_of_work import UnitOfWork, Writer
from boxoffice.services import catalogue, passes, print_setup, resale
from boxoffice.services.catalogue_removal import archive_pass_definition, delete_item
from boxoffice.services.pass_sales import PassSale, SoldPass, pass_area_link, seat_choices, sell_pass
from boxoffice.services.print_jobs import PrinterBackend, print_items, render_items
from boxoffice.services.print_records import items_for_order
from boxoffice.ui import theme
from boxoffice.ui.changes import PRINT_LOG, ChangeSet, changes
from boxoffice.ui.ops import ReadOp, WriteOp
from boxoffice.ui.passes.editor import PassEditor
from boxoffice.ui.passes.photo import photo_from_file, take_photo
from boxoffice.ui.passes.resales_panel import ResalesPanel
from boxoffice.ui.passes.sell_panel import SeatChoice, SellPanel
from boxoffice.ui.widgets.empty_state import EmptyState
from boxoffice.ui.widgets.scrolling import vertical_scroll

PASSES = ChangeSet.of("passes")
SOLD = ChangeSet.of("passes", "orders", "tickets")


@dataclass(frozen=True)
class Catalogue:
    definitions: list[PassDefinition]
    events: list[Event]


def _catalogue(session: Session) -> Catalogue:
    found = Catalogue(passes.definitions(session), catalogue.events_of(session))
    session.expunge_all()
    return found


def _currency(work: UnitOfWork, definition_id: str, event_ids: list[str]) -> str:
    """An existing pass keeps its currency; a new one takes its first event's box office's."""
    if definition_id:
        return passes.get_definition(work.session, definition_id).currency
    event = work.session.get(Event, event_ids[0]) if event_ids else None
    office = work.session.get(BoxOffice, event.box_office_id) if event is not None and event.box_office_id else None
    return office.currency if office is not None else "CHF"


def save_definition(work: UnitOfWork, definition_id: str, values: dict[str, Any]) -> str:
    """The editor's values through the passes service: the definition, then its resale campaign.

    The price is read as typed ("240", "240,50", "CHF 240.–"); a wrong one is refused with the reason."""
    values = dict(values)
    campaign = values.pop("campaign")
    if not str(values.get("name", "")).strip():  # said before the price: the name is the first field
        raise passes.PassError(_("A pass needs a name."))
    if "price" in values:
        typed = str(values.pop("price"))
        currency = _currency(work, definition_id, list(values.get("event_ids", [])))
        values["price_minor"] = parse_money(typed, currency) if typed.strip() else 0
    if definition_id:
        passes.update_definition(work, definition_id, **values)
    else:
        definition_id = passes.create_definition(work, **values)
    existing = passes.get_definition(work.session, definition_id).resale or {}
    if campaign["active"] or existing.get("active"):
        passes.set_resale_campaign(work, definition_id, campaign["percentage"], campaign["payout_kinds"],
                                   campaign["donation_to"], campaign["active"])
    return definition_id


class PassesPage(QWidget):
    """Signals tests wait on: `definitions_loaded`, `definition_saved(id)`, `pass_sold(SoldPass)`, `photo_ready`,
    `resales_loaded`, `pdf_saved(path)`, `print_finished(report)`, `definition_deleted` and `change_failed(str)`."""

    title = _("Passes")
    icon_name = "passes"
    purpose = _("Season passes and memberships: what they give, who holds them, resales.")
    definitions_loaded = Signal()
    definition_saved = Signal(str)
    pass_sold = Signal(object)
    photo_ready = Signal()
    resales_loaded = Signal()
    pdf_saved = Signal(str)
    print_finished = Signal(object)
    change_failed = Signal(str)
    definition_deleted = Signal()

    def __init__(self, writer: Writer, data_dir: Path, backend: PrinterBackend | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.writer, self.data_dir, self.backend = writer, data_dir, backend
        self.camera_source: int | str | Path = 0
        self.sold: SoldPass | None = None
        self.confirmation: QMessageBox | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_editor_tab(), _("Pass definitions"))
        self.sell_panel = SellPanel()
        self.sell_tab = vertical_scroll(self.sell_panel)
        self.tabs.addTab(self.sell_tab, _("Sell a pass"))
        self.resales = ResalesPanel(self._timezone())
        self.tabs.addTab(self.resales, _("Resales and payouts"))
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {theme.status_colour('error')};")
        self.no_events = EmptyState(_("A pass admits to events, and there is none yet. Create the season's events "
                                      "first, then come back to define its passes."), _("Open the Events page"),
                                    page=_("Events"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.no_events)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)
        self._connect()
        self._loaded = False
        changes.applied.connect(self.on_changes_applied)

    def _build_editor_tab(self) -> QWidget:
        self.definition_list = QListWidget()
        self.definition_list.setMinimumWidth(220)
        self.definition_list.currentItemChanged.connect(self._on_definition_item)
        self.editor = PassEditor()
        self.new_button = QPushButton(_("New pass"))
        theme.set_primary(self.new_button)
        self.new_button.clicked.connect(lambda: self.editor.show_definition(None))
        left = QVBoxLayout()
        left.addWidget(self.definition_list, 1)
        left.addWidget(self.new_button)
        tab = QWidget()
        row = QHBoxLayout(tab)
        row.addLayout(left)
        # The editor is taller than a 768 px screen leaves under the page header: it scrolls, never squeezes.
        row.addWidget(vertical_scroll(self.editor), 1)
        return tab

    def _connect(self) -> None:
        self.editor.save_requested.connect(self.save_definition)
        self.editor.delete_requested.connect(self.confirm_delete)
        self.editor.archive_requested.connect(self.archive_definition)
        self.sell_panel.sell_requested.connect(self.sell)
        self.sell_panel.definition_chosen.connect(self.load_seats)
        self.sell_panel.photo_file.clicked.connect(self.ask_photo_file)
        self.sell_panel.photo_camera.clicked.connect(self.take_photo)
        self.sell_panel.print_button.clicked.connect(self.print_pass)
        self.sell_panel.pdf_button.clicked.connect(self.ask_pdf_path)
        self.resales.settle_requested.connect(self.settle)
        self.resales.mark_paid_requested.connect(self.mark_paid)
        self.resales.export_requested.connect(self.ask_export_path)

    def _timezone(self) -> str:
        try:
            return settings.load(self.data_dir).venue_timezone
        except settings.SettingsError:
            return settings.Settings().venue_timezone

    def showEvent(self, event: Any) -> None:
        if not self._loaded:
            self._loaded = True
            self.load()

    def on_changes_applied(self, changed: ChangeSet, initiator: object) -> None:
        if self._loaded and changed.touches("passes", "events"):
            self.load()

    def load(self) -> None:
        ReadOp(self, _catalogue).on_success(self._show_catalogue).run()
        self.load_resales()

    def _show_catalogue(self, found: Catalogue) -> None:
        chosen = self.editor.definition_id
        self.editor.set_events(found.events)
        self.no_events.set_empty(not found.events)
        self.definition_list.blockSignals(True)
        self.definition_list.clear()
        for definition in found.definitions:
            item = QListWidgetItem(definition.name + (f"  ({_('archived')})" if definition.archived_at else ""))
            item.setData(Qt.ItemDataRole.UserRole, definition)
            self.definition_list.addItem(item)
            if definition.id == chosen:
                self.definition_list.setCurrentItem(item)
        self.definition_list.blockSignals(False)
        current = self.definition_list.currentItem()
        self.editor.show_definition(current.data(Qt.ItemDataRole.UserRole) if current else None)
        self.sell_panel.set_definitions([d for d in found.definitions if d.archived_at is None])
        self.definitions_loaded.emit()

    def _on_definition_item(self, item: QListWidgetItem | None, _previous: object) -> None:
        self.editor.show_definition(item.data(Qt.ItemDataRole.UserRole) if item is not None else None)

    def _failed(self, error: BaseException) -> None:
        self.problem.setText(str(error))
        self.change_failed.emit(str(error))

    def save_definition(self, definition_id: str, values: dict[str, Any]) -> None:
        self.problem.clear()
        WriteOp(self, lambda work, _p: save_definition(work, definition_id, values), PASSES) \
            .on_success(self._saved).on_failure(self._failed).run()

    def confirm_delete(self, definition_id: str, name: str) -> None:
        """X4: asks first; a pass already sold is refused with the reason (the definition stays)."""
        if not definition_id:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Delete"), _("Delete the pass “{name}”?").format(name=name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.buttonClicked.connect(lambda button: self.delete_definition(definition_id)
                                  if box.standardButton(button) == QMessageBox.StandardButton.Yes else None)
        self.confirmation = box
        box.open()

    def archive_definition(self, definition_id: str, archived: bool) -> None:
        if definition_id:
            self.problem.clear()
            WriteOp(self, lambda work, _p: archive_pass_definition(work, definition_id, archived), PASSES) \
                .on_failure(self._failed).run()

    def delete_definition(self, definition_id: str) -> None:
        self.problem.clear()
        WriteOp(self, lambda work, _p: delete_item(work, "pass_definitions", definition_id), PASSES) \
            .on_success(lambda _n: self._deleted()).on_failure(self._failed).run()

    def _deleted(self) -> None:
        self.editor.definition_id = ""
        self.definition_deleted.emit()

    def _saved(self, definition_id: str) -> None:
        self.editor.definition_id = definition_id
        self.definition_saved.emit(definition_id)

    # Selling ---------------------------------------------------------------------------------

    def load_seats(self, definition_id: str) -> None:
        definition = self.sell_panel.current_definition()
        if definition is None or not definition.fixed_seats:
            self.sell_panel.set_seats([])
            return
        ReadOp(self, lambda session: seat_choices(session, definition_id)).on_success(
            lambda seats: self.sell_panel.set_seats([SeatChoice(i, label) for i, label in seats])).run()

    def ask_photo_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Holder's photo"), "",
                                                    _("Pictures (*.jpg *.jpeg *.png *.bmp)"))
        if path:
            self.use_photo_file(Path(path))

    def use_photo_file(self, path: Path) -> None:
        ReadOp(self, lambda _s: photo_from_file(path)).on_success(self._photo).on_failure(self._failed).run()

    def take_photo(self) -> None:
        """One frame from the camera, off the UI thread (opening a camera takes about a second)."""
        source = self.camera_source
        self.sell_panel.message.setText(_("Taking the photo…"))
        ReadOp(self, lambda _s: take_photo(source)).on_success(self._photo).on_failure(self._failed).run()

    def _photo(self, photo: bytes) -> None:
        self.sell_panel.set_photo(photo)
        self.sell_panel.message.setText(_("Photo ready."))
        self.photo_ready.emit()

    def sell(self, sale: PassSale) -> None:
        self.problem.clear()
        self.sell_panel.link.clear()
        WriteOp(self, lambda work, _p: sell_pass(work, sale), SOLD, _("Selling the pass…")) \
            .on_success(self._sold).on_failure(self._failed).run()

    def _sold(self, sold: SoldPass) -> None:
        self.sold = sold
        self.sell_panel.message.setText(_("Pass sold: order {number}, {amount}.").format(
            number=sold.number, amount=format_money(sold.total_minor, sold.currency)))
        self.sell_panel.print_button.setEnabled(True)
        self.sell_panel.pdf_button.setEnabled(True)
        self.sell_panel.clear_holder()
        self.pass_sold.emit(sold)
        ReadOp(self, lambda session: pass_area_link(session, sold.pass_id)).on_success(self._show_link).run()

    def _show_link(self, link: str | None) -> None:
        if link:
            self.sell_panel.link.setText(_("Pass area for the holder: {link}").format(link=link))

    def _what(self) -> str:
        """Pass tickets for the ticket support when seats are fixed (one per date); otherwise the pass itself."""
        definition = self.sell_panel.current_definition()
        return "ticket" if definition is not None and definition.support == "ticket" and definition.fixed_seats \
            else "pass"

    def ask_pdf_path(self) -> None:
        if self.sold is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the pass as PDF"), f"{self.sold.number}.pdf",
                                                    "PDF (*.pdf)")
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        """The sold pass as a PDF: a CR80 card with the photo, or tickets for the ticket support."""
        sold, data_dir, what = self.sold, self.data_dir, self._what()
        if sold is None:
            return

        def render(session: Session) -> str:
            layout = print_setup.layout_for(data_dir, what, None)
            path.write_bytes(render_items(layout, items_for_order(session, sold.number, what), sold.number))
            return str(path)

        ReadOp(self, render).on_success(self._pdf_saved).on_failure(self._failed).run()

    def _pdf_saved(self, path: str) -> None:
        self.sell_panel.message.setText(_("Pass saved to {file}").format(file=path))
        self.pdf_saved.emit(path)

    def print_pass(self) -> None:
        """Print through the printer assigned to passes; without one, offer Save as PDF."""
        sold, data_dir, writer, backend, what = self.sold, self.data_dir, self.writer, self.backend, self._what()
        printer = print_setup.printer_for(data_dir, what)
        if sold is None:
            return
        if backend is None or not printer:
            self.sell_panel.message.setText(_("No pass printer is set up: save the pass as PDF instead."))
            self.ask_pdf_path()
            return

        def work(session: Session) -> Any:
            profile = print_setup.profile_for(data_dir, what, printer)
            layout = print_setup.layout_for(data_dir, what, profile)
            return print_items(writer, backend, items_for_order(session, sold.number, what), printer, profile, layout)

        ReadOp(self, work).on_success(self._printed).on_failure(self._print_failed).run()

    def _printed(self, report: Any) -> None:
        self.sell_panel.message.setText(report.summary())
        changes.applied.emit(PRINT_LOG, self)
        self.print_finished.emit(report)

    def _print_failed(self, error: BaseException) -> None:
        changes.applied.emit(PRINT_LOG, self)  # the cards printed before the failure are logged
        self._failed(error)

    # Resales ---------------------------------------------------------------------------------

    def load_resales(self) -> None:
        ReadOp(self, lambda session: (resale.resales(session), resale.resold_waiting(session))) \
            .on_success(self._show_resales).run()

    def _show_resales(self, found: tuple[list[resale.ResaleRow], int]) -> None:
        rows, waiting = found
        self.resales.show_rows(rows)
        self.resales_loaded.emit()
        if waiting:
            self.settle()  # seats sold again at a desk: compute their payouts (the reload then finds none)

    def settle(self) -> None:
        WriteOp(self, lambda work, _p: resale.settle_resales(work), PASSES) \
            .on_success(lambda n: self.resales.message.setText(ngettext(
                "{n} seat was resold since the last check.", "{n} seats were resold since the last check.", n
            ).format(n=n))).on_failure(self._failed).run()

    def mark_paid(self, resale_id: str) -> None:
        WriteOp(self, lambda work, _p: resale.mark_paid(work, resale_id), PASSES).on_failure(self._failed).run()

    def ask_export_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export payouts"), "payouts.csv", "CSV (*.csv)")
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        ReadOp(self, lambda session: resale.export_resales(session, path)).on_success(
            lambda n: self._exported(n, path)).on_failure(self._failed).run()

    def _exported(self, count: int, path: Path) -> None:
        self.resales.message.setText(ngettext("{n} resale written to {file}", "{n} resales written to {file}",
                                              count).format(n=count, file=path))
