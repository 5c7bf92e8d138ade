# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the webcam sees, live, with each code it has just read outlined: the door staff see where to hold a ticket."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from boxoffice.i18n import _
from scanning.decode import Code

if TYPE_CHECKING:
    from boxoffice.ui.door.inputs import ScanSource

#: The outline's colour: the door's green, on any picture.
OUTLINE = QColor("#2ee05a")
#: A code's outline stays this long after the frame it was read in (the decoder reads fewer frames a
#: second than the camera sends: without it the outline would blink).
OUTLINE_SECONDS = 0.5


def frame_image(frame: np.ndarray) -> QImage:
    """A QImage holding its own copy of a BGR, BGRA or grayscale frame."""
    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8)
    elif frame.shape[2] == 4:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_ARGB32)
    else:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888)
    return image.copy()  # the frame's buffer belongs to the camera's thread


class CameraPreview(QWidget):
    """Shows the frames handed to `show_frame` scaled to fit, and outlines the codes of `show_codes`.

    Both run on the UI thread (a ScanSource's signals arrive there)."""

    def __init__(self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._image: QImage | None = None
        self._codes: tuple[Code, ...] = ()
        self._codes_at = 0.0
        self.placeholder = _("No picture yet")
        self.setMinimumSize(QSize(240, 180))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("Camera preview"))

    def sizeHint(self) -> QSize:
        return QSize(320, 240)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width * 3 // 4

    def show_frame(self, frame: np.ndarray) -> None:
        self._image = frame_image(frame)
        self.update()

    def show_codes(self, codes: Sequence[Code]) -> None:
        """The codes read in the newest decoded frame; an empty list lets the last outline fade."""
        if codes:
            self._codes, self._codes_at = tuple(codes), self._clock()
            self.update()

    def clear(self, placeholder: str | None = None) -> None:
        self._image, self._codes = None, ()
        if placeholder is not None:
            self.placeholder = placeholder
        self.update()

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn: scaled to fit, centred."""
        if self._image is None or self._image.isNull():
            return QRectF(self.rect())
        scale = min(self.width() / self._image.width(), self.height() / self._image.height())
        width, height = self._image.width() * scale, self._image.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def outlines(self) -> list[QPolygonF]:
        """Each outlined code's corners in the widget's coordinates."""
        if self._image is None or not self._codes or self._clock() - self._codes_at > OUTLINE_SECONDS:
            return []
        area = self.picture_rect()
        scale = area.width() / self._image.width()
        return [QPolygonF([QPointF(area.left() + x * scale, area.top() + y * scale) for x, y in code.corners])
                for code in self._codes if len(code.corners) >= 2]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#111111"))
        if self._image is None:
            painter.setPen(QColor("#dddddd"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self.picture_rect(), self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(OUTLINE, 4))
        for outline in self.outlines():
            painter.drawPolygon(outline)


def follow(source: ScanSource, preview: CameraPreview) -> None:
    """Shows ``source``'s frames and outlines its codes in ``preview``, one frame at a time."""

    def on_frame(frame: np.ndarray) -> None:
        preview.show_frame(frame)
        source.frame_taken()

    source.frame_grabbed.connect(on_frame)
    source.codes_decoded.connect(preview.show_codes)
