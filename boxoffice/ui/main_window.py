"""The main window: a navigation, the pages it composes, the status bar. No business logic here."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QMainWindow, QStackedWidget, QWidget

from boxoffice.i18n import _
from boxoffice.ui import icons, theme
from boxoffice.ui.status import install_status
from boxoffice.ui.sync_bridge import SyncBridge
from boxoffice.ui.widgets.page_header import add_header


class Navigation(QListWidget):
    """The page list: pages change by click or Ctrl+1…9, never by a letter typed by mistake, and Tab
    never lands here (a seller tabbing past the last field must stay in the sale)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def keyboardSearch(self, search: str) -> None:
        pass  # a letter typed here must not switch pages


class MainWindow(QMainWindow):
    """Pages are added by the composition root; Ctrl+1…9 jump to them."""

    def __init__(self, bridge: SyncBridge) -> None:
        super().__init__()
        theme.install()  # the look follows the OS scheme from the first paint
        self.setWindowTitle(_("boxoffice"))
        self.navigation = Navigation()
        self.navigation.setFixedWidth(180)
        self.navigation.setIconSize(QSize(24, 24))
        theme.on_change(self.navigation, self._style_navigation)
        self.pages = QStackedWidget()
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(body)
        self.sync_status = install_status(self.statusBar(), bridge)
        self.resize(1200, 760)

    def _style_navigation(self, c: theme.Colours) -> None:
        # A panel a shade off the pages, the current page filled with the accent: where you are, at a glance.
        body = theme.role_point_size(theme.PURPOSE)
        self.navigation.setStyleSheet(
            f"QListWidget {{ background: {c.panel}; border: none; border-right: 1px solid {c.border};"
            f" font-size: {round(body * 1.1)}pt; padding: 6px 4px; outline: 0; }}"
            f" QListWidget::item {{ padding: 7px 8px; margin: 1px 2px; border-radius: 6px; color: {c.text}; }}"
            f" QListWidget::item:hover {{ background: {c.alternate}; }}"
            f" QListWidget::item:selected {{ background: {c.accent}; color: {c.accent_text}; }}")

    def add_page(self, page: QWidget) -> None:
        title = str(getattr(page, "title", page.objectName()))
        self.navigation.addItem(title)
        name = str(getattr(page, "icon_name", ""))
        if name:  # drawn in the palette's text colour, so it follows the scheme
            self.navigation.item(self.navigation.count() - 1).setIcon(icons.icon(name))
        add_header(page)
        self.pages.addWidget(page)
        number = self.navigation.count()
        if number <= 9:
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.navigation.setCurrentRow(row))
        if self.navigation.currentRow() < 0:
            self.navigation.setCurrentRow(0)

    def page_titles(self) -> list[str]:
        return [self.navigation.item(i).text() for i in range(self.navigation.count())]

    def show_page(self, title: str) -> None:
        matches = self.navigation.findItems(title, Qt.MatchFlag.MatchExactly)
        if matches:
            self.navigation.setCurrentItem(matches[0])
