"""Qt table models of the Printers page: the printers found and the print log's recent jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from boxoffice.i18n import _
from boxoffice.services.print_jobs import LoggedJob
from printing.status import PrinterState, PrinterStatus

Index = QModelIndex | QPersistentModelIndex
_STATE_COLOURS = {PrinterState.IDLE: "#1b7f3a", PrinterState.PRINTING: "#1f5fbf", PrinterState.STOPPED: "#b3261e"}
_OUTCOME_COLOURS = {"completed": "#1b7f3a", "failed": "#b3261e", "cancelled": "#8a6d00", "queued": "#1f5fbf"}


@dataclass(frozen=True)
class PrinterRow:
    """A printer as the technician sees it: its status and the profile assigned to it."""

    status: PrinterStatus
    profile: str


def state_words(status: PrinterStatus) -> str:
    names = {PrinterState.IDLE: _("ready"), PrinterState.PRINTING: _("printing"), PrinterState.STOPPED: _("stopped")}
    words = _("out of cards") if status.out_of_cards else names[status.state]
    return f"{words} — {status.message}" if status.message else words


class _Table(QAbstractTableModel):
    """A read-only table whose column titles are given by the subclass at construction."""

    loaded = Signal(int)

    def __init__(self, headers: list[str]) -> None:
        super().__init__()
        self._headers = headers
        self.rows: list[Any] = []

    def replace(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()
        self.loaded.emit(len(rows))

    def headers(self) -> list[str]:
        return self._headers

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None


class PrintersModel(_Table):
    """Printers with state, waiting jobs, model and assigned profile."""

    def __init__(self) -> None:
        super().__init__([_("Printer"), _("State"), _("Waiting jobs"), _("Profile"), _("Model")])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: PrinterRow = self.rows[index.row()]
        status, column = row.status, index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            colour = _STATE_COLOURS[PrinterState.STOPPED if status.out_of_cards else status.state]
            return QColor(colour)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (status.name, state_words(status), str(status.queued_jobs), row.profile or _("none"),
                  status.make_and_model)
        return values[column]


class JobsModel(_Table):
    """The print log, newest first."""

    def __init__(self) -> None:
        super().__init__([_("When"), _("What"), _("For"), _("Printer"), _("Outcome"), _("Message")])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job: LoggedJob = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            return QColor(_OUTCOME_COLOURS.get(job.outcome, "#000000"))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        what = {"badge": _("badge"), "pass": _("pass"), "ticket": _("ticket")}.get(job.what, job.what)
        outcome = {"completed": _("printed"), "failed": _("failed"), "cancelled": _("cancelled"),
                   "queued": _("queued")}.get(job.outcome, job.outcome)
        if job.reprint:
            what = _("{what} (reprint)").format(what=what)
        if job.cups_job_id:
            outcome = f"{outcome} (#{job.cups_job_id})"
        values = (job.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), what, job.label, job.printer,
                  outcome, job.message)
        return values[column]
