"""What a page says when it has nothing to show yet: what to do next, and the button that does it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from boxoffice.ui import theme


class EmptyState(QFrame):
    """A banner with a sentence and one button; hidden until the page says it is empty.

    The button either runs `action`, or opens the window's page titled `page` (the Events page, say).
    """

    def __init__(self, message: str, button: str, action: Callable[[], None] | None = None, page: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        theme.on_change(self, lambda c: self.setStyleSheet(  # a soft yellow in light, a dim amber in dark
            f"QFrame#empty_state {{ background: {c.notice}; border: 1px solid {c.notice_border};"
            " border-radius: 6px; }"))
        self.message = QLabel(message, wordWrap=True)
        self.message.setStyleSheet("font-size: 12pt;")
        self.button = QPushButton(button)
        self.button.setAutoDefault(True)
        self.button.clicked.connect(action or self.open_page)
        self.page = page
        row = QHBoxLayout(self)
        row.addWidget(self.message, 1)
        row.addWidget(self.button)
        self.hide()

    def set_empty(self, empty: bool) -> None:
        self.setVisible(empty)

    def open_page(self) -> None:
        window = self.window()
        show_page = getattr(window, "show_page", None)
        if callable(show_page) and self.page:
            show_page(self.page)
