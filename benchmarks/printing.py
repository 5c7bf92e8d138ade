"""Benchmark: 1,000 CR80 badges through the layout renderer against bare reportlab calls."""

from __future__ import annotations

import io
import json
import sys
import time

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import badge_fonts
from printing.render import Record, render_pdf
from printing.templates import CR80_HEIGHT_MM, CR80_WIDTH_MM, cr80_badge

BADGES = 1000
PT_PER_MM = 72 / 25.4
FIRST = ["Zoë", "Anaïs", "Jürgen", "François", "Ægir", "Łucja", "Maximiliane-Éléonore", "Ben"]
LAST = ["Müller", "Groß", "Dupont-Aignan", "von Hohenzollern-Sigmaringen", "Nuñez", "Li"]


def records() -> list[Record]:
    return [
        Record(
            {
                "first_name": FIRST[i % len(FIRST)],
                "last_name": LAST[i % len(LAST)],
                "company": "Acme",
                "role": "Staff",
                "event": "Gala 2026",
            },
            f"BX{i:06d}-Q2MZ-9TWR-4HNP",
        )
        for i in range(BADGES)
    ]


def bare_reportlab(batch: list[Record]) -> bytes:
    """The same badges by hand: centred text lines and the QR as one path, no layout, no fitting."""
    fonts = badge_fonts()
    width, height = CR80_WIDTH_MM * PT_PER_MM, CR80_HEIGHT_MM * PT_PER_MM
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1, initialFontName=fonts.regular)
    for record in batch:
        values = record.variables
        canvas.setFont(fonts.regular, 9)
        canvas.drawCentredString(width / 2, height - 30, str(values["event"]))
        canvas.setFont(fonts.bold, 12)
        canvas.drawCentredString(width / 2, height - 60, f"{values['first_name']} {values['last_name']}")
        canvas.setFont(fonts.regular, 10)
        canvas.drawCentredString(width / 2, height - 95, str(values["company"]))
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(record.qr)
        code.make(fit=True)
        matrix = code.get_matrix()
        module = 85.0 / len(matrix)
        path = canvas.beginPath()
        for row, cells in enumerate(matrix):
            start = -1
            for column, dark in enumerate([*cells, False]):  # runs of dark modules, as the renderer does
                if dark and start < 0:
                    start = column
                elif not dark and start >= 0:
                    path.rect(34 + start * module, 195 - (row + 1) * module, (column - start) * module, module)
                    start = -1
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.setFont(fonts.bold, 11)
        canvas.drawCentredString(width / 2, 20, str(values["role"]))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main() -> int:
    batch = records()
    layout = cr80_badge()
    render_pdf(layout, batch[:5])  # font registration and imports, outside both timings
    started = time.perf_counter()
    ours = render_pdf(layout, batch)
    time_ours = time.perf_counter() - started
    started = time.perf_counter()
    baseline = bare_reportlab(batch)
    time_baseline = time.perf_counter() - started
    print(
        f"layout renderer: {BADGES} badges in {time_ours:.2f} s ({BADGES / time_ours:.0f} badges/s, "
        f"{time_ours / BADGES * 1000:.1f} ms/badge, {len(ours) / 1e6:.1f} MB)"
    )
    print(
        f"bare reportlab:  {BADGES} badges in {time_baseline:.2f} s ({BADGES / time_baseline:.0f} badges/s, "
        f"{time_baseline / BADGES * 1000:.1f} ms/badge, {len(baseline) / 1e6:.1f} MB)"
    )
    print(
        json.dumps(
            {
                "badges": BADGES,
                "badges_per_s": round(BADGES / time_ours, 1),
                "baseline_badges_per_s": round(BADGES / time_baseline, 1),
                "ratio": round(time_ours / time_baseline, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
