# SPDX-License-Identifier: AGPL-3.0-or-later
"""Printed lists (the door's last-resort list, D1): plain rows to an A4 PDF table, header on every page."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from printing.errors import PrintError, _
from printing.fonts import badge_fonts

#: A box to tick by hand in front of each name.
CHECKBOX = "☐"
_MARGIN = 12 * mm


def render_list(path: str | Path, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
                subtitle: str = "", widths: Sequence[float] | None = None) -> int:
    """Write `rows` (already sorted, one string per column) under `columns` to a PDF; returns the page count.

    `widths` are relative column widths (default equal); a tick box column is added in front.
    """
    if widths is not None and len(widths) != len(columns):
        raise ValueError("one width per column is needed")
    fonts = badge_fonts()
    styles = _styles(fonts.regular, fonts.bold)
    usable = A4[0] - 2 * _MARGIN - 8 * mm
    shares = list(widths or [1.0] * len(columns))
    col_widths = [8 * mm] + [usable * w / sum(shares) for w in shares]
    header = ["", *(Paragraph(_escape(c), styles["head"]) for c in columns)]
    body = [[CHECKBOX, *(Paragraph(_escape(str(v)), styles["cell"]) for v in row)] for row in rows]
    table = LongTable([header, *body], colWidths=col_widths, repeatRows=1)
    table.setStyle(_table_style(fonts.regular))
    story = [Paragraph(_escape(title), styles["title"])]
    if subtitle:
        story.append(Paragraph(_escape(subtitle), styles["subtitle"]))
    story += [Spacer(1, 4 * mm), table]
    pages = _PageCounter()
    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN,
                                 topMargin=_MARGIN, bottomMargin=_MARGIN + 4 * mm, title=title)
    try:
        document.build(story, onFirstPage=pages.footer(fonts.regular), onLaterPages=pages.footer(fonts.regular))
    except OSError as error:
        raise PrintError(_("Cannot write {file}: {reason}").format(file=path, reason=error)) from error
    return pages.count


class _PageCounter:
    def __init__(self) -> None:
        self.count = 0

    def footer(self, font: str) -> object:
        def draw(canvas: Canvas, _document: object) -> None:
            self.count = canvas.getPageNumber()
            canvas.setFont(font, 8)
            canvas.drawRightString(A4[0] - _MARGIN, _MARGIN / 2,
                                   _("Page {n}").format(n=canvas.getPageNumber()))

        return draw


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=10, leading=13,
                                   textColor=colors.HexColor("#444444")),
        "head": ParagraphStyle("head", fontName=bold, fontSize=9, leading=11),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11),
    }


def _table_style(font: str) -> TableStyle:
    return TableStyle([
        ("FONTNAME", (0, 0), (0, -1), font),
        ("FONTSIZE", (0, 1), (0, -1), 12),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F2F2F2")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])


def _escape(text: str) -> str:
    # Paragraph text is mini-HTML: a name like "Smith & Co <VIP>" must print as written.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
