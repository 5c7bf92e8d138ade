"""A QR code as a QImage, for a screen another device scans (the pairing QR of a new profile code)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from printing.codes import qr_matrix

QUIET_MODULES = 4  # the quiet zone scanners need around the symbol


def qr_image(payload: str, side: int) -> QImage:
    """`payload` as a black-on-white QR of about `side` pixels, in whole pixels per module (sharp to scan)."""
    matrix = qr_matrix(payload)
    modules = len(matrix) + 2 * QUIET_MODULES
    pixel = max(1, side // modules)
    image = QImage(modules * pixel, modules * pixel, QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(QRect((x + QUIET_MODULES) * pixel, (y + QUIET_MODULES) * pixel, pixel, pixel),
                                 Qt.GlobalColor.black)
    painter.end()
    return image
