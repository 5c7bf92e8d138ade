"""Issue #15: opening the window reads its options without the commands' parsers, and paints before the
store, the sync client, OpenCV or reportlab are imported (they cost seconds; benchmarks/startup.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from boxoffice.cli import window_args

# What boxoffice.app.run_app does before the first paint, then the modules loaded by then.
BEFORE_THE_FIRST_PAINT = """
import json, sys
from boxoffice.cli import window_args
window_args(["--smoke-test"])
from PySide6.QtWidgets import QApplication
app = QApplication([])
from boxoffice import app as composition
from boxoffice.ui import ops
from boxoffice.ui.crash import CrashReporter
from boxoffice.ui.deferred_pages import DeferredPages
from boxoffice.ui.first_paint import FirstPaint
from boxoffice.ui.main_window import MainWindow
from boxoffice.ui.sync_bridge import SyncBridge
ops.open_later()
window = MainWindow(SyncBridge())
DeferredPages(window, lambda: None, composition._pages(lambda: None))
FirstPaint(window, len(window.page_titles()))
print(json.dumps({"modules": sorted(sys.modules), "titles": window.page_titles()}))
"""
HEAVY = ("sqlalchemy", "alembic", "cv2", "numpy", "reportlab", "zxingcpp", "pydantic", "requests", "sync.client",
         "boxoffice.store", "boxoffice.mutations", "boxoffice.services", "babel")


def test_the_window_with_every_page_name_is_ready_to_paint_before_any_heavy_module_is_imported():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    loaded = subprocess.run([sys.executable, "-c", BEFORE_THE_FIRST_PAINT], capture_output=True, text=True,
                            timeout=120, env=env)
    assert loaded.returncode == 0, loaded.stderr
    before = json.loads(loaded.stdout.splitlines()[-1])
    assert [name for name in before["modules"] if name.split(".")[0] in HEAVY or name.startswith(HEAVY)] == []
    assert before["titles"] == ["Contacts", "Invitations", "Printers", "Conflicts", "Desk", "Events", "Passes",
                                "Door", "Settings", "Welcome"]


def test_only_the_window_options_skip_the_commands_parsers():
    args = window_args(["--data-dir", "demo", "--smoke-test", "--language", "fr"])
    assert args is not None and args.data_dir == "demo" and args.smoke_test and args.language == "fr"
    assert args.command is None and args.handler is None
    # A command, --help or a wrong value go to the full parser, which runs the command or says what is wrong.
    for argv in (["demo"], ["--data-dir", "x", "tickets"], ["--help"], ["-h"], ["--language", "xx"], ["--bogus"]):
        assert window_args(argv) is None, argv
