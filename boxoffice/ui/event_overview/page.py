"""The event overview (T2): information and status, end of sales and door code, sales per rate, dates, customers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from boxoffice.i18n import _, ngettext
from boxoffice.money import format_money
from boxoffice.services import customers, event_overview
from boxoffice.services.catalogue import DATE_STATUSES, EVENT_STATUSES, VISIBILITIES
from boxoffice.services.customers import Customer
from boxoffice.services.event_overview import EventOverview
from boxoffice.ui.changes import ChangeSet, changes
from boxoffice.ui.event_overview.chart import RateCharts
from boxoffice.ui.event_overview.customers_panel import CustomersPanel
from boxoffice.ui.ops import ReadOp, show_error

RELOAD_AFTER_MS = 1000


@dataclass(frozen=True)
class Loaded:
    overview: EventOverview
    customers: list[Customer]


def load_overview(session: Session, event_id: str) -> Loaded:
    return Loaded(event_overview.event_overview(session, event_id), customers.customers_of(session, event_id))


class EventOverviewPage(QWidget):
    """`overview_loaded` and `answers_exported(path)` let tests wait on signals."""

    overview_loaded = Signal()
    answers_exported = Signal(str)

    def __init__(self, event_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.event_id = event_id
        self.name = QLabel()
        self.name.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.info = {key: QLabel() for key in ("status", "visibility", "location", "sold", "closes", "door_code")}
        self.info["door_code"].setStyleSheet("font-size: 16pt; font-weight: bold; letter-spacing: 2px;")
        self.charts = RateCharts()
        self.dates = QTableWidget(0, 5)
        self.dates.setHorizontalHeaderLabels([_("Date"), _("Status"), _("End of sales"), _("Sold / capacity"),
                                              _("Admitted at the door")])
        self.dates.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.dates.verticalHeader().setVisible(False)
        self.dates.horizontalHeader().setStretchLastSection(True)
        self.customers = CustomersPanel()
        self.customers.export_requested.connect(self.ask_answers_path)
        self._lay_out()
        self.overview: EventOverview | None = None
        self._loading = self._stale = False
        self._reload = QTimer(self, singleShot=True, interval=RELOAD_AFTER_MS)
        self._reload.timeout.connect(self._reload_if_stale)
        changes.applied.connect(self.on_changes_applied)

    def _lay_out(self) -> None:
        about = QGroupBox(_("Information and status"))
        form = QFormLayout(about)
        form.addRow(_("Status"), self.info["status"])
        form.addRow(_("Visibility"), self.info["visibility"])
        form.addRow(_("Location"), self.info["location"])
        form.addRow(_("Sales"), self.info["sold"])
        access = QGroupBox(_("End of sales and door control"))
        access_form = QFormLayout(access)
        access_form.addRow(_("End of sales"), self.info["closes"])
        access_form.addRow(_("Door access code"), self.info["door_code"])
        top = QHBoxLayout()
        top.addWidget(about, 1)
        top.addWidget(access, 1)
        column = QVBoxLayout(self)
        column.addWidget(self.name)
        column.addLayout(top)
        column.addWidget(self.charts, 2)
        column.addWidget(self.dates, 1)
        column.addWidget(self.customers, 2)

    def on_changes_applied(self, changed: ChangeSet, _initiator: object) -> None:
        # A hidden overview only notes that it is stale; a shown one reloads at most once a second,
        # never with two loads in flight, so a busy door's scans cannot queue reloads behind them.
        if self.overview is None or not changed.touches("events", "orders", "tickets", "checkins"):
            return
        self._stale = True
        if self.isVisible() and not self._reload.isActive():
            self._reload.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self._reload.start(0)

    def _reload_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.load()

    def load(self) -> None:
        if self._loading:
            return
        self._loading, self._stale = True, False
        event_id = self.event_id
        ReadOp(self, lambda session: load_overview(session, event_id)).on_success(self._show).on_failure(
            self._load_failed).run()

    def _load_failed(self, error: BaseException) -> None:
        self._loading = False
        show_error(self, error, "")

    def _show(self, loaded: Loaded) -> None:
        self._loading = False
        if self._stale:
            self._reload.start()
        overview = self.overview = loaded.overview
        zone = ZoneInfo(overview.timezone)
        self.name.setText(overview.name)
        self.info["status"].setText(_(EVENT_STATUSES.get(overview.status, overview.status)))
        self.info["visibility"].setText(_(VISIBILITIES.get(overview.visibility, overview.visibility)))
        self.info["location"].setText(overview.location or "—")
        self.info["sold"].setText(_("{tickets} in {orders} · {total}").format(
            tickets=ngettext("{n} ticket", "{n} tickets", overview.sold).format(n=overview.sold),
            orders=ngettext("{n} order", "{n} orders", overview.orders).format(n=overview.orders),
            total=format_money(overview.revenue_minor, overview.currency)))
        closes = overview.sales_close_at
        self.info["closes"].setText(closes.astimezone(zone).strftime("%d.%m.%Y %H:%M") if closes
                                    else _("at each date's own closing time"))
        self.info["door_code"].setText(overview.door_access_code or _("none set"))
        self.charts.show_rates(overview.rates, overview.currency)
        self._show_dates(overview, zone)
        self.customers.show_customers(loaded.customers)
        self.overview_loaded.emit()

    def _show_dates(self, overview: EventOverview, zone: ZoneInfo) -> None:
        self.dates.setRowCount(len(overview.dates))
        for row, date in enumerate(overview.dates):
            closes = date.closes_at.astimezone(zone).strftime("%d.%m.%Y %H:%M") if date.closes_at else "—"
            cells = (date.starts_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                     _(DATE_STATUSES.get(date.status, date.status)), closes, f"{date.sold} / {date.capacity}",
                     str(date.checked_in))
            for column, text in enumerate(cells):
                self.dates.setItem(row, column, QTableWidgetItem(text))
        self.dates.resizeColumnsToContents()

    def ask_answers_path(self) -> None:
        name = self.overview.name if self.overview else "event"
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the order-form answers"),
                                                    f"{name} - answers.csv", "CSV (*.csv)")
        if path:
            self.export_answers(Path(path))

    def export_answers(self, path: Path) -> None:
        """One row per order with its contact and one column per question (formulas neutralised)."""
        event_id = self.event_id
        ReadOp(self, lambda session: customers.export_answers(session, event_id, path)).on_success(
            lambda count: self._exported(path, count)).run()

    def _exported(self, path: Path, count: int) -> None:
        self.customers.message.setText(ngettext("{n} order written to {file}",
                                                "{n} orders written to {file}", count).format(n=count, file=path))
        self.answers_exported.emit(str(path))


class EventOverviewDialog(QDialog):
    """The overview in its own window, opened from the Events page; loads when created.

    Closing deletes it (and its page, which stops listening to changes); the Events page shows the
    open one again rather than making another.
    """

    def __init__(self, event_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Event overview"))
        self.page = EventOverviewPage(event_id)
        QVBoxLayout(self).addWidget(self.page)
        self.resize(1100, 900)
        self.page.load()
