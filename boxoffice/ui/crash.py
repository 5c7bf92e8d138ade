"""Unhandled errors on any thread: written to the log, then shown in one dialog with "Copy details"."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from boxoffice import logs
from boxoffice.i18n import _, ngettext
from boxoffice.ui.log_folder import open_log_folder

log = logging.getLogger("boxoffice.crash")


class CrashDialog(QDialog):
    """What went wrong, where the log is, the details to copy. Not modal: the door keeps scanning."""

    def __init__(self, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle(_("Something went wrong"))
        self.log_path = log_path
        self.errors = 0
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        where = QLabel(_("The details are also in the log file:\n{path}").format(path=log_path))
        where.setTextInteractionFlags(where.textInteractionFlags().TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMinimumSize(560, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("Copy details"))
        self.copy_button.clicked.connect(self.copy_details)
        folder = QPushButton(_("Open log folder"))
        folder.clicked.connect(lambda: open_log_folder(log_path.parent))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(where)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def add_error(self, what: str, details: str) -> None:
        self.errors += 1
        text = _("boxoffice ran into an error it did not expect: {what}").format(what=what)
        if self.errors > 1:
            text += "\n" + ngettext("{count} error since the app started.", "{count} errors since the app started.",
                                    self.errors).format(count=self.errors)
        self.summary.setText(text)
        if self.errors == 1:
            from boxoffice.ui.about import version_lines  # only with a crash: not on the way to the first paint

            self.details.setPlainText("\n".join(version_lines()) + "\n")
        self.details.appendPlainText("\n" + details)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(_("Copied"))


class CrashReporter(QObject):
    """Installs sys.excepthook and threading.excepthook; exceptions from Qt slots and op callbacks reach
    sys.excepthook through PySide6. Safe to call from any thread: the dialog is shown on the UI thread."""

    raised = Signal(str, str)

    def __init__(self, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__()
        self.log_path = log_path
        self.dialog_parent = parent
        self.dialog: CrashDialog | None = None
        self._previous = (sys.excepthook, threading.excepthook)
        self.raised.connect(self.show_error)

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.on_exception
        threading.excepthook = self.on_thread_exception

    def uninstall(self) -> None:
        """Put back the hooks found at install()."""
        sys.excepthook, threading.excepthook = self._previous

    def on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.report(args.exc_type, args.exc_value, args.exc_traceback, name)

    def on_exception(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report(exc_type, exc, tb, threading.current_thread().name)

    def report(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
               thread: str) -> None:
        log.error("unhandled %s on thread %s: %s", exc_type.__name__, thread, exc, exc_info=(exc_type, exc, tb))
        what = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
        details = _("Thread: {thread}").format(thread=thread) + "\n" + "".join(
            traceback.format_exception(exc_type, exc, tb))
        self.raised.emit(logs.redact(what), logs.redact(details))

    def show_error(self, what: str, details: str) -> None:
        if self.dialog is None:
            self.dialog = CrashDialog(self.log_path, self.dialog_parent)
        self.dialog.add_error(what, details)
        self.dialog.show()
        self.dialog.raise_()
