"""A closed Tab order: Tab and Shift+Tab go round a panel's own fields and never leave it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget


def reachable(widgets: Sequence[QWidget]) -> list[QWidget]:
    """The widgets Tab can land on now: shown, enabled and taking keyboard focus."""
    return [w for w in widgets if w.isVisibleTo(w.window()) and w.isEnabled()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus]


def move_focus(ring: Sequence[QWidget], forward: bool) -> bool:
    """Give focus to the next (or previous) widget of `ring` after the focused one, wrapping round.

    Returns False when the ring is empty, so the caller can fall back to Qt's own order."""
    widgets = reachable(ring)
    if not widgets:
        return False
    focused = QApplication.focusWidget()
    here = next((i for i, w in enumerate(widgets) if focused is not None
                 and (w is focused or w.isAncestorOf(focused))), -1)
    step = 1 if forward else -1
    target = widgets[(here + step) % len(widgets)] if here >= 0 else widgets[0 if forward else -1]
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    target.setFocus(reason)
    area = target.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if area is not None:
        area.ensureWidgetVisible(target)
    return True
