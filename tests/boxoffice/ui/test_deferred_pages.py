"""Issue #15: the window is painted with its pages' names first; the store opens and the pages are built after,
the one on screen first, and the ops asked for meanwhile run once the store is open."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from boxoffice.app import _pages
from boxoffice.store.engine import Store
from boxoffice.ui import ops
from boxoffice.ui.deferred_pages import DeferredPages
from boxoffice.ui.main_window import MainWindow
from boxoffice.ui.sync_bridge import SyncBridge


@pytest.fixture
def store_opened_later() -> Iterator[None]:
    ops.open_later()
    yield
    ops._Context.waiting = None


def test_pages_are_built_after_the_first_paint_the_one_on_screen_first_then_the_soon_ones_and_ops_wait(
        qtbot, store_opened_later, store: Store, writer):
    built: list[str] = []
    opened: list[bool] = []
    counted: list[int] = []

    def page(title: str):
        def make() -> QWidget:
            built.append(title)
            made = QWidget()
            made.title, made.purpose = title, f"What {title} is for"  # type: ignore[attr-defined]
            QVBoxLayout(made).addWidget(QLabel(title))
            return made
        return make

    window = MainWindow(SyncBridge())
    pages = DeferredPages(window, lambda: (opened.append(True), ops.install(store, writer)),
                          [(title, "", page(title)) for title in ("One", "Two", "Three", "Four")], soon=[3])
    indexes: list[int] = []
    pages.built_page.connect(indexes.append)
    qtbot.addWidget(window)
    ops.ReadOp(window, lambda session: 7).on_success(counted.append).run()  # before the store is open: it waits
    window.navigation.setCurrentRow(2)
    assert window.page_titles() == ["One", "Two", "Three", "Four"] and built == opened == counted == []
    with qtbot.waitSignal(pages.ready, timeout=10_000):
        window.show()
    assert opened == [True] and built == ["Three", "Four", "One", "Two"] and indexes == [2, 3, 0, 1]
    assert pages.built
    # Each page gets its header as a page added at once does (MainWindow.add_page).
    assert window.pages.currentWidget().page.header.purpose.text() == "What Three is for"
    qtbot.waitUntil(lambda: counted == [7])
    ops.wait_for_idle()


def test_the_names_and_icons_shown_before_the_pages_exist_are_the_pages_own(window):
    # `window` is built at once (build_window); the deferred start shows _pages' titles and icons first.
    pages = [window.pages.widget(i) for i in range(window.pages.count())]
    assert [(title, icon) for title, icon, _make in _pages(lambda: None)] == [(page.title, page.icon_name)
                                                                              for page in pages]
