"""What a screenshot shows cut off: the window past the screen, widgets outside it, clipped text, sideways scrolling.

Used by `scripts/screenshots.py --check` on every page at 1366x768 in each language (issue #16: every page usable
on a 1366x768 laptop). Each problem names the widget by its class, its object name or text, so the page to fix is
obvious from the message.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QTableView,
    QTreeView,
    QWidget,
)

# Tables and trees are data grids: a wide grid scrolls sideways by design, as a spreadsheet does.
_GRIDS = (QTableView, QTreeView)


def cut_off(window: QWidget, screen: tuple[int, int]) -> list[str]:
    """Every way `window`, shown on a screen of `screen` pixels, hides part of what it shows."""
    problems = []
    if window.width() > screen[0] or window.height() > screen[1]:
        problems.append(f"the window is {window.width()}x{window.height()}, larger than the {screen[0]}x{screen[1]} "
                        f"screen (it cannot be narrower than {window.minimumSizeHint().width()} px)")
    inside = QRect(0, 0, window.width(), window.height())
    for widget in _shown(window):
        where = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not inside.contains(where) and not _scrolled(widget):
            problems.append(f"{_name(widget)} lies outside the window ({_rect(where)})")
        problems.extend(_clipped_text(widget))
        if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, _GRIDS):
            bar = widget.horizontalScrollBar()
            if bar.isVisible() and bar.maximum() > 0:
                problems.append(f"{_name(widget)} scrolls sideways by {bar.maximum()} px")
    return problems


def _shown(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if w.isVisible() and w.window() is window and w.width() > 0]


def _scrolled(widget: QWidget) -> bool:
    """Inside a scroll area's viewport, a widget may lie beyond the edge: scrolling brings it into view."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def _clipped_text(widget: QWidget) -> list[str]:
    if _plain_label(widget) and widget.width() < widget.minimumSizeHint().width():
        return [f"{_name(widget)} is cut: {widget.width()} px for {widget.minimumSizeHint().width()} px of text"]
    if isinstance(widget, QAbstractButton) and widget.text() and not _scrolled(widget):
        needed = widget.sizeHint().width()
        if widget.width() < needed - 2:  # a style's rounding; anything more loses letters
            return [f"{_name(widget)} is cut: {widget.width()} px for {needed} px of text"]
    return []


def _plain_label(widget: QWidget) -> bool:
    return (isinstance(widget, QLabel) and bool(widget.text()) and not widget.wordWrap() and not _scrolled(widget)
            and widget.textFormat() != Qt.TextFormat.RichText)


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    label = widget.objectName() or text.replace("\n", " ")[:50]
    return f"{type(widget).__name__} “{label}”" if label else type(widget).__name__


def _rect(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}x{rect.height()}"

