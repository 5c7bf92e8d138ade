"""The only way a page leaves the UI thread: `WriteOp` for changes, `ReadOp` for queries.

WriteOp runs on the single writer thread inside one transaction, shows progress after half
a second, can be cancelled, routes errors to one handler and then announces what changed.
ReadOp runs on a parallel pool with its own session. Neither callback ever runs off the UI
thread, and the work function must never touch a widget.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from boxoffice.i18n import _
from boxoffice.ui.changes import ChangeSet, changes

if TYPE_CHECKING:  # the window is painted before the store (SQLAlchemy) is imported: issue #15
    from sqlalchemy.orm import Session

    from boxoffice.mutations.unit_of_work import UnitOfWork, Writer
    from boxoffice.store.engine import Store

T = TypeVar("T")
PROGRESS_DELAY_MS = 500
log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a write when the user pressed Cancel: the transaction is rolled back."""


class Progress:
    """Handed to long work: report how far it is, and stop when asked (thread-safe)."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.relay: _Relay | None = None

    def report(self, done: int, total: int, label: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled
        if self.relay is not None:
            self.relay.progressed.emit(done, total, label)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Relay(QObject):
    # Created on the UI thread; signals emitted from the worker arrive there queued.
    finished = Signal(object)
    failed = Signal(object, str)
    progressed = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work, self._relay = work, relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:
            self._relay.failed.emit(exc, traceback.format_exc())
        else:
            self._relay.finished.emit(result)


class _Context:
    """The store and writer the ops run against, set once by the composition root."""

    store: Store | None = None
    writer: Writer | None = None
    writer_pool: QThreadPool | None = None
    waiting: list[Callable[[], None]] | None = None  # ops asked for before install(), after open_later()


def open_later() -> None:
    """The store opens after the window's first paint (boxoffice/app.py): until install(), ops wait."""
    _Context.waiting = []


def install(store: Store, writer: Writer) -> None:
    _Context.store, _Context.writer = store, writer
    pool = QThreadPool()
    pool.setMaxThreadCount(1)  # the single writer (DESIGN: Threads)
    _Context.writer_pool = pool
    waiting, _Context.waiting = _Context.waiting or [], None
    for run in waiting:
        run()


def _wait_for_store(run: Callable[[], None]) -> bool:
    """True when `run` was kept for install() (the store is not open yet, and the app said it would be)."""
    if _Context.store is None and _Context.waiting is not None:
        _Context.waiting.append(run)
        return True
    return False


def wait_for_idle(msecs: int = 30_000) -> bool:
    """Let queued work finish (app shutdown and tests)."""
    done = QThreadPool.globalInstance().waitForDone(msecs)
    return (_Context.writer_pool.waitForDone(msecs) if _Context.writer_pool else True) and done


def show_error(parent: QWidget | None, exc: BaseException, details: str) -> None:
    """One handler for every failed op: a plain message, the traceback only for unexpected errors."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Could not finish"), str(exc) or type(exc).__name__,
                      parent=parent)
    if not isinstance(exc, ValueError):
        log.error("an operation failed: %s\n%s", exc, details)
        box.setDetailedText(details)
    box.open()


# Ops in flight: held here so Python does not collect them before their signals arrive.
_running: set[Any] = set()


class _Op(Generic[T]):
    def __init__(self, parent: QWidget | None) -> None:
        self._parent = parent
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._relay = _Relay()

    def on_success(self, callback: Callable[[T], None]) -> Any:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> Any:
        self._failure = callback
        return self

    def _settle(self) -> None:
        # Break the op <-> relay cycle here, on the UI thread, and let go of the op only once this
        # slot has returned: left to the cyclic garbage collector, which may run on a worker thread,
        # the relay (and a WriteOp's timer) were destroyed there, and Qt crashed (a flaky segfault in CI).
        for signal in (self._relay.finished, self._relay.failed):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect()
        QTimer.singleShot(0, lambda: _running.discard(self))

    def _parent_gone(self) -> bool:
        # The page that asked may have been closed while the work ran: its callbacks must not run.
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _failed(self, exc: BaseException, details: str) -> None:
        self._settle()
        if self._parent_gone():
            return
        if self._failure is not None:
            self._failure(exc)
        elif not isinstance(exc, Cancelled):
            show_error(self._parent, exc, details)


class ReadOp(_Op[T]):
    """Run `fn(session)` on the reader pool; `on_success` gets its result on the UI thread."""

    def __init__(self, parent: QWidget | None, fn: Callable[[Session], T]) -> None:
        super().__init__(parent)
        self._fn = fn

    def run(self) -> None:
        if _wait_for_store(self.run):
            return
        store = _Context.store
        assert store is not None, "ops.install() was not called"

        def work() -> T:
            with store.session() as session:
                return self._fn(session)

        self._relay.finished.connect(self._done)
        self._relay.failed.connect(self._failed)
        _running.add(self)
        QThreadPool.globalInstance().start(_Job(work, self._relay))

    def _done(self, result: T) -> None:
        self._settle()
        if self._success is not None and not self._parent_gone():
            self._success(result)


class WriteOp(_Op[T]):
    """Run `fn(unit_of_work, progress)` in one transaction on the writer thread.

    `changed` names what it touches; after success `changes.applied` is emitted with it.
    """

    def __init__(self, parent: QWidget | None, fn: Callable[[UnitOfWork, Progress], T], changed: ChangeSet,
                 label: str = "") -> None:
        super().__init__(parent)
        self._fn, self._changed, self._label = fn, changed, label or _("Working…")
        self.progress = Progress()
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer()

    def run(self) -> None:
        if _wait_for_store(self.run):
            return
        writer, pool = _Context.writer, _Context.writer_pool
        assert writer is not None and pool is not None, "ops.install() was not called"
        self.progress.relay = self._relay

        def work() -> T:
            with writer.transaction() as unit:
                return self._fn(unit, self.progress)

        self._relay.finished.connect(self._done)
        self._relay.failed.connect(self._fail)
        self._relay.progressed.connect(self._progressed)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)
        self._timer.start(PROGRESS_DELAY_MS)
        _running.add(self)
        pool.start(_Job(work, self._relay))

    def _show_progress(self) -> None:
        dialog = QProgressDialog(self._label, _("Cancel"), 0, 0, self._parent)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.progress.cancel)
        dialog.show()
        self._dialog = dialog

    def _progressed(self, done: int, total: int, label: str) -> None:
        if self._dialog is not None:
            self._dialog.setMaximum(total)
            self._dialog.setValue(done)
            if label:
                self._dialog.setLabelText(label)

    def _close_progress(self) -> None:
        self._timer.stop()
        for signal in (self._timer.timeout, self._relay.progressed):  # their hold on this op, as in _settle
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect()
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.reset()
            self._dialog.deleteLater()
            self._dialog = None

    def _done(self, result: T) -> None:
        self._close_progress()
        self._settle()
        if self._success is not None and not self._parent_gone():
            self._success(result)
        changes.applied.emit(self._changed, None if self._parent_gone() else self._parent)

    def _fail(self, exc: BaseException, details: str) -> None:
        self._close_progress()
        self._failed(exc, details)


def in_flight() -> int:
    """How many ops have not reported back yet (screenshots and tests wait for 0)."""
    return len(_running)


class Latest:
    """Reads of one search box or table where only the last one asked for may reach the screen.

    Each `run` supersedes the reads before it: a slow answer to "M" that arrives after the answer
    to "Müller" is dropped, so the last keystroke's results win whatever order the reads finish in.
    """

    def __init__(self) -> None:
        self.asked = 0

    def supersede(self) -> None:
        """Drop every answer still on its way (the search box was emptied, the list changed)."""
        self.asked += 1

    def run(self, op: ReadOp[T], callback: Callable[[T], None]) -> None:
        self.supersede()
        self.follow(op, callback)

    def follow(self, op: ReadOp[T], callback: Callable[[T], None]) -> None:
        """Run `op` without superseding anything (the next rows of what is shown); dropped like the others."""
        ticket = self.asked

        def deliver(result: T) -> None:
            if ticket == self.asked:
                callback(result)

        op.on_success(deliver).run()
