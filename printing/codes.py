"""QR and Code 128 symbols drawn as single vector paths on a reportlab canvas."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

CODE128_QUIET_MODULES = 10


def qr_matrix(payload: str) -> list[list[bool]]:
    """The module matrix of `payload`, without a quiet zone (True = dark)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, side: float, quiet_modules: int) -> None:
    """Draw a QR code in the square (x, y, side) in points, y from the bottom, on a white ground.

    One path of merged row runs, not QrCodeWidget's rectangle per module: ~4x faster to
    draw and a far smaller PDF (measured, see DESIGN.md "Printing facts").
    """
    matrix = qr_matrix(payload)
    count = len(matrix)
    module = side / (count + 2 * quiet_modules)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    left = x + quiet_modules * module
    top = y + side - quiet_modules * module
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        row_y = top - (row_index + 1) * module
        start = -1
        for column, dark in enumerate([*row, False]):
            if dark and start < 0:
                start = column
            elif not dark and start >= 0:
                path.rect(left + start * module, row_y, (column - start) * module, module)
                start = -1
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)


def code128_bars(value: str) -> list[tuple[int, int]]:
    """Bars of `value` as (start, width) in modules, from reportlab's Code 128 encoder."""
    symbol = Code128(value, humanReadable=0)
    symbol.validate()
    symbol.encode()
    symbol.decompose()
    bars: list[tuple[int, int]] = []
    position = 0
    # reportlab spells widths as letters: upper case a bar, lower case a space, 'a' = 1 module.
    for letter in symbol.decomposed:
        width = ord(letter.lower()) - ord("a") + 1
        if letter.isupper():
            bars.append((position, width))
        position += width
    return bars


def draw_code128(canvas: Canvas, value: str, x: float, y: float, width: float, height: float) -> None:
    """Draw a Code 128 barcode filling the box (quiet zones included) as one path."""
    bars = code128_bars(value)
    if not bars:
        return
    total = bars[-1][0] + bars[-1][1] + 2 * CODE128_QUIET_MODULES
    module = width / total
    path = canvas.beginPath()
    for start, bar_width in bars:
        path.rect(x + (start + CODE128_QUIET_MODULES) * module, y, bar_width * module, height)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
