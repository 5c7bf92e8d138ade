"""Unhandled errors: one from a page's op callback and one from a worker thread reach the dialog and the log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from boxoffice import logs
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.engine import Store
from boxoffice.ui import ops
from boxoffice.ui.crash import CrashReporter
from boxoffice.ui.settings.page import SettingsPage
from tests.boxoffice.ui.conftest import screenshot


@pytest.fixture
def reporter(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CrashReporter]:
    monkeypatch.setenv("BOXOFFICE_LOG_DIR", str(tmp_path / "logs"))
    path = logs.start_logging("boxoffice")
    crash = CrashReporter(path)
    crash.install()
    yield crash
    crash.uninstall()
    if crash.dialog is not None:
        crash.dialog.close()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "boxoffice_log", False)]:
        root.removeHandler(handler)
        handler.close()


def _log_text(reporter: CrashReporter) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return reporter.log_path.read_text()


def _fail_on_purpose(_result: object) -> None:
    raise ZeroDivisionError("the seat count was divided by zero on purpose")


class TestUnhandledErrors:
    def test_an_error_in_a_pages_op_callback_shows_the_dialog_and_is_logged(
            self, qtbot, reporter: CrashReporter, store: Store, writer: Writer, data_dir: Path):
        from boxoffice import settings

        ops.install(store, writer)
        page = SettingsPage(data_dir, settings.Settings())
        qtbot.addWidget(page)
        ops.ReadOp(page, lambda session: 1).on_success(_fail_on_purpose).run()
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        assert "ZeroDivisionError: the seat count was divided by zero on purpose" in reporter.dialog.summary.text()
        assert str(reporter.log_path) in " ".join(label.text() for label in reporter.dialog.findChildren(
            type(reporter.dialog.summary)))
        assert "_fail_on_purpose" in reporter.dialog.details.toPlainText()
        log = _log_text(reporter)
        assert "ERROR [MainThread] boxoffice.crash: unhandled ZeroDivisionError on thread MainThread" in log
        assert 'in _fail_on_purpose' in log
        ops.wait_for_idle()

    def test_an_error_on_a_worker_thread_shows_the_dialog_and_is_logged(self, qtbot, reporter: CrashReporter):
        def work() -> None:
            raise KeyError("ticket 42 not on this worker")

        worker = threading.Thread(target=work, name="ticket-worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        assert "KeyError" in reporter.dialog.summary.text()
        assert "Thread: ticket-worker" in reporter.dialog.details.toPlainText()
        assert "unhandled KeyError on thread ticket-worker" in _log_text(reporter)

    def test_copy_details_puts_versions_and_traceback_on_the_clipboard(self, qtbot, reporter: CrashReporter):
        reporter.report(ValueError, ValueError("bad row"), None, "MainThread")
        qtbot.waitUntil(lambda: reporter.dialog is not None)
        reporter.dialog.copy_button.click()
        copied = QGuiApplication.clipboard().text()
        assert copied.startswith("boxoffice ")
        assert "SQLite" in copied and "ValueError: bad row" in copied

    def test_a_second_error_is_added_to_the_same_dialog(self, qtbot, reporter: CrashReporter):
        reporter.report(ValueError, ValueError("first"), None, "MainThread")
        reporter.report(ValueError, ValueError("second"), None, "MainThread")
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.errors == 2)
        assert "2 errors since the app started." in reporter.dialog.summary.text()
        details = reporter.dialog.details.toPlainText()
        assert "first" in details and "second" in details

    def test_a_secret_in_the_error_is_hidden_in_the_dialog_and_the_log(self, qtbot, reporter: CrashReporter):
        reporter.report(RuntimeError, RuntimeError("login failed: password=Hunter2-secret!"), None, "MainThread")
        qtbot.waitUntil(lambda: reporter.dialog is not None)
        assert "Hunter2-secret!" not in reporter.dialog.details.toPlainText()
        assert "Hunter2-secret!" not in reporter.dialog.summary.text()
        assert "Hunter2-secret!" not in _log_text(reporter)

    def test_the_dialog_renders_in_english_and_french(self, qtbot, reporter: CrashReporter):
        from boxoffice import i18n

        for language in ("en", "fr"):
            i18n.set_language(language)
            reporter.dialog = None
            reporter.report(ValueError, ValueError("bad row"), None, "MainThread")
            qtbot.waitUntil(lambda: reporter.dialog is not None)
            reporter.dialog.resize(700, 480)
            assert screenshot(reporter.dialog, f"crash-dialog-{language}").exists()
            reporter.dialog.close()
        i18n.set_language("en")
