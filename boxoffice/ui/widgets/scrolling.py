"""A page part that scrolls up and down where the window is shorter than it (768 px at 125 %), never sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def vertical_scroll(content: QWidget, width_of: QWidget | None = None) -> QScrollArea:
    """`content` in a frameless scroll area as wide as `width_of` (default: `content`) needs, plus its scroll bar."""
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    needed = (width_of or content).minimumSizeHint().width()
    scroll.setMinimumWidth(needed + scroll.verticalScrollBar().sizeHint().width())
    return scroll
