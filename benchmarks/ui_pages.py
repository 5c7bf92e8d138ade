# SPDX-License-Identifier: AGPL-3.0-or-later
"""Page switch to data shown, in the real main window (offscreen) on the large store, for benchmarks.ui.

Each page is chosen in the navigation as a user would, and the clock stops once every read the page
started has answered, its results are in the widgets and the page has been painted (`repaint`): the
first switch to a page is the one that loads it, later ones show what it holds or reload what changed.

Run by path (`python benchmarks/ui_pages.py DATA_DIR`) it imports only boxoffice, so with another
checkout first on PYTHONPATH it measures that checkout's pages: benchmarks.ui --before does so.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

SIZE = (1366, 768)


def _keep_none_alive() -> None:
    """Work around PySide6/shiboken6 6.12 on Python 3.11: every call of a Qt method that returns nothing
    (setText, QTimer.singleShot, processEvents…) takes one reference off None without having added it
    (measured: 500 calls of QLabel.setText, 500 fewer), so a long run ends in "Fatal Python error:
    none_dealloc". Python 3.12's None is immortal; here it is given references enough for the run."""
    if sys.version_info < (3, 12):
        import ctypes

        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 32


def _shown(app: Any, page: Any, timeout_s: float = 60.0) -> None:
    """Let the page's reads answer (and the reads their answers start), then paint it."""
    from PySide6.QtCore import QEventLoop

    from boxoffice.ui import ops

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        app.processEvents()
        if ops.in_flight() == 0:
            app.processEvents()  # what the last answer posted (a chained read, a layout)
            if ops.in_flight() == 0:
                break
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    page.repaint()


def page_switches(folder: Path, rounds: int = 3) -> dict[str, dict[str, float]]:
    """Page (class name) -> first, median and worst ms from its switch to its data painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from boxoffice import settings
    from boxoffice.app import build_window
    from boxoffice.mutations.unit_of_work import Writer
    from boxoffice.store.engine import open_store
    from boxoffice.ui import ops

    _keep_none_alive()
    app = QApplication.instance() or QApplication([])
    store = open_store(folder)
    window: Any = build_window(store, Writer(store), folder, settings.Settings())
    window.resize(*SIZE)
    first, started = window.pages.currentWidget(), time.perf_counter()
    window.show()  # the page shown at start: its first figure is from the window shown
    _shown(app, first)
    times: dict[str, list[float]] = {type(first).__name__: [(time.perf_counter() - started) * 1000]}
    count = window.pages.count()
    for _round in range(rounds):
        for row in [*range(1, count), 0]:
            page = window.pages.widget(row)
            started = time.perf_counter()
            window.navigation.setCurrentRow(row)
            _shown(app, page)
            times.setdefault(type(page).__name__, []).append((time.perf_counter() - started) * 1000)
    window.close()
    ops.wait_for_idle()
    app.processEvents()
    window.deleteLater()
    app.processEvents()
    store.close()
    return {name: {"first_ms": round(ms[0], 1), "median_ms": round(statistics.median(ms), 1),
                   "worst_ms": round(max(ms), 1)} for name, ms in times.items()}


if __name__ == "__main__":
    print(json.dumps(page_switches(Path(sys.argv[1]))))
