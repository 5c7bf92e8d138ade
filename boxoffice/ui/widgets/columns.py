"""Boxes side by side where the page is wide enough, one under another where it is not.

A grid of group boxes is as wide as its columns together: the event editor's dates, zones, rates
and questions two by two made the Events page scroll sideways at 125 % scaling in German (the
1366x768 screen is then 1093x614). This widget asks only for its widest box and puts as many
columns as its width holds, up to `most`. A hidden box takes no column (the door's webcam set-up
beside its form only with a webcam).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLayout, QStyle, QWidget

_FILL = Qt.AlignmentFlag(0)  # each widget fills its cell


class Columns(QWidget):
    """`widgets` in rows of up to `most` columns, as many as fit their minimum widths (`align` in their cells,
    the width left over shared by `stretch`)."""

    def __init__(self, widgets: Sequence[QWidget], most: int = 2, align: Qt.AlignmentFlag = _FILL,
                 stretch: Sequence[int] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widgets, self._most, self._align = list(widgets), most, align
        self._stretch = list(stretch) or [1] * most  # how the columns share the width left over
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        # The widget's minimum is the one-column width (minimumSizeHint below), not the grid's of the moment.
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.columns = 0
        for widget in self._widgets:
            widget.installEventFilter(self)  # shown or hidden: the columns are laid out again
        self._place(1)

    def _gap(self) -> int:
        spacing = self._grid.horizontalSpacing()
        return spacing if spacing >= 0 else self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)

    def _shown(self) -> list[QWidget]:
        # Not hidden on purpose (a child not shown yet counts: it is shown with its parent).
        return [w for w in self._widgets
                if not (w.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide) and w.isHidden())]

    def _width(self, count: int) -> int:
        """The width `count` columns need: each as wide as its widest box, and the gaps between."""
        widths = [max(w.minimumSizeHint().width(), w.minimumWidth()) for w in self._shown()]
        columns = [max(widths[i::count], default=0) for i in range(count)]
        return sum(columns) + (count - 1) * self._gap()

    def _widest(self) -> int:
        return max((max(w.minimumSizeHint().width(), w.minimumWidth()) for w in self._shown()), default=0)

    def fitting(self, width: int) -> int:
        """How many columns `width` holds."""
        count = max(1, min(self._most, len(self._shown())))
        while count > 1 and self._width(count) > width:
            count -= 1
        return count

    def _place(self, count: int) -> None:
        for widget in self._widgets:
            self._grid.removeWidget(widget)
        for i, widget in enumerate(self._shown()):
            self._grid.addWidget(widget, i // count, i % count, self._align)
        for column in range(self._most):
            self._grid.setColumnStretch(column, self._stretch[column] if column < count else 0)
        self.columns = count
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        count = self.fitting(self.width())
        if count != self.columns:
            self._place(count)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self._place(self.fitting(self.width()))
        return False

    def minimumSizeHint(self) -> QSize:
        return QSize(self._widest(), self._grid.minimumSize().height())

    def sizeHint(self) -> QSize:
        return QSize(self._width(max(1, min(self._most, len(self._shown())))), self._grid.sizeHint().height())
