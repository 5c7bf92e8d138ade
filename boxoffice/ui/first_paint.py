"""`boxoffice --smoke-test`: open the window, say when it is first painted and when every page is built, and
quit (installers' checks, benchmarks/startup.py)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

PAINTED = "boxoffice: window painted"
READY = "boxoffice: pages ready"


def _say(line: str) -> None:
    if sys.stdout is not None:  # a windowed build (Windows, macOS .app) has no standard output
        print(line, flush=True)


class FirstPaint(QObject):
    """Watches `window`; after its first paint event prints PAINTED with its page count."""

    def __init__(self, window: QWidget, pages: int) -> None:
        super().__init__(window)
        self.pages = pages
        self.painted = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            # After this paint has finished, not inside it.
            QTimer.singleShot(0, self.report)
        return False

    def report(self) -> None:
        _say(f"{PAINTED} ({self.pages} pages)")


def report_ready(pages: int) -> None:
    """Every page is built: say so and quit."""
    _say(f"{READY} ({pages} pages)")
    QApplication.quit()
