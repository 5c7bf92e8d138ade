"""Run a print off the UI thread with a progress dialog and a Cancel button that stops between cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from boxoffice.i18n import _
from boxoffice.services.print_jobs import ProgressCallback
from boxoffice.ui.ops import PROGRESS_DELAY_MS, Progress, ReadOp

PrintWork = Callable[[ProgressCallback, Callable[[], bool]], Any]


def alive(widget: QObject) -> bool:
    """False once Qt has deleted the widget: an answer from a worker may arrive after its page closed."""
    return isValid(widget)


class PrintRun(QObject):
    """One print run: `finished(result)` or `failed(error)` arrive on the UI thread.

    It goes through ReadOp, not WriteOp, on purpose: a WriteOp holds one transaction for the
    whole run, which would lock the writer while cards print and lose the print log if the app
    died mid-run. The print service commits each card's log entry through the writer itself.
    """

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QWidget, work: PrintWork, label: str = "") -> None:
        super().__init__(parent)
        self._parent, self._work = parent, work
        self.progress = Progress()
        self.dialog = QProgressDialog(label or _("Printing…"), _("Cancel"), 0, 0, parent)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        self.dialog.canceled.connect(self.progress.cancel)
        self.progressed.connect(self.on_progressed)

    def start(self) -> None:
        emit, progress = self.progressed.emit, self.progress
        ReadOp(self._parent, lambda _session: self._work(emit, lambda: progress.cancelled)) \
            .on_success(self.on_finished).on_failure(self.on_failed).run()

    def on_progressed(self, done: int, total: int, label: str) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        if label:
            self.dialog.setLabelText(label)

    def _close(self) -> None:
        self.dialog.canceled.disconnect(self.progress.cancel)
        self.dialog.reset()
        self.dialog.hide()

    def on_finished(self, result: Any) -> None:
        if not alive(self.dialog):
            return
        self._close()
        self.finished.emit(result)

    def on_failed(self, error: BaseException) -> None:
        if not alive(self.dialog):
            return
        self._close()
        self.failed.emit(error)
