"""Render a layout to an image for the live preview: reportlab PDF, rasterised by QtPdf (any thread)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument

from boxoffice.i18n import _
from boxoffice.money import format_money
from printing.layout import Layout
from printing.render import Record, render_pdf

PREVIEW_DPI = 200


def sample_record() -> Record:
    """Long accented names on purpose: the preview shows how shrinking and wrapping behave."""
    return Record({
        "first_name": "Zoë", "last_name": "Müller-Lüdenscheidt", "company": "Théâtre du Léman",
        "role": _("Speaker"), "event": "Le Misanthrope", "pass_name": _("Season pass"), "season": "2026/27",
        "date": "14.11.2026 20:00", "venue": "Lausanne", "zone": "Parterre", "seat": "", "rate": "Plein tarif",
        "price": format_money(4500, "CHF"), "order": "D-100001", "conditions": "", "title": _("Test card"),
        "printer": "CR80", "profile": "IDP Smart-51 CR80",
    }, "PREVIEW-0001")


def render_image(layout: Layout, record: Record | None = None, dpi: int = PREVIEW_DPI) -> QImage:
    """The first page at `dpi`. Runs in a ReadOp worker: QImage, unlike QPixmap, is safe off the UI thread."""
    pdf = render_pdf(layout, [record or sample_record()], layout.name)
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    size = QSize(round(layout.width / 25.4 * dpi), round(layout.height / 25.4 * dpi))
    page = document.render(0, size)
    # PDF pages are transparent where nothing is drawn; a card is white, so paint the page on white.
    card = QImage(size, QImage.Format.Format_RGB32)
    card.fill(Qt.GlobalColor.white)
    painter = QPainter(card)
    painter.drawImage(0, 0, page)
    painter.end()
    document.close()
    return card
