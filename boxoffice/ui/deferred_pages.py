"""The window first, its pages after: the pages are built once the window has been painted (issue #15).

Opening the store and building ten pages took ~2.5 s before anything showed. The window now shows at once
with every page's name in the navigation; each page is built in its own turn of the event loop (the one on
screen before the others), so the window stays responsive while the rest fills in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

# Without a paint (a window shown minimized), the pages are built all the same after this long.
UNPAINTED_START_MS = 1000


class PagePlaceholder(QWidget):
    """A page's place in the window, named like the page (and with its icon), until the page is built; then
    it holds it. It has no `purpose`: the page's own header is put on the page when it is built."""

    def __init__(self, title: str, icon_name: str) -> None:
        super().__init__()
        self.title, self.icon_name = title, icon_name
        self.page: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def hold(self, page: QWidget) -> None:
        from boxoffice.ui.widgets.page_header import add_header

        add_header(page)  # what MainWindow.add_page does for a page added at once
        self.page = page
        self._layout.addWidget(page)


class DeferredPages(QObject):
    """Adds a placeholder per page to `window` now; after the window's first paint runs `prepare` (opening
    the store), then builds one page a turn: the one on screen, then those at the indexes `soon`, then the
    rest in order. Emits `built_page` with each page's index, and `ready` after the last."""

    built_page = Signal(int)
    ready = Signal()

    def __init__(self, window: QMainWindow, prepare: Callable[[], None],
                 pages: Sequence[tuple[str, str, Callable[[], QWidget]]], soon: Sequence[int] = ()) -> None:
        super().__init__(window)
        self._window, self._prepare, self._soon = window, prepare, list(soon)
        self._makers = [make for _title, _icon, make in pages]
        self.placeholders = [PagePlaceholder(title, icon) for title, icon, _make in pages]
        for placeholder in self.placeholders:
            window.add_page(placeholder)  # type: ignore[attr-defined]
        self._started = False
        window.installEventFilter(self)
        QTimer.singleShot(UNPAINTED_START_MS, self.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._started:
            # After this paint has finished, not inside it.
            QTimer.singleShot(0, self.start)
        return False

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._window.removeEventFilter(self)
        self._prepare()
        QTimer.singleShot(0, self._build_next)

    def _build_next(self) -> None:
        waiting = [i for i, placeholder in enumerate(self.placeholders) if placeholder.page is None]
        if not waiting:
            self.ready.emit()
            return
        current = self._window.pages.currentIndex()  # type: ignore[attr-defined]
        index = next(i for i in [current, *self._soon, *waiting] if i in waiting)
        self.placeholders[index].hold(self._makers[index]())
        self.built_page.emit(index)
        QTimer.singleShot(0, self._build_next)

    @property
    def built(self) -> bool:
        return all(placeholder.page is not None for placeholder in self.placeholders)
